//! `qagida consolidate` and `qagida diff`: the policy as in force on a date,
//! and what changed between two dates.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::eval::{outside_message, parse_date};
use super::{Exit, Failure, out};
use crate::core::diag::Diagnostic;
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

fn in_force(policy: &Policy, s: &str) -> Result<chrono::NaiveDate, Failure> {
    let at = parse_date(s)?;
    if !policy.in_force(at) {
        return Err(Failure::new(
            Exit::OutOfForce,
            vec![Diagnostic::error(
                "out-of-force",
                outside_message(policy, at),
            )],
        ));
    }
    Ok(at)
}

pub fn run(args: &ConsolidateArgs) -> Result<(), Failure> {
    let policy = super::load_policy(&args.policy)?.policy;
    let at = in_force(&policy, &args.at)?;
    let v = consolidate::consolidate(&policy, at);
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
        TextFormat::Json => {
            // Written straight from the changes, so that their numbers
            // keep their digits.
            #[derive(serde::Serialize)]
            struct Diff<'a> {
                policy: &'a str,
                from: String,
                to: String,
                changes: &'a [consolidate::Change],
            }
            let v = Diff {
                policy: &policy.meta.id,
                from: from.to_string(),
                to: to.to_string(),
                changes: &changes,
            };
            out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ));
        }
        TextFormat::Text => {
            let mut s = format!(
                "{} from {from} to {to}: {} change(s)\n",
                policy.meta.id,
                changes.len()
            );
            for c in &changes {
                let acts = if c.acts.is_empty() {
                    String::new()
                } else {
                    format!("  (by {})", c.acts.join(", "))
                };
                let brief = |v: &Json| match v {
                    Json::Object(m) if m.contains_key("status") => {
                        "(wording not encoded)".to_string()
                    }
                    Json::Object(m) => m
                        .get("value")
                        .or_else(|| m.get("encoded"))
                        .or_else(|| m.get("expr"))
                        .or_else(|| m.get("status"))
                        .map(|x| x.to_string())
                        .unwrap_or_else(|| "…".into()),
                    other => other.to_string(),
                };
                let _ = match c.change {
                    "changed" => writeln!(
                        s,
                        "  {} {} changed: {} -> {}{acts}",
                        c.kind,
                        c.id,
                        brief(&c.before),
                        brief(&c.after)
                    ),
                    other => writeln!(s, "  {} {} {other}{acts}", c.kind, c.id),
                };
            }
            out(&s);
        }
    }
    Ok(())
}
