//! The serving benchmark: `qagida serve` under a bounded load on loopback.
//! `cargo bench --bench serve`; figures in BENCHMARKS.md.
//!
//! It starts the release binary (`qagida serve --listen 127.0.0.1:0`, the
//! built-in package), reads the address it prints, and sends a fixed
//! number of requests over 1, 16 and 64 keep-alive connections:
//!
//! - `decide`: one generated application a request (20,000 requests a
//!   level by default), with `threshold` set to 6;
//! - `batch`: the whole corpus (100,000 generated applications by default,
//!   NDJSON) in one request, then the same corpus cut into pieces of 500
//!   lines, sent over each number of connections.
//!
//! Then `qagida batch` decides the same corpus on the same machine, its
//! records read by this program as the server's are, for the ratio the
//! issue asks for. Every response must be a 200, and every record a
//! decision (its outcome counted): the benchmark stops otherwise, so it
//! never measures errors. The server's peak resident memory (`VmHWM`,
//! reset before each phase through `/proc/PID/clear_refs`) and the CPU
//! time it used are read from `/proc`.
//!
//! The client is written here over `std::net::TcpStream` (HTTP/1.1,
//! keep-alive, a body framed by `Content-Length` or chunked): one thread a
//! connection, every request's bytes made before the clock starts. It is
//! the least work a client can do, so that it takes as little as it can
//! of the cores it shares with the server.
//!
//! Settings: `QAGIDA_BENCH_REQUESTS` (decide requests a level, default
//! 20000), `QAGIDA_BENCH_LINES` (the batch corpus, default 100000),
//! `QAGIDA_BENCH_PIECE` (lines a piece, default 500), `QAGIDA_BENCH_RUNS`
//! (runs of each whole-corpus batch, default 3; medians),
//! `QAGIDA_BENCH_LEVELS` (connections, default `1,16,64`),
//! `QAGIDA_BENCH_SERVE_ARGS` (more arguments for `qagida serve`, such as
//! `--threads 1 --batch-jobs 2`; unless it gives `--max-batches`, that is
//! the largest number of connections, since the server answers a 503
//! beyond it, and `--max-batch-body` is raised for a corpus over 256 MiB)
//! and `QAGIDA_BENCH_BIN` (another `qagida` binary to measure, for a build
//! before a change).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

#[allow(dead_code)] // the baseline reads what this benchmark does not
#[path = "support/generate.rs"]
mod generate;

const POLICY: &str = "kz-order-503";

/// The release binary, which cargo builds for the benchmark, or the one
/// `QAGIDA_BENCH_BIN` names (to compare two builds on the same load).
fn exe() -> PathBuf {
    std::env::var_os("QAGIDA_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_qagida")))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `n` generated applications of the built-in policy, one JSON object a
/// line (benches/support/generate.rs, seed 1, as the batch benchmark).
fn corpus(n: usize) -> Vec<u8> {
    let list = generate::entries(&root().join("policies/kz-order-503/list.yaml"));
    let mut out = Vec::new();
    generate::write(&mut out, n, 1, &list).expect("generated");
    out
}

fn lines(corpus: &[u8]) -> Vec<&[u8]> {
    corpus
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect()
}

