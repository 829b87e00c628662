//! Lint: findings that do not stop a policy from loading but that a legal
//! editor should see — gaps in the act (a parameter the rules need that
//! the act gives no value), range tables with gaps or overlaps, parameters
//! never used, reasons never given, labels missing in a language.

use std::collections::BTreeSet;

use crate::core::diag::Diagnostic;
use crate::core::value::Value;
use crate::lang::ast::{BinOp, Cell, Literal};
use crate::policy::{Info, Policy};

fn warn(code: &'static str, msg: String, info: &Info) -> Diagnostic {
    Diagnostic::warning(code, msg).at(info.loc.clone())
}

/// Every lint finding for `policy`, in the order of its declarations.
pub fn lint(policy: &Policy) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Names every expression reads.
    let mut read: BTreeSet<String> = BTreeSet::new();
    let mut codes: Vec<&crate::policy::Code> = policy.values.iter().map(|v| &v.code).collect();
    codes.extend(policy.values.iter().filter_map(|v| v.when.as_ref()));
    for r in policy.decision.iter().flat_map(|d| &d.rules) {
        codes.extend(r.when.iter());
        codes.extend(r.reasons.iter().map(|x| &x.when));
    }
    codes.extend(policy.warnings.iter().map(|w| &w.when));
    codes.extend(policy.evaluation_date.iter());
    codes.extend(
        policy
            .forms
            .iter()
            .flat_map(|f| f.fields.iter().filter_map(|x| x.expr.as_ref())),
    );
    codes.extend(policy.functions.iter().map(|f| &f.code));
    // The package's functions some expression calls.
    let mut called: BTreeSet<usize> = BTreeSet::new();
    for c in &codes {
        c.expr.walk(&mut |e| {
            if let crate::lang::ast::ExprKind::Call(call) = &e.kind
                && let Some(u) = call.user
            {
                called.insert(u);
            }
        });
    }
    for (i, f) in policy.functions.iter().enumerate() {
        if !called.contains(&i) {
            out.push(warn(
                "unused",
                format!("function `{}` is never called", f.name),
                &f.info,
            ));
        }
    }
    for c in codes {
        for p in &c.refs {
            read.insert(p.split('.').next().unwrap_or_default().to_string());
        }
    }
    for (name, p) in &policy.params {
        if !read.contains(name) {
            out.push(warn(
                "unused",
                format!("parameter `{name}` is never used"),
                &p.info,
            ));
        } else if p.values.iter().any(|(_, v)| v.is_none()) {
            out.push(
                warn(
                    "gap-in-act",
                    format!("parameter `{name}` has no value in the act, and the rules depend on it: decisions that need it stay undetermined until it is supplied"),
                    &p.info,
                )
                .help(format!("supply it with --param {name}=VALUE or an overlay")),
            );
        }
    }
    let given: BTreeSet<&str> = policy
        .decision
        .iter()
        .flat_map(|d| &d.rules)
        .flat_map(|r| r.reasons.iter().map(|x| x.id.as_str()))
        .collect();
    for (id, info) in &policy.reasons {
        if !given.contains(id.as_str()) {
            out.push(warn(
                "unused",
                format!("reason `{id}` is never given by a rule"),
                info,
            ));
        }
    }
    for t in &policy.tables {
        out.extend(dated_ranges(policy, t));
    }
    // Rules that can never decide: after one that always holds, or with a
    // condition that is literally false.
    let literal = |c: &Option<crate::policy::Code>, b: bool| {
        c.as_ref()
            .is_some_and(|c| c.expr.kind == crate::lang::ast::ExprKind::Lit(Literal::Bool(b)))
    };
    let mut always: Option<&str> = None;
    for r in policy.decision.iter().flat_map(|d| &d.rules) {
        if let Some(first) = always {
            out.push(warn(
                "unreachable",
                format!(
                    "rule `{}` is never reached: rule `{first}` always holds before it",
                    r.id
                ),
                &r.info,
            ));
        } else if literal(&r.when, false) {
            out.push(warn(
                "unreachable",
                format!("rule `{}` never applies: its condition is `false`", r.id),
                &r.info,
            ));
        }
        if r.reasons.is_empty()
            && literal(&r.when, true)
            && r.info.from.is_none()
            && r.info.until.is_none()
        {
            always = always.or(Some(r.id.as_str()));
        }
    }
    // Input fields the act does not ground.
    for (path, info) in &policy.fields {
        if info.cite.trim().is_empty() && !path.contains('.') {
            out.push(warn(
                "citation",
                format!("input field `{path}` cites no provision of the act"),
                info,
            ));
        }
    }
    out.extend(untranslated_cites(policy));
    // Labels: every label given should have every language of the package.
    let langs = &policy.meta.languages;
    let mut labelled: Vec<(&str, &Info)> = Vec::new();
    labelled.extend(policy.params.iter().map(|(n, p)| (n.as_str(), &p.info)));
    labelled.extend(policy.values.iter().map(|v| (v.name.as_str(), &v.info)));
    labelled.extend(policy.reasons.iter().map(|(n, i)| (n.as_str(), i)));
    labelled.extend(policy.tables.iter().map(|t| (t.name.as_str(), &t.info)));
    for (name, info) in labelled {
        if info.label.is_empty() {
            continue;
        }
        let missing: Vec<&str> = langs
            .iter()
            .filter(|l| !info.label.contains_key(*l))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            out.push(warn(
                "label",
                format!(
                    "the label of `{name}` has no {} wording",
                    missing.join(", ")
                ),
                info,
            ));
        }
    }
    out
}

