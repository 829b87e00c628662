//! `any_of` values: any one of their options suffices, and the decision
//! says which held and, when none did, why each failed.

use crate::common::*;

const EXAMPLE_ARGS: [&str; 4] = ["--policy", EXAMPLE, "--param", "pass_mark=6"];

fn decision(app: &str, with: &[&str]) -> serde_json::Value {
    let mut args = vec!["eval"];
    args.extend(EXAMPLE_ARGS);
    args.extend(with);
    args.extend(["--format", "json", app]);
    let o = qagida(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("json")
}

#[test]
fn the_decision_says_which_options_held() {
    let d = decision("tests/policies/example/applications/grant.yaml", &[]);
    assert_eq!(d["values"]["hardship"], true);
    assert_eq!(
        d["alternatives"].to_string(),
        r#"{"hardship":{"holds":true,"held":["low_income","northern_full_time"],"options":[{"id":"low_income","cite":"§10(a)","holds":true},{"id":"northern_full_time","cite":"§10(b)","holds":true}]}}"#
    );
}

#[test]
fn when_no_option_holds_each_says_what_it_read() {
    let d = decision("tests/policies/example/applications/refuse.yaml", &[]);
    assert_eq!(d["values"]["hardship"], false);
    assert_eq!(
        d["alternatives"].to_string(),
        r#"{"hardship":{"holds":false,"held":[],"options":[{"id":"low_income","cite":"§10(a)","holds":false,"read":{"income":500,"income_limit":300.5}},{"id":"northern_full_time","cite":"§10(b)","holds":false,"read":{"region":"capital","study.full_time":false}}]}}"#
    );
}

#[test]
fn explain_shows_each_option_with_its_citation_and_reading() {
    let mut args = vec!["explain"];
    args.extend(EXAMPLE_ARGS);
    args.push("tests/policies/example/applications/refuse.yaml");
    let o = qagida(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let start = out.find("value hardship").expect("the value");
    let part: String = out[start..].lines().take(12).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(part);
}

const VALUES: &str = "
input:
  a: {type: int, cite: \"§1\"}
  b: {type: int, optional: true, cite: \"§1\"}
";

fn inline(values: &str) -> String {
    format!("{HEADER}{VALUES}values:\n{values}")
}

#[test]
fn an_option_that_is_unknown_leaves_the_value_unknown_unless_another_holds() {
    let p = policy_from_str(&inline(
        "  either:
    any_of:
      big_a: {when: a > 10, cite: \"§2(a)\"}
      big_b: {when: b > 10, cite: \"§2(b)\"}
    cite: \"§2\"
",
    ));
    let r = eval_at(&p, "a: 1", "2021-01-01", &[]);
    assert!(r.values["either"].is_unknown(), "{:?}", r.values["either"]);
    assert_eq!(r.alternatives.len(), 1);
    assert_eq!(r.alternatives[0].held().count(), 0);
    // What each option read, the absent input as unknown.
    let read: Vec<String> = r.alternatives[0]
        .why
        .iter()
        .flatten()
        .map(|(n, v)| format!("{n}={v}"))
        .collect();
    assert_eq!(read, ["a=1", "b=unknown (missing b)"]);
    let r = eval_at(&p, "a: 11", "2021-01-01", &[]);
    assert_eq!(r.values["either"], qagida::core::value::Value::Bool(true));
    assert!(r.alternatives[0].why.is_empty());
}

#[test]
fn an_any_of_value_is_checked_at_load() {
    // Both an expression and options; neither; no option at all.
    for (values, want) in [
        (
            "  v:\n    expr: a > 1\n    any_of: {x: {when: a > 2, cite: \"§2\"}}\n    cite: \"§2\"\n",
            "value `v` needs exactly one of `expr` and `any_of`",
        ),
        (
            "  v:\n    cite: \"§2\"\n",
            "value `v` needs exactly one of `expr` and `any_of`",
        ),
        (
            "  v:\n    any_of: {}\n    cite: \"§2\"\n",
            "value `v` needs exactly one of `expr` and `any_of`",
        ),
        (
            "  v:\n    type: int\n    any_of: {x: {when: a > 2, cite: \"§2\"}}\n    cite: \"§2\"\n",
            "value `v` is declared `int`, but an `any_of` value is a `bool`",
        ),
        (
            "  v:\n    any_of: {x: {when: a + 2, cite: \"§2\"}}\n    cite: \"§2\"\n",
            "inline.yaml:14:24",
        ),
        (
            "  v:\n    any_of: {x: {when: a > 2}}\n    cite: \"§2\"\n",
            "missing field `cite`",
        ),
    ] {
        let errors = load_errors(&inline(values));
        assert!(errors.contains(want), "`{want}` in:\n{errors}");
    }
}

#[test]
fn a_policy_without_any_of_has_no_alternatives_member() {
    let o = qagida(&[
        "eval",
        "--param",
        "threshold=6",
        "--format",
        "json",
        "policies/kz-order-503/examples/issue-grant.yaml",
    ]);
    let d: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(d.get("alternatives").is_none(), "{d}");
}
