//! Many applications at once: JSONL or CSV in, JSONL out, in input order,
//! over several threads, a chunk at a time so memory stays flat. A line
//! that cannot be read or evaluated becomes an error record; no line is
//! dropped and none stops the batch.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, mpsc};

use indexmap::IndexMap;

use crate::engine::eval;
use crate::engine::{Application, Plan, Prepared};
use crate::policy::Policy;

mod sheet;

/// Bytes a batch's input and output are buffered by: a decision is about
/// 1.4 kB of JSON, so a small buffer makes a system call every few lines.
pub const IO_BUFFER: usize = 1 << 20;

/// Bytes a batch's output is buffered by: less than a part's output (some
/// 360 kB of decisions), so that a part goes to the file in one write
/// without being copied into the buffer first, and more than a part of
/// short error records, which are gathered into fewer writes.
pub const OUTPUT_BUFFER: usize = 64 << 10;

/// Lines one worker evaluates together.
const PART: usize = 256;

/// Bytes of input in one part at most, so that long lines do not make a
/// part take more memory than short ones.
const PART_BYTES: usize = 2 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Jsonl,
    Csv,
}

/// Counts per outcome, and errors.
#[derive(Debug, Default)]
pub struct Summary {
    pub total: usize,
    pub outcomes: IndexMap<String, usize>,
    pub errors: usize,
    /// Whether the batch stopped before the end of its input, when asked
    /// to (see [`Config::stop`]).
    pub interrupted: bool,
}

/// How to evaluate a batch.
pub struct Config<'a> {
    /// The plan and the request's parameters and date rule. Its trace
    /// setting is ignored: a batch's records do not show a trace.
    pub prepared: &'a Prepared<'a>,
    /// Threads to evaluate with.
    pub jobs: usize,
    /// Whether each worker takes its own plan of the policy
    /// ([`Plan::for_thread`]) rather than sharing `prepared`'s. Workers
    /// that share a plan share the reference counts of the values it hands
    /// out, and every value copied then moves a cache line between cores:
    /// measured at up to a quarter of a batch's time on a 2-core machine.
    /// A plan's program takes memory (a few MiB for a policy with a large
    /// catalogue), so at most [`MAX_COPIES`] are made, and beyond that many
    /// workers they are shared in turn.
    pub own_plans: bool,
    /// Set (by a signal's handler, say) to stop reading: the records
    /// already begun are finished and written whole, and the batch ends
    /// with [`Summary::interrupted`].
    pub stop: Option<&'a std::sync::atomic::AtomicBool>,
}

/// The most plans a batch makes for its workers (see [`Config::own_plans`]).
pub const MAX_COPIES: usize = 8;

/// How many plans of their own `jobs` workers take (see
/// [`Config::own_plans`]): none for one worker, who has the first.
pub fn copies(jobs: usize, own_plans: bool) -> usize {
    match own_plans && jobs > 1 {
        true => jobs.min(MAX_COPIES),
        false => 0,
    }
}

/// Plans of their own for the workers, compiled in parallel.
fn own_copies(cfg: &Config<'_>, jobs: usize) -> Vec<Plan> {
    let plan = cfg.prepared.plan();
    std::thread::scope(|s| {
        let made: Vec<_> = (0..copies(jobs, cfg.own_plans))
            .map(|_| s.spawn(|| plan.for_thread()))
            .collect();
        made.into_iter().filter_map(|m| m.join().ok()).collect()
    })
}

/// Records read together: each with its line number, JSON lines and CSV
/// records as ranges of one text (one allocation a part, not one a line).
#[derive(Default)]
struct Part {
    text: String,
    records: Vec<(usize, Result<Raw, String>)>,
    /// A CSV input's column names, for the workers to read its records.
    header: Option<Arc<Vec<String>>>,
}

/// A part's output: its lines, and how many of its records had each
/// outcome (in the order the outcomes first came) and how many were
/// errors. Counted by the worker, so that the thread that writes neither
/// hashes nor frees an outcome's text a record.
struct Done {
    bytes: Vec<u8>,
    outcomes: Vec<(String, usize)>,
    errors: usize,
}

