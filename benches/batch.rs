//! The batch benchmark: `qagida batch`'s throughput and peak memory over a
//! generated JSONL file of applications (1,000,000 lines by default), and
//! in the same run the hand-written baseline of benches/support/baseline.rs
//! over the same file; then the same for a second, simpler policy (the
//! fictional small-business grant of benches/policies/simple/, with its
//! generator and baseline in benches/support/simple_*.rs).
//! `cargo bench --bench batch`; figures in BENCHMARKS.md.
//!
//! Each measurement runs in a child process (this program, started again)
//! so that its peak resident memory (Linux `VmHWM`) is its own. Settings:
//! `QAGIDA_BENCH_LINES` (default 1000000), `QAGIDA_BENCH_RUNS` (default 3;
//! medians are reported), `QAGIDA_BENCH_POLICY` (`kz`, `simple` or `both`,
//! the default).

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

#[path = "support/simple_generate.rs"]
mod simple_generate;

#[path = "support/simple_baseline.rs"]
mod simple_baseline;

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

fn sectors() -> Vec<simple_generate::Sector> {
    simple_generate::sectors(&engine::simple_dir().join("sectors.yaml"))
}

/// The policies the benchmark measures.
#[derive(Clone, Copy, PartialEq)]
enum Bench {
    /// The built-in policy, kz-order-503.
    Kz,
    /// The fictional small-business grant of benches/policies/simple/.
    Simple,
}

