//! The JSON contract of a decision, as `eval --format json` prints it and
//! each line of `batch` carries it: the decision's own members in a fixed
//! order, then the policy's report keys, then the warnings and the computed
//! values. It is written straight into bytes, without building a tree of
//! JSON values first, since a batch writes it a million times.

use crate::core::json::Json;
use crate::core::value::Value;
use crate::engine::eval::{Evaluation, Reported};
use crate::engine::plan::Plan;

/// The members of a decision's JSON object (and of a batch's line) that
/// the contract itself defines: the keys a policy's report may not use.
pub use crate::policy::RESERVED_REPORT_KEYS as MEMBERS;

/// The decision as one line of compact JSON, without a line break.
pub fn to_vec(plan: &Plan, r: &Evaluation) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    out.push(b'{');
    write_members(plan, r, &mut out);
    out.push(b'}');
    out
}

/// The decision as a JSON value (for pretty printing and YAML), its
/// numbers with their digits.
pub fn to_json(plan: &Plan, r: &Evaluation) -> Json {
    // The bytes are JSON by construction.
    json_of(&to_vec(plan, r))
}

/// JSON bytes this module wrote, as a value.
fn json_of(bytes: &[u8]) -> Json {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|t| Json::parse(t).ok())
        .unwrap_or_default()
}

/// The decision's members, comma-separated, without the braces around
/// them: `"policy":…,"edition":…,…,"values":{…}`.
pub fn write_members(plan: &Plan, r: &Evaluation, out: &mut Vec<u8>) {
    let (policy, program) = (plan.policy(), plan.program());
    out.extend_from_slice(b"\"policy\":");
    string(out, &policy.meta.id);
    out.push(b',');
    out.extend_from_slice(b"\"edition\":");
    string(out, &r.edition);
    out.push(b',');
    out.extend_from_slice(b"\"at\":");
    date(out, &r.at);
    out.push(b',');
    out.extend_from_slice(b"\"outcome\":");
    string(out, &r.outcome);
    out.push(b',');
    out.extend_from_slice(b"\"reasons\":");
    list(out, &r.reasons, |out, h| {
        object(out, &[("id", &h.id), ("cite", &h.cite)]);
    });
    out.push(b',');
    out.extend_from_slice(b"\"missing\":");
    list(out, &r.missing, |out, m| string(out, m));
    let entries = policy.report.iter().zip(&program.report);
    for ((entry, p), reported) in entries.zip(&r.report) {
        out.push(b',');
        key(out, &entry.key);
        report_entry(plan, r, entry, &p.positions, reported, out);
    }
    out.push(b',');
    out.extend_from_slice(b"\"warnings\":");
    list(out, &r.warnings, |out, w| {
        object(
            out,
            &[("id", &w.id), ("message", &w.message), ("cite", &w.cite)],
        );
    });
    out.push(b',');
    out.extend_from_slice(b"\"values\":");
    joined(out, OBJECT, r.values.positions(), |out, (i, name, v)| {
        // The key as the plan wrote it once, if it is this policy's.
        let mine = program.value_names.get(i).filter(|n| *n == name);
        match mine.and(program.values.get(i)) {
            Some(c) => out.extend_from_slice(&c.json_key),
            None => key(out, name),
        }
        value(out, v);
    });
    if policy.values.iter().any(|v| !v.options.is_empty()) {
        out.push(b',');
        out.extend_from_slice(b"\"alternatives\":");
        alternatives(plan, r, out);
    }
}

/// The `any_of` values, each `null` where it did not apply, else
/// `{"holds", "held": [ids], "options": [{"id", "cite", "holds"}]}`, each
/// option with `"read": {name: value}` when none held.
fn alternatives(plan: &Plan, r: &Evaluation, out: &mut Vec<u8>) {
    let policy = plan.policy();
    let values = policy.values.iter().enumerate();
    let any_of = values.filter(|(_, v)| !v.options.is_empty());
    joined(out, OBJECT, any_of, |out, (i, v)| {
        key(out, &v.name);
        let (Some(found), Some(result)) =
            (r.alternatives.iter().find(|a| a.value == i), r.values.at(i))
        else {
            out.extend_from_slice(b"null");
            return;
        };
        out.extend_from_slice(b"{\"holds\":");
        value(out, result);
        out.extend_from_slice(b",\"held\":");
        joined(out, LIST, found.held(), |out, o| {
            string(out, &v.options[o].id)
        });
        out.extend_from_slice(b",\"options\":");
        let options = v.options.iter().zip(&found.results).enumerate();
        joined(out, LIST, options, |out, (o, (option, holds))| {
            out.extend_from_slice(b"{\"id\":");
            string(out, &option.id);
            out.extend_from_slice(b",\"cite\":");
            string(out, &option.info.cite);
            out.extend_from_slice(b",\"holds\":");
            value(out, holds);
            if let Some(read) = found.why.get(o) {
                out.extend_from_slice(b",\"read\":");
                joined(out, OBJECT, read.iter(), |out, (name, v)| {
                    key(out, name);
                    value(out, v);
                });
            }
            out.push(b'}');
        });
        out.push(b'}');
    });
}

