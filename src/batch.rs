//! Many applications at once: JSONL or CSV in, JSONL out, in input order,
//! over several threads, a chunk at a time so memory stays flat. A line
//! that cannot be read or evaluated becomes an error record; no line is
//! dropped and none stops the batch.

use std::io::{BufRead, Write};
use std::sync::Arc;

use indexmap::IndexMap;

use crate::eval::{self, Options};
use crate::policy::Policy;
use crate::yaml::Data;

/// Lines read and evaluated together before their results are written.
const CHUNK: usize = 1024;

/// Bytes of input read into one chunk at most, so that long lines do not
/// make a chunk take more memory than short ones.
const CHUNK_BYTES: usize = 8 << 20;

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
}

/// How to evaluate a batch.
pub struct Config<'a> {
    pub policy: &'a Policy,
    pub opts: &'a Options,
    /// Threads to evaluate with.
    pub jobs: usize,
    /// How a decision becomes a line of output.
    pub to_json: &'a (dyn Fn(&Policy, &eval::Evaluation) -> serde_json::Value + Sync),
}

/// Evaluates every record of `input`, writing one JSON object a line to
/// `output`: the decision (as `to_json` makes it) with its `line`, or
/// `{"line", "error"}`. `progress` is called after each chunk.
pub fn run(
    cfg: &Config<'_>,
    input: impl BufRead,
    format: InputFormat,
    output: &mut dyn Write,
    progress: &mut dyn FnMut(&Summary),
) -> std::io::Result<Summary> {
    let (policy, opts, jobs, to_json) = (cfg.policy, cfg.opts, cfg.jobs, cfg.to_json);
    let mut summary = Summary::default();
    let mut records = Records::new(input, format);
    loop {
        let mut chunk: Vec<(usize, Result<Raw, String>)> = Vec::new();
        let mut bytes = 0;
        while chunk.len() < CHUNK && bytes < CHUNK_BYTES {
            let Some(r) = records.next() else { break };
            bytes += records.last_len;
            chunk.push(r);
        }
        if chunk.is_empty() {
            break;
        }
        let results = evaluate_chunk(policy, opts, &chunk, jobs.max(1), to_json);
        for (outcome, bytes) in results {
            summary.total += 1;
            match outcome {
                Some(o) => *summary.outcomes.entry(o).or_default() += 1,
                None => summary.errors += 1,
            }
            output.write_all(&bytes)?;
        }
        progress(&summary);
    }
    output.flush()?;
    Ok(summary)
}

/// A record as read: a JSON line still to parse (parsed by the worker
/// that evaluates it), or data already built (a CSV row).
enum Raw {
    Json(String),
    Data(Data),
}

/// One output line: the outcome, if the record was decided, and the line's
/// bytes with its newline.
type Written = (Option<String>, Vec<u8>);

/// Evaluates a chunk over `jobs` threads, each taking a contiguous part
/// and returning its lines serialized, so that only writing is left to the
/// caller; the results are in the chunk's order.
fn evaluate_chunk(
    policy: &Policy,
    opts: &Options,
    chunk: &[(usize, Result<Raw, String>)],
    jobs: usize,
    to_json: &(dyn Fn(&Policy, &eval::Evaluation) -> serde_json::Value + Sync),
) -> Vec<Written> {
    let per = chunk.len().div_ceil(jobs);
    let mut opts = opts.clone();
    opts.no_trace = true;
    let opts = &opts;
    let work = move |part: &[(usize, Result<Raw, String>)]| {
        part.iter()
            .map(|(line, rec)| {
                let (outcome, mut bytes) = match one(policy, opts, *line, rec, to_json) {
                    Ok(v) => {
                        let outcome = v
                            .get("outcome")
                            .and_then(|o| o.as_str())
                            .map(str::to_string);
                        // `{"line":N,` and the decision's own members.
                        let body = serde_json::to_vec(&v).unwrap_or_default();
                        let mut bytes = format!("{{\"line\":{line}").into_bytes();
                        match body.get(1..) {
                            Some(rest) if rest != b"}" => {
                                bytes.push(b',');
                                bytes.extend_from_slice(rest);
                            }
                            _ => bytes.push(b'}'),
                        }
                        (outcome, bytes)
                    }
                    Err(e) => (
                        None,
                        serde_json::to_vec(&serde_json::json!({"line": line, "error": e}))
                            .unwrap_or_default(),
                    ),
                };
                bytes.push(b'\n');
                (outcome, bytes)
            })
            .collect::<Vec<_>>()
    };
    let parts: Vec<&[(usize, Result<Raw, String>)]> = chunk.chunks(per.max(1)).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .iter()
            .map(|&part| s.spawn(move || work(part)))
            .collect();
        handles
            .into_iter()
            .zip(&parts)
            .flat_map(|(h, part)| {
                // A worker that failed still accounts for each of its lines.
                h.join().unwrap_or_else(|_| {
                    part.iter()
                        .map(|(line, _)| {
                            let e = serde_json::json!({"line": line, "error": "internal failure: the evaluation stopped"});
                            (None, format!("{e}\n").into_bytes())
                        })
                        .collect()
                })
            })
            .collect()
    })
}