impl Bench {
    /// The prefix of a child's mode: `baseline` or a number of jobs after it.
    fn prefix(self) -> &'static str {
        match self {
            Bench::Kz => "",
            Bench::Simple => "simple-",
        }
    }

    /// Writes `n` generated applications of the policy into `path`.
    fn generate(self, n: usize, path: &Path) {
        let mut f = BufWriter::new(std::fs::File::create(path).expect("the input"));
        match self {
            Bench::Kz => generate::write(&mut f, n, 1, &list()),
            Bench::Simple => simple_generate::write(&mut f, n, 1, &sectors()),
        }
        .expect("generated");
        f.flush().expect("written");
    }
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
    let (bench, mode) = match mode.strip_prefix(Bench::Simple.prefix()) {
        Some(m) => (Bench::Simple, m),
        None => (Bench::Kz, mode),
    };
    let (seconds, records) = match (bench, mode) {
        (Bench::Kz, "baseline" | "records") => {
            let b = baseline::Baseline::new(&list(), &root().join("policies/calendars/kz"), 6);
            let t = Instant::now();
            let n = match mode {
                "records" => b.run_records(open(), &mut out),
                _ => b.run(open(), &mut out),
            };
            let n = n.expect("the baseline runs");
            (t.elapsed().as_secs_f64(), n)
        }
        (Bench::Simple, "baseline" | "records") => {
            let b = simple_baseline::Baseline::new(&sectors());
            let t = Instant::now();
            let n = match mode {
                "records" => b.run_records(open(), &mut out),
                _ => b.run(open(), &mut out),
            };
            let n = n.expect("the baseline runs");
            (t.elapsed().as_secs_f64(), n)
        }
        (Bench::Kz, m) if m.starts_with("impact") => {
            let jobs: usize = m["impact".len()..].parse().expect("a number of jobs");
            let plan = engine::plan();
            let t = Instant::now();
            let n = engine::impact(&plan, jobs, open());
            (t.elapsed().as_secs_f64(), n)
        }
        (Bench::Kz, m) if m.starts_with("from") || m.starts_with("to") => {
            let (date, jobs) = match m.strip_prefix("from") {
                Some(j) => (engine::IMPACT_FROM, j),
                None => (engine::IMPACT_TO, &m["to".len()..]),
            };
            let jobs: usize = jobs.parse().expect("a number of jobs");
            let plan = engine::plan();
            let t = Instant::now();
            let n = engine::batch_at(&plan, date, jobs, open(), &mut out);
            (t.elapsed().as_secs_f64(), n)
        }
        (Bench::Kz, jobs) => {
            let jobs: usize = jobs.parse().expect("a number of jobs");
            let plan = engine::plan();
            let t = Instant::now();
            let n = engine::batch(&plan, jobs, open(), &mut out);
            (t.elapsed().as_secs_f64(), n)
        }
        (Bench::Simple, jobs) => {
            let jobs: usize = jobs.parse().expect("a number of jobs");
            let plan = engine::simple_plan();
            let t = Instant::now();
            let n = engine::simple_batch(&plan, jobs, open(), &mut out);
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

/// Measures one policy: generates its input, runs the baseline and qagida
/// with one thread and with every core, and prints the figures.
fn section(bench: Bench, lines: usize, runs: usize, dir: &Path) {
    let write = |n: usize, name: &str| {
        let path = dir.join(name);
        bench.generate(n, &path);
        path
    };
    let big = write(lines, "big.jsonl");
    let small = write((lines / 10).max(1), "small.jsonl");
    let size = std::fs::metadata(&big).map(|m| m.len()).unwrap_or(0);
    let what = match bench {
        Bench::Kz => "batch:",
        Bench::Simple => "batch, the simple policy (benches/policies/simple):",
    };
    println!(
        "{what} {lines} generated applications ({:.0} MB), {runs} run(s) each, medians",
        size as f64 / 1e6
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // The baseline twice: writing the decision alone, and writing the
    // whole record qagida writes (the same bytes).
    let mut modes = vec![
        "baseline".to_string(),
        "records".to_string(),
        "1".to_string(),
    ];
    if cores > 1 {
        modes.push(cores.to_string());
    }
    let mut rates = Vec::new();
    for mode in &modes {
        let child = format!("{}{mode}", bench.prefix());
        let rs: Vec<Run> = (0..runs)
            .map(|_| measure(&child, &big, &dir.join("out.jsonl")))
            .collect();
        assert!(
            rs.iter().all(|r| r.records == lines),
            "{child}: a line was lost"
        );
        let secs = median(rs.iter().map(|r| r.seconds).collect());
        let peak = median(rs.iter().map(|r| r.peak_kib as f64).collect());
        let small_peak = measure(&child, &small, &dir.join("out-small.jsonl")).peak_kib;
        let rate = lines as f64 / secs;
        rates.push(rate);
        let name = match mode.as_str() {
            "baseline" => "baseline, the decision (1 thread)".to_string(),
            "records" => "baseline, whole records (1 thread)".to_string(),
            _ => format!("qagida batch --jobs {mode}"),
        };
        println!(
            "  {name:<34} {secs:>8.2} s {rate:>10.0} lines/s  peak {:>6.1} MiB ({:.1} MiB at {} lines)",
            peak / 1024.0,
            small_peak as f64 / 1024.0,
            (lines / 10).max(1),
        );
    }
    if bench == Bench::Kz {
        impact_section(lines, runs, cores, &big, dir);
    }
    for (mode, rate) in modes.iter().zip(&rates).skip(2) {
        println!(
            "  ratio qagida --jobs {mode} / baseline: {:.3} (the decision), {:.3} (whole records)",
            rate / rates[0],
            rate / rates[1]
        );
    }
    for f in [
        big,
        small,
        dir.join("out.jsonl"),
        dir.join("out-small.jsonl"),
    ] {
        let _ = std::fs::remove_file(f);
    }
}

/// `qagida impact` between two editions against the two batches it stands
/// for: each application decided at the first edition's first day, then at
/// the second's (the batches write their records; impact writes none, and
/// keeps only its counts).
fn impact_section(lines: usize, runs: usize, cores: usize, big: &Path, dir: &Path) {
    let median_of = |child: String| {
        let rs: Vec<Run> = (0..runs)
            .map(|_| measure(&child, big, &dir.join("out.jsonl")))
            .collect();
        assert!(
            rs.iter().all(|r| r.records == lines),
            "{child}: a line was lost"
        );
        (
            median(rs.iter().map(|r| r.seconds).collect()),
            median(rs.iter().map(|r| r.peak_kib as f64).collect()),
        )
    };
    let (from, from_peak) = median_of(format!("from{cores}"));
    let (to, to_peak) = median_of(format!("to{cores}"));
    let (impact, impact_peak) = median_of(format!("impact{cores}"));
    println!(
        "  impact, {} -> {}, --jobs {cores}: {impact:.2} s (peak {:.1} MiB); batch at each: {from:.2} s + {to:.2} s = {:.2} s (peaks {:.1}, {:.1} MiB); ratio impact / two batches {:.3}",
        engine::IMPACT_FROM,
        engine::IMPACT_TO,
        impact_peak / 1024.0,
        from + to,
        from_peak / 1024.0,
        to_peak / 1024.0,
        impact / (from + to),
    );
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
    let which = std::env::var("QAGIDA_BENCH_POLICY").unwrap_or_else(|_| "both".into());
    let benches: &[Bench] = match which.as_str() {
        "kz" => &[Bench::Kz],
        "simple" => &[Bench::Simple],
        "both" => &[Bench::Kz, Bench::Simple],
        other => panic!("QAGIDA_BENCH_POLICY is kz, simple or both, not `{other}`"),
    };
    let dir = std::env::temp_dir().join(format!("qagida-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    for &bench in benches {
        section(bench, lines, runs, &dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