/// A request's bytes, head and body.
fn post(path: &str, kind: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

fn decide_request(application: &[u8]) -> Vec<u8> {
    let mut body = b"{\"application\":".to_vec();
    body.extend_from_slice(application);
    body.extend_from_slice(b",\"params\":{\"threshold\":6}}");
    post(
        &format!("/v1/policies/{POLICY}/decide"),
        "application/json",
        &body,
    )
}

fn batch_request(lines: &[&[u8]]) -> Vec<u8> {
    let mut body = Vec::new();
    for l in lines {
        body.extend_from_slice(l);
        body.push(b'\n');
    }
    post(
        &format!("/v1/policies/{POLICY}/batch?param=threshold=6"),
        "application/x-ndjson",
        &body,
    )
}

/// What the records read say: how many, each outcome's count, and the
/// records that are not decisions.
#[derive(Default)]
struct Scan {
    partial: Vec<u8>,
    records: u64,
    outcomes: Vec<(Vec<u8>, u64)>,
    errors: u64,
    first_error: Option<String>,
}

impl Scan {
    /// Takes bytes of NDJSON as they come.
    fn feed(&mut self, mut b: &[u8]) {
        while let Some(i) = memchr::memchr(b'\n', b) {
            if self.partial.is_empty() {
                self.record(&b[..i]);
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&b[..i]);
                self.record(&line);
                line.clear();
                self.partial = line;
            }
            b = &b[i + 1..];
        }
        self.partial.extend_from_slice(b);
    }

    /// The end of a body: a record without its newline counts too.
    fn finish(&mut self) {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.record(&line);
        }
    }

    fn record(&mut self, line: &[u8]) {
        self.records += 1;
        const KEY: &[u8] = b"\"outcome\":\"";
        let outcome = memchr::memmem::find(line, KEY).and_then(|i| {
            let rest = &line[i + KEY.len()..];
            memchr::memchr(b'"', rest).map(|end| &rest[..end])
        });
        match outcome {
            Some(o) => match self.outcomes.iter_mut().find(|(k, _)| k == o) {
                Some((_, n)) => *n += 1,
                None => self.outcomes.push((o.to_vec(), 1)),
            },
            None => {
                self.errors += 1;
                if self.first_error.is_none() {
                    self.first_error = Some(String::from_utf8_lossy(line).into_owned());
                }
            }
        }
    }

    fn merge(&mut self, other: Scan) {
        self.records += other.records;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        for (o, n) in other.outcomes {
            match self.outcomes.iter_mut().find(|(k, _)| *k == o) {
                Some((_, m)) => *m += n,
                None => self.outcomes.push((o, n)),
            }
        }
    }

    fn outcomes(&self) -> String {
        let mut v: Vec<_> = self
            .outcomes
            .iter()
            .map(|(o, n)| format!("{} {n}", String::from_utf8_lossy(o)))
            .collect();
        v.sort();
        v.join(", ")
    }
}

/// A response's head: its status and how its body is framed.
struct Head {
    status: u16,
    length: Option<usize>,
    chunked: bool,
}

/// One keep-alive connection.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
}

impl Conn {
    fn open(addr: SocketAddr) -> Conn {
        let stream = TcpStream::connect(addr).expect("the server takes a connection");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        Conn {
            stream,
            buf: vec![0; 64 << 10],
            pos: 0,
            len: 0,
        }
    }

