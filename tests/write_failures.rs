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
