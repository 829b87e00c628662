//! The second benchmark policy's hand-written baseline
//! (benches/support/simple_baseline.rs) decides generated applications of
//! the fictional small-business grant exactly as the engine does, so that
//! the comparison in BENCHMARKS.md compares equals; and the generator
//! covers every row of the annex, each ground alone, and both outcomes.
//! Also runs the policy's own cases, which `tests/policy_cases.rs` does not
//! find (it looks under `policies/` and `tests/policies/`).

use crate::common::engine;
use crate::common::generate;

#[path = "../benches/support/simple_generate.rs"]
mod simple_generate;

#[path = "../benches/support/simple_baseline.rs"]
mod hand_written;

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

const LINES: usize = 4000;

/// A decimal written as a JSON number (qagida) or a string (the baseline).
fn decimal(v: &Value) -> Decimal {
    match v {
        Value::String(s) => Decimal::from_str(s).unwrap(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).unwrap(),
        other => panic!("not a decimal: {other}"),
    }
}

fn json_lines(bytes: Vec<u8>) -> Vec<Value> {
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn simple_baseline_agrees_with_the_engine_on_every_generated_line() {
    let sectors = simple_generate::sectors(&engine::simple_dir().join("sectors.yaml"));
    assert_eq!(sectors.len(), 66);
    let mut input = Vec::new();
    simple_generate::write(&mut input, LINES, 7, &sectors).unwrap();

    let base = hand_written::Baseline::new(&sectors);
    let mut expected = Vec::new();
    base.run(&input[..], &mut expected).unwrap();

    let plan = engine::simple_plan();
    let mut actual = Vec::new();
    assert_eq!(
        engine::simple_batch(&plan, 2, &input[..], &mut actual),
        LINES
    );

    let applications = json_lines(input);
    let expected = json_lines(expected);
    let actual = json_lines(actual);
    assert_eq!(expected.len(), LINES);
    assert_eq!(actual.len(), LINES);
    let mut grounds: BTreeMap<String, usize> = BTreeMap::new();
    let mut codes = BTreeSet::new();
    for ((app, b), e) in applications.iter().zip(&expected).zip(&actual) {
        let line = &b["line"];
        assert_eq!(line, &e["line"]);
        assert!(b.get("error").is_none(), "the baseline covers line {line}");
        assert!(e.get("error").is_none(), "qagida decides line {line}: {e}");
        assert_eq!(b["outcome"], e["outcome"], "outcome of line {line}");
        let reasons: Vec<&Value> = e["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["id"])
            .collect();
        let want: Vec<&Value> = b["reasons"].as_array().unwrap().iter().collect();
        assert_eq!(want, reasons, "reasons of line {line}");
        let values = &e["values"];
        assert_eq!(b["score"], values["score"], "score of line {line}");
        for d in ["rate", "amount"] {
            assert_eq!(decimal(&b[d]), decimal(&values[d]), "{d} of line {line}");
        }
        if b["outcome"] == "grant" {
            assert_eq!(
                decimal(&b["amount"]),
                decimal(&e["award"]["amount"]),
                "award of line {line}"
            );
        }
        let key = want
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect::<Vec<_>>()
            .join("+");
        *grounds.entry(key).or_insert(0) += 1;
        codes.insert(app["business"]["sector_code"].as_str().unwrap().to_string());
    }
    // Both outcomes, each ground alone, and two or three together.
    for k in [
        "",
        "sector_excluded",
        "not_eligible",
        "low_score",
        "sector_excluded+low_score",
        "not_eligible+low_score",
        "sector_excluded+not_eligible+low_score",
    ] {
        assert!(
            grounds.contains_key(k),
            "no line with grounds `{k}`: {grounds:?}"
        );
    }
    // Every row of Annex 1, and a code it does not list.
    for s in &sectors {
        assert!(codes.contains(&s.code), "no line for sector {}", s.code);
    }
    assert!(codes.len() > sectors.len(), "no unlisted sector code");
}

#[test]
fn simple_policy_passes_its_own_cases() {
    let plan = engine::simple_plan();
    let mut files: Vec<_> = std::fs::read_dir(engine::simple_dir().join("tests"))
        .expect("the policy's tests folder")
        .flatten()
        .map(|e| e.path())
        .filter(|f| f.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for f in &files {
        let results = qagida::engine::testing::run_file(&plan, f)
            .unwrap_or_else(|d| panic!("{}", qagida::core::diag::human(&d, false)));
        for r in results {
            count += 1;
            if !r.passed() {
                failures.push(format!(
                    "{} ({}):\n  {}",
                    r.name,
                    r.place,
                    r.failures.join("\n  ")
                ));
            }
        }
    }
    // The general cases and one for each of the annex's 66 rows.
    assert!(count > 66, "only {count} cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn simple_baseline_writes_the_engines_records_byte_for_byte() {
    let sectors = simple_generate::sectors(&engine::simple_dir().join("sectors.yaml"));
    let mut input = Vec::new();
    simple_generate::write(&mut input, LINES, 11, &sectors).unwrap();

    let base = hand_written::Baseline::new(&sectors);
    let mut expected = Vec::new();
    base.run_records(&input[..], &mut expected).unwrap();

    let plan = engine::simple_plan();
    let mut actual = Vec::new();
    assert_eq!(
        engine::simple_batch(&plan, 2, &input[..], &mut actual),
        LINES
    );
    let expected = String::from_utf8(expected).unwrap();
    let actual = String::from_utf8(actual).unwrap();
    assert_eq!(expected.lines().count(), LINES);
    assert_eq!(actual.lines().count(), LINES);
    for (b, e) in expected.lines().zip(actual.lines()) {
        assert_eq!(b, e);
    }
}
