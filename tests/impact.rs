//! `qagida impact`: a corpus decided under two dates, editions or folders
//! of a policy, and the differences counted.

use std::path::{Path, PathBuf};

use crate::common::*;

const KZ: &str = "policies/kz-order-503";
const KZ_BATCH: &str = "policies/kz-order-503/examples/batch/applications.jsonl";

/// The kz package's example applications (YAML) as a JSONL corpus,
/// repeated `times`.
fn examples_corpus(dir: &Path, times: usize) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(format!("{KZ}/examples"))
        .expect("examples")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut lines = String::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("example");
        let v: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
        lines += &format!("{v}\n");
    }
    let path = dir.join("corpus.jsonl");
    std::fs::write(&path, lines.repeat(times)).expect("write");
    path
}

/// A copy of the kz package (with its calendars) whose decision term is
/// 7 working days instead of 5.
fn edited_copy(dir: &Path) -> PathBuf {
    copy_tree(Path::new("policies/calendars"), &dir.join("calendars"));
    let pkg = dir.join("kz-order-503");
    copy_tree(Path::new(KZ), &pkg);
    let services = pkg.join("services.yaml");
    let text = std::fs::read_to_string(&services).expect("services");
    let from = "  decision_days:\n    type: int\n    value: 5\n";
    assert!(text.contains(from), "decision_days is no longer 5");
    let edited = text.replace(from, "  decision_days:\n    type: int\n    value: 7\n");
    std::fs::write(&services, edited).expect("write");
    pkg
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let o = qagida(args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

fn transition<'a>(v: &'a serde_json::Value, from: &str, to: &str) -> &'a serde_json::Value {
    v["transitions"]
        .as_array()
        .expect("transitions")
        .iter()
        .find(|t| t["from"] == from && t["to"] == to)
        .unwrap_or_else(|| panic!("no transition {from} -> {to}"))
}

fn moves<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["moves"]
        .as_array()
        .expect("moves")
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no moves of {name}"))
}

