//! Dated tables and catalogue attributes: a table's rows and a whole
//! table in force for a period, an entry's attribute with values by date
//! (inherited whole), and a citation and reading on each dated value; the
//! review commands (`consolidate`, `diff`, `doc`, `catalogue`, `check`) on
//! `tests/policies/points`, a fictional points test amended by three
//! fictional acts.

use qagida::core::value::Value;
use qagida::policy::catalogue::Attribute;

use crate::common::*;

const POINTS: &str = "tests/policies/points";

/// An application of the points test.
fn application(occupation: &str, salary: &str, on: &str) -> String {
    format!("{{submitted_on: {on}, salary: {salary}, occupation: {occupation}}}")
}

/// The table rows a step of the trace used, as its notes name them.
fn rows_used(r: &qagida::engine::eval::Evaluation, value: &str) -> Vec<String> {
    r.trace
        .iter()
        .filter(|s| s.name == value)
        .flat_map(|s| s.notes.iter().cloned())
        .collect()
}

#[test]
fn a_row_matches_only_on_the_dates_it_is_in_force() {
    let p = policy(POINTS);
    // 27,000 is 90% of the 2020 rate and 84.375% of the 2021 one: the row
    // of 80% to 100% gives 10 points until act-1 and 15 from it.
    let app = application("O1", "27000", "2021-03-31");
    let before = eval_at(&p, &app, "2021-03-31", &[]);
    assert_eq!(before.values["salary_points"], Value::Int(10));
    let used = rows_used(&before, "salary_points");
    assert!(
        used.iter()
            .any(|n| n.starts_with("table salary_points row 2 ")),
        "{used:?}"
    );
    let after = eval_at(&p, &app, "2021-04-01", &[]);
    assert_eq!(after.values["salary_points"], Value::Int(15));
    let used = rows_used(&after, "salary_points");
    assert!(
        used.iter()
            .any(|n| n.starts_with("table salary_points row 3 ")),
        "{used:?}"
    );
    // 100% of the rate: one row until act-3 (`>= 100%`), another from it
    // (`[100%, 120%)`); 120% has a row only from act-3.
    let at = |salary: &str, on: &str| eval_at(&p, &application("O1", salary, on), on, &[]);
    assert_eq!(
        at("35000", "2023-06-30").values["salary_points"],
        Value::Int(20)
    );
    assert_eq!(
        at("42000", "2023-06-30").values["salary_points"],
        Value::Int(20)
    );
    assert_eq!(
        at("35000", "2023-07-01").values["salary_points"],
        Value::Int(20)
    );
    assert_eq!(
        at("42000", "2023-07-01").values["salary_points"],
        Value::Int(30)
    );
}