    /// Reads more bytes after those not yet taken.
    fn fill(&mut self) {
        if self.pos == self.len {
            self.pos = 0;
            self.len = 0;
        } else if self.len == self.buf.len() {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.len, 0);
                self.len -= self.pos;
                self.pos = 0;
            } else {
                self.buf.resize(self.buf.len() * 2, 0);
            }
        }
        let n = self
            .stream
            .read(&mut self.buf[self.len..])
            .expect("the response is read");
        assert!(n > 0, "the server closed the connection mid-response");
        self.len += n;
    }

    /// The bytes up to and including the next `\r\n`, taken.
    fn line(&mut self) -> String {
        loop {
            if let Some(i) = memchr::memmem::find(&self.buf[self.pos..self.len], b"\r\n") {
                let s = String::from_utf8_lossy(&self.buf[self.pos..self.pos + i]).into_owned();
                self.pos += i + 2;
                return s;
            }
            self.fill();
        }
    }

    fn head(&mut self) -> Head {
        let status = self.line();
        let status = status
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP status line: {status}"));
        let mut head = Head {
            status,
            length: None,
            chunked: false,
        };
        loop {
            let l = self.line();
            if l.is_empty() {
                return head;
            }
            let (k, v) = l.split_once(':').unwrap_or((&l, ""));
            let v = v.trim();
            if k.eq_ignore_ascii_case("content-length") {
                head.length = v.parse().ok();
            } else if k.eq_ignore_ascii_case("transfer-encoding") {
                head.chunked = v.eq_ignore_ascii_case("chunked");
            }
        }
    }

    /// Exactly `n` bytes of body, given to `sink`.
    fn take(&mut self, mut n: usize, sink: &mut impl FnMut(&[u8])) {
        while n > 0 {
            if self.pos == self.len {
                self.fill();
            }
            let k = n.min(self.len - self.pos);
            sink(&self.buf[self.pos..self.pos + k]);
            self.pos += k;
            n -= k;
        }
    }

    /// The body, given to `sink` as it comes.
    fn body(&mut self, head: &Head, sink: &mut impl FnMut(&[u8])) {
        if head.chunked {
            loop {
                let size = self.line();
                let size = size.split(';').next().unwrap_or("").trim();
                let size = usize::from_str_radix(size, 16)
                    .unwrap_or_else(|_| panic!("not a chunk's size: {size}"));
                if size == 0 {
                    // Trailers, then the empty line.
                    while !self.line().is_empty() {}
                    return;
                }
                self.take(size, sink);
                assert!(self.line().is_empty(), "a chunk not ended by CRLF");
            }
        } else {
            self.take(head.length.unwrap_or(0), sink);
        }
    }

    /// Sends `request` and reads its response into `scan`; its status.
    /// A large body is written on a thread of its own while the response
    /// is read: the server streams a batch's records as it reads its lines,
    /// and would wait on a client that wrote its whole body first.
    fn exchange(&mut self, request: &[u8], scan: &mut Scan, body: &mut Vec<u8>) -> u16 {
        body.clear();
        let head = if request.len() <= 16 << 10 {
            self.stream.write_all(request).expect("the request is sent");
            let head = self.head();
            self.read_into(&head, scan, body);
            head
        } else {
            let mut w = self.stream.try_clone().expect("a second handle");
            std::thread::scope(|s| {
                let writer = s.spawn(move || w.write_all(request));
                let head = self.head();
                self.read_into(&head, scan, body);
                let sent = writer.join().expect("the writer");
                // A server that refuses a body may close before it is all
                // sent: then its answer says why.
                if head.status == 200 {
                    sent.expect("the request is sent");
                }
                head
            })
        };
        if head.status == 200 {
            scan.finish();
        }
        head.status
    }

    fn read_into(&mut self, head: &Head, scan: &mut Scan, body: &mut Vec<u8>) {
        match head.status {
            200 => self.body(head, &mut |b| scan.feed(b)),
            _ => self.body(head, &mut |b| body.extend_from_slice(b)),
        }
    }
}

/// What one level of load gave.
struct Level {
    what: String,
    requests: usize,
    seconds: f64,
    latencies: Vec<Duration>,
    scan: Scan,
    /// The server's CPU seconds over the level.
    server_cpu: f64,
    /// This program's CPU seconds over the level (the client's share).
    client_cpu: f64,
    /// The server's peak resident memory over the level, in KiB.
    peak_kib: u64,
}

impl Level {
    fn rate(&self) -> f64 {
        self.scan.records as f64 / self.seconds
    }

