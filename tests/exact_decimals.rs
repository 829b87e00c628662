//! Decimals are exact from end to end: read from the digits written in
//! JSON, YAML, CSV, parameters and expressions (refused, with their place,
//! when a decimal cannot hold them all), computed by rust_decimal, and
//! written with all their digits in every output, never through binary
//! floating point.

use std::path::{Path, PathBuf};

use crate::common::*;

/// A fictional one-file policy: a quotient, a sum of tenths, a list of
/// decimals, a long parameter and a table with long cells.
const POLICY: &str = r#"package:
  id: exact-decimals
  title: {en: Exact decimals (fixture)}
  act: {cite: Fixture}
  languages: [en]
  official_language: en
  in_force: {from: 2020-01-01}
input:
  amount: {type: decimal, cite: "§1"}
  a: {type: decimal, optional: true, cite: "§1"}
  b: {type: decimal, optional: true, cite: "§1"}
  parts: {type: "list<decimal>", optional: true, cite: "§1"}
  count: {type: int, optional: true, cite: "§1"}
parameters:
  rate: {type: decimal, value: 0.1234567890123456789012345678, cite: "§2"}
tables:
  band:
    columns: {amount: decimal}
    output: decimal
    hit: first
    default: 0
    rows:
      - {when: {amount: "< 0.1000000000000000000000000001"}, then: 0.3000000000000000000000000001, cite: "§3 a"}
      - {when: {amount: 12345678901234567890.123456789}, then: 1, cite: "§3 b"}
    cite: "§3"
catalogues:
  fees:
    kinds: [fee]
    attributes:
      rate: {type: decimal, default: 0}
    cite: "§6"
    entries:
      - {id: F1, kind: fee, name: {en: Long fee}, rate: 0.1000000000000000000000000001, cite: "§6.1"}
values:
  third: {expr: amount / 3, cite: "§4"}
  tenths: {expr: "default(a + b == 0.3, false)", cite: "§4"}
  total: {expr: "default(sum(parts), 0)", cite: "§4"}
  banded: {expr: "lookup(band, amount)", cite: "§3"}
  scaled: {expr: amount * rate, cite: "§2"}
  echo: {expr: amount, cite: "§1"}
report:
  share: {expr: third}
decision:
  outcomes: {grant: {}}
  rules: []
  otherwise: grant
  cite: "§5"
"#;

/// A folder holding the policy (edited by `edit`) and the files given.
fn folder(name: &str, edit: impl Fn(&str) -> String, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qagida-exact-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("policy.yaml"), edit(POLICY)).expect("write");
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("write");
    }
    dir
}

