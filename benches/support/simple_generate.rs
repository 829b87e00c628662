//! A deterministic generator of applications for the second benchmark
//! policy, the fictional small-business grant of
//! `benches/policies/simple/`: the same count and seed give the same bytes
//! on every machine.
//!
//! Applications are submitted in 2024 and 2025 (both values of the largest
//! grant), for a sector code drawn from every row of Annex 1 or, one time
//! in 67, a code the annex does not list; the applicant, the business and
//! the project are varied so that each ground occurs alone and together,
//! and about two in five applications are granted. Money is written as JSON
//! numbers with two decimals.

use std::io::Write;

use chrono::{Datelike, Duration, NaiveDate};

use super::generate::Lcg;

/// A row of Annex 1: the sector code and the share it gives, as written.
#[derive(Clone, Debug)]
pub struct Sector {
    pub code: String,
    pub rate: String,
}

/// The rows of the table `sector_rate` in the file at `path`, in order.
pub fn sectors(path: &std::path::Path) -> Vec<Sector> {
    let text = std::fs::read_to_string(path).expect("the annex file");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("the annex parses");
    let rows = doc["tables"]["sector_rate"]["rows"]
        .as_sequence()
        .expect("the table's rows");
    rows.iter()
        .map(|r| Sector {
            code: r["when"]["code"].as_str().expect("a code").to_string(),
            rate: match &r["then"] {
                serde_yaml::Value::Number(n) => n.to_string(),
                other => panic!("a share is a number, not {other:?}"),
            },
        })
        .collect()
}

/// Codes the annex does not list, written now and then.
const UNLISTED: [&str; 3] = ["X99", "c25", "A00"];

const REGIONS: [&str; 5] = ["north", "south", "east", "west", "capital"];

/// Cents as a JSON number with two decimals.
struct Money(u64);

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// Writes `n` applications, one JSON object a line.
pub fn write(out: &mut impl Write, n: usize, seed: u64, sectors: &[Sector]) -> std::io::Result<()> {
    let mut r = Lcg::new(seed);
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
    for i in 0..n {
        let k = r.below(sectors.len() as u64 + 1) as usize;
        let code = match sectors.get(k) {
            Some(s) => s.code.as_str(),
            None => UNLISTED[r.below(UNLISTED.len() as u64) as usize],
        };
        let submitted = first + Duration::days(r.below(731) as i64);
        // Most businesses are older than the two years of §5(4).
        let founded = submitted - Duration::days(1 + r.below(3000) as i64);
        let age = if r.chance(2) {
            16 + r.below(2)
        } else {
            18 + r.below(50)
        };
        let resident = r.chance(96);
        let region = REGIONS[r.below(REGIONS.len() as u64) as usize];
        let employees = if r.chance(4) {
            51 + r.below(100)
        } else {
            r.below(51)
        };
        // About one in twenty over the limit of 2,000,000.
        let turnover = Money(r.below(210_000_000));
        let cost = 500_000 + r.below(10_000_000);
        let own = Money(r.below(cost * 2 / 5 + 1));
        let cost = Money(cost);
        let jobs = r.below(7);
        let green = r.chance(35);
        let tax_debt = r.chance(4);
        let email = if r.chance(70) {
            format!(r#", "contact_email": "applicant{i}@example.org""#)
        } else {
            String::new()
        };
        writeln!(
            out,
            r#"{{"reference": "SBG-{}-{i:07}", "submitted_on": "{submitted}", "applicant": {{"age": {age}, "resident": {resident}}}, "business": {{"sector_code": "{code}", "region": "{region}", "founded_on": "{founded}", "employees": {employees}, "turnover": {turnover}}}, "project_cost": {cost}, "own_contribution": {own}, "jobs_created": {jobs}, "green": {green}, "tax_debt": {tax_debt}{email}}}"#,
            submitted.year()
        )?;
    }
    Ok(())
}
