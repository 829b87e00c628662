//! What a change of a policy does to a corpus of applications, reported
//! as text, JSON or a self-contained HTML page (its words in a language).

use std::fmt::Write as _;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::core::diag::Diagnostic;
use crate::core::locale::Locale;
use crate::engine::batch::InputFormat;
use crate::engine::impact::{self, ERROR, Impact, Moves, bucket_label};
use crate::policy::Policy;
use crate::report::dates::parse_date;
use crate::report::failure::{Exit, Failure};

/// A side of the comparison, as shown.
pub struct Side {
    pub policy: String,
    pub at: NaiveDate,
    pub edition: String,
}

/// A date or an edition's id (`policy@act`, or `act` alone) of `policy`,
/// in force.
pub fn resolve(policy: &Policy, s: &str) -> Result<NaiveDate, Failure> {
    let eds = super::editions::editions(policy);
    let named = eds
        .iter()
        .find(|e| e.id == s || e.id.rsplit_once('@').is_some_and(|(_, act)| act == s));
    let at = match named {
        Some(e) => e.from,
        None if s.contains('@')
            || crate::core::value::parse_date(s.trim()).is_none() && s.trim() != "today" =>
        {
            let ids: Vec<&str> = eds.iter().map(|e| e.id.as_str()).collect();
            return Err(Failure::new(
                Exit::Usage,
                vec![
                    Diagnostic::error(
                        "usage",
                        format!(
                            "`{s}` is neither a date (YYYY-MM-DD) nor an edition of {}",
                            policy.meta.id
                        ),
                    )
                    .help(format!("the editions are {}", ids.join(", "))),
                ],
            ));
        }
        None => parse_date(s)?,
    };
    let at = crate::report::dates::in_force_on(policy, at)?;
    Ok(at)
}

pub fn edition_on(policy: &Policy, at: NaiveDate) -> String {
    super::editions::editions(policy)
        .into_iter()
        .rfind(|e| e.from <= at)
        .map(|e| e.id)
        .unwrap_or_else(|| policy.meta.id.clone())
}

/// The report of what deciding `input` at `from` rather than at `to` (each
/// a date or an edition) under one plan changes, as its HTML page: what
/// `impact --format html` writes, for a caller other than the command line.
pub fn html_report(
    plan: &crate::engine::Plan,
    params: Vec<crate::engine::Setting>,
    [from, to]: [&str; 2],
    input: impl std::io::BufRead,
    format: InputFormat,
    jobs: usize,
    lang: &str,
) -> Result<String, Failure> {
    let policy = plan.policy();
    let (from, to) = (resolve(policy, from)?, resolve(policy, to)?);
    let mut request = crate::engine::Request {
        at: crate::engine::At::On(from),
        params,
        trace: false,
    };
    let old = plan.prepare(&request)?;
    request.at = crate::engine::At::On(to);
    let new = plan.prepare(&request)?;
    let cfg = impact::Config {
        old: &old,
        new: &new,
        jobs: jobs.max(1),
        examples: 3,
        own_plans: false,
        stop: None,
    };
    let imp = impact::run(&cfg, input, format).map_err(|e| {
        Failure::new(
            Exit::Malformed,
            vec![Diagnostic::error(
                "input",
                format!(
                    "cannot read the applications: {}",
                    crate::core::files::io_reason(&e)
                ),
            )],
        )
    })?;
    let side = |at: NaiveDate| Side {
        policy: policy.meta.id.clone(),
        at,
        edition: edition_on(policy, at),
    };
    Ok(html(&imp, &[side(from), side(to)], None, lang))
}

fn signed(d: Decimal) -> String {
    if d.is_sign_negative() || d.is_zero() {
        d.normalize().to_string()
    } else {
        format!("+{}", d.normalize())
    }
}

/// How often a measure moved, appeared and vanished, and by how much.
fn counts(m: &Moves) -> String {
    counts_in(m, crate::core::locale::english())
}

