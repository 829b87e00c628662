//! `qagida consolidate` and `qagida diff` on the built-in policy.

mod common;

use common::*;

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
    insta::assert_snapshot!("diff_2020_2021", stdout(&o));
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
