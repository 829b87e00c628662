//! Messages that point at the right place and say what is there (issue
//! 17, item 8): control characters escaped wherever a message quotes user
//! text, a calendar's missing year file named, a policy file cut short
//! reported as such.

use crate::common::*;

/// Whether `s` has a character a terminal would act on, but the line
/// break (and the tab a source line may have).
fn raw_control(s: &str) -> bool {
    s.chars()
        .any(|c| c != '\n' && c != '\t' && qagida::core::text::is_hidden(c))
}

#[test]
fn control_characters_are_escaped_in_every_message() {
    let dir = scratch("control-characters");
    // A file name with ESC, as a missing application and as a policy.
    let name = dir.join("a\u{1b}[2Jb.yaml");
    let o = qagida(&["eval", "--param", "threshold=6", name.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        !raw_control(&stderr(&o)) && stderr(&o).contains("a\\u{1b}[2Jb.yaml"),
        "{:?}",
        stderr(&o)
    );
    // A policy's unknown key, from serde's own message.
    let policy = dir.join("policy.yaml");
    std::fs::write(&policy, format!("{HEADER}\"param\\e[31mters\": {{}}\n")).expect("write");
    let o = qagida(&["check", policy.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        !raw_control(&stderr(&o)) && stderr(&o).contains("param\\u{1b}[31mters"),
        "{:?}",
        stderr(&o)
    );
    let o = qagida(&["--error-format", "json", "check", policy.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).expect("JSON");
    let m = v[0]["message"].as_str().expect("a message");
    assert!(
        !raw_control(m) && m.contains("param\\u{1b}[31mters"),
        "{m:?}"
    );
    // A catalogue search that matches nothing, on standard output.
    let o = qagida(&["catalogue", "--at", "2021-03-15", "zz\u{1b}[2J\u{9b}qq"]);
    assert!(
        !raw_control(&stdout(&o)) && stdout(&o).contains("`zz\\u{1b}[2J\\u{9b}qq`"),
        "{:?}",
        stdout(&o)
    );
    // A batch's error record, as JSON whose text is escaped as well.
    let line = std::fs::read_to_string("policies/kz-order-503/examples/batch/applications.jsonl")
        .expect("read")
        .lines()
        .next()
        .expect("a line")
        .replace(r#""service": "issue""#, r#""service": "iss\u001bue""#);
    let jsonl = dir.join("a.jsonl");
    std::fs::write(&jsonl, format!("{line}\n")).expect("write");
    let o = qagida(&[
        "batch",
        "--param",
        "threshold=6",
        "-o",
        "-",
        jsonl.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("a record");
    let e = v["error"].as_str().expect("an error");
    assert!(!raw_control(e) && e.contains("`iss\\u{1b}ue`"), "{e:?}");
}

#[test]
fn a_year_missing_inside_a_calendar_names_its_file() {
    let dir = scratch("calendar-gap");
    let pkg = dir.join("policies/kz-order-503");
    copy_tree(std::path::Path::new("policies/kz-order-503"), &pkg);
    let cal = dir.join("policies/calendars");
    copy_tree(std::path::Path::new("policies/calendars"), &cal);
    let index = cal.join("kz/calendar.yaml");
    let text = std::fs::read_to_string(&index).expect("read");
    std::fs::write(&index, text.replacen("2020, 2021, 2022", "2020, 2022", 1)).expect("write");
    std::fs::remove_file(cal.join("kz/2021.yaml")).expect("remove");
    let pol = pkg.to_str().unwrap();
    let app = "policies/kz-order-503/examples/issue-grant.yaml";
    let o = qagida(&["eval", "--policy", pol, "--param", "threshold=6", app]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let err = stderr(&o).replace(&dir.display().to_string(), "[dir]");
    assert!(
        err.contains(
            "the working-day calendar `kz` has no data for 2021, a year inside those it covers (2016-2026): the file `[dir]/policies/calendars/kz/2021.yaml` is missing (and 2021 is not among the `years` of `[dir]/policies/calendars/kz/calendar.yaml`)"
        ),
        "{err}"
    );
    // The file there, the year not listed.
    std::fs::copy("policies/calendars/kz/2021.yaml", cal.join("kz/2021.yaml")).expect("copy");
    let o = qagida(&["calendar", "--policy", pol, "show", "2021"]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let err = stderr(&o).replace(&dir.display().to_string(), "[dir]");
    assert!(
        err.contains("the file `[dir]/policies/calendars/kz/2021.yaml` is there, but 2021 is not among the `years` of `[dir]/policies/calendars/kz/calendar.yaml`"),
        "{err}"
    );
    // Outside the years covered, as before.
    let o = qagida(&["calendar", "--policy", pol, "show", "2030"]);
    assert!(
        stderr(&o).contains("has no data for 2030 (it covers 2016-2026)"),
        "{}",
        stderr(&o)
    );
}

/// Loads the package at `dir`, which must fail: its diagnostics.
fn load_fails(dir: &std::path::Path) -> Vec<qagida::core::diag::Diagnostic> {
    match qagida::policy::load_dir(dir) {
        Ok(_) => panic!("{dir:?} loads"),
        Err(d) => d,
    }
}

#[test]
fn a_policy_file_cut_short_is_reported_as_such_before_anything_it_breaks() {
    let dir = scratch("cut-short");
    let pkg = dir.join("policies/kz-order-503");
    copy_tree(std::path::Path::new("policies/kz-order-503"), &pkg);
    copy_tree(
        std::path::Path::new("policies/calendars"),
        &dir.join("policies/calendars"),
    );
    let files = [
        "policy.yaml",
        "services.yaml",
        "assessment.yaml",
        "report.yaml",
        "list.yaml",
        "history.yaml",
        "forms.yaml",
    ];
    for name in files {
        let path = pkg.join(name);
        let whole = std::fs::read_to_string(&path).expect("read");
        // Cut at a character boundary in the middle of a line, at several
        // points of the file.
        for k in 1..8 {
            let mut at = whole.len() * k / 8;
            while !whole.is_char_boundary(at) || whole[..at].ends_with('\n') {
                at -= 1;
            }
            std::fs::write(&path, &whole[..at]).expect("write");
            let diags = load_fails(&pkg);
            let shown = qagida::core::diag::human(&diags, false);
            // One error, about that file: cut short, unreadable.
            let line = whole[..at].lines().count();
            assert_eq!(diags.len(), 1, "{name} cut at {at}:\n{shown}");
            assert!(
                diags[0].unreadable
                    && diags[0].message.contains(&format!(
                        "cannot read `{}`: it ends in the middle of line {line}, as a file cut short does",
                        path.display()
                    )),
                "{name} cut at {at}:\n{shown}"
            );
        }
        // Emptied, as a file being rewritten is at first.
        std::fs::write(&path, "").expect("write");
        let diags = load_fails(&pkg);
        let shown = qagida::core::diag::human(&diags, false);
        assert_eq!(diags.iter().filter(|d| d.is_error()).count(), 1, "{shown}");
        if name.starts_with("kz-order-503/") && name != "kz-order-503/policy.yaml" {
            assert!(
                shown.contains(&format!(
                    "the included file `{}` is empty: it declares nothing",
                    path.display()
                )),
                "{shown}"
            );
        }
        std::fs::write(&path, &whole).expect("write");
    }
    // Whole again, it loads.
    assert!(qagida::policy::load_dir(&pkg).is_ok());
}
