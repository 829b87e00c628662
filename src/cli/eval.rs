//! `qagida eval`: one application, one decision.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{Exit, Failure, PolicyArgs, out};
use crate::core::json::Json;
use crate::engine::eval::Evaluation;
use crate::engine::{self, Application, At, DecideError, Plan, ReadError, Request, Setting};
use crate::policy::Policy;

#[derive(Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The date to evaluate at: YYYY-MM-DD, or `today` for the machine's
    /// local date. By default the policy's evaluation date for the
    /// application (such as its submission date); without one, an error.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The application: a YAML or JSON file, or - for standard input.
    pub application: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Yaml,
}

/// Loads the policy and makes the request the command line asks for: the
/// date rule of `--at`, the overlay, then each `--param`.
pub fn prepare(
    args: &PolicyArgs,
    at: Option<&str>,
    trace: bool,
) -> Result<(Plan, Request), Failure> {
    let plan = Plan::new(super::load_policy(&args.policy)?.policy);
    let mut params = Vec::new();
    if let Some(path) = &args.overlay {
        // An overlay that is not text is an error of the overlay.
        let file = engine::read_text(path).map_err(|e| match e {
            ReadError::Unreadable(d) => Failure::new(Exit::Io, vec![d]),
            ReadError::NotText(d) => Failure::new(Exit::Policy, vec![d]),
        })?;
        params.push(Setting::Overlay(file));
    }
    params.extend(args.params.iter().cloned().map(Setting::Arg));
    let at = At::parse_opt(at)?;
    Ok((plan, Request { at, params, trace }))
}

/// "DATE is outside the period policy P is in force: from A until B".
pub fn outside_message(policy: &Policy, at: NaiveDate) -> String {
    DecideError::OutOfForce {
        at,
        policy: policy.meta.id.clone(),
        from: policy.meta.in_force_from,
        until: policy.meta.in_force_until,
        doubt: policy.doubt_until().flatten(),
    }
    .to_string()
}

/// A date of the command line: YYYY-MM-DD, or `today` for the machine's
/// local date.
pub fn parse_date(s: &str) -> Result<NaiveDate, Failure> {
    match At::parse(s)?.resolved() {
        At::On(d) => Ok(d),
        _ => Err(DecideError::BadDate(s.to_string()).into()),
    }
}

pub fn run(args: &EvalArgs) -> Result<(), Failure> {
    let (plan, result) = decide(args)?;
    match args.format {
        Format::Json => out(&format!("{}\n", to_json(&plan, &result).to_pretty())),
        Format::Yaml => out(&to_json(&plan, &result).to_yaml()),
        Format::Text => out(&text(&plan, &result)),
    }
    // The process ends here: freeing the policy's many small allocations
    // would only add to a one-shot command's time (about 0.3 ms).
    std::mem::forget(plan);
    Ok(())
}

/// `qagida explain`: the same evaluation, printed as its trace.
pub fn explain(args: &EvalArgs) -> Result<(), Failure> {
    let (plan, result) = decide(args)?;
    let mut s = text(&plan, &result);
    s += "\nwhy:\n";
    s += &crate::engine::explain::render(plan.policy(), &result);
    out(&s);
    Ok(())
}

/// Loads the policy and the application and decides it.
pub fn decide(args: &EvalArgs) -> Result<(Plan, Evaluation), Failure> {
    let (plan, request) = prepare(&args.policy, args.at.as_deref(), true)?;
    let result = {
        let prepared = plan.prepare(&request)?;
        let file = engine::read_text(&args.application).map_err(DecideError::from)?;
        prepared.decide(Application::File(&file))?
    };
    Ok((plan, result))
}

/// The decision as one JSON object: the policy, its edition and the date,
/// the outcome with its reasons, what is missing, the warnings, then the
/// policy's own report keys and every computed value.
pub fn to_json(plan: &Plan, r: &Evaluation) -> Json {
    crate::engine::contract::to_json(plan, r)
}

/// A date as `2021-03-17 Wed`; other text as it is; a number with its
/// digits.
fn with_weekday(v: &Json) -> String {
    match v {
        Json::String(t) => match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(d) => format!("{t} {}", d.format("%a")),
            Err(_) => t.clone(),
        },
        Json::Null => "unknown".into(),
        other => other.to_string(),
    }
}

/// A reported value of the policy's computed value `name`: a number with
/// the value's unit, if it declares one (`275.14 GBP`, `27.5%`); else as
/// [`with_weekday`] writes it.
fn reported(policy: &Policy, name: &str, v: &Json) -> String {
    let unit = policy.value(name).and_then(|c| c.info.unit.as_deref());
    match (unit, v) {
        (Some(u), Json::Number(n)) => match crate::core::decimal::parse(n) {
            Ok(d) => {
                crate::policy::units::with_unit(&crate::core::value::Value::Decimal(d), Some(u))
            }
            Err(_) => format!("{n} {u}"),
        },
        _ => with_weekday(v),
    }
}

