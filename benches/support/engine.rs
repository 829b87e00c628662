//! The engine's side of the benchmarks: a policy's applications decided by
//! `qagida::engine::batch` as `qagida batch` decides them. The default
//! policy with a threshold of 6, and the fictional small-business grant of
//! `benches/policies/simple/` with its own parameters.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use qagida::engine::{Plan, Request, Setting};
use qagida::policy::Policy;

/// The embedded default policy's plan.
pub fn plan() -> Plan {
    Plan::new(default_policy().expect("the default policy loads"))
}

fn default_policy() -> Option<Policy> {
    Some(qagida::policy::embedded::default_policy().ok()?.policy)
}

/// The request of the benchmarks for the default policy: each application
/// at its own date, with `threshold` set to 6.
pub fn request() -> Request {
    Request {
        params: vec![Setting::Arg("threshold=6".into())],
        ..Request::default()
    }
}

/// Decides JSONL `input` of the default policy over `jobs` threads into
/// `output`; the number of records written.
pub fn batch(plan: &Plan, jobs: usize, input: impl BufRead, output: &mut impl Write) -> usize {
    run(plan, &request(), jobs, input, output)
}

/// The simple policy's folder.
pub fn simple_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/policies/simple")
}

fn simple_policy() -> Option<Policy> {
    Some(qagida::policy::load_dir(&simple_dir()).ok()?.policy)
}

/// The simple policy's plan.
pub fn simple_plan() -> Plan {
    Plan::new(simple_policy().expect("the simple policy loads"))
}

/// Decides JSONL `input` of the simple policy, each application at its
/// own date with the policy's parameters, as [`batch`] does.
pub fn simple_batch(
    plan: &Plan,
    jobs: usize,
    input: impl BufRead,
    output: &mut impl Write,
) -> usize {
    run(plan, &Request::default(), jobs, input, output)
}

/// A batch of `plan` for `request`, each worker with its own plan, as
/// `qagida batch` does.
fn run(
    plan: &Plan,
    request: &Request,
    jobs: usize,
    input: impl BufRead,
    output: &mut impl Write,
) -> usize {
    let prepared = plan
        .prepare(request)
        .expect("the parameters are the policy's");
    let cfg = qagida::engine::batch::Config {
        prepared: &prepared,
        jobs,
        own_plans: true,
        stop: None,
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
