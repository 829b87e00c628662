//! The act's history: its amending and repealing acts, and the versions of
//! its provisions, some of whose wording may not be encoded.

use chrono::NaiveDate;
use indexmap::IndexMap;

pub use super::model::ActKind;
use super::{Info, Label};

#[derive(Debug, Default)]
pub struct History {
    /// Amending and repealing acts, in order of entry into force.
    pub acts: Vec<ActEvent>,
    pub provisions: IndexMap<String, Provision, foldhash::fast::RandomState>,
}

#[derive(Debug)]
pub struct ActEvent {
    pub id: String,
    pub kind: ActKind,
    pub title: Label,
    pub number: Option<String>,
    pub signed: Option<NaiveDate>,
    /// The date it came into force, or the earliest it can have.
    pub from: NaiveDate,
    /// Whether `from` is the exact date.
    pub exact: bool,
    /// The latest date it can have come into force, where known.
    pub latest: Option<NaiveDate>,
    pub rule: Option<String>,
    pub changes: Vec<String>,
    pub info: Info,
}

#[derive(Debug)]
pub struct Provision {
    pub id: String,
    pub title: Label,
    pub versions: Vec<Version>,
    pub info: Info,
}

#[derive(Clone, Debug)]
pub struct Version {
    pub from: NaiveDate,
    pub act: Option<String>,
    pub encoded: bool,
    pub note: Option<String>,
}

/// An act whose date of entry into force is uncertain, and the window of
/// dates it may fall in.
#[derive(Clone, Debug, PartialEq)]
pub struct Uncertain {
    pub act: String,
    pub earliest: NaiveDate,
    /// The end of the window: the latest date, or the next recorded event.
    pub until: Option<NaiveDate>,
    pub rule: Option<String>,
}

impl Provision {
    /// The version in force on `at`, if the provision existed then.
    pub fn version_at(&self, at: NaiveDate) -> Option<&Version> {
        self.versions.iter().rev().find(|v| v.from <= at)
    }
}

impl History {
    /// Whether the wording of `provision` in force on `at` is encoded. An
    /// undeclared provision is taken as encoded; one not yet in force is not.
    pub fn encoded(&self, provision: &str, at: NaiveDate) -> bool {
        match self.provisions.get(provision) {
            Some(p) => p.version_at(at).is_some_and(|v| v.encoded),
            None => true,
        }
    }

    /// The acts whose uncertain entry into force leaves `at` in doubt: `at`
    /// is on or after the earliest date and before the window closes.
    pub fn uncertain_at(&self, at: NaiveDate) -> Vec<Uncertain> {
        self.uncertain_acts_at(at)
            .map(|(i, until)| {
                let a = &self.acts[i];
                Uncertain {
                    act: a.id.clone(),
                    earliest: a.from,
                    until,
                    rule: a.rule.clone(),
                }
            })
            .collect()
    }

    /// The indices of the acts [`History::uncertain_at`] gives, with the
    /// end of each one's window.
    pub fn uncertain_acts_at(
        &self,
        at: NaiveDate,
    ) -> impl Iterator<Item = (usize, Option<NaiveDate>)> + '_ {
        self.acts.iter().enumerate().filter_map(move |(i, a)| {
            if a.exact {
                return None;
            }
            let next = self.acts[i + 1..]
                .iter()
                .map(|b| b.from)
                .find(|d| *d > a.from);
            let until = a.latest.map(|l| l.succ_opt().unwrap_or(l)).or(next);
            (at >= a.from && until.is_none_or(|u| at < u)).then_some((i, until))
        })
    }

    /// The warning that act `i`'s date of entry into force is uncertain:
    /// its window, and the rule that fixes it, if recorded.
    pub fn uncertain_warning(&self, i: usize) -> String {
        let Some(a) = self.acts.get(i) else {
            return String::new();
        };
        let until = a
            .latest
            .map(|d| format!(" and on or before {}", crate::core::value::format_date(&d)))
            .unwrap_or_default();
        let rule = a
            .rule
            .as_ref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        format!(
            "the date act `{}` came into force is not recorded: on or after {}{until}{rule}; this evaluation takes it as in force",
            a.id,
            crate::core::value::format_date(&a.from),
        )
    }

    pub fn act(&self, id: &str) -> Option<&ActEvent> {
        self.acts.iter().find(|a| a.id == id)
    }
}
