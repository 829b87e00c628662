//! What a change of the policy does to a corpus of applications: each
//! application decided under an old and a new request (two dates of one
//! policy, or two folders of it), and the differences counted — the
//! transitions between outcomes, the reasons gained and lost, and how far
//! each reported or computed date and number moved — with the first few
//! applications of each transition as examples.
//!
//! The corpus is read as a batch reads it ([`batch::fold`]): in parts, on
//! worker threads, each worker folding its records into an [`Impact`] of
//! its own, merged at the end. Only counts, histograms and a few examples
//! are kept, so memory stays flat whatever the corpus's size, and the
//! result does not depend on the number of threads: the examples kept are
//! those of the smallest line numbers.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::panic::AssertUnwindSafe;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::core::value::Value;
use crate::engine::batch::{self, Decider, InputFormat, Record};
use crate::engine::eval::{Evaluation, Reported};
use crate::engine::{Plan, Prepared};
use crate::policy::{Policy, ReportKind};

/// The outcome a record has on a side where it could not be read or
/// decided: a row and a column of the transition matrix like the others.
pub const ERROR: &str = "(error)";

/// How to compare.
pub struct Config<'a, 'p> {
    /// The request the old decisions are made under.
    pub old: &'a Prepared<'p>,
    /// The request the new decisions are made under.
    pub new: &'a Prepared<'p>,
    /// Threads to decide with.
    pub jobs: usize,
    /// Examples kept for each transition (the first in input order).
    pub examples: usize,
    /// Whether each worker takes its own plans (see
    /// [`batch::Config::own_plans`]).
    pub own_plans: bool,
    /// Set to stop reading; the report then covers the records read.
    pub stop: Option<&'a std::sync::atomic::AtomicBool>,
}

/// A date or a number a decision reports, compared between the sides by
/// its name: a report key (`score.total`, `deadlines.decision_by`,
/// `status.value`), or `values.NAME` for a computed value no report entry
/// shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Moves {
    pub name: String,
    /// Decisions where it has a value on both sides.
    pub both: u64,
    /// Of those, decisions where the values differ.
    pub moved: u64,
    /// Of those, how many were dates (the deltas in days); the rest were
    /// numbers.
    pub in_days: u64,
    /// Decisions where it has a value only on the new side.
    pub appeared: u64,
    /// Decisions where it has a value only on the old side.
    pub vanished: u64,
    /// The deltas (new - old) by bucket (see [`bucket`]).
    pub buckets: BTreeMap<i32, u64>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    /// The deltas' sum, exact; `None` once it overflowed.
    pub sum: Option<Decimal>,
}

impl Moves {
    /// The deltas' mean, to four places.
    pub fn mean(&self) -> Option<Decimal> {
        let sum = self.sum?;
        if self.moved == 0 {
            return None;
        }
        sum.checked_div(Decimal::from(self.moved))
            .map(|m| m.round_dp(4).normalize())
    }

    fn add(&mut self, delta: Decimal, days: bool) {
        self.moved += 1;
        self.in_days += u64::from(days);
        *self.buckets.entry(bucket(delta)).or_default() += 1;
        self.min = Some(self.min.map_or(delta, |m| m.min(delta)));
        self.max = Some(self.max.map_or(delta, |m| m.max(delta)));
        self.sum = self.sum.and_then(|s| s.checked_add(delta));
    }

    fn merge(&mut self, o: &Moves) {
        self.both += o.both;
        self.moved += o.moved;
        self.in_days += o.in_days;
        self.appeared += o.appeared;
        self.vanished += o.vanished;
        for (k, n) in &o.buckets {
            *self.buckets.entry(*k).or_default() += n;
        }
        self.min = match (self.min, o.min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.max = match (self.max, o.max) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.sum = match (self.sum, o.sum) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        };
    }
}

/// Bands of deltas beyond the exact ones: each the largest magnitude it
/// holds.
const BANDS: [i64; 6] = [10, 30, 100, 365, 1000, 10000];

