//! Ordered enumerations (issue 15): an enumeration's members compare in
//! their order of declaration in `<`, `<=`, `>`, `>=`, `min`, `max` and a
//! table's ranges of members, never alphabetically; and a string literal
//! is a member wherever one is expected, an error naming the members (at
//! file:line:col) where it is not one.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use qagida::core::source::SourceFile;
use qagida::core::value::{Fields, Value};
use qagida::engine::eval::Options;

use crate::common::*;

/// A policy over a level of the language `enum(below_a1, a1, a2, b1, b2)`.
/// Alphabetically, `below_a1` sorts after `b1` and `b2`.
const LEVELS: &str = r#"input:
  level: {type: "enum(below_a1, a1, a2, b1, b2)", cite: "§1"}
  levels: {type: "list<enum(below_a1, a1, a2, b1, b2)>", cite: "§1"}
  name: {type: string, cite: "§1"}
tables:
  band:
    cite: "§2"
    columns: {level: "enum(below_a1, a1, a2, b1, b2)"}
    output: string
    hit: unique
    rows:
      - {when: {level: below_a1}, then: none, cite: "§2 a"}
      - {when: {level: "[a1, b1)"}, then: basic, cite: "§2 b"}
      - {when: {level: ">= b1"}, then: independent, cite: "§2 c"}
  middle:
    cite: "§3"
    columns: {level: "enum(below_a1, a1, a2, b1, b2)", full: bool}
    output: int
    hit: first
    default: 0
    rows:
      - {when: {level: "(a1, b2)", full: true}, then: 2, cite: "§3 a"}
      - {when: {level: "<= a1", full: "-"}, then: 1, cite: "§3 b"}
values:
  at_least_b1: {expr: 'level >= "b1"', cite: "§4"}
  under_a2: {expr: '"a2" > level', cite: "§4"}
  not_above_peer: {expr: 'level <= max(levels)', cite: "§4"}
  lowest: {expr: min(levels), cite: "§4"}
  highest: {expr: max(levels), cite: "§4"}
  capped: {type: "enum(below_a1, a1, a2, b1, b2)", expr: 'min(level, "a2")', cite: "§4"}
  floor: {expr: 'max([level, "a1"])', cite: "§4"}
  above_a2: {expr: 'count(l in levels => l > "a2")', cite: "§4"}
  band: {expr: "lookup(band, level)", cite: "§2"}
  b1_band: {expr: 'lookup(band, "b1")', cite: "§2"}
  middle: {expr: 'lookup(middle, level, true)', cite: "§3"}
  chosen: {expr: 'if level in ["a1", "a2"] then level else "b2"', cite: "§4"}
  fallback: {expr: 'default(level, "a1") < "b2"', cite: "§4"}
  text: {expr: 'name >= "b1"', cite: "§4"}
"#;

