//! Amendments as data. Each hypothetical amending act under
//! tests/amendments/ (NOT LAW) is recorded in a copy of the kz policy: a
//! new act in its history and edits to its YAML, nothing else. A fixed
//! corpus is evaluated inside every edition's window: the decisions of the
//! editions before the act must not change, and the decisions of the act's
//! edition are a reviewed snapshot.

use std::path::{Path, PathBuf};

use crate::common::*;

const DATES: [&str; 5] = [
    "2017-01-31",
    "2018-07-25",
    "2020-07-09",
    "2021-02-04",
    "2022-03-03",
];
const AMENDED_FROM: &str = "2022-02-01";

/// A copy of `policies/` with the hypothetical act recorded.
fn amended(hyp: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qagida-hyp-{}-{hyp}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(Path::new("policies"), &dir);
    let spec =
        std::fs::read_to_string(format!("tests/amendments/{hyp}.yaml")).expect("hypothetical act");
    let spec = qagida::core::yaml::value(&spec).expect("YAML");
    let pkg = dir.join("kz-order-503");
    // The act goes first in the history's list of acts.
    let act = qagida::core::yaml::to_string(&spec["act"]);
    let item: String = act
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("    - {l}\n")
            } else {
                format!("      {l}\n")
            }
        })
        .collect();
    let history = pkg.join("history.yaml");
    let text = std::fs::read_to_string(&history).expect("history");
    std::fs::write(
        &history,
        text.replacen("  acts:\n", &format!("  acts:\n{item}"), 1),
    )
    .expect("write");
    for e in spec["edits"].as_sequence().expect("edits") {
        let file = pkg.join(e["file"].as_str().expect("file"));
        let text = std::fs::read_to_string(&file).expect("read");
        let find = e["find"].as_str().expect("find");
        assert_eq!(
            text.matches(find).count(),
            1,
            "{hyp}: the edit must match once in {}",
            file.display()
        );
        std::fs::write(
            &file,
            text.replacen(find, e["replace"].as_str().expect("replace"), 1),
        )
        .expect("write");
    }
    pkg
}

/// One line per application at `at`: outcome, reasons, missing, score and
/// decision deadline, or the exit status.
fn decisions(policy: &str, at: &str, files: &[String]) -> String {
    let mut s = format!("at {at}\n");
    for f in files {
        let name = f.rsplit('/').next().unwrap_or_default();
        let o = qagida(&[
            "eval",
            "--policy",
            policy,
            "--param",
            "threshold=6",
            "--at",
            at,
            "--format",
            "json",
            f,
        ]);
        if o.status.code() != Some(0) {
            s += &format!("  {name}: exit {:?}\n", o.status.code());
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        s += &format!(
            "  {name}: {} [{}] missing [{}] score {} decision_by {}\n",
            v["outcome"].as_str().unwrap_or(""),
            ids(&v, "reasons"),
            ids(&v, "missing"),
            v["score"]["total"],
            v["deadlines"]["decision_by"]
        );
    }
    s
}

/// The base policy's decisions on the examples at each date, computed once.
fn base(at: &str) -> String {
    static CACHE: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, d)) = cache.iter().find(|(a, _)| a == at) {
        return d.clone();
    }
    let d = decisions("policies/kz-order-503", at, &examples());
    cache.push((at.to_string(), d.clone()));
    d
}

/// The corpus every policy recognises: the kz examples.
fn examples() -> Vec<String> {
    yaml_files(&["policies/kz-order-503/examples", "tests/amendments/apps"])
        .into_iter()
        .filter(|f| f.starts_with("policies/"))
        .collect()
}

fn check(hyp: &str) {
    let pkg = amended(hyp);
    let p = pkg.display().to_string();
    let o = qagida(&["check", &p]);
    assert_eq!(o.status.code(), Some(0), "{hyp}: {}", stderr(&o));
    let mut changed = false;
    for at in DATES {
        let after = decisions(&p, at, &examples());
        if at < AMENDED_FROM {
            assert_eq!(
                base(at),
                after,
                "{hyp} changed an edition before it came into force"
            );
        } else {
            changed |= base(at) != after;
        }
    }
    // The corpus with the applications made for the hypothetical acts, just
    // before the act and in its edition.
    let all = yaml_files(&["policies/kz-order-503/examples", "tests/amendments/apps"]);
    let before = decisions(&p, "2022-01-31", &all);
    let reached = decisions(&p, DATES[DATES.len() - 1], &all);
    assert!(
        changed || before != reached,
        "{hyp} changed nothing in its own edition"
    );
    let o = qagida(&[
        "diff",
        "--from",
        AMENDED_FROM,
        "--to",
        AMENDED_FROM,
        "--with",
        &p,
    ]);
    let o2 = qagida(&[
        "diff",
        "--from",
        "2022-01-31",
        "--to",
        AMENDED_FROM,
        "--policy",
        &p,
    ]);
    assert_snapshot!(
        hyp,
        format!("{}{}\n{before}\n{reached}", stdout(&o), stdout(&o2))
    );
    let _ = std::fs::remove_dir_all(pkg.parent().expect("temp copy"));
}

#[test]
fn a_band_of_points_changes() {
    check("hyp-points");
}

#[test]
fn a_profession_is_added() {
    check("hyp-profession");
}

#[test]
fn a_scoring_criterion_is_added() {
    check("hyp-criterion");
}

#[test]
fn a_deadline_changes() {
    check("hyp-deadline");
}
