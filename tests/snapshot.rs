//! `qagida snapshot`: the kz package's corpus decided in every edition and
//! compared with the decisions it ships, on a copy of the package edited
//! as an amendment would edit it.

use std::path::{Path, PathBuf};

use crate::common::*;

/// A copy of `policies/` (the package and the calendars it names), and the
/// package's folder in it.
fn package(name: &str) -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch(name);
    copy_tree(&root.join("policies"), &dir);
    let kz = dir.join("kz-order-503");
    let s = kz.to_str().expect("utf-8").to_string();
    (kz, s)
}

fn snap(args: &[&str], pkg: &str) -> std::process::Output {
    let mut a = vec!["snapshot"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--policy", pkg]);
    qagida(&a)
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert!(text.contains(from), "{} lacks {from:?}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).expect("write");
}

const LATEST: &str = "snapshots/kz-order-503@order-537.jsonl";

#[test]
fn the_shipped_snapshots_match_and_an_edit_shows_with_its_edition() {
    let (kz, pkg) = package("snapshot-edit");
    let o = snap(&["check"], &pkg);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("0 of 656 decisions changed"),
        "{}",
        stdout(&o)
    );

    edit(
        &kz.join("services.yaml"),
        "  decision_days:\n    type: int\n    value: 5\n",
        "  decision_days:\n    type: int\n    value: 6\n",
    );
    let o = snap(&["check"], &pkg);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(
        report.contains(
            "edition kz-order-503@order-537 (act order-537, from 2021-01-05 until 2023-07-01): 74 of 164 decisions changed"
        ),
        "{report}"
    );
    assert!(
        report.contains("  issue-grant.yaml at 2021-01-05: grant\n      deadlines.decision_by: 2021-03-25 → 2021-03-26\n"),
        "{report}"
    );
    // The editions where §11's wording is not encoded decide nothing by it.
    assert!(
        report.contains("edition kz-order-503@original (the act as made, from 2017-01-01 until 2018-06-25): 164 decisions, none changed"),
        "{report}"
    );

    // The same in JSON.
    let o = snap(&["check", "--format", "json"], &pkg);
    assert_eq!(o.status.code(), Some(5));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["changed"], true);
    let latest = &v["editions"][3];
    assert_eq!(
        (&latest["act"], &latest["status"]),
        (
            &serde_json::json!("order-537"),
            &serde_json::json!("changed")
        )
    );
    let first = &latest["changes"][0]["differences"][0];
    assert_eq!(
        first,
        &serde_json::json!({"member": "deadlines.decision_by", "old": "2021-03-25", "new": "2021-03-26"})
    );

    let before = std::fs::read(kz.join(LATEST)).expect("snapshot");
    let o = snap(&["accept", "--all"], &pkg);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let after = std::fs::read(kz.join(LATEST)).expect("snapshot");
    assert_ne!(before, after);
    let o = snap(&["check"], &pkg);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // Accepting again writes the same bytes.
    let o = snap(&["accept"], &pkg);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("order-537.jsonl (164 decisions): unchanged"));
    std::fs::remove_file(kz.join(LATEST)).expect("remove");
    let o = snap(&["accept", "kz-order-503@order-537"], &pkg);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read(kz.join(LATEST)).expect("snapshot"), after);
}

#[test]
fn a_new_act_needs_its_snapshot_and_a_removed_one_loses_it() {
    let (kz, pkg) = package("snapshot-act");
    let history = kz.join("history.yaml");
    let act = "    - id: hyp-deadline\n      kind: amendment\n      title: {en: \"Hypothetical act (not law)\"}\n      signed: 2022-01-10\n      in_force: {date: 2022-02-01}\n      changes: [rules.11]\n      cite: Hypothetical, not law\n";
    let text = std::fs::read_to_string(&history).expect("history");
    std::fs::write(
        &history,
        text.replacen(
            "    - id: order-236\n",
            &format!("{act}    - id: order-236\n"),
            1,
        ),
    )
    .expect("write");
    edit(
        &kz.join("services.yaml"),
        "    value: 5\n    cite: Rules §11\n",
        "    values: {2017-01-01: 5, 2022-02-01: 4}\n    cite: Rules §11\n",
    );
    let o = snap(&["check"], &pkg);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(
        report.contains("new edition kz-order-503@hyp-deadline (act hyp-deadline, from 2022-02-01 until 2023-07-01): no snapshot (snapshots/kz-order-503@hyp-deadline.jsonl); run `qagida snapshot accept kz-order-503@hyp-deadline`"),
        "{report}"
    );
    // The edition before it is shorter, and its decisions are the same:
    // its dates (its first day, a month in) did not move.
    assert!(
        report.contains("edition kz-order-503@order-537 (act order-537, from 2021-01-05 until 2022-02-01): 164 decisions, none changed"),
        "{report}"
    );

    // Accepted by its act's id alone, as `impact` names an edition.
    let new = kz.join("snapshots/kz-order-503@hyp-deadline.jsonl");
    let o = snap(&["accept", "hyp-deadline"], &pkg);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(new.exists());
    assert!(stdout(&o).contains("created"), "{}", stdout(&o));

    // The act removed: its file is of no edition.
    std::fs::write(&history, &text).expect("write");
    let o = snap(&["check"], &pkg);
    assert_eq!(o.status.code(), Some(5));
    assert!(
        stdout(&o)
            .contains("snapshots/kz-order-503@hyp-deadline.jsonl is the snapshot of no edition"),
        "{}",
        stdout(&o)
    );
    let o = snap(&["accept", "--all"], &pkg);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!new.exists());
}

