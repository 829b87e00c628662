//! The engine's side of the benchmarks: the default policy with a threshold
//! of 6, decided by `qagida::engine::batch` as `qagida batch` does.

use std::io::{BufRead, Write};

use qagida::engine::{Plan, Request, Setting};

/// The embedded default policy's plan.
pub fn plan() -> Plan {
    Plan::new(
        qagida::policy::embedded::default_policy()
            .expect("the default policy loads")
            .policy,
    )
}

/// The request of the benchmarks: each application at its own date, with
/// `threshold` set to 6.
pub fn request() -> Request {
    Request {
        params: vec![Setting::Arg("threshold=6".into())],
        ..Request::default()
    }
}

/// Decides JSONL `input` over `jobs` threads into `output`; the number
/// of records written.
pub fn batch(plan: &Plan, jobs: usize, input: impl BufRead, output: &mut impl Write) -> usize {
    let prepared = plan.prepare(&request()).expect("threshold is a parameter");
    // Each worker with its own copy of the policy, as `qagida batch` does.
    let copy = || {
        let loaded = qagida::policy::embedded::default_policy().ok()?.policy;
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
