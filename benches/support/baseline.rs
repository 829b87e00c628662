//! The benchmark's baseline: the default policy's assessment of an `issue`
//! application written by hand in Rust over serde_json, as a programmer
//! would without qagida. It covers what the generated applications
//! exercise (the 2021-2022 wording, default parameters, a threshold of 6):
//! the documents at intake, the points of education and experience, the
//! three grounds for refusal, the outcome, and the service's deadlines in
//! working days. Working days come from qagida's calendar data, as the
//! point is to compare the rule engine, not the calendar arithmetic.
//!
//! It writes either the part of `qagida batch`'s record that makes the
//! decision ([`Baseline::run`]: outcome, reasons, score and deadlines) or
//! the whole record, byte for byte ([`Baseline::run_records`]: the
//! citations, the report, the warning and every computed value too), so
//! that the comparison can be made with the same output on both sides.
//! `tests/baseline.rs` checks that both agree with qagida on every line.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::generate::Entry;

/// The assessment's fixed inputs: the List's levels by id and unique name,
/// and the working-day calendar.
pub struct Baseline {
    levels: HashMap<String, Vec<i64>>,
    calendar: std::sync::Arc<qagida::policy::calendar::Calendar>,
    /// The index of the calendar's days, as a plan makes it.
    days: Option<qagida::policy::calendar::DayIndex>,
    pub threshold: i64,
}

#[derive(Deserialize)]
pub struct App {
    service: String,
    submitted_at: String,
    profession: String,
    qualification_level: Option<i64>,
    education: Education,
    experience_in_specialty: Experience,
    #[serde(default)]
    documents: Vec<String>,
    #[serde(default)]
    expired_documents: Vec<String>,
    findings: Option<Findings>,
}

#[derive(Deserialize)]
struct Education {
    higher_in_specialty: bool,
    academic_degree_in_specialty: bool,
    english_teaching_certificate: bool,
}

#[derive(Deserialize)]
struct Experience {
    years: i64,
    months: Option<i64>,
}

#[derive(Deserialize)]
struct Findings {
    qualification_requirements_met: Option<bool>,
    documents_unreliable: Option<bool>,
}

/// The documents every `issue` application needs (Standard 8).
const REQUIRED: [&str; 3] = ["application", "identity_document", "employment_record"];

/// Education's points: the items add up (the policy's default reading).
fn e_points(higher: i64, degree: i64, english: i64) -> i64 {
    higher + degree + english
}

/// What the assessment of an application finds.
struct Assessed {
    submitted: NaiveDateTime,
    registered: NaiveDate,
    referral: NaiveDate,
    decision: NaiveDate,
    service: NaiveDate,
    outcome: &'static str,
    reasons: Vec<(&'static str, &'static str)>,
    missing: Vec<&'static str>,
    higher: i64,
    degree: i64,
    english: i64,
    months: i64,
    experience: i64,
    score: i64,
    required_level: i64,
    too_low: bool,
    missing_documents: Vec<&'static str>,
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

/// The record `qagida batch` writes for a line, field for field.
#[derive(Serialize)]
pub struct Record<'a> {
    line: usize,
    policy: &'static str,
    edition: &'static str,
    at: Day,
    outcome: &'static str,
    reasons: Vec<Reason>,
    missing: Vec<&'static str>,
    service: &'a str,
    score: Option<Score>,
    deadlines: Deadlines,
    certificate: Option<()>,
    status: Option<()>,
    warnings: [Warning; 1],
    values: Values,
}

#[derive(Serialize)]
struct Reason {
    id: &'static str,
    cite: &'static str,
}

#[derive(Serialize)]
struct Score {
    total: i64,
    items: [Item; 4],
}

#[derive(Serialize)]
struct Item {
    id: &'static str,
    points: i64,
    cite: &'static str,
}

#[derive(Serialize)]
struct Deadlines {
    registered_on: Day,
    commission_referral_by: Day,
    decision_by: Day,
    service_by: Day,
}

#[derive(Serialize)]
struct Warning {
    id: &'static str,
    message: &'static str,
    cite: &'static str,
}