/// The policy's report as JSON values, key by key (for renderings other
/// than the JSON line).
pub fn report_json(plan: &Plan, r: &Evaluation) -> Vec<(String, Json)> {
    let entries = plan.policy().report.iter().zip(&plan.program().report);
    entries
        .zip(&r.report)
        .map(|((entry, p), reported)| {
            let mut out = Vec::new();
            report_entry(plan, r, entry, &p.positions, reported, &mut out);
            let v = json_of(&out);
            (entry.key.clone(), v)
        })
        .collect()
}

/// One entry of the report: null when it does not apply; an `expr`'s
/// value; `values` and `fields` as objects; `items` as
/// `{"total", "items": [{"id", KEY, "cite"}]}`.
fn report_entry(
    plan: &Plan,
    r: &Evaluation,
    entry: &crate::policy::Report,
    positions: &[Option<usize>],
    reported: &Reported,
    out: &mut Vec<u8>,
) {
    use crate::policy::ReportKind;
    match (&entry.kind, reported) {
        (_, Reported::Null) => out.extend_from_slice(b"null"),
        (_, Reported::Value(v)) => value(out, v),
        (ReportKind::Values(_), Reported::Values) => {
            let program = plan.program();
            joined(
                out,
                OBJECT,
                present(plan, r, positions),
                |out, (i, _, v)| {
                    out.extend_from_slice(&program.values[i].json_key);
                    value(out, v);
                },
            );
        }
        (ReportKind::Fields(fs), Reported::Fields(vs)) => {
            joined(out, OBJECT, fs.iter().zip(vs), |out, ((k, _), v)| {
                key(out, k);
                value(out, v);
            });
        }
        (ReportKind::Items { key: k, .. }, Reported::Items { total }) => {
            out.push(b'{');
            if let Some(t) = total {
                out.extend_from_slice(b"\"total\":");
                value(out, t);
                out.push(b',');
            }
            out.extend_from_slice(b"\"items\":");
            joined(out, LIST, present(plan, r, positions), |out, (_, c, v)| {
                out.extend_from_slice(b"{\"id\":");
                string(out, &c.name);
                out.push(b',');
                key(out, k);
                value(out, v);
                out.extend_from_slice(b",\"cite\":");
                string(out, &c.info.cite);
                out.push(b'}');
            });
            out.push(b'}');
        }
        // An evaluation of another policy: nothing to say.
        _ => out.extend_from_slice(b"null"),
    }
}

/// The computed values at `positions` (a report entry's names, placed by
/// the plan) that apply, with their places and declarations, in order.
fn present<'a>(
    plan: &'a Plan,
    r: &'a Evaluation,
    positions: &'a [Option<usize>],
) -> impl Iterator<Item = (usize, &'a crate::policy::Computed, &'a Value)> {
    let values = &plan.policy().values;
    positions
        .iter()
        .filter_map(|p| *p)
        .filter_map(|i| Some((i, values.get(i)?, r.values.at(i)?)))
}

/// A value as [`Value::to_json`] gives it.
pub fn value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Int(n) => integer(out, *n),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Unknown(_) => out.extend_from_slice(b"null"),
        Value::Str(s) => string(out, s),
        Value::Ref(r) => string(out, &r.id),
        Value::Date(d) => date(out, d),
        Value::List(items) => joined(out, LIST, items.iter(), value),
        Value::Record(fields) => joined(out, OBJECT, fields.iter(), |out, (k, v)| {
            key(out, k);
            value(out, v);
        }),
        // A decimal's exact digits, as a JSON number.
        Value::Decimal(d) => crate::core::decimal::write(out, d),
        // Times, dates with times and durations are rare: their text.
        other => string(out, &other.to_string()),
    }
}

fn date(out: &mut Vec<u8>, d: &chrono::NaiveDate) {
    match crate::core::value::date_bytes(d) {
        Some(b) => {
            out.push(b'"');
            out.extend_from_slice(&b);
            out.push(b'"');
        }
        None => string(out, &crate::core::value::format_date(d)),
    }
}

