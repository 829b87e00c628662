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
    /// `rule` in the package's other languages.
    pub rule_words: Label,
    /// What each source says of the date, where sources differ.
    pub sources: Vec<DateSource>,
    pub changes: Vec<String>,
    pub info: Info,
}

/// What one source says of the date an act came into force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateSource {
    pub by: String,
    /// `by` in the package's other languages.
    pub by_words: Label,
    pub date: NaiveDate,
    /// Whether `date` is the date itself, not the earliest it can be.
    pub exact: bool,
}

impl DateSource {
    /// `the state register gives 2023-07-01`, `the text's rule gives
    /// 2023-07-03 at the earliest`.
    pub fn says(&self) -> String {
        let day = crate::core::value::format_date(&self.date);
        match self.exact {
            true => format!("{} gives {day}", self.by),
            false => format!("{} gives {day} at the earliest", self.by),
        }
    }
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

/// What explains a date an item of the policy carries (a dated value, a
/// boundary of its period in force, a provision's version): the act that
/// came into force on that date and changed the item's provision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Explanation {
    /// The date is the act's own entry into force.
    Start,
    /// The acts whose entry into force can fall on the date and that list
    /// the item's provision among their `changes` (any act then, for an
    /// item that names no provision).
    Acts(Vec<String>),
    /// Acts come into force on the date, but none lists the item's
    /// provision among its `changes`.
    Unlisted(Vec<String>),
    /// No act comes into force on the date.
    Unexplained,
}

impl ActEvent {
    /// Whether the act's entry into force can fall on `d`: its date, or a
    /// day of its window `earliest`..=`latest` (the earliest alone when no
    /// latest date is recorded).
    pub fn may_start_on(&self, d: NaiveDate) -> bool {
        if self.exact {
            self.from == d
        } else {
            self.from <= d && d <= self.latest.unwrap_or(self.from)
        }
    }

    /// The last day its entry into force can fall on, as far as recorded.
    pub fn last_start(&self) -> NaiveDate {
        if self.exact {
            self.from
        } else {
            self.latest.unwrap_or(self.from)
        }
    }

    /// When it came into force, in words: `2021-03-01`,
    /// `2022-09-10 to 2022-09-20` or `2020-06-09 at the earliest`.
    pub fn when(&self) -> String {
        let day = crate::core::value::format_date;
        match (self.exact, self.latest) {
            (true, _) => day(&self.from),
            (false, Some(l)) => format!("{} to {}", day(&self.from), day(&l)),
            (false, None) => format!("{} at the earliest", day(&self.from)),
        }
    }