/// Parses a JSON line straight into the data the schema reader takes.
fn json_line(line: &str) -> Result<Data, String> {
    serde_json::from_str::<Data>(line).map_err(|e| {
        // serde_json counts lines within the line: give the column alone.
        let m = e.to_string();
        let m = m.rsplit_once(" at line ").map_or(m.as_str(), |(m, _)| m);
        let m = m.replace(
            "recursion limit exceeded",
            "the data is nested too deeply (more than 128 levels)",
        );
        format!("not JSON: {m} at column {}", e.column())
    })
}

fn one(
    policy: &Policy,
    opts: &Options,
    line: usize,
    rec: &Result<Raw, String>,
    to_json: &(dyn Fn(&Policy, &eval::Evaluation) -> serde_json::Value + Sync),
) -> Result<serde_json::Value, String> {
    let error = Err;
    let parsed;
    let data = match rec {
        Ok(Raw::Data(d)) => d,
        Ok(Raw::Json(text)) => match json_line(text) {
            Ok(d) => {
                parsed = d;
                &parsed
            }
            Err(e) => return error(e),
        },
        Err(e) => return error(e.clone()),
    };
    let name = format!("line {line}");
    let input = match crate::input::from_data(policy, data, &name) {
        Ok(v) => v,
        Err(d) => {
            return error(
                d.iter()
                    .map(|x| x.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            );
        }
    };
    let at = opts.at.or_else(|| eval::default_date(policy, &input));
    match at {
        Some(at) if !policy.in_force(at) => {
            return error(format!(
                "{at} is outside the period policy `{}` is in force",
                policy.meta.id
            ));
        }
        None => return error("no date to evaluate at: give --at".into()),
        _ => {}
    }
    let Some(at) = at else {
        return error("no date to evaluate at: give --at".into());
    };
    match eval::evaluate_at(policy, &input, opts, at) {
        Ok(r) => Ok(to_json(policy, &r)),
        Err(d) => error(d.message),
    }
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
        reader: csv::Reader<R>,
        headers: Option<Vec<String>>,
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
                reader: csv::ReaderBuilder::new().flexible(true).from_reader(input),
                headers: None,
                failed: false,
            },
        };
        Records { inner, last_len: 0 }
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
        let (part, done) = match avail.iter().position(|&b| b == b'\n') {
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

impl<R: BufRead> Iterator for Records<R> {
    type Item = (usize, Result<Raw, String>);

    fn next(&mut self) -> Option<Self::Item> {
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
                return Some((*n, Ok(Raw::Json(line.to_string()))));
            },
            RecordsInner::Csv {
                reader,
                headers,
                failed,
            } => {
                if *failed {
                    return None;
                }
                if headers.is_none() {
                    match reader.headers() {
                        Ok(h) => *headers = Some(h.iter().map(|s| s.trim().to_string()).collect()),
                        Err(e) => {
                            *failed = true;
                            return Some((1, Err(format!("the CSV header cannot be read: {e}"))));
                        }
                    }
                }
                let mut rec = csv::StringRecord::new();
                match reader.read_record(&mut rec) {
                    Ok(false) => None,
                    Ok(true) => {
                        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
                        self.last_len = rec.as_slice().len();
                        let hs = headers.as_deref().unwrap_or(&[]);
                        Some((line, Ok(Raw::Data(csv_record(hs, &rec)))))
                    }
                    Err(e) => {
                        let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                        // A failing read would fail again: it ends the batch.
                        *failed = e.is_io_error();
                        Some((line, Err(format!("the CSV record cannot be read: {e}"))))
                    }
                }
            }
        }
    }
}

/// A CSV record as data: each column's header is a dotted path
/// (`education.higher_in_specialty`); a cell is read as a YAML scalar
/// (`true`, `6`, `2021-03-15`), a cell starting with `[` as a YAML list;
/// an empty cell is absent.
fn csv_record(headers: &[String], rec: &csv::StringRecord) -> Data {
    let mut root = crate::yaml::Mapping::new();
    for (h, cell) in headers.iter().zip(rec.iter()) {
        let cell = cell.trim();
        if cell.is_empty() || h.is_empty() {
            continue;
        }
        let value = crate::yaml::value(cell).unwrap_or_else(|_| Data::String(cell.to_string()));
        let value = match value {
            Data::Mapping(_) => Data::String(cell.to_string()),
            v => v,
        };
        let parts: Vec<&str> = h.split('.').collect();
        insert(&mut root, &parts, value);
    }
    Data::Mapping(root)
}

fn insert(m: &mut crate::yaml::Mapping, path: &[&str], value: Data) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let key = Data::String((*first).to_string());
    if rest.is_empty() {
        m.insert(key, value);
        return;
    }
    let entry = m
        .entry(key)
        .or_insert_with(|| Data::Mapping(crate::yaml::Mapping::new()));
    if let Data::Mapping(inner) = entry {
        insert(inner, rest, value);
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