/// Evaluates every record of `input`, writing one JSON object a line to
/// `output`: the decision (its [`crate::engine::contract`]) with its `line`, or
/// `{"line", "error"}`. `progress` is called after each part written.
///
/// The calling thread reads parts of the input and writes their results in
/// order; `jobs` worker threads, started once, evaluate them. At most a
/// few parts a worker are in flight, so memory stays flat whatever the
/// input's size.
pub fn run(
    cfg: &Config<'_>,
    input: impl BufRead,
    format: InputFormat,
    output: &mut dyn Write,
    progress: &mut dyn FnMut(&Summary),
) -> std::io::Result<Summary> {
    let jobs = cfg.jobs.max(1);
    let mut summary = Summary::default();
    let mut records = Records::new(input, format);
    let window = 2 * jobs + 2;
    let (work_tx, work_rx) = mpsc::channel::<(usize, Part)>();
    let work_rx = Mutex::new(work_rx);
    // A part comes back with its result, to be read into again: memory
    // freed on one thread and asked for anew on another can be new pages,
    // which the kernel zeroes (in one profile, a tenth of the samples).
    // Both pools hold at most a window of parts.
    let (done_tx, done_rx) = mpsc::channel::<(usize, Done, Part)>();
    // So does a part's output, once written.
    let spent: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    let main = cfg.prepared.untraced();
    let copies = own_copies(cfg, jobs);
    // Each copy prepared as the batch's request is; a copy whose request
    // does not prepare (it cannot: the same policy took it) is not used.
    let prepared: Vec<Option<Prepared<'_>>> = copies.iter().map(|p| main.again(p).ok()).collect();
    std::thread::scope(|s| {
        // Moved in, so that leaving the scope, even early, ends the workers.
        let (work_tx, done_rx) = (work_tx, done_rx);
        for i in 0..jobs {
            let (work_rx, done_tx, spent) = (&work_rx, done_tx.clone(), &spent);
            // The worker's own plan (or one it shares with a few others),
            // if there are copies; else the shared one.
            let prepared = match prepared.get(i % prepared.len().max(1)) {
                Some(Some(p)) => p,
                _ => &main,
            };
            s.spawn(move || {
                let mut dates = Dates::default();
                let mut cells = sheet::CellReader::default();
                loop {
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((seq, part)) = next else { break };
                    let bytes = spent
                        .lock()
                        .ok()
                        .and_then(|mut s| s.pop())
                        .unwrap_or_default();
                    let out = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        evaluate_part(prepared, &part, &mut dates, &mut cells, bytes)
                    }))
                    // A part that failed still accounts for each of its lines.
                    .unwrap_or_else(|_| failed(&part));
                    if done_tx.send((seq, out, part)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let (mut sent, mut written) = (0usize, 0usize);
        let mut ready: BTreeMap<usize, Done> = BTreeMap::new();
        let mut spare: Vec<Part> = Vec::new();
        let mut end = false;
        loop {
            while !end && sent - written < window {
                if cfg
                    .stop
                    .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
                {
                    end = true;
                    summary.interrupted = true;
                    break;
                }
                let part = read_part(&mut records, spare.pop());
                if part.records.is_empty() {
                    end = true;
                    break;
                }
                if work_tx.send((sent, part)).is_err() {
                    return Err(stopped());
                }
                sent += 1;
            }
            if written == sent {
                break;
            }
            let out = loop {
                if let Some(out) = ready.remove(&written) {
                    break out;
                }
                let (seq, out, part) = done_rx.recv().map_err(|_| stopped())?;
                ready.insert(seq, out);
                spare.push(part);
            };
            written += 1;
            for (outcome, n) in out.outcomes {
                summary.total += n;
                *summary.outcomes.entry(outcome).or_default() += n;
            }
            summary.total += out.errors;
            summary.errors += out.errors;
            output.write_all(&out.bytes)?;
            if let Ok(mut s) = spent.lock() {
                s.push(out.bytes);
            }
            progress(&summary);
        }
        drop(work_tx);
        Ok(())
    })?;
    output.flush()?;
    Ok(summary)
}

fn stopped() -> std::io::Error {
    std::io::Error::other("the evaluating threads stopped")
}

/// The next part of the input: up to `PART` records or `PART_BYTES`
/// bytes, read into `reuse` if given; empty at the end.
fn read_part<R: BufRead>(records: &mut Records<R>, reuse: Option<Part>) -> Part {
    let mut part = match reuse {
        Some(mut part) => {
            part.text.clear();
            part.records.clear();
            part
        }
        None => Part {
            text: String::with_capacity(PART * 512),
            records: Vec::with_capacity(PART),
            header: None,
        },
    };
    let mut bytes = 0;
    while part.records.len() < PART && bytes < PART_BYTES {
        let Some(r) = records.next_into(&mut part.text) else {
            break;
        };
        bytes += records.last_len;
        part.records.push(r);
    }
    part.header = records.header();
    part
}

/// A record as read, still to parse (by the worker that evaluates it): a
/// JSON line or a CSV record, as a range of its part's text.
enum Raw {
    Json(std::ops::Range<usize>),
    Csv(std::ops::Range<usize>),
}

/// An error record for each line of a part whose evaluation failed.
fn failed(part: &Part) -> Done {
    let mut bytes = Vec::new();
    for (line, _) in &part.records {
        let e =
            serde_json::json!({"line": line, "error": "internal failure: the evaluation stopped"});
        bytes.extend_from_slice(format!("{e}\n").as_bytes());
    }
    Done {
        bytes,
        outcomes: Vec::new(),
        errors: part.records.len(),
    }
}

/// Evaluates a part, returning its lines serialized, in order.
fn evaluate_part(
    prepared: &Prepared<'_>,
    part: &Part,
    dates: &mut Dates,
    cells: &mut sheet::CellReader,
    mut bytes: Vec<u8>,
) -> Done {
    bytes.clear();
    bytes.reserve(part.records.len() * 1536);
    let mut outcomes: Vec<(String, usize)> = Vec::new();
    let mut errors = 0;
    for (line, rec) in &part.records {
        {
            // `{"line":N,` and the decision's own members.
            bytes.extend_from_slice(b"{\"line\":");
            crate::engine::contract::integer(&mut bytes, *line);
            match one(prepared, *line, rec, part, dates, cells) {
                Ok(r) => {
                    bytes.push(b',');
                    crate::engine::contract::write_members(prepared.plan(), &r, &mut bytes);
                    // A part has a few outcomes: looked for in order.
                    match outcomes.iter_mut().find(|(o, _)| *o == r.outcome) {
                        Some((_, n)) => *n += 1,
                        None => outcomes.push((r.outcome, 1)),
                    }
                }
                Err(e) => {
                    bytes.extend_from_slice(b",\"error\":");
                    let _ = serde_json::to_writer(&mut bytes, &e);
                    errors += 1;
                }
            }
            bytes.extend_from_slice(b"}\n");
        }
    }
    Done {
        bytes,
        outcomes,
        errors,
    }
}

/// What evaluations at each date share ([`eval::Dated`]), kept by a worker
/// for the dates it has met: applications of a batch fall on a few
/// hundred dates. At most `MAX` are kept, so memory stays flat.
#[derive(Default)]
struct Dates(
    std::collections::HashMap<chrono::NaiveDate, eval::Dated, foldhash::fast::RandomState>,
);

impl Dates {
    const MAX: usize = 4096;

    fn at(&mut self, prepared: &Prepared<'_>, at: chrono::NaiveDate) -> &eval::Dated {
        if self.0.len() >= Self::MAX && !self.0.contains_key(&at) {
            self.0.clear();
        }
        self.0.entry(at).or_insert_with(|| prepared.dated(at))
    }
}

/// Decides one record: a JSON line through [`Application::Line`], which
/// reads it straight into the schema when it can, a CSV record as data
/// read from its cells.
fn one(
    prepared: &Prepared<'_>,
    line: usize,
    rec: &Result<Raw, String>,
    part: &Part,
    dates: &mut Dates,
    cells: &mut sheet::CellReader,
) -> Result<eval::Evaluation, String> {
    let input = match rec {
        Ok(Raw::Json(r)) => prepared.read(Application::Line {
            text: &part.text[r.clone()],
            line,
        }),
        Ok(Raw::Csv(r)) => {
            let header = part.header.as_deref().map_or(&[][..], Vec::as_slice);
            let text = &part.text[r.clone()];
            let data = sheet::record(cells, header, text).map_err(|e| e.to_string())?;
            prepared.read(Application::Data {
                data: &data,
                name: &format!("line {line}"),
            })
        }
        Err(e) => return Err(e.clone()),
    }
    .map_err(|e| e.to_string())?;
    let at = prepared.date(&input).map_err(|e| e.to_string())?;
    prepared
        .decide_dated(&input, dates.at(prepared, at))
        .map_err(|e| e.to_string())
}

/// One record of an input [`fold`] hands its workers: its line number,
/// its text as read (a JSON line, or a CSV record without its header),
/// and a way to decide it.
pub struct Record<'a> {
    line: usize,
    rec: &'a Result<Raw, String>,
    part: &'a Part,
}

impl Record<'_> {
    /// The line the record is on (for CSV, the line it starts on).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The record's text as read, or `None` when it could not be read
    /// (not UTF-8, too long).
    pub fn text(&self) -> Option<&str> {
        match self.rec {
            Ok(Raw::Json(r)) | Ok(Raw::Csv(r)) => self.part.text.get(r.clone()),
            Err(_) => None,
        }
    }

    /// A CSV input's column names, for a record of a CSV input.
    pub fn header(&self) -> Option<&[String]> {
        self.part.header.as_deref().map(Vec::as_slice)
    }
}