/// How many moved, appeared and vanished, in the words of `loc`.
fn counts_in(m: &Moves, loc: &Locale) -> String {
    let mut parts = Vec::new();
    if m.both > 0 {
        let unit = match (m.in_days, m.moved) {
            (0, _) => String::new(),
            (d, n) if d == n => loc.text("impact.in_days").to_string(),
            _ => loc.text("impact.in_days_or_numbers").to_string(),
        };
        let mut p = loc.fill(
            "impact.moved_in",
            &[
                ("moved", &m.moved.to_string()),
                ("both", &m.both.to_string()),
                ("unit", &unit),
            ],
        );
        if let (Some(lo), Some(hi)) = (m.min, m.max) {
            p += &loc.fill(
                "impact.min_max",
                &[("min", &signed(lo)), ("max", &signed(hi))],
            );
        }
        if let Some(mean) = m.mean() {
            p += &loc.fill("impact.mean", &[("mean", &signed(mean))]);
        }
        parts.push(p);
    }
    if m.appeared > 0 {
        parts.push(loc.fill("impact.appeared", &[("n", &m.appeared.to_string())]));
    }
    if m.vanished > 0 {
        parts.push(loc.fill("impact.vanished", &[("n", &m.vanished.to_string())]));
    }
    parts.join("; ")
}

/// The measures that changed somewhere: moved, appeared or vanished.
fn moved(imp: &Impact) -> impl Iterator<Item = &Moves> {
    imp.moves
        .iter()
        .filter(|m| m.moved + m.appeared + m.vanished > 0)
}

fn header(imp: &Impact, sides: &[Side; 2], with: Option<&str>) -> String {
    header_in(imp, sides, with, crate::core::locale::english())
}

/// The report's first line, in the words of `loc`.
fn header_in(imp: &Impact, sides: &[Side; 2], with: Option<&str>, loc: &Locale) -> String {
    let [a, b] = sides;
    let mut s = loc.fill(
        "impact.of",
        &[
            ("old_policy", &a.policy),
            ("old_at", &a.at.to_string()),
            ("old_edition", &a.edition),
            ("new_policy", &b.policy),
            ("new_at", &b.at.to_string()),
            ("new_edition", &b.edition),
        ],
    );
    if let Some(w) = with {
        s += &loc.fill("impact.from_folder", &[("folder", w)]);
    }
    s += &loc.fill(
        "impact.totals",
        &[
            ("total", &imp.total.to_string()),
            ("unchanged", &imp.unchanged.to_string()),
            (
                "changed",
                &(imp.total - imp.unchanged - imp.errors).to_string(),
            ),
            ("errors", &imp.errors.to_string()),
        ],
    );
    if imp.interrupted {
        s += loc.text("impact.interrupted");
    }
    s
}

/// The report as text.
pub fn text(imp: &Impact, sides: &[Side; 2], with: Option<&str>) -> String {
    let mut s = header(imp, sides, with);
    s += "\n\ndecisions at each outcome: rows old, columns new\n";
    let names = &imp.outcomes;
    let w0 = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(3);
    let widths: Vec<usize> = names
        .iter()
        .map(|n| {
            let most = imp.transitions.values().map(|t| t.count).max().unwrap_or(0);
            n.chars().count().max(most.to_string().len())
        })
        .collect();
    let _ = write!(s, "  {:w0$}", "");
    for (n, w) in names.iter().zip(&widths) {
        let _ = write!(s, "  {n:>w$}");
    }
    s += "\n";
    for a in names {
        let _ = write!(s, "  {a:w0$}");
        for (b, w) in names.iter().zip(&widths) {
            let n = imp
                .transitions
                .get(&(a.clone(), b.clone()))
                .map_or(0, |t| t.count);
            let cell = if n == 0 {
                ".".to_string()
            } else {
                n.to_string()
            };
            let _ = write!(s, "  {cell:>w$}");
        }
        s += "\n";
    }
    s += "\ntransitions\n";
    for ((a, b), t) in &imp.transitions {
        if a == b && t.changed == 0 {
            continue;
        }
        if a == b && a != ERROR {
            let _ = writeln!(s, "  {a} (otherwise changed): {} of {}", t.changed, t.count);
        } else {
            let _ = writeln!(s, "  {a} -> {b}: {}", t.count);
        }
        for (r, (g, l)) in &t.reasons {
            let _ = writeln!(s, "    reason {r}: gained {g}, lost {l}");
        }
    }
    s += "\nreasons gained and lost\n";
    if imp.reasons.is_empty() {
        s += "  none\n";
    }
    for (r, (g, l)) in &imp.reasons {
        let _ = writeln!(s, "  {r}: gained {g}, lost {l}");
    }
    s += "\ndates and numbers that moved\n";
    let mut any = false;
    for m in moved(imp) {
        any = true;
        let _ = write!(s, "  {}: {}", m.name, counts(m));
        s += "\n";
        let most = m.buckets.values().copied().max().unwrap_or(0);
        for (k, n) in &m.buckets {
            let bar = (n * 30).div_ceil(most.max(1)) as usize;
            let _ = writeln!(
                s,
                "    {:>12}  {:<30}  {n}",
                bucket_label(*k),
                "#".repeat(bar)
            );
        }
    }
    if !any {
        s += "  none\n";
    }
    s += "\nexamples\n";
    let mut any = false;
    for ((a, b), t) in &imp.transitions {
        if t.examples.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(s, "  {a} -> {b}:");
        for e in &t.examples {
            let _ = writeln!(s, "    line {}: {}", e.line, e.text);
            if !e.changes.is_empty() {
                let _ = writeln!(s, "      {}", e.changes.join(", "));
            }
            for (side, what) in [("old", &e.old), ("new", &e.new)] {
                if what.starts_with(ERROR) {
                    let _ = writeln!(s, "      {side}: {what}");
                }
            }
        }
    }
    if !any {
        s += "  none\n";
    }
    s
}

