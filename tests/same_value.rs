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
