//! Every broken policy under tests/policies/broken gets every diagnostic,
//! with file, line, column and a caret; the rendering is a snapshot.

use std::path::Path;

use qagida::policy::load_dir;

use crate::common::assert_snapshot;

#[test]
fn broken_policies_are_diagnosed() {
    insta::glob!("policies/broken/*.yaml", |path| {
        let rel = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .expect("under the crate");
        let diags = match load_dir(Path::new(rel)) {
            Ok(_) => panic!("{} loaded without errors", rel.display()),
            Err(d) => d,
        };
        assert!(diags.iter().any(|d| d.is_error()));
        let mut diags = diags;
        qagida::core::diag::sort(&mut diags);
        assert_snapshot!(
            "broken_policies_are_diagnosed",
            qagida::core::diag::human(&diags, false)
        );
    });
}

#[test]
fn all_errors_are_reported_at_once() {
    let diags = load_dir(Path::new("tests/policies/broken/type_errors.yaml")).expect_err("broken");
    assert_eq!(diags.iter().filter(|d| d.is_error()).count(), 10);
    let lines: Vec<usize> = diags
        .iter()
        .filter_map(|d| d.loc.as_ref().map(|l| l.line_col().0))
        .collect();
    assert!(lines.contains(&18) && lines.contains(&40), "{lines:?}");
}

#[test]
fn json_diagnostics_carry_positions() {
    let diags =
        load_dir(Path::new("tests/policies/broken/unknown_names.yaml")).expect_err("broken");
    let json = qagida::core::diag::json(&diags);
    let first = &json[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "tests/policies/broken/unknown_names.yaml");
    assert!(first["line"].as_u64().unwrap_or(0) > 0);
    assert!(first["column"].as_u64().unwrap_or(0) > 0);
}

#[test]
fn lint_reports_gaps_in_the_act_and_in_tables() {
    let loaded =
        load_dir(Path::new("tests/policies/lint")).expect("loads: lint findings are warnings");
    assert!(loaded.warnings.iter().all(|d| !d.is_error()));
    assert_snapshot!(
        "lint_reports_gaps_in_the_act_and_in_tables",
        qagida::core::diag::human(&loaded.warnings, false)
    );
}