/// Decides records of a [`fold`] under one prepared request, keeping what
/// decisions at each date share, as a batch's worker does: a worker that
/// decides each record under two requests keeps one of these for each.
pub struct Decider<'a, 'p> {
    prepared: &'a Prepared<'p>,
    dates: Dates,
    cells: sheet::CellReader,
}

impl<'a, 'p> Decider<'a, 'p> {
    /// A decider for `prepared`, which should be untraced
    /// ([`Prepared::untraced`]) for speed.
    pub fn new(prepared: &'a Prepared<'p>) -> Decider<'a, 'p> {
        Decider {
            prepared,
            dates: Dates::default(),
            cells: sheet::CellReader::default(),
        }
    }

    pub fn prepared(&self) -> &'a Prepared<'p> {
        self.prepared
    }

    /// Reads, dates and decides the record, as `batch` does; the error
    /// as a batch's error record says it.
    pub fn decide(&mut self, r: &Record<'_>) -> Result<eval::Evaluation, String> {
        one(
            self.prepared,
            r.line,
            r.rec,
            r.part,
            &mut self.dates,
            &mut self.cells,
        )
    }
}

/// What a [`fold`] read.
#[derive(Debug, Default, Clone, Copy)]
pub struct Folded {
    /// The records read (blank lines are not records).
    pub total: usize,
    /// Whether the fold stopped before the end of its input, when asked
    /// to (see `stop`).
    pub interrupted: bool,
}

