//! The second benchmark policy's baseline: the fictional small-business
//! grant of `benches/policies/simple/` decided by hand in Rust over
//! serde_json, as a programmer would without qagida: a struct for the
//! application, a hash map for Annex 1, exact decimals for money. It
//! decides everything the policy does for the generated applications: the
//! sector's share, the amount with its caps, the score, the three grounds
//! and the outcome.
//!
//! It writes either the part of `qagida batch`'s record that makes the
//! decision ([`Baseline::run`]) or the whole record, byte for byte
//! ([`Baseline::run_records`]), and `tests/simple_baseline.rs` checks that
//! both agree with qagida on every line.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::str::FromStr;

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::simple_generate::Sector;

/// Annex 1 and the parameters of the regulation.
pub struct Baseline {
    rates: HashMap<String, Decimal>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // read as the policy reads them, though not decided on
pub struct App {
    reference: String,
    #[serde(deserialize_with = "date")]
    submitted_on: NaiveDate,
    applicant: Applicant,
    business: Business,
    #[serde(deserialize_with = "money")]
    project_cost: Decimal,
    #[serde(deserialize_with = "money")]
    own_contribution: Decimal,
    jobs_created: i64,
    green: bool,
    tax_debt: bool,
    contact_email: Option<String>,
}

#[derive(Deserialize)]
struct Applicant {
    age: i64,
    resident: bool,
}

#[derive(Deserialize)]
struct Business {
    sector_code: String,
    region: Region,
    #[serde(deserialize_with = "date")]
    founded_on: NaiveDate,
    employees: i64,
    #[serde(deserialize_with = "money")]
    turnover: Decimal,
}

#[derive(Deserialize, PartialEq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Region {
    North,
    South,
    East,
    West,
    Capital,
}

/// A JSON number as an exact decimal, read from its digits as written, as
/// qagida reads it (refused rather than rounded when they do not fit).
fn money<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let raw = <&serde_json::value::RawValue>::deserialize(d)?;
    Decimal::from_str_exact(raw.get()).map_err(serde::de::Error::custom)
}

/// A date as `YYYY-MM-DD`.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let s = String::deserialize(d)?;
    NaiveDate::from_str(&s).map_err(serde::de::Error::custom)
}

fn decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.normalize())
}

/// What the assessment of an application finds.
struct Assessed {
    outcome: &'static str,
    reasons: Vec<(&'static str, &'static str)>,
    rate: Decimal,
    amount: Decimal,
    age_months: i64,
    /// Jobs, green, region, start-up, young applicant, own contribution.
    points: [i64; 6],
    score: i64,
}

/// A date written `YYYY-MM-DD`, without a text made for it.
#[derive(Clone, Copy)]
pub struct Day(NaiveDate);

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // qagida's own formatter for the years 0 to 9999 (chrono's costs
        // more than the rest of a record); chrono's beyond them.
        match qagida::core::value::date_bytes(&self.0) {
            Some(b) => s.serialize_str(std::str::from_utf8(&b).unwrap_or_default()),
            None => s.collect_str(&self.0),
        }
    }
}

/// A decimal written as qagida's records write one: a JSON number of its
/// exact digits, without trailing zeros (a whole one without a point). The
/// digits go into the JSON as they are, as a raw value.
#[derive(Clone, Copy)]
pub struct Number(Decimal);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let digits = self.0.normalize().to_string();
        serde_json::value::RawValue::from_string(digits)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// The record `qagida batch` writes for a line, field for field.
#[derive(Serialize)]
pub struct Record<'a> {
    line: usize,
    policy: &'static str,
    edition: &'static str,
    at: Day,
    outcome: &'static str,
    reasons: Vec<Reason>,
    missing: [&'static str; 0],
    reference: &'a str,
    award: Option<Award>,
    warnings: [(); 0],
    values: Values,
}

#[derive(Serialize)]
struct Reason {
    id: &'static str,
    cite: &'static str,
}

#[derive(Serialize)]
struct Award {
    amount: Number,
    rate: Number,
}

#[derive(Serialize)]
struct Values {
    rate: Number,
    amount: Number,
    business_age_months: i64,
    jobs_points: i64,
    green_points: i64,
    region_points: i64,
    startup_points: i64,
    young_points: i64,
    contribution_points: i64,
    score: i64,
}

/// What the baseline decides for one line.
#[derive(Serialize, Debug, PartialEq)]
pub struct Decision {
    pub line: usize,
    pub outcome: &'static str,
    pub reasons: Vec<&'static str>,
    #[serde(serialize_with = "decimal")]
    pub rate: Decimal,
    #[serde(serialize_with = "decimal")]
    pub amount: Decimal,
    pub score: i64,
}

// The parameters of the regulation (policy.yaml), with §4(2)'s amendment.
const MAX_EMPLOYEES: i64 = 50;
const STARTUP_MONTHS: i64 = 24;
const YOUNG_AGE: i64 = 30;
const MIN_SCORE: i64 = 4;

fn max_grant(on: NaiveDate) -> Decimal {
    if on >= NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date") {
        Decimal::from(30_000)
    } else {
        Decimal::from(25_000)
    }
}

/// Whole months from `a` to `b` (`a` not after `b`): the most that can be
/// added to `a` without passing `b`.
fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    use chrono::Datelike;
    let mut m = i64::from(b.year() - a.year()) * 12 + i64::from(b.month()) - i64::from(a.month());
    while m > 0
        && a.checked_add_months(Months::new(m as u32))
            .is_none_or(|d| d > b)
    {
        m -= 1;
    }
    m
}