/// A policy of one table `t` (in force until 2022-01-01 unless `period`
/// says otherwise) and the values that look it up.
fn table_policy(period: &str, default: &str) -> String {
    format!(
        "{HEADER}input:
  n: {{type: int, cite: \"§1\"}}
tables:
  t:
    cite: \"§2\"
    in_force: {period}
    columns: {{n: int}}
    output: int
    hit: first
{default}    rows:
      - {{when: {{n: \"-\"}}, then: 7, cite: \"§2(a)\"}}
values:
  looked_up:
    expr: lookup(t, n)
    cite: \"§2\"
  or_zero:
    expr: default(lookup(t, n), 0)
    cite: \"§2\"
reasons:
  low: {{cite: \"§3\"}}
decision:
  outcomes: {{grant: {{}}, refuse: {{}}}}
  rules:
    - {{id: r, outcome: refuse, reasons: [{{id: low, when: looked_up < 5}}], cite: \"§3\"}}
  otherwise: grant
  cite: \"§3\"
"
    )
}

#[test]
fn a_table_out_of_force_is_unknown_and_names_itself() {
    for default in ["", "    default: 1\n"] {
        let p = policy_from_str(&table_policy("{until: 2022-01-01}", default));
        let r = eval_at(&p, "{n: 3}", "2021-12-31", &[]);
        assert_eq!(r.values["looked_up"], Value::Int(7));
        assert_eq!(r.outcome, "grant");
        // Out of force, not even its default applies: a lookup is unknown,
        // and what rests on it is undetermined, naming the table.
        let r = eval_at(&p, "{n: 3}", "2022-01-01", &[]);
        assert!(r.values["looked_up"].is_unknown(), "{default}");
        assert_eq!(r.values["or_zero"], Value::Int(0));
        assert_eq!(r.outcome, "undetermined");
        assert_eq!(r.missing, vec!["t (not in force)".to_string()]);
    }
    // A table that comes into force later is unknown before.
    let p = policy_from_str(&table_policy("{from: 2021-06-01}", ""));
    let r = eval_at(&p, "{n: 3}", "2021-05-31", &[]);
    assert!(r.values["looked_up"].is_unknown());
    let r = eval_at(&p, "{n: 3}", "2021-06-01", &[]);
    assert_eq!(r.values["looked_up"], Value::Int(7));
}

#[test]
fn eval_says_which_table_is_out_of_force() {
    let dir = std::env::temp_dir().join(format!("qagida-dated-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let manifest = dir.join("policy.yaml");
    std::fs::write(&manifest, table_policy("{until: 2022-01-01}", "")).expect("write");
    let app = dir.join("app.yaml");
    std::fs::write(&app, "n: 3\n").expect("write");
    let (m, a) = (manifest.display().to_string(), app.display().to_string());
    let o = qagida(&["eval", "--policy", &m, "--at", "2022-01-01", &a]);
    let out = stdout(&o);
    assert!(
        out.contains("  - t (not in force) (table `t` is not in force on that date)"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_dated_attribute_before_at_and_after_its_dates() {
    let p = policy(POINTS);
    let rate = |occupation: &str, on: &str| {
        let r = eval_at(&p, &application(occupation, "30000", on), on, &[]);
        (r.values["going_rate"].clone(), r.missing.clone(), r.outcome)
    };
    // O3's rate applies from 2022-05-01: before, it is unknown and named,
    // never a guess; on and after, its value.
    let (v, missing, outcome) = rate("O3", "2022-04-30");
    assert!(v.is_unknown());
    assert_eq!(missing, vec!["occupations O3.going_rate".to_string()]);
    assert_eq!(outcome, "undetermined");
    let d = |s: &str| Value::Decimal(s.parse().expect("a decimal"));
    assert_eq!(rate("O3", "2022-05-01").0, d("22000"));
    assert_eq!(rate("O3", "2024-12-31").0, d("22000"));
    // O2 states its own values, from the act's first day.
    assert_eq!(rate("O2", "2020-01-01").0, d("40000"));
    assert_eq!(rate("O2", "2022-04-09").0, d("40000"));
    assert_eq!(rate("O2", "2022-04-10").0, d("45000"));
    // The occupation's field is read as any attribute, and `explain`
    // shows the value it read.
    let o = qagida(&[
        "catalogue",
        "--policy",
        POINTS,
        "--at",
        "2022-04-30",
        "Care",
    ]);
    let out = stdout(&o);
    assert!(out.contains("going_rate none before 2022-05-01"), "{out}");
}

#[test]
fn an_inherited_dated_attribute_follows_its_ancestors_dates() {
    let p = policy(POINTS);
    let d = |s: &str| Value::Decimal(s.parse().expect("a decimal"));
    // O1 states no rate: it has its group's, date by date.
    for (on, want) in [
        ("2020-01-01", "30000"),
        ("2021-03-31", "30000"),
        ("2021-04-01", "32000"),
        ("2022-04-09", "32000"),
        ("2022-04-10", "35000"),
    ] {
        let r = eval_at(&p, &application("O1", "30000", on), on, &[]);
        assert_eq!(r.values["going_rate"], d(want), "on {on}");
    }
    // The entry shares its group's dated values rather than a copy made
    // at one date.
    let c = &p.catalogues[0];
    let (g1, o1, o2) = (
        c.get("G1").expect("G1"),
        c.get("O1").expect("O1"),
        c.get("O2").expect("O2"),
    );
    let rate = |e: usize| &c.entries[e].attributes["going_rate"];
    assert!(rate(o1).same(rate(g1)));
    assert!(!rate(o2).same(rate(g1)), "O2 states its own");
    assert_eq!(rate(g1).dated().map(<[_]>::len), Some(3));
}

#[test]
fn an_entry_s_own_values_replace_the_inherited_ones_whole() {
    let text = format!(
        "{HEADER}input:
  e: {{type: ref(c), cite: \"§1\"}}
values:
  rate:
    expr: e.rate
    cite: \"§1\"
catalogues:
  c:
    cite: \"§1\"
    kinds: [group, item]
    attributes:
      rate: {{type: int, inherit: true, default: 1}}
    entries:
      - id: G
        kind: group
        name: {{en: Group}}
        cite: \"§1\"
        rate: {{values: {{2020-01-01: 10, 2022-01-01: 20}}}}
        children:
          - {{id: A, kind: item, name: {{en: Inherits}}, cite: \"§1\"}}
          - {{id: B, kind: item, name: {{en: Own plain}}, cite: \"§1\", rate: 5}}
          - {{id: C, kind: item, name: {{en: Own dated}}, cite: \"§1\", rate: {{values: {{2021-01-01: 7}}}}}}
      - {{id: H, kind: group, name: {{en: Default}}, cite: \"§1\"}}
"
    );
    let p = policy_from_str(&text);
    let rate =
        |e: &str, on: &str| eval_at(&p, &format!("{{e: {e}}}"), on, &[]).values["rate"].clone();
    assert_eq!(rate("A", "2020-06-01"), Value::Int(10));
    assert_eq!(rate("A", "2022-01-01"), Value::Int(20));
    assert_eq!(rate("B", "2022-01-01"), Value::Int(5));
    // Before its own first date, C has no value: neither its group's nor
    // the default.
    assert!(rate("C", "2020-06-01").is_unknown());
    assert_eq!(rate("C", "2022-01-01"), Value::Int(7));
    assert_eq!(rate("H", "2022-01-01"), Value::Int(1));
    let c = &p.catalogues[0];
    let b = c.get("B").expect("B");
    assert_eq!(c.entries[b].attributes["rate"], Value::Int(5));
    assert!(matches!(
        c.entries[b].attributes["rate"],
        Attribute::Plain(_)
    ));
}

#[test]
fn dated_values_carry_their_own_citation_and_reading() {
    let p = policy(POINTS);
    let mark = &p.params["pass_mark"];
    assert!(mark.dated);
    let day = |s: &str| s.parse().expect("a date");
    assert_eq!(mark.note_at(day("2021-03-31")), None, "the short form");
    let note = mark.note_at(day("2021-04-01")).expect("a note");
    assert_eq!(
        note.cite.as_deref(),
        Some("§2(1), as amended by Amendment No. 1, §1")
    );
    assert!(note.interpretation.is_some());
    let c = &p.catalogues[0];
    let g1 = c.get("G1").expect("G1");
    let values = c.entries[g1].attributes["going_rate"]
        .dated()
        .expect("dated");
    let cites: Vec<Option<&str>> = values.iter().map(|v| v.note.cite.as_deref()).collect();
    assert_eq!(
        cites,
        vec![
            None,
            Some("Appendix A, table 1, as amended by Amendment No. 1, §3"),
            Some("Appendix A, table 1, as amended by Amendment No. 2"),
        ]
    );
    assert!(values[2].note.interpretation.is_some());
}

/// The errors of a policy that must not load, as a person reads them.
#[test]
fn bad_shapes_of_dated_values_are_refused_at_their_place() {
    let text = format!(
        "{HEADER}input:
  e: {{type: ref(c), cite: \"§1\"}}
  n: {{type: int, cite: \"§1\"}}
parameters:
  unordered: {{type: int, values: {{2021-01-01: 1, 2020-06-01: 2}}, cite: \"§2\"}}
  wrong_type: {{type: int, values: {{2020-01-01: {{value: many, cite: \"§2(a)\"}}}}, cite: \"§2\"}}
  misspelt: {{type: int, values: {{2020-01-01: {{value: 1, cit: \"§2(b)\"}}}}, cite: \"§2\"}}
  no_value: {{type: int, values: {{2020-01-01: {{cite: \"§2(c)\"}}}}, cite: \"§2\"}}
  empty_cite: {{type: int, values: {{2020-01-01: {{value: 1, cite: \"\"}}}}, cite: \"§2\"}}
  number_cite: {{type: int, values: {{2020-01-01: {{value: 1, cite: 5}}}}, cite: \"§2\"}}
  none: {{type: int, values: {{}}, cite: \"§2\"}}
tables:
  t:
    cite: \"§3\"
    in_force: {{}}
    columns: {{n: int}}
    output: int
    hit: first
    rows:
      - {{when: {{n: \"-\"}}, then: 1, cite: \"§3(a)\", in_force: {{from: 2022-01-01, until: 2021-01-01}}}}
catalogues:
  c:
    cite: \"§4\"
    kinds: [item]
    attributes:
      rate: {{type: decimal}}
    entries:
      - {{id: A, kind: item, name: {{en: A}}, cite: \"§4\", rate: {{values: {{2022-01-01: 1, 2021-01-01: 2}}}}}}
      - {{id: B, kind: item, name: {{en: B}}, cite: \"§4\", rate: {{values: {{2022-01-01: lots}}}}}}
      - {{id: C, kind: item, name: {{en: C}}, cite: \"§4\", rate: {{values: [1, 2]}}}}
      - {{id: D, kind: item, name: {{en: D}}, cite: \"§4\", rate: {{values: {{2022-01-01: 1}}, from: 2022-01-01}}}}
      - {{id: E, kind: item, name: {{en: E}}, cite: \"§4\", rate: {{values: {{2022-13-01: 1}}}}}}
"
    );
    assert_snapshot!("bad_shapes", load_errors(&text));
}

/// The warnings of a policy that loads, but those of dates no act
/// explains (the inline policies record no act).
fn warnings(text: &str) -> Vec<String> {
    all_warnings(text)
        .into_iter()
        .filter(|(code, _)| *code != "unexplained-date")
        .map(|(_, m)| m)
        .collect()
}

/// Every warning of a policy that loads: its code and message.
fn all_warnings(text: &str) -> Vec<(&'static str, String)> {
    let text = text.to_string();
    let read = move |rel: &str| -> Result<(String, String), String> {
        match rel {
            "\0manifest" => Ok(("inline.yaml".into(), text.clone())),
            _ => Err(format!("no file `{rel}`")),
        }
    };
    match qagida::policy::load_files(&read) {
        Ok(l) => l
            .warnings
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect(),
        Err(d) => panic!("{}", qagida::core::diag::human(&d, false)),
    }
}

#[test]
fn lint_compares_only_the_rows_in_force_together() {
    let table = |hit: &str, rows: &str| {
        format!(
            "{HEADER}input:
  n: {{type: decimal, cite: \"§1\"}}
tables:
  t:
    cite: \"§2\"
    columns: {{n: decimal}}
    output: int
    hit: {hit}
    rows:
{rows}values:
  v:
    expr: lookup(t, n)
    cite: \"§2\"
"
        )
    };
    // The same range in two periods is no overlap, and the row replaced
    // leaves no gap.
    let replaced = "      - {when: {n: \"< 10\"}, then: 1, cite: \"a\"}
      - {when: {n: \">= 10\"}, then: 2, cite: \"b\", in_force: {until: 2022-01-01}}
      - {when: {n: \">= 10\"}, then: 3, cite: \"b'\", in_force: {from: 2022-01-01}}
";
    assert_eq!(warnings(&table("unique", replaced)), Vec::<String>::new());
    // An overlap and a gap that hold in one period only say so.
    let partly = "      - {when: {n: \"< 10\"}, then: 1, cite: \"a\"}
      - {when: {n: \">= 10\"}, then: 2, cite: \"b\", in_force: {until: 2022-01-01}}
      - {when: {n: \">= 5\"}, then: 3, cite: \"c\", in_force: {from: 2021-01-01, until: 2022-01-01}}
      - {when: {n: \">= 20\"}, then: 4, cite: \"d\", in_force: {from: 2022-01-01}}
";
    assert_eq!(
        warnings(&table("unique", partly)),
        vec![
            "in table `t`, rows 1 and 3 overlap at 5 (from 2021-01-01, before 2022-01-01)"
                .to_string(),
            "table `t` covers no row for values between 10 and 20 (rows 1 and 4) (from 2022-01-01)"
                .to_string(),
        ]
    );
    // A finding of every period is given once, without dates; a period
    // without any row, and a row never in force, are warned of.
    let always = "      - {when: {n: \"< 10\"}, then: 1, cite: \"a\", in_force: {from: 2021-01-01}}
      - {when: {n: \"> 10\"}, then: 2, cite: \"b\", in_force: {from: 2021-01-01}}
      - {when: {n: \"> 10\"}, then: 3, cite: \"c\", in_force: {until: 2019-01-01}}
";
    assert_eq!(
        warnings(&table("unique", always)),
        vec![
            "table `t` covers no row for exactly 10 (rows 1 and 2) (from 2021-01-01)".to_string(),
            "table `t` has no row in force (from 2020-01-01, before 2021-01-01)".to_string(),
            "row 3 of table `t` is never in force while the table and the act are".to_string(),
        ]
    );
}

#[test]
fn check_warns_of_row_table_and_attribute_dates_no_act_explains() {
    let o = qagida(&["check", POINTS]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_snapshot!("check", stderr(&o));
    // A table's own boundary on a day no act comes into force.
    let text = format!(
        "{HEADER}input:
  n: {{type: int, cite: \"§1\"}}
tables:
  t:
    cite: \"§2\"
    in_force: {{from: 2021-05-05}}
    columns: {{n: int}}
    output: int
    hit: first
    default: 0
    rows:
      - {{when: {{n: \"-\"}}, then: 1, cite: \"§2(a)\"}}
values:
  v: {{expr: \"lookup(t, n)\", cite: \"§2\"}}
"
    );
    let w = all_warnings(&text);
    let table = "table `t` comes into force on 2021-05-05, which no act explains";
    assert!(w.iter().any(|(_, m)| m.starts_with(table)), "{w:?}");
}

#[test]
fn consolidate_shows_only_what_is_in_force() {
    for at in ["2021-03-31", "2022-04-10", "2023-07-01"] {
        let o = qagida(&["consolidate", "--policy", POINTS, "--at", at]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_snapshot!(format!("consolidate_{at}"), stdout(&o));
    }
}

#[test]
fn diff_shows_each_row_and_attribute_with_its_act() {
    for (from, to) in [("2020-01-01", "2024-12-31"), ("2021-12-01", "2022-12-31")] {
        let args = ["diff", "--policy", POINTS, "--from", from, "--to", to];
        let o = qagida(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_snapshot!(format!("diff_{from}_{to}"), stdout(&o));
        // The same input gives the same bytes.
        assert_eq!(qagida(&args).stdout, o.stdout);
    }
    let o = qagida(&[
        "diff",
        "--policy",
        POINTS,
        "--from",
        "2020-01-01",
        "--to",
        "2024-12-31",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let changes = v["changes"].as_array().expect("changes");
    let row = changes
        .iter()
        .find(|c| c["kind"] == "row" && c["id"] == "share: [80%, 100%)")
        .expect("the changed row");
    assert_eq!(row["table"], "salary_points");
    assert_eq!(row["before"]["then"], 10);
    assert_eq!(row["after"]["then"], 15);
    assert_eq!(row["acts"], serde_json::json!(["act-1"]));
    assert_eq!(row["steps"][0]["provision"], "points");
    let rate = changes
        .iter()
        .find(|c| c["kind"] == "attribute" && c["entry"] == "G1")
        .expect("G1's rate");
    assert_eq!(rate["id"], "going_rate");
    assert_eq!(rate["catalogue"], "occupations");
    assert_eq!(rate["acts"], serde_json::json!(["act-1", "act-2"]));
    assert_eq!(
        rate["after"]["cite"],
        "Appendix A, table 1, as amended by Amendment No. 2"
    );
    let o3 = changes
        .iter()
        .find(|c| c["kind"] == "attribute" && c["entry"] == "O3")
        .expect("O3's rate");
    assert_eq!(o3["change"], "added");
    assert_eq!(o3["acts"], serde_json::json!([]));
}

#[test]
fn doc_shows_the_history_of_each_dated_item() {
    let o = qagida(&["doc", "--policy", POINTS, "--at", "2022-04-10"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_snapshot!("doc", stdout(&o));
    let o = qagida(&["doc", "--policy", POINTS, "--at", "2023-07-01"]);
    let doc = stdout(&o);
    assert!(
        doc.contains(
            "In force before 1 July 2023; not in force on 1 July 2023: a lookup in it is unknown."
        ),
        "{doc}"
    );
}

#[test]
fn catalogue_shows_attribute_values_on_the_date() {
    let o = qagida(&["catalogue", "--policy", POINTS, "--at", "2022-04-10"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_snapshot!("catalogue", stdout(&o));
    let o = qagida(&[
        "catalogue",
        "--policy",
        POINTS,
        "--at",
        "2021-04-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let g1 = &v["entries"][0];
    assert_eq!(g1["going_rate"]["value"], 32000);
    assert_eq!(g1["children"][1]["going_rate"], 40000);
    // Before its first date, an entry's attribute is left out.
    let g2 = &v["entries"][1];
    assert!(g2["children"][0].get("going_rate").is_none(), "{g2}");
}

#[test]
fn the_example_uses_dated_tables_and_attributes() {
    let p = policy(EXAMPLE);
    let dated = |i: &qagida::policy::Info| i.from.is_some() || i.until.is_some();
    assert!(
        p.tables.iter().any(|t| dated(&t.info)),
        "a table in force for a period"
    );
    assert!(
        p.tables
            .iter()
            .any(|t| t.rows.iter().any(|r| dated(&r.info))),
        "a row in force for a period"
    );
    let attributes = p.catalogues.iter().flat_map(|c| &c.entries);
    let mut attributes = attributes.flat_map(|e| e.attributes.values());
    assert!(
        attributes.any(|a| a
            .dated()
            .is_some_and(|d| d.iter().any(|v| v.note.cite.is_some()))),
        "a dated attribute with a value of its own citation"
    );
    assert!(
        p.params
            .values()
            .any(|x| x.notes.iter().any(|n| n.cite.is_some())),
        "a parameter's dated value with its own citation"
    );
}

#[test]
fn a_dated_attribute_is_refused_where_the_date_is_not_known_yet() {
    let text = |evaluation_date: &str, required_when: &str| {
        format!(
            "package:
  id: inline
  title: {{en: Inline fixture}}
  act: {{cite: Fixture}}
  languages: [en]
  official_language: en
  in_force: {{from: 2020-01-01}}
  evaluation_date: {evaluation_date}
input:
  submitted_on: {{type: date, cite: \"§1\"}}
  e: {{type: ref(c), cite: \"§1\"}}
  note: {{type: string, optional: true, required_when: {required_when}, cite: \"§1\"}}
catalogues:
  c:
    cite: \"§2\"
    kinds: [item]
    attributes:
      delay: {{type: int}}
      strict: {{type: bool}}
      fixed: {{type: int}}
    entries:
      - {{id: A, kind: item, name: {{en: A}}, cite: \"§2\", delay: {{values: {{2020-01-01: 5, 2022-01-01: 10}}}}, strict: {{values: {{2020-01-01: false}}}}, fixed: 3}}
"
        )
    };
    // Read on the act's first day whatever the application's date: refused.
    let errors = load_errors(&text("add_days(submitted_on, e.delay)", "e.strict"));
    assert!(
        errors.contains("attribute `delay` of catalogue `c` has dated values, and cannot be read in `package.evaluation_date`"),
        "{errors}"
    );
    assert!(
        errors.contains("attribute `strict` of catalogue `c` has dated values, and cannot be read in `required_when`"),
        "{errors}"
    );
    assert!(errors.contains("inline.yaml:8:"), "{errors}");
    // An attribute with one value may be read there, as before.
    let p = policy_from_str(&text("add_days(submitted_on, e.fixed)", "e.fixed > 5"));
    assert!(p.evaluation_date.is_some());
}
