//! `qagida consolidate` and `qagida diff` on the built-in policy.

use crate::common::*;

#[test]
fn consolidate_marks_wording_not_encoded() {
    let o = qagida(&["consolidate", "--at", "2019-05-01", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["edition"], "kz-order-503@order-242");
    assert_eq!(
        v["parameters"]["points_higher_education"]["status"],
        "wording not encoded"
    );
    assert_eq!(v["provisions"]["list"]["encoded"], true);
    assert_eq!(
        v["catalogues"]["list"]["entries"].as_array().map(Vec::len),
        Some(134)
    );
    let o = qagida(&["consolidate", "--at", "2022-05-01", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["parameters"]["points_higher_education"]["value"], 3);
    assert!(
        v["parameters"]["points_higher_education"]
            .get("status")
            .is_none()
    );
    let o = qagida(&["consolidate", "--at", "2016-05-01"]);
    assert_eq!(o.status.code(), Some(7));
}

#[test]
fn diff_names_each_change_and_the_act_responsible() {
    let o = qagida(&["diff", "--from", "2020-01-01", "--to", "2021-06-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_snapshot!("diff_2020_2021", stdout(&o));
    let o = qagida(&["diff", "--from", "2021-06-01", "--to", "2022-06-01"]);
    assert_eq!(
        stdout(&o),
        "kz-order-503 from 2021-06-01 to 2022-06-01: 0 change(s)\n"
    );
    let o = qagida(&[
        "diff",
        "--from",
        "2018-01-01",
        "--to",
        "2019-01-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let added = v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["kind"] == "entry" && c["change"] == "added")
        .count();
    assert_eq!(
        added, 134,
        "the List's wording is encoded from Order No. 242"
    );
    assert!(
        v["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .all(|c| c["acts"] == serde_json::json!(["order-242"]))
    );
}

#[test]
fn diff_between_two_folders_shows_an_amendment_recorded_as_data() {
    let dir = std::env::temp_dir().join(format!("qagida-diff-{}", std::process::id()));
    copy_tree(std::path::Path::new("policies"), &dir);
    // A hypothetical amendment, not law: 3 points for 1-3 years from 2022.
    let file = dir.join("kz-order-503/assessment.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let edited = text.replace(
        "  points_experience_1_to_3_years:\n    type: int\n    value: 2",
        "  points_experience_1_to_3_years:\n    type: int\n    values: {2017-01-01: 2, 2022-01-01: 3}",
    );
    assert_ne!(text, edited);
    std::fs::write(&file, edited).expect("write");
    let with = dir.join("kz-order-503").display().to_string();
    let o = qagida(&[
        "diff",
        "--from",
        "2022-06-01",
        "--to",
        "2022-06-01",
        "--with",
        &with,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "kz-order-503 from 2022-06-01 to 2022-06-01: 1 change(s)\n  parameter points_experience_1_to_3_years changed: 2 -> 3\n"
    );
    // Before the dated value it changes nothing.
    let o = qagida(&[
        "diff",
        "--from",
        "2021-06-01",
        "--to",
        "2021-06-01",
        "--with",
        &with,
    ]);
    assert!(stdout(&o).contains(": 0 change(s)"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
