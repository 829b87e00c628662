//! The act's editions, and a fixed corpus of applications evaluated inside
//! each edition's window and after the repeal: one reviewed snapshot per
//! edition, so that recording an amendment shows exactly which editions'
//! decisions it changes.

use crate::common::*;

/// One line per application: its outcome, reasons and missing names.
fn decisions(at: &str) -> String {
    let mut s = String::new();
    for f in yaml_files(&["policies/kz-order-503/examples"]) {
        let o = qagida(&[
            "eval",
            "--param",
            "threshold=6",
            "--at",
            at,
            "--format",
            "json",
            &f,
        ]);
        let name = f.rsplit('/').next().unwrap_or_default().to_string();
        if o.status.code() != Some(0) {
            let err = stderr(&o);
            s += &format!(
                "{name}: exit {:?}: {}\n",
                o.status.code(),
                err.lines().next().unwrap_or_default()
            );
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        s += &format!(
            "{name}: {} reasons=[{}] missing=[{}] edition={}\n",
            v["outcome"].as_str().unwrap_or(""),
            ids(&v, "reasons"),
            ids(&v, "missing"),
            v["edition"].as_str().unwrap_or("")
        );
    }
    s
}

#[test]
fn one_snapshot_per_edition() {
    let o = qagida(&["editions", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let eds = v["editions"].as_array().expect("editions");
    assert_eq!(eds.len(), 4);
    for e in eds {
        let from: chrono::NaiveDate = e["from"].as_str().expect("from").parse().expect("date");
        let at = (from + chrono::Duration::days(30))
            .format("%Y-%m-%d")
            .to_string();
        let id = e["id"].as_str().expect("id").replace(['@', '-'], "_");
        assert_snapshot!(
            format!("edition_{id}"),
            format!("at {at}\n{}", decisions(&at))
        );
    }
    let repealed = v["in_force"]["until"].as_str().expect("repeal date");
    assert_snapshot!(
        "after_repeal",
        format!("at {repealed}\n{}", decisions(repealed))
    );
}

#[test]
fn the_timeline_reads_as_reviewed() {
    let o = qagida(&["editions"]);
    assert_eq!(o.status.code(), Some(0));
    assert_snapshot!("timeline", stdout(&o));
}