    fn percentile(&self, p: f64) -> f64 {
        let mut l = self.latencies.clone();
        l.sort();
        let i = ((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1;
        l[i].as_secs_f64() * 1e3
    }
}

/// Sends `count` requests, the `i`-th being `requests[i % len]`, over
/// `connections` connections at once, each request as soon as its
/// connection has read the previous response.
fn load(
    server: &Server,
    what: String,
    connections: usize,
    requests: &[Vec<u8>],
    count: usize,
) -> Level {
    let next = Arc::new(AtomicUsize::new(0));
    // Every connection open, then the clock, then the requests: with more
    // threads than cores, this one may run well after it lets the others
    // go, so the clock starts before it does.
    let connected = Arc::new(Barrier::new(connections + 1));
    let start = Arc::new(Barrier::new(connections + 1));
    server.reset_peak();
    let cpu = (server.cpu(), self_cpu());
    let (t, results) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..connections)
            .map(|_| {
                let (next, connected, start) = (next.clone(), connected.clone(), start.clone());
                s.spawn(move || {
                    let mut conn = Conn::open(server.addr);
                    let mut latencies = Vec::with_capacity(count / connections + 1);
                    let mut scan = Scan::default();
                    let mut body = Vec::new();
                    connected.wait();
                    start.wait();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            break;
                        }
                        let t = Instant::now();
                        let status =
                            conn.exchange(&requests[i % requests.len()], &mut scan, &mut body);
                        latencies.push(t.elapsed());
                        assert_eq!(
                            status,
                            200,
                            "request {i} answered {status}: {}",
                            String::from_utf8_lossy(&body)
                        );
                    }
                    (latencies, scan)
                })
            })
            .collect();
        connected.wait();
        let t = Instant::now();
        start.wait();
        let results: Vec<_> = handles
            .into_iter()
            .map(|h| h.join().expect("a connection's thread"))
            .collect();
        (t.elapsed(), results)
    });
    let mut level = Level {
        what,
        requests: count,
        seconds: t.as_secs_f64(),
        latencies: Vec::with_capacity(count),
        scan: Scan::default(),
        server_cpu: server.cpu() - cpu.0,
        client_cpu: self_cpu() - cpu.1,
        peak_kib: server.peak_kib(),
    };
    for (l, s) in results {
        level.latencies.extend(l);
        level.scan.merge(s);
    }
    level
}

