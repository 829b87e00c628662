//! The same value means the same thing everywhere (issue 17, item 7): a
//! number read by `eval` and by `batch`, a parameter given once, dates
//! inside the years 0001–9999, no leap second.

use crate::common::*;

/// The decision `eval --format json` makes on `app` (JSON text) with the
/// example policy, and the record `batch` writes for it as a JSONL line,
/// without its `line`.
fn eval_and_batch(name: &str, app: &str) -> (serde_json::Value, serde_json::Value) {
    let dir = scratch(name);
    let (file, lines) = (dir.join("app.json"), dir.join("apps.jsonl"));
    std::fs::write(&file, app).expect("write");
    std::fs::write(&lines, format!("{app}\n")).expect("write");
    let (file, lines) = (file.to_str().unwrap(), lines.to_str().unwrap());
    let opts = ["--policy", EXAMPLE, "--param", "pass_mark=3"];
    let run = |cmd: &str, tail: &[&str]| qagida(&[&[cmd][..], &opts, tail].concat());
    let e = run("eval", &["--format", "json", file]);
    assert_eq!(e.status.code(), Some(0), "eval: {}", stderr(&e));
    let b = run("batch", &["-o", "-", lines]);
    let mut record: serde_json::Value = serde_json::from_str(&stdout(&b)).expect("one record");
    record.as_object_mut().expect("an object").remove("line");
    (serde_json::from_slice(&e.stdout).expect("JSON"), record)
}

#[test]
fn json_minus_zero_is_zero_in_eval_and_in_batch() {
    // An integer (`study.year`, each of `grades`) and a decimal (`income`)
    // written `-0`: serde_json reads the integer `-0` as the float -0.0,
    // which the batch took for a number with a fraction.
    let app = r#"{"service": "grant", "submitted_at": "2021-03-15T10:00", "birth_date": "2001-06-01", "income": -0, "region": "north", "study": {"full_time": true, "year": -0, "grades": [5, -0, 3]}, "documents": ["application", "identity", "enrolment", "income_statement"]}"#;
    let (e, b) = eval_and_batch("minus-zero", app);
    assert_eq!(e, b);
    assert_eq!(e["values"]["doubled_grades"], serde_json::json!([10, 0, 6]));
    assert_eq!(e["values"]["rounded_income"], 0);
    // And as the same application written with `0`.
    let (zero, _) = eval_and_batch("plain-zero", &app.replace(" -0", " 0"));
    assert_eq!(e, zero);
}

const GRANT: &str = "tests/policies/example/applications/grant.yaml";

fn eval_example(args: &[&str]) -> std::process::Output {
    qagida(
        &[
            &["eval", "--policy", EXAMPLE][..],
            args,
            &["--format", "json", GRANT],
        ]
        .concat(),
    )
}

