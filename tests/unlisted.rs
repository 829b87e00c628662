//! A reference field's `unlisted` sibling: what the catalogue does not list
//! is declared there and decided, while a name given as the reference that
//! matches nothing stays an unknown entry (exit 8) whose message says how
//! to declare it.

use crate::common::*;

const GRANT: &str = "policies/kz-order-503/examples/issue-grant.yaml";

fn app(dir: &std::path::Path, name: &str, replace: &str) -> String {
    let text = std::fs::read_to_string(GRANT).expect("example");
    let out = text.replace("profession: Онколог дәрігер", replace);
    assert_ne!(out, text);
    let p = dir.join(name);
    std::fs::write(&p, out).expect("write");
    p.display().to_string()
}

#[test]
fn an_unknown_profession_is_exit_8_and_says_how_to_declare_one_not_listed() {
    let dir = scratch("unlisted-typo");
    let f = app(&dir, "typo.yaml", "profession: Онколог дәрігр");
    let o = qagida(&["eval", "--param", "threshold=6", &f]);
    assert_eq!(o.status.code(), Some(8), "{}", stderr(&o));
    let err = stderr(&o);
    for part in [
        "`profession`: `Онколог дәрігр` is not the id or official name of an entry of `list`",
        "did you mean `Онколог дәрігер`?",
        "if it is not in `list`, give it as `profession_not_listed: Онколог дәрігр` instead of `profession`",
        "typo.yaml:8:13",
    ] {
        assert!(err.contains(part), "{err}");
    }
}

#[test]
fn a_profession_declared_not_listed_is_refused_on_ground_1_citing_the_list() {
    let dir = scratch("unlisted-declared");
    let f = app(&dir, "astrologer.yaml", "profession_not_listed: Астролог");
    let o = qagida(&["eval", "--param", "threshold=6", "--format", "json", &f]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["outcome"], "refuse");
    assert_eq!(v["reasons"][0]["id"], "qualification_mismatch");
    assert_eq!(v["reasons"][0]["cite"], "Standard 9.1; List");
}

#[test]
fn both_given_is_an_input_error_at_the_declared_field_and_a_batch_keeps_the_line() {
    let dir = scratch("unlisted-both");
    let f = app(
        &dir,
        "both.yaml",
        "profession: Онколог дәрігер\nprofession_not_listed: Астролог",
    );
    let o = qagida(&["eval", "--param", "threshold=6", &f]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("`profession` and `profession_not_listed` are both given")
            && err.contains("both.yaml:9:1"),
        "{err}"
    );
    // In a batch, read by the direct JSON reader first: the line is kept,
    // as an error, between the others.
    let good = r#"{"service": "status", "submitted_at": "2021-06-01T10:00", "status_on": "2021-06-01", "certificate": {"valid_until": "2021-09-01"}}"#;
    let both = r#"{"service": "status", "submitted_at": "2021-06-01T10:00", "status_on": "2021-06-01", "certificate": {"valid_until": "2021-09-01"}, "profession": "Онколог дәрігер", "profession_not_listed": "Астролог"}"#;
    let input = dir.join("apps.jsonl");
    std::fs::write(&input, format!("{good}\n{both}\n{good}\n")).expect("write");
    let output = dir.join("out.jsonl");
    let o = qagida(&[
        "batch",
        "--output",
        output.to_str().expect("utf-8"),
        input.to_str().expect("utf-8"),
    ]);
    let out = std::fs::read_to_string(&output).unwrap_or_default();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}\n{}", stderr(&o));
    assert!(lines[0].contains("\"outcome\""), "{}", lines[0]);
    assert!(
        lines[1].contains("\"line\":2") && lines[1].contains("are both given"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("\"outcome\""), "{}", lines[2]);
}

#[test]
fn unlisted_must_name_an_optional_text_field_beside_a_reference() {
    let cat = "catalogues:\n  trades:\n    kinds: [trade]\n    cite: x\n    entries:\n      - {id: \"1\", kind: trade, name: {en: Baker}, cite: x}\n";
    for (input, want) in [
        (
            "  trade: {type: ref(trades), optional: true, unlisted: other, cite: x}\n",
            "`unlisted: other` must name an optional `string` field beside it",
        ),
        (
            "  trade: {type: ref(trades), optional: true, unlisted: other, cite: x}\n  other: {type: int, optional: true, cite: x}\n",
            "`unlisted: other` must name an optional `string` field beside it",
        ),
        (
            "  trade: {type: string, optional: true, unlisted: other, cite: x}\n  other: {type: string, optional: true, cite: x}\n",
            "`kinds`, `within` and `unlisted` apply to `ref(...)` fields only",
        ),
    ] {
        let errs = load_errors(&format!("{HEADER}{cat}input:\n{input}"));
        assert!(
            errs.contains(want) && errs.contains("inline.yaml:"),
            "{errs}"
        );
    }
}