/// `qagida batch` over the corpus at `path`, its records read from its
/// standard output by this program, as the server's are.
fn cli_batch(path: &Path, jobs: usize) -> Level {
    let cpu = self_cpu();
    let t = Instant::now();
    let mut child = Command::new(exe())
        .args(["batch", "--param", "threshold=6", "--jobs"])
        .arg(jobs.to_string())
        .arg(path)
        .args(["-o", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("qagida batch starts");
    let mut out = child.stdout.take().expect("its output");
    let mut scan = Scan::default();
    let mut buf = vec![0; 64 << 10];
    let mut peak = 0;
    let mut child_cpu = 0.0;
    loop {
        let n = out.read(&mut buf).expect("its output is read");
        if n == 0 {
            break;
        }
        scan.feed(&buf[..n]);
        // Its memory and time as it runs (it is gone once it ends).
        if let Some(s) = status(child.id()) {
            peak = peak.max(field_kib(&s, "VmHWM:"));
        }
        if let Some(c) = cpu_of(child.id()) {
            child_cpu = c;
        }
    }
    scan.finish();
    let code = child.wait().expect("qagida batch ends");
    let seconds = t.elapsed().as_secs_f64();
    assert!(code.success(), "qagida batch failed: {code}");
    Level {
        what: format!("qagida batch --jobs {jobs}, to this program"),
        requests: 1,
        seconds,
        latencies: vec![Duration::from_secs_f64(seconds)],
        scan,
        server_cpu: child_cpu,
        client_cpu: self_cpu() - cpu,
        peak_kib: peak,
    }
}

/// The server, a child process.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(extra: &[String]) -> Server {
        let mut child = Command::new(exe())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            // One log line a request: discarded, as a service whose logs
            // nobody keeps would (writing them is still the server's work).
            .stderr(Stdio::null())
            .spawn()
            .expect("qagida serve starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("its output"))
            .read_line(&mut first)
            .expect("its first line");
        let addr = first
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("qagida serve did not say where it listens: {first:?}"));
        Server { child, addr }
    }

    fn status(&self) -> String {
        status(self.child.id()).expect("the server's /proc status")
    }

    /// Its peak resident memory since the last reset, in KiB.
    fn peak_kib(&self) -> u64 {
        field_kib(&self.status(), "VmHWM:")
    }

    fn rss_kib(&self) -> u64 {
        field_kib(&self.status(), "VmRSS:")
    }

    /// Resets its peak resident memory to the present (Linux 4.0 and
    /// later; elsewhere the peak stays that of the whole run).
    fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5");
    }

    fn cpu(&self) -> f64 {
        cpu_of(self.child.id()).unwrap_or(0.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn status(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/status")).ok()
}

fn field_kib(status: &str, name: &str) -> u64 {
    status
        .lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// User and system CPU seconds of a process, every thread (Linux; clock
/// ticks taken at 100 a second, as Linux gives them to user space).
fn cpu_of(pid: impl std::fmt::Display) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = s[s.rfind(')')? + 2..].split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

fn self_cpu() -> f64 {
    cpu_of("self").unwrap_or(0.0)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn print_header() {
    println!(
        "  {:<46} {:>8} {:>9} {:>12} {:>9} {:>9} {:>10} {:>13} {:>13}",
        "",
        "requests",
        "seconds",
        "decisions/s",
        "p50 ms",
        "p99 ms",
        "peak MiB",
        "server µs/dec",
        "client µs/dec"
    );
}

fn print(l: &Level) {
    let per = |cpu: f64| cpu * 1e6 / l.scan.records.max(1) as f64;
    println!(
        "  {:<46} {:>8} {:>9.3} {:>12.0} {:>9.2} {:>9.2} {:>10.1} {:>13.1} {:>13.1}",
        l.what,
        l.requests,
        l.seconds,
        l.rate(),
        l.percentile(0.50),
        l.percentile(0.99),
        l.peak_kib as f64 / 1024.0,
        per(l.server_cpu),
        per(l.client_cpu),
    );
}

/// Stops unless every record of a level is a decision, and there are as
/// many as asked.
fn check(l: &Level, expected: u64) {
    assert_eq!(
        l.scan.errors,
        0,
        "{}: {} records are not decisions, the first: {}",
        l.what,
        l.scan.errors,
        l.scan.first_error.as_deref().unwrap_or("")
    );
    assert_eq!(l.scan.records, expected, "{}: records lost", l.what);
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then one small run checks that the benchmark works.
    let benching = std::env::args().any(|a| a == "--bench");
    let env = |k: &str, bench: usize, test: usize| match benching {
        true => std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(bench),
        false => test,
    };
    let requests = env("QAGIDA_BENCH_REQUESTS", 20_000, 300);
    let n = env("QAGIDA_BENCH_LINES", 100_000, 2_000);
    let piece = env("QAGIDA_BENCH_PIECE", 500, 100).max(1);
    let runs = env("QAGIDA_BENCH_RUNS", 3, 1).max(1);
    let levels: Vec<usize> = std::env::var("QAGIDA_BENCH_LEVELS")
        .ok()
        .filter(|_| benching)
        .unwrap_or_else(|| "1,16,64".into())
        .split(',')
        .map(|c| c.trim().parse().expect("QAGIDA_BENCH_LEVELS: numbers"))
        .collect();
    let mut extra: Vec<String> = std::env::var("QAGIDA_BENCH_SERVE_ARGS")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    // The server answers beyond --max-batches (one a core by default) with
    // a 503: let it take as many batches at once as there are connections,
    // to measure what it does with them.
    if !extra.iter().any(|a| a.starts_with("--max-batches")) {
        let most = levels.iter().copied().max().unwrap_or(1).max(2);
        extra.extend(["--max-batches".to_string(), most.to_string()]);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    let text = corpus(n);
    let all = lines(&text);
    // A corpus larger than the server's limit on a batch's body (256 MiB
    // by default, a little over 500,000 lines) is sent whole all the same.
    if !extra.iter().any(|a| a.starts_with("--max-batch-body")) && text.len() > 256 << 20 {
        extra.extend([
            "--max-batch-body".to_string(),
            (text.len() + (1 << 20)).to_string(),
        ]);
    }
    let dir = std::env::temp_dir().join(format!("qagida-bench-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join("corpus.jsonl");
    std::fs::write(&path, &text).expect("the corpus is written");

    // Every request made before the clock starts.
    let decides: Vec<Vec<u8>> = all
        .iter()
        .take(requests)
        .map(|l| decide_request(l))
        .collect();
    let whole = vec![batch_request(&all)];
    let pieces: Vec<Vec<u8>> = all.chunks(piece).map(batch_request).collect();

    let server = Server::start(&extra);
    let idle = server.rss_kib();
    println!(
        "serve: {} ({} cores, client and server on the same cores), `qagida serve {}`, idle RSS {:.1} MiB",
        server.addr,
        cores,
        extra.join(" "),
        idle as f64 / 1024.0
    );
    println!(
        "  decide: {requests} requests a level, one generated application each ({} distinct); batch: {n} generated applications ({:.1} MB of NDJSON), whole and in {} pieces of {piece} lines",
        decides.len(),
        text.len() as f64 / 1e6,
        pieces.len(),
    );
    // Warm-up: connections, the allocator's pages, the branch predictors.
    let warm = load(&server, "warm-up".into(), 2, &decides, requests.min(2_000));
    check(&warm, requests.min(2_000) as u64);
    let warm = load(&server, "warm-up".into(), 2, &pieces, pieces.len().min(4));
    check(&warm, all.iter().take(piece * 4).count() as u64);

    print_header();
    let mut report = Vec::new();
    for &c in &levels {
        let l = load(
            &server,
            format!("decide, {c} connection(s)"),
            c,
            &decides,
            requests,
        );
        check(&l, requests as u64);
        print(&l);
        report.push(l);
    }
    // The whole corpus in one request, alternated with `qagida batch`.
    let mut over_http = Vec::new();
    let mut cli = Vec::new();
    for _ in 0..runs {
        let l = load(
            &server,
            format!("batch, {n} lines in 1 request"),
            1,
            &whole,
            1,
        );
        check(&l, n as u64);
        print(&l);
        over_http.push(l);
        let l = cli_batch(&path, cores);
        check(&l, n as u64);
        print(&l);
        cli.push(l);
    }
    for &c in &levels {
        let l = load(
            &server,
            format!("batch, {piece}-line pieces, {c} connection(s)"),
            c,
            &pieces,
            pieces.len(),
        );
        check(&l, n as u64);
        print(&l);
        report.push(l);
    }
    let peak_all = {
        // The peak of the whole run is gone (reset each level): the largest
        // of the levels'.
        report
            .iter()
            .chain(&over_http)
            .map(|l| l.peak_kib)
            .max()
            .unwrap_or(0)
    };
    let http = median(over_http.iter().map(Level::rate).collect());
    let batch = median(cli.iter().map(Level::rate).collect());
    let best_decide = report
        .iter()
        .filter(|l| l.what.starts_with("decide"))
        .map(Level::rate)
        .fold(0.0, f64::max);
    let best_pieces = report
        .iter()
        .filter(|l| l.what.starts_with("batch"))
        .map(Level::rate)
        .fold(0.0, f64::max);
    let mut outcomes = Scan::default();
    for l in report.iter_mut().chain(&mut over_http) {
        outcomes.merge(std::mem::take(&mut l.scan));
    }
    println!(
        "  medians of {runs}: batch over HTTP {http:.0} decisions/s, qagida batch --jobs {cores} {batch:.0}: ratio {:.3} (target 0.5)",
        http / batch
    );
    println!(
        "  best of the pieces {best_pieces:.0} decisions/s (ratio {:.3}); best of decide {best_decide:.0} decisions/s (ratio {:.3})",
        best_pieces / batch,
        best_decide / batch
    );
    println!(
        "  server memory: idle {:.1} MiB, peak under load {:.1} MiB, at the end {:.1} MiB",
        idle as f64 / 1024.0,
        peak_all as f64 / 1024.0,
        server.rss_kib() as f64 / 1024.0
    );
    println!(
        "  every response 200; outcomes counted: {} ({} records, none an error)",
        outcomes.outcomes(),
        outcomes.records
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
