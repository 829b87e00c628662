//! Runs every policy's own test cases: `tests/*.yaml` in each package
//! folder under `policies/` and `tests/policies/`.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Package folders (holding a policy.yaml) that have a tests folder.
fn packages() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in ["policies", "tests/policies"] {
        let Ok(entries) = std::fs::read_dir(root) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.join("policy.yaml").is_file() && p.join("tests").is_dir() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_policy_passes_its_own_cases() {
    let mut report = Vec::new();
    let mut count = 0;
    for pkg in packages() {
        let p = policy(&pkg.display().to_string());
        let mut files: Vec<PathBuf> = std::fs::read_dir(pkg.join("tests"))
            .expect("tests folder")
            .flatten()
            .map(|e| e.path())
            .filter(|f| f.extension().is_some_and(|x| x == "yaml"))
            .collect();
        files.sort();
        for f in files {
            let results = qagida::engine::testing::run_file(&p, &f)
                .unwrap_or_else(|d| panic!("{}", qagida::core::diag::human(&d, false)));
            for r in results {
                count += 1;
                if !r.passed() {
                    report.push(format!(
                        "{} ({}):\n  {}",
                        r.name,
                        r.place,
                        r.failures.join("\n  ")
                    ));
                }
            }
        }
    }
    assert!(count > 0, "no policy cases found");
    assert!(
        report.is_empty(),
        "{} of {count} cases failed:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn the_runner_reports_each_difference() {
    let p = policy(EXAMPLE);
    let file = qagida::core::source::SourceFile::new(
        "wrong.yaml",
        "cases:
  - name: wrong on purpose
    at: 2021-03-15
    application_file: tests/policies/example/applications/grant.yaml
    expect:
      outcome: grant
      missing: []
      values: {score: 9, nonexistent: 1}
  - name: expects an error that does not come
    at: 2021-03-15
    application_file: tests/policies/example/applications/grant.yaml
    expect: {error: boom}
",
    );
    let read = |rel: &str| -> Result<(String, String), String> {
        std::fs::read_to_string(Path::new(rel))
            .map(|t| (rel.to_string(), t))
            .map_err(|e| e.to_string())
    };
    let results = qagida::engine::testing::run(&p, &file, &read).expect("cases parse");
    assert_eq!(results[0].place, "wrong.yaml:2");
    assert_eq!(
        results[0].failures,
        [
            "outcome: expected `grant`, got `undetermined`",
            "missing: expected [], got [pass_mark]",
            "value `score`: expected 9, got 8",
            "value `nonexistent`: not computed (unknown name, or not applicable)",
        ]
    );
    assert_eq!(
        results[1].failures,
        ["expected an error containing `boom`, but the evaluation succeeded"]
    );
}