    /// Whether it lists `provision` among its changes.
    pub fn changes(&self, provision: &str) -> bool {
        self.changes.iter().any(|c| c == provision)
    }
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
            let until = match a.kind {
                // The act it repeals may be in force until the last day
                // the repeal can have come into force.
                ActKind::Repeal => a.latest,
                ActKind::Amendment => {
                    let next = self.acts[i + 1..]
                        .iter()
                        .map(|b| b.from)
                        .find(|d| *d > a.from);
                    a.latest.map(|l| l.succ_opt().unwrap_or(l)).or(next)
                }
            };
            (at >= a.from && until.is_none_or(|u| at < u)).then_some((i, until))
        })
    }

    /// The warning that act `i`'s date of entry into force is uncertain:
    /// its window, what each source says of it, and the rule that fixes
    /// it, if recorded. Inside a repeal's window the evaluation takes the
    /// act it repeals as still in force; inside an amendment's, the
    /// amendment as in force.
    pub fn uncertain_warning(&self, i: usize) -> String {
        self.uncertain_warning_in(i, None)
    }

    /// [`History::uncertain_warning`] in `lang`: qagida's words from the
    /// locale files, the act's rule and sources in their `*_words` where
    /// the policy gives them (else as written), dates as the language
    /// writes them. Without a language, exactly the English warning an
    /// evaluation carries.
    pub fn uncertain_warning_in(&self, i: usize, lang: Option<&str>) -> String {
        let Some(a) = self.acts.get(i) else {
            return String::new();
        };
        let loc = crate::core::locale::or_english(lang.unwrap_or("en"));
        let day = |d: &NaiveDate| match lang {
            None => crate::core::value::format_date(d),
            Some(_) => loc.date(*d),
        };
        let words = |plain: &str, l: &Label| match lang.and_then(|x| l.get(x)) {
            Some(w) => w.clone(),
            None => plain.to_string(),
        };
        let until = a
            .latest
            .map(|d| loc.fill("warn.in_force.until", &[("date", &day(&d))]))
            .unwrap_or_default();
        let rule = a
            .rule
            .as_ref()
            .map(|r| format!(" ({})", words(r, &a.rule_words)))
            .unwrap_or_default();
        let sources = match a.sources.as_slice() {
            [] => String::new(),
            s => {
                let says = s.iter().map(|x| {
                    let key = match x.exact {
                        true => "warn.in_force.gives",
                        false => "warn.in_force.gives_earliest",
                    };
                    let by = words(&x.by, &x.by_words);
                    loc.fill(key, &[("by", &by), ("date", &day(&x.date))])
                });
                let says = says.collect::<Vec<_>>().join("; ");
                loc.fill("warn.in_force.sources", &[("sources", &says)])
            }
        };
        let taken = loc.text(match a.kind == ActKind::Repeal {
            true => "warn.in_force.taken_repeal",
            false => "warn.in_force.taken",
        });
        let doubt = loc.text(match a.sources.is_empty() {
            true => "warn.in_force.not_recorded",
            false => "warn.in_force.uncertain",
        });
        loc.fill(
            "warn.in_force",
            &[
                ("act", &a.id),
                ("doubt", doubt),
                ("from", &day(&a.from)),
                ("until", &until),
                ("rule", &rule),
                ("sources", &sources),
                ("taken", taken),
            ],
        )
    }

    /// The repeal whose uncertain date leaves `at` in doubt: the act may
    /// still be in force then, and is applied with a warning.
    pub fn repeal_in_doubt(&self, at: NaiveDate) -> Option<&ActEvent> {
        self.uncertain_acts_at(at)
            .map(|(i, _)| &self.acts[i])
            .find(|a| a.kind == ActKind::Repeal)
    }

    /// The last day a repeal with an uncertain date leaves the act in
    /// doubt, after its earliest date: the day before its latest date
    /// (`None` when it has no latest date, so that every later day is).
    pub fn repeal_window(&self) -> Option<(NaiveDate, Option<NaiveDate>)> {
        self.acts
            .iter()
            .find(|a| a.kind == ActKind::Repeal && !a.exact)
            .map(|a| (a.from, a.latest.and_then(|l| l.pred_opt())))
    }

    /// What explains `d`, a date an item resting on `provision` (or on
    /// none) carries, for an act in force from `start`.
    pub fn explain(&self, start: NaiveDate, provision: Option<&str>, d: NaiveDate) -> Explanation {
        if d == start {
            return Explanation::Start;
        }
        let then: Vec<&ActEvent> = self.acts.iter().filter(|a| a.may_start_on(d)).collect();
        if then.is_empty() {
            return Explanation::Unexplained;
        }
        let listing: Vec<String> = then
            .iter()
            .filter(|a| provision.is_none_or(|p| a.changes(p)))
            .map(|a| a.id.clone())
            .collect();
        if listing.is_empty() {
            Explanation::Unlisted(then.iter().map(|a| a.id.clone()).collect())
        } else {
            Explanation::Acts(listing)
        }
    }

    /// The acts closest to `d` whose entry into force cannot fall on it:
    /// the last before it and the first after it.
    pub fn nearest(&self, d: NaiveDate) -> (Option<&ActEvent>, Option<&ActEvent>) {
        let before = self
            .acts
            .iter()
            .filter(|a| a.last_start() < d)
            .max_by_key(|a| a.last_start());
        let after = self
            .acts
            .iter()
            .filter(|a| a.from > d)
            .min_by_key(|a| a.from);
        (before, after)
    }

    pub fn act(&self, id: &str) -> Option<&ActEvent> {
        self.acts.iter().find(|a| a.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn act(id: &str, from: &str, latest: Option<&str>, exact: bool, changes: &[&str]) -> ActEvent {
        ActEvent {
            id: id.into(),
            kind: ActKind::Amendment,
            title: Label::default(),
            number: None,
            signed: None,
            from: day(from),
            exact,
            latest: latest.map(day),
            rule: None,
            rule_words: Label::default(),
            sources: Vec::new(),
            changes: changes.iter().map(|c| c.to_string()).collect(),
            info: Info::default(),
        }
    }

    fn history() -> History {
        History {
            acts: vec![
                act("a", "2020-03-01", None, true, &["fees"]),
                act("b", "2021-09-10", Some("2021-09-20"), false, &["trades"]),
                act("c", "2022-05-02", None, false, &["fees"]),
            ],
            provisions: Default::default(),
        }
    }

    #[test]
    fn a_date_is_explained_by_an_act_that_changes_the_provision_then() {
        let h = history();
        let start = day("2019-01-01");
        let why = |p: Option<&str>, d: &str| h.explain(start, p, day(d));
        assert_eq!(why(Some("fees"), "2019-01-01"), Explanation::Start);
        assert_eq!(
            why(Some("fees"), "2020-03-01"),
            Explanation::Acts(vec!["a".into()])
        );
        // Exact: that day only.
        assert_eq!(why(Some("fees"), "2020-03-02"), Explanation::Unexplained);
        // A window: any day from the earliest to the latest.
        for d in ["2021-09-10", "2021-09-15", "2021-09-20"] {
            assert_eq!(why(Some("trades"), d), Explanation::Acts(vec!["b".into()]));
        }
        assert_eq!(why(Some("trades"), "2021-09-21"), Explanation::Unexplained);
        // Without a latest date, the earliest alone.
        assert_eq!(
            why(Some("fees"), "2022-05-02"),
            Explanation::Acts(vec!["c".into()])
        );
        assert_eq!(why(Some("fees"), "2022-05-03"), Explanation::Unexplained);
        // An act then that does not change the provision explains nothing.
        assert_eq!(
            why(Some("trades"), "2020-03-01"),
            Explanation::Unlisted(vec!["a".into()])
        );
        // An item naming no provision: any act then.
        assert_eq!(why(None, "2021-09-12"), Explanation::Acts(vec!["b".into()]));
        assert_eq!(why(None, "2021-01-01"), Explanation::Unexplained);
    }

    #[test]
    fn a_repeal_with_an_uncertain_date_leaves_the_days_before_its_latest_in_doubt() {
        let mut h = history();
        let mut r = act("r", "2023-07-01", Some("2023-07-03"), false, &[]);
        r.kind = ActKind::Repeal;
        r.sources = vec![
            DateSource {
                by: "the register".into(),
                by_words: Label::default(),
                date: day("2023-07-01"),
                exact: true,
            },
            DateSource {
                by: "the act's rule".into(),
                by_words: [("en".to_string(), "the rule of the act itself".to_string())]
                    .into_iter()
                    .collect(),
                date: day("2023-07-03"),
                exact: false,
            },
        ];
        h.acts.push(r);
        let doubt = |d: &str| h.repeal_in_doubt(day(d)).map(|a| a.id.clone());
        assert_eq!(doubt("2023-06-30"), None);
        assert_eq!(doubt("2023-07-01"), Some("r".into()));
        assert_eq!(doubt("2023-07-02"), Some("r".into()));
        assert_eq!(doubt("2023-07-03"), None);
        assert_eq!(
            h.repeal_window(),
            Some((day("2023-07-01"), Some(day("2023-07-02"))))
        );
        let w = h.uncertain_warning(3);
        assert!(
            w.contains("is uncertain")
                && w.contains(
                    "the register gives 2023-07-01; the act's rule gives 2023-07-03 at the earliest"
                )
                && w.ends_with("this evaluation takes the act it repeals as still in force"),
            "{w}"
        );
        // In a language: its dates, and the sources' words in it.
        let w = h.uncertain_warning_in(3, Some("en"));
        assert!(
            w.contains("the register gives 1 July 2023; the rule of the act itself gives 3 July 2023 at the earliest"),
            "{w}"
        );
    }

    #[test]
    fn the_nearest_acts_are_those_that_cannot_fall_on_the_date() {
        let h = history();
        let ids = |d: &str| {
            let (b, a) = h.nearest(day(d));
            (b.map(|x| x.id.as_str()), a.map(|x| x.id.as_str()))
        };
        assert_eq!(ids("2019-06-01"), (None, Some("a")));
        assert_eq!(ids("2021-09-15"), (Some("a"), Some("c")));
        assert_eq!(ids("2021-09-21"), (Some("b"), Some("c")));
        assert_eq!(ids("2030-01-01"), (Some("c"), None));
        assert_eq!(h.acts[1].when(), "2021-09-10 to 2021-09-20");
        assert_eq!(h.acts[2].when(), "2022-05-02 at the earliest");
        assert_eq!(h.acts[0].when(), "2020-03-01");
    }
}
