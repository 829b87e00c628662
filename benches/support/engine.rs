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

/// The request of the impact benchmark: every application at `date`, with
/// `threshold` set to 6.
fn dated(date: &str) -> Request {
    Request {
        at: qagida::engine::At::On(date.parse().expect("a date")),
        ..request()
    }
}

/// The two editions the impact benchmark compares: the kz package's
/// wording before order-537 and after it (each edition's first day).
pub const IMPACT_FROM: &str = "2020-06-09";
pub const IMPACT_TO: &str = "2021-01-05";

/// Decides JSONL `input` of the default policy at `date` (one side of an
/// impact) into `output`, as `qagida batch --at DATE` does.
pub fn batch_at(
    plan: &Plan,
    date: &str,
    jobs: usize,
    input: impl BufRead,
    output: &mut impl Write,
) -> usize {
    run(plan, &dated(date), jobs, input, output)
}

/// Compares the decisions of JSONL `input` at [`IMPACT_FROM`] and
/// [`IMPACT_TO`] over `jobs` threads, as `qagida impact` does; the number
/// of records compared.
pub fn impact(plan: &Plan, jobs: usize, input: impl BufRead) -> usize {
    let old = plan.prepare(&dated(IMPACT_FROM)).expect("the parameters");
    let new = plan.prepare(&dated(IMPACT_TO)).expect("the parameters");
    let cfg = qagida::engine::impact::Config {
        old: &old,
        new: &new,
        jobs,
        examples: 3,
        own_plans: true,
        stop: None,
    };
    let r = qagida::engine::impact::run(&cfg, input, qagida::engine::batch::InputFormat::Jsonl)
        .expect("the corpus is read");
    r.total as usize
}
