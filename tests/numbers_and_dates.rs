//! Numbers as the law writes them (percents, rounding to places, units)
//! and the date of the evaluation in expressions, through the commands a
//! person runs: `eval`, `explain`, `doc`, `consolidate`, `diff`, `schema`
//! and `batch`, on the fictional rent allowance of
//! `tests/policies/allowance/`, and through the library.

use crate::common::*;
use qagida::engine::{Application, At, DecideError, Request, Setting};

const ALLOWANCE: &str = "tests/policies/allowance";
const GRANT: &str = "tests/policies/allowance/applications/grant.yaml";
const REFUSE: &str = "tests/policies/allowance/applications/refuse.yaml";

fn ok(args: &[&str]) -> String {
    let o = qagida(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn eval_and_explain_show_each_number_with_its_unit() {
    let text = ok(&["eval", "--policy", ALLOWANCE, GRANT]);
    assert_snapshot!("eval_text", text);
    let explained = ok(&["explain", "--policy", ALLOWANCE, REFUSE]);
    assert_snapshot!("explain", explained);
}

#[test]
fn the_decisions_json_carries_no_unit() {
    let json = ok(&["eval", "--policy", ALLOWANCE, "--format", "json", GRANT]);
    assert_snapshot!("eval_json", json);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    // Numbers stay numbers: a percent is its fraction.
    assert_eq!(v["values"]["share"], serde_json::json!(0.4002));
    assert_eq!(v["values"]["allowance"], serde_json::json!(275.14));
    assert!(!json.contains("GBP") && !json.contains("percent") && !json.contains('%'));
    // A batch's record is the same object with its line.
    let dir = std::env::temp_dir().join(format!("qagida-units-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let line = serde_json::to_string(&serde_json::json!({
        "applied_at": "2023-03-15T10:00", "rent": 1000.50, "income": 2500,
        "household": 3, "moved_in": "2019-09-01"
    }))
    .expect("JSON");
    let input = dir.join("in.jsonl");
    std::fs::write(&input, format!("{line}\n")).expect("write");
    let batch = ok(&[
        "batch",
        "--policy",
        ALLOWANCE,
        "-o",
        "-",
        &input.display().to_string(),
    ]);
    let mut record: serde_json::Value = serde_json::from_str(batch.trim()).expect("a record");
    assert_eq!(record["line"], 1);
    record.as_object_mut().expect("an object").remove("line");
    let mut whole = v.clone();
    whole.as_object_mut().expect("an object").remove("line");
    assert_eq!(record, whole);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn doc_consolidate_and_diff_show_units_and_percents() {
    let doc = ok(&["doc", "--policy", ALLOWANCE, "--at", "2023-06-01"]);
    assert_snapshot!("doc", doc);
    let yaml = ok(&["consolidate", "--policy", ALLOWANCE, "--at", "2023-06-01"]);
    assert_snapshot!("consolidate", yaml);
    let diff = ok(&[
        "diff",
        "--policy",
        ALLOWANCE,
        "--from",
        "2022-12-31",
        "--to",
        "2023-01-01",
    ]);
    assert_snapshot!("diff", diff);
    let schema = ok(&["schema", "input", "--policy", ALLOWANCE]);
    assert_snapshot!("schema_input", schema);
}

#[test]
fn the_evaluation_date_reads_a_parameter_the_caller_may_set() {
    // By default the application is assessed on the day it is made.
    let o = ok(&["eval", "--policy", ALLOWANCE, "--format", "json", REFUSE]);
    let v: serde_json::Value = serde_json::from_str(&o).expect("JSON");
    assert_eq!(v["at"], "2022-11-30");
    assert_eq!(ids(&v, "reasons"), "low_burden,new_tenancy");
    // The caller's processing time moves the date, and with it every
    // expression that reads `evaluation_date`.
    let o = ok(&[
        "eval",
        "--policy",
        ALLOWANCE,
        "--format",
        "json",
        "--param",
        "processing=7 months",
        REFUSE,
    ]);
    let v: serde_json::Value = serde_json::from_str(&o).expect("JSON");
    assert_eq!(v["at"], "2023-06-30");
    assert_eq!(ids(&v, "reasons"), "low_burden");
    assert_eq!(v["values"]["tenancy_years"], 1);
    // A date given replaces it.
    let o = ok(&[
        "eval",
        "--policy",
        ALLOWANCE,
        "--format",
        "json",
        "--at",
        "2024-12-31",
        REFUSE,
    ]);
    let v: serde_json::Value = serde_json::from_str(&o).expect("JSON");
    assert_eq!(v["values"]["tenancy_years"], 2);
}

/// A policy whose evaluation date reads a parameter the act leaves without
/// a value.
const UNSET: &str = "input:
  applied: {type: date}
parameters:
  delay: {type: duration, value: null, cite: \"§1\"}
values:
  on: {expr: evaluation_date, cite: \"§2\"}
";

#[test]
fn an_evaluation_date_waiting_on_a_parameter_says_which() {
    let p = policy_from_str(&format!(
        "{}  evaluation_date: applied + delay\n{UNSET}",
        HEADER
    ));
    let data = qagida::core::yaml::value("applied: 2021-03-01").expect("YAML");
    let app = || Application::Data {
        data: &data,
        name: "app",
    };
    let e = p.decide(app(), &Request::default()).expect_err("no date");
    assert!(matches!(e, DecideError::NoDate { .. }));
    assert_eq!(
        e.to_string(),
        "no date to evaluate at: the policy `inline` gives no evaluation date for this application (it needs parameter `delay`, which has no value: supply it with --param delay=VALUE); give one with --at"
    );
    let set = Request {
        params: vec![Setting::Arg("delay=10 days".into())],
        ..Request::default()
    };
    let r = p.decide(app(), &set).expect("decided");
    assert_eq!(r.at.to_string(), "2021-03-11");
    assert_eq!(r.values["on"].to_string(), "2021-03-11");
    let at = Request {
        at: At::On("2021-05-01".parse().expect("a date")),
        ..Request::default()
    };
    let r = p.decide(app(), &at).expect("decided");
    assert_eq!(r.values["on"].to_string(), "2021-05-01");
}

#[test]
fn every_expression_evaluated_at_a_date_reads_it() {
    let p = policy_from_str(&format!(
        "{HEADER}input:
  due: {{type: date}}
values:
  late: {{expr: evaluation_date > due, cite: \"§1\"}}
reasons:
  overdue: {{cite: \"§2\"}}
decision:
  cite: \"§3\"
  outcomes: {{accept: {{}}, reject: {{}}}}
  rules:
    - {{id: r1, outcome: reject, when: evaluation_date >= 2021-01-01, reasons: [{{id: overdue, when: evaluation_date > due}}], cite: \"§3\"}}
  otherwise: accept
warnings:
  same_day: {{when: evaluation_date == due, message: {{en: Assessed on the day it was due}}, cite: \"§4\"}}
report:
  assessed_on: {{expr: evaluation_date}}
forms:
  letter:
    title: {{en: Letter}}
    cite: \"§5\"
    fields:
      - {{id: dated, label: {{en: Date}}, expr: evaluation_date}}
"
    ));
    let decide = |at: &str| {
        let data = qagida::core::yaml::value("due: 2021-03-01").expect("YAML");
        let request = Request {
            at: At::On(at.parse().expect("a date")),
            ..Request::default()
        };
        p.decide(
            Application::Data {
                data: &data,
                name: "app",
            },
            &request,
        )
        .expect("decided")
    };
    let r = decide("2021-03-02");
    assert_eq!(
        (r.outcome.as_str(), r.reasons[0].id.as_str()),
        ("reject", "overdue")
    );
    assert_eq!(r.values["late"].to_string(), "true");
    assert!(r.warnings.is_empty());
    let json = qagida::engine::contract::to_json(&p, &r);
    assert_eq!(json["assessed_on"].as_str(), Some("2021-03-02"));
    assert_eq!(r.forms["letter"][0].1.to_string(), "2021-03-02");
    let r = decide("2021-03-01");
    assert_eq!(r.outcome, "accept");
    assert_eq!(&*r.warnings[0].id, "same_day");
    let r = decide("2020-12-31");
    assert_eq!(r.outcome, "accept");
    assert_eq!(r.values["late"].to_string(), "false");
}

#[test]
fn a_percent_written_as_a_plain_number_is_warned_of() {
    let text = format!(
        "{HEADER}parameters:
  rate: {{type: decimal, value: 20, unit: percent, cite: \"§1\"}}
  steps: {{type: decimal, values: {{2020-01-01: 0.5, 2021-01-01: 1.5, 2022-01-01: 150%}}, unit: percent, cite: \"§2\"}}
  fee: {{type: decimal, value: 20, unit: GBP, cite: \"§3\"}}
values:
  x: {{expr: rate + steps + fee, cite: \"§4\"}}
"
    );
    let read = move |rel: &str| -> Result<(String, String), String> {
        match rel {
            "\0manifest" => Ok(("inline.yaml".into(), text.clone())),
            _ => Err(format!("no file `{rel}`")),
        }
    };
    let loaded = qagida::policy::load_files(&read).expect("loads: it is a warning");
    let units: Vec<_> = loaded
        .warnings
        .iter()
        .filter(|d| d.code == "unit")
        .cloned()
        .collect();
    assert_snapshot!(
        "percent_as_number",
        qagida::core::diag::human(&units, false)
    );
}

#[test]
fn a_percent_parameter_is_set_as_a_percent() {
    let o = ok(&[
        "eval",
        "--policy",
        ALLOWANCE,
        "--format",
        "json",
        "--param",
        "rate=12.5%",
        GRANT,
    ]);
    let v: serde_json::Value = serde_json::from_str(&o).expect("JSON");
    assert_eq!(v["values"]["allowance"], serde_json::json!(125.06));
    let o = qagida(&[
        "eval",
        "--policy",
        ALLOWANCE,
        "--param",
        "rate=12.5 %",
        GRANT,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--param rate: `12.5 %` is not a percent such as `20%`"),
        "{}",
        stderr(&o)
    );
    // A plain number above 1 is refused, not guessed at: 20 is 2000%.
    let o = qagida(&["eval", "--policy", ALLOWANCE, "--param", "rate=20", GRANT]);
    assert_eq!(o.status.code(), Some(1));
    assert_snapshot!("percent_param_as_number", stderr(&o));
    let o = ok(&[
        "eval", "--policy", ALLOWANCE, "--format", "json", "--param", "rate=0.2", GRANT,
    ]);
    let v: serde_json::Value = serde_json::from_str(&o).expect("JSON");
    assert_eq!(v["values"]["allowance"], serde_json::json!(200.1));
    // The allowance's parameters are all read: `processing` by the
    // evaluation date alone.
    assert!(
        ok(&["check", ALLOWANCE]).contains("0 errors, 0 warnings"),
        "the allowance loads without a finding"
    );
}

#[test]
fn a_table_result_may_be_written_as_a_percent() {
    let p = policy_from_str(&format!(
        "{HEADER}input:
  size: {{type: int}}
tables:
  rates:
    cite: \"§1\"
    columns: {{size: int}}
    output: decimal
    hit: first
    default: 0.5%
    rows:
      - {{when: {{size: \"< 3\"}}, then: 5%, cite: \"§1 a\"}}
      - {{when: {{size: \"[3, 5)\"}}, then: 12.5%, cite: \"§1 b\"}}
values:
  rate: {{expr: \"lookup(rates, size)\", unit: percent, cite: \"§1\"}}
"
    ));
    for (size, want) in [(1, "0.05"), (4, "0.125"), (9, "0.005")] {
        let r = eval_at(&p, &format!("size: {size}"), "2021-01-01", &[]);
        assert_eq!(r.values["rate"].to_string(), want);
    }
}
