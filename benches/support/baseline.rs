//! The benchmark's baseline: the default policy's assessment of an `issue`
//! application written by hand in Rust over serde_json, as a programmer
//! would without qagida. It covers what the generated applications
//! exercise (the 2021-2022 wording, default parameters, a threshold of 6):
//! the documents at intake, the points of education and experience, the
//! three grounds for refusal, the outcome, and the service's deadlines in
//! working days. Working days come from qagida's calendar data, as the
//! point is to compare the rule engine, not the calendar arithmetic.
//!
//! Its output is the part of `qagida batch`'s record it computes, and
//! `tests/baseline.rs` checks that the two agree on every line.

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
struct App {
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
        let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let mut decision = Decision {
            line,
            outcome: "grant",
            reasons: vec![],
            score: None,
            registered_on: fmt(registered),
            commission_referral_by: fmt(add(2)?),
            decision_by: fmt(add(5)?),
            service_by: fmt(add(6)?),
        };

        // Intake: Standard 8 and 9.
        let has = |d: &str| app.documents.iter().any(|x| x == d);
        let incomplete = ["application", "identity_document", "employment_record"]
            .iter()
            .any(|d| !has(d))
            || !(has("education_documents") || has("english_teaching_certificate"));
        if incomplete {
            decision.reasons.push("incomplete_documents");
        }
        if !app.expired_documents.is_empty() {
            decision.reasons.push("expired_documents");
        }
        if !decision.reasons.is_empty() {
            decision.outcome = "reject_intake";
            return Some(decision);
        }

        // Rules §10: the points.
        let e = &app.education;
        let education = 3 * i64::from(e.higher_in_specialty)
            + 4 * i64::from(e.academic_degree_in_specialty)
            + 3 * i64::from(e.english_teaching_certificate);
        let x = &app.experience_in_specialty;
        let months = x.years * 12 + x.months.unwrap_or(0);
        let experience = match months {
            m if m < 12 => 0,
            m if m < 36 => 2,
            m if m <= 120 => 4,
            _ => 6,
        };
        let score = education + experience;
        decision.score = Some(score);

        // Standard 9: the three grounds, each true, false or unknown.
        let required = levels.iter().min().copied().unwrap_or(0);
        let too_low = required > 0 && app.qualification_level.is_some_and(|l| l < required);
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
        for (id, holds) in [
            ("qualification_mismatch", mismatch),
            ("below_threshold", Some(below)),
            ("unreliable_documents", Some(unreliable)),
        ] {
            if holds == Some(true) {
                decision.reasons.push(id);
            }
        }
        decision.outcome = if !decision.reasons.is_empty() {
            "refuse"
        } else if mismatch.is_none() {
            "undetermined"
        } else {
            "grant"
        };
        Some(decision)
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
