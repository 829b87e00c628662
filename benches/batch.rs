//! The batch benchmark: `qagida batch`'s throughput and peak memory over a
//! generated JSONL file of applications (1,000,000 lines by default), and
//! in the same run the hand-written baseline of benches/support/baseline.rs
//! over the same file. `cargo bench --bench batch`; figures in
//! BENCHMARKS.md.
//!
//! Each measurement runs in a child process (this program, started again)
//! so that its peak resident memory (Linux `VmHWM`) is its own. Settings:
//! `QAGIDA_BENCH_LINES` (default 1000000), `QAGIDA_BENCH_RUNS` (default 3;
//! medians are reported).

use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "support/generate.rs"]
mod generate;

#[path = "support/baseline.rs"]
mod baseline;

#[path = "support/engine.rs"]
mod engine;

// The allocator of the qagida binary (src/main.rs), for both sides.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CHILD: &str = "QAGIDA_BENCH_CHILD";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn list() -> Vec<generate::Entry> {
    generate::entries(&root().join("policies/kz-order-503/list.yaml"))
}

/// Peak resident memory of this process, in KiB (Linux).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// In the child: runs one measurement and prints `seconds records peak_kib`.
fn child(mode: &str, input: &Path, output: &Path) {
    let out = std::fs::File::create(output).expect("the output file");
    // Buffered as `qagida batch` buffers its files.
    let mut out = BufWriter::with_capacity(qagida::engine::batch::OUTPUT_BUFFER, out);
    let open = || {
        let f = std::fs::File::open(input).expect("the input file");
        BufReader::with_capacity(qagida::engine::batch::IO_BUFFER, f)
    };
    let (seconds, records) = match mode {
        "baseline" => {
            let b = baseline::Baseline::new(&list(), &root().join("policies/calendars/kz"), 6);
            let t = Instant::now();
            let n = b.run(open(), &mut out).expect("the baseline runs");
            (t.elapsed().as_secs_f64(), n)
        }
        jobs => {
            let jobs: usize = jobs.parse().expect("a number of jobs");
            let plan = engine::plan();
            let t = Instant::now();
            let n = engine::batch(&plan, jobs, open(), &mut out);
            (t.elapsed().as_secs_f64(), n)
        }
    };
    println!("{seconds} {records} {}", peak_kib());
}

struct Run {
    seconds: f64,
    records: usize,
    peak_kib: u64,
}

fn measure(mode: &str, input: &Path, output: &Path) -> Run {
    // A new file each run: a file truncated and written again would have
    // ext4 write the old one out first (its `auto_da_alloc`), and the
    // run that follows a large output would wait on the disk.
    let _ = std::fs::remove_file(output);
    let exe = std::env::current_exe().expect("this program");
    let out = Command::new(exe)
        .env(CHILD, mode)
        .arg(input)
        .arg(output)
        .output()
        .expect("the child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut f = text.split_whitespace();
    let mut next = || {
        f.next()
            .unwrap_or_else(|| panic!("child {mode} failed: {text}"))
    };
    Run {
        seconds: next().parse().expect("seconds"),
        records: next().parse().expect("records"),
        peak_kib: next().parse().expect("peak"),
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD) {
        let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
        child(&mode, &args[0], &args[1]);
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then one small run checks that the benchmark works.
    let benching = std::env::args().any(|a| a == "--bench");
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let lines = if benching {
        env("QAGIDA_BENCH_LINES", 1_000_000)
    } else {
        2_000
    };
    let runs = if benching {
        env("QAGIDA_BENCH_RUNS", 3)
    } else {
        1
    };
    let dir = std::env::temp_dir().join(format!("qagida-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let list = list();
    let write = |n: usize, name: &str| {
        let path = dir.join(name);
        let mut f = BufWriter::new(std::fs::File::create(&path).expect("the input"));
        generate::write(&mut f, n, 1, &list).expect("generated");
        f.flush().expect("written");
        path
    };
    let big = write(lines, "big.jsonl");
    let small = write((lines / 10).max(1), "small.jsonl");
    let size = std::fs::metadata(&big).map(|m| m.len()).unwrap_or(0);
    println!(
        "batch: {lines} generated applications ({:.0} MB), {runs} run(s) each, medians",
        size as f64 / 1e6
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut modes = vec!["baseline".to_string(), "1".to_string()];
    if cores > 1 {
        modes.push(cores.to_string());
    }
    let mut rates = Vec::new();
    for mode in &modes {
        let rs: Vec<Run> = (0..runs)
            .map(|_| measure(mode, &big, &dir.join("out.jsonl")))
            .collect();
        assert!(
            rs.iter().all(|r| r.records == lines),
            "{mode}: a line was lost"
        );
        let secs = median(rs.iter().map(|r| r.seconds).collect());
        let peak = median(rs.iter().map(|r| r.peak_kib as f64).collect());
        let small_peak = measure(mode, &small, &dir.join("out-small.jsonl")).peak_kib;
        let rate = lines as f64 / secs;
        rates.push(rate);
        let name = if mode == "baseline" {
            "hand-written baseline (1 thread)".to_string()
        } else {
            format!("qagida batch --jobs {mode}")
        };
        println!(
            "  {name:<34} {secs:>8.2} s {rate:>10.0} lines/s  peak {:>6.1} MiB ({:.1} MiB at {} lines)",
            peak / 1024.0,
            small_peak as f64 / 1024.0,
            (lines / 10).max(1),
        );
    }
    for (mode, rate) in modes.iter().zip(&rates).skip(1) {
        println!(
            "  ratio qagida --jobs {mode} / baseline: {:.3}",
            rate / rates[0]
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