/// Every item's information, for the checks that read all citations.
fn infos(policy: &Policy) -> Vec<&Info> {
    let mut all: Vec<&Info> = Vec::new();
    all.extend(policy.fields.values());
    all.extend(policy.params.values().map(|p| &p.info));
    for t in &policy.tables {
        all.push(&t.info);
        all.extend(t.rows.iter().map(|r| &r.info));
    }
    for v in &policy.values {
        all.push(&v.info);
        all.extend(v.options.iter().map(|o| &o.info));
    }
    all.extend(policy.functions.iter().map(|f| &f.info));
    all.extend(policy.reasons.values());
    for d in policy.decision.iter() {
        all.push(&d.info);
        for r in &d.rules {
            all.push(&r.info);
            all.extend(r.reasons.iter().map(|x| &x.info));
        }
    }
    for c in &policy.catalogues {
        all.push(&c.info);
        all.extend(c.entries.iter().map(|e| &e.info));
    }
    all.extend(policy.history.acts.iter().map(|a| &a.info));
    all.extend(policy.history.provisions.values().map(|p| &p.info));
    all.extend(policy.warnings.iter().map(|w| &w.info));
    all.extend(policy.forms.iter().map(|f| &f.info));
    all
}

/// Citations that some language of the package would read as written,
/// since the `citations` section has no term for a word of them: one
/// finding per citation and language, at its first use.
fn untranslated_cites(policy: &Policy) -> Vec<Diagnostic> {
    let Some(c) = &policy.citations else {
        return Vec::new();
    };
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut out = Vec::new();
    for info in infos(policy) {
        let cite = info.cite.trim();
        if cite.is_empty() {
            continue;
        }
        for lang in policy.meta.languages.iter().filter(|l| **l != c.language) {
            if !seen.insert((cite, lang.as_str())) {
                continue;
            }
            if let Err(words) = c.translate(cite, lang) {
                let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
                out.push(
                    warn(
                        "citation",
                        format!(
                            "citation `{cite}` is shown in {lang} as written: `citations` has no {lang} wording for {}",
                            words.join(", ")
                        ),
                        info,
                    )
                    .help(format!(
                        "add a term for {} to `citations.terms`, with its {lang} wording",
                        words.join(", ")
                    )),
                );
            }
        }
    }
    out
}