/// A label in English where there is one, else in the official language.
fn label(policy: &Policy, l: &crate::policy::Label) -> Option<String> {
    l.get("en")
        .or_else(|| l.get(&policy.meta.official_language))
        .cloned()
}

/// The decision for a person: outcome, reasons with citations, the policy's
/// report (dates with their weekday), what is missing and how to supply
/// it, warnings, and every computed value with its citation.
pub fn text(plan: &Plan, r: &Evaluation) -> String {
    let policy = plan.policy();
    let paint = super::color(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let outcome = if paint {
        // Red for an outcome given on grounds (a refusal), green for one
        // given without (a grant, an answer), yellow for none yet.
        let code = match r.outcome.as_str() {
            "undetermined" => "1;33",
            _ if r.reasons.is_empty() => "1;32",
            _ => "1;31",
        };
        format!("\x1b[{code}m{}\x1b[0m", r.outcome)
    } else {
        r.outcome.clone()
    };
    let words = r.outcome_label(policy, "en");
    let words = words.or_else(|| r.outcome_label(policy, &policy.meta.official_language));
    let words = words.map(|w| format!(" — {w}")).unwrap_or_default();
    let mut s = format!("outcome: {outcome}{words}\n");
    s += &format!(
        "policy:  {} at {} ({})\n",
        policy.meta.id,
        r.at.format("%Y-%m-%d %a"),
        r.edition
    );
    if let Some(rule) = &r.rule {
        s += &format!("rule:    {rule}\n");
    }
    if !r.reasons.is_empty() {
        s += "reasons:\n";
        for h in &r.reasons {
            let words = policy
                .reasons
                .get(&h.id)
                .and_then(|i| label(policy, &i.label));
            let words = words.map(|w| format!(": {w}")).unwrap_or_default();
            s += &format!("  - {}{words} [{}]\n", h.id, h.cite);
        }
    }
    for (key, v) in &crate::engine::contract::report_json(plan, r) {
        match v {
            Json::Null => {}
            Json::Object(m) if m.is_empty() => {}
            Json::Object(m) => {
                s += &format!("{key}:\n");
                for (k, x) in m {
                    match x {
                        Json::Array(items) => {
                            for it in items {
                                let id = it.get("id").and_then(|i| i.as_str()).unwrap_or("");
                                let cite = it.get("cite").and_then(|i| i.as_str()).unwrap_or("");
                                let val = it
                                    .as_object()
                                    .and_then(|o| {
                                        o.iter().find(|(k, _)| *k != "id" && *k != "cite")
                                    })
                                    .map(|(_, v)| reported(policy, id, v))
                                    .unwrap_or_default();
                                s += &format!("  {id}: {val} [{cite}]\n");
                            }
                        }
                        other => {
                            let cite = policy
                                .value(k)
                                .map(|c| format!(" [{}]", c.info.cite))
                                .unwrap_or_default();
                            s += &format!("  {k}: {}{cite}\n", reported(policy, k, other));
                        }
                    }
                }
            }
            other => s += &format!("{key}: {}\n", with_weekday(other)),
        }
    }
    if !r.missing.is_empty() {
        s += "missing:\n";
        for m in &r.missing {
            let how = if policy.params.contains_key(m) {
                format!("a parameter: supply it with --param {m}=VALUE")
            } else if let Some(p) = policy.history.provisions.get(m) {
                let title = p
                    .title
                    .get("en")
                    .or_else(|| p.title.values().next())
                    .cloned()
                    .unwrap_or_default();
                format!("{title}: the wording in force on that date is not encoded")
            } else if let Some(t) = m
                .strip_suffix(" (not in force)")
                .and_then(|t| policy.table(t))
            {
                format!("table `{}` is not in force on that date", t.name)
            } else if let Some((c, id, attribute)) = attribute_of(policy, m) {
                format!("entry `{id}` of catalogue `{c}` has no `{attribute}` on that date")
            } else {
                "an input: add it to the application".to_string()
            };
            s += &format!("  - {m} ({how})\n");
        }
    }
    if !r.warnings.is_empty() {
        s += "warnings:\n";
        for w in &r.warnings {
            s += &format!("  - {}: {} ({})\n", w.id, w.message, w.cite);
        }
    }
    if !r.values.is_empty() {
        s += "values:\n";
        for v in &policy.values {
            if let Some(val) = r.values.get(v.name.as_str()) {
                let val = v.info.with_unit(val);
                s += &format!("  {} = {val}   [{}]\n", v.name, v.info.cite);
            }
        }
    }
    s
}

/// The catalogue, the entry and the attribute an unknown names, as the
/// evaluation names an entry's attribute without a value (`courses
/// F1.min_year`).
fn attribute_of(policy: &Policy, missing: &str) -> Option<(String, String, String)> {
    let (c, rest) = missing.split_once(' ')?;
    let cat = policy.catalogues.iter().find(|x| x.name == c)?;
    let (id, attribute) = rest.rsplit_once('.')?;
    let known = cat.get(id).is_some() && cat.attributes.contains_key(attribute);
    known.then(|| (c.to_string(), id.to_string(), attribute.to_string()))
}