#[derive(Serialize)]
struct Values {
    experience_months: i64,
    higher_education_points: i64,
    academic_degree_points: i64,
    english_certificate_points: i64,
    education_points: i64,
    experience_points: i64,
    score: i64,
    required_level: i64,
    level_too_low: bool,
    registered_on: Day,
    required_documents: [&'static str; 3],
    missing_documents: Vec<&'static str>,
    commission_referral_by: Day,
    decision_by: Day,
    service_by: Day,
    valid_from: Option<()>,
    valid_until: Option<()>,
}

/// What the baseline decides for one line.
#[derive(Serialize, Debug, PartialEq)]
pub struct Decision {
    pub line: usize,
    pub outcome: &'static str,
    pub reasons: Vec<&'static str>,
    pub score: Option<i64>,
    pub registered_on: String,
    pub commission_referral_by: String,
    pub decision_by: String,
    pub service_by: String,
}

impl Baseline {
    pub fn new(list: &[Entry], calendar_dir: &std::path::Path, threshold: i64) -> Baseline {
        let mut levels = HashMap::new();
        for e in list {
            levels.insert(e.id.clone(), e.levels.clone());
            if let Some(n) = &e.name {
                levels.insert(n.clone(), e.levels.clone());
            }
        }
        let calendar =
            qagida::policy::calendar::load_dir(calendar_dir).expect("the calendar loads");
        let days = qagida::policy::calendar::DayIndex::of(&calendar);
        Baseline {
            levels,
            calendar,
            days,
            threshold,
        }
    }

    /// Decides one line of JSON; `None` for what the baseline does not
    /// cover (another service, an unknown profession, bad JSON).
    pub fn decide(&self, line: usize, text: &str) -> Option<Decision> {
        let app: App = serde_json::from_str(text).ok()?;
        let a = self.assess(&app)?;
        let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        Some(Decision {
            line,
            outcome: a.outcome,
            reasons: a.reasons.iter().map(|(id, _)| *id).collect(),
            score: (a.outcome != "reject_intake").then_some(a.score),
            registered_on: fmt(a.registered),
            commission_referral_by: fmt(a.referral),
            decision_by: fmt(a.decision),
            service_by: fmt(a.service),
        })
    }

