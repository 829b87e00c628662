//! The act's editions, and a fixed corpus of applications evaluated inside
//! each edition's window and after the repeal: one reviewed snapshot per
//! edition, so that recording an amendment shows exactly which editions'
//! decisions it changes.

use crate::common::*;

/// One line per application: its outcome, reasons and missing names.
const KZ_GRANT: &str = "policies/kz-order-503/examples/issue-grant.yaml";

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
    // The repeal's date is uncertain: from the first day it may be in
    // force, the act is applied with a warning; from its latest date, no
    // longer.
    let doubt = v["in_force"]["until"].as_str().expect("repeal date");
    assert_snapshot!(
        "repeal_in_doubt",
        format!("at {doubt}\n{}", decisions(doubt))
    );
    let repeal = v["acts"]
        .as_array()
        .expect("acts")
        .iter()
        .find(|a| a["kind"] == "repeal")
        .expect("a repeal");
    let repealed = repeal["in_force"]["latest"].as_str().expect("latest");
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

#[test]
fn a_decision_while_the_repeal_is_in_doubt_warns_naming_both_sources() {
    for at in ["2023-07-01", "2023-07-02"] {
        let o = qagida(&["eval", "--at", at, "--format", "json", KZ_GRANT]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        let warnings = v["warnings"].as_array().expect("warnings");
        let w = warnings
            .iter()
            .find(|w| w["id"] == "uncertain_in_force")
            .expect("an uncertain_in_force warning");
        let msg = w["message"].as_str().expect("a message");
        for part in [
            "`order-236`",
            "the state register's English page (\"effective 1 July 2023\") gives 2023-07-01",
            "the order's own rule counted from its signing on 22.06.2023 gives 2023-07-03 at the earliest",
            "takes the act it repeals as still in force",
        ] {
            assert!(msg.contains(part), "{at}: {msg}");
        }
        assert_eq!(v["edition"], "kz-order-503@order-537", "{at}");
    }
    // From the first day both sources have the repeal in force, the act is
    // not applied; the message says up to when it was, with a warning.
    let o = qagida(&["eval", "--at", "2023-07-03", KZ_GRANT]);
    assert_eq!(o.status.code(), Some(7));
    assert!(
        stderr(&o).contains("up to 2023-07-02 it is applied with a warning"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_refuses_a_repeal_that_disagrees_with_the_package_or_its_sources() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("repeal-window");
    copy_tree(&root.join("policies"), &dir);
    let history = dir.join("kz-order-503/history.yaml");
    let text = std::fs::read_to_string(&history).expect("history");
    // A source outside the window.
    let moved = text.replace("earliest: 2023-07-03\n", "earliest: 2023-07-09\n");
    assert_ne!(moved, text);
    std::fs::write(&history, &moved).expect("write");
    let o = qagida(&[
        "check",
        "--policy",
        dir.join("kz-order-503").to_str().expect("utf-8"),
    ]);
    assert_ne!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains(
            "the source's date 2023-07-09 is outside the act's window, 2023-07-01 to 2023-07-03"
        ) && err.contains("history.yaml:"),
        "{err}"
    );
    // The package's end of force not the repeal's first possible day.
    let policy = dir.join("kz-order-503/policy.yaml");
    std::fs::write(&history, &text).expect("write");
    let p = std::fs::read_to_string(&policy).expect("policy");
    std::fs::write(&policy, p.replace("until: 2023-07-01", "until: 2023-07-03")).expect("write");
    let o = qagida(&[
        "check",
        "--policy",
        dir.join("kz-order-503").to_str().expect("utf-8"),
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("the package is in force until 2023-07-03, but the repealing act `order-236` comes into force on 2023-07-01"),
        "{}",
        stderr(&o)
    );
}
