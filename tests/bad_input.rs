//! The corpus of bad input under tests/bad-input, and larger bad inputs
//! made here: as applications (`eval`, `batch`) and as policy files
//! (`check`). Each gives its documented exit status and a message that
//! names the file (and the line and column where there is one), never a
//! panic, within a deadline; the messages are snapshots to review.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

const APPS: &str = "tests/bad-input/applications";
const POLICIES: &str = "tests/bad-input/policies";
const BATCH: &str = "tests/bad-input/batch";
const MIXED: &str = "tests/bad-input/batch/mixed.jsonl";

/// The longest any one run may take (debug build, a loaded machine).
const DEADLINE: Duration = Duration::from_secs(60);

/// Runs the binary with `args` and `stdin`, killing it at the deadline.
fn run(args: &[&str], stdin: Option<Vec<u8>>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qagida"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let feeder = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().expect("stdin");
        // The program may stop reading early; a broken pipe is its answer.
        std::thread::spawn(move || drop(pipe.write_all(&bytes)))
    });
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("waits") {
            break s;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`qagida {}` did not finish in {DEADLINE:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    Output {
        status,
        stdout: out.join().expect("stdout read"),
        stderr: err.join().expect("stderr read"),
    }
}

/// The exit status, after checking that nothing panicked or was killed.
fn status(o: &Output, what: &str) -> i32 {
    let err = stderr(o);
    let code = o
        .status
        .code()
        .unwrap_or_else(|| panic!("{what}: killed by a signal ({:?})\n{err}", o.status));
    assert_ne!(code, 101, "{what} panicked:\n{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{what} panicked:\n{err}"
    );
    code
}

/// Checks one run against its expected status and message parts, and
/// snapshots its standard error.
fn expect(name: &str, o: &Output, code: i32, parts: &[&str]) {
    let err = stderr(o);
    // No control character but the line break and a source line's tab
    // reaches the terminal.
    assert!(
        !err.chars()
            .any(|c| c != '\n' && c != '\t' && qagida::core::text::is_hidden(c)),
        "{name}: a control character written raw:\n{err:?}"
    );
    assert_eq!(status(o, name), code, "{name}:\n{err}");
    for p in parts {
        assert!(err.contains(p), "{name}: `{p}` not in:\n{err}");
    }
    assert!(err.starts_with("error["), "{name}: no error first:\n{err}");
    assert_snapshot!(name.to_string(), err);
}

fn eval(file: &str) -> Output {
    run(&["eval", "--param", "threshold=6", file], None)
}

fn eval_stdin(text: impl Into<Vec<u8>>) -> Output {
    run(&["eval", "--param", "threshold=6", "-"], Some(text.into()))
}

fn check(path: &str) -> Output {
    run(&["check", path], None)
}

/// A fresh folder for a test's files, under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qagida-bad-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Standard error with a scratch folder's path replaced by `[dir]`.
fn redact(o: &Output, dir: &Path) -> Output {
    let err = stderr(o).replace(&dir.display().to_string(), "[dir]");
    Output {
        status: o.status,
        stdout: o.stdout.clone(),
        stderr: err.into_bytes(),
    }
}

fn lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

// ---------------------------------------------------------------- eval

/// Each application of the corpus: its exit status and what its message
/// must say, starting with where.
const APP_CASES: &[(&str, i32, &[&str])] = &[
    (
        "unclosed-bracket.yaml",
        4,
        &[
            "unclosed-bracket.yaml:4:20",
            "did not find expected ',' or ']'",
        ],
    ),
    (
        "unclosed-brace.json",
        4,
        &[
            "unclosed-brace.json:3:1",
            "did not find expected ',' or '}'",
        ],
    ),
    (
        "bad-indentation.yaml",
        4,
        &[
            "bad-indentation.yaml:5:3",
            "a key or an indentation is wrong",
        ],
    ),
    (
        "tab-indentation.yaml",
        4,
        &["tab-indentation.yaml:4:1", "a tab indents this line"],
    ),
    (
        "alias-bomb.yaml",
        4,
        &[
            "--> tests/bad-input/applications/alias-bomb.yaml",
            "aliases",
        ],
    ),
    (
        "huge-int.yaml",
        4,
        &[
            "huge-int.yaml:7:22",
            "the number `99999999999999999999` is too large",
        ],
    ),
    (
        "huge-float.yaml",
        5,
        &[
            "huge-float.yaml:7:22",
            "`1e400` is too large for an integer",
        ],
    ),
    (
        "long-digits.yaml",
        5,
        &["long-digits.yaml:7:22", "(5000 characters) is too large"],
    ),
    (
        "impossible-date.yaml",
        5,
        &[
            "impossible-date.yaml:17:12",
            "`2021-02-30` is not a date of the calendar",
        ],
    ),
    (
        "month-13.yaml",
        5,
        &[
            "month-13.yaml:17:12",
            "`2021-13-01` is not a date of the calendar",
        ],
    ),
    (
        "impossible-datetime.yaml",
        5,
        &[
            "impossible-datetime.yaml:2:15",
            "`submitted_at`: `2021-02-30` is not a date",
        ],
    ),
    (
        "string-for-int.yaml",
        5,
        &[
            "string-for-int.yaml:7:22",
            "expected an integer, found the string `seven`",
        ],
    ),
    (
        "list-for-mapping.yaml",
        5,
        &[
            "list-for-mapping.yaml:12:26",
            "`experience_in_specialty` must be a mapping of fields, found a list",
        ],
    ),
    (
        "mapping-for-list.yaml",
        5,
        &[
            "mapping-for-list.yaml:13:12",
            "expected a list of",
            "found a mapping",
        ],
    ),
    (
        "unknown-key.yaml",
        5,
        &[
            "unknown-key.yaml:6:3",
            "unknown field `applicant.nickname`",
            "unknown-key.yaml:9:1",
            "did you mean `qualification_level`?",
        ],
    ),
    (
        "empty.yaml",
        5,
        &[
            "--> tests/bad-input/applications/empty.yaml",
            "the application is empty",
        ],
    ),
    (
        "comments-only.yaml",
        5,
        &["comments-only.yaml", "the application is empty"],
    ),
    (
        "random-bytes.bin",
        4,
        &["random-bytes.bin:1:3", "not UTF-8 text"],
    ),
    (
        "nul-bytes.yaml",
        4,
        &[
            "nul-bytes.yaml:2:31",
            "control characters are not allowed",
            "␀",
        ],
    ),
    (
        "invalid-utf8.yaml",
        4,
        &[
            "invalid-utf8.yaml:4:16",
            "the byte 0xE1 is not part of a UTF-8 character",
        ],
    ),
    // At the second occurrence, naming the first.
    (
        "duplicate-key.yaml",
        4,
        &[
            "duplicate-key.yaml:12:3",
            "education: the key `higher_in_specialty` is written twice in this mapping (first at line 9)",
        ],
    ),
    // chrono reads `:60` as a leap second; refused as `24:00` is.
    (
        "leap-second.yaml",
        5,
        &[
            "leap-second.yaml:2:15",
            "`submitted_at`: `23:59:60` is not a time of day: seconds run from 00 to 59, and a leap second is not counted",
        ],
    ),
    // Control characters in an enumeration's value, an entry's name, a
    // key, a list's member: escaped in each message, never raw.
    (
        "control-characters.yaml",
        5,
        &[
            "control-characters.yaml:3:10",
            "`service`: `iss\\u{1b}ue` is not one of",
            "`Онколог\\u{1b}[2J дәрігер` is not the id or official name",
            "unknown field `nick\\u{0}name\\u{1b}]0;title\\u{7}`",
            "`identity\\u{202e}document` is not one of",
        ],
    ),
    (
        "year-zero.yaml",
        5,
        &[
            "year-zero.yaml:17:12",
            "`issued_on`: `0000-03-22` is outside the years 0001 to 9999 that a date may have",
        ],
    ),
];

/// Every file of a corpus folder but `except` (tested on its own) is one of
/// the `cases`, and every case has its file.
fn every_file_has_a_case<'a>(dir: &str, except: &str, cases: impl Iterator<Item = &'a str>) {
    let mut seen: Vec<String> = std::fs::read_dir(dir)
        .expect("corpus")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != except)
        .collect();
    seen.sort();
    let mut listed: Vec<String> = cases.map(str::to_string).collect();
    listed.sort();
    assert_eq!(seen, listed, "every file of the corpus has its case");
}

