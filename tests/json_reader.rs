//! The batch's direct JSON reader (src/engine/input/json.rs) reads every
//! application it takes exactly as the general reader does, takes every
//! clean generated application, and leaves everything else (errors, rare
//! forms) to the general reader.

use std::path::Path;

use qagida::core::value::Value;
use qagida::engine::{Plan, input};

use crate::common::generate;

fn policy() -> Plan {
    Plan::new(
        qagida::policy::embedded::default_policy()
            .expect("the default policy loads")
            .policy,
    )
}

/// What the general reader makes of a JSON line.
fn general(policy: &Plan, line: &str) -> Option<Value> {
    let data: qagida::core::yaml::Data = serde_json::from_str(line).ok()?;
    input::from_data(policy, &data, "line").ok()
}

#[test]
fn every_generated_application_is_read_directly_and_alike() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = generate::entries(&root.join("policies/kz-order-503/list.yaml"));
    let mut text = Vec::new();
    generate::write(&mut text, 3000, 11, &list).unwrap();
    let policy = policy();
    for (i, line) in String::from_utf8(text).unwrap().lines().enumerate() {
        let direct = input::json::read(&policy, line);
        assert!(
            direct.is_some(),
            "line {} was left to the general reader: {line}",
            i + 1
        );
        assert_eq!(direct, general(&policy, line), "line {}: {line}", i + 1);
    }
}

/// Lines the direct reader must leave to the general reader (which
/// reports them), or read exactly as it does.
#[test]
fn what_the_direct_reader_cannot_take_it_leaves() {
    let policy = policy();
    let base = r#""service": "issue", "submitted_at": "2021-03-15T10:00", "profession": "1/2/1/2", "qualification_level": 5, "education": {"higher_in_specialty": true, "academic_degree_in_specialty": false, "english_teaching_certificate": false}, "experience_in_specialty": {"years": 3}, "documents": ["application"]"#;
    // The base application with `from` replaced by `to`.
    let whole = |from: &str, to: &str| format!("{{{}}}", base.replace(from, to));
    let cases = [
        // Clean: taken.
        (format!("{{{base}}}"), true),
        (format!("{{{base}, \"findings\": null}}"), true),
        (format!(" {{{base}}}  "), true),
        // Errors: left.
        (format!("{{{base}, \"nonsense\": 1}}"), false),
        (format!("{{{base}, \"service\": \"issue\"}}"), false),
        (format!("{{{base}}} trailing"), false),
        (format!("[{{{base}}}]"), false),
        ("{}".to_string(), false),
        ("null".to_string(), false),
        ("not json".to_string(), false),
        (
            whole("\"qualification_level\": 5", "\"qualification_level\": 5.0"),
            false,
        ),
        (
            whole(
                "\"qualification_level\": 5",
                "\"qualification_level\": \"5\"",
            ),
            false,
        ),
        (
            whole(
                "\"qualification_level\": 5",
                "\"qualification_level\": 99999999999999999999",
            ),
            false,
        ),
        (whole("\"issue\"", "\"isue\""), false),
        (whole("2021-03-15T10:00", "2021-02-30T10:00"), false),
        (whole("1/2/1/2", "no such profession"), false),
        (whole("[\"application\"]", "[\"application\", null]"), false),
        (whole("\"years\": 3", "\"years\": true"), false),
        (
            whole(", \"english_teaching_certificate\": false", ""),
            false,
        ),
        // A field a `required_when` makes required, absent: left.
        (whole(", \"documents\": [\"application\"]", ""), false),
        (whole("\"issue\"", "\"extend\""), false),
    ];
    for (line, taken) in cases {
        let direct = input::json::read(&policy, &line);
        assert_eq!(direct.is_some(), taken, "{line}");
        if let Some(v) = direct {
            assert_eq!(Some(v), general(&policy, &line), "{line}");
        }
    }
}

/// Every line of the batch corpus of bad input is either left to the
/// general reader or read as it reads it.
#[test]
fn bad_batch_lines_are_left_or_read_alike() {
    let policy = policy();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input/batch");
    for entry in std::fs::read_dir(root).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for line in String::from_utf8_lossy(&bytes).lines() {
            if let Some(v) = input::json::read(&policy, line) {
                assert_eq!(Some(v), general(&policy, line), "{line}");
            }
        }
    }
}

/// The general reader names each absent field that a `required_when`
/// makes required, with its condition; the direct reader leaves such
/// lines to it, and takes the same line with the field given.
#[test]
fn fields_required_by_a_condition_are_named_when_absent() {
    let policy = policy();
    let line = r#"{"service": "extend", "submitted_at": "2021-03-15T10:00", "documents": ["application"]}"#;
    assert_eq!(input::json::read(&policy, line), None);
    let data: qagida::core::yaml::Data = serde_json::from_str(line).unwrap();
    let diags = input::from_data(&policy, &data, "line").expect_err("fields are missing");
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the field `certificate` is required when service in [\"extend\", \"reissue\", \"duplicate\", \"status\"]",
            "the field `employment_contract` is required when service in [\"extend\", \"employer_change_notice\"]",
        ]
    );
    let given = line.replace(
        r#""documents""#,
        r#""certificate": {"valid_until": "2022-01-01"}, "employment_contract": {"concluded_on": "2020-01-01"}, "documents""#,
    );
    let direct = input::json::read(&policy, &given);
    assert!(direct.is_some(), "{given}");
    assert_eq!(direct, general(&policy, &given));
}
