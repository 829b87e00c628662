//! What differs between two decisions, as their JSON objects (the contract
//! of [`crate::engine::contract`], as `eval --format json` prints it and a
//! batch's line or a snapshot's line carries it): the outcome, the reasons
//! given and no longer given, the names the decision waits on, and every
//! other member (a deadline, a reported value, a computed value) whose
//! value differs, old → new. Generic over any two such objects: nothing
//! here knows a policy's report keys.
//!
//! ```
//! use qagida::core::json::Json;
//! use qagida::engine::compare::{differences, Difference};
//!
//! let old = Json::parse(r#"{"outcome":"grant","reasons":[],"deadlines":{"decision_by":"2021-03-25"}}"#).unwrap();
//! let new = Json::parse(r#"{"outcome":"refuse","reasons":[{"id":"low_score","cite":"§10"}],"deadlines":{"decision_by":"2021-03-26"}}"#).unwrap();
//! let d = differences(&old, &new);
//! assert_eq!(d[0], Difference::Outcome { old: "grant".into(), new: "refuse".into() });
//! assert_eq!(d[1], Difference::Gained { member: "reasons".into(), ids: vec!["low_score".into()] });
//! assert_eq!(d[2].to_string(), r#"deadlines.decision_by: "2021-03-25" → "2021-03-26""#);
//! ```

use std::fmt;

use crate::core::json::Json;

/// The members compared as sets of ids (a reason is known by its `id`; a
/// name the decision waits on by itself), in this order after the outcome.
pub const SETS: &[&str] = &["reasons", "missing"];

/// One difference between two decisions.
#[derive(Clone, Debug, PartialEq)]
pub enum Difference {
    /// The outcome changed (a missing outcome is the empty text).
    Outcome { old: String, new: String },
    /// Ids of a set member ([`SETS`]) present now and not before, in the
    /// new decision's order.
    Gained { member: String, ids: Vec<String> },
    /// Ids of a set member present before and not now, in the old
    /// decision's order.
    Lost { member: String, ids: Vec<String> },
    /// Any other member whose value differs, by its dotted path into the
    /// objects (`deadlines.decision_by`, `values.score`); `None` where one
    /// side has no such member. Objects are compared member by member,
    /// anything else (a list, a number) as a whole.
    Value {
        path: String,
        old: Option<Json>,
        new: Option<Json>,
    },
}

impl fmt::Display for Difference {
    /// `outcome: grant → refuse`, `reasons: +low_score`, `reasons: −x`,
    /// `deadlines.decision_by: "2021-03-25" → "2021-03-26"` (values as
    /// compact JSON, `(none)` for a member one side lacks).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Outcome { old, new } => write!(f, "outcome: {old} → {new}"),
            Difference::Gained { member, ids } => write!(f, "{member}: +{}", ids.join(" +")),
            Difference::Lost { member, ids } => write!(f, "{member}: −{}", ids.join(" −")),
            Difference::Value { path, old, new } => {
                let side = |v: &Option<Json>| v.as_ref().map_or("(none)".into(), Json::to_string);
                write!(f, "{path}: {} → {}", side(old), side(new))
            }
        }
    }
}

/// The differences between decision `old` and decision `new`, in a fixed
/// order: the outcome, then for each of [`SETS`] the ids gained and lost,
/// then every other member that differs, in the new object's order (then
/// the members only the old one has). Empty when they are the same.
pub fn differences(old: &Json, new: &Json) -> Vec<Difference> {
    let mut out = Vec::new();
    let outcome = |j: &Json| {
        j.get("outcome")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (o, n) = (outcome(old), outcome(new));
    if o != n {
        out.push(Difference::Outcome { old: o, new: n });
    }
    for member in SETS {
        let (was, now) = (ids(old.get(member)), ids(new.get(member)));
        let gained: Vec<String> = now.iter().filter(|i| !was.contains(i)).cloned().collect();
        let lost: Vec<String> = was.iter().filter(|i| !now.contains(i)).cloned().collect();
        if !gained.is_empty() {
            out.push(Difference::Gained {
                member: member.to_string(),
                ids: gained,
            });
        }
        if !lost.is_empty() {
            out.push(Difference::Lost {
                member: member.to_string(),
                ids: lost,
            });
        }
    }
    let skip = |k: &str| k == "outcome" || SETS.contains(&k);
    members(old, new, "", &skip, &mut out);
    out
}

/// The ids of a set member: each item's `id` when it is an object, else
/// the item itself as text.
fn ids(v: Option<&Json>) -> Vec<String> {
    let Some(items) = v.and_then(Json::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|i| match i {
            Json::String(s) => s.clone(),
            Json::Object(_) => i
                .get("id")
                .and_then(Json::as_str)
                .map_or_else(|| i.to_string(), str::to_string),
            other => other.to_string(),
        })
        .collect()
}

/// The members of two objects that differ, under `prefix`; two values that
/// are not both objects are compared whole.
fn members(
    old: &Json,
    new: &Json,
    prefix: &str,
    skip: &dyn Fn(&str) -> bool,
    out: &mut Vec<Difference>,
) {
    let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
        if old != new {
            out.push(Difference::Value {
                path: prefix.to_string(),
                old: Some(old.clone()),
                new: Some(new.clone()),
            });
        }
        return;
    };
    let path = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    let none = |_: &str| false;
    for (k, nv) in n {
        if prefix.is_empty() && skip(k) {
            continue;
        }
        match o.get(k) {
            Some(ov) => members(ov, nv, &path(k), &none, out),
            None => out.push(Difference::Value {
                path: path(k),
                old: None,
                new: Some(nv.clone()),
            }),
        }
    }
    for (k, ov) in o {
        if (prefix.is_empty() && skip(k)) || n.contains_key(k) {
            continue;
        }
        out.push(Difference::Value {
            path: path(k),
            old: Some(ov.clone()),
            new: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(t: &str) -> Json {
        Json::parse(t).expect("JSON")
    }

    #[test]
    fn the_same_decision_has_no_differences() {
        let a = j(r#"{"outcome":"grant","reasons":[],"values":{"x":1.50}}"#);
        assert!(differences(&a, &a.clone()).is_empty());
    }

    #[test]
    fn members_added_removed_and_nested_are_named_by_path() {
        let old = j(r#"{"outcome":"grant","missing":["a"],"values":{"x":1,"gone":true}}"#);
        let new = j(r#"{"outcome":"grant","missing":["b"],"values":{"x":2,"new":null}}"#);
        let d: Vec<String> = differences(&old, &new)
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            d,
            [
                "missing: +b",
                "missing: −a",
                "values.x: 1 → 2",
                "values.new: (none) → null",
                "values.gone: true → (none)"
            ]
        );
    }

    #[test]
    fn numbers_keep_their_digits() {
        let d = differences(&j(r#"{"v":0.10}"#), &j(r#"{"v":0.1000000000000000001}"#));
        assert_eq!(d[0].to_string(), "v: 0.10 → 0.1000000000000000001");
    }
}