#[test]
fn bad_applications_are_diagnosed() {
    every_file_has_a_case(APPS, "negative-years.yaml", APP_CASES.iter().map(|c| c.0));
    for (file, code, parts) in APP_CASES {
        let o = eval(&format!("{APPS}/{file}"));
        expect(&format!("eval@{file}"), &o, *code, parts);
    }
}

#[test]
fn json_diagnostics_locate_bad_bytes() {
    let o = run(
        &[
            "--error-format",
            "json",
            "eval",
            &format!("{APPS}/invalid-utf8.yaml"),
        ],
        None,
    );
    assert_eq!(status(&o, "json"), 4);
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).expect("JSON diagnostics");
    assert_eq!(v[0]["code"], "encoding");
    assert_eq!(
        v[0]["file"],
        "tests/bad-input/applications/invalid-utf8.yaml"
    );
    assert_eq!(
        (v[0]["line"].as_u64(), v[0]["column"].as_u64()),
        (Some(4), Some(16))
    );
}

#[test]
fn negative_experience_is_read_as_the_schema_allows() {
    // `years` is an `int` with no lower bound: the application is valid and
    // earns no points for experience.
    let o = run(
        &[
            "eval",
            "--param",
            "threshold=6",
            "--format",
            "json",
            &format!("{APPS}/negative-years.yaml"),
        ],
        None,
    );
    assert_eq!(status(&o, "negative years"), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["values"]["experience_months"], -30);
    assert_eq!(v["values"]["experience_points"], 0);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let n = 10_000;
    let cases = [
        (
            "deep-brackets",
            format!("x: {}{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "deep-braces",
            format!("x: {}1{}\n", "{a: ".repeat(n), "}".repeat(n)),
        ),
        // As JSON, an unclosed one.
        ("deep-json", format!("{{\"x\": {}", "[".repeat(n))),
        // Block mappings, one level an indentation step deeper (1,000:
        // 10,000 would be 50 MB of spaces).
        (
            "deep-block",
            (0..1000)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect(),
        ),
    ];
    for (name, text) in cases {
        let o = eval_stdin(text);
        expect(
            &format!("eval@{name}"),
            &o,
            4,
            &["<stdin>:", "nested too deeply"],
        );
    }
}

// ---------------------------------------------------------------- check

const POLICY_CASES: &[(&str, i32, &[&str])] = &[
    (
        "empty.yaml",
        1,
        &[
            "policies/empty.yaml",
            "the manifest has no `package` section",
        ],
    ),
    (
        "comments-only.yaml",
        1,
        &["policies/comments-only.yaml", "no `package` section"],
    ),
    (
        "unclosed-bracket.yaml",
        1,
        &[
            "unclosed-bracket.yaml:10:3",
            "did not find expected ',' or '}'",
        ],
    ),
    (
        "bad-indentation.yaml",
        1,
        &[
            "bad-indentation.yaml:11:11",
            "mapping values are not allowed",
        ],
    ),
    (
        "tab-indentation.yaml",
        1,
        &["tab-indentation.yaml:10:1", "a tab indents this line"],
    ),
    (
        "alias-bomb.yaml",
        1,
        &["--> tests/bad-input/policies/alias-bomb.yaml", "aliases"],
    ),
    (
        "huge-int.yaml",
        1,
        &["huge-int.yaml:11:12", "`99999999999999999999` is too large"],
    ),
    (
        "huge-float.yaml",
        1,
        &[
            "huge-float.yaml:11:12",
            "`1e400` is too large for an integer",
        ],
    ),
    (
        "long-digits.yaml",
        1,
        &["long-digits.yaml:11:12", "(5000 characters) is too large"],
    ),
    (
        "huge-duration.yaml",
        1,
        &[
            "huge-duration.yaml:11:12",
            "`99999999999999999999` is too large for an integer",
        ],
    ),
    (
        "long-duration.yaml",
        1,
        &["long-duration.yaml:11:12", "(5000 characters) is too large"],
    ),
    (
        "impossible-date.yaml",
        1,
        &["impossible-date.yaml:7:20", "`2021-02-30` is not a date"],
    ),
    (
        "month-13.yaml",
        1,
        &["month-13.yaml:7:20", "`2021-13-01` is not a date"],
    ),
    (
        "string-for-int.yaml",
        1,
        &[
            "string-for-int.yaml:11:12",
            "expected an integer, found the string `seven`",
        ],
    ),
    (
        "list-for-mapping.yaml",
        1,
        &[
            "list-for-mapping.yaml:8:13",
            "parameters: invalid type: sequence",
        ],
    ),
    (
        "mapping-for-list.yaml",
        1,
        &["mapping-for-list.yaml:8:10", "include: invalid type: map"],
    ),
    (
        "unknown-key.yaml",
        1,
        &[
            "unknown-key.yaml:8:1",
            "unknown field `paramters`",
            "did you mean `parameters`?",
        ],
    ),
    (
        "unknown-nested-key.yaml",
        1,
        &["unknown-nested-key.yaml:9:40", "unknown field `colour`"],
    ),
    (
        "nul-bytes.yaml",
        1,
        &["nul-bytes.yaml:8:16", "control characters are not allowed"],
    ),
    // A map of names (the parameters) kept the last of a repeated key.
    (
        "duplicate-key.yaml",
        1,
        &[
            "duplicate-key.yaml:11:3",
            "parameters: the key `n` is written twice in this mapping (first at line 9)",
        ],
    ),
    // A file that ends in the middle of a line, as one caught while it
    // is being written does, is not read: status 3.
    (
        "cut-short.yaml",
        3,
        &[
            "cannot read `tests/bad-input/policies/cut-short.yaml`: it ends in the middle of line 10, as a file cut short does",
        ],
    ),
    // A policy file that is not UTF-8 cannot be read: status 3.
    (
        "random-bytes.bin",
        3,
        &["cannot read `tests/bad-input/policies/random-bytes.bin`: it is not UTF-8 text"],
    ),
    (
        "invalid-utf8.yaml",
        3,
        &["cannot read `tests/bad-input/policies/invalid-utf8.yaml`: it is not UTF-8 text"],
    ),
];

#[test]
fn bad_policy_files_are_diagnosed() {
    every_file_has_a_case(
        POLICIES,
        "negative-duration.yaml",
        POLICY_CASES.iter().map(|c| c.0),
    );
    for (file, code, parts) in POLICY_CASES {
        let o = check(&format!("{POLICIES}/{file}"));
        expect(&format!("check@{file}"), &o, *code, parts);
        if *code == 1 {
            assert!(
                stderr(&o).contains("error: the policy has errors: 1 error"),
                "{file}: one error, not a cascade:\n{}",
                stderr(&o)
            );
        }
    }
}

#[test]
fn a_negative_duration_is_a_duration() {
    let o = check(&format!("{POLICIES}/negative-duration.yaml"));
    assert_eq!(status(&o, "negative duration"), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("error"), "{}", stderr(&o));
    // And as a --param of the built-in policy: a certificate that ends
    // before it starts, without a failure.
    let o = run(
        &[
            "eval",
            "--param",
            "threshold=6",
            "--param",
            "certificate_term=-3 months",
            "--format",
            "json",
            "policies/kz-order-503/examples/issue-grant.yaml",
        ],
        None,
    );
    assert_eq!(status(&o, "negative term"), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["values"]["valid_until"], "2020-12-25");
}

#[test]
fn deeply_nested_policy_files_are_refused() {
    let dir = scratch("deep-policy");
    let n = 10_000;
    // A parameter's value is read as any data first, then against its
    // type: there the format does not bound the depth.
    let value =
        |v: String| format!("{HEADER}parameters:\n  n: {{type: int, cite: x, value: {v}}}\n");
    let cases = [
        (
            "deep-brackets",
            value(format!("{}{}", "[".repeat(n), "]".repeat(n))),
        ),
        (
            "deep-braces",
            value(format!("{}1{}", "{a: ".repeat(n), "}".repeat(n))),
        ),
    ];
    for (name, text) in cases {
        let sub = dir.join(name);
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(sub.join("policy.yaml"), text).expect("write");
        let o = redact(&check(&sub.display().to_string()), &dir);
        expect(
            &format!("check@{name}"),
            &o,
            1,
            &[&format!("[dir]/{name}/policy.yaml:9:"), "nested too deeply"],
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A copy of the built-in package (with its calendars) to break.
fn copied_package(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    copy_tree(
        Path::new("policies/kz-order-503"),
        &dir.join("policies/kz-order-503"),
    );
    copy_tree(
        Path::new("policies/calendars"),
        &dir.join("policies/calendars"),
    );
    let pkg = dir.join("policies/kz-order-503");
    (dir, pkg)
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert_eq!(text.matches(from).count(), 1, "`{from}` once in {file:?}");
    std::fs::write(file, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_broken_included_file_is_reported_alone() {
    // Each edit breaks services.yaml, which declares names other files use:
    // its error comes alone, not under a pile of names reported unknown.
    let cases = [
        (
            "huge-duration",
            "value: 3 months",
            "value: 99999999999999999999 months",
            "`99999999999999999999` is too large for an integer",
        ),
        (
            "unknown-key",
            "  complaint_quality_days:\n",
            "  complaint_quality_days:\n    colour: blue\n",
            "unknown field `colour`",
        ),
        (
            "huge-int",
            "    value: 15\n",
            "    value: 99999999999999999999\n",
            "the number `99999999999999999999` is too large",
        ),
    ];
    for (name, from, to, message) in cases {
        let (dir, pkg) = copied_package(name);
        edit(&pkg.join("services.yaml"), from, to);
        let o = redact(&check(&pkg.display().to_string()), &dir);
        expect(
            &format!("check-copy@{name}"),
            &o,
            1,
            &["[dir]/policies/kz-order-503/services.yaml:", message],
        );
        assert_eq!(stderr(&o).matches("error[").count(), 1, "{}", stderr(&o));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

// ---------------------------------------------------------------- batch

#[test]
fn a_mixed_batch_gives_one_record_per_line_in_order() {
    // Lines 2 (empty) and 8 (spaces and a tab) are blank: JSONL skips them.
    let expected: &[(u64, Option<&str>)] = &[
        (1, None),
        (3, Some("not JSON: EOF while parsing a value at column 56")),
        (
            4,
            Some("the application must be a mapping of fields, found a list"),
        ),
        (
            5,
            Some(
                "the line is not UTF-8 text: the byte 0xFF at column 74 is not part of a UTF-8 character",
            ),
        ),
        (
            6,
            Some("the application must be a mapping of fields, found the string `an application`"),
        ),
        (7, Some("the application is empty")),
        (
            9,
            Some("`qualification_level`: `99999999999999999999` is too large for an integer"),
        ),
        (10, Some("not JSON: number out of range at column 132")),
        (
            11,
            Some("not JSON: the data is nested too deeply (more than 128 levels)"),
        ),
        (12, None),
        (13, Some("not JSON: expected value at column 1")),
        (14, Some("unknown field `favourite_colour`")),
        (15, Some("expected an integer, found the string `seven`")),
        (
            16,
            Some("`issued_on`: `2021-02-30` is not a date of the calendar"),
        ),
        (
            17,
            Some("`experience_in_specialty` must be a mapping of fields, found a list"),
        ),
        (18, None),
        (
            19,
            Some(
                "the key `service` is written twice in this mapping (first at column 2) at column 22",
            ),
        ),
        // `-0` is 0, as eval reads it.
        (20, None),
        (
            21,
            Some(
                "`submitted_at`: `23:59:60` is not a time of day: seconds run from 00 to 59, and a leap second is not counted",
            ),
        ),
        (
            22,
            Some("unknown field `nick\\u{0}\\u{9b}name`; `service`: `iss\\u{1b}ue` is not one of"),
        ),
    ];
    let mut first: Option<Output> = None;
    for jobs in ["1", "3"] {
        let o = run(
            &[
                "batch",
                "--param",
                "threshold=6",
                "--jobs",
                jobs,
                "-o",
                "-",
                MIXED,
            ],
            None,
        );
        assert_eq!(status(&o, "batch"), 5, "{}", stderr(&o));
        let out = lines(&o);
        let got: Vec<u64> = out
            .iter()
            .map(|v| v["line"].as_u64().expect("line"))
            .collect();
        let want: Vec<u64> = expected.iter().map(|e| e.0).collect();
        assert_eq!(got, want, "one record per line, in order");
        for (v, (line, error)) in out.iter().zip(expected) {
            match error {
                Some(e) => {
                    let msg = v["error"]
                        .as_str()
                        .unwrap_or_else(|| panic!("line {line}: {v}"));
                    assert!(msg.contains(e), "line {line}: `{msg}` lacks `{e}`");
                    assert_eq!(v.as_object().map(|m| m.len()), Some(2), "{v}");
                }
                None => assert!(v["outcome"].is_string(), "line {line}: {v}"),
            }
        }
        assert_eq!(stderr(&o), "20 records: 2 grant, 2 refuse, 16 errors\n");
        if let Some(f) = &first {
            assert_eq!(f.stdout, o.stdout, "--jobs {jobs} gives other bytes");
        }
        first = Some(o);
    }
    let out: String = lines(first.as_ref().expect("ran"))
        .iter()
        .map(|v| match &v["error"] {
            serde_json::Value::String(e) => format!("{}: {e}\n", v["line"]),
            _ => format!("{}: {}\n", v["line"], v["outcome"]),
        })
        .collect();
    assert_snapshot!("batch@mixed.jsonl", out);
}

/// The small batches of the corpus (CSV as spreadsheets write it, and
/// byte-order marks) but `mixed.jsonl`: each file's exit status and its
/// records' lines, in order.
const BATCH_CASES: &[(&str, i32, &[u64])] = &[
    ("bom.csv", 5, &[2, 3, 4]),
    ("bom.jsonl", 0, &[1, 2]),
    ("cr-only.csv", 5, &[2, 4, 6]),
    ("crlf.csv", 5, &[2, 4, 6]),
    ("duplicate-column.csv", 5, &[1]),
    ("extra-cells.csv", 5, &[2, 3]),
    ("mixed-endings.csv", 5, &[2, 3, 5, 6]),
    ("not-utf8.csv", 5, &[2, 3, 5]),
    ("unclosed-quote.csv", 5, &[2, 3]),
    ("unnamed-column.csv", 5, &[2, 3, 4]),
];

#[test]
fn bad_batches_give_one_record_per_record_at_its_line() {
    every_file_has_a_case(BATCH, "mixed.jsonl", BATCH_CASES.iter().map(|c| c.0));
    for (file, code, want) in BATCH_CASES {
        let path = format!("{BATCH}/{file}");
        let mut first: Option<Output> = None;
        for jobs in ["1", "3"] {
            let args = [
                "batch",
                "--param",
                "threshold=6",
                "--jobs",
                jobs,
                "-o",
                "-",
                &path,
            ];
            let o = run(&args, None);
            assert_eq!(status(&o, file), *code, "{file}: {}", stderr(&o));
            let got: Vec<u64> = lines(&o)
                .iter()
                .map(|v| v["line"].as_u64().expect("line"))
                .collect();
            assert_eq!(&got, want, "{file}");
            if let Some(f) = &first {
                assert_eq!(
                    f.stdout, o.stdout,
                    "{file}: --jobs {jobs} gives other bytes"
                );
            }
            first = Some(o);
        }
        let out: String = lines(first.as_ref().expect("ran"))
            .iter()
            .map(|v| match &v["error"] {
                serde_json::Value::String(e) => format!("{}: {e}\n", v["line"]),
                _ => format!("{}: {}\n", v["line"], v["outcome"]),
            })
            .collect();
        assert_snapshot!(format!("batch@{file}"), out);
    }
}

#[test]
fn a_ten_megabyte_line_is_an_error_record() {
    let good = std::fs::read_to_string("policies/kz-order-503/examples/batch/applications.jsonl")
        .expect("example")
        .lines()
        .next()
        .expect("a line")
        .to_string();
    let long = format!(
        "{{\"service\": \"issue\", \"applicant\": {{\"full_name\": \"{}\"}}}}",
        "x".repeat(10 << 20)
    );
    let deep = "[".repeat(10_000);
    let text = [good.as_str(), &long, &deep, "", &good].join("\n");
    let dir = scratch("long-line");
    let input = dir.join("long.jsonl");
    std::fs::write(&input, &text).expect("write");
    let file = input.display().to_string();
    for (jobs, stdin) in [("1", None), ("2", Some(text.clone().into_bytes()))] {
        let args = [
            "batch",
            "--param",
            "threshold=6",
            "--jobs",
            jobs,
            "-o",
            "-",
            if stdin.is_some() { "-" } else { &file },
        ];
        let o = run(&args, stdin);
        assert_eq!(status(&o, "long line"), 5, "{}", stderr(&o));
        let out = lines(&o);
        let numbers: Vec<u64> = out
            .iter()
            .map(|v| v["line"].as_u64().expect("line"))
            .collect();
        assert_eq!(numbers, [1, 2, 3, 5]);
        assert_eq!(out[0]["outcome"], "grant");
        assert_eq!(
            out[1]["error"],
            format!(
                "the line is {} bytes long, longer than the 1048576 bytes a line may have",
                long.len()
            )
        );
        assert!(
            out[2]["error"]
                .as_str()
                .is_some_and(|e| e.contains("nested too deeply")),
            "{}",
            out[2]
        );
        assert_eq!(out[3]["outcome"], "grant");
        assert_eq!(stderr(&o), "4 records: 2 grant, 2 errors\n");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_batch_of_a_directory_is_an_io_error() {
    let o = run(&["batch", "-o", "-", "tests/bad-input"], None);
    assert_eq!(status(&o, "dir"), 3);
    assert_eq!(
        stderr(&o),
        "error[io]: cannot read `tests/bad-input`: it is a directory\n\n"
    );
}
