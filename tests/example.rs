//! Evaluation of the example policy: outcomes, three-valued logic, dated
//! parameters, overrides, overlays, tables and the trace.

use crate::common::*;
use qagida::core::source::SourceFile;
use qagida::core::value::Value;
use qagida::engine::eval::Options;

fn app(name: &str) -> String {
    std::fs::read_to_string(format!("{EXAMPLE}/applications/{name}.yaml")).expect("example exists")
}

#[test]
fn grant_needs_the_pass_mark_and_gets_it_by_param() {
    let p = policy(EXAMPLE);
    let r = eval_at(&p, &app("grant"), "2021-03-15", &[]);
    assert_eq!(r.outcome, "undetermined");
    assert_eq!(r.missing, vec!["pass_mark"]);
    let r = eval_at(&p, &app("grant"), "2021-03-15", &["pass_mark=6"]);
    assert_eq!(r.outcome, "grant");
    assert!(r.missing.is_empty());
    assert_eq!(r.values["score"], Value::Int(8));
    let r = eval_at(&p, &app("grant"), "2021-03-15", &["pass_mark=9"]);
    assert_eq!(r.outcome, "refuse");
    assert_eq!(r.reasons[0].id, "below_pass_mark");
    assert_eq!(r.reasons[0].cite, "§7");
}

#[test]
fn refusal_lists_every_ground_that_holds_even_when_another_is_unknown() {
    let p = policy(EXAMPLE);
    let r = eval_at(&p, &app("refuse"), "2021-03-15", &[]);
    assert_eq!(r.outcome, "refuse");
    let ids: Vec<&str> = r.reasons.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["too_old", "income_too_high"]);
    // The whole optional `findings` object is absent: it is named as such.
    assert_eq!(r.missing, vec!["findings", "pass_mark"]);
}

#[test]
fn intake_comes_first() {
    let p = policy(EXAMPLE);
    let r = eval_at(&p, &app("intake"), "2022-11-30", &[]);
    assert_eq!(r.outcome, "reject_intake");
    assert_eq!(r.reasons[0].id, "incomplete_documents");
    assert_eq!(
        r.values["missing_documents"],
        Value::List(std::sync::Arc::new(vec![Value::str("enrolment")]))
    );
}

#[test]
fn undetermined_lists_exactly_what_is_missing() {
    let p = policy(EXAMPLE);
    let r = eval_at(&p, &app("undetermined"), "2021-03-15", &[]);
    assert_eq!(r.outcome, "undetermined");
    assert_eq!(r.missing, vec!["findings", "pass_mark"]);
    let r = eval_at(&p, &app("undetermined"), "2021-03-15", &["pass_mark=1"]);
    assert_eq!(r.missing, vec!["findings"]);
}

#[test]
fn dated_parameters_take_the_value_in_force() {
    let p = policy(EXAMPLE);
    let a = app("grant").replace("income: 150", "income: 320");
    let before = eval_at(&p, &a, "2022-12-31", &["pass_mark=1"]);
    assert_eq!(before.params["income_limit"].to_string(), "300.5");
    assert_eq!(before.outcome, "refuse");
    let after = eval_at(&p, &a, "2023-01-01", &["pass_mark=1"]);
    assert_eq!(after.params["income_limit"].to_string(), "350");
    assert_eq!(after.outcome, "grant");
}

#[test]
fn evening_submissions_count_from_the_next_day() {
    let p = policy(EXAMPLE);
    let r = eval_at(&p, &app("refuse"), "2021-03-15", &[]);
    assert_eq!(r.values["registered_on"].to_string(), "2021-03-16");
    assert_eq!(r.values["decision_by"].to_string(), "2021-04-16");
}

#[test]
fn overlay_files_set_parameters_and_are_type_checked() {
    let p = policy(EXAMPLE);
    let good = SourceFile::new(
        "o.yaml",
        "policy: example-study-grant\nparameters:\n  pass_mark: 6\n  max_age: null\n",
    );
    let o = qagida::policy::overlay::overlay(&p, &good).expect("valid overlay");
    assert_eq!(o["pass_mark"], Some(Value::Int(6)));
    assert_eq!(o["max_age"], None);
    let bad = SourceFile::new(
        "o.yaml",
        "policy: other\nparameters:\n  pass_mark: six\n  pasmark: 1\n",
    );
    let errs = qagida::policy::overlay::overlay(&p, &bad).expect_err("invalid overlay");
    assert_snapshot!(
        "overlay_files_set_parameters_and_are_type_checked",
        qagida::core::diag::human(&errs, false)
    );
}

