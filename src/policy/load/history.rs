//! The `history` section: the acts that amended or repealed the act, with
//! their dates of entry into force, and the versions of its provisions.

use chrono::NaiveDate;

use super::context::{Loader, closest};
use super::err::{LoadError, LoadWarning};
use super::package::Period;
use crate::policy::history::{ActEvent, ActKind, Explanation, History, Provision, Version};
use crate::policy::model::{ActEventDecl, HistoryDecl, ProvisionDecl};

impl Loader {
    /// Builds the act's history from file `f`'s declaration; `start` is the
    /// act's entry into force. Makes its provisions those that items may
    /// name.
    pub(super) fn history(
        &mut self,
        f: usize,
        h: &HistoryDecl,
        start: Option<NaiveDate>,
    ) -> History {
        self.provisions = h.provisions.keys().cloned().collect();
        let mut out = History::default();
        for (i, a) in h.acts.iter().enumerate() {
            if let Some(act) = self.act(f, i, a, &out.acts) {
                out.acts.push(act);
            }
        }
        out.acts.sort_by_key(|a| a.from);
        for (id, p) in &h.provisions {
            let provision = self.provision(f, id, p, &out, start);
            out.provisions.insert(id.clone(), provision);
        }
        for (i, a) in h.acts.iter().enumerate() {
            for (j, c) in a.changes.iter().enumerate() {
                if !out.provisions.contains_key(c) {
                    let loc = self.loc(
                        f,
                        &["history", "acts", &i.to_string(), "changes", &j.to_string()],
                        false,
                    );
                    let e = LoadError::UnknownChange {
                        name: c.clone(),
                        suggestion: closest(c, out.provisions.keys()),
                    };
                    self.fail(e, loc);
                }
            }
        }
        out
    }

    /// Warns of every date marked while loading that no act of `history`
    /// explains: one that is neither `start`, the act's entry into force,
    /// nor a date an act that changes the item's provision can have come
    /// into force on.
    pub(super) fn explain_dates(&mut self, history: &History, start: NaiveDate) {
        for d in std::mem::take(&mut self.dated) {
            let unlisted = match history.explain(start, d.provision.as_deref(), d.date) {
                Explanation::Start | Explanation::Acts(_) => continue,
                Explanation::Unlisted(acts) => acts,
                Explanation::Unexplained => Vec::new(),
            };
            let (before, after) = history.nearest(d.date);
            let named = |a: Option<&ActEvent>| a.map(|a| (a.id.clone(), a.when()));
            let w = LoadWarning::UnexplainedDate {
                item: d.item,
                event: d.event,
                date: d.date,
                provision: d.provision,
                unlisted,
                before: named(before),
                after: named(after),
            };
            self.diags.push(w.at(d.loc));
        }
    }

    /// Checks that the package's end of force, in file `pf`, is the first
    /// day its repealing act can be in force, where the history records
    /// one.
    pub(super) fn repeal_date(&mut self, pf: usize, history: &History, period: &Period) {
        let Some(repeal) = history.acts.iter().find(|a| a.kind == ActKind::Repeal) else {
            return;
        };
        if period.until == Some(repeal.from) {
            return;
        }
        let loc = match period.until {
            Some(_) => self.loc(pf, &["package", "in_force", "until"], false),
            None => self.loc(pf, &["package", "in_force"], true),
        };
        let e = LoadError::RepealDate {
            until: period.until.map_or("no end".into(), |u| u.to_string()),
            act: repeal.id.clone(),
            from: repeal.from,
        };
        self.fail(e, loc);
    }

