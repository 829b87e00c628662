//! The act's timeline: its editions, and the acts and editions as JSON.

use chrono::NaiveDate;

use crate::policy::Policy;
use crate::policy::history::ActKind;

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