#[test]
fn param_values_are_type_checked() {
    let p = policy(EXAMPLE);
    let bad = |a: &str| {
        qagida::policy::overlay::param_arg(&p, a)
            .expect_err(a)
            .message
    };
    assert_eq!(
        bad("max_age=old"),
        "--param max_age: expected an integer, found the string `old`"
    );
    assert_eq!(bad("maxage=3"), "unknown parameter `maxage`");
    assert_eq!(bad("max_age"), "`max_age` is not of the form NAME=VALUE");
    let ok = qagida::policy::overlay::param_arg(&p, "review_period=2 months").expect("duration");
    assert_eq!(ok.1.map(|v| v.to_string()), Some("2 months".into()));
}

#[test]
fn the_trace_records_values_inputs_and_citations() {
    let p = policy(EXAMPLE);
    let r = eval_at(&p, &app("grant"), "2021-03-15", &["pass_mark=6"]);
    assert_snapshot!(
        "the_trace_records_values_inputs_and_citations",
        qagida::engine::explain::render(&p, &r)
    );
}

#[test]
fn application_errors_are_located() {
    let p = policy(EXAMPLE);
    let text = "service: grnt\nsubmitted_at: 2021-03-15T25:00\nbirth_date: 2001-02-30\nincome: lots\nregion: north\nstudy: {full_time: yes, yeer: 2}\ndocuments: [application, pasport]\nextra: 1\n";
    assert_snapshot!("application_errors_are_located", input_errors(&p, text));
    assert_snapshot!("malformed", input_errors(&p, "service: [grant\n"));
    assert_snapshot!("not_a_mapping", input_errors(&p, "- 1\n- 2\n"));
}

fn inline(body: &str) -> qagida::engine::Plan {
    policy_from_str(&format!("{HEADER}{body}"))
}

fn eval_inline(
    p: &qagida::engine::Plan,
    app: &str,
) -> Result<qagida::engine::eval::Evaluation, String> {
    let file = SourceFile::new("app.yaml", app);
    let input =
        qagida::engine::input::read(p, &file).map_err(|d| qagida::core::diag::human(&d, false))?;
    let opts = Options {
        at: Some("2021-01-01".parse().expect("date")),
        ..Options::default()
    };
    qagida::engine::eval::evaluate(p, &input, &opts)
        .map_err(|d| qagida::core::diag::human(&[d], false))
}