    /// Decides one line of JSON into the whole record `qagida batch` writes
    /// for it (its output contract, byte for byte): the decision with its
    /// citations, the report, the warning and every computed value.
    pub fn record<'a>(&self, line: usize, app: &'a App) -> Option<Record<'a>> {
        let a = self.assess(app)?;
        Some(Record {
            line,
            policy: "kz-order-503",
            // The generated applications fall in 2021-2022: the wording of
            // order 537, whose date of entry into force is not recorded.
            edition: "kz-order-503@order-537",
            at: Day(a.submitted.date()),
            outcome: a.outcome,
            reasons: a
                .reasons
                .iter()
                .map(|&(id, cite)| Reason { id, cite })
                .collect(),
            missing: a.missing,
            service: &app.service,
            score: (a.outcome != "reject_intake").then(|| Score {
                total: a.score,
                items: [
                    ("higher_education_points", a.higher, "Rules §10.1"),
                    ("academic_degree_points", a.degree, "Rules §10.1"),
                    ("english_certificate_points", a.english, "Rules §10.1"),
                    ("experience_points", a.experience, "Rules §10.2"),
                ]
                .map(|(id, points, cite)| Item { id, points, cite }),
            }),
            deadlines: Deadlines {
                registered_on: Day(a.registered),
                commission_referral_by: Day(a.referral),
                decision_by: Day(a.decision),
                service_by: Day(a.service),
            },
            certificate: None,
            status: None,
            warnings: [Warning {
                id: "uncertain_in_force",
                message: "the date act `order-537` came into force is not recorded: on or after 2021-01-05 (ten calendar days after its first official publication); this evaluation takes it as in force",
                cite: "Editorial note to Annex 1 (the Rules), \"in a new wording\"",
            }],
            values: Values {
                experience_months: a.months,
                higher_education_points: a.higher,
                academic_degree_points: a.degree,
                english_certificate_points: a.english,
                education_points: e_points(a.higher, a.degree, a.english),
                experience_points: a.experience,
                score: a.score,
                required_level: a.required_level,
                level_too_low: a.too_low,
                registered_on: Day(a.registered),
                required_documents: REQUIRED,
                missing_documents: a.missing_documents,
                commission_referral_by: Day(a.referral),
                decision_by: Day(a.decision),
                service_by: Day(a.service),
                valid_from: None,
                valid_until: None,
            },
        })
    }

    /// The assessment of an `issue` application.
    fn assess(&self, app: &App) -> Option<Assessed> {
        if app.service != "issue" {
            return None;
        }
        let submitted = NaiveDateTime::parse_from_str(&app.submitted_at, "%Y-%m-%dT%H:%M").ok()?;
        let levels = self.levels.get(&app.profession)?;

        // Standard 7: after office hours, the next day.
        let end = NaiveTime::from_hms_opt(18, 30, 0)?;
        let mut day = submitted.date();
        if submitted.time() > end {
            day += Duration::days(1);
        }
        let cal = qagida::policy::calendar::Indexed {
            calendar: &self.calendar,
            index: self.days.as_ref(),
        };
        let registered = cal.next_working_day(day).ok()?;
        let add = |n| cal.add_working_days(registered, n).ok();
        let mut reasons: Vec<(&'static str, &'static str)> = vec![];

        // Rules §10: the points.
        let e = &app.education;
        let higher = 3 * i64::from(e.higher_in_specialty);
        let degree = 4 * i64::from(e.academic_degree_in_specialty);
        let english = 3 * i64::from(e.english_teaching_certificate);
        let x = &app.experience_in_specialty;
        let months = x.years * 12 + x.months.unwrap_or(0);
        let experience = match months {
            m if m < 12 => 0,
            m if m < 36 => 2,
            m if m <= 120 => 4,
            _ => 6,
        };
        let score = e_points(higher, degree, english) + experience;
        let required_level = levels.iter().min().copied().unwrap_or(0);
        let too_low =
            required_level > 0 && app.qualification_level.is_some_and(|l| l < required_level);
        let mut a = Assessed {
            submitted,
            registered,
            referral: add(2)?,
            decision: add(5)?,
            service: add(6)?,
            outcome: "grant",
            reasons: vec![],
            missing: vec![],
            higher,
            degree,
            english,
            months,
            experience,
            score,
            required_level,
            too_low,
            missing_documents: vec![],
        };

        // Intake: Standard 8 and 9.
        let has = |d: &str| app.documents.iter().any(|x| x == d);
        a.missing_documents = REQUIRED.iter().copied().filter(|d| !has(d)).collect();
        if !(has("education_documents") || has("english_teaching_certificate")) {
            a.missing_documents
                .push("education_documents or english_teaching_certificate");
        }
        if !a.missing_documents.is_empty() {
            reasons.push(("incomplete_documents", "Standard 9"));
        }
        if !app.expired_documents.is_empty() {
            reasons.push(("expired_documents", "Standard 9; Rules §16, §24"));
        }
        if !reasons.is_empty() {
            a.outcome = "reject_intake";
            a.reasons = reasons;
            return Some(a);
        }

        // Standard 9: the three grounds, each true, false or unknown.
        let met = app
            .findings
            .as_ref()
            .and_then(|f| f.qualification_requirements_met);
        let mismatch = if too_low || met == Some(false) {
            Some(true)
        } else {
            met.map(|_| false)
        };
        let below = score < self.threshold;
        let unreliable = app
            .findings
            .as_ref()
            .and_then(|f| f.documents_unreliable)
            .unwrap_or(false);
        for (id, cite, holds) in [
            ("qualification_mismatch", "Standard 9.1; List", mismatch),
            ("below_threshold", "Standard 9.2", Some(below)),
            ("unreliable_documents", "Standard 9.3", Some(unreliable)),
        ] {
            if holds == Some(true) {
                reasons.push((id, cite));
            }
        }
        if mismatch.is_none() {
            a.missing.push("findings");
        }
        a.outcome = if !reasons.is_empty() {
            "refuse"
        } else if mismatch.is_none() {
            "undetermined"
        } else {
            "grant"
        };
        a.reasons = reasons;
        Some(a)
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