/// Reads `input` in parts, as [`run`] does, and hands each record to one
/// of `jobs` worker threads, which folds it into a state of its own:
/// `start(i)` makes worker `i`'s state (on its thread), `each` folds a
/// record into it, and `end` turns it into what the worker hands back.
/// Nothing is written and nothing kept per record, so memory stays flat
/// whatever the input's size: a few parts a worker are in flight.
///
/// A worker takes parts in input order, so each sees its records in
/// increasing line order; which worker gets which part is not fixed, so a
/// result that must not depend on `jobs` should merge the workers'
/// results in a way that does not depend on it (counts, the records of
/// the smallest lines). A part whose folding panics is passed over after
/// the records folded before the panic; `each` should catch its own.
pub fn fold<S, A: Send>(
    jobs: usize,
    input: impl BufRead,
    format: InputFormat,
    stop: Option<&std::sync::atomic::AtomicBool>,
    start: impl Fn(usize) -> S + Sync,
    each: impl Fn(&mut S, &Record<'_>) + Sync,
    end: impl Fn(S) -> A + Sync,
) -> std::io::Result<(Vec<A>, Folded)> {
    let jobs = jobs.max(1);
    let mut folded = Folded::default();
    let mut records = Records::new(input, format);
    let window = 2 * jobs + 2;
    let (work_tx, work_rx) = mpsc::channel::<Part>();
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<Part>();
    let results = std::thread::scope(|s| {
        let (start, each, end) = (&start, &each, &end);
        let mut workers = Vec::with_capacity(jobs);
        for i in 0..jobs {
            let (work_rx, done_tx) = (&work_rx, done_tx.clone());
            workers.push(s.spawn(move || {
                let mut state = start(i);
                loop {
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok(part) = next else { break };
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        for (line, rec) in &part.records {
                            let r = Record {
                                line: *line,
                                rec,
                                part: &part,
                            };
                            each(&mut state, &r);
                        }
                    }));
                    if done_tx.send(part).is_err() {
                        break;
                    }
                }
                end(state)
            }));
        }
        drop(done_tx);
        let (mut sent, mut back) = (0usize, 0usize);
        let mut spare: Vec<Part> = Vec::new();
        loop {
            if sent - back >= window {
                match done_rx.recv() {
                    Ok(p) => {
                        back += 1;
                        spare.push(p);
                    }
                    Err(_) => break,
                }
                continue;
            }
            if stop.is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed)) {
                folded.interrupted = true;
                break;
            }
            let part = read_part(&mut records, spare.pop());
            if part.records.is_empty() {
                break;
            }
            folded.total += part.records.len();
            if work_tx.send(part).is_err() {
                break;
            }
            sent += 1;
        }
        drop(work_tx);
        workers
            .into_iter()
            .map(|w| w.join().map_err(|_| stopped()))
            .collect::<std::io::Result<Vec<A>>>()
    })?;
    Ok((results, folded))
}

