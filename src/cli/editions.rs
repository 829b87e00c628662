//! `qagida editions`: the act's timeline — its amending acts, when each
//! came into force (or the earliest it can have), what each changed — and
//! the editions they make, with the provisions whose wording is not encoded.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{Failure, out};
use crate::policy::history::ActKind;

#[derive(Args, Debug)]
pub struct EditionsArgs {
    /// The policy package; by default the one built into the binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub use crate::report::editions::{Edition, editions, json};

pub fn run(args: &EditionsArgs) -> Result<(), Failure> {
    let policy = super::load_policy(&args.policy)?.policy;
    let eds = editions(&policy);
    let h = &policy.history;
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    match args.format {
        Format::Json => out(&json(&policy)),
        Format::Text => {
            let mut s = String::new();
            let _ = writeln!(s, "{} ({})", policy.meta.id, policy.meta.act.cite);
            let _ = writeln!(s, "  {}  in force", day(policy.meta.in_force_from));
            for a in &h.acts {
                let when = if a.exact {
                    format!("{}  ", day(a.from))
                } else {
                    let latest = a
                        .latest
                        .map(|l| format!(" to {}", day(l)))
                        .unwrap_or_default();
                    format!(
                        "{} (earliest{latest}; {})",
                        day(a.from),
                        a.rule.clone().unwrap_or_default()
                    )
                };
                let kind = if a.kind == ActKind::Repeal {
                    "repealed by"
                } else {
                    "amended by"
                };
                let title = a
                    .title
                    .get("en")
                    .or_else(|| a.title.values().next())
                    .cloned()
                    .unwrap_or_default();
                let _ = writeln!(s, "  {when}  {kind} {} — {title}", a.id);
                for src in &a.sources {
                    let _ = writeln!(s, "      source: {}", src.says());
                }
                if !a.changes.is_empty() {
                    let _ = writeln!(s, "      changes: {}", a.changes.join(", "));
                }
            }
            let _ = writeln!(s, "\neditions:");
            for e in &eds {
                let until = e
                    .until
                    .map(|u| format!("until {}", day(u)))
                    .unwrap_or_else(|| "onwards".into());
                let _ = writeln!(s, "  {}  from {} {until}", e.id, day(e.from));
                if !e.not_encoded.is_empty() {
                    let _ = writeln!(s, "      wording not encoded: {}", e.not_encoded.join(", "));
                }
            }
            out(&s);
        }
    }
    Ok(())
}