/// Gaps and overlaps of a table's ranges among the rows in force together
/// (see [`ranges`] and [`member_ranges`]), a table's periods without any
/// row in force, and rows never in force while the table and the act are.
/// Rows of different periods never overlap: where the rows in force change
/// over time, each finding names the periods it holds in, unless it holds
/// in all.
fn dated_ranges(policy: &Policy, t: &crate::policy::Table) -> Vec<Diagnostic> {
    use crate::policy::HitPolicy;
    let all: Vec<usize> = (0..t.rows.len()).collect();
    // The table's period within the act's.
    let start = t.info.from.map_or(policy.meta.in_force_from, |f| {
        f.max(policy.meta.in_force_from)
    });
    let end = match (t.info.until, policy.meta.in_force_until) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if end.is_some_and(|e| start >= e) {
        let msg = format!("table `{}` is never in force while the act is", t.name);
        return vec![warn("unreachable", msg, &t.info)];
    }
    let dated = t
        .rows
        .iter()
        .any(|r| r.info.from.is_some() || r.info.until.is_some());
    if !dated {
        let mut out = ranges(t, &all);
        out.extend(member_ranges(t, &all));
        return out;
    }
    let mut out = Vec::new();
    let within = |d: chrono::NaiveDate| d > start && end.is_none_or(|e| d < e);
    // The dates the rows in force change on, and the rows in force from
    // each, merged where they stay the same.
    let mut bounds: BTreeSet<chrono::NaiveDate> = BTreeSet::from([start]);
    for r in &t.rows {
        let dates = r.info.from.iter().chain(r.info.until.iter());
        bounds.extend(dates.copied().filter(|d| within(*d)));
    }
    let bounds: Vec<chrono::NaiveDate> = bounds.into_iter().collect();
    let mut periods: Vec<(chrono::NaiveDate, Option<chrono::NaiveDate>, Vec<usize>)> = Vec::new();
    for (i, &from) in bounds.iter().enumerate() {
        let until = bounds.get(i + 1).copied().or(end);
        let rows: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&r| t.rows[r].info.exists(from))
            .collect();
        match periods.last_mut() {
            Some(last) if last.2 == rows => last.1 = until,
            _ => periods.push((from, until, rows)),
        }
    }
    for (i, r) in t.rows.iter().enumerate() {
        if !periods.iter().any(|p| p.2.contains(&i)) {
            out.push(warn(
                "unreachable",
                format!(
                    "row {} of table `{}` is never in force while the table and the act are",
                    i + 1,
                    t.name
                ),
                &r.info,
            ));
        }
    }
    let text = |from: chrono::NaiveDate, until: Option<chrono::NaiveDate>| match until {
        Some(u) => format!("from {from}, before {u}"),
        None => format!("from {from}"),
    };
    // Each finding with the periods it holds in, in the order first found.
    let mut found: Vec<(Diagnostic, Vec<String>)> = Vec::new();
    let needs_row = matches!(t.hit, HitPolicy::Unique | HitPolicy::Any | HitPolicy::First);
    for (from, until, rows) in &periods {
        let mut here = ranges(t, rows);
        here.extend(member_ranges(t, rows));
        if rows.is_empty() && needs_row && t.default.is_none() {
            here.push(warn(
                "range-gap",
                format!("table `{}` has no row in force", t.name),
                &t.info,
            ));
        }
        for d in here {
            let when = text(*from, *until);
            match found.iter_mut().find(|(x, _)| x.message == d.message) {
                Some((_, whens)) => whens.push(when),
                None => found.push((d, vec![when])),
            }
        }
    }
    for (mut d, whens) in found {
        if whens.len() < periods.len() {
            d.message = format!("{} ({})", d.message, whens.join("; "));
        }
        out.push(d);
    }
    out
}

/// Gaps and overlaps of a table whose only column is an enumeration, with
/// a range cell (`[a1, b1)`, `>= b1`) in it: the members no row covers,
/// where no match is an error (no default, one result), and the members
/// two rows of a `unique` table (or of an `any` table, with different
/// results) both cover, among its rows `rows`.
fn member_ranges(t: &crate::policy::Table, rows: &[usize]) -> Vec<Diagnostic> {
    use crate::policy::HitPolicy;
    let mut out = Vec::new();
    let [(_, crate::lang::types::Type::Enum(members))] = t.columns.as_slice() else {
        return out;
    };
    let in_force: Vec<&crate::policy::Row> = rows.iter().map(|&i| &t.rows[i]).collect();
    let ranged = |c: &Cell| match c {
        Cell::Interval { .. } => true,
        Cell::Compare(op, _) => matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge),
        Cell::Any | Cell::OneOf(_) => false,
    };
    if !in_force.iter().any(|r| r.cells.first().is_some_and(ranged)) {
        return out;
    }
    let place = |l: &Literal| match l {
        Literal::Str(s) => members.iter().position(|m| **m == **s),
        _ => None,
    };
    // The members each row covers, by place.
    let covers: Vec<Vec<bool>> = in_force
        .iter()
        .map(|r| {
            (0..members.len())
                .map(|i| match r.cells.first() {
                    None | Some(Cell::Any) => true,
                    Some(Cell::OneOf(ls)) => ls.iter().any(|l| place(l) == Some(i)),
                    Some(Cell::Compare(op, l)) => place(l).is_some_and(|p| match op {
                        BinOp::Lt => i < p,
                        BinOp::Le => i <= p,
                        BinOp::Gt => i > p,
                        BinOp::Ge => i >= p,
                        BinOp::Ne => i != p,
                        _ => i == p,
                    }),
                    Some(Cell::Interval { lower, upper }) => {
                        let above = lower.as_ref().is_none_or(|(l, inc)| {
                            place(l).is_some_and(|p| i > p || (*inc && i == p))
                        });
                        let below = upper.as_ref().is_none_or(|(u, inc)| {
                            place(u).is_some_and(|p| i < p || (*inc && i == p))
                        });
                        above && below
                    }
                })
                .collect()
        })
        .collect();
    let one_result = matches!(t.hit, HitPolicy::Unique | HitPolicy::Any | HitPolicy::First);
    if one_result && t.default.is_none() {
        let bare: Vec<&str> = (0..members.len())
            .filter(|i| !covers.iter().any(|c| c[*i]))
            .map(|i| &*members[i])
            .collect();
        if !bare.is_empty() {
            out.push(warn(
                "range-gap",
                format!("table `{}` covers no row for {}", t.name, bare.join(", ")),
                &t.info,
            ));
        }
    }
    if matches!(t.hit, HitPolicy::Unique | HitPolicy::Any) {
        for a in 0..in_force.len() {
            for b in a + 1..in_force.len() {
                // Rows of `any` may share members when they agree; rows that
                // compute their results cannot be told to agree.
                let (x, y) = (in_force[a], in_force[b]);
                let agree = x.then_code.is_none() && y.then_code.is_none() && x.then == y.then;
                if t.hit == HitPolicy::Any && agree {
                    continue;
                }
                let shared: Vec<&str> = (0..members.len())
                    .filter(|i| covers[a][*i] && covers[b][*i])
                    .map(|i| &*members[i])
                    .collect();
                if !shared.is_empty() {
                    out.push(warn(
                        "range-overlap",
                        format!(
                            "in table `{}`, rows {} and {} overlap at {}",
                            t.name,
                            rows[a] + 1,
                            rows[b] + 1,
                            shared.join(", ")
                        ),
                        &t.info,
                    ));
                }
            }
        }
    }
    out
}