    /// The `i`th act of the history, after the acts `before` it.
    fn act(
        &mut self,
        f: usize,
        i: usize,
        a: &ActEventDecl,
        before: &[ActEvent],
    ) -> Option<ActEvent> {
        let is = i.to_string();
        let p = ["history", "acts", is.as_str()];
        let mut info = self.info(f, &p, &a.cite, &a.interpretation, &a.title, &a.description);
        info.loc = self.loc(f, &["history", "acts", &is, "id"], false);
        let ip = ["history", "acts", is.as_str(), "in_force"];
        let at = |this: &mut Self, k: &str, v: &Option<String>| {
            v.as_ref()
                .and_then(|d| this.date(f, &["history", "acts", &is, "in_force", k], d))
        };
        let date = at(self, "date", &a.in_force.date);
        let earliest = at(self, "earliest", &a.in_force.earliest);
        let latest = at(self, "latest", &a.in_force.latest);
        let (from, exact) = match (date, earliest) {
            (Some(d), None) => (d, true),
            (None, Some(e)) => (e, false),
            _ => {
                let loc = self.loc(f, &ip, true);
                self.fail(LoadError::ActInForce(a.id.clone()), loc);
                return None;
            }
        };
        if latest.is_some_and(|l| l < from) {
            let loc = self.loc(f, &["history", "acts", &is, "in_force", "latest"], false);
            self.fail(LoadError::LatestBeforeEarliest, loc);
        }
        if before.iter().any(|x| x.id == a.id) {
            let loc = self.loc(f, &["history", "acts", &is, "id"], false);
            self.fail(LoadError::ActTwice(a.id.clone()), loc);
        }
        let mut sources = Vec::new();
        for (j, s) in a.in_force.sources.iter().enumerate() {
            let js = j.to_string();
            let sp = [
                "history",
                "acts",
                is.as_str(),
                "in_force",
                "sources",
                js.as_str(),
            ];
            let (key, text, exact) = match (&s.date, &s.earliest) {
                (Some(d), None) => ("date", d, true),
                (None, Some(e)) => ("earliest", e, false),
                _ => {
                    let loc = self.loc(f, &sp, true);
                    self.fail(LoadError::SourceDate(s.by.clone()), loc);
                    continue;
                }
            };
            let kp = [sp[0], sp[1], sp[2], sp[3], sp[4], sp[5], key];
            let Some(day) = self.date(f, &kp, text) else {
                continue;
            };
            if day < from || latest.is_some_and(|l| day > l) {
                let loc = self.loc(f, &kp, false);
                let window = match latest {
                    Some(l) => format!("{from} to {l}"),
                    None => format!("{from} or later"),
                };
                self.fail(LoadError::SourceOutsideWindow { date: day, window }, loc);
            }
            sources.push(crate::policy::history::DateSource {
                by: s.by.clone(),
                by_words: s.by_words.clone(),
                date: day,
                exact,
            });
        }
        if !sources.is_empty() && exact {
            let loc = self.loc(f, &ip, true);
            self.fail(LoadError::SourcesOfExactDate(a.id.clone()), loc);
        }
        let signed = a
            .signed
            .as_ref()
            .and_then(|d| self.date(f, &["history", "acts", &is, "signed"], d));
        Some(ActEvent {
            id: a.id.clone(),
            kind: a.kind,
            title: a.title.clone().unwrap_or_default(),
            number: a.number.clone(),
            signed,
            from,
            exact,
            latest,
            rule: a.in_force.rule.clone(),
            rule_words: a.in_force.rule_words.clone(),
            sources,
            changes: a.changes.clone(),
            info,
        })
    }

    /// A provision and its versions, whose acts are among `history`'s.
    fn provision(
        &mut self,
        f: usize,
        id: &str,
        p: &ProvisionDecl,
        history: &History,
        start: Option<NaiveDate>,
    ) -> Provision {
        let base = ["history", "provisions", id];
        let mut info = self.info(f, &base, &p.cite, &None, &p.title, &p.description);
        info.provision = Some(id.to_string());
        let mut versions: Vec<Version> = Vec::new();
        let item = format!("provision `{id}`");
        let prov = Some(id.to_string());
        for (i, v) in p.versions.iter().enumerate() {
            let is = i.to_string();
            let vp = ["history", "provisions", id, "versions", is.as_str()];
            let from = match (&v.from, &v.act) {
                (Some(d), None) => {
                    let dp = [vp[0], vp[1], vp[2], vp[3], vp[4], "from"];
                    let day = self.date(f, &dp, d);
                    if let Some(day) = day {
                        self.mark(f, &dp, false, &item, "has a version from", day, &prov);
                    }
                    day
                }
                (None, Some(act)) => match history.act(act) {
                    Some(a) => {
                        let ap = [vp[0], vp[1], vp[2], vp[3], vp[4], "act"];
                        self.mark(f, &ap, false, &item, "has a version from", a.from, &prov);
                        Some(a.from)
                    }
                    None => {
                        let loc = self.loc(f, &[vp[0], vp[1], vp[2], vp[3], vp[4], "act"], false);
                        let e = LoadError::UnknownAct {
                            name: act.clone(),
                            suggestion: closest(act, history.acts.iter().map(|a| &a.id)),
                        };
                        self.fail(e, loc);
                        None
                    }
                },
                _ => {
                    let loc = self.loc(f, &vp, false);
                    self.fail(LoadError::VersionStart, loc);
                    None
                }
            };
            let Some(from) = from else { continue };
            if versions.last().is_some_and(|l| l.from >= from) {
                let loc = self.loc(f, &vp, false);
                self.fail(LoadError::VersionsOrder, loc);
            }
            versions.push(Version {
                from,
                act: v.act.clone(),
                encoded: v.encoded,
                note: v.note.clone(),
            });
        }
        if let (Some(first), Some(start)) = (versions.first(), start)
            && first.from > start
        {
            let loc = self.loc(f, &base, true);
            let w = LoadWarning::NoVersionAtStart {
                provision: id.to_string(),
                start,
            };
            self.diags.push(w.at(loc));
        }
        Provision {
            id: id.to_string(),
            title: p.title.clone().unwrap_or_default(),
            versions,
            info,
        }
    }
}
