//! `qagida editions`: the act's timeline — its amending acts, when each
//! came into force (or the earliest it can have), what each changed — and
//! the editions they make, with the provisions whose wording is not encoded.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{Failure, out};
use crate::policy::Policy;
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

/// An edition: the act as in force from `from` until the next edition.
pub struct Edition {
    pub id: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    /// The provisions whose wording in force then is not encoded.
    pub not_encoded: Vec<String>,
}

/// The editions of a policy, in order.
pub fn editions(policy: &Policy) -> Vec<Edition> {
    let h = &policy.history;
    let mut starts: Vec<(NaiveDate, String)> = vec![(policy.meta.in_force_from, "original".into())];
    for a in &h.acts {
        if a.kind == ActKind::Amendment && a.from > policy.meta.in_force_from {
            starts.push((a.from, a.id.clone()));
        }
    }
    starts.sort();
    let end = policy.meta.in_force_until;
    starts
        .iter()
        .enumerate()
        .map(|(i, (from, id))| {
            let until = starts.get(i + 1).map(|s| s.0).or(end);
            let not_encoded = h
                .provisions
                .keys()
                .filter(|p| !h.encoded(p, *from))
                .cloned()
                .collect();
            Edition {
                id: format!("{}@{id}", policy.meta.id),
                from: *from,
                until,
                not_encoded,
            }
        })
        .collect()
}

/// The timeline as `editions --format json` prints it (and the service
/// serves it): the period in force, the acts and the editions.
pub fn json(policy: &Policy) -> String {
    let eds = editions(policy);
    let h = &policy.history;
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    {
        {
            let acts: Vec<serde_json::Value> = h
                .acts
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "id": a.id,
                        "kind": if a.kind == ActKind::Repeal { "repeal" } else { "amendment" },
                        "title": a.title,
                        "signed": a.signed.map(day),
                        "in_force": if a.exact { serde_json::json!({"date": day(a.from)}) }
                                    else { serde_json::json!({"earliest": day(a.from), "latest": a.latest.map(day), "rule": a.rule, "sources": a.sources.iter().map(|s| serde_json::json!({"by": s.by, if s.exact { "date" } else { "earliest" }: day(s.date)})).collect::<Vec<_>>()}) },
                        "changes": a.changes,
                        "cite": a.info.cite,
                    })
                })
                .collect();
            let editions: Vec<serde_json::Value> = eds
                .iter()
                .map(|e| serde_json::json!({"id": e.id, "from": day(e.from), "until": e.until.map(day), "not_encoded": e.not_encoded}))
                .collect();
            let v = serde_json::json!({
                "policy": policy.meta.id,
                "in_force": {"from": day(policy.meta.in_force_from), "until": policy.meta.in_force_until.map(day)},
                "acts": acts,
                "editions": editions,
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
    }
}

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
