//! The trace of an evaluation as text a legal editor can follow: each value
//! and rule with its result, the inputs it read, and its citation; each
//! number with the unit its input, parameter or value declares.

use std::fmt::Write as _;

use crate::engine::eval::{Evaluation, StepKind};
use crate::policy::Policy;
use crate::policy::units::with_unit;

/// The trace of `r`, an evaluation of `policy`, in English.
pub fn render(policy: &Policy, r: &Evaluation) -> String {
    render_in(policy, r, None)
}

/// The trace of `r` in `lang` where given: its words from the locale files,
/// the citations in that language (see [`Policy::cite_in`]); the readings
/// as the policy writes them. Without a language, in English.
pub fn render_in(policy: &Policy, r: &Evaluation, lang: Option<&str>) -> String {
    let loc = crate::core::locale::or_english(lang.unwrap_or("en"));
    let word = |k: &str| loc.text(&format!("explain.{k}")).to_string();
    let mut out = String::new();
    for s in &r.trace {
        let indent = "  ".repeat(s.depth);
        let what = word(s.kind.name());
        let cite = match lang {
            Some(l) => policy.cite_in(&s.cite, l),
            None => s.cite.to_string(),
        };
        let unit = match s.kind {
            StepKind::Value => policy.unit_of(&s.name),
            _ => None,
        };
        let shown = |v: &crate::core::value::Value, unit: Option<&str>| match lang {
            Some(_) if v.is_unknown() => loc.unknown(v),
            _ => with_unit(v, unit),
        };
        let _ = writeln!(
            out,
            "{indent}{what} {} = {}   [{}]",
            s.name,
            shown(&s.result, unit),
            cite
        );
        for (name, v) in &s.inputs {
            let v = shown(v, policy.unit_of(name));
            let _ = writeln!(out, "{indent}    {name} = {v}");
        }
        for n in &s.notes {
            let _ = writeln!(out, "{indent}    {} {n}", word("via"));
        }
        if let Some(i) = &s.interpretation {
            let _ = writeln!(out, "{indent}    {}: {i}", word("reading"));
        }
    }
    out
}

/// The trace of `r` as JSON, in order: each step with its kind, name,
/// result, the inputs it read (each number with its unit where one is
/// declared, in `units`), its citation, the reading of unclear text it
/// rests on, the table rows that matched, and its depth (0 for values and
/// rules, 1 for what a rule consists of). What the service's `explain`
/// returns beside the decision.
pub fn to_json(policy: &Policy, r: &Evaluation) -> crate::core::json::Json {
    use crate::core::json::{Json, Map};
    let steps = r
        .trace
        .iter()
        .map(|s| {
            let kind = s.kind.name();
            let inputs: Map = s
                .inputs
                .iter()
                .map(|(n, v)| (n.clone(), v.to_json()))
                .collect();
            let mut units = Map::new();
            if let (StepKind::Value, Some(u)) = (s.kind, policy.unit_of(&s.name)) {
                units.insert(s.name.clone(), u.into());
            }
            for (n, _) in &s.inputs {
                if let Some(u) = policy.unit_of(n) {
                    units.insert(n.clone(), u.into());
                }
            }
            Json::object([
                ("kind", Json::from(kind)),
                ("name", Json::from(&s.name)),
                ("result", s.result.to_json()),
                ("inputs", Json::Object(inputs)),
                ("units", Json::Object(units)),
                ("cite", Json::from(&s.cite)),
                (
                    "reading",
                    s.interpretation.as_ref().map_or(Json::Null, Json::from),
                ),
                (
                    "notes",
                    Json::Array(s.notes.iter().map(Json::from).collect()),
                ),
                ("depth", Json::from(s.depth as i64)),
            ])
        })
        .collect();
    Json::Array(steps)
}
