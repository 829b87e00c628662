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

#[test]
fn a_cases_file_finds_its_package_above_it() {
    // The example package copied, its cases one folder deeper than usual.
    let dir = scratch("find-package");
    copy_tree(std::path::Path::new(EXAMPLE), &dir.join("pkg"));
    let calendars = std::path::Path::new(EXAMPLE).join("../calendars");
    copy_tree(&calendars, &dir.join("calendars"));
    let deep = dir.join("pkg/tests/more");
    std::fs::create_dir_all(&deep).expect("a folder");
    std::fs::write(
        deep.join("deep.yaml"),
        "cases:\n  - name: found\n    at: 2021-03-15\n    application_file: ../../applications/grant.yaml\n    expect: {outcome: undetermined, missing: [pass_mark]}\n",
    )
    .expect("write");
    let o = qagida(&["test", &deep.join("deep.yaml").display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("ok     found"), "{}", stdout(&o));

    // A file with no package above it says so, and how to name one.
    let lonely = dir.join("lonely.yaml");
    std::fs::write(&lonely, "cases: []\n").expect("write");
    let o = qagida(&["test", &lonely.display().to_string()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no folder above it holds a policy.yaml"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--policy DIR"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn expectations_of_edition_date_and_parameters_are_compared() {
    let dir = scratch("expect-more");
    let grant =
        std::fs::canonicalize("tests/policies/example/applications/grant.yaml").expect("example");
    std::fs::write(
        dir.join("cases.yaml"),
        format!(
            "cases:\n  - name: wrong on purpose\n    application_file: {}\n    with: {{submitted_at: 2023-02-01T10:00}}\n    expect:\n      edition: example-study-grant@amendment-2x\n      at: 2023-02-02\n      params: {{income_limit: 300.50, max_age: 25, no_such: 1}}\n",
            grant.display()
        ),
    )
    .expect("write");
    let o = qagida(&[
        "test",
        "--policy",
        EXAMPLE,
        &dir.join("cases.yaml").display().to_string(),
    ]);
    assert_ne!(o.status.code(), Some(0));
    let out = stdout(&o);
    for want in [
        "edition: expected `example-study-grant@amendment-2x`, got `example-study-grant@amendment-2`",
        "at: expected 2023-02-02, got 2023-02-01",
        "parameter `income_limit`: expected 300.5, got 350",
        "parameter `no_such`: the policy has no such parameter",
    ] {
        assert!(out.contains(want), "`{want}` in:\n{out}");
    }
    // max_age is as expected: not listed.
    assert!(!out.contains("max_age"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn with_merges_takes_dotted_paths_and_removes_with_null() {
    let dir = scratch("with-merge");
    let grant =
        std::fs::canonicalize("tests/policies/example/applications/grant.yaml").expect("example");
    let case = |name: &str, with: &str, expect: &str| {
        format!(
            "  - name: {name}\n    at: 2021-03-15\n    params: {{pass_mark: 6}}\n    application_file: {}\n    with: {with}\n    expect: {expect}\n",
            grant.display()
        )
    };
    let text = String::from("cases:\n")
        // Merged: full_time and year stay, so the score is the example's.
        + &case("merged", "{study: {grades: [5, 5]}}", "{values: {score: 8, average_grade: 5}}")
        // A dotted path into a record.
        + &case("dotted", "{study.year: 1}", "{values: {score: 7}}")
        // A path whose records are missing makes them.
        + &case("made", "{findings.fraud: true}", "{reasons: [fraud]}")
        // null removes the field: the grades are unknown.
        + &case("removed", "{study.grades: null}", "{values: {grades_known: false}}")
        // A path through a value that is not a record is an error.
        + &case("through a scalar", "{income.x: 1}", "{error: \"`with`: `income.x`: `x` is inside a value that is not a mapping\"}")
        + &case("empty part", "{study..year: 1}", "{error: \"`study..year` is not a name or a dotted path\"}");
    std::fs::write(dir.join("cases.yaml"), text).expect("write");
    let o = qagida(&[
        "test",
        "--policy",
        EXAMPLE,
        &dir.join("cases.yaml").display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("6 passed, 0 failed"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_and_calendar_take_the_policy_as_every_command_does() {
    let by_path = qagida(&["check", EXAMPLE]);
    let by_flag = qagida(&["check", "--policy", EXAMPLE]);
    assert_eq!(by_path.status.code(), Some(0), "{}", stderr(&by_path));
    assert_eq!(stdout(&by_path), stdout(&by_flag));
    assert_eq!(stderr(&by_path), stderr(&by_flag));
    // Both at once is a usage error.
    let both = qagida(&["check", EXAMPLE, "--policy", EXAMPLE]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));

    // The example's calendar makes Saturday 2021-07-10 a working day (a
    // day moved by its fictional decree); the built-in one does not.
    let day = ["is-working-day", "2021-07-10"];
    let o = qagida(&[&["calendar", "--policy", EXAMPLE][..], &day].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "true");
    let o = qagida(&[&["calendar"][..], &day].concat());
    assert_eq!(stdout(&o).trim(), "false");
}
