//! `qagida consolidate` and `qagida diff`: the policy as in force on a date,
//! and what changed between two dates.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::eval::parse_date;
use super::{Failure, out};
use crate::core::json::Json;
use crate::policy::Policy;
use crate::policy::consolidate;

#[derive(Args, Debug)]
pub struct ConsolidateArgs {
    /// The policy package; by default the one built into the binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
    #[arg(long, value_name = "DATE")]
    pub at: String,
    #[arg(long, value_enum, default_value_t = DataFormat::Yaml)]
    pub format: DataFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DataFormat {
    Yaml,
    Json,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The policy package; by default the one built into the binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
    /// Compare with this folder of the policy (as in force on --to)
    /// instead of the same policy on two dates.
    #[arg(long, value_name = "DIR")]
    pub with: Option<PathBuf>,
    #[arg(long, value_name = "DATE")]
    pub from: String,
    #[arg(long, value_name = "DATE")]
    pub to: String,
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TextFormat {
    Text,
    Json,
}

/// A value of the consolidated policy, written as JSON, with its unit: a
/// number as [`crate::policy::units::with_unit`] writes it (`20%`), other
/// values (a list, null) with the unit after them.
fn with_unit(json: &str, unit: &str) -> String {
    match json.parse::<rust_decimal::Decimal>() {
        Ok(d) => {
            crate::policy::units::with_unit(&crate::core::value::Value::Decimal(d), Some(unit))
        }
        Err(_) if json == "null" => json.to_string(),
        Err(_) => format!("{json} {unit}"),
    }
}

use crate::report::consolidate::changes_json;
pub use crate::report::consolidate::{consolidated, diff_json};
pub use crate::report::dates::in_force;

pub fn run(args: &ConsolidateArgs) -> Result<(), Failure> {
    let policy = super::load_policy(&args.policy)?.policy;
    let v = consolidated(&policy, &args.at)?;
    match args.format {
        DataFormat::Json => out(&format!("{}\n", v.to_pretty())),
        DataFormat::Yaml => out(&v.to_yaml()),
    }
    Ok(())
}

pub fn diff(args: &DiffArgs) -> Result<(), Failure> {
    let policy = super::load_policy(&args.policy)?.policy;
    let from = in_force(&policy, &args.from)?;
    let changes = match &args.with {
        Some(dir) => {
            let other = super::load_policy(&Some(dir.clone()))?.policy;
            let to = in_force(&other, &args.to)?;
            consolidate::diff_policies(&policy, from, &other, to)
        }
        None => consolidate::diff(&policy, from, in_force(&policy, &args.to)?),
    };
    let to = parse_date(&args.to)?;
    match args.format {
        TextFormat::Json => out(&changes_json(&policy, from, to, &changes)),
        TextFormat::Text => {
            let mut s = format!(
                "{} from {from} to {to}: {} change(s)\n",
                policy.meta.id,
                changes.len()
            );
            for c in &changes {
                // A row or an attribute added or removed is shown with its
                // value, which is all it is.
                let valued = matches!(c.kind, "row" | "attribute");
                let what = match c.change {
                    "changed" => format!("changed: {}", changed(&c.before, &c.after)),
                    "added" if valued => format!("added: {}", brief(&c.after)),
                    "removed" if valued => format!("removed: {}", brief(&c.before)),
                    other => other.to_string(),
                };
                let _ = write!(s, "  {} {what}", c.name());
                let _ = match c.steps.as_slice() {
                    [] if c.acts.is_empty() => writeln!(s),
                    [] => writeln!(s, "  (by {})", c.acts.join(", ")),
                    [one] => writeln!(s, "  ({})", step(one, &policy)),
                    many => {
                        let _ = writeln!(s);
                        for st in many {
                            let change = match (&st.before, &st.after) {
                                (Json::Null, a) if valued => format!("added: {}", brief(a)),
                                (b, Json::Null) if valued => format!("removed: {}", brief(b)),
                                (Json::Null, _) => "added".to_string(),
                                (_, Json::Null) => "removed".to_string(),
                                (b, a) => changed(b, a),
                            };
                            let _ = writeln!(s, "      {change}  ({})", step(st, &policy));
                        }
                        Ok(())
                    }
                };
            }
            out(&s);
        }
    }
    Ok(())
}

/// An item's consolidated form in brief: its value, its expression, or
/// whether a provision's wording is encoded and the note on its version.
fn brief(v: &Json) -> String {
    use crate::core::json::Json as J;
    match v {
        J::Object(m) if m.contains_key("status") => "(wording not encoded)".to_string(),
        J::Object(m) if m.contains_key("encoded") => {
            let state = if m["encoded"] == J::Bool(true) {
                "encoded"
            } else {
                "not encoded"
            };
            match m.get("note").and_then(J::as_str) {
                Some(n) => format!("{state} ({n})"),
                None => state.to_string(),
            }
        }
        J::Object(m) => {
            let v = m
                .get("value")
                .or_else(|| m.get("expr"))
                .or_else(|| m.get("then"))
                .or_else(|| m.get("then_expr"))
                .map(|x| x.to_string())
                .unwrap_or_else(|| "…".into());
            match m.get("unit").and_then(|u| u.as_str()) {
                Some(u) => with_unit(&v, u),
                None => v,
            }
        }
        other => other.to_string(),
    }
}

/// A change from `b` to `a` in brief, or, when the briefs read the same,
/// each field that differs.
fn changed(b: &Json, a: &Json) -> String {
    let (x, y) = (brief(b), brief(a));
    if x != y {
        return format!("{x} -> {y}");
    }
    let null = Json::Null;
    let (Some(bm), Some(am)) = (b.as_object(), a.as_object()) else {
        return format!("{x} -> {y}");
    };
    let mut keys: Vec<&String> = bm.keys().collect();
    keys.extend(am.keys().filter(|k| !bm.contains_key(*k)));
    keys.iter()
        .filter_map(|k| {
            let (u, v) = (bm.get(*k).unwrap_or(&null), am.get(*k).unwrap_or(&null));
            (u != v).then(|| match (u.as_array(), v.as_array()) {
                (Some(x), Some(y)) => listed(k, x, y),
                _ => format!("{k} {u} -> {v}"),
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The members of list `k` (a rule's reasons, say) removed from `x` and
/// added in `y`, each by its id and condition.
fn listed(k: &str, x: &[Json], y: &[Json]) -> String {
    let name = |m: &Json| match (m["id"].as_str(), m["when"].as_str()) {
        (Some(id), Some(w)) => format!("{id} (when {w})"),
        (Some(id), None) => id.to_string(),
        _ => m.to_string(),
    };
    let mut out: Vec<String> = x
        .iter()
        .filter(|m| !y.contains(m))
        .map(|m| format!("{} removed", name(m)))
        .collect();
    out.extend(
        y.iter()
            .filter(|m| !x.contains(m))
            .map(|m| format!("{} added", name(m))),
    );
    format!("{k}: {}", out.join(", "))
}

/// When a change happened and which act explains it, with the window of
/// an act whose date of entry into force is uncertain.
fn step(st: &consolidate::Step, policy: &Policy) -> String {
    match (st.acts.as_slice(), st.unlisted.as_slice()) {
        ([], []) => format!("on {}, which no act explains", st.date),
        ([], u) => format!(
            "on {}, which no act explains: {} {} into force then but {} not list {}",
            st.date,
            u.join(", "),
            if u.len() == 1 { "comes" } else { "come" },
            if u.len() == 1 { "does" } else { "do" },
            st.provision
                .as_ref()
                .map_or("the item's provision".into(), |p| format!("`{p}`"))
        ),
        (a, _) => {
            let uncertain: Vec<String> = a
                .iter()
                .filter_map(|id| policy.history.act(id))
                .filter(|x| !x.exact)
                .map(|x| format!("; {} in force {}", x.id, x.when()))
                .collect();
            format!("by {} on {}{}", a.join(", "), st.date, uncertain.concat())
        }
    }
}
