//! `qagida batch`: no line lost, input order kept whatever the threads,
//! errors as records, CSV read by dotted column names.

use crate::common::*;
use qagida::engine::{Application, Plan, Request, Setting};

const JSONL: &str = "policies/kz-order-503/examples/batch/applications.jsonl";
const CSV: &str = "policies/kz-order-503/examples/batch/applications.csv";

fn lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

#[test]
fn every_line_comes_out_in_order_and_errors_are_records() {
    let o = qagida(&[
        "batch",
        "--param",
        "threshold=6",
        "--jobs",
        "1",
        "-o",
        "-",
        JSONL,
    ]);
    assert_eq!(o.status.code(), Some(5), "a line errored: {}", stderr(&o));
    let out = lines(&stdout(&o));
    let numbers: Vec<u64> = out
        .iter()
        .map(|v| v["line"].as_u64().expect("line"))
        .collect();
    // Line 6 is blank; every other line is accounted for, in order.
    assert_eq!(numbers, [1, 2, 3, 4, 5, 7]);
    assert_eq!(out[0]["outcome"], "grant");
    assert_eq!(out[1]["outcome"], "refuse");
    assert!(
        out[2]["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("not JSON"))
    );
    assert!(
        out[3]["error"]
            .as_str()
            .is_some_and(|e| e.contains("Астронавт"))
    );
    assert_eq!(out[4]["outcome"], "reject_intake");
    // A status question is answered, not granted, and keeps its status.
    assert_eq!(out[5]["outcome"], "answer");
    assert_eq!(out[5]["status"]["value"], "expired");
    assert!(
        stderr(&o).contains("6 records: 1 grant, 1 refuse, 1 reject_intake, 1 answer, 2 errors"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn output_is_identical_whatever_the_number_of_threads() {
    // Many lines, so that several threads share the chunks.
    let text = std::fs::read_to_string(JSONL).expect("example");
    let big: String = (0..300).map(|_| text.as_str()).collect();
    let dir = std::env::temp_dir().join(format!("qagida-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let input = dir.join("big.jsonl");
    std::fs::write(&input, big).expect("write");
    let path = input.display().to_string();
    let one = qagida(&[
        "batch",
        "--param",
        "threshold=6",
        "--jobs",
        "1",
        "-o",
        "-",
        &path,
    ]);
    let four = qagida(&[
        "batch",
        "--param",
        "threshold=6",
        "--jobs",
        "4",
        "-o",
        "-",
        &path,
    ]);
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(lines(&stdout(&one)).len(), 300 * 6);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn csv_columns_are_dotted_paths() {
    let o = qagida(&["batch", "--param", "threshold=6", "-o", "-", CSV]);
    let out = lines(&stdout(&o));
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["line"], 2);
    assert_eq!(out[0]["outcome"], "grant");
    assert_eq!(out[0]["score"]["total"], 11);
    assert_eq!(out[1]["reasons"][0]["id"], "qualification_mismatch");
    assert!(
        out[2]["error"]
            .as_str()
            .is_some_and(|e| e.contains("`yes`"))
    );
}

#[test]
fn a_missing_input_is_an_io_error() {
    let o = qagida(&["batch", "-o", "-", "no-such.jsonl"]);
    assert_eq!(o.status.code(), Some(3));
}

/// A batch's line for an application is the JSON `eval --format json`
/// gives for it, with its `line`: the batch's direct JSON reader, its
/// cache of what each date shares and its memo of recurring codes change
/// nothing. Checked on every example application of the built-in policy.
#[test]
fn a_batch_line_is_the_decision_eval_gives() {
    let plan = Plan::new(qagida::policy::embedded::default_policy().unwrap().policy);
    let request = Request {
        params: vec![Setting::Arg("threshold=6".into())],
        ..Request::default()
    };
    let prepared = plan.prepare(&request).unwrap();
    let mut jsonl = String::new();
    let mut expected = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir("policies/kz-order-503/examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let file = qagida::core::source::SourceFile::new("app.yaml", &text);
        let r = prepared.decide(Application::File(&file)).unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&qagida::engine::contract::to_vec(&plan, &r)).unwrap();
        expected.push(json);
        let data: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        jsonl += &format!("{data}\n");
    }
    assert!(expected.len() >= 10, "{}", expected.len());
    // Workers sharing the plan, and each with its own.
    for own_plans in [false, true] {
        let cfg = qagida::engine::batch::Config {
            prepared: &prepared,
            jobs: 2,
            own_plans,
            stop: None,
        };
        let (_, out) = jsonl_batch(&cfg, &jsonl);
        let got = lines(&out);
        assert_eq!(got.len(), expected.len());
        for ((mut line, want), path) in got.into_iter().zip(&expected).zip(&paths) {
            let obj = line.as_object_mut().unwrap();
            assert!(obj.shift_remove("line").is_some());
            assert_eq!(&line, want, "{}", path.display());
        }
    }
    assert_eq!(
        qagida::engine::batch::copies(2, true),
        2,
        "one plan a worker"
    );
}

/// A worker's plan is the same policy, shared, with a program of its own:
/// prepared again, it decides as the first, and the values its decisions
/// hold share no reference count with the first plan's.
#[test]
fn a_worker_plan_shares_the_policy_and_nothing_it_hands_out() {
    let plan = Plan::new(qagida::policy::embedded::default_policy().unwrap().policy);
    let request = Request {
        params: vec![Setting::Arg("threshold=6".into())],
        trace: false,
        ..Request::default()
    };
    let prepared = plan.prepare(&request).unwrap();
    let copy = plan.for_thread();
    assert!(
        std::ptr::eq(copy.policy(), plan.policy()),
        "the policy is shared"
    );
    let copied = prepared.again(&copy).unwrap();
    assert_eq!(copied.options().params, prepared.options().params);
    assert_eq!(copied.at(), prepared.at());
    let app = r#"{"service": "issue", "submitted_at": "2021-03-15T10:00", "profession": "1/2/1/2", "qualification_level": 5, "education": {"higher_in_specialty": true, "academic_degree_in_specialty": false, "english_teaching_certificate": false}, "experience_in_specialty": {"years": 3}, "documents": ["application"]}"#;
    let line = qagida::engine::Application::Line { text: app, line: 1 };
    let (a, b) = (prepared.decide(line).unwrap(), copied.decide(line).unwrap());
    assert_eq!(
        qagida::engine::contract::to_vec(&plan, &a),
        qagida::engine::contract::to_vec(&copy, &b)
    );
    // Every shared part of the two decisions' values is its own.
    let shared = |v: &qagida::core::value::Value| -> Vec<usize> {
        let mut out = Vec::new();
        v.shared_parts(&mut out);
        out
    };
    for ((_, x), (_, y)) in a.values.iter().zip(b.values.iter()) {
        let (px, py) = (shared(x), shared(y));
        assert!(px.iter().all(|p| !py.contains(p)), "{x} shares a part");
    }
}

/// Workers beyond `MAX_COPIES` share the plans in turn: no more are made.
#[test]
fn at_most_max_copies_of_the_plan_are_made() {
    use qagida::engine::batch::{MAX_COPIES, copies};
    assert_eq!(copies(1, true), 0, "one worker has the first plan");
    assert_eq!(copies(3, true), 3);
    assert_eq!(copies(MAX_COPIES + 4, true), MAX_COPIES);
    assert_eq!(copies(4, false), 0);
    let plan = Plan::new(qagida::policy::embedded::default_policy().unwrap().policy);
    let prepared = plan.prepare(&Request::default()).unwrap();
    let app = r#"{"service": "issue", "submitted_at": "2021-03-15T10:00", "profession": "1/2/1/2", "qualification_level": 5, "education": {"higher_in_specialty": true, "academic_degree_in_specialty": false, "english_teaching_certificate": false}, "experience_in_specialty": {"years": 3}, "documents": ["application"]}"#;
    let input = format!("{app}\n").repeat(40);
    for jobs in [1, 3, MAX_COPIES + 4] {
        let cfg = qagida::engine::batch::Config {
            prepared: &prepared,
            jobs,
            own_plans: true,
            stop: None,
        };
        let (summary, _) = jsonl_batch(&cfg, &input);
        assert_eq!(summary.total, 40, "{jobs} jobs");
    }
}

/// Runs a batch of JSONL `input` in process: its summary and output.
fn jsonl_batch(
    cfg: &qagida::engine::batch::Config<'_>,
    input: &str,
) -> (qagida::engine::batch::Summary, String) {
    let mut out = Vec::new();
    let summary = qagida::engine::batch::run(
        cfg,
        input.as_bytes(),
        qagida::engine::batch::InputFormat::Jsonl,
        &mut out,
        &mut |_| {},
    )
    .expect("the batch is written");
    (summary, String::from_utf8(out).expect("UTF-8 output"))
}
