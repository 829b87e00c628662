//! `qagida sample`: synthetic applications drawn from a policy, the same
//! for the same seed, reaching every member and entry, clustered at the
//! policy's edges, and every one read by `batch`.

use std::collections::BTreeSet;

use serde_json::Value as J;

use crate::common::*;

const KZ: &str = "policies/kz-order-503";

fn sampled(args: &[&str]) -> Vec<J> {
    let o = qagida(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// The values at a dotted path, written as JSON text, of every application
/// that gives it.
fn at_path(apps: &[J], path: &str) -> BTreeSet<String> {
    apps.iter()
        .filter_map(|a| path.split('.').try_fold(a, |v, k| v.get(k)))
        .map(|v| match v {
            J::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_another_seed_others() {
    let run = |seed: &str| qagida(&["sample", "200", "--seed", seed, "--policy", EXAMPLE]);
    let (a, b, c) = (run("7"), run("7"), run("8"));
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
    assert_eq!(stdout(&a).lines().count(), 200);
    assert!(stdout(&a).ends_with('\n'));
    // The default seed is 0.
    let d = qagida(&["sample", "200", "--policy", EXAMPLE]);
    assert_eq!(d.stdout, run("0").stdout);
    assert_eq!(qagida(&["sample", "0", "--policy", EXAMPLE]).stdout, b"");
    // To a file, the same lines.
    let dir = scratch("sample-file");
    let file = dir.join("apps.jsonl");
    let f = file.to_str().expect("path");
    let o = qagida(&["sample", "200", "--seed", "7", "--policy", EXAMPLE, "-o", f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&file).expect("written"), a.stdout);
}

#[test]
fn every_service_and_every_profession_of_the_list_is_reached() {
    let plan = policy(KZ);
    let p = plan.policy();
    let list = p
        .catalogues
        .iter()
        .find(|c| c.name == "list")
        .expect("list");
    let field = p.input.fields.get("profession").expect("profession");
    let kinds = field.options.kinds.clone().expect("kinds");
    let want: BTreeSet<usize> = (0..list.entries.len())
        .filter(|&e| kinds.contains(&list.entries[e].kind))
        .collect();
    assert!(want.len() > 100, "{}", want.len());
    let n = want.len().to_string();
    let apps = sampled(&["sample", &n, "--seed", "3", "--policy", KZ]);
    assert_eq!(apps.len(), want.len());
    // By id, or now and then by the official name.
    let got: BTreeSet<usize> = at_path(&apps, "profession")
        .iter()
        .map(|t| list.resolve(t, Some(&kinds), None).expect("an entry"))
        .collect();
    assert_eq!(got, want);
    let services = at_path(&apps, "service");
    let qagida::lang::types::Type::Enum(members) = &p.input.fields["service"].ty else {
        panic!("service is an enumeration");
    };
    let members: BTreeSet<String> = members.iter().map(|m| m.to_string()).collect();
    assert_eq!(services, members);
    // A profession named beside the one not listed: never both.
    assert!(
        apps.iter()
            .all(|a| a.get("profession").is_none() || a.get("profession_not_listed").is_none())
    );
}

#[test]
fn only_entries_in_force_on_the_date_are_drawn() {
    let plan = policy(KZ);
    let list = &plan.policy().catalogues[0];
    let at: chrono::NaiveDate = "2021-03-15".parse().expect("date");
    let apps = sampled(&["sample", "400", "--at", "2021-03-15", "--policy", KZ]);
    for t in at_path(&apps, "profession") {
        let e = list.resolve(&t, None, None).expect("an entry");
        assert!(list.in_force(e, at), "{t} is not in force on {at}");
    }
    // Every date is within the year up to it.
    for d in at_path(&apps, "submitted_at") {
        let day: chrono::NaiveDate = d[..10].parse().expect("a date");
        assert!(day <= at && day >= at - chrono::Days::new(365), "{d}");
    }
}

#[test]
fn numbers_cluster_at_the_edges_of_parameters_bounds_and_bands() {
    let apps = sampled(&["sample", "600", "--seed", "1", "--policy", KZ]);
    // Years of experience at the bands of 12, 36 and 120 months
    // (experience_months = years * 12 + months, compared with literals).
    let years = at_path(&apps, "experience_in_specialty.years");
    for y in ["0", "1", "2", "3", "4", "9", "10", "11"] {
        assert!(years.contains(y), "years {y} not in {years:?}");
    }
    // The term's min 1 and max 3, never beyond.
    let term = at_path(&apps, "term_months");
    assert_eq!(term, ["1", "2", "3"].map(String::from).into());
    // Submissions a minute either side of the end of office hours (18:30).
    let times: BTreeSet<String> = at_path(&apps, "submitted_at")
        .iter()
        .filter_map(|t| t.get(11..).map(String::from))
        .collect();
    for t in ["18:29", "18:30", "18:31"] {
        assert!(times.contains(t), "{t} not in {times:?}");
    }
    // The example's income bands [100, 200) and its year table (<= 2).
    let apps = sampled(&["sample", "300", "--seed", "1", "--policy", EXAMPLE]);
    let income = at_path(&apps, "income");
    for x in ["99.99", "100", "100.01", "199.99", "200", "200.01"] {
        assert!(income.contains(x), "income {x} not in {income:?}");
    }
    let year = at_path(&apps, "study.year");
    for x in ["1", "2", "3"] {
        assert!(year.contains(x), "year {x} not in {year:?}");
    }
    // Birth dates around the age limit (age = years_between(birth_date,
    // submission) > max_age, 25): 24 to 26 years before the submission.
    let ages: BTreeSet<i32> = apps
        .iter()
        .filter_map(|a| {
            let born: chrono::NaiveDate = a["birth_date"].as_str()?.parse().ok()?;
            let on: chrono::NaiveDate = a["submitted_at"].as_str()?.get(..10)?.parse().ok()?;
            Some(on.years_since(born)? as i32)
        })
        .collect();
    for x in [24, 25, 26] {
        assert!(ages.contains(&x), "age {x} not in {ages:?}");
    }
    // Optional fields are sometimes left out, required ones never.
    let without_rent = apps.iter().filter(|a| a.get("rent").is_none()).count();
    assert!(without_rent > 20 && without_rent < 150, "{without_rent}");
    assert!(apps.iter().all(|a| a.get("income").is_some()));
}

#[test]
fn every_sampled_application_is_read_and_decided_by_batch() {
    for (dir, n) in [(EXAMPLE, "2000"), (KZ, "2000")] {
        let out = scratch(&format!("sample-batch-{}", dir.replace('/', "-")));
        let apps = out.join("apps.jsonl");
        let records = out.join("out.jsonl");
        let (a, r) = (
            apps.to_str().expect("path"),
            records.to_str().expect("path"),
        );
        let o = qagida(&["sample", n, "--seed", "5", "--policy", dir, "-o", a]);
        assert!(o.status.success(), "{dir}: {}", stderr(&o));
        let o = qagida(&["batch", "--policy", dir, "--jobs", "2", a, "-o", r]);
        assert!(o.status.success(), "{dir}: {}", stderr(&o));
        let text = std::fs::read_to_string(&records).expect("records");
        assert_eq!(text.lines().count(), 2000);
        let errors: Vec<&str> = text.lines().filter(|l| l.contains(r#""error""#)).collect();
        assert!(
            errors.is_empty(),
            "{dir}: {:?}",
            &errors[..errors.len().min(3)]
        );
    }
}

#[test]
fn five_applications_of_the_example() {
    let o = qagida(&["sample", "5", "--seed", "1", "--policy", EXAMPLE]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_snapshot!("example_seed_1", stdout(&o));
}

#[test]
fn a_bad_date_is_a_usage_error() {
    let o = qagida(&["sample", "3", "--at", "2021-02-30", "--policy", EXAMPLE]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a date"), "{}", stderr(&o));
}
