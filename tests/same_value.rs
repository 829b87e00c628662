//! The same value means the same thing everywhere (issue 17, item 7): a
//! number read by `eval` and by `batch`, a parameter given once, dates
//! inside the years 0001–9999, no leap second.

use crate::common::*;

/// The decision `eval --format json` makes on `app` (JSON text) with the
/// example policy, and the record `batch` writes for it as a JSONL line,
/// without its `line`.
fn eval_and_batch(name: &str, app: &str) -> (serde_json::Value, serde_json::Value) {
    let dir = scratch(name);
    let (file, lines) = (dir.join("app.json"), dir.join("apps.jsonl"));
    std::fs::write(&file, app).expect("write");
    std::fs::write(&lines, format!("{app}\n")).expect("write");
    let (file, lines) = (file.to_str().unwrap(), lines.to_str().unwrap());
    let opts = ["--policy", EXAMPLE, "--param", "pass_mark=3"];
    let run = |cmd: &str, tail: &[&str]| qagida(&[&[cmd][..], &opts, tail].concat());
    let e = run("eval", &["--format", "json", file]);
    assert_eq!(e.status.code(), Some(0), "eval: {}", stderr(&e));
    let b = run("batch", &["-o", "-", lines]);
    let mut record: serde_json::Value = serde_json::from_str(&stdout(&b)).expect("one record");
    record.as_object_mut().expect("an object").remove("line");
    (serde_json::from_slice(&e.stdout).expect("JSON"), record)
}

#[test]
fn json_minus_zero_is_zero_in_eval_and_in_batch() {
    // An integer (`study.year`, each of `grades`) and a decimal (`income`)
    // written `-0`: serde_json reads the integer `-0` as the float -0.0,
    // which the batch took for a number with a fraction.
    let app = r#"{"service": "grant", "submitted_at": "2021-03-15T10:00", "birth_date": "2001-06-01", "income": -0, "region": "north", "study": {"full_time": true, "year": -0, "grades": [5, -0, 3]}, "documents": ["application", "identity", "enrolment", "income_statement"]}"#;
    let (e, b) = eval_and_batch("minus-zero", app);
    assert_eq!(e, b);
    assert_eq!(e["values"]["doubled_grades"], serde_json::json!([10, 0, 6]));
    assert_eq!(e["values"]["rounded_income"], 0);
    // And as the same application written with `0`.
    let (zero, _) = eval_and_batch("plain-zero", &app.replace(" -0", " 0"));
    assert_eq!(e, zero);
}
