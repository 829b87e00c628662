//! Reviewing amendments, on `tests/policies/amended` (a fictional
//! regulation amended by three fictional acts): `diff` names, for each
//! change, the act whose date of entry into force (or window) holds the
//! change's date, and says when no act does; `check` warns of every date
//! no act explains; and the small surprises of reviewing: a search of the
//! catalogue that matches only on other dates, a provision's new version in
//! `diff`, a comma inside `{...}`, and text cells.

use std::path::{Path, PathBuf};

use serde_json::Value as J;

use crate::common::*;

const AMENDED: &str = "tests/policies/amended";

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn json(o: &std::process::Output) -> J {
    assert_eq!(code(o), 0, "{}", stderr(o));
    serde_json::from_str(&stdout(o)).expect("JSON")
}

/// The change of `kind` `id` in a diff's JSON.
fn change<'a>(v: &'a J, kind: &str, id: &str) -> &'a J {
    v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["kind"] == kind && c["id"] == id)
        .unwrap_or_else(|| panic!("no change of {kind} {id} in {v:#}"))
}

/// Each step of a change as `date: acts | unlisted`.
fn steps(c: &J) -> Vec<String> {
    let list = |v: &J| {
        v.as_array()
            .expect("a list")
            .iter()
            .map(|x| x.as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    c["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            format!(
                "{}: {} | {}",
                s["date"].as_str().unwrap_or_default(),
                list(&s["acts"]),
                list(&s["unlisted"])
            )
        })
        .collect()
}

/// A copy of the fixture with `edits` (text, replacement) made, each of
/// which must match once.
fn edited(name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qagida-review-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(Path::new(AMENDED), &dir);
    let file = dir.join("policy.yaml");
    let mut text = std::fs::read_to_string(&file).expect("read");
    for (find, replace) in edits {
        assert_eq!(text.matches(find).count(), 1, "{find}");
        text = text.replacen(find, replace, 1);
    }
    std::fs::write(&file, text).expect("write");
    dir
}

