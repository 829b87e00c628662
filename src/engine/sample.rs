//! Synthetic applications for a policy that has no real data: each drawn
//! from the policy's input schema, its catalogues and its tables, for
//! corpora, benchmarks and looking for where amendments bite.
//!
//! Everything comes from the policy, nothing from a particular act:
//!
//! - every member of an enumeration and every catalogue entry a reference
//!   accepts (those in force on the date asked for, else all) is written in
//!   turn, so that `n` at least as large as the largest of them reaches each
//!   once; after that they are drawn at random;
//! - numbers cluster at their edges, each written one below, at and one
//!   above (a step of 1, or 0.01 for a decimal), first in turn and then
//!   most of the time: the field's `min` and `max`, the bounds of the bands
//!   of each table it is looked up in, and the literals and parameters it
//!   is compared with (also through a computed value that multiplies it:
//!   `years * 12 < 36` gives `years` the edge 3); otherwise uniform;
//! - dates fall in the period the act is in force (within the years its
//!   working-day calendars have data for), or the year up to the date
//!   asked for, and often a day either side of a date the policy carries
//!   (an amending act's, a dated value's, a table's or an entry's); a date
//!   counted in whole years to another (`years_between(birth_date, ...)`
//!   compared with an age limit) often falls that many years, give or take
//!   one and a day, before the application's evaluation date;
//!   times of day cluster at the policy's times (office hours' end);
//! - an optional field is left out about one time in five, unless a
//!   `required_when` requires it; a reference and the field for what its
//!   catalogue does not list are never given together.
//!
//! Each application is read as `batch` reads it and dated by the policy's
//! evaluation date before it is written: one that does not read, or falls
//! outside the act, is drawn again. The same seed gives the same lines,
//! byte for byte.
//!
//! ```
//! use qagida::engine::{Plan, sample};
//!
//! let policy = qagida::policy::load_dir("tests/policies/example".as_ref()).unwrap().policy;
//! let plan = Plan::new(policy);
//! let lines: Vec<String> = sample::sample(&plan, 3, 7, None)
//!     .unwrap()
//!     .collect::<Result<_, _>>()
//!     .unwrap();
//! assert_eq!(lines.len(), 3);
//! assert!(lines[0].starts_with(r#"{"service":"grant","#));
//! ```

use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveTime, Timelike};
use rust_decimal::Decimal;

use crate::core::diag::Diagnostic;
use crate::core::json::{Json, Map};
use crate::core::value::Value;
use crate::engine::{Application, At, DecideError, Plan, Prepared, Request};
use crate::lang::ast::{BinOp, Cell, Expr, ExprKind, Literal, Resolution};
use crate::lang::types::{FieldType, RecordType, Type};
use crate::policy::Policy;

/// How many times an application is drawn again before sampling gives up.
const ATTEMPTS: usize = 64;

/// In how many of a hundred draws an optional field is given.
const PRESENT: u64 = 80;

/// Why no applications can be sampled.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SampleError {
    /// The request (its date) cannot be prepared.
    #[error("{0}")]
    Request(DecideError),
    /// Every application drawn failed to read or to be dated: the last
    /// reason.
    #[error(
        "no application drawn from the policy's schema could be decided after {ATTEMPTS} tries: {0}"
    )]
    Undecidable(DecideError),
}

impl SampleError {
    /// The diagnostics to show.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            SampleError::Request(e) => e.diagnostics(),
            SampleError::Undecidable(e) => {
                let mut d = e.diagnostics();
                let head = Diagnostic::error(
                    "sample",
                    format!(
                        "no application drawn from the policy's schema could be decided after {ATTEMPTS} tries"
                    ),
                )
                .help("give a date with --at, or check the policy's evaluation date and input bounds");
                d.insert(0, head);
                d
            }
        }
    }

    /// The failure a decision would have had.
    pub fn decide_error(&self) -> &DecideError {
        match self {
            SampleError::Request(e) | SampleError::Undecidable(e) => e,
        }
    }
}

