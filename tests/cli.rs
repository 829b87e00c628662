//! The built binary, run as a user would: commands, outputs and exit
//! statuses.

use crate::common::*;

const GRANT: &str = "tests/policies/example/applications/grant.yaml";

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[test]
fn help_and_version() {
    let o = qagida(&["--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("check"));
    assert!(stdout(&o).contains("eval"));
    let o = qagida(&["--version"]);
    assert_eq!(
        stdout(&o).trim(),
        format!("qagida {}", env!("CARGO_PKG_VERSION"))
    );
    let o = qagida(&["frobnicate"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn check_accepts_the_example_and_rejects_a_broken_policy() {
    let o = qagida(&["check", EXAMPLE]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_snapshot!("check_ok", stdout(&o));
    let o = qagida(&["check", "tests/policies/broken/unknown_names.yaml"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("tests/policies/broken/unknown_names.yaml:20:11"),
        "{err}"
    );
    assert!(
        err.ends_with("error: the policy has errors: 8 errors, 0 warnings\n"),
        "{err}"
    );
    let o = qagida(&[
        "--error-format",
        "json",
        "check",
        "tests/policies/broken/cycle.yaml",
    ]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stderr(&o)).expect("JSON diagnostics");
    assert_eq!(v[0]["code"], "cycle");
    let o = qagida(&["check", "tests/policies/nowhere"]);
    assert_eq!(code(&o), 3);
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
}

#[test]
fn eval_text_and_json() {
    let o = qagida(&[
        "eval",
        "--policy",
        EXAMPLE,
        "--at",
        "2021-03-15",
        "--param",
        "pass_mark=6",
        GRANT,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_snapshot!("eval_text", stdout(&o));
    let o = qagida(&[
        "eval",
        "--policy",
        EXAMPLE,
        "--at",
        "2021-03-15",
        "--format",
        "json",
        GRANT,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON output");
    assert_eq!(v["outcome"], "undetermined");
    assert_eq!(v["missing"], serde_json::json!(["pass_mark"]));
    assert_snapshot!("eval_json", stdout(&o));
}

#[test]
fn eval_reads_standard_input_and_overlays() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_qagida"))
        .args([
            "eval",
            "--policy",
            EXAMPLE,
            "--at",
            "2021-03-15",
            "--format",
            "json",
        ])
        .args(["--overlay", "tests/policies/example/overlay.yaml", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    let app = std::fs::read(GRANT).expect("example");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&app)
        .expect("writes");
    let o = child.wait_with_output().expect("finishes");
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    assert_eq!(v["outcome"], "grant");
}

#[test]
fn exit_statuses_tell_failures_apart() {
    let run = |args: &[&str]| {
        let mut all = vec!["eval", "--policy", EXAMPLE, "--at", "2021-03-15"];
        all.extend_from_slice(args);
        qagida(&all)
    };
    let o = run(&["no-such-file.yaml"]);
    assert_eq!(code(&o), 3);
    assert!(stderr(&o).contains("cannot read `no-such-file.yaml`: no such file"));
    let o = run(&["tests/policies/example/applications/not-yaml.txt"]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    let o = run(&["tests/policies/example/applications/invalid.yaml"]);
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert_snapshot!("invalid_application", stderr(&o));
    let o = run(&["--param", "pass_mark=high", GRANT]);
    assert_eq!(code(&o), 1);
    let o = qagida(&["eval", "--policy", EXAMPLE, "--at", "2019-12-31", GRANT]);
    assert_eq!(code(&o), 7);
    assert!(
        stderr(&o).contains("2019-12-31 is outside the period policy `example-study-grant` is in force: from 2020-02-01 until 2026-01-01"),
        "{}",
        stderr(&o)
    );
    let o = qagida(&["eval", "--policy", EXAMPLE, "--at", "2021-02-30", GRANT]);
    assert_eq!(code(&o), 2);
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn output_is_deterministic() {
    let args = [
        "eval",
        "--policy",
        EXAMPLE,
        "--at",
        "2021-03-15",
        "--format",
        "json",
        GRANT,
    ];
    let a = qagida(&args);
    let b = qagida(&args);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn completions_and_man_page_come_from_the_command_definitions() {
    let o = qagida(&["completions", "bash"]);
    assert_eq!(code(&o), 0);
    let script = stdout(&o);
    for cmd in [
        "eval",
        "batch",
        "explain",
        "catalogue",
        "calendar",
        "editions",
        "diff",
        "test",
    ] {
        assert!(script.contains(cmd), "completion lacks `{cmd}`");
    }
    let o = qagida(&["man"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with(".ie") && stdout(&o).contains(".TH qagida 1"));
}