impl Baseline {
    pub fn new(sectors: &[Sector]) -> Baseline {
        let rates = sectors
            .iter()
            .map(|s| (s.code.clone(), s.rate.parse().expect("a share")))
            .collect();
        Baseline { rates }
    }

    /// Decides one line of JSON; `None` for a line that is not an
    /// application of the policy, or one submitted before the regulation.
    pub fn decide(&self, line: usize, text: &str) -> Option<Decision> {
        let app: App = serde_json::from_str(text).ok()?;
        let a = self.assess(&app)?;
        Some(Decision {
            line,
            outcome: a.outcome,
            reasons: a.reasons.iter().map(|(id, _)| *id).collect(),
            rate: a.rate,
            amount: a.amount,
            score: a.score,
        })
    }

    /// Decides one application into the whole record `qagida batch` writes
    /// for it (its output contract, byte for byte).
    pub fn record<'a>(&self, line: usize, app: &'a App) -> Option<Record<'a>> {
        let a = self.assess(app)?;
        Some(Record {
            line,
            policy: "example-small-business-grant",
            edition: "example-small-business-grant@original",
            at: Day(app.submitted_on),
            outcome: a.outcome,
            reasons: a
                .reasons
                .iter()
                .map(|&(id, cite)| Reason { id, cite })
                .collect(),
            missing: [],
            reference: &app.reference,
            award: (a.outcome == "grant").then_some(Award {
                amount: Number(a.amount),
                rate: Number(a.rate),
            }),
            warnings: [],
            values: Values {
                rate: Number(a.rate),
                amount: Number(a.amount),
                business_age_months: a.age_months,
                jobs_points: a.points[0],
                green_points: a.points[1],
                region_points: a.points[2],
                startup_points: a.points[3],
                young_points: a.points[4],
                contribution_points: a.points[5],
                score: a.score,
            },
        })
    }

    /// The assessment of an application.
    fn assess(&self, app: &App) -> Option<Assessed> {
        if app.submitted_on < NaiveDate::from_ymd_opt(2024, 1, 1)? {
            return None;
        }
        let b = &app.business;

        // §3 and Annex 1: an unlisted code is excluded.
        let rate = self
            .rates
            .get(&b.sector_code)
            .copied()
            .unwrap_or(Decimal::ZERO);
        // §4: the share to the cent, capped.
        let share = (app.project_cost * rate * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            / Decimal::ONE_HUNDRED;
        let amount = share
            .min(max_grant(app.submitted_on))
            .min(app.project_cost - app.own_contribution);

        // §5: the score.
        let jobs = match app.jobs_created {
            j if j >= 5 => 3,
            j if j >= 2 => 2,
            j if j >= 1 => 1,
            _ => 0,
        };
        let age_months = months_between(b.founded_on, app.submitted_on);
        let startup = age_months < STARTUP_MONTHS;
        let contribution = app.own_contribution >= app.project_cost * Decimal::new(20, 2);
        let points = [
            jobs,
            i64::from(app.green),
            i64::from(matches!(b.region, Region::North | Region::East)),
            i64::from(startup),
            i64::from(app.applicant.age < YOUNG_AGE),
            i64::from(contribution),
        ];
        let score = points.iter().sum();

        // §6: every ground that holds.
        let mut reasons = Vec::new();
        if rate.is_zero() {
            reasons.push(("sector_excluded", "§3(2)"));
        }
        if !app.applicant.resident
            || app.applicant.age < 18
            || app.tax_debt
            || b.employees > MAX_EMPLOYEES
            || b.turnover > Decimal::from(2_000_000)
        {
            reasons.push(("not_eligible", "§2"));
        }
        if score < MIN_SCORE {
            reasons.push(("low_score", "§6(2)"));
        }
        Some(Assessed {
            outcome: if reasons.is_empty() {
                "grant"
            } else {
                "refuse"
            },
            reasons,
            rate,
            amount,
            age_months,
            points,
            score,
        })
    }

    /// Decides every line of `input` into the whole record `qagida batch`
    /// writes for it, one JSON object a line.
    pub fn run_records(
        &self,
        input: impl BufRead,
        output: &mut impl Write,
    ) -> std::io::Result<usize> {
        let mut n = 0;
        for (i, line) in input.lines().enumerate() {
            let line = line?;
            n += 1;
            let app: Option<App> = serde_json::from_str(&line).ok();
            match app.as_ref().and_then(|app| self.record(i + 1, app)) {
                Some(r) => serde_json::to_writer(&mut *output, &r)?,
                None => write!(output, "{{\"line\":{},\"error\":\"not covered\"}}", i + 1)?,
            }
            output.write_all(b"\n")?;
        }
        output.flush()?;
        Ok(n)
    }

    /// Decides every line of `input`, writing one JSON object a line.
    pub fn run(&self, input: impl BufRead, output: &mut impl Write) -> std::io::Result<usize> {
        let mut n = 0;
        for (i, line) in input.lines().enumerate() {
            let line = line?;
            n += 1;
            match self.decide(i + 1, &line) {
                Some(d) => serde_json::to_writer(&mut *output, &d)?,
                None => write!(output, "{{\"line\":{},\"error\":\"not covered\"}}", i + 1)?,
            }
            output.write_all(b"\n")?;
        }
        output.flush()?;
        Ok(n)
    }
}
