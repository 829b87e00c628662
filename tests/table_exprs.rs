//! A table's rows may compute their results (`then_expr`) from the inputs,
//! parameters and values, type-checked like any other expression.

use crate::common::*;

const INPUT: &str = "
input:
  salary: {type: decimal, cite: \"§1\"}
  band: {type: int, cite: \"§1\"}
parameters:
  floor: {type: decimal, value: 100, cite: \"§2\"}
";

fn package(tables: &str, values: &str) -> String {
    format!("{HEADER}{INPUT}tables:\n{tables}values:\n{values}")
}

const RATES: &str = "  rate:
    cite: \"§3\"
    columns: {band: int}
    output: decimal
    hit: first
    rows:
      - {when: {band: \"<= 1\"}, then_expr: \"max(salary * 0.1, floor)\", cite: \"§3(a)\"}
      - {when: {band: \">= 2\"}, then_expr: bonus + 1, cite: \"§3(b)\"}
";

#[test]
fn rows_compute_from_inputs_parameters_and_values_read_first() {
    // `bonus` is declared after `pay`, which looks it up through the table:
    // it is computed first all the same.
    let p = policy_from_str(&package(
        RATES,
        "  pay:
    expr: lookup(rate, band)
    cite: \"§3\"
  bonus:
    expr: salary / 2
    cite: \"§4\"
",
    ));
    let r = eval_at(&p, "{salary: 500, band: 1}", "2021-01-01", &[]);
    assert_eq!(r.values["pay"].to_string(), "100");
    let r = eval_at(&p, "{salary: 5000, band: 1}", "2021-01-01", &[]);
    assert_eq!(r.values["pay"].to_string(), "500");
    let r = eval_at(&p, "{salary: 500, band: 2}", "2021-01-01", &[]);
    assert_eq!(r.values["pay"].to_string(), "251");
    // The trace names the row used, as for any table.
    let steps: Vec<&String> = r.trace.iter().flat_map(|s| &s.notes).collect();
    assert!(
        steps.iter().any(|n| n.contains("table rate row 2 (§3(b))")),
        "{steps:?}"
    );
}

#[test]
fn rows_of_any_that_compute_different_results_conflict() {
    let p = policy_from_str(&package(
        "  t:
    cite: \"§3\"
    columns: {band: int}
    output: decimal
    hit: any
    rows:
      - {when: {band: \">= 1\"}, then_expr: salary * 1, cite: \"§3(a)\"}
      - {when: {band: \">= 2\"}, then_expr: salary * 2, cite: \"§3(b)\"}
",
        "  v:\n    expr: lookup(t, band)\n    cite: \"§3\"\n",
    ));
    let r = eval_at(&p, "{salary: 0, band: 2}", "2021-01-01", &[]);
    assert_eq!(r.values["v"].to_string(), "0");
    let plan = &p;
    let app = "{salary: 10, band: 2}";
    let file = qagida::core::source::SourceFile::new("app.yaml", app);
    let req = qagida::engine::Request {
        at: qagida::engine::At::parse_opt(Some("2021-01-01")).unwrap(),
        ..Default::default()
    };
    let e = plan
        .decide(qagida::engine::Application::File(&file), &req)
        .expect_err("the rows disagree");
    assert!(e.to_string().contains("rows 1, 2"), "{e}");
}

#[test]
fn row_expressions_are_checked_at_load() {
    let table = |row: &str| {
        format!(
            "  t:\n    cite: \"§3\"\n    columns: {{band: int}}\n    output: decimal\n    hit: first\n    rows:\n      - {row}\n"
        )
    };
    let lookup = "  v:\n    expr: lookup(t, band)\n    cite: \"§9\"\n";
    for (tables, values, want) in [
        (
            table("{when: {band: \"-\"}, then_expr: band > 1, cite: \"§3\"}"),
            lookup.to_string(),
            "the table `t` gives `decimal`, but this row's `then_expr` is `bool`",
        ),
        (
            table("{when: {band: \"-\"}, then: 1.0, then_expr: salary, cite: \"§3\"}"),
            lookup.to_string(),
            "row 1 of table `t` needs exactly one of `then` and `then_expr`",
        ),
        (
            table("{when: {band: \"-\"}, cite: \"§3\"}"),
            lookup.to_string(),
            "row 1 of table `t` needs exactly one of `then` and `then_expr`",
        ),
        (
            table("{when: {band: \"-\"}, then_expr: salry, cite: \"§3\"}"),
            lookup.to_string(),
            "unknown name `salry`",
        ),
        // A value that a row of the table it looks up reads: a cycle.
        (
            table("{when: {band: \"-\"}, then_expr: v + 1, cite: \"§3\"}"),
            lookup.to_string(),
            "cycle",
        ),
    ] {
        let errors = load_errors(&package(&tables, &values));
        assert!(errors.contains(want), "`{want}` in:\n{errors}");
    }
    // A row may not look up a table whose rows compute their results
    // (itself included): two such tables could look each other up forever.
    let errors = load_errors(&package(
        &table("{when: {band: \"-\"}, then_expr: \"lookup(t, band) + 1.0\", cite: \"§3\"}"),
        lookup,
    ));
    assert!(
        errors.contains("a row of table `t` looks up table `t`, whose rows compute their results"),
        "{errors}"
    );
    // A function may not look up such a table: it would read the inputs.
    let text = format!(
        "{}functions:\n  f:\n    params: {{b: int}}\n    expr: lookup(rate, b)\n    cite: \"§5\"\n",
        package(
            RATES,
            "  v:\n    expr: f(band)\n    cite: \"§9\"\n  bonus:\n    expr: 1.0\n    cite: \"§9\"\n"
        )
    );
    let errors = load_errors(&text);
    assert!(
        errors.contains("table `rate` computes its results from the inputs, parameters and values: function `f` cannot look it up"),
        "{errors}"
    );
}

#[test]
fn consolidate_and_doc_show_a_rows_expression() {
    let o = qagida(&["consolidate", "--policy", EXAMPLE, "--at", "2021-03-15"]);
    let out = stdout(&o);
    assert!(out.contains("then_expr: income * 0.05"), "{out}");
    let o = qagida(&["doc", "--policy", EXAMPLE, "--at", "2021-03-15"]);
    let doc = stdout(&o);
    assert!(doc.contains("| <= 1 | income * 0.05 | §14(a) |"), "{doc}");
}