/// The records of the input, each with its line number (for CSV, the line
/// the record starts on).
struct Records<R: BufRead> {
    inner: RecordsInner<R>,
    /// The bytes of the last record read.
    last_len: usize,
}

enum RecordsInner<R: BufRead> {
    Jsonl {
        input: R,
        n: usize,
        buf: Vec<u8>,
        failed: bool,
    },
    Csv {
        input: R,
        splitter: sheet::Splitter,
        buf: Vec<u8>,
        header: Option<Arc<Vec<String>>>,
        failed: bool,
    },
}

impl<R: BufRead> Records<R> {
    fn new(input: R, format: InputFormat) -> Records<R> {
        let inner = match format {
            InputFormat::Jsonl => RecordsInner::Jsonl {
                input,
                n: 0,
                buf: Vec::new(),
                failed: false,
            },
            InputFormat::Csv => RecordsInner::Csv {
                input,
                splitter: sheet::Splitter::default(),
                buf: Vec::new(),
                header: None,
                failed: false,
            },
        };
        Records { inner, last_len: 0 }
    }

    /// A CSV input's column names, once read.
    fn header(&self) -> Option<Arc<Vec<String>>> {
        match &self.inner {
            RecordsInner::Csv { header, .. } => header.clone(),
            RecordsInner::Jsonl { .. } => None,
        }
    }
}

/// The longest line read whole; longer ones are an error record.
pub const MAX_LINE: usize = 1 << 20;

/// Reads one line into `buf` (without its line break), keeping at most
/// `MAX_LINE + 1` bytes of it so that memory stays bounded whatever the
/// line's length. Returns the line's full length, or `None` at the end.
fn read_line(input: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0;
    loop {
        let avail = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok((total > 0).then_some(total));
        }
        let (part, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], Some(i + 1)),
            None => (avail, None),
        };
        let room = (MAX_LINE + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&part[..part.len().min(room)]);
        total += part.len();
        let used = done.unwrap_or(avail.len());
        input.consume(used);
        if done.is_some() {
            if buf.last() == Some(&b'\r') && total <= MAX_LINE {
                buf.pop();
            }
            return Ok(Some(total));
        }
    }
}

/// A line's bytes as text, or where the first byte that is not UTF-8 is.
fn line_text(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let col = String::from_utf8_lossy(&bytes[..at]).chars().count() + 1;
        format!(
            "the line is not UTF-8 text: the byte 0x{:02X} at column {col} is not part of a UTF-8 character",
            bytes[at]
        )
    })
}