/// The bucket of a delta: an integer from -5 to 5 exactly (its key the
/// delta times 100); a fraction below 1 or between integers up to 5
/// (keys ±50 and ±250); beyond, bands up to 10, 30, 100, 365, 1000, 10000
/// and more (keys ±600, ±700, …, ±1200). Keys sort as the deltas do.
pub fn bucket(d: Decimal) -> i32 {
    let sign = if d.is_sign_negative() { -1 } else { 1 };
    let m = d.abs();
    let five = Decimal::from(5);
    if m <= five {
        if m.fract().is_zero() {
            let n = m.to_i32().unwrap_or(0);
            return sign * n * 100;
        }
        return sign * if m < Decimal::ONE { 50 } else { 250 };
    }
    for (i, b) in BANDS.iter().enumerate() {
        if m <= Decimal::from(*b) {
            return sign * (600 + 100 * i as i32);
        }
    }
    sign * 1200
}

/// A bucket's label, its bounds written with their signs and the lower
/// first: `+2`, `-1`, `0..+1` (a fraction), `-5..-1`, `+6..+10`,
/// `-1000..-366`, `>+10000`, `<-10000`.
pub fn bucket_label(key: i32) -> String {
    let k = key.abs();
    let range = |lo: i64, hi: i64| match key < 0 {
        true => format!("-{hi}..-{lo}"),
        false => format!("+{lo}..+{hi}"),
    };
    match k {
        0 => "0".into(),
        50 if key < 0 => "-1..0".into(),
        50 => "0..+1".into(),
        250 => range(1, 5),
        100..=500 if k % 100 == 0 => format!("{}{}", if key < 0 { "-" } else { "+" }, k / 100),
        1200 if key < 0 => format!("<-{}", BANDS[BANDS.len() - 1]),
        1200 => format!(">+{}", BANDS[BANDS.len() - 1]),
        _ => {
            let i = ((k - 600) / 100) as usize;
            let lo = if i == 0 { 5 } else { BANDS[i - 1] };
            range(lo + 1, BANDS.get(i).copied().unwrap_or(lo))
        }
    }
}

/// An application kept as an example: its line, its text as read, and
/// what it came to on each side (an outcome, or the error).
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub line: usize,
    pub text: String,
    pub old: String,
    pub new: String,
    /// What else differs: `+reason R`, `-reason R`, `missing names
    /// changed`, and each date or
    /// number that moved (`deadlines.decision_by +2`), appeared
    /// (`score.total appeared`) or vanished.
    pub changes: Vec<String>,
}

/// The decisions that went from one outcome to another (or stayed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Transition {
    pub count: u64,
    /// Of those, decisions that differ otherwise (reasons, missing names,
    /// reported dates and numbers), and errors.
    pub changed: u64,
    /// Per reason id: how many decisions gained it and how many lost it.
    pub reasons: BTreeMap<String, (u64, u64)>,
    /// The first applications (in input order) that made the transition
    /// and, for an outcome that stayed, differ otherwise.
    pub examples: Vec<Example>,
}

/// What the change did to a corpus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Impact {
    /// The records read.
    pub total: u64,
    /// Records decided (not an error) the same on both sides in every
    /// respect compared.
    pub unchanged: u64,
    /// Records that are an error on either side.
    pub errors: u64,
    /// Keyed by (old outcome, new outcome); [`ERROR`] for an error.
    pub transitions: BTreeMap<(String, String), Transition>,
    /// Per reason id: (gained, lost) over all decisions.
    pub reasons: BTreeMap<String, (u64, u64)>,
    /// Each date and number compared, in the policies' order.
    pub moves: Vec<Moves>,
    /// The outcomes in the order to show them: the policies' declared
    /// outcomes, then any others met, then [`ERROR`] if met.
    pub outcomes: Vec<String>,
    /// Whether the comparison stopped before the end of the input.
    pub interrupted: bool,
}

impl Impact {
    fn merge(&mut self, o: Impact, k: usize) {
        self.total += o.total;
        self.unchanged += o.unchanged;
        self.errors += o.errors;
        for (key, t) in o.transitions {
            let mine = self.transitions.entry(key).or_default();
            mine.count += t.count;
            mine.changed += t.changed;
            for (r, (g, l)) in t.reasons {
                let e = mine.reasons.entry(r).or_default();
                e.0 += g;
                e.1 += l;
            }
            mine.examples.extend(t.examples);
            mine.examples.sort_by_key(|e| e.line);
            mine.examples.truncate(k);
        }
        for (r, (g, l)) in o.reasons {
            let e = self.reasons.entry(r).or_default();
            e.0 += g;
            e.1 += l;
        }
        for (m, x) in self.moves.iter_mut().zip(&o.moves) {
            m.merge(x);
        }
    }
}