/// Runs the binary in `dir` with `args`, `{policy}` standing for `dir`.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let policy = dir.display().to_string();
    let args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "{policy}" { policy.as_str() } else { a })
        .collect();
    std::process::Command::new(env!("CARGO_BIN_EXE_qagida"))
        .args(&args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// `eval`, `explain` or `batch` of this policy on 2021-01-01.
fn decide(dir: &Path, command: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec![command, "--policy", "{policy}", "--at", "2021-01-01"];
    all.extend_from_slice(args);
    run(dir, &all)
}

const APPLICATION: &str = r#"{"amount": 100, "a": 0.1, "b": 0.2, "parts": [0.1, 0.2, 12345678901234567890.123456789], "count": 3}"#;

#[test]
fn a_quotient_is_written_with_all_its_digits_in_every_format() {
    let dir = folder("formats", str::to_string, &[("app.json", APPLICATION)]);
    let json = decide(&dir, "eval", &["--format", "json", "app.json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let text = stdout(&json);
    assert!(
        text.contains("\"third\": 33.333333333333333333333333333,"),
        "{text}"
    );
    assert!(
        text.contains("\"share\": 33.333333333333333333333333333,"),
        "{text}"
    );
    // Still JSON, with a JSON number there.
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert!(v["values"]["third"].is_number());
    assert_snapshot!("eval_json", text);

    let yaml = decide(&dir, "eval", &["--format", "yaml", "app.json"]);
    let text = stdout(&yaml);
    assert!(
        text.contains("  third: 33.333333333333333333333333333\n"),
        "{text}"
    );
    assert_snapshot!("eval_yaml", text);

    let plain = decide(&dir, "eval", &["app.json"]);
    assert!(stdout(&plain).contains("third = 33.333333333333333333333333333"));
    let explain = decide(&dir, "explain", &["app.json"]);
    assert_eq!(explain.status.code(), Some(0), "{}", stderr(&explain));
    let text = stdout(&explain);
    assert!(
        text.contains("share: 33.333333333333333333333333333\n"),
        "{text}"
    );
    assert_snapshot!("explain", text);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn batch_lines_carry_every_digit_and_refuse_what_would_be_rounded() {
    let lines = [
        APPLICATION,
        // More digits than a binary float keeps, read and written exactly.
        r#"{"amount": 12345678901234567890.123456789}"#,
        r#"{"amount": 0.1000000000000000000000000001, "parts": [1e-28, 2.50E+1]}"#,
        // Text in digits, as the general reader reads it.
        r#"{"amount": "0.30", "a": "0.1", "b": 0.2}"#,
        // Too many digits, too large: refused, not rounded.
        r#"{"amount": 0.12345678901234567890123456789}"#,
        r#"{"amount": 1, "parts": [0.1, 79228162514264337593543950336]}"#,
        r#"{"amount": 1e29}"#,
        // An integer is not written with a fraction or an exponent.
        r#"{"amount": 1, "count": 1e3}"#,
        r#"{"amount": 1, "count": 1.5}"#,
        r#"{"amount": 1, "count": 123456789012345678901234}"#,
    ];
    let dir = folder("batch", str::to_string, &[("in.jsonl", &lines.join("\n"))]);
    let one = decide(&dir, "batch", &["--jobs", "1", "-o", "-", "in.jsonl"]);
    let two = decide(&dir, "batch", &["--jobs", "2", "-o", "-", "in.jsonl"]);
    assert_eq!(one.status.code(), Some(5), "{}", stderr(&one));
    assert_eq!(one.stdout, two.stdout);
    let out = stdout(&one);
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(records.len(), lines.len());
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.contains(r#""share":33.333333333333333333333333333,"#)
            && first.contains(r#""third":33.333333333333333333333333333,"#)
            && first.contains(r#""tenths":true,"#)
            && first.contains(r#""total":12345678901234567890.423456789,"#),
        "{first}"
    );
    assert_snapshot!("batch", out);
    assert_eq!(
        stderr(&one),
        "10 records: 4 grant, 6 errors\n",
        "{}",
        stderr(&one)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn csv_cells_are_read_by_their_digits() {
    let csv = "amount,a,b,parts,count\n\
               100,0.1,0.2,\"[0.1, 12345678901234567890.123456789]\",\n\
               12345678901234567890.123456789,,,,\n\
               0.12345678901234567890123456789,,,,\n\
               1,,,,1.5\n";
    let dir = folder("csv", str::to_string, &[("in.csv", csv)]);
    let o = decide(&dir, "batch", &["-o", "-", "in.csv"]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(r#""total":12345678901234567890.223456789"#),
        "{out}"
    );
    assert_snapshot!("csv", out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_decimal_with_too_many_digits_is_refused_at_its_place() {
    let yaml = "amount: 0.12345678901234567890123456789\ncount: 1e3\nparts: [1.5, 1e30]\n";
    let json = "{\n  \"amount\": 1,\n  \"parts\": [0.5, 0.10000000000000000000000000001]\n}\n";
    let dir = folder(
        "refused",
        str::to_string,
        &[("app.yaml", yaml), ("app.json", json)],
    );
    for file in ["app.yaml", "app.json"] {
        let o = decide(&dir, "eval", &[file]);
        assert_eq!(o.status.code(), Some(5), "{}", stdout(&o));
        assert_snapshot!(format!("refused_{file}"), stderr(&o));
    }
    let o = decide(
        &dir,
        "eval",
        &[
            "--param",
            "rate=1.00000000000000000000000000001",
            "app.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_snapshot!("refused_param", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_policy_with_too_many_digits_is_refused_at_each_place() {
    let edit = |p: &str| {
        p.replace(
            "value: 0.1234567890123456789012345678,",
            "value: 0.12345678901234567890123456789,",
        )
        .replace(
            "then: 0.3000000000000000000000000001,",
            "then: 0.30000000000000000000000000001,",
        )
        .replace("amount / 3", "amount / 3.00000000000000000000000000001")
        .replace("rate: 0.1000000000000000000000000001,", "rate: 1e-29,")
    };
    let dir = folder("bad-policy", edit, &[]);
    let path = dir.join("policy.yaml").display().to_string();
    let o = qagida(&["check", &path]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o).replace(&path, "policy.yaml");
    assert_snapshot!("refused_policy", err);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_policy_as_in_force_shows_every_digit_and_a_change_in_the_last_is_a_change() {
    let dir = folder("consolidate", str::to_string, &[]);
    let consolidate = |format| {
        run(
            &dir,
            &[
                "consolidate",
                "--policy",
                "{policy}",
                "--at",
                "2021-01-01",
                "--format",
                format,
            ],
        )
    };
    let json = consolidate("json");
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let text = stdout(&json);
    assert!(
        text.contains("\"value\": 0.1234567890123456789012345678,"),
        "{text}"
    );
    assert!(
        text.contains("\"then\": 0.3000000000000000000000000001,"),
        "{text}"
    );
    assert!(
        text.contains("\"rate\": 0.1000000000000000000000000001"),
        "{text}"
    );
    let yaml = consolidate("yaml");
    let text = stdout(&yaml);
    assert!(
        text.contains("    value: 0.1234567890123456789012345678\n"),
        "{text}"
    );
    assert!(
        text.contains("      then: 0.3000000000000000000000000001\n"),
        "{text}"
    );

    let list = run(
        &dir,
        &[
            "catalogue",
            "--policy",
            "{policy}",
            "--at",
            "2021-01-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(list.status.code(), Some(0), "{}", stderr(&list));
    let text = stdout(&list);
    assert!(
        text.contains("\"rate\": 0.1000000000000000000000000001,"),
        "{text}"
    );
    // The 28th digit differs: as binary floats, the two are the same.
    let other = folder(
        "consolidate-other",
        |p| {
            p.replace(
                "0.1234567890123456789012345678,",
                "0.1234567890123456789012345679,",
            )
        },
        &[],
    );
    let with = other.display().to_string();
    let diff = |format| {
        let args = [
            "diff",
            "--policy",
            "{policy}",
            "--from",
            "2021-01-01",
            "--to",
            "2021-01-01",
        ];
        let mut args = args.to_vec();
        args.extend(["--with", &with, "--format", format]);
        run(&dir, &args)
    };
    let text = diff("text");
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    assert_eq!(
        stdout(&text),
        "exact-decimals from 2021-01-01 to 2021-01-01: 1 change(s)\n  parameter rate changed: \
         0.1234567890123456789012345678 -> 0.1234567890123456789012345679\n"
    );
    let text = stdout(&diff("json"));
    assert!(
        text.contains("\"value\": 0.1234567890123456789012345679,"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&other);
}

/// In process: both readers of a batch line read decimals from their
/// digits, alike, and tenths add up as they do on paper.
#[test]
fn both_readers_read_long_decimals_alike_and_tenths_add_up() {
    let plan = policy_from_str(POLICY);
    let lines = [
        r#"{"amount": 0.1, "a": 0.1, "b": 0.2}"#,
        r#"{"amount": 12345678901234567890.123456789, "parts": [0.1, 0.2]}"#,
        r#"{"amount": -0.000000000000000000000000001e-1, "parts": [1E2, 300.50]}"#,
    ];
    for line in lines {
        let direct = qagida::engine::input::json::read(&plan, line).expect("read directly");
        let data = qagida::engine::json_data(line).expect("JSON");
        let general = qagida::engine::input::from_data(&plan, &data, "line").expect("read");
        assert_eq!(format!("{direct:?}"), format!("{general:?}"), "{line}");
    }
    let v = qagida::engine::input::json::read(&plan, lines[1]).expect("read directly");
    let amount = match &v {
        qagida::core::value::Value::Record(r) => r.get("amount").cloned(),
        _ => None,
    };
    assert_eq!(
        amount.map(|a| a.to_string()).as_deref(),
        Some("12345678901234567890.123456789")
    );
    // 0.1 + 0.2 == 0.3 for decimals read from JSON, as from YAML.
    for app in [
        r#"{"amount": 1, "a": 0.1, "b": 0.2}"#,
        "amount: 1\na: 0.1\nb: 0.2\n",
    ] {
        let r = eval_at(&plan, app, "2021-01-01", &[]);
        assert_eq!(
            r.values.get("tenths"),
            Some(&qagida::core::value::Value::Bool(true)),
            "{app}"
        );
    }
    // A number where a record is expected is described as a number.
    let example = policy(EXAMPLE);
    let err = input_errors(
        &example,
        "service: grant\nsubmitted_at: 2021-03-15T10:00\nbirth_date: 2001-06-01\nincome: 150\nregion: north\nstudy: 1.5\ndocuments: []\n",
    );
    assert!(
        err.contains("`study` must be a mapping of fields, found the number `1.5`"),
        "{err}"
    );
    // Too many digits: neither reader takes the line.
    let line = r#"{"amount": 0.12345678901234567890123456789}"#;
    assert_eq!(qagida::engine::input::json::read(&plan, line), None);
    let data = qagida::engine::json_data(line).expect("JSON");
    let e = qagida::engine::input::from_data(&plan, &data, "line").expect_err("refused");
    assert!(
        e[0].message
            .contains("has more digits than a decimal holds exactly"),
        "{}",
        e[0].message
    );
}