#[test]
fn two_dates_of_the_kz_package_give_the_transitions() {
    let args = [
        "impact",
        "--policy",
        KZ,
        "--from",
        "2020-06-01",
        "--to",
        "2021-06-01",
        "--jobs",
        "2",
    ];
    let v = json_of(&[&args[..], &["--format", "json", KZ_BATCH]].concat());
    assert_eq!(v["total"], 6);
    assert_eq!(v["unchanged"], 0);
    assert_eq!(v["changed"], 4);
    assert_eq!(v["errors"], 2);
    assert_eq!(v["old"]["edition"], "kz-order-503@order-242");
    assert_eq!(v["new"]["edition"], "kz-order-503@order-537");
    assert_eq!(transition(&v, "undetermined", "answer")["count"], 1);
    assert_eq!(transition(&v, "undetermined", "reject_intake")["count"], 1);
    assert_eq!(transition(&v, "undetermined", "undetermined")["count"], 2);
    assert_eq!(transition(&v, "(error)", "(error)")["count"], 2);
    assert_eq!(v["reasons"]["incomplete_documents"]["gained"], 1);
    // Before order-537 the rules' wording is not encoded: the deadlines
    // appear with it.
    assert_eq!(moves(&v, "deadlines.decision_by")["appeared"], 3);
    // The example is the application, as read.
    let ex = &transition(&v, "undetermined", "answer")["examples"][0];
    assert_eq!(ex["line"], 7);
    assert!(ex["application"].as_str().unwrap().contains("\"status\""));
    // A report, not a failure: status 0; the text and the JSON as they are.
    let text = qagida(&[&args[..], &[KZ_BATCH]].concat());
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    assert_snapshot!("kz_dates_text", stdout(&text));
    assert_snapshot!("kz_dates_json", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn an_edition_is_taken_from_its_first_day() {
    let by_name = json_of(&[
        "impact",
        "--policy",
        KZ,
        "--from",
        "order-204",
        "--to",
        "kz-order-503@order-537",
        "--format",
        "json",
        KZ_BATCH,
    ]);
    let by_date = json_of(&[
        "impact",
        "--policy",
        KZ,
        "--from",
        "2020-06-09",
        "--to",
        "2021-01-05",
        "--format",
        "json",
        KZ_BATCH,
    ]);
    assert_eq!(by_name, by_date);
    assert_eq!(by_name["old"]["at"], "2020-06-09");
    assert_eq!(by_name["new"]["at"], "2021-01-05");
}

#[test]
fn an_edited_copy_moves_the_decision_deadline() {
    let dir = scratch("impact-with");
    let corpus = examples_corpus(&dir, 1);
    let pkg = edited_copy(&dir);
    let v = json_of(&[
        "impact",
        "--policy",
        KZ,
        "--with",
        pkg.to_str().unwrap(),
        "--to",
        "2021-06-01",
        "--format",
        "json",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(v["total"], 15);
    assert_eq!(v["errors"], 0);
    // No outcome changes: every transition is on the diagonal.
    for t in v["transitions"].as_array().unwrap() {
        assert_eq!(t["from"], t["to"], "{t}");
    }
    assert_eq!(v["reasons"], serde_json::json!({}));
    assert_eq!(v["changed"], 5);
    let d = moves(&v, "deadlines.decision_by");
    // Two working days later: two or four calendar days, over a weekend.
    assert_eq!(
        (d["compared"].clone(), d["moved"].clone()),
        (5.into(), 5.into())
    );
    assert_eq!(d["in_days"], 5);
    assert_eq!(
        d["buckets"],
        serde_json::json!([{"delta": "+2", "count": 2}, {"delta": "+4", "count": 3}])
    );
    assert_eq!((d["min"].clone(), d["max"].clone()), (2.into(), 4.into()));
    // Each example says what moved, and by how much.
    let ex = &transition(&v, "refuse", "refuse")["examples"][0];
    assert_eq!(
        ex["changes"],
        serde_json::json!(["deadlines.decision_by +2"])
    );
    // Nothing else moved.
    let others: Vec<&serde_json::Value> = v["moves"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["moved"] != 0 || m["appeared"] != 0 || m["vanished"] != 0)
        .collect();
    assert_eq!(others.len(), 1, "{others:?}");
}

#[test]
fn the_report_is_the_same_whatever_the_threads() {
    let dir = scratch("impact-jobs");
    // More than a part (256 lines), so that the threads share the work.
    let corpus = examples_corpus(&dir, 60);
    let pkg = edited_copy(&dir);
    let (c, p) = (corpus.to_str().unwrap(), pkg.to_str().unwrap());
    for format in ["text", "json", "html"] {
        let run = |jobs: &str| {
            let o = qagida(&[
                "impact",
                "--policy",
                KZ,
                "--with",
                p,
                "--from",
                "2021-01-05",
                "--to",
                "2021-06-01",
                "--jobs",
                jobs,
                "--format",
                format,
                c,
            ]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            o.stdout
        };
        let one = run("1");
        assert_eq!(one, run("3"), "--format {format}");
        if format == "html" {
            let page = String::from_utf8(one).unwrap();
            assert!(page.starts_with("<!DOCTYPE html>"));
            assert!(!page.contains("<script"), "a script");
            assert!(!page.contains("http"), "a link out");
            assert!(page.contains("<svg"), "no chart");
            assert!(page.contains("<table>"), "no matrix");
        }
    }
}

#[test]
fn the_report_goes_to_a_file_with_o() {
    let dir = scratch("impact-out");
    let out = dir.join("impact.html");
    let o = qagida(&[
        "impact",
        "--policy",
        KZ,
        "--from",
        "2020-06-09",
        "--to",
        "2021-06-01",
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
        KZ_BATCH,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.contains("undetermined"));
}

#[test]
fn a_csv_corpus_reads_as_its_jsonl_does() {
    let dir = scratch("impact-csv");
    let csv = "policies/kz-order-503/examples/batch/applications.csv";
    let pkg = edited_copy(&dir);
    let v = json_of(&[
        "impact",
        "--policy",
        KZ,
        "--with",
        pkg.to_str().unwrap(),
        "--to",
        "2021-06-01",
        "--format",
        "json",
        csv,
    ]);
    assert_eq!(v["total"], 3);
    assert_eq!(v["errors"], 1);
    assert_eq!(transition(&v, "refuse", "refuse")["count"], 1);
    assert_eq!(transition(&v, "undetermined", "undetermined")["count"], 1);
    assert_eq!(moves(&v, "deadlines.decision_by")["moved"], 2);
    // The error's example names the line and why.
    let ex = &transition(&v, "(error)", "(error)")["examples"][0];
    assert_eq!(ex["line"], 4);
    assert!(ex["old"].as_str().unwrap().starts_with("(error) "), "{ex}");
}

#[test]
fn a_wrong_side_is_refused() {
    // No --from without --with.
    let o = qagida(&["impact", "--policy", KZ, "--to", "2021-06-01", KZ_BATCH]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // An edition the policy does not have.
    let o = qagida(&[
        "impact",
        "--policy",
        KZ,
        "--from",
        "order-999",
        "--to",
        "2021-06-01",
        KZ_BATCH,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("kz-order-503@order-537"),
        "{}",
        stderr(&o)
    );
    // A date outside the act.
    let o = qagida(&[
        "impact",
        "--policy",
        KZ,
        "--from",
        "2016-01-01",
        "--to",
        "2021-06-01",
        KZ_BATCH,
    ]);
    assert_eq!(o.status.code(), Some(7));
    // A corpus that is not there.
    let o = qagida(&[
        "impact",
        "--policy",
        KZ,
        "--from",
        "2020-06-09",
        "--to",
        "2021-06-01",
        "nowhere.jsonl",
    ]);
    assert_eq!(o.status.code(), Some(3));
}

/// Runs Debian's Chromium headless with `args`, killed after a minute.
fn chromium(args: &[&str]) -> std::process::Output {
    let exe = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("Chromium (Debian's package `chromium`, which .ci/run installs)");
    let mut cmd = std::process::Command::new("timeout");
    cmd.arg("60")
        .arg(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .args(args);
    cmd.output().expect("Chromium runs")
}

/// The HTML report opened in a real browser: Chromium parses it into the
/// matrix, the reasons and a chart of bars per value that moved, and draws
/// it (a screenshot of the page, not blank). Ignored by a plain `cargo
/// test`, which a machine without Chromium runs; `.ci/run` installs
/// Chromium and runs it.
#[test]
#[ignore = "needs Chromium: .ci/run installs it and runs the browser tests"]
fn browser_the_html_report_opens_in_a_browser() {
    let dir = scratch("impact-browser");
    let corpus = examples_corpus(&dir, 1);
    let pkg = edited_copy(&dir);
    let page = dir.join("impact.html");
    let o = qagida(&[
        "impact",
        "--policy",
        KZ,
        "--with",
        pkg.to_str().unwrap(),
        "--to",
        "2021-06-01",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let url = format!("file://{}", page.display());
    let dom = chromium(&["--dump-dom", &url]);
    let dom = String::from_utf8_lossy(&dom.stdout).to_string();
    // The DOM the browser built: the matrix, a bar chart, the examples.
    assert!(dom.contains("<table"), "{dom}");
    assert!(dom.contains("reject_intake"), "{dom}");
    assert!(dom.contains("deadlines.decision_by"), "{dom}");
    let bars = dom.matches("<rect").count();
    assert!(bars >= 2, "a bar for each of +2 and +4 days: {dom}");
    assert!(!dom.contains("<script"), "{dom}");
    // Drawn: a screenshot of the page is a real image, and not one colour.
    let shot = dir.join("impact.png");
    let o = chromium(&[
        "--window-size=1200,1600",
        &format!("--screenshot={}", shot.display()),
        &url,
    ]);
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}): {}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(
        png.len() > 20_000,
        "a page this full is more than a blank image: {} bytes",
        png.len()
    );
}