/// `n` applications of `plan`'s policy as JSON lines (without the line
/// break), drawn with `seed`; `at` puts the dates around that date and
/// limits references to the entries in force on it.
pub fn sample(
    plan: &Plan,
    n: u64,
    seed: u64,
    at: Option<NaiveDate>,
) -> Result<impl Iterator<Item = Result<String, SampleError>> + '_, SampleError> {
    let request = Request {
        at: at.map_or(At::Application, At::On),
        params: Vec::new(),
        trace: false,
    };
    let prepared = plan
        .prepare(&request)
        .map_err(SampleError::Request)?
        .untraced();
    let model = Model::new(plan.policy(), at);
    let mut sampler = Sampler {
        prepared,
        model,
        rng: Rng(seed),
        cursors: HashMap::new(),
        chosen: HashMap::new(),
        anchor: None,
    };
    Ok((0..n).map(move |_| sampler.next_line()))
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a few lines, fast, and the
/// same numbers on every platform, which is all sampling needs; a crate
/// such as `rand` would add dependencies and could change its streams
/// between versions, and with them the corpora a seed names.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// -1, 0 or 1.
    fn delta(&mut self) -> i64 {
        self.below(3) as i64 - 1
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// What the policy says about the values worth drawing, found once.
struct Model {
    /// The edges of each numeric input, by dotted path, ascending.
    numbers: HashMap<String, Vec<Decimal>>,
    /// The dates the policy carries, inside `window`, ascending.
    dates: Vec<NaiveDate>,
    /// The times of day the policy compares with, ascending.
    times: Vec<NaiveTime>,
    /// The first and last date drawn at random.
    window: (NaiveDate, NaiveDate),
    at: Option<NaiveDate>,
    /// For a date input counted in whole years to another date
    /// (`years_between(birth_date, ...) > max_age`), the numbers of years
    /// compared with.
    years: HashMap<String, Vec<i64>>,
    /// The inputs the policy's evaluation date reads: the date the others
    /// are counted to.
    anchors: Vec<String>,
}

/// An expression's subject: an input's dotted path or a computed value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Subject {
    Input(String),
    Value(String),
}

fn subject(e: &Expr) -> Option<Subject> {
    match &e.kind {
        ExprKind::Name(n) => match n.res {
            Resolution::Input(_) => Some(Subject::Input(n.id.clone())),
            Resolution::Value(_) => Some(Subject::Value(n.id.clone())),
            _ => None,
        },
        ExprKind::Field(..) => {
            let mut root = e;
            while let ExprKind::Field(inner, _) = &root.kind {
                root = inner;
            }
            match &root.kind {
                ExprKind::Name(n) if matches!(n.res, Resolution::Input(_)) => {
                    Some(Subject::Input(e.path()?))
                }
                _ => None,
            }
        }
        // `default(x, 0)` compares x where it is known.
        ExprKind::Call(c) if c.func.node == "default" => subject(c.args.first()?),
        _ => None,
    }
}

fn number(l: &Literal) -> Option<Decimal> {
    match l {
        Literal::Int(i) => Some(Decimal::from(*i)),
        Literal::Decimal(d) | Literal::Percent(d) => Some(*d),
        _ => None,
    }
}

fn value_number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Decimal(d) => Some(*d),
        _ => None,
    }
}

