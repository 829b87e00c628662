//! Micro-benchmarks of the engine (criterion): loading and checking the
//! embedded default policy, parsing an expression, reading and evaluating
//! one application, and a whole cold `qagida eval` process.
//! `cargo bench --bench engine`; figures in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use qagida::engine::Application;

#[path = "support/engine.rs"]
#[allow(dead_code)] // the batch runner is for benches/batch.rs
mod engine;

// The allocator of the qagida binary (src/main.rs), for both sides.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn load(c: &mut Criterion) {
    c.bench_function("load and check the embedded policy", |b| {
        b.iter(|| qagida::policy::embedded::default_policy().map(|l| l.policy.values.len()))
    });
}

fn parse(c: &mut Criterion) {
    let text = "if experience_months < 12 then 0 else if experience_months < 36 \
                or (experience_months == 36 and exactly_three_years == \"lower\") \
                then points_experience_1_to_3_years else points_experience_over_10_years";
    c.bench_function("parse an expression", |b| {
        b.iter(|| qagida::lang::syntax::parse_expr(std::hint::black_box(text)).is_ok())
    });
}

fn evaluate(c: &mut Criterion) {
    let plan = engine::plan();
    let mut request = engine::request();
    let prepared = plan.prepare(&request).expect("threshold is a parameter");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("policies/kz-order-503/examples/issue-grant.yaml");
    let text = std::fs::read_to_string(&path).expect("the example");
    let file = qagida::core::source::SourceFile::new(path.display().to_string(), text);
    let app = Application::File(&file);
    let input = prepared.read(app).expect("the example reads");
    let dated = prepared.dated(prepared.date(&input).expect("a date in force"));
    c.bench_function("read an application", |b| {
        b.iter(|| prepared.read(app).is_ok())
    });
    c.bench_function("evaluate an application", |b| {
        b.iter(|| {
            prepared
                .decide_dated(&input, &dated)
                .map(|e| e.outcome)
                .unwrap_or_default()
        })
    });
    request.trace = false;
    let quiet = plan.prepare(&request).expect("threshold is a parameter");
    c.bench_function("evaluate an application without the trace", |b| {
        b.iter(|| {
            quiet
                .decide_dated(&input, &dated)
                .map(|e| e.outcome)
                .unwrap_or_default()
        })
    });
}

/// The whole command from a cold start, as a user runs it: a process that
/// loads and checks the embedded policy, reads the example and prints the
/// decision.
fn cold_eval(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = root.join("policies/kz-order-503/examples/issue-grant.yaml");
    c.bench_function("qagida eval, cold process", |b| {
        b.iter(|| {
            std::process::Command::new(env!("CARGO_BIN_EXE_qagida"))
                .args(["eval", "--param", "threshold=6"])
                .arg(&example)
                .stdout(std::process::Stdio::null())
                .status()
                .map(|s| s.success())
        })
    });
}

criterion_group!(benches, load, parse, evaluate, cold_eval);
criterion_main!(benches);