#[test]
fn review_without_a_terminal_never_waits_and_flags_settle_it() {
    let (kz, pkg) = package("snapshot-review");
    edit(
        &kz.join("services.yaml"),
        "  decision_days:\n    type: int\n    value: 5\n",
        "  decision_days:\n    type: int\n    value: 6\n",
    );
    // The tests' standard input is not a terminal.
    let o = snap(&["review"], &pkg);
    assert_eq!(o.status.code(), Some(5));
    assert!(stdout(&o).contains("74 of 164 decisions changed"));
    assert!(stdout(&o).contains("--accept-all"));

    let o = snap(&["review", "--reject-all"], &pkg);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("0 accepted, 74 rejected, 0 skipped"),
        "{}",
        stdout(&o)
    );
    assert_eq!(snap(&["check"], &pkg).status.code(), Some(5));

    let o = snap(&["review", "--accept", "kz-order-503@order-537"], &pkg);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("74 accepted"), "{}", stdout(&o));
    assert_eq!(snap(&["check"], &pkg).status.code(), Some(0));

    // Back, and accepted all at once: the same bytes as `accept`.
    edit(
        &kz.join("services.yaml"),
        "    value: 6\n    cite: Rules §11\n",
        "    value: 5\n    cite: Rules §11\n",
    );
    let o = snap(&["review", "--accept-all"], &pkg);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        std::fs::read(kz.join(LATEST)).expect("snapshot"),
        std::fs::read(root.join("policies/kz-order-503").join(LATEST)).expect("shipped")
    );
}

#[test]
fn the_report_of_a_small_change_reads_as_reviewed() {
    let (kz, pkg) = package("snapshot-report");
    // One application's corpus only, for a short report.
    let corpus = kz.join("snapshots/corpus");
    for e in std::fs::read_dir(&corpus).expect("corpus").flatten() {
        if e.file_name() != "issue-grant.yaml" {
            std::fs::remove_file(e.path()).expect("remove");
        }
    }
    assert_eq!(snap(&["accept", "--all"], &pkg).status.code(), Some(0));
    edit(
        &kz.join("services.yaml"),
        "  decision_days:\n    type: int\n    value: 5\n",
        "  decision_days:\n    type: int\n    value: 6\n",
    );
    let o = snap(&["check"], &pkg);
    assert_eq!(o.status.code(), Some(5));
    assert_snapshot!("small_change", stdout(&o));
}

#[test]
fn snapshot_needs_a_folder() {
    let o = qagida(&["snapshot", "check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give --policy DIR"), "{}", stderr(&o));
}

/// `snapshot review` on a terminal: each change asks `accept, reject or
/// skip? [a/r/s]` and the answer settles it. The terminal is a real
/// pseudo-terminal made by util-linux's `script`, and the answers are typed
/// into it: accept the first change, reject the second, skip the rest.
#[test]
fn review_on_a_terminal_asks_for_each_change() {
    let (kz, pkg) = package("snapshot-review-tty");
    edit(
        &kz.join("services.yaml"),
        "    value: 5\n    cite: Rules §11\n",
        "    value: 6\n    cite: Rules §11\n",
    );
    let before = stdout(&snap(&["check"], &pkg));
    assert!(
        before.contains("kz-order-503: 74 of 656 decisions changed"),
        "{before}"
    );
    let command = format!(
        "{} snapshot review --policy {pkg}",
        env!("CARGO_BIN_EXE_qagida")
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux's script runs");
    {
        use std::io::Write;
        let mut answers = String::from("a\nr\n");
        answers += &"s\n".repeat(72);
        let mut input = child.stdin.take().expect("stdin");
        input
            .write_all(answers.as_bytes())
            .expect("the answers are typed");
    }
    let o = child.wait_with_output().expect("review ends");
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(shown.contains("accept, reject or skip? [a/r/s]"), "{shown}");
    assert!(
        shown.contains("[1/74] edition kz-order-503@order-537"),
        "{shown}"
    );
    assert!(
        shown.contains("1 accepted, 1 rejected, 72 skipped"),
        "{shown}"
    );
    // The accepted change is recorded; the others are still reported.
    let after = stdout(&snap(&["check"], &pkg));
    assert!(
        after.contains("kz-order-503: 73 of 656 decisions changed"),
        "{after}"
    );
}
