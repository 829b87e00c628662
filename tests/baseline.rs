//! The benchmark's hand-written baseline (benches/support/baseline.rs)
//! decides generated applications exactly as the engine does: the
//! throughput comparison in BENCHMARKS.md compares equals.

#[path = "../benches/support/baseline.rs"]
mod hand_written;

use std::path::Path;

use crate::common::{engine, generate};

#[test]
fn baseline_agrees_with_the_engine_on_every_generated_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = generate::entries(&root.join("policies/kz-order-503/list.yaml"));
    let mut input = Vec::new();
    generate::write(&mut input, 3000, 7, &list).unwrap();

    let base = hand_written::Baseline::new(&list, &root.join("policies/calendars/kz"), 6);
    let mut expected = Vec::new();
    base.run(&input[..], &mut expected).unwrap();

    let plan = engine::plan();
    let mut actual = Vec::new();
    assert_eq!(engine::batch(&plan, 2, &input[..], &mut actual), 3000);

    let expected: Vec<serde_json::Value> = String::from_utf8(expected)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actual: Vec<serde_json::Value> = String::from_utf8(actual)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(expected.len(), 3000);
    assert_eq!(actual.len(), 3000);
    let mut outcomes = std::collections::BTreeMap::new();
    for (b, e) in expected.iter().zip(&actual) {
        let line = &b["line"];
        assert_eq!(line, &e["line"]);
        assert!(b.get("error").is_none(), "the baseline covers line {line}");
        assert_eq!(b["outcome"], e["outcome"], "outcome of line {line}");
        let reasons: Vec<&serde_json::Value> = e["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["id"])
            .collect();
        let want: Vec<&serde_json::Value> = b["reasons"].as_array().unwrap().iter().collect();
        assert_eq!(want, reasons, "reasons of line {line}");
        assert_eq!(b["score"], e["score"]["total"], "score of line {line}");
        for d in [
            "registered_on",
            "commission_referral_by",
            "decision_by",
            "service_by",
        ] {
            assert_eq!(b[d], e["deadlines"][d], "{d} of line {line}");
        }
        *outcomes
            .entry(b["outcome"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    // Every outcome occurs, so the comparison covers every branch.
    assert_eq!(
        outcomes.keys().collect::<Vec<_>>(),
        ["grant", "refuse", "reject_intake", "undetermined"]
    );
}

#[test]
fn baseline_writes_the_engines_records_byte_for_byte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = generate::entries(&root.join("policies/kz-order-503/list.yaml"));
    let mut input = Vec::new();
    generate::write(&mut input, 3000, 11, &list).unwrap();

    let base = hand_written::Baseline::new(&list, &root.join("policies/calendars/kz"), 6);
    let mut expected = Vec::new();
    base.run_records(&input[..], &mut expected).unwrap();

    let plan = engine::plan();
    let mut actual = Vec::new();
    assert_eq!(engine::batch(&plan, 2, &input[..], &mut actual), 3000);

    let (expected, actual) = (
        String::from_utf8(expected).unwrap(),
        String::from_utf8(actual).unwrap(),
    );
    assert_eq!(expected.lines().count(), 3000);
    for (b, e) in expected.lines().zip(actual.lines()) {
        assert_eq!(b, e);
    }
}
