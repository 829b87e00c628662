//! The one decision API: each way a decision fails is its own variant, the
//! exit status comes from the variant, and the date rule is the same in
//! every command (no evaluation date and no `--at` is an error naming
//! `--at`; `--at today` is the one way to read the clock).

use std::path::{Path, PathBuf};

use crate::common::*;
use qagida::cli::Exit;
use qagida::core::source::SourceFile;
use qagida::engine::{Application, At, DecideError, Plan, Request, Setting};

const KZ_GRANT: &str = "policies/kz-order-503/examples/issue-grant.yaml";
const GRANT: &str = "tests/policies/example/applications/grant.yaml";

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn kz() -> Plan {
    Plan::new(qagida::policy::embedded::default_policy().unwrap().policy)
}

fn decide(plan: &Plan, app: &str, request: &Request) -> Result<String, DecideError> {
    let file = SourceFile::new("app.yaml", app);
    plan.decide(Application::File(&file), request)
        .map(|d| d.outcome)
}

fn threshold() -> Request {
    Request {
        params: vec![Setting::Arg("threshold=6".into())],
        ..Request::default()
    }
}

/// A copy of the example policy in a folder of its own, with lines of its
/// manifest taken out (`evaluation_date`, `until`).
fn example_without(name: &str, drop: &[&str]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("qagida-decide-{name}-{}", std::process::id()));
    let dir = root.join("example");
    copy_dir(Path::new("tests/policies/example"), &dir);
    copy_dir(
        Path::new("tests/policies/calendars"),
        &root.join("calendars"),
    );
    let manifest = dir.join("policy.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !drop.iter().any(|d| l.trim_start().starts_with(d)))
        .collect();
    assert!(kept.len() + drop.len() <= text.lines().count());
    std::fs::write(&manifest, kept.join("\n") + "\n").unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn each_fault_is_its_own_variant_with_its_own_exit_status() {
    let plan = kz();
    let grant = std::fs::read_to_string(KZ_GRANT).unwrap();
    let undated = example_without("variants", &["evaluation_date:"]);
    let cases: Vec<(Result<String, DecideError>, Exit)> = vec![
        (
            decide(&plan, "service: [issue\n", &threshold()),
            Exit::Malformed,
        ),
        (
            decide(&plan, &format!("{grant}extra_field: 1\n"), &threshold()),
            Exit::Input,
        ),
        (
            decide(
                &plan,
                &grant.replace("profession: ", "profession: x"),
                &threshold(),
            ),
            Exit::UnknownEntry,
        ),
        (
            decide(
                &plan,
                &grant,
                &Request {
                    params: vec![Setting::Arg("threshhold=6".into())],
                    ..Request::default()
                },
            ),
            Exit::Policy,
        ),
        (
            decide(
                &plan,
                &grant,
                &Request {
                    at: At::On("2016-12-31".parse().unwrap()),
                    ..threshold()
                },
            ),
            Exit::OutOfForce,
        ),
        (Err(At::parse("2021-02-30").unwrap_err()), Exit::Usage),
        (
            decide(
                &policy(&undated.display().to_string()),
                &std::fs::read_to_string(GRANT).unwrap(),
                &Request::default(),
            ),
            Exit::Usage,
        ),
        (
            Err(DecideError::from(
                qagida::engine::read_text(Path::new("no/such/file.yaml")).unwrap_err(),
            )),
            Exit::Io,
        ),
    ];
    let mut seen = Vec::new();
    let n = cases.len();
    for (i, (got, exit)) in cases.into_iter().enumerate() {
        let e = got.expect_err(&format!("case {i} is refused"));
        assert_eq!(Exit::from(&e), exit, "case {i}: {e:?}");
        // Each carries diagnostics that say why, and a one-line message.
        assert!(!e.diagnostics().is_empty(), "case {i}");
        assert!(
            !e.to_string().is_empty() && !e.to_string().contains('\n'),
            "case {i}: {e}"
        );
        let variant = std::mem::discriminant(&e);
        assert!(
            !seen.contains(&variant),
            "case {i} repeats a variant: {e:?}"
        );
        seen.push(variant);
    }
    assert_eq!(seen.len(), n);
    let _ = std::fs::remove_dir_all(undated.parent().unwrap());
}

#[test]
fn a_parameter_is_read_the_same_from_an_argument_an_overlay_and_data() {
    let plan = kz();
    let grant = std::fs::read_to_string(KZ_GRANT).unwrap();
    let overlay = SourceFile::new("o.yaml", "parameters:\n  threshold: 6\n");
    let data = qagida::core::yaml::value("6").unwrap();
    let ways = [
        Setting::Arg("threshold=6".into()),
        Setting::Overlay(overlay),
        Setting::Value("threshold".into(), data),
    ];
    for s in ways {
        let request = Request {
            params: vec![s.clone()],
            ..Request::default()
        };
        let prepared = plan.prepare(&request).unwrap();
        assert_eq!(
            prepared.options().params.get("threshold"),
            Some(&Some(qagida::core::value::Value::Int(6))),
            "{s:?}"
        );
        assert_eq!(decide(&plan, &grant, &request).unwrap(), "grant");
    }
    // A wrong type is an error of the parameters, whichever way it came.
    for s in [
        Setting::Arg("threshold=six".into()),
        Setting::Value(
            "threshold".into(),
            qagida::core::yaml::value("six").unwrap(),
        ),
    ] {
        let request = Request {
            params: vec![s],
            ..Request::default()
        };
        assert!(matches!(
            plan.prepare(&request),
            Err(DecideError::Params(_))
        ));
    }
}

#[test]
fn without_an_evaluation_date_every_command_asks_for_at() {
    let dir = example_without("undated", &["evaluation_date:", "until:"]);
    let policy = dir.display().to_string();
    let p = ["--policy", &policy, "--param", "pass_mark=8"];
    for cmd in [vec!["eval"], vec!["explain"], vec!["render", "refusal"]] {
        let args: Vec<&str> = cmd.iter().copied().chain(p).chain([GRANT]).collect();
        let o = qagida(&args);
        assert_eq!(code(&o), 2, "{cmd:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("error[no-date]: no date to evaluate at")
                && err.contains("give one with --at")
                && err.contains("--at today"),
            "{cmd:?}: {err}"
        );
        assert!(stdout(&o).is_empty(), "{cmd:?}");
    }
    // With a date it decides; with `today` at the machine's local date.
    let o = qagida(&[
        "eval",
        "--policy",
        &policy,
        "--param",
        "pass_mark=8",
        "--at",
        "2021-03-15",
        GRANT,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("outcome: grant"), "{}", stdout(&o));
    let before = chrono::Local::now().date_naive();
    let o = qagida(&[
        "eval", "--policy", &policy, "--format", "json", "--at", "today", GRANT,
    ]);
    let after = chrono::Local::now().date_naive();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let at = v["at"].as_str().unwrap().to_string();
    assert!(
        [before.to_string(), after.to_string()].contains(&at),
        "{at}"
    );
    // A batch gives the line an error record naming --at, and goes on.
    let app: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(GRANT).unwrap()).unwrap();
    let input = dir.join("apps.jsonl");
    std::fs::write(&input, format!("{app}\n{app}\n")).unwrap();
    let output = dir.join("out.jsonl");
    let (i, o) = (input.display().to_string(), output.display().to_string());
    let run = qagida(&["batch", "--policy", &policy, &i, "-o", &o]);
    assert_eq!(code(&run), 5, "{}", stderr(&run));
    let out = std::fs::read_to_string(&output).unwrap();
    assert_eq!(out.lines().count(), 2);
    for line in out.lines() {
        assert!(
            line.contains("no date to evaluate at") && line.contains("--at"),
            "{line}"
        );
    }
    let run = qagida(&[
        "batch",
        "--policy",
        &policy,
        "--at",
        "2021-03-15",
        &i,
        "-o",
        &o,
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    // A test case without `at` says it needs one.
    let cases = dir.join("tests/undated.yaml");
    std::fs::write(
        &cases,
        format!(
            "cases:\n  - name: undated\n    application_file: {}\n    expect: {{outcome: grant}}\n",
            Path::new(GRANT).canonicalize().unwrap().display()
        ),
    )
    .unwrap();
    let run = qagida(&["test", &cases.display().to_string()]);
    assert_eq!(code(&run), 5, "{}", stderr(&run));
    assert!(
        stdout(&run).contains("the case needs `at`"),
        "{}",
        stdout(&run)
    );
    // `doc` and `catalogue` of an act with no end ask for --at too.
    for cmd in ["doc", "catalogue"] {
        let o = qagida(&[cmd, "--policy", &policy]);
        assert_eq!(code(&o), 2, "{cmd}: {}", stderr(&o));
        assert!(stderr(&o).contains("--at today"), "{cmd}: {}", stderr(&o));
    }
    let o = qagida(&["doc", "--policy", &policy, "--at", "today"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn a_date_that_is_not_a_date_is_a_usage_error_everywhere() {
    for cmd in [
        vec![
            "eval",
            "--param",
            "threshold=6",
            "--at",
            "2021-02-30",
            KZ_GRANT,
        ],
        vec!["batch", "--at", "tomorrow", KZ_GRANT, "-o", "-"],
        vec!["doc", "--at", "2021-13-01"],
    ] {
        let o = qagida(&cmd);
        assert_eq!(code(&o), 2, "{cmd:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("is not a date"),
            "{cmd:?}: {}",
            stderr(&o)
        );
    }
}
