//! `qagida test`: the same cases `cargo test` runs, for legal editors.

use crate::common::*;

#[test]
fn the_kz_cases_pass_and_cover_every_rule_and_reason() {
    let o = qagida(&["test", "policies/kz-order-503"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.ends_with(" passed, 0 failed")),
        "{out}"
    );
    assert!(!out.contains("not covered"), "{out}");
}

#[test]
fn failures_show_their_differences_and_coverage_gaps_are_listed() {
    let dir = std::env::temp_dir().join(format!("qagida-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cases = dir.join("cases.yaml");
    let grant =
        std::fs::canonicalize("tests/policies/example/applications/grant.yaml").expect("example");
    std::fs::write(
        &cases,
        format!(
            "cases:\n  - name: wrong on purpose\n    at: 2021-03-15\n    application_file: {}\n    expect: {{outcome: refuse}}\n",
            grant.display()
        ),
    )
    .expect("write");
    let o = qagida(&["test", "--policy", EXAMPLE, &cases.display().to_string()]);
    assert_ne!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("FAILED wrong on purpose"), "{out}");
    assert!(
        out.contains("outcome: expected `refuse`, got `undetermined`"),
        "{out}"
    );
    assert!(out.contains("not covered:"), "{out}");
    assert!(out.trim_end().ends_with("0 passed, 1 failed"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_path_that_does_not_exist_is_named_with_exit_3() {
    let o = qagida(&["test", "no/such/cases.yaml"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot read `no/such/cases.yaml`: no such file or folder"),
        "{}",
        stderr(&o)
    );
}
