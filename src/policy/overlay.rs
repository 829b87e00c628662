//! Parameters set at evaluation time: `--param name=value` and overlay
//! files, each checked against the parameter's declared type.

use std::sync::Arc;

use indexmap::IndexMap;

use super::Policy;
use super::model::OverlayFile;
use crate::core::diag::Diagnostic;
use crate::core::source::{Loc, SourceFile};
use crate::core::suggest::did_you_mean;
use crate::core::text::{escape, quote};
use crate::core::value::Value;
use crate::core::yaml::{self, PosIndex};

/// Parameter values to apply: `None` takes a parameter's value away.
pub type Overrides = IndexMap<String, Option<Value>>;

/// Reads `name=value`; the value is read as YAML (`6`, `2021-03-15`,
/// `"3 months"`) and must fit the parameter's type. `null` takes the
/// parameter's value away (it is unknown, as a parameter the act leaves
/// without a value); an empty value is an error, not a way to say so.
pub fn param_arg(policy: &Policy, arg: &str) -> Result<(String, Option<Value>), Diagnostic> {
    let Some((name, text)) = arg.split_once('=') else {
        return Err(Diagnostic::error(
            "param",
            format!("{} is not of the form NAME=VALUE", quote(arg)),
        )
        .help("for example --param threshold=6"));
    };
    let name = name.trim();
    let Some(p) = policy.params.get(name) else {
        return Err(unknown(policy, name));
    };
    if text.trim().is_empty() {
        let name = escape(name);
        let text_help = match p.ty {
            crate::lang::types::Type::String => {
                format!(", or --param '{name}=\"\"' for empty text")
            }
            _ => String::new(),
        };
        return Err(Diagnostic::error(
            "param",
            format!("--param {name}= has no value"),
        )
        .help(format!(
            "give one (--param {name}=VALUE), or --param {name}=null to leave the parameter without a value, unknown{text_help}"
        )));
    }
    let mut data: crate::core::yaml::Data =
        yaml::value(text).unwrap_or_else(|_| crate::core::yaml::Data::String(text.to_string()));
    yaml::keep_digits(&mut data, text);
    if data.is_null() {
        return Ok((name.to_string(), None));
    }
    // Durations and other text-written values come as plain strings.
    let data = match (&p.ty, data) {
        (crate::lang::types::Type::String | crate::lang::types::Type::Enum(_), d)
            if !d.is_string() =>
        {
            crate::core::yaml::Data::String(text.to_string())
        }
        (_, d) => d,
    };
    let v = crate::lang::convert::from_policy_data(&data, &p.ty)
        .map_err(|e| Diagnostic::error("param", format!("--param {name}: {}", e.message)))?;
    percent(p, &data, &v).map_err(|mut d| {
        d.message = format!("--param {name}: {}", d.message);
        d
    })?;
    Ok((name.to_string(), Some(v)))
}

/// Refuses a value for a parameter in `percent` written as a plain number
/// above 1 or below -1 (`20`, which is 2000%): a caller who sets it sees
/// no warning, so it is not guessed which was meant.
fn percent(p: &super::Param, data: &crate::core::yaml::Data, v: &Value) -> Result<(), Diagnostic> {
    use super::units::{PERCENT, plain_above_one, with_unit};
    if p.info.unit.as_deref() != Some(PERCENT) {
        return Ok(());
    }
    let Some(x) = plain_above_one(data, v) else {
        return Ok(());
    };
    let (written, as_percent) = (x.to_string(), with_unit(&x, Some(PERCENT)));
    Err(Diagnostic::error(
        "type",
        format!(
            "`{}` is in `percent`, so `{written}` would be {as_percent}: a percent is a fraction (20% is 0.20)",
            p.name
        ),
    )
    .help(format!(
        "write it as a percent: `{written}%` if {written} percent is meant, `{as_percent}` if {as_percent} is"
    )))
}

/// A parameter's value given as data (a test case's `params`), checked as
/// an overlay file's is: `null` takes the value away.
pub fn param_data(
    policy: &Policy,
    name: &str,
    data: &crate::core::yaml::Data,
) -> Result<Option<Value>, Diagnostic> {
    let Some(p) = policy.params.get(name) else {
        return Err(unknown(policy, name));
    };
    if data.is_null() {
        return Ok(None);
    }
    let v = crate::lang::convert::from_policy_data(data, &p.ty)
        .map_err(|e| Diagnostic::error("type", format!("parameter `{name}`: {}", e.message)))?;
    percent(p, data, &v).map_err(|mut d| {
        d.message = format!("parameter {}", d.message);
        d
    })?;
    Ok(Some(v))
}

/// `--param NAME=…` given twice, `first` then `second`.
pub fn param_twice(name: &str, first: &str, second: &str) -> Diagnostic {
    Diagnostic::error(
        "param",
        format!(
            "--param {} is given twice: {}, then {}",
            escape(name),
            quote(first),
            quote(second)
        ),
    )
    .help("give each parameter once")
}

fn unknown(policy: &Policy, name: &str) -> Diagnostic {
    let help = did_you_mean(name, policy.params.keys().map(String::as_str));
    let help = if help.is_empty() {
        format!(
            "the policy's parameters are: {}",
            policy.params.keys().cloned().collect::<Vec<_>>().join(", ")
        )
    } else {
        help.trim_start_matches("; ").to_string()
    };
    Diagnostic::error("param", format!("unknown parameter {}", quote(name))).help(help)
}

/// Reads an overlay file.
pub fn overlay(policy: &Policy, file: &Arc<SourceFile>) -> Result<Overrides, Vec<Diagnostic>> {
    let index = PosIndex::new(&file.text);
    let loc = |path: &[&str], key: bool| {
        let p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        index.get(&p).map(|n| match (key, n.key) {
            (true, Some(k)) => Loc::new(file, k, k + p.last().map(String::len).unwrap_or(1)),
            _ => Loc::new(file, n.start, n.end),
        })
    };
    let o: OverlayFile = yaml::from_str_indexed(&file.text, &index).map_err(|e| {
        vec![
            Diagnostic::error("yaml", e.message)
                .at(e.offset.map(|o| Loc::new(file, o, e.end.unwrap_or(o + 1))))
                .in_file(file.name.clone()),
        ]
    })?;
    let mut diags = Vec::new();
    if let Some(id) = &o.policy
        && *id != policy.meta.id
    {
        diags.push(
            Diagnostic::error(
                "overlay",
                format!("the overlay is for policy `{id}`, not `{}`", policy.meta.id),
            )
            .at(loc(&["policy"], false))
            .in_file(file.name.clone()),
        );
    }
    let mut out = Overrides::new();
    for (name, data) in &o.parameters {
        // Decimals are read from their digits as written.
        let mut data = data.clone();
        yaml::keep_digits_at(&mut data, &index, &["parameters", name]);
        match param_data(policy, name, &data) {
            Ok(v) => {
                out.insert(name.clone(), v);
            }
            Err(d) => {
                // An unknown name is shown at its key, a wrong value at it.
                let known = policy.params.contains_key(name);
                diags.push(
                    d.at(loc(&["parameters", name], !known))
                        .in_file(file.name.clone()),
                );
            }
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}