fn dec(d: Decimal) -> serde_json::Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap_or(serde_json::Value::Null)
}

/// The report as JSON.
pub fn json(imp: &Impact, sides: &[Side; 2], with: Option<&str>) -> serde_json::Value {
    use serde_json::json;
    let side = |s: &Side| json!({"policy": s.policy, "at": s.at.to_string(), "edition": s.edition});
    let transitions: Vec<_> = imp
        .transitions
        .iter()
        .map(|((a, b), t)| {
            let reasons: serde_json::Map<_, _> = t
                .reasons
                .iter()
                .map(|(r, (g, l))| (r.clone(), json!({"gained": g, "lost": l})))
                .collect();
            json!({
                "from": a, "to": b, "count": t.count, "changed": t.changed,
                "reasons": reasons,
                "examples": t.examples.iter().map(|e| json!({
                    "line": e.line, "application": e.text, "old": e.old, "new": e.new,
                    "changes": e.changes,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let reasons: serde_json::Map<_, _> = imp
        .reasons
        .iter()
        .map(|(r, (g, l))| (r.clone(), json!({"gained": g, "lost": l})))
        .collect();
    let moves: Vec<_> = imp
        .moves
        .iter()
        .filter(|m| m.both + m.appeared + m.vanished > 0)
        .map(|m| {
            json!({
                "name": m.name, "compared": m.both, "moved": m.moved, "in_days": m.in_days,
                "appeared": m.appeared, "vanished": m.vanished,
                "min": m.min.map(dec), "max": m.max.map(dec), "mean": m.mean().map(dec),
                "buckets": m.buckets.iter().map(|(k, n)| json!({"delta": bucket_label(*k), "count": n})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "old": side(&sides[0]),
        "new": side(&sides[1]),
        "with": with,
        "total": imp.total,
        "unchanged": imp.unchanged,
        "changed": imp.total - imp.unchanged - imp.errors,
        "errors": imp.errors,
        "interrupted": imp.interrupted,
        "outcomes": imp.outcomes,
        "transitions": transitions,
        "reasons": reasons,
        "moves": moves,
    })
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o += "&lt;",
            '>' => o += "&gt;",
            '&' => o += "&amp;",
            '"' => o += "&quot;",
            '\'' => o += "&#39;",
            c => o.push(c),
        }
    }
    o
}

/// A bar chart of a histogram as inline SVG.
fn chart(m: &Moves) -> String {
    let n = m.buckets.len().max(1);
    let (bw, h, top, bottom) = (56usize, 140usize, 18usize, 22usize);
    let width = n * bw + 20;
    let most = m.buckets.values().copied().max().unwrap_or(1).max(1);
    let mut s = format!(
        "<svg width=\"{width}\" height=\"{}\" role=\"img\" aria-label=\"{}\">",
        h + top + bottom,
        esc(&m.name)
    );
    for (i, (k, c)) in m.buckets.iter().enumerate() {
        let bh = (*c as usize * h).div_ceil(most as usize);
        let x = 10 + i * bw;
        let y = top + h - bh;
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{bh}\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{c}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x + 4,
            bw - 8,
            if *k < 0 { "#3b7dd8" } else { "#d8703b" },
            x + bw / 2,
            y.saturating_sub(4).max(12),
            x + bw / 2,
            top + h + 16,
            esc(&bucket_label(*k))
        );
    }
    s += "</svg>";
    s
}

/// The report as a self-contained HTML page: no script, no link out.
pub fn html(imp: &Impact, sides: &[Side; 2], with: Option<&str>, lang: &str) -> String {
    let loc = crate::core::locale::or_english(lang);
    let t = |k: &str| esc(loc.text(k));
    let mut s = format!("<!DOCTYPE html>\n<html lang=\"{}\">\n", esc(lang));
    s += &String::from(
        "<head>\n<meta charset=\"utf-8\">\n<title>qagida impact</title>\n<style>\n\
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:70em}\n\
table{border-collapse:collapse;margin:.5em 0 1.5em}\n\
th,td{border:1px solid #bbb;padding:.3em .6em;text-align:right}\n\
th{background:#f3f3f3}\n\
td.same{outline:2px solid #888;outline-offset:-3px}\n\
svg text{font-size:11px;fill:#222}\n\
pre{background:#f6f6f6;padding:.4em;white-space:pre-wrap;word-break:break-all}\n\
.note{color:#555}\n\
</style>\n</head>\n<body>\n",
    );
    let _ = writeln!(
        s,
        "<h1>{}</h1>\n<p>{}</p>",
        t("impact.title"),
        esc(&header_in(imp, sides, with, loc))
    );
    let _ = write!(
        s,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table>\n<tr><th>{}</th>",
        t("impact.matrix"),
        t("impact.matrix_note"),
        t("impact.old_new")
    );
    for n in &imp.outcomes {
        let _ = write!(s, "<th>{}</th>", esc(n));
    }
    s += "</tr>\n";
    let most = imp
        .transitions
        .values()
        .map(|t| t.count)
        .max()
        .unwrap_or(1)
        .max(1);
    for a in &imp.outcomes {
        let _ = write!(s, "<tr><th>{}</th>", esc(a));
        for b in &imp.outcomes {
            let n = imp
                .transitions
                .get(&(a.clone(), b.clone()))
                .map_or(0, |t| t.count);
            let alpha = if n == 0 { 0 } else { 10 + n * 80 / most };
            let class = if a == b { " class=\"same\"" } else { "" };
            let _ = write!(
                s,
                "<td{class} style=\"background:rgba(216,112,59,0.{alpha:02})\">{n}</td>"
            );
        }
        s += "</tr>\n";
    }
    let _ = writeln!(s, "</table>\n<h2>{}</h2>", t("impact.reasons"));
    if imp.reasons.is_empty() {
        let _ = writeln!(s, "<p>{}</p>", t("impact.none"));
    } else {
        let _ = writeln!(
            s,
            "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
            t("impact.reason"),
            t("impact.gained"),
            t("impact.lost")
        );
        for (r, (g, l)) in &imp.reasons {
            let _ = writeln!(s, "<tr><th>{}</th><td>{g}</td><td>{l}</td></tr>", esc(r));
        }
        s += "</table>\n";
    }
    let _ = writeln!(s, "<h2>{}</h2>", t("impact.moved"));
    let mut any = false;
    for m in moved(imp) {
        any = true;
        let _ = write!(
            s,
            "<h3>{}</h3>\n<p>{}",
            esc(&m.name),
            esc(&counts_in(m, loc))
        );
        s += ".</p>\n";
        if !m.buckets.is_empty() {
            s += &chart(m);
            s += "\n";
        }
    }
    if !any {
        let _ = writeln!(s, "<p>{}</p>", t("impact.none"));
    }
    let _ = writeln!(s, "<h2>{}</h2>", t("impact.examples"));
    for ((a, b), t) in &imp.transitions {
        if t.examples.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<h3>{} &rarr; {} ({})</h3>",
            esc(a),
            esc(b),
            esc(&loc.fill(
                "impact.k_of_n",
                &[
                    ("k", &t.examples.len().to_string()),
                    ("n", &(if a == b { t.changed } else { t.count }).to_string())
                ]
            ))
        );
        for e in &t.examples {
            let _ = writeln!(
                s,
                "<p>{}: {} &rarr; {}{}</p>\n<pre>{}</pre>",
                esc(&loc.fill("impact.line", &[("line", &e.line.to_string())])),
                esc(&e.old),
                esc(&e.new),
                if e.changes.is_empty() {
                    String::new()
                } else {
                    format!("; {}", esc(&e.changes.join(", ")))
                },
                esc(&e.text)
            );
        }
    }
    s += "</body>\n</html>\n";
    s
}