/// What each value of [`LEVELS`] is for `level` (and `name` the same
/// text), with `levels: [a2, below_a1, b2]`.
fn values(level: &str) -> Vec<(String, String)> {
    let p = policy_from_str(&format!("{HEADER}{LEVELS}"));
    let app = format!("level: {level}\nlevels: [a2, below_a1, b2]\nname: {level}\n");
    let r = eval_at(&p, &app, "2021-01-01", &[]);
    r.values
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn value(vs: &[(String, String)], name: &str) -> String {
    vs.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no value `{name}`"))
}

#[test]
fn members_compare_in_their_order_of_declaration() {
    // (level, at_least_b1, under_a2, capped, floor, band, middle)
    let expected = [
        ("below_a1", "false", "true", "below_a1", "a1", "none", "1"),
        ("a1", "false", "true", "a1", "a1", "basic", "1"),
        ("a2", "false", "false", "a2", "a2", "basic", "2"),
        ("b1", "true", "false", "a2", "b1", "independent", "2"),
        ("b2", "true", "false", "a2", "b2", "independent", "0"),
    ];
    for (level, at_least_b1, under_a2, capped, floor, band, middle) in expected {
        let vs = values(level);
        let got = |n: &str| value(&vs, n);
        assert_eq!(got("at_least_b1"), at_least_b1, "{level} >= b1");
        assert_eq!(got("under_a2"), under_a2, "a2 > {level}");
        assert_eq!(got("capped"), capped, "min({level}, a2)");
        assert_eq!(got("floor"), floor, "max([{level}, a1])");
        assert_eq!(got("band"), band, "lookup(band, {level})");
        assert_eq!(got("middle"), middle, "lookup(middle, {level}, true)");
        assert_eq!(got("not_above_peer"), "true", "{level} <= b2");
    }
    let vs = values("a2");
    assert_eq!(value(&vs, "lowest"), "below_a1");
    assert_eq!(value(&vs, "highest"), "b2");
    assert_eq!(value(&vs, "above_a2"), "1");
    assert_eq!(value(&vs, "b1_band"), "independent");
    assert_eq!(value(&vs, "chosen"), "a2");
    assert_eq!(value(&vs, "fallback"), "true");
    // Text that is not of an enumeration still compares alphabetically.
    assert_eq!(value(&values("below_a1"), "text"), "true");
}

/// A value that reaches an ordering comparison without being a member
/// (the application's reader lets none through; an input made by a
/// program may) has no place in the order: the evaluation fails, naming
/// the members and where, rather than compare it as text.
#[test]
fn a_value_that_is_not_a_member_is_an_evaluation_error() {
    let p = policy_from_str(&format!(
        "{HEADER}input:\n  level: {{type: \"enum(below_a1, a1, a2, b1, b2)\", cite: x}}\nvalues:\n  high: {{expr: 'level >= \"b1\"', cite: x}}\n"
    ));
    let file = SourceFile::new("app.yaml", "level: b1\n");
    let good = qagida::engine::input::read(&p, &file).expect("a member");
    let opts = Options {
        at: Some("2021-01-01".parse().expect("a date")),
        ..Options::default()
    };
    let r = qagida::engine::eval::evaluate(&p, &good, &opts).expect("evaluates");
    assert_eq!(r.values["high"], Value::Bool(true));
    let names: Arc<[Arc<str>]> = Arc::new([Arc::from("level")]);
    let bad = Value::Record(Arc::new(Fields::new(names, vec![Value::str("c1")])));
    let e = qagida::engine::eval::evaluate(&p, &bad, &opts).expect_err("not a member");
    let text = qagida::core::diag::human(&[e], false);
    assert!(
        text.contains(
            "`c1` is not one of below_a1, a1, a2, b1, b2, so it has no place in their order"
        ),
        "{text}"
    );
    assert!(text.contains("inline.yaml:"), "{text}");
}

/// A fresh folder for a test's files, under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qagida-enums-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs the binary in `dir` (so that paths in its output are the files'
/// names alone).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_qagida"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[test]
fn qagida_eval_orders_members_by_declaration() {
    let dir = scratch("eval");
    std::fs::write(dir.join("policy.yaml"), format!("{HEADER}{LEVELS}")).expect("write");
    std::fs::write(
        dir.join("app.yaml"),
        "level: below_a1\nlevels: [a2, below_a1, b2]\nname: below_a1\n",
    )
    .expect("write");
    let o = run_in(
        &dir,
        &["eval", "--policy", ".", "--at", "2021-01-01", "app.yaml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_snapshot!("qagida_eval_orders_members_by_declaration", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every comparison the engine cannot be sure of is refused when the
/// policy loads, each at its file, line and column, a literal that is not
/// a member naming the members.
#[test]
fn qagida_check_refuses_what_has_no_members_order() {
    let dir = scratch("check");
    let body = r#"input:
  level: {type: "enum(below_a1, a1, a2, b1, b2)", cite: "§1"}
  grade: {type: "enum(low, high)", cite: "§1"}
  name: {type: string, cite: "§1"}
tables:
  band:
    cite: "§2"
    columns: {level: "enum(below_a1, a1, a2, b1, b2)"}
    output: int
    hit: first
    default: 0
    rows:
      - {when: {level: "[b2, below_a1]"}, then: 1, cite: "§2 a"}
      - {when: {level: "[below_a1, a1]"}, then: 5, cite: "§2 e"}
      - {when: {level: ">= c1"}, then: 2, cite: "§2 b"}
      - {when: {level: "[a1 b1)"}, then: 3, cite: "§2 c"}
      - {when: {level: "(, b2]"}, then: 4, cite: "§2 d"}
values:
  not_a_member: {expr: 'level < "c1"', cite: "§3"}
  not_a_member_either: {expr: '"B1" <= level', cite: "§3"}
  two_enumerations: {expr: level > grade, cite: "§3"}
  against_text: {expr: level >= name, cite: "§3"}
  mixed: {expr: '(if name == "x" then level else grade) < "b1"', cite: "§3"}
  min_of_two: {expr: "min(level, grade)", cite: "§3"}
  max_against_text: {expr: "max(level, name)", cite: "§3"}
  lookup_key: {expr: 'lookup(band, "c1")', cite: "§3"}
  in_list: {expr: 'level in ["a1", "c1"]', cite: "§3"}
  fallback: {expr: 'default(level, "A1")', cite: "§3"}
  branch: {expr: 'if name == "x" then level else "c1"', cite: "§3"}
  declared: {type: "enum(below_a1, a1, a2, b1, b2)", expr: '"c1"', cite: "§3"}
  equal: {expr: 'level == "c1"', cite: "§3"}
  blend: {expr: 'if name == "x" then level else grade', cite: "§3"}
  blend_ordered: {expr: 'blend >= "b1"', cite: "§3"}
"#;
    std::fs::write(dir.join("policy.yaml"), format!("{HEADER}{body}")).expect("write");
    let o = run_in(&dir, &["check", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_snapshot!("qagida_check_refuses_what_has_no_members_order", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Lint sees the members a table of ranges of members leaves without a
/// row, and those two rows of a `unique` table both cover.
#[test]
fn qagida_check_lints_gaps_and_overlaps_of_ranges_of_members() {
    let dir = scratch("lint");
    let body = r#"input:
  level: {type: "enum(below_a1, a1, a2, b1, b2)", cite: "§1"}
tables:
  band:
    cite: "§2"
    columns: {level: "enum(below_a1, a1, a2, b1, b2)"}
    output: int
    hit: unique
    rows:
      - {when: {level: "[a1, a2]"}, then: 1, cite: "§2 a"}
      - {when: {level: ">= a2"}, then: 2, cite: "§2 b"}
values:
  band: {expr: "lookup(band, level)", cite: "§2"}
"#;
    std::fs::write(dir.join("policy.yaml"), format!("{HEADER}{body}")).expect("write");
    let o = run_in(&dir, &["check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_snapshot!(
        "qagida_check_lints_gaps_and_overlaps_of_ranges_of_members",
        format!("{}{}", stdout(&o), stderr(&o))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_literal_chosen_by_if_is_checked_as_a_member_too() {
    // `level == (if c then "zz" else "a1")` would be false for every level
    // when c holds: refused, as `level == "zz"` is.
    let text = format!(
        "{HEADER}input:\n  level: {{type: \"enum(a1, a2, b1)\", cite: \"§1\"}}\n  c: {{type: bool, cite: \"§1\"}}\nvalues:\n  v:\n    expr: level == (if c then \"zz\" else \"a1\")\n    cite: \"§2\"\n  w:\n    expr: level in (if c then [\"a2\", \"zy\"] else [\"a1\"])\n    cite: \"§2\"\n"
    );
    let errors = load_errors(&text);
    assert!(errors.contains("`zz` is not one of a1, a2, b1"), "{errors}");
    assert!(errors.contains("`zy` is not one of a1, a2, b1"), "{errors}");
    assert_eq!(errors.matches("error[type]").count(), 2, "{errors}");
}
