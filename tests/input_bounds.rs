//! `min` and `max` on an input field: a value outside them is an input
//! error with its place, in the general reader and in the batch's direct
//! JSON reader alike; the bounds are checked at load and given to editors
//! in the JSON Schema.

use crate::common::*;

const BOUNDED: &str = "input:
  months: {type: int, optional: true, min: 1, max: 3, cite: \"§1\"}
  rate: {type: decimal, optional: true, min: 0.5, cite: \"§2\"}
  day: {type: date, optional: true, max: 2021-12-31, cite: \"§3\"}
values:
  twice: {expr: 'default(months, 0) * 2', cite: \"§4\"}
";

#[test]
fn a_value_inside_the_bounds_is_read_and_one_outside_is_an_input_error_with_its_place() {
    let p = policy_from_str(&format!("{HEADER}{BOUNDED}"));
    let e = eval_at(
        &p,
        "months: 3\nrate: 0.5\nday: 2021-12-31\n",
        "2021-06-01",
        &[],
    );
    assert_eq!(e.values["twice"].to_string(), "6");
    let errs = input_errors(&p, "months: 4\n");
    assert!(
        errs.contains("`months`: 4 is more than 3, the greatest value it accepts")
            && errs.contains("app.yaml:1:9"),
        "{errs}"
    );
    let errs = input_errors(&p, "months: 0\nrate: 0.25\nday: 2022-01-01\n");
    for part in [
        "`months`: 0 is less than 1, the least value it accepts",
        "`rate`: 0.25 is less than 0.5, the least value it accepts",
        "`day`: 2022-01-01 is more than 2021-12-31, the greatest value it accepts",
    ] {
        assert!(errs.contains(part), "{errs}");
    }
}

#[test]
fn bounds_that_cannot_hold_are_refused_at_load() {
    let errs = load_errors(&format!(
        "{HEADER}input:\n  name: {{type: string, min: 1, cite: x}}\n  n: {{type: int, min: 5, max: 2, cite: x}}\n  m: {{type: int, max: soon, cite: x}}\n"
    ));
    for part in [
        "`min` applies to numbers, dates and times, not to",
        "`max` is less than `min`",
        "`max`:",
    ] {
        assert!(errs.contains(part), "{errs}");
    }
    assert!(errs.contains("inline.yaml:"), "{errs}");
}

#[test]
fn the_batch_keeps_every_line_and_refuses_only_the_one_out_of_bounds() {
    let dir = scratch("input-bounds-batch");
    let jsonl = dir.join("apps.jsonl");
    let line = |term: &str| {
        format!(
            r#"{{"service": "issue", "submitted_at": "2021-03-15T10:00", "profession": "Онколог дәрігер", "qualification_level": 7, "education": {{"higher_in_specialty": true, "academic_degree_in_specialty": true, "english_teaching_certificate": false}}, "experience_in_specialty": {{"years": 4}}, "documents": ["application", "identity_document", "education_documents", "employment_record"], "issued_on": "2021-03-25", "term_months": {term}}}"#
        )
    };
    std::fs::write(
        &jsonl,
        format!("{}\n{}\n{}\n", line("2"), line("4"), line("3")),
    )
    .expect("write");
    let outp = dir.join("out.jsonl");
    let o = qagida(&[
        "batch",
        "--output",
        outp.to_str().expect("utf-8"),
        jsonl.to_str().expect("utf-8"),
    ]);
    let out = std::fs::read_to_string(&outp).unwrap_or_default();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}\n{}", stderr(&o));
    let v: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(v[0]["values"]["valid_until"], "2021-05-25", "{}", lines[0]);
    assert!(
        lines[1].contains("4 is more than 3, the greatest value it accepts"),
        "{}",
        lines[1]
    );
    assert_eq!(v[2]["values"]["valid_until"], "2021-06-25", "{}", lines[2]);
}

#[test]
fn the_json_schema_gives_editors_the_bounds() {
    let o = qagida(&["schema", "input"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let t = &v["properties"]["term_months"];
    assert_eq!(
        (t["minimum"].as_i64(), t["maximum"].as_i64()),
        (Some(1), Some(3)),
        "{t}"
    );
}
