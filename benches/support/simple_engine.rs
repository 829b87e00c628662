//! The engine's side of the second benchmark policy: the fictional
//! small-business grant of `benches/policies/simple/`, loaded from its
//! folder and decided by `qagida::engine::batch` as `qagida batch --policy` does.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use qagida::engine::{Plan, Request};

/// The policy's folder.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/policies/simple")
}

/// The policy's plan.
pub fn plan() -> Plan {
    Plan::new(
        qagida::policy::load_dir(&dir())
            .expect("the simple policy loads")
            .policy,
    )
}

/// Decides JSONL `input` over `jobs` threads into `output`, each
/// application at its own date with the policy's parameters; the number
/// of records written.
pub fn batch(plan: &Plan, jobs: usize, input: impl BufRead, output: &mut impl Write) -> usize {
    let prepared = plan
        .prepare(&Request::default())
        .expect("no parameters to check");
    // Each worker with its own copy of the policy, as `qagida batch` does.
    let copy = || {
        let loaded = qagida::policy::load_dir(&dir()).ok()?.policy;
        qagida::engine::batch::own_copy(plan, loaded)
    };
    let cfg = qagida::engine::batch::Config {
        prepared: &prepared,
        jobs,
        copy: (jobs > 1).then_some(&copy as &qagida::engine::batch::CopyPolicy),
    };
    qagida::engine::batch::run(
        &cfg,
        input,
        qagida::engine::batch::InputFormat::Jsonl,
        output,
        &mut |_| {},
    )
    .expect("the batch is written")
    .total
}