#[test]
fn kleene_logic_over_absent_inputs() {
    let p = inline(
        "input:
  a: {type: bool, optional: true}
  b: {type: bool}
values:
  and_false: {expr: a and b, cite: x}
  or_true: {expr: a or not b, cite: x}
  negated: {expr: not a, cite: x}
  both_branches: {expr: if a then 1 else 1, cite: x}
  branches_differ: {expr: if a then 1 else 2, cite: x}
  known: {expr: is_known(a), cite: x}
  fallback: {expr: \"default(a, true)\", cite: x}
  count_known_list: {expr: \"count([a, b])\", cite: x}
  member: {expr: \"b in [a, false]\", cite: x}
",
    );
    let r = eval_inline(&p, "b: false\n").expect("evaluates");
    // A policy without a decision decides nothing.
    assert_eq!((r.outcome.as_str(), &r.rule), ("undetermined", &None));
    let v = |n: &str| r.values[n].to_string();
    assert_eq!(v("and_false"), "false");
    assert_eq!(v("or_true"), "true");
    assert_eq!(v("negated"), "unknown (missing a)");
    assert_eq!(v("both_branches"), "1");
    assert_eq!(v("branches_differ"), "unknown (missing a)");
    assert_eq!(v("known"), "false");
    assert_eq!(v("fallback"), "true");
    assert_eq!(v("count_known_list"), "2");
    assert_eq!(v("member"), "true");
}

#[test]
fn table_hit_policies_and_gaps() {
    let p = inline(
        "input:
  m: {type: int}
tables:
  uniq:
    cite: t
    columns: {m: int}
    output: int
    hit: unique
    rows:
      - {when: {m: \"[0, 12)\"}, then: 0, cite: r1}
      - {when: {m: \"[12, 36]\"}, then: 2, cite: r2}
      - {when: {m: \"[36, 120]\"}, then: 4, cite: r3}
  total:
    cite: t
    columns: {m: int}
    output: int
    hit: sum
    rows:
      - {when: {m: \">= 0\"}, then: 1, cite: r1}
      - {when: {m: \">= 10\"}, then: 10, cite: r2}
  all_rows:
    cite: t
    columns: {m: int}
    output: string
    hit: collect
    rows:
      - {when: {m: \"< 5\"}, then: small, cite: r1}
      - {when: {m: \"-\"}, then: any, cite: r2}
values:
  u: {expr: \"lookup(uniq, m)\", cite: x}
  s: {expr: \"lookup(total, m)\", cite: x}
  c: {expr: \"lookup(all_rows, m)\", cite: x}
",
    );
    let r = eval_inline(&p, "m: 12\n").expect("evaluates");
    assert_eq!(r.values["u"].to_string(), "2");
    assert_eq!(r.values["s"].to_string(), "11");
    assert_eq!(r.values["c"].to_string(), "[\"any\"]");
    let r = eval_inline(&p, "m: 3\n").expect("evaluates");
    assert_eq!(r.values["c"].to_string(), "[\"small\", \"any\"]");
    assert_snapshot!("overlap", eval_inline(&p, "m: 36\n").expect_err("overlap"));
    assert_snapshot!("gap", eval_inline(&p, "m: 121\n").expect_err("gap"));
}

#[test]
fn evaluation_faults_are_errors_not_panics() {
    let p = inline(
        "input:
  n: {type: int}
  d: {type: date}
values:
  big: {expr: n * n, cite: x}
  ratio: {expr: 1 / (n - n), cite: x}
",
    );
    let e = eval_inline(&p, "n: 9223372036854775807\nd: 2020-01-01\n").expect_err("overflow");
    assert!(e.contains("the result is too large"), "{e}");
    let e = eval_inline(&p, "n: 2\nd: 2020-01-01\n").expect_err("division");
    assert!(e.contains("division by zero"), "{e}");
    assert!(e.contains("inline.yaml:"), "{e}");
}

/// The example policy is the engine's showcase: it must use every kind of
/// expression, every operator, every literal and every library function.
#[test]
fn the_example_uses_every_construct() {
    use qagida::lang::ast::{BinOp, ExprKind, Literal, Resolution};
    use std::collections::BTreeSet;
    let p = policy(EXAMPLE);
    let mut codes: Vec<&qagida::policy::Code> = p.values.iter().map(|v| &v.code).collect();
    let d = p.decision.as_ref().expect("a decision");
    for r in &d.rules {
        codes.extend(r.when.iter());
        codes.extend(r.reasons.iter().map(|x| &x.when));
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for c in codes {
        c.expr.walk(&mut |e| {
            let tag = match &e.kind {
                ExprKind::Lit(l) => format!(
                    "lit:{}",
                    match l {
                        Literal::Int(_) => "int",
                        Literal::Decimal(_) => "decimal",
                        Literal::Percent(_) => "percent",
                        Literal::Bool(_) => "bool",
                        Literal::Str(_) => "string",
                        Literal::Date(_) => "date",
                        Literal::DateTime(_) => "datetime",
                        Literal::Time(_) => "time",
                        Literal::Duration(_) => "duration",
                    }
                ),
                ExprKind::Name(n) if n.res == Resolution::EvaluationDate => {
                    "name:evaluation_date".into()
                }
                ExprKind::Name(_) => "name".into(),
                ExprKind::Field(..) => "field".into(),
                ExprKind::List(_) => "list".into(),
                ExprKind::Neg(_) => "neg".into(),
                ExprKind::Not(_) => "not".into(),
                ExprKind::Binary(op, ..) => format!("op:{}", op.symbol()),
                ExprKind::If(..) => "if".into(),
                ExprKind::Call(c) => format!("fn:{}", c.func.node),
                ExprKind::Quant(q) => format!("fn:{}", q.func.node),
            };
            seen.insert(tag);
        });
    }
    let mut want: Vec<String> = [
        "int", "decimal", "percent", "bool", "string", "date", "datetime", "time", "duration",
    ]
    .iter()
    .map(|l| format!("lit:{l}"))
    .collect();
    want.extend(
        [
            "name",
            "name:evaluation_date",
            "field",
            "list",
            "neg",
            "not",
            "if",
        ]
        .map(String::from),
    );
    use BinOp::*;
    for op in [
        Add, Sub, Mul, Div, Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, And, Or,
    ] {
        want.push(format!("op:{}", op.symbol()));
    }
    want.extend(
        qagida::lang::functions::LIBRARY
            .iter()
            .map(|f| format!("fn:{}", f.name)),
    );
    let missing: Vec<&String> = want.iter().filter(|w| !seen.contains(*w)).collect();
    assert!(
        missing.is_empty(),
        "the example policy does not use {missing:?}"
    );
    assert!(p.tables.iter().any(|t| t.default.is_some()));
    assert!(p.params.values().any(|x| x.values.len() > 1));
    assert!(
        p.params
            .values()
            .any(|x| x.values.iter().any(|(_, v)| v.is_none()))
    );
    assert!(p.input.fields.values().any(|f| f.optional));
    assert!(p.files.len() > 1, "the example uses include");
    // A parameter in the evaluation date, and units on an input, a
    // parameter and a value.
    let date = p.evaluation_date.as_ref().expect("an evaluation date");
    assert!(date.refs.iter().any(|r| p.params.contains_key(r)));
    assert!(p.fields.values().any(|i| i.unit.is_some()));
    assert!(
        p.params
            .values()
            .any(|x| x.info.unit.as_deref() == Some("percent"))
    );
    assert!(p.values.iter().any(|v| v.info.unit.is_some()));
    // An ordered enumeration: compared in its members' order with `>=`,
    // through `min` and `max`, and in a table's ranges of members.
    use qagida::lang::ast::Order;
    let mut ordered: BTreeSet<String> = BTreeSet::new();
    for v in &p.values {
        v.code.expr.walk(&mut |e| match &e.kind {
            ExprKind::Binary(op, _, _, Order::Members(_)) => {
                ordered.insert(op.symbol().to_string());
            }
            ExprKind::Call(c) if matches!(c.order, Order::Members(_)) => {
                ordered.insert(c.func.node.clone());
            }
            _ => {}
        });
    }
    for want in [">=", "min", "max"] {
        assert!(
            ordered.contains(want),
            "the example does not order an enumeration with `{want}`"
        );
    }
    assert!(
        p.tables.iter().any(|t| {
            let enums: Vec<usize> = (0..t.columns.len())
                .filter(|c| matches!(t.columns[*c].1, qagida::lang::types::Type::Enum(_)))
                .collect();
            t.rows.iter().any(|r| {
                enums.iter().any(|c| {
                    matches!(
                        r.cells[*c],
                        qagida::lang::ast::Cell::Interval { .. }
                            | qagida::lang::ast::Cell::Compare(..)
                    )
                })
            })
        }),
        "the example has no range of an enumeration's members in a table"
    );
    // Alternatives (`any_of`), the package's own functions (one calling
    // another inside a quantifier), and a table row that computes its
    // result.
    assert!(
        p.values.iter().any(|v| v.options.len() > 1),
        "the example has no `any_of` value"
    );
    assert!(
        p.functions.len() > 1,
        "the example declares fewer than two functions"
    );
    let calls_user = |c: &qagida::policy::Code| {
        let mut found = false;
        c.expr.walk(&mut |e| {
            if let ExprKind::Call(call) = &e.kind {
                found |= call.user.is_some();
            }
        });
        found
    };
    assert!(p.functions.iter().any(|f| calls_user(&f.code)));
    assert!(p.values.iter().any(|v| calls_user(&v.code)));
    assert!(
        p.tables
            .iter()
            .any(|t| t.rows.iter().any(|r| r.then_code.is_some())),
        "the example has no table row with `then_expr`"
    );
}

#[test]
fn catalogue_entries_resolve_inherit_and_expire() {
    let p = policy(EXAMPLE);
    let with = |extra: &str| format!("{}{extra}", app("grant"));
    // `within` settles a name two programmes share; attributes inherit.
    let r = eval_at(
        &p,
        &with("programme: Mechanical engineering\ncourse: '  STATICS '\n"),
        "2021-03-15",
        &["pass_mark=6"],
    );
    assert_eq!(
        r.values["course_fits"],
        Value::Bool(false),
        "F1/P2/C1 is not among the listed ids"
    );
    let c = &p.catalogues[0];
    let e = c.get("F1/P1/C1").expect("entry");
    assert_eq!(
        c.entries[e].attributes["min_year"],
        Value::Int(2),
        "inherited from its programme"
    );
    let s = c.get("F1/P1/C2").expect("entry");
    assert_eq!(
        c.entries[s].attributes["min_year"],
        Value::Int(3),
        "its own value wins"
    );
    let f = c.get("F2").expect("entry");
    assert_eq!(
        c.entries[f].attributes["min_year"],
        Value::Int(1),
        "the declared default"
    );
    // A programme closed on 2023-01-01 is out of force afterwards.
    let closed = c.get("F1/P2/C1").expect("entry");
    assert!(c.in_force(closed, "2022-12-31".parse().expect("date")));
    assert!(!c.in_force(closed, "2023-01-01".parse().expect("date")));
    let history = c.get("F2/P1/C1").expect("entry");
    assert!(
        !c.in_force(history, "2021-12-31".parse().expect("date")),
        "inherits its programme's start"
    );
    let a = with("programme: F1/P1\ncourse: Surveying\n");
    let r = eval_at(&p, &a, "2021-03-15", &["pass_mark=6"]);
    assert_eq!(
        r.values["course_fits"],
        Value::Bool(false),
        "year 2 is below Surveying's min_year 3"
    );
    let r = eval_at(
        &p,
        &a.replace("year: 2", "year: 3"),
        "2021-03-15",
        &["pass_mark=6"],
    );
    assert_eq!(r.values["course_fits"], Value::Bool(true));
    // Search looks at names in every language and at aliases.
    let hits: Vec<&str> = c
        .search("mechanics")
        .iter()
        .map(|&i| c.entries[i].id.as_str())
        .collect();
    assert_eq!(hits, ["F1/P1/C1"]);
    let hits: Vec<&str> = c
        .search("құрылыс")
        .iter()
        .map(|&i| c.entries[i].id.as_str())
        .collect();
    assert_eq!(hits, ["F1/P1"]);
}

#[test]
fn catalogue_input_errors_name_the_candidates() {
    let p = policy(EXAMPLE);
    let base = app("grant");
    let errs = [
        input_errors(&p, &format!("{base}course: statics\n")),
        input_errors(&p, &format!("{base}course: Statcs\n")),
        input_errors(&p, &format!("{base}course: F1/P1\n")),
        input_errors(&p, &format!("{base}programme: [1]\n")),
    ]
    .join("");
    assert_snapshot!("catalogue_input_errors_name_the_candidates", errs);
}

#[test]
fn a_provision_whose_wording_is_not_encoded_leaves_the_decision_undetermined() {
    let p = policy(EXAMPLE);
    let a = format!("{}programme: F1/P1\ncourse: Statics\n", app("grant"));
    let before = eval_at(&p, &a, "2022-05-31", &["pass_mark=6"]);
    assert_eq!(before.outcome, "grant");
    assert!(before.warnings.is_empty(), "{:?}", before.warnings);
    // From the amendment's earliest date the annex's wording is not encoded.
    let after = eval_at(&p, &a, "2022-06-01", &["pass_mark=6"]);
    assert_eq!(after.outcome, "undetermined");
    assert_eq!(after.missing, vec!["annex1"]);
    assert_eq!(
        after.values["course_fits"].to_string(),
        "unknown (missing annex1)"
    );
    // Inside the window the amendment's date may fall in, a warning says so.
    let ids: Vec<&str> = after.warnings.iter().map(|w| &*w.id).collect();
    assert_eq!(ids, ["uncertain_in_force"]);
    assert!(after.warnings[0].message.contains("amendment-2"));
    let later = eval_at(&p, &a, "2022-07-01", &["pass_mark=6"]);
    assert!(
        later
            .warnings
            .iter()
            .all(|w| &*w.id != "uncertain_in_force")
    );
    // Without a course, the annex is not needed.
    let none = eval_at(&p, &app("grant"), "2022-07-01", &["pass_mark=6"]);
    assert_eq!(none.outcome, "grant");
}

#[test]
fn policy_warnings_fire_on_their_condition() {
    let p = policy(EXAMPLE);
    let r = eval_at(&p, &app("refuse"), "2021-03-15", &[]);
    let ids: Vec<&str> = r.warnings.iter().map(|w| &*w.id).collect();
    assert_eq!(ids, ["late_submission"]);
    assert_eq!(&*r.warnings[0].cite, "§2");
    let r = eval_at(&p, &app("grant"), "2021-03-15", &[]);
    assert!(r.warnings.is_empty());
}

#[test]
fn values_and_reasons_can_exist_from_a_date() {
    let p = policy(EXAMPLE);
    let before = eval_at(&p, &app("grant"), "2022-12-31", &["pass_mark=6"]);
    assert_eq!(before.values["score"], Value::Int(8));
    assert!(
        !before.values.contains_key("full_time_bonus"),
        "not yet in force"
    );
    let after = eval_at(&p, &app("grant"), "2023-01-01", &["pass_mark=6"]);
    assert_eq!(after.values["full_time_bonus"], Value::Int(1));
    assert_eq!(after.values["score"], Value::Int(9));
    // From June 2021 a second `too_old` reason with a lower limit applies: 21 > 25 - 5.
    let older = app("grant").replace("2001-06-01", "1999-06-01");
    let late = eval_at(&p, &older, "2021-06-01", &["pass_mark=6"]);
    assert_eq!(late.outcome, "refuse");
    assert_eq!(late.reasons[0].id, "too_old");
    let earlier = eval_at(&p, &older, "2021-05-31", &["pass_mark=6"]);
    assert_eq!(earlier.outcome, "grant");
}