/// The numbers an expression stands for: a literal, or each value of a
/// parameter.
fn constants(policy: &Policy, e: &Expr) -> Vec<Decimal> {
    match &e.kind {
        ExprKind::Lit(l) => number(l).into_iter().collect(),
        ExprKind::Neg(inner) => constants(policy, inner).into_iter().map(|d| -d).collect(),
        ExprKind::Name(n) if matches!(n.res, Resolution::Param(_)) => policy
            .params
            .get(&n.id)
            .map(|p| {
                p.values
                    .iter()
                    .filter_map(|(_, v)| v.as_ref().and_then(value_number))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

impl Model {
    fn new(policy: &Policy, at: Option<NaiveDate>) -> Model {
        let mut edges: HashMap<Subject, Vec<Decimal>> = HashMap::new();
        let mut years: HashMap<String, Vec<i64>> = HashMap::new();
        let mut dates: Vec<NaiveDate> = Vec::new();
        let mut times: Vec<NaiveTime> = Vec::new();
        // The inputs' own bounds.
        bounds(&policy.input, "", &mut edges);
        // Comparisons with literals and parameters, and table lookups.
        let mut visit = |code: &crate::policy::Code| {
            code.expr.walk(&mut |e: &Expr| match &e.kind {
                ExprKind::Binary(
                    BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne,
                    a,
                    b,
                    _,
                ) => {
                    for (x, y) in [(a, b), (b, a)] {
                        if let Some(s) = subject(x) {
                            let c = constants(policy, y);
                            if !c.is_empty() {
                                edges.entry(s).or_default().extend(c);
                            }
                        }
                    }
                }
                ExprKind::Call(c) if c.func.node == "lookup" => {
                    let table = match c.args.first().map(|a| &a.kind) {
                        Some(ExprKind::Name(n)) => match n.res {
                            Resolution::Table(t) => policy.tables.get(t),
                            _ => None,
                        },
                        _ => None,
                    };
                    let Some(table) = table else { return };
                    for (i, arg) in c.args.iter().skip(1).enumerate() {
                        let Some(s) = subject(arg) else { continue };
                        for row in &table.rows {
                            let found: Vec<Decimal> = match row.cells.get(i) {
                                Some(Cell::Interval { lower, upper }) => [lower, upper]
                                    .into_iter()
                                    .filter_map(|b| number(&b.as_ref()?.0))
                                    .collect(),
                                Some(Cell::Compare(_, l)) => number(l).into_iter().collect(),
                                _ => Vec::new(),
                            };
                            edges.entry(s.clone()).or_default().extend(found);
                        }
                    }
                }
                ExprKind::Lit(Literal::Date(d)) => dates.push(*d),
                ExprKind::Lit(Literal::Time(t)) => times.push(*t),
                _ => {}
            });
        };
        crate::engine::plan::for_each_code(policy, &mut visit);
        // A computed value's edges pass to what it is: the input it names,
        // or one it multiplies by a whole number (`years * 12`). Values come
        // after those they read, so dependents go first.
        for v in policy.values.iter().rev() {
            let Some(found) = edges.get(&Subject::Value(v.name.clone())).cloned() else {
                continue;
            };
            if let Some(s) = subject(&v.code.expr) {
                edges.entry(s).or_default().extend(found.iter().copied());
            }
            v.code.expr.walk(&mut |e: &Expr| {
                if let ExprKind::Call(c) = &e.kind
                    && c.func.node == "years_between"
                    && let Some(Subject::Input(p)) = c.args.first().and_then(subject)
                {
                    let whole = found.iter().filter_map(|d| i64::try_from(d.trunc()).ok());
                    years.entry(p).or_default().extend(whole);
                }
                if let ExprKind::Binary(BinOp::Mul, a, b, _) = &e.kind {
                    for (x, k) in [(a, b), (b, a)] {
                        let k = match &k.kind {
                            ExprKind::Lit(Literal::Int(k)) if *k > 0 => Decimal::from(*k),
                            _ => continue,
                        };
                        if let Some(s @ Subject::Input(_)) = subject(x) {
                            let each = found.iter().flat_map(|e| [(e / k).floor(), (e / k).ceil()]);
                            edges.entry(s).or_default().extend(each);
                        }
                    }
                }
            });
        }
        let numbers = edges
            .into_iter()
            .filter_map(|(s, mut v)| match s {
                Subject::Input(p) => {
                    v.sort();
                    v.dedup();
                    Some((p, v))
                }
                Subject::Value(_) => None,
            })
            .collect();
        // The dates the policy carries.
        dates.push(policy.meta.in_force_from);
        dates.extend(policy.meta.in_force_until.and_then(|u| u.pred_opt()));
        for a in &policy.history.acts {
            dates.push(a.from);
            dates.extend(a.latest);
        }
        for p in policy.params.values() {
            for (from, v) in &p.values {
                dates.push(*from);
                match v {
                    Some(Value::Date(d)) => dates.push(*d),
                    Some(Value::Time(t)) => times.push(*t),
                    _ => {}
                }
            }
        }
        let mut infos: Vec<&crate::policy::Info> = Vec::new();
        for t in &policy.tables {
            infos.push(&t.info);
            infos.extend(t.rows.iter().map(|r| &r.info));
        }
        infos.extend(policy.values.iter().map(|v| &v.info));
        for r in policy.decision.iter().flat_map(|d| &d.rules) {
            infos.push(&r.info);
            infos.extend(r.reasons.iter().map(|x| &x.info));
        }
        for i in infos {
            dates.extend(i.from);
            dates.extend(i.until);
        }
        for c in &policy.catalogues {
            for e in &c.entries {
                dates.extend(e.from);
                dates.extend(e.until);
            }
        }
        dates.extend(at);
        let window = window(policy, at, &dates);
        dates.retain(|d| *d >= window.0 && *d <= window.1);
        dates.sort();
        dates.dedup();
        times.sort();
        times.dedup();
        for v in years.values_mut() {
            v.sort();
            v.dedup();
        }
        let anchors = policy
            .evaluation_date
            .as_ref()
            .map(|c| c.refs.clone())
            .unwrap_or_default();
        Model {
            numbers,
            dates,
            times,
            window,
            at,
            years,
            anchors,
        }
    }
}

/// The `min` and `max` of each numeric input, as its edges.
fn bounds(r: &RecordType, prefix: &str, edges: &mut HashMap<Subject, Vec<Decimal>>) {
    for (name, f) in &r.fields {
        let path = join(prefix, name);
        if let Type::Record(inner) = &f.ty {
            bounds(inner, &path, edges);
        }
        let found = [&f.options.min, &f.options.max]
            .into_iter()
            .filter_map(|b| b.as_ref().and_then(value_number));
        let found: Vec<Decimal> = found.collect();
        if !found.is_empty() {
            edges.entry(Subject::Input(path)).or_default().extend(found);
        }
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The dates drawn at random: the year up to `at`, or else the period the
/// act is in force (a year past its last date where it has no end), kept
/// within the years its calendars have data for, less the last months, so
/// that deadlines counted in working days stay inside them.
fn window(policy: &Policy, at: Option<NaiveDate>, dates: &[NaiveDate]) -> (NaiveDate, NaiveDate) {
    if let Some(at) = at {
        return (at.checked_sub_days(Days::new(365)).unwrap_or(at), at);
    }
    let from = policy.meta.in_force_from;
    let last = |d: NaiveDate| d.checked_add_days(Days::new(365)).unwrap_or(d);
    let until = match policy.meta.in_force_until {
        Some(u) => u.pred_opt().unwrap_or(u),
        None => last(dates.iter().copied().max().unwrap_or(from).max(from)),
    };
    let (mut lo, mut hi) = (from, until.max(from));
    for cal in policy.calendars.values() {
        let (Some(first), Some(end)) = (cal.years.keys().next(), cal.years.keys().next_back())
        else {
            continue;
        };
        let first = NaiveDate::from_ymd_opt(*first, 1, 1);
        let end =
            NaiveDate::from_ymd_opt(*end, 12, 31).and_then(|d| d.checked_sub_days(Days::new(120)));
        if let (Some(first), Some(end)) = (first, end)
            && first.max(lo) <= end.min(hi)
        {
            lo = first.max(lo);
            hi = end.min(hi);
        }
    }
    (lo, hi)
}

struct Sampler<'p> {
    prepared: Prepared<'p>,
    model: Model,
    rng: Rng,
    /// How many values each field has drawn in turn (members, entries,
    /// edges), by dotted path.
    cursors: HashMap<String, usize>,
    /// The entry drawn for each reference of the application being made.
    chosen: HashMap<String, usize>,
    /// The date drawn for the application's evaluation date, once drawn.
    anchor: Option<NaiveDate>,
}

impl Sampler<'_> {
    fn next_line(&mut self) -> Result<String, SampleError> {
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let cursors = self.cursors.clone();
            match self.attempt() {
                Ok(line) => return Ok(line),
                Err(e) => {
                    // A value drawn in turn that was not written is drawn
                    // again.
                    self.cursors = cursors;
                    last = Some(e);
                }
            }
        }
        Err(SampleError::Undecidable(
            last.unwrap_or(DecideError::Schema(Vec::new())),
        ))
    }

    /// One application, read and dated as `batch` would.
    fn attempt(&mut self) -> Result<String, DecideError> {
        let policy = self.prepared.policy();
        self.chosen.clear();
        self.anchor = None;
        let input = policy.input.clone();
        let Json::Object(mut app) = self.record(&input, "") else {
            return Err(DecideError::Schema(Vec::new()));
        };
        for (field, unlisted) in &policy.unlisted {
            if app.contains_key(field) {
                app.shift_remove(unlisted);
            }
        }
        // Fields a `required_when` requires, filled in until none is
        // missing (each round may require more).
        for _ in 0..=input.fields.len() {
            let line = serde_json::to_string(&Json::Object(app.clone())).unwrap_or_default();
            let data = crate::engine::json_data(&line)
                .map_err(|m| DecideError::Malformed(vec![Diagnostic::error("json", m)]))?;
            let missing = match crate::engine::input::read_or_required(self.prepared.plan(), &data)
            {
                Some(Ok(read)) => {
                    self.prepared.date(&read)?;
                    return Ok(line);
                }
                Some(Err(missing)) => missing,
                // Read again for the reason.
                None => {
                    self.prepared.read(Application::Data {
                        data: &data,
                        name: "sample",
                    })?;
                    return Err(DecideError::Schema(Vec::new()));
                }
            };
            let mut slots: Vec<Option<Json>> = Vec::new();
            for (name, f) in &input.fields {
                let v = match app.shift_remove(name.as_ref()) {
                    Some(v) => Some(v),
                    None if missing.iter().any(|m| **m == **name) => Some(self.value(name, f)),
                    None => None,
                };
                slots.push(v);
            }
            app = input
                .fields
                .keys()
                .zip(slots)
                .filter_map(|(k, v)| Some((k.to_string(), v?)))
                .collect();
        }
        Err(DecideError::Schema(Vec::new()))
    }

    /// Whether a field, or one inside it, still has values to draw in
    /// turn.
    fn uncovered(&self, path: &str, ft: &FieldType) -> bool {
        let cursor = self.cursors.get(path).copied().unwrap_or(0);
        match &ft.ty {
            Type::Enum(m) => cursor < m.len(),
            Type::List(inner) => matches!(&**inner, Type::Enum(m) if cursor < m.len()),
            Type::Ref(_) => cursor < self.entries(ft).map_or(0, |(_, e)| e.len()),
            Type::Int | Type::Decimal => {
                cursor < 3 * self.model.numbers.get(path).map_or(0, Vec::len)
            }
            Type::Record(r) => r
                .fields
                .iter()
                .any(|(name, f)| self.uncovered(&join(path, name), f)),
            _ => false,
        }
    }

    /// The next value to draw in turn at `path`, if any is left of `len`.
    fn in_turn(&mut self, path: &str, len: usize) -> Option<usize> {
        let cursor = self.cursors.entry(path.to_string()).or_insert(0);
        (*cursor < len).then(|| {
            *cursor += 1;
            *cursor - 1
        })
    }

    fn record(&mut self, r: &RecordType, prefix: &str) -> Json {
        let mut slots: Vec<Option<Json>> = Vec::with_capacity(r.fields.len());
        for (name, f) in &r.fields {
            let path = join(prefix, name);
            let present = !f.optional || self.uncovered(&path, f) || self.rng.chance(PRESENT);
            slots.push(present.then(|| self.value(&path, f)));
        }
        // A reference read within a sibling names the entry's ancestor
        // there, as an application would.
        for (i, (name, f)) in r.fields.iter().enumerate() {
            let (Some(w), Some(Some(_))) = (&f.options.within, slots.get(i)) else {
                continue;
            };
            let (Some(e), Some((wi, _, wf))) = (
                self.chosen.get(&join(prefix, name)).copied(),
                r.fields.get_full(w.as_str()),
            ) else {
                continue;
            };
            let (Type::Ref(cat), Some(kinds)) = (&wf.ty, &wf.options.kinds) else {
                continue;
            };
            let policy = self.prepared.policy();
            let Some(c) = policy.catalogues.iter().find(|c| c.name == **cat) else {
                continue;
            };
            let mut at = c.entries.get(e).and_then(|x| x.parent);
            while let Some(x) = at {
                if kinds.contains(&c.entries[x].kind) {
                    slots[wi] = Some(Json::String(c.entries[x].id.clone()));
                    break;
                }
                at = c.entries[x].parent;
            }
        }
        let members: Map = r
            .fields
            .keys()
            .zip(slots)
            .filter_map(|(k, v)| Some((k.to_string(), v?)))
            .collect();
        Json::Object(members)
    }

    fn value(&mut self, path: &str, ft: &FieldType) -> Json {
        match &ft.ty {
            Type::Int => self.number(path, ft, false),
            Type::Decimal => self.number(path, ft, true),
            Type::Bool => Json::Bool(self.rng.chance(50)),
            Type::String | Type::Any => {
                let name = path.rsplit('.').next().unwrap_or(path);
                Json::String(format!("{name} {}", self.rng.below(1000)))
            }
            Type::Date => Json::String(self.date(path, ft).format("%Y-%m-%d").to_string()),
            Type::DateTime => {
                let d = self.date(path, ft);
                if ft.options.bare_time.is_some() && self.rng.chance(10) {
                    Json::String(d.format("%Y-%m-%d").to_string())
                } else {
                    let t = self.time();
                    Json::String(format!("{}T{}", d.format("%Y-%m-%d"), t.format("%H:%M")))
                }
            }
            Type::Time => Json::String(self.time().format("%H:%M").to_string()),
            Type::Duration => {
                let n = self.rng.below(13);
                let unit = *self.rng.pick(&["day", "month", "year"]).unwrap_or(&"day");
                let s = if n == 1 { "" } else { "s" };
                Json::String(format!("{n} {unit}{s}"))
            }
            Type::Enum(m) => {
                let i = match self.in_turn(path, m.len()) {
                    Some(i) => i,
                    None => self.rng.below(m.len() as u64) as usize,
                };
                m.get(i).map_or(Json::Null, |s| Json::String(s.to_string()))
            }
            Type::List(inner) => match &**inner {
                Type::Enum(m) => {
                    let turn = self.in_turn(path, m.len());
                    let all = self.rng.chance(40);
                    let items = m
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| all || Some(*i) == turn || self.rng.chance(50));
                    let items: Vec<Json> =
                        items.map(|(_, s)| Json::String(s.to_string())).collect();
                    Json::Array(items)
                }
                other => {
                    let each = FieldType {
                        ty: other.clone(),
                        optional: false,
                        options: Default::default(),
                    };
                    let n = self.rng.below(4);
                    Json::Array((0..n).map(|_| self.value(path, &each)).collect())
                }
            },
            Type::Record(r) => self.record(r, path),
            Type::Ref(_) => self.entry(path, ft),
        }
    }

    /// The catalogue a reference field names, and the entries it accepts
    /// (in force on the date asked for, if one was).
    fn entries(&self, ft: &FieldType) -> Option<(usize, Vec<usize>)> {
        let Type::Ref(cat) = &ft.ty else { return None };
        let policy = self.prepared.policy();
        let ci = policy.catalogues.iter().position(|c| c.name == **cat)?;
        let c = &policy.catalogues[ci];
        let kinds = ft.options.kinds.as_deref();
        let entries = (0..c.entries.len())
            .filter(|&e| kinds.is_none_or(|k| k.contains(&c.entries[e].kind)))
            .filter(|&e| self.model.at.is_none_or(|at| c.in_force(e, at)))
            .collect();
        Some((ci, entries))
    }

    fn entry(&mut self, path: &str, ft: &FieldType) -> Json {
        let Some((ci, entries)) = self.entries(ft) else {
            return Json::Null;
        };
        let i = match self.in_turn(path, entries.len()) {
            Some(i) => i,
            None => self.rng.below(entries.len() as u64) as usize,
        };
        let Some(&e) = entries.get(i) else {
            return Json::Null;
        };
        self.chosen.insert(path.to_string(), e);
        let c = &self.prepared.policy().catalogues[ci];
        // Now and then by its official name, where that names it alone.
        let name = c.official_name(e);
        let by_name = self.rng.chance(20)
            && !name.is_empty()
            && c.resolve(name, ft.options.kinds.as_deref(), None) == Ok(e);
        Json::String(if by_name {
            name.to_string()
        } else {
            c.entries[e].id.clone()
        })
    }

    fn number(&mut self, path: &str, ft: &FieldType, decimal: bool) -> Json {
        let step = if decimal {
            Decimal::new(1, 2)
        } else {
            Decimal::ONE
        };
        let mut edges = self.model.numbers.get(path).cloned().unwrap_or_default();
        if !decimal {
            edges = edges.iter().flat_map(|e| [e.floor(), e.ceil()]).collect();
            edges.dedup();
        }
        let min = ft.options.min.as_ref().and_then(value_number);
        let max = ft.options.max.as_ref().and_then(value_number);
        let v = if let Some(k) = self.in_turn(path, 3 * edges.len()) {
            edges[k / 3] + Decimal::from(k as i64 % 3 - 1) * step
        } else if !edges.is_empty() && self.rng.chance(65) {
            let e = *self.rng.pick(&edges).unwrap_or(&Decimal::ZERO);
            e + Decimal::from(self.rng.delta()) * step
        } else {
            let lowest = edges.first().copied().unwrap_or(Decimal::ZERO);
            let highest = edges.last().copied().unwrap_or(Decimal::ZERO);
            let lo = min.unwrap_or(lowest.min(Decimal::ZERO));
            let floor = if decimal {
                Decimal::ONE_THOUSAND
            } else {
                Decimal::TEN
            };
            let hi = max.unwrap_or((highest * Decimal::TWO).max(floor));
            let steps = ((hi - lo) / step).trunc();
            let steps = u64::try_from(steps).unwrap_or(1000).min(1 << 40);
            lo + Decimal::from(self.rng.below(steps + 1)) * step
        };
        let v = min.map_or(v, |m| v.max(m));
        let v = max.map_or(v, |m| v.min(m));
        if decimal {
            Json::decimal(&v.normalize())
        } else {
            Json::Number(v.trunc().normalize().to_string())
        }
    }

    fn date(&mut self, path: &str, ft: &FieldType) -> NaiveDate {
        let d = self.date_in_window(path);
        let d = match &ft.options.min {
            Some(Value::Date(m)) => d.max(*m),
            _ => d,
        };
        let d = match &ft.options.max {
            Some(Value::Date(m)) => d.min(*m),
            _ => d,
        };
        if self.model.anchors.iter().any(|a| a == path) {
            self.anchor.get_or_insert(d);
        }
        d
    }

    /// A date at `path`: for one counted in years to the evaluation date,
    /// often that many years before it, a year and a day either side.
    fn date_in_window(&mut self, path: &str) -> NaiveDate {
        let (lo, hi) = self.model.window;
        if let Some(years) = self.model.years.get(path)
            && self.rng.chance(60)
            && let Some(&k) = self.rng.pick(years)
        {
            let span = (hi - lo).num_days().max(0) as u64;
            let base = self.anchor.unwrap_or_else(|| {
                lo.checked_add_days(Days::new(self.rng.below(span + 1)))
                    .unwrap_or(lo)
            });
            let k = k + self.rng.delta();
            let back = u32::try_from(k.clamp(0, 200) * 12).unwrap_or(0);
            let d = base
                .checked_sub_months(chrono::Months::new(back))
                .unwrap_or(base);
            let d = match self.rng.delta() {
                -1 => d.pred_opt().unwrap_or(d),
                1 => d.succ_opt().unwrap_or(d),
                _ => d,
            };
            return d;
        }
        let d = match self
            .rng
            .chance(45)
            .then(|| self.rng.pick(&self.model.dates).copied())
        {
            Some(Some(d)) => {
                let delta = self.rng.delta();
                match delta {
                    -1 => d.pred_opt().unwrap_or(d),
                    1 => d.succ_opt().unwrap_or(d),
                    _ => d,
                }
            }
            _ => {
                let span = (hi - lo).num_days().max(0) as u64;
                lo.checked_add_days(Days::new(self.rng.below(span + 1)))
                    .unwrap_or(lo)
            }
        };
        d.clamp(lo, hi)
    }

    /// A time of day: often a minute either side of a time the policy
    /// compares with, else mostly within working hours.
    fn time(&mut self) -> NaiveTime {
        if self.rng.chance(40)
            && let Some(t) = self.rng.pick(&self.model.times).copied()
        {
            let minutes = t.hour() as i64 * 60 + t.minute() as i64 + self.rng.delta();
            let minutes = minutes.clamp(0, 24 * 60 - 1) as u32;
            return NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap_or(t);
        }
        let hour = if self.rng.chance(70) {
            8 + self.rng.below(12)
        } else {
            self.rng.below(24)
        } as u32;
        let minute = self.rng.below(60) as u32;
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_splitmix64() {
        // The first outputs for seed 1234567 of the reference C code.
        let mut r = Rng(1_234_567);
        assert_eq!(r.next(), 6_457_827_717_110_365_317);
        assert_eq!(r.next(), 3_203_168_211_198_807_973);
        let mut r = Rng(0);
        assert!((0..1000).all(|_| r.below(7) < 7));
        assert_eq!(Rng(5).below(0), 0);
    }
}
