//! Where a batch record's time goes, in one thread and in process: the
//! batch's own steps (read the JSON line into the schema, evaluate at the
//! record's date with the date's shared part cached, write the decision's
//! JSON, drop both), timed a part of 256 lines at a time, with the
//! allocations each step makes, and how many lines the direct JSON reader
//! (`src/input/json.rs`) takes rather than the general one. For
//! performance work; BENCHMARKS.md quotes it.
//!
//! ```sh
//! cargo run --release --example generate -- 50000 > /tmp/apps.jsonl
//! cargo run --release --example phases -- /tmp/apps.jsonl
//! cargo run --release --example generate -- --simple 50000 > /tmp/simple.jsonl
//! cargo run --release --example phases -- --policy benches/policies/simple /tmp/simple.jsonl
//! ```
//!
//! Without `--policy`, the built-in policy with `threshold=6`, as the batch
//! benchmark runs it; with it, that folder's policy with its own
//! parameters.

use std::alloc::{GlobalAlloc, Layout};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// mimalloc, as the binary uses, counting allocations.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        unsafe { mimalloc::MiMalloc.alloc(l) }
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(p, l) }
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        unsafe { mimalloc::MiMalloc.realloc(p, l, n) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Time and allocations of one step, summed over the parts.
#[derive(Default)]
struct Step {
    seconds: f64,
    allocations: usize,
}

impl Step {
    fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let (a, t) = (ALLOCATIONS.load(Relaxed), Instant::now());
        let out = f();
        self.seconds += t.elapsed().as_secs_f64();
        self.allocations += ALLOCATIONS.load(Relaxed) - a;
        out
    }
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let dir = args.next_if(|a| a == "--policy").and_then(|_| args.next());
    let Some(path) = args.next() else {
        eprintln!("usage: phases [--policy DIR] APPLICATIONS.jsonl (from the `generate` example)");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).expect("the applications file reads");
    let lines: Vec<&str> = text.lines().collect();
    let (policy, params) = match &dir {
        Some(d) => (
            qagida::policy::load_dir(d.as_ref())
                .expect("the policy loads")
                .policy,
            vec![],
        ),
        None => (
            qagida::policy::embedded::default_policy()
                .expect("the default policy loads")
                .policy,
            vec![qagida::engine::Setting::Arg("threshold=6".into())],
        ),
    };
    let plan = qagida::engine::Plan::new(policy);
    let request = qagida::engine::Request {
        params,
        trace: false,
        ..Default::default()
    };
    let prepared = plan
        .prepare(&request)
        .expect("the parameters are the policy's");
    let policy = plan.policy();
    let n = lines.len() as f64;
    let direct = lines
        .iter()
        .filter(|l| qagida::engine::input::json::read(&plan, l).is_some())
        .count();
    println!(
        "{} lines, {direct} of them read by the direct JSON reader, 3 rounds; per line:",
        lines.len()
    );
    for _ in 0..3 {
        let mut dates = HashMap::new();
        let [mut read, mut eval, mut write, mut drop] = [(); 4].map(|_| Step::default());
        let mut bytes = Vec::with_capacity(256 * 1536);
        for part in lines.chunks(256) {
            let inputs: Vec<_> = read
                .time(|| {
                    let read = |l: &&str| {
                        let line = qagida::engine::Application::Line { text: l, line: 0 };
                        prepared.read(line).ok()
                    };
                    part.iter().map(read).collect::<Option<_>>()
                })
                .expect("generated lines are read directly");
            let evaluations: Vec<_> = eval
                .time(|| {
                    let evaluate = |input| {
                        let at = prepared.date(input).ok()?;
                        let dated = dates.entry(at).or_insert_with(|| prepared.dated(at));
                        prepared.decide_dated(input, dated).ok()
                    };
                    inputs.iter().map(evaluate).collect::<Option<_>>()
                })
                .expect("generated lines evaluate");
            write.time(|| {
                bytes.clear();
                for e in &evaluations {
                    qagida::engine::contract::write_members(policy, e, &mut bytes);
                }
            });
            drop.time(|| std::mem::drop((evaluations, inputs)));
        }
        let show = |s: &Step| {
            format!(
                "{:.2} µs, {:.1} allocations",
                s.seconds / n * 1e6,
                s.allocations as f64 / n
            )
        };
        let total = read.seconds + eval.seconds + write.seconds + drop.seconds;
        println!(
            "read {} | evaluate {} | write {} | drop {} | total {:.2} µs",
            show(&read),
            show(&eval),
            show(&write),
            show(&drop),
            total / n * 1e6
        );
    }
}