#[test]
fn a_parameter_set_twice_on_the_command_line_is_an_error() {
    let o = eval_example(&["--param", "pass_mark=6", "--param", "pass_mark=7"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "error[param]: --param pass_mark is given twice: `pass_mark=6`, then `pass_mark=7`"
        ),
        "{}",
        stderr(&o)
    );
    // Set once, and an overlay's value replaced by --param, as documented.
    let o = eval_example(&[
        "--overlay",
        "tests/policies/example/overlay.yaml",
        "--param",
        "pass_mark=7",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_parameter_set_twice_in_an_overlay_is_an_error_at_the_second() {
    let dir = scratch("overlay-twice");
    let file = dir.join("overlay.yaml");
    std::fs::write(
        &file,
        "policy: example-study-grant\nparameters:\n  pass_mark: 6\n  max_age: 30\n  pass_mark: 7\n",
    )
    .expect("write");
    let o = eval_example(&["--overlay", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "parameters: the key `pass_mark` is written twice in this mapping (first at line 3)"
        ) && err.contains("overlay.yaml:5:3"),
        "{err}"
    );
}

#[test]
fn an_empty_parameter_value_is_an_error_and_null_leaves_it_unknown() {
    for arg in ["pass_mark=", "pass_mark= "] {
        let o = eval_example(&["--param", arg]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("error[param]: --param pass_mark= has no value")
                && stderr(&o)
                    .contains("--param pass_mark=null to leave the parameter without a value"),
            "{}",
            stderr(&o)
        );
    }
    // The explicit way: the parameter is unknown, and the decision waits
    // for it.
    let o = eval_example(&[
        "--overlay",
        "tests/policies/example/overlay.yaml",
        "--param",
        "pass_mark=null",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["outcome"], "undetermined");
    assert_eq!(ids(&v, "missing"), "pass_mark");
}

#[test]
fn a_key_written_twice_is_reported_at_the_second_with_the_first_line() {
    // An application: serde_yaml said so at the mapping's start (1:1).
    let p = policy(EXAMPLE);
    let app = std::fs::read_to_string(GRANT)
        .expect("read")
        .replace("region: north\n", "region: north\nincome: 200\n");
    let err = input_errors(&p, &app);
    assert!(
        err.contains("the key `income` is written twice in this mapping (first at line 4)")
            && err.contains("--> app.yaml:6:1"),
        "{err}"
    );
    // A policy's map of names kept the last silently; a struct's field
    // was reported at the mapping.
    let err = load_errors(&format!(
        "{HEADER}parameters:\n  n: {{type: int, value: 1, cite: x}}\n  n: {{type: int, value: 2, cite: x}}\n"
    ));
    assert!(
        err.contains("parameters: the key `n` is written twice in this mapping (first at line 9)")
            && err.contains("inline.yaml:10:3"),
        "{err}"
    );
    let err = load_errors(&format!(
        "{HEADER}parameters:\n  n:\n    type: int\n    value: 1\n    cite: x\n    value: 2\n"
    ));
    assert!(
        err.contains(
            "parameters.n: the key `value` is written twice in this mapping (first at line 11)"
        ) && err.contains("inline.yaml:13:5"),
        "{err}"
    );
}

/// A policy whose value `later` is `expr` over the input date `d` and the
/// input integer `n`.
fn dated(expr: &str) -> qagida::engine::Plan {
    policy_from_str(&format!(
        "{HEADER}input:\n  d: {{type: date, cite: x}}\n  n: {{type: int, cite: x}}\nvalues:\n  later: {{type: date, expr: \"{expr}\", cite: x}}\n"
    ))
}

/// The value `later`, or the evaluation's error.
fn later(expr: &str, d: &str, n: i64) -> Result<String, String> {
    use qagida::core::source::SourceFile;
    use qagida::engine::eval::{Options, evaluate};
    let p = dated(expr);
    let file = SourceFile::new("app.yaml", format!("d: {d}\nn: {n}\n"));
    let input = qagida::engine::input::read(&p, &file).expect("the application reads");
    let opts = Options {
        at: Some("2021-01-01".parse().expect("a date")),
        ..Options::default()
    };
    match evaluate(&p, &input, &opts) {
        Ok(e) => Ok(e.values["later"].to_string()),
        Err(d) => Err(d.message),
    }
}

#[test]
fn a_computed_date_beyond_the_years_0001_to_9999_is_an_evaluation_error() {
    const OUT: &str = "the date falls outside the years 0001 to 9999 that a date may have";
    let cases = [
        ("add_days(d, n)", "2021-03-31", 3_000_000),
        ("add_days(d, n)", "2021-03-31", -800_000),
        ("add_months(d, n)", "2021-03-31", 96_000),
        ("add_months(d, n)", "2021-03-31", -24_256),
        ("add_years(d, n)", "2021-03-31", 7_979),
        ("add_years(d, n)", "2021-03-31", -2_021),
        ("d + 1 day", "9999-12-31", 0),
        ("d - 1 day", "0001-01-01", 0),
        ("d + 1 week", "9999-12-31", 0),
        ("d + 100000 months", "2021-03-31", 0),
        ("d - 3000 years", "2021-03-31", 0),
    ];
    for (expr, d, n) in cases {
        let r = later(expr, d, n);
        assert_eq!(r, Err(OUT.to_string()), "{expr} with d = {d}, n = {n}");
    }
    // The last days inside are dates like any other.
    assert_eq!(
        later("d + 1 day", "9999-12-30", 0).as_deref(),
        Ok("9999-12-31")
    );
    assert_eq!(
        later("add_years(d, n)", "2021-03-31", -2_020).as_deref(),
        Ok("0001-03-31")
    );
    assert_eq!(
        later("add_months(d, n)", "9999-01-31", 11).as_deref(),
        Ok("9999-12-31")
    );
}

#[test]
fn a_date_beyond_the_years_0001_to_9999_is_exit_6_not_a_date_of_five_digits() {
    let dir = scratch("year-10000");
    std::fs::write(
        dir.join("policy.yaml"),
        format!(
            "{HEADER}input:\n  d: {{type: date, cite: x}}\n  n: {{type: int, cite: x}}\nvalues:\n  later: {{type: date, expr: \"add_days(d, n)\", cite: x}}\n"
        ),
    )
    .expect("write");
    std::fs::write(dir.join("app.yaml"), "d: 2021-03-31\nn: 3000000\n").expect("write");
    let pol = dir.to_str().unwrap();
    let app = dir.join("app.yaml");
    let o = qagida(&[
        "eval",
        "--policy",
        pol,
        "--at",
        "2021-01-01",
        app.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("outside the years 0001 to 9999") && !stdout(&o).contains("+10"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    // A date read outside them is refused where it is written; --at too.
    std::fs::write(dir.join("app.yaml"), "d: 0000-03-31\nn: 1\n").expect("write");
    let o = qagida(&[
        "eval",
        "--policy",
        pol,
        "--at",
        "2021-01-01",
        app.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`d`: `0000-03-31` is outside the years 0001 to 9999")
            && stderr(&o).contains("app.yaml:1:4"),
        "{}",
        stderr(&o)
    );
    for at in ["0000-01-01", "+10000-01-01", "+2021-01-01"] {
        let o = qagida(&["eval", "--policy", pol, "--at", at, app.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "--at {at}: {}", stderr(&o));
    }
}

#[test]
fn a_leap_second_is_refused_as_24_00_is() {
    let p = policy(EXAMPLE);
    let app = std::fs::read_to_string(GRANT).expect("read");
    for (time, message) in [
        (
            "23:59:60",
            "`23:59:60` is not a time of day: seconds run from 00 to 59, and a leap second is not counted",
        ),
        (
            "10:00:60",
            "`10:00:60` is not a time of day: seconds run from 00 to 59",
        ),
        ("24:00", "`24:00` is not a time of day"),
    ] {
        for quote in ["", "'"] {
            let text = app.replace(
                "submitted_at: 2021-03-15T10:00",
                &format!("submitted_at: {quote}2021-03-15T{time}{quote}"),
            );
            let err = input_errors(&p, &text);
            assert!(
                err.contains(&format!("`submitted_at`: {message}"))
                    && err.contains("app.yaml:2:15"),
                "{err}"
            );
        }
    }
    // In a policy, a literal likewise.
    let err = load_errors(&format!(
        "{HEADER}parameters:\n  cutoff: {{type: time, value: \"23:59:60\", cite: x}}\n"
    ));
    assert!(err.contains("`23:59:60` is not a time of day"), "{err}");
    // The last second of a day is one.
    let text = app.replace("T10:00", "T23:59:59");
    assert!(
        qagida::engine::input::read(&p, &qagida::core::source::SourceFile::new("a", text)).is_ok()
    );
}