/// Where a compared value is found in an evaluation.
#[derive(Clone, Copy, Debug)]
enum Source {
    /// Report entry `i`'s value (an `expr`).
    Report(usize),
    /// Report entry `i`'s field `j`.
    Field(usize, usize),
    /// Report entry `i`'s total (`items`).
    Total(usize),
    /// Computed value `k`, shown by report entry `i` (`values`, `items`)
    /// when that applies.
    Shown(usize, usize),
    /// Computed value `k`, shown by no report entry.
    Value(usize),
}

/// The compared values of a policy, by name, and where each is found.
fn sources(policy: &Policy) -> Vec<(String, Source)> {
    let index = |name: &str| policy.values.iter().position(|v| v.name == name);
    let mut out = Vec::new();
    let mut shown = vec![false; policy.values.len()];
    for (i, e) in policy.report.iter().enumerate() {
        match &e.kind {
            ReportKind::Expr(_) => out.push((e.key.clone(), Source::Report(i))),
            ReportKind::Fields(fs) => {
                for (j, (f, _)) in fs.iter().enumerate() {
                    out.push((format!("{}.{f}", e.key), Source::Field(i, j)));
                }
            }
            ReportKind::Values(names) | ReportKind::Items { names, .. } => {
                if let ReportKind::Items { total: Some(_), .. } = &e.kind {
                    out.push((format!("{}.total", e.key), Source::Total(i)));
                }
                for n in names {
                    if let Some(k) = index(n) {
                        shown[k] = true;
                        out.push((format!("{}.{n}", e.key), Source::Shown(i, k)));
                    }
                }
            }
        }
    }
    for (k, v) in policy.values.iter().enumerate() {
        if !shown[k] {
            out.push((format!("values.{}", v.name), Source::Value(k)));
        }
    }
    out
}

/// A compared value of an evaluation: a date or a number, else nothing.
fn found(r: &Evaluation, s: Source) -> Option<&Value> {
    let v = match s {
        Source::Report(i) => match r.report.get(i)? {
            Reported::Value(v) => v,
            _ => return None,
        },
        Source::Field(i, j) => match r.report.get(i)? {
            Reported::Fields(vs) => vs.get(j)?,
            _ => return None,
        },
        Source::Total(i) => match r.report.get(i)? {
            Reported::Items { total: Some(v) } => v,
            _ => return None,
        },
        Source::Shown(i, k) => match r.report.get(i)? {
            Reported::Values | Reported::Items { .. } => r.values.at(k)?,
            _ => return None,
        },
        Source::Value(k) => r.values.at(k)?,
    };
    matches!(v, Value::Date(_) | Value::Int(_) | Value::Decimal(_)).then_some(v)
}

fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(n) => Some(Decimal::from(*n)),
        Value::Decimal(d) => Some(*d),
        _ => None,
    }
}

/// The compared values of both sides, matched by name.
struct Measures {
    names: Vec<String>,
    old: Vec<(usize, Source)>,
    new: Vec<(usize, Source)>,
}

impl Measures {
    fn new(old: &Policy, new: &Policy) -> Measures {
        let mut names: Vec<String> = Vec::new();
        let place = |names: &mut Vec<String>, list: Vec<(String, Source)>| {
            list.into_iter()
                .map(|(n, s)| match names.iter().position(|x| *x == n) {
                    Some(i) => (i, s),
                    None => {
                        names.push(n);
                        (names.len() - 1, s)
                    }
                })
                .collect::<Vec<_>>()
        };
        let o = place(&mut names, sources(old));
        let n = place(&mut names, sources(new));
        Measures {
            names,
            old: o,
            new: n,
        }
    }

    fn gather<'e>(&self, side: &[(usize, Source)], r: &'e Evaluation) -> Vec<Option<&'e Value>> {
        let mut out = vec![None; self.names.len()];
        for (i, s) in side {
            out[*i] = found(r, *s);
        }
        out
    }
}

/// A worker's state: a decider for each side and its share of the report.
struct Worker<'a, 'p> {
    old: Decider<'a, 'p>,
    new: Decider<'a, 'p>,
    impact: Impact,
}

fn decide(d: &mut Decider<'_, '_>, r: &Record<'_>) -> Result<Evaluation, String> {
    std::panic::catch_unwind(AssertUnwindSafe(|| d.decide(r)))
        .unwrap_or_else(|_| Err("internal failure: the evaluation stopped".to_string()))
}