/// Gaps and overlaps of a table whose only column is a number, with
/// interval or comparison cells, among its rows `rows`.
fn ranges(t: &crate::policy::Table, rows: &[usize]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if t.columns.len() != 1 || !t.columns[0].1.is_numeric() {
        return out;
    }
    // Each row as (lower, lower inclusive, upper, upper inclusive); None is open.
    type B = Option<(rust_decimal::Decimal, bool)>;
    let num = |l: &Literal| match Value::from_literal(l) {
        Value::Int(n) => Some(rust_decimal::Decimal::from(n)),
        Value::Decimal(d) => Some(d),
        _ => None,
    };
    let mut spans: Vec<(B, B, usize)> = Vec::new();
    for &i in rows {
        let r = &t.rows[i];
        let (lo, hi) = match &r.cells[0] {
            Cell::Any => (None, None),
            Cell::Interval { lower, upper } => (
                lower
                    .as_ref()
                    .and_then(|(l, inc)| num(l).map(|n| (n, *inc))),
                upper
                    .as_ref()
                    .and_then(|(u, inc)| num(u).map(|n| (n, *inc))),
            ),
            Cell::Compare(op, l) => match (op, num(l)) {
                (BinOp::Lt, Some(n)) => (None, Some((n, false))),
                (BinOp::Le, Some(n)) => (None, Some((n, true))),
                (BinOp::Gt, Some(n)) => (Some((n, false)), None),
                (BinOp::Ge, Some(n)) => (Some((n, true)), None),
                _ => return out,
            },
            Cell::OneOf(_) => return out,
        };
        spans.push((lo, hi, i));
    }
    if t.hit == crate::policy::HitPolicy::First
        || spans.iter().any(|s| s.0.is_none() && s.1.is_none())
    {
        return out;
    }
    spans.sort_by(|a, b| {
        let k = |s: &(B, B, usize)| s.0.map(|(n, inc)| (n, !inc));
        match (k(a), k(b)) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Less,
            (_, None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y),
        }
    });
    for w in spans.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let (Some((hi, hi_inc)), Some((lo, lo_inc))) = (a.1, b.0) else {
            continue;
        };
        let rows = format!("rows {} and {}", a.2 + 1, b.2 + 1);
        if hi < lo || (hi == lo && !hi_inc && !lo_inc) {
            let what = if hi == lo {
                format!("exactly {hi}")
            } else {
                format!("values between {hi} and {lo}")
            };
            out.push(warn(
                "range-gap",
                format!("table `{}` covers no row for {what} ({rows})", t.name),
                &t.info,
            ));
        } else if hi > lo || (hi == lo && hi_inc && lo_inc) {
            out.push(warn(
                "range-overlap",
                format!("in table `{}`, {rows} overlap at {lo}", t.name),
                &t.info,
            ));
        }
    }
    if t.default.is_none() {
        if spans.first().is_some_and(|s| s.0.is_some()) {
            out.push(warn(
                "range-gap",
                format!("table `{}` covers nothing below its first row", t.name),
                &t.info,
            ));
        }
        if spans.last().is_some_and(|s| s.1.is_some()) {
            out.push(warn(
                "range-gap",
                format!("table `{}` covers nothing above its last row", t.name),
                &t.info,
            ));
        }
    }
    out
}