impl<R: BufRead> Records<R> {
    /// The next record with its line number; a JSON line's text is added
    /// to `text`, and the record is its range there.
    fn next_into(&mut self, text: &mut String) -> Option<(usize, Result<Raw, String>)> {
        match &mut self.inner {
            RecordsInner::Jsonl {
                input,
                n,
                buf,
                failed,
            } => loop {
                if *failed {
                    return None;
                }
                *n += 1;
                let len = match read_line(input, buf) {
                    Ok(Some(len)) => len,
                    Ok(None) => return None,
                    Err(e) => {
                        // An input that fails to read ends the batch here.
                        self.last_len = 0;
                        *failed = true;
                        return Some((*n, Err(format!("the line cannot be read: {e}"))));
                    }
                };
                // A byte-order mark before the first line is not its text.
                let len = match *n == 1 && buf.starts_with(sheet::BOM) {
                    true => {
                        buf.drain(..sheet::BOM.len());
                        len - sheet::BOM.len()
                    }
                    false => len,
                };
                self.last_len = len.min(MAX_LINE);
                if len > MAX_LINE {
                    return Some((
                        *n,
                        Err(format!(
                            "the line is {len} bytes long, longer than the {MAX_LINE} bytes a line may have"
                        )),
                    ));
                }
                let line = match line_text(buf) {
                    Ok(l) => l,
                    Err(e) => return Some((*n, Err(e))),
                };
                if line.trim().is_empty() {
                    continue;
                }
                // Parsed by the worker that evaluates it.
                let start = text.len();
                text.push_str(line);
                return Some((*n, Ok(Raw::Json(start..text.len()))));
            },
            RecordsInner::Csv {
                input,
                splitter,
                buf,
                header,
                failed,
            } => {
                if *failed {
                    return None;
                }
                // A failing read would fail again: it ends the batch.
                let unreadable =
                    |e: std::io::Error, what: &str| format!("the CSV {what} cannot be read: {e}");
                if header.is_none() {
                    match splitter.next(input, buf) {
                        Ok(None) => return None,
                        Ok(Some(split)) => match sheet::header(&split, buf) {
                            Ok(names) => *header = Some(Arc::new(names)),
                            Err(e) => {
                                // A header that cannot be used ends the
                                // batch: every record would be read wrong.
                                *failed = true;
                                self.last_len = 0;
                                return Some((split.line, Err(e.to_string())));
                            }
                        },
                        Err(e) => {
                            *failed = true;
                            self.last_len = 0;
                            return Some((splitter.line(), Err(unreadable(e, "header"))));
                        }
                    }
                }
                match splitter.next(input, buf) {
                    Ok(None) => None,
                    Ok(Some(split)) => {
                        self.last_len = split.len.min(MAX_LINE);
                        match sheet::text(&split, buf) {
                            Ok(t) => {
                                // Read into cells by the worker that
                                // evaluates it.
                                let start = text.len();
                                text.push_str(t);
                                Some((split.line, Ok(Raw::Csv(start..text.len()))))
                            }
                            Err(e) => Some((split.line, Err(e.to_string()))),
                        }
                    }
                    Err(e) => {
                        *failed = true;
                        self.last_len = 0;
                        Some((splitter.line(), Err(unreadable(e, "record"))))
                    }
                }
            }
        }
    }
}

/// Shared so that threads can hold the policy.
pub type SharedPolicy = Arc<Policy>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_measured_but_not_kept() {
        let text = format!("{}\r\nab\r\n\nlast", "x".repeat(3 * MAX_LINE));
        let mut input = std::io::BufReader::with_capacity(4096, text.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut input, &mut buf).unwrap(),
            Some(3 * MAX_LINE + 1)
        );
        assert!(buf.capacity() <= 2 * (MAX_LINE + 1), "{}", buf.capacity());
        assert_eq!(read_line(&mut input, &mut buf).unwrap(), Some(3));
        assert_eq!(buf, b"ab");
        assert_eq!(read_line(&mut input, &mut buf).unwrap(), Some(0));
        assert_eq!(buf, b"");
        assert_eq!(read_line(&mut input, &mut buf).unwrap(), Some(4));
        assert_eq!(buf, b"last");
        assert_eq!(read_line(&mut input, &mut buf).unwrap(), None);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        assert_eq!(
            line_text(b"{\"a\": \"\xc3\xa9\xff\"}").unwrap_err(),
            "the line is not UTF-8 text: the byte 0xFF at column 9 is not part of a UTF-8 character"
        );
    }
}
