//! The engine's side of the benchmarks: the default policy with a threshold
//! of 6, evaluated by `qagida::batch` as `qagida batch` does.

use std::io::{BufRead, Write};

use qagida::eval::Options;
use qagida::policy::Policy;

/// The embedded default policy and options setting `threshold` to 6.
pub fn policy() -> (Policy, Options) {
    let policy = qagida::embedded::default_policy()
        .expect("the default policy loads")
        .policy;
    let mut opts = Options::default();
    let (name, value) =
        qagida::policy::overlay::param_arg(&policy, "threshold=6").expect("a threshold parameter");
    opts.params.insert(name, value);
    (policy, opts)
}

/// Evaluates JSONL `input` over `jobs` threads into `output`; the number
/// of records written.
pub fn batch(
    policy: &Policy,
    opts: &Options,
    jobs: usize,
    input: impl BufRead,
    output: &mut impl Write,
) -> usize {
    // Each worker with its own copy of the policy, as `qagida batch` does.
    let copy = || {
        let loaded = qagida::embedded::default_policy().ok()?.policy;
        qagida::batch::own_copy(policy, opts, loaded)
    };
    let cfg = qagida::batch::Config {
        policy,
        opts,
        jobs,
        copy: (jobs > 1).then_some(&copy as &qagida::batch::CopyPolicy),
    };
    qagida::batch::run(
        &cfg,
        input,
        qagida::batch::InputFormat::Jsonl,
        output,
        &mut |_| {},
    )
    .expect("the batch is written")
    .total
}
