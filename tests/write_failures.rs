//! A write that fails is a failure: a command whose standard output cannot
//! be written (a full disk) exits with status 3 and one line saying so; a
//! closed pipe ends it quietly, with status 3 and no message.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::common::*;

const GRANT: &str = "policies/kz-order-503/examples/issue-grant.yaml";

/// Every command that writes to standard output, with arguments that make
/// it succeed.
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["eval", "--param", "threshold=6", GRANT],
        vec!["explain", "--param", "threshold=6", GRANT],
        vec!["doc"],
        vec!["catalogue"],
        vec!["schema", "input"],
        vec!["consolidate", "--at", "2021-06-01"],
        vec!["editions"],
        vec!["calendar", "show", "2021"],
        vec!["render", "certificate", "--param", "threshold=6", GRANT],
        vec!["test", "policies/kz-order-503"],
        vec!["man"],
        vec!["completions", "bash"],
        vec!["diff", "--from", "2020-01-01", "--to", "2021-06-01"],
        vec!["--help"],
    ]
}

#[test]
fn every_command_fails_when_its_output_cannot_be_written() {
    let full = std::path::Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    for args in commands() {
        let ok = qagida(&args);
        assert_eq!(ok.status.code(), Some(0), "{args:?}: {}", stderr(&ok));
        let o = Command::new(env!("CARGO_BIN_EXE_qagida"))
            .args(&args)
            .env("NO_COLOR", "1")
            .stdout(std::fs::File::create(full).expect("/dev/full opens"))
            .output()
            .expect("the binary runs");
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        if args != ["--help"] {
            assert!(
                err.contains("error[io]: cannot write standard output: No space left on device"),
                "{args:?}: {err}"
            );
        }
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn a_batch_to_a_closed_pipe_ends_quietly_and_to_a_full_disk_says_so() {
    let input = "policies/kz-order-503/examples/batch/applications.jsonl";
    let mut child = Command::new(env!("CARGO_BIN_EXE_qagida"))
        .args(["batch", "-o", "-", input])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let status = child.wait().expect("it ends");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).expect("stderr");
    }
    assert_eq!(status.code(), Some(3), "{err}");
    assert_eq!(err, "", "a closed pipe is not reported");
    if std::path::Path::new("/dev/full").exists() {
        let o = qagida(&["batch", "-o", "/dev/full", input]);
        assert_eq!(o.status.code(), Some(3));
        assert!(
            stderr(&o).contains("cannot write the output: No space left on device"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    // The reader closes its end at once, before the command, still
    // loading its policy, writes anything.
    let mut child = Command::new(env!("CARGO_BIN_EXE_qagida"))
        .args(["doc"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let status = child.wait().expect("it ends");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).expect("stderr");
    }
    assert_eq!(status.code(), Some(3), "{err}");
    assert_eq!(err, "", "a closed pipe is not reported");
}

#[test]
fn a_batch_never_writes_over_its_input() {
    let dir = scratch("batch-over-input");
    let input = dir.join("apps.jsonl");
    let text = std::fs::read_to_string("policies/kz-order-503/examples/batch/applications.jsonl")
        .expect("example");
    std::fs::write(&input, &text).expect("write");
    let sym = dir.join("sym.jsonl");
    let hard = dir.join("hard.jsonl");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&input, &sym).expect("symlink");
        std::fs::hard_link(&input, &hard).expect("hard link");
    }
    let input_s = input.display().to_string();
    let mut outputs = vec![input_s.clone()];
    if sym.exists() {
        outputs.push(sym.display().to_string());
        outputs.push(hard.display().to_string());
    }
    for out in &outputs {
        let o = qagida(&["batch", "-o", out, &input_s]);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("writing it would destroy the applications"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read_to_string(&input).expect("read"), text);
    }
    // To another file, the records are written whole and nothing is left
    // beside them.
    let out = dir.join("records.jsonl");
    let o = qagida(&["batch", "-o", out.to_str().expect("utf-8"), &input_s]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).expect("records");
    let records = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    assert_eq!(written.lines().count(), records.count());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    names.sort();
    assert!(names.is_empty(), "{names:?}");
}

/// Sends `signal` (`INT`, `TERM`) to process `pid`.
#[cfg(unix)]
fn kill(signal: &str, pid: u32) {
    let ok = Command::new("kill")
        .args([format!("-{signal}"), pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(ok.success());
}

/// A batch reading an endless stream, stopped by `signal` once it has
/// written `after` records: it ends on a whole record, every line is JSON
/// and in order, and it says it was interrupted, with status 130.
#[cfg(unix)]
fn interrupted(signal: &str, after: usize) {
    use std::io::{BufRead, BufReader, Write};
    let line = std::fs::read_to_string("policies/kz-order-503/examples/batch/applications.jsonl")
        .expect("example")
        .lines()
        .next()
        .expect("a line")
        .to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_qagida"))
        .args(["batch", "--jobs", "2", "-o", "-", "-"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    // Applications keep coming until the batch stops reading them.
    let feeder = std::thread::spawn(move || {
        let chunk = format!("{line}\n").repeat(500);
        while stdin.write_all(chunk.as_bytes()).is_ok() {}
    });
    let pid = child.id();
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut lines = Vec::new();
    let mut buf = String::new();
    while out.read_line(&mut buf).expect("reads") > 0 {
        lines.push(std::mem::take(&mut buf));
        if lines.len() == after {
            kill(signal, pid);
        }
    }
    let status = child.wait().expect("it ends");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).expect("stderr");
    }
    let _ = feeder.join();
    assert_eq!(status.code(), Some(130), "{signal}: {err}");
    assert!(
        err.contains("(interrupted: the rest of the input was not read)"),
        "{err}"
    );
    assert!(lines.len() >= after, "{}", lines.len());
    for (i, l) in lines.iter().enumerate() {
        assert!(l.ends_with('\n'), "line {} is cut: {l}", i + 1);
        let v: serde_json::Value = serde_json::from_str(l).expect("each line is JSON");
        assert_eq!(v["line"], i + 1, "in order");
    }
    assert!(
        err.starts_with(&format!("{} records:", lines.len())),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_batch_ends_on_a_whole_record() {
    interrupted("INT", 2000);
    interrupted("TERM", 700);
}