/// Folds one record into a worker's report.
fn fold_one(w: &mut Worker<'_, '_>, m: &Measures, k: usize, r: &Record<'_>) {
    let old = decide(&mut w.old, r);
    let new = decide(&mut w.new, r);
    let imp = &mut w.impact;
    imp.total += 1;
    let brief = |x: &Result<Evaluation, String>| match x {
        Ok(e) => e.outcome.clone(),
        Err(e) => format!("{ERROR} {e}"),
    };
    let key = |x: &Result<Evaluation, String>| match x {
        Ok(e) => e.outcome.clone(),
        Err(_) => ERROR.to_string(),
    };
    let (ko, kn) = (key(&old), key(&new));
    let mut changed = ko != kn;
    let mut gained: Vec<&str> = Vec::new();
    let mut lost: Vec<&str> = Vec::new();
    // The dates and numbers that differ, with their deltas if any: read
    // only for an example.
    let mut differ: Vec<(usize, Option<Decimal>, &str)> = Vec::new();
    let mut missing = false;
    match (&old, &new) {
        (Ok(a), Ok(b)) => {
            for h in &b.reasons {
                if !a.reasons.iter().any(|x| x.id == h.id) {
                    gained.push(&h.id);
                }
            }
            for h in &a.reasons {
                if !b.reasons.iter().any(|x| x.id == h.id) {
                    lost.push(&h.id);
                }
            }
            missing = a.missing != b.missing;
            changed |= !gained.is_empty() || !lost.is_empty() || missing;
            let (va, vb) = (m.gather(&m.old, a), m.gather(&m.new, b));
            for (i, (x, y)) in va.iter().zip(&vb).enumerate() {
                let Some(mv) = imp.moves.get_mut(i) else {
                    continue;
                };
                match (x, y) {
                    (None, None) => {}
                    (None, Some(_)) => {
                        mv.appeared += 1;
                        changed = true;
                        differ.push((i, None, "appeared"));
                    }
                    (Some(_), None) => {
                        mv.vanished += 1;
                        changed = true;
                        differ.push((i, None, "vanished"));
                    }
                    (Some(x), Some(y)) => {
                        mv.both += 1;
                        let delta = match (x, y) {
                            (Value::Date(p), Value::Date(q)) => {
                                Some((Decimal::from((*q - *p).num_days()), true))
                            }
                            _ => match (number(x), number(y)) {
                                (Some(p), Some(q)) => q.checked_sub(p).map(|d| (d, false)),
                                _ => None,
                            },
                        };
                        match delta {
                            Some((d, _)) if d.is_zero() => {}
                            Some((d, days)) => {
                                mv.add(d, days);
                                changed = true;
                                differ.push((i, Some(d), ""));
                            }
                            // A date on one side, a number on the other.
                            None => {
                                mv.moved += 1;
                                changed = true;
                                differ.push((i, None, "changed"));
                            }
                        }
                    }
                }
            }
        }
        // An error on either side is never "unchanged", and is shown.
        _ => {
            imp.errors += 1;
            changed = true;
        }
    }
    if !changed {
        imp.unchanged += 1;
    }
    for g in &gained {
        imp.reasons.entry(g.to_string()).or_default().0 += 1;
    }
    for l in &lost {
        imp.reasons.entry(l.to_string()).or_default().1 += 1;
    }
    let t = imp.transitions.entry((ko, kn)).or_default();
    t.count += 1;
    if !changed {
        return;
    }
    t.changed += 1;
    for g in &gained {
        t.reasons.entry(g.to_string()).or_default().0 += 1;
    }
    for l in &lost {
        t.reasons.entry(l.to_string()).or_default().1 += 1;
    }
    let (gained_ids, lost_ids) = (gained, lost);
    // A worker meets its records in line order: the first k are kept.
    if t.examples.len() < k {
        let mut changes: Vec<String> = gained_ids.iter().map(|g| format!("+reason {g}")).collect();
        changes.extend(lost_ids.iter().map(|l| format!("-reason {l}")));
        if missing {
            changes.push("missing names changed".to_string());
        }
        for (i, d, what) in differ {
            let name = m.names.get(i).map_or("", String::as_str);
            changes.push(match d {
                Some(d) if d.is_sign_negative() => format!("{name} {}", d.normalize()),
                Some(d) => format!("{name} +{}", d.normalize()),
                None => format!("{name} {what}"),
            });
        }
        t.examples.push(Example {
            changes,
            line: r.line(),
            text: r.text().unwrap_or("").to_string(),
            old: brief(&old),
            new: brief(&new),
        });
    }
}