#[test]
fn diff_over_three_acts_names_the_act_of_each_change_s_date() {
    let args = ["diff", "--policy", AMENDED, "--from", "2019-01-01"];
    let o = qagida(&[&args[..], &["--to", "2024-12-31"]].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_snapshot!("diff_three_acts", stdout(&o));
    let v = json(&qagida(
        &[&args[..], &["--to", "2024-12-31", "--format", "json"]].concat(),
    ));
    // Changed by two acts: each step is the act of its own date, not the
    // last act of the range.
    let fee = change(&v, "parameter", "fee_per_m2");
    assert_eq!(steps(fee), ["2020-03-01: act-1 | ", "2023-07-01: act-3 | "]);
    assert_eq!(fee["acts"], serde_json::json!(["act-1", "act-3"]));
    assert_eq!(
        steps(change(&v, "provision", "fees")),
        ["2020-03-01: act-1 | ", "2023-07-01: act-3 | "]
    );
    // Dates inside act-2's window (2021-09-10 to 2021-09-20) are its.
    assert_eq!(
        steps(change(&v, "value", "discount")),
        ["2021-09-10: act-2 | "]
    );
    assert_eq!(steps(change(&v, "entry", "T3")), ["2021-09-15: act-2 | "]);
    // A rule reason repealed by act-3, which changes `grounds`.
    assert_eq!(
        steps(change(&v, "rule", "refusal")),
        ["2023-07-01: act-3 | "]
    );
    // No act on 2022-04-01: explained by none, not blamed on a neighbour.
    let area = change(&v, "parameter", "max_area");
    assert_eq!(steps(area), ["2022-04-01:  | "]);
    assert_eq!(area["acts"], serde_json::json!([]));
    // act-3 comes into force on 2023-07-01 but does not change `trades`.
    let crafts = change(&v, "entry", "T2");
    assert_eq!(steps(crafts), ["2023-07-01:  | act-3"]);
    assert_eq!(crafts["catalogue"], "trades");
    assert_eq!(crafts["steps"][0]["provision"], "trades");

    // A range holding act-1 alone blames act-1 alone.
    let o = qagida(&[&args[..], &["--to", "2022-01-01"]].concat());
    let text = stdout(&o);
    assert!(
        text.contains("  parameter fee_per_m2 changed: 10 -> 12  (by act-1 on 2020-03-01)\n"),
        "{text}"
    );
    assert!(!text.contains("act-3"), "{text}");
    // The other way round, the steps are still in order of date.
    let back = json(&qagida(&[
        "diff",
        "--policy",
        AMENDED,
        "--from",
        "2024-12-31",
        "--to",
        "2019-01-01",
        "--format",
        "json",
    ]));
    let fee = change(&back, "parameter", "fee_per_m2");
    assert_eq!(
        (&fee["before"]["value"], &fee["after"]["value"]),
        (&serde_json::json!(15), &serde_json::json!(10))
    );
    assert_eq!(steps(fee), ["2020-03-01: act-1 | ", "2023-07-01: act-3 | "]);
}

#[test]
fn diff_shows_what_a_provision_s_new_version_says() {
    let o = qagida(&[
        "diff",
        "--policy",
        AMENDED,
        "--from",
        "2023-06-30",
        "--to",
        "2023-07-01",
    ]);
    let text = stdout(&o);
    assert!(
        text.contains(
            "  provision fees changed: encoded (12 a square metre.) -> encoded (15 a square metre.)  (by act-3 on 2023-07-01)\n"
        ),
        "{text}"
    );
    assert!(!text.contains("true -> true"), "{text}");
    // Without notes, the fields that differ.
    let dir = edited(
        "no-notes",
        &[(
            "{act: act-3, encoded: true, note: The ground of unpaid fees repealed.}",
            "{act: act-3, encoded: true}",
        )],
    );
    let p = dir.display().to_string();
    let o = qagida(&[
        "diff",
        "--policy",
        &p,
        "--from",
        "2023-06-30",
        "--to",
        "2023-07-01",
    ]);
    let text = stdout(&o);
    assert!(
        text.contains(
            "  provision grounds changed: since \"2019-01-01\" -> \"2023-07-01\", by null -> \"act-3\"  (by act-3 on 2023-07-01)\n"
        ),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn items_out_of_force_are_not_consolidated() {
    let at = |d: &str| {
        json(&qagida(&[
            "consolidate",
            "--policy",
            AMENDED,
            "--at",
            d,
            "--format",
            "json",
        ]))
    };
    assert!(at("2021-09-09")["values"].get("discount").is_none());
    assert_eq!(
        at("2021-09-10")["values"]["discount"]["expr"],
        "area * fee_per_m2 * discount_rate"
    );
    let reasons = |v: &J| -> Vec<String> {
        v["rules"][0]["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .map(|r| r["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        reasons(&at("2023-06-30")),
        ["too_large", "unpaid_fees", "trade_closed"]
    );
    assert_eq!(reasons(&at("2023-07-01")), ["too_large", "trade_closed"]);
    let v = at("2023-07-01");
    assert_eq!(v["provisions"]["fees"]["note"], "15 a square metre.");
    assert_eq!(v["provisions"]["area"]["note"], J::Null);
}

#[test]
fn check_warns_of_dates_no_act_explains() {
    let o = qagida(&["check", AMENDED]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0 errors, 2 warnings)\nhash: sha256:"),
        "{}",
        stdout(&o)
    );
    assert_snapshot!("check_three_acts", stderr(&o));
    let o = qagida(&["--error-format", "json", "check", AMENDED]);
    let v: J = serde_json::from_str(&stderr(&o)).expect("JSON diagnostics");
    let places: Vec<String> = v
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| format!("{} {}:{}:{}", d["code"], d["file"], d["line"], d["column"]))
        .collect();
    assert_eq!(
        places,
        [
            "\"unexplained-date\" \"tests/policies/amended/policy.yaml\":107:30",
            "\"unexplained-date\" \"tests/policies/amended/policy.yaml\":156:84",
        ]
    );
    // The built-in policy's dates are each explained by its acts.
    let o = qagida(&["check"]);
    assert!(!stderr(&o).contains("unexplained-date"), "{}", stderr(&o));
    // The example's are not: it records one act, and none on these dates.
    let o = qagida(&["check", EXAMPLE]);
    let err = stderr(&o);
    for m in [
        "reason `too_old` of rule `assessment` comes into force on 2021-06-01, which no act explains: no act comes into force then (nearest: no act before it; `amendment-2`, in force 2022-06-01 to 2022-06-30, after it)",
        "entry `F2/P1` of catalogue `courses` comes into force on 2022-01-01, which no act explains",
        "entry `F1/P2` of catalogue `courses` leaves force on 2023-01-01, which no act explains",
        "parameter `income_limit` takes a value from 2023-01-01, which no act explains",
        "value `full_time_bonus` comes into force on 2023-01-01, which no act explains",
        "parameter `top_up_cap` takes a value from 2023-01-01, which no act explains",
    ] {
        assert!(err.contains(m), "{m}\n{err}");
    }
    assert_eq!(err.matches("warning[unexplained-date]").count(), 6, "{err}");
}

#[test]
fn an_act_explains_only_the_provisions_it_changes_and_only_on_its_dates() {
    // act-2 no longer lists `trades`; the food trade opens after its window.
    let dir = edited(
        "unlisted",
        &[
            ("changes: [discounts, trades]", "changes: [discounts]"),
            (
                "in_force: {from: 2021-09-15}",
                "in_force: {from: 2021-09-21}",
            ),
        ],
    );
    let p = dir.display().to_string();
    let o = qagida(&["check", &p]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    // The version that names act-2, at its `act`.
    assert!(
        err.contains("warning[unexplained-date]: provision `trades` has a version from 2021-09-10, which no act explains: act `act-2` comes into force then but does not list provision `trades` among its changes (nearest: `act-1`, in force 2020-03-01, before it; `act-3`, in force 2023-07-01, after it)"),
        "{err}"
    );
    assert!(
        err.contains(
            "= help: if act `act-2` made this change, add `trades` to its `changes`; otherwise correct the date"
        ),
        "{err}"
    );
    // A day after the window.
    assert!(
        err.contains("entry `T3` of catalogue `trades` comes into force on 2021-09-21, which no act explains: no act comes into force then (nearest: `act-2`, in force 2021-09-10 to 2021-09-20, before it; `act-3`, in force 2023-07-01, after it)"),
        "{err}"
    );
    assert_eq!(err.matches("warning[unexplained-date]").count(), 4, "{err}");
    let v = json(&qagida(&[
        "diff",
        "--policy",
        &p,
        "--from",
        "2019-01-01",
        "--to",
        "2024-12-31",
        "--format",
        "json",
    ]));
    assert_eq!(steps(change(&v, "entry", "T3")), ["2021-09-21:  | "]);
    assert_eq!(
        steps(change(&v, "provision", "trades")),
        ["2021-09-10:  | act-2"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn in_force_may_give_until_alone_but_not_nothing() {
    let dir = edited(
        "periods",
        &[
            (
                "cite: Annex 2, in_force: {until: 2023-07-01}}",
                "cite: Annex 2, in_force: {}}",
            ),
            (
                "in_force: {from: 2021-09-15}}",
                "in_force: {from: 2021-09-15, until: 2021-09-15}}",
            ),
        ],
    );
    let p = dir.display().to_string();
    let o = qagida(&["check", &p]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("error[date]: `in_force` needs `from`, `until` or both\n  --> "),
        "{err}"
    );
    assert!(err.contains("policy.yaml:156:"), "{err}");
    assert!(
        err.contains("error[date]: `until` is not after `from`: the item would never be in force"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_search_that_matches_only_on_other_dates_names_them() {
    let search = |at: &str, q: &str| qagida(&["catalogue", "--policy", AMENDED, "--at", at, q]);
    let o = search("2020-01-01", "food");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_snapshot!("catalogue_other_dates", stdout(&o));
    let o = search("2024-01-01", "craft");
    assert!(
        stdout(&o)
            .contains("  T2 trade: Crafts\n    Crafts  in force before 2023-07-01  [Annex 2]\n"),
        "{}",
        stdout(&o)
    );
    let o = search("2024-01-01", "nothing");
    assert!(
        stdout(&o).ends_with(
            "no entry matching `nothing` is in force on 2024-01-01, nor on any other date\n"
        ),
        "{}",
        stdout(&o)
    );
    // In force on the date: the entries, and nothing about other dates.
    let o = search("2024-01-01", "food");
    assert!(
        stdout(&o).contains("1 entry matching `food`:"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("other dates"), "{}", stdout(&o));
    let v = json(&qagida(&[
        "catalogue",
        "--policy",
        AMENDED,
        "--at",
        "2020-01-01",
        "--format",
        "json",
        "food",
    ]));
    assert_eq!(v["entries"], serde_json::json!([]));
    assert_eq!(v["on_other_dates"][0]["id"], "T3");
    assert_eq!(
        v["on_other_dates"][0]["in_force"],
        serde_json::json!({"from": "2021-09-15", "until": null})
    );
}

#[test]
fn text_cells_are_shown_as_written() {
    let v = json(&qagida(&[
        "consolidate",
        "--policy",
        EXAMPLE,
        "--at",
        "2021-03-15",
        "--format",
        "json",
    ]));
    let rows = &v["tables"]["region_bonus"]["rows"];
    assert_eq!(
        rows[0]["when"],
        serde_json::json!({"region": "north", "full_time": true})
    );
    assert_eq!(
        rows[1]["when"],
        serde_json::json!({"region": "south, north", "full_time": false})
    );
    assert_eq!(
        v["tables"]["income_points"]["rows"][1]["when"]["income"],
        "[100, 200)"
    );
    let o = qagida(&["consolidate", "--policy", EXAMPLE, "--at", "2021-03-15"]);
    assert!(!stdout(&o).contains("'\"north\"'"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("        region: south, north\n"),
        "{}",
        stdout(&o)
    );
    let o = qagida(&["doc", "--policy", EXAMPLE, "--at", "2021-03-15"]);
    let doc = stdout(&o);
    assert!(
        doc.contains("| south, north | false | 1 | §7.2 b |"),
        "{doc}"
    );
    // No table row quotes its members (expressions keep their quotes).
    let rows = doc.lines().filter(|l| l.contains("§7.2"));
    assert!(!rows.clone().any(|l| l.contains("\"north\"")), "{doc}");
    assert!(rows.count() > 0, "{doc}");
}

#[test]
fn a_comma_inside_braces_is_explained_at_every_key() {
    let o = qagida(&["check", "tests/policies/broken/flow_comma_unknown_key.yaml"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("= help: inside `{...}`, a comma ends a plain value, so `§2` became a key of its own: write it in quotes, as \"§1, §2\""),
        "{}",
        stderr(&o)
    );
    // A key nothing else complains of is a warning of its own.
    let o = qagida(&["check", EXAMPLE]);
    assert!(
        // (at the title's line, wherever the fixture's growth puts it)
        stderr(&o).contains("warning[yaml]: `the courses` is a key without a value\n  --> tests/policies/example/policy.yaml:")
            && stderr(&o).contains(":28\n   |\n") && stderr(&o).contains("title: {en: Annex 1, the courses}"),
        "{}",
        stderr(&o)
    );
}