/// An integer's digits, without a string in between.
pub fn integer(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

#[inline]
fn key(out: &mut Vec<u8>, k: &str) {
    string(out, k);
    out.push(b':');
}

#[inline]
fn string(out: &mut Vec<u8>, s: &str) {
    // Most text needs no escapes: copied as it is, quoted.
    if !needs_escape(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a vector cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Whether any byte is a control character, `"` or `\`, which JSON
/// escapes. Eight bytes at a time: a byte below 0x20 borrows out of its
/// lane when 0x20 is taken from it, and `"` and `\` are such bytes once
/// XORed with themselves shifted by 0x20.
#[inline]
fn needs_escape(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut lane = [0u8; 8];
        lane.copy_from_slice(c);
        let x = u64::from_le_bytes(lane);
        if below(x, 0x20) | below(x ^ (ONES * 0x22), 1) | below(x ^ (ONES * 0x5C), 1) != 0 {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&c| c < 0x20 || c == b'"' || c == b'\\')
}

const LIST: [u8; 2] = *b"[]";
const OBJECT: [u8; 2] = *b"{}";

/// `items` between the brackets `[open, close]`, comma-separated, each
/// written by `each` (an object's member writes its key too).
fn joined<T>(
    out: &mut Vec<u8>,
    [open, close]: [u8; 2],
    items: impl IntoIterator<Item = T>,
    mut each: impl FnMut(&mut Vec<u8>, T),
) {
    out.push(open);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, item);
    }
    out.push(close);
}

fn list<T>(out: &mut Vec<u8>, items: &[T], each: impl FnMut(&mut Vec<u8>, &T)) {
    joined(out, LIST, items, each);
}

/// An object of text members.
fn object(out: &mut Vec<u8>, members: &[(&str, &str)]) {
    joined(out, OBJECT, members, |out, (k, v)| {
        key(out, k);
        string(out, v);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The word-at-a-time test finds every byte JSON escapes, wherever it
    /// stands, and nothing else.
    #[test]
    fn escapes_are_found_in_every_lane() {
        for len in 0..20 {
            for at in 0..len {
                for b in 0u8..=255 {
                    let mut s = vec![b'a'; len];
                    s[at] = b;
                    let want = b < 0x20 || b == b'"' || b == b'\\';
                    assert_eq!(needs_escape(&s), want, "{len} {at} {b}");
                }
            }
        }
        assert!(!needs_escape("façade «naïve» — 中文, ok".as_bytes()));
        // Many bytes of any value at once, against the plain test.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 59) as usize;
            let s: Vec<u8> = (0..len)
                .map(|i| (seed.rotate_left(i as u32 * 7) >> 24) as u8 | (0x20 * (i as u8 & 1)))
                .collect();
            let want = s.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            assert_eq!(needs_escape(&s), want, "{s:?}");
        }
    }

    /// Each kind of value is written as `Value::to_json` gives it.
    #[test]
    fn values_are_written_as_their_json() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut fields = crate::core::value::Fields::default();
        fields.insert("a\"b".into(), Value::Int(-3));
        fields.insert("c".into(), Value::unknown("c"));
        let values = [
            Value::Int(i64::MIN),
            Value::Decimal(rust_decimal::Decimal::new(15, 1)),
            Value::Decimal(rust_decimal::Decimal::new(200, 2)),
            Value::Decimal(rust_decimal::Decimal::new(-25, 1)),
            Value::Decimal(rust_decimal::Decimal::from(100) / rust_decimal::Decimal::from(3)),
            Value::Decimal(rust_decimal::Decimal::new(1, 7)),
            Value::Decimal(rust_decimal::Decimal::MAX),
            Value::Bool(true),
            Value::Bool(false),
            Value::str("quote \" and \\ and \u{1} and \u{4e2d}"),
            Value::Date(d("2021-02-28")),
            Value::Date(d("0007-01-09")),
            Value::Date(chrono::NaiveDate::from_ymd_opt(12345, 6, 7).unwrap()),
            Value::Date(chrono::NaiveDate::from_ymd_opt(-44, 3, 15).unwrap()),
            Value::DateTime(d("2021-02-28").and_hms_opt(16, 30, 0).unwrap()),
            Value::Time(chrono::NaiveTime::from_hms_opt(9, 5, 0).unwrap()),
            Value::Duration(crate::core::value::Duration {
                count: 3,
                unit: crate::core::value::Unit::WorkingDays,
            }),
            Value::List(Arc::new(vec![Value::Int(1), Value::unknown("x")])),
            Value::Record(Arc::new(fields)),
            Value::unknown("y"),
        ];
        for v in &values {
            let mut out = Vec::new();
            value(&mut out, v);
            let expected = serde_json::to_vec(&v.to_json()).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(expected).unwrap(),
                "{v:?}"
            );
        }
    }
}