/// The order to show outcomes in: the declared ones of the old policy,
/// then the new's, then any others met (in order of name), then errors.
fn outcome_order(old: &Policy, new: &Policy, imp: &Impact) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let declared = |p: &Policy| -> Vec<String> {
        p.decision
            .as_ref()
            .map(|d| d.outcomes.keys().cloned().collect())
            .unwrap_or_default()
    };
    for o in declared(old).into_iter().chain(declared(new)) {
        if !out.contains(&o) {
            out.push(o);
        }
    }
    let mut met: Vec<&String> = imp
        .transitions
        .keys()
        .flat_map(|(a, b)| [a, b])
        .filter(|o| *o != ERROR && !out.contains(o))
        .collect();
    met.sort();
    met.dedup();
    out.extend(met.into_iter().cloned());
    if imp
        .transitions
        .keys()
        .any(|(a, b)| a == ERROR || b == ERROR)
    {
        out.push(ERROR.to_string());
    }
    out
}

/// Decides every record of `input` under both requests and reports the
/// differences (see the module's documentation).
pub fn run(
    cfg: &Config<'_, '_>,
    input: impl BufRead,
    format: InputFormat,
) -> std::io::Result<Impact> {
    let jobs = cfg.jobs.max(1);
    let k = cfg.examples;
    let (old, new) = (cfg.old.untraced(), cfg.new.untraced());
    let measures = Measures::new(old.policy(), new.policy());
    // Plans of their own for the workers, as a batch makes them.
    let copies = batch::copies(jobs, cfg.own_plans);
    let plans: Vec<(Plan, Plan)> = std::thread::scope(|s| {
        let made: Vec<_> = (0..copies)
            .map(|_| s.spawn(|| (old.plan().for_thread(), new.plan().for_thread())))
            .collect();
        made.into_iter().filter_map(|m| m.join().ok()).collect()
    });
    let prepared: Vec<(Prepared<'_>, Prepared<'_>)> = plans
        .iter()
        .filter_map(|(a, b)| Some((old.again(a).ok()?.untraced(), new.again(b).ok()?.untraced())))
        .collect();
    let empty = || Impact {
        moves: measures
            .names
            .iter()
            .map(|n| Moves {
                name: n.clone(),
                sum: Some(Decimal::ZERO),
                ..Moves::default()
            })
            .collect(),
        ..Impact::default()
    };
    let (parts, folded) = batch::fold(
        jobs,
        input,
        format,
        cfg.stop,
        |i| {
            let (o, n) = match prepared.get(i % prepared.len().max(1)) {
                Some((o, n)) => (o, n),
                None => (&old, &new),
            };
            Worker {
                old: Decider::new(o),
                new: Decider::new(n),
                impact: empty(),
            }
        },
        |w, r| fold_one(w, &measures, k, r),
        |w| w.impact,
    )?;
    let mut imp = empty();
    for p in parts {
        imp.merge(p, k);
    }
    // Records of a part whose folding failed are still counted, as errors.
    if folded.total as u64 > imp.total {
        let lost = folded.total as u64 - imp.total;
        imp.total += lost;
        imp.errors += lost;
        let t = imp
            .transitions
            .entry((ERROR.to_string(), ERROR.to_string()))
            .or_default();
        t.count += lost;
    }
    imp.interrupted = folded.interrupted;
    imp.outcomes = outcome_order(old.policy(), new.policy(), &imp);
    Ok(imp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_sort_as_their_deltas_and_are_labelled() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let keys: Vec<i32> = [
            "-20000", "-400", "-7", "-5", "-0.5", "0", "0.25", "1", "2.5", "5", "6", "11", "366",
            "20000",
        ]
        .iter()
        .map(|x| bucket(d(x)))
        .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        let labels: Vec<String> = keys.iter().map(|k| bucket_label(*k)).collect();
        assert_eq!(
            labels,
            [
                "<-10000",
                "-1000..-366",
                "-10..-6",
                "-5",
                "-1..0",
                "0",
                "0..+1",
                "+1",
                "+1..+5",
                "+5",
                "+6..+10",
                "+11..+30",
                "+366..+1000",
                ">+10000"
            ]
        );
        assert_eq!(bucket(d("2.00")), 200);
    }
}
