//! Parse trees of a corpus of expressions, as reviewed snapshots.

use qagida::lang::syntax::{parse_cell, parse_expr, parse_type};

use crate::common::assert_snapshot;

const EXPRESSIONS: &[&str] = &[
    "1 + 2 * 3 - 4 / 5",
    "-(1 + 2) * -x",
    "a and b or not c and d",
    "not not x",
    "age >= 18 and age < 65",
    "x in [1, 2, 3]",
    "x not in [\"a\", 'b']",
    "not x in xs",
    "if a then 1 else if b then 2 else 3",
    "education.higher_in_specialty",
    "applicant.address.city == \"Almaty\"",
    "2021-03-15 + 3 months",
    "2021-03-15T18:30 > submitted_at",
    "time_of(submitted_at) > 18:30:15",
    "5 working days",
    "10 years",
    "1 week + 2 weeks",
    "3.75 * 2",
    "true or false",
    "min(1, 2, 3)",
    "max([1, 2])",
    "lookup(points, months, \"issue\")",
    "count(d in documents => d in required)",
    "all(d in required => d in documents)",
    "sum(x in [1, 2] => x * 10)",
    "filter(d in required => d not in documents)",
    "map(x in xs => x.points)",
    "[]",
    "[1, [2, 3]]",
    "\"quote \\\" and \\\\ backslash\"",
    "f(a,)",
    "x # a comment\n + 1",
];

const BAD: &[&str] = &[
    "",
    "1 +",
    "a = b",
    "a && b",
    "a || b",
    "!a",
    "1 < 2 < 3",
    "if a then b",
    "2021-02-30",
    "25:61",
    "99999999999999999999",
    "f(",
    "[1, 2",
    "\"unterminated",
    "3 fortnights",
    "all(x in xs: x)",
    "a.",
    "and",
];

#[test]
fn parse_trees() {
    let mut out = String::new();
    for e in EXPRESSIONS {
        let tree = parse_expr(e).unwrap_or_else(|err| panic!("{e:?} fails: {err}"));
        out += &format!("{e}\n  => {tree}\n");
    }
    assert_snapshot!("parse_trees", out);
}

#[test]
fn syntax_errors() {
    let mut out = String::new();
    for e in BAD {
        let err = parse_expr(e).expect_err(e);
        let help = err
            .help(e)
            .map(|h| format!(" (help: {h})"))
            .unwrap_or_default();
        out += &format!(
            "{e:?} at {}..{}: {err}{help}\n",
            err.span.start, err.span.end
        );
    }
    assert_snapshot!("syntax_errors", out);
}

#[test]
fn types_and_cells() {
    let mut out = String::new();
    for t in [
        "int",
        "list<string>",
        "list<list<date>>",
        "enum(issue, extend, re-issue)",
        "duration",
    ] {
        out += &format!("type {t} => {}\n", parse_type(t).expect(t));
    }
    for t in ["lst<int>", "enum()", "enum(a, a)", "int extra"] {
        out += &format!("type {t} => error: {}\n", parse_type(t).expect_err(t));
    }
    for c in [
        "-",
        "[12, 36)",
        "(120, )",
        "[, 12)",
        "(-5, 5]",
        ">= 3 months",
        "!= \"x\"",
        "1, 2, 3",
        "2021-01-01",
    ] {
        out += &format!("cell {c} => {}\n", parse_cell(c).expect(c));
    }
    for c in ["[1 2]", "<", "1 2"] {
        out += &format!("cell {c} => error: {}\n", parse_cell(c).expect_err(c));
    }
    assert_snapshot!("types_and_cells", out);
}
