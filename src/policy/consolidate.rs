//! The policy as in force on a date, as data: what `qagida consolidate`
//! prints and what `qagida diff` compares. Items whose provision's wording
//! in force then is not encoded are marked so.

use crate::core::json::{Json as J, Map};
use chrono::NaiveDate;

use crate::policy::{Info, Policy};

fn status(policy: &Policy, info: &Info, at: NaiveDate) -> Option<&'static str> {
    let p = info.provision.as_ref()?;
    (!policy.history.encoded(p, at)).then_some("wording not encoded")
}

fn item(policy: &Policy, info: &Info, at: NaiveDate, mut m: Map) -> J {
    m.insert("cite".into(), info.cite.clone().into());
    if let Some(i) = &info.interpretation {
        m.insert("interpretation".into(), i.clone().into());
    }
    if let Some(p) = &info.provision {
        m.insert("provision".into(), p.clone().into());
    }
    if let Some(s) = status(policy, info, at) {
        m.insert("status".into(), s.into());
    }
    J::Object(m)
}

/// The policy in force on `at`.
pub fn consolidate(policy: &Policy, at: NaiveDate) -> J {
    let mut params = Map::new();
    for (n, p) in &policy.params {
        let v = if status(policy, &p.info, at).is_some() {
            J::Null
        } else {
            p.value_at(at).to_json()
        };
        let mut m = Map::new();
        m.insert("type".into(), p.ty.to_string().into());
        m.insert("value".into(), v);
        params.insert(n.clone(), item(policy, &p.info, at, m));
    }
    let mut values = Map::new();
    for v in &policy.values {
        let mut m = Map::new();
        m.insert("type".into(), v.ty.to_string().into());
        m.insert("expr".into(), v.code.text.trim().into());
        if let Some(w) = &v.when {
            m.insert("when".into(), w.text.trim().into());
        }
        values.insert(v.name.clone(), item(policy, &v.info, at, m));
    }
    let mut tables = Map::new();
    for t in &policy.tables {
        let rows: Vec<J> = t
            .rows
            .iter()
            .map(|r| {
                let cells: Map = t
                    .columns
                    .iter()
                    .zip(&r.cells)
                    .map(|((c, _), cell)| (c.clone(), cell.to_string().into()))
                    .collect();
                J::object([
                    ("when", J::Object(cells)),
                    ("then", r.then.to_json()),
                    ("cite", J::from(&r.info.cite)),
                ])
            })
            .collect();
        let mut m = Map::new();
        m.insert("rows".into(), J::Array(rows));
        tables.insert(t.name.clone(), item(policy, &t.info, at, m));
    }
    let mut reasons = Map::new();
    for (id, info) in &policy.reasons {
        reasons.insert(id.clone(), item(policy, info, at, Map::new()));
    }
    let rules: Vec<J> = policy
        .decision
        .iter()
        .flat_map(|d| &d.rules)
        .map(|r| {
            let mut m = Map::new();
            m.insert("id".into(), r.id.clone().into());
            m.insert("outcome".into(), r.outcome.clone().into());
            if let Some(w) = &r.when {
                m.insert("when".into(), w.text.trim().into());
            }
            let rs: Vec<J> = r
                .reasons
                .iter()
                .map(|x| {
                    J::object([
                        ("id", J::from(&x.id)),
                        ("when", J::from(x.when.text.trim())),
                        ("cite", J::from(&x.info.cite)),
                    ])
                })
                .collect();
            m.insert("reasons".into(), J::Array(rs));
            item(policy, &r.info, at, m)
        })
        .collect();
    let mut catalogues = Map::new();
    for c in &policy.catalogues {
        let entries: Vec<J> = if status(policy, &c.info, at).is_some() {
            vec![]
        } else {
            (0..c.entries.len())
                .filter(|&e| c.in_force(e, at))
                .map(|e| {
                    let en = &c.entries[e];
                    let attrs: Map = en
                        .attributes
                        .iter()
                        .map(|(k, v)| (k.clone(), v.to_json()))
                        .collect();
                    J::object([
                        ("id", J::from(&en.id)),
                        ("kind", J::from(&en.kind)),
                        ("name", J::from(c.official_name(e))),
                        ("attributes", J::Object(attrs)),
                        ("cite", J::from(&en.info.cite)),
                    ])
                })
                .collect()
        };
        let mut m = Map::new();
        m.insert("entries".into(), J::Array(entries));
        catalogues.insert(c.name.clone(), item(policy, &c.info, at, m));
    }
    let provisions: Map = policy
        .history
        .provisions
        .iter()
        .map(|(id, p)| {
            let v = p.version_at(at);
            (
                id.clone(),
                J::object([
                    ("encoded", J::from(v.is_some_and(|v| v.encoded))),
                    ("since", J::from(v.map(|v| v.from.to_string()))),
                    ("by", J::from(v.and_then(|v| v.act.clone()))),
                ]),
            )
        })
        .collect();
    J::object([
        ("policy", J::from(&policy.meta.id)),
        ("edition", J::from(policy.edition_at(at))),
        ("at", J::from(at.to_string())),
        ("provisions", J::Object(provisions)),
        ("parameters", J::Object(params)),
        ("tables", J::Object(tables)),
        ("values", J::Object(values)),
        ("reasons", J::Object(reasons)),
        ("rules", J::Array(rules)),
        ("catalogues", J::Object(catalogues)),
    ])
}

/// One difference between two consolidated versions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    /// `provision`, `parameter`, `table`, `value`, `reason`, `rule` or
    /// `entry` (of a catalogue).
    pub kind: &'static str,
    pub id: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    pub before: J,
    pub after: J,
    /// The amending acts that came into force between the two dates.
    pub acts: Vec<String>,
}

/// Adds a change for every key added, removed or changed from `x` to `y`.
fn compare(kind: &'static str, x: &Map, y: &Map, acts: &[String], out: &mut Vec<Change>) {
    let change = |id: &str, change, before: &J, after: &J| Change {
        kind,
        id: id.to_string(),
        change,
        before: before.clone(),
        after: after.clone(),
        acts: acts.to_vec(),
    };
    for (k, v) in x {
        match y.get(k) {
            None => out.push(change(k, "removed", v, &J::Null)),
            Some(w) if w != v => out.push(change(k, "changed", v, w)),
            _ => {}
        }
    }
    for (k, w) in y {
        if !x.contains_key(k) {
            out.push(change(k, "added", &J::Null, w));
        }
    }
}

/// What differs between the policy as in force on `from` and on `to`.
pub fn diff(policy: &Policy, from: NaiveDate, to: NaiveDate) -> Vec<Change> {
    diff_policies(policy, from, policy, to)
}

/// What differs between `old` as in force on `from` and `new` as in force
/// on `to` (two folders of a policy, say, before and after an edit).
pub fn diff_policies(old: &Policy, from: NaiveDate, new: &Policy, to: NaiveDate) -> Vec<Change> {
    let policy = new;
    let a = consolidate(old, from);
    let b = consolidate(new, to);
    let (lo, hi) = if from <= to { (from, to) } else { (to, from) };
    let acts: Vec<String> = policy
        .history
        .acts
        .iter()
        .filter(|x| x.from > lo && x.from <= hi)
        .map(|x| x.id.clone())
        .collect();
    let mut out = Vec::new();
    let empty = Map::new();
    let section = |v: &J, k: &str| v[k].as_object().cloned().unwrap_or_else(|| empty.clone());
    for (kind, key) in [
        ("provision", "provisions"),
        ("parameter", "parameters"),
        ("table", "tables"),
        ("value", "values"),
        ("reason", "reasons"),
    ] {
        compare(kind, &section(&a, key), &section(&b, key), &acts, &mut out);
    }
    // Rules and catalogue entries are lists keyed by id.
    let keyed = |v: &J| -> Map {
        v.as_array()
            .map(|l| {
                l.iter()
                    .map(|x| (x["id"].as_str().unwrap_or("").to_string(), x.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    compare(
        "rule",
        &keyed(&a["rules"]),
        &keyed(&b["rules"]),
        &acts,
        &mut out,
    );
    for (name, c) in section(&a, "catalogues") {
        let d = &b["catalogues"][name.as_str()];
        compare(
            "entry",
            &keyed(&c["entries"]),
            &keyed(&d["entries"]),
            &acts,
            &mut out,
        );
    }
    // Name the act that brought the provision's version in, where known.
    for c in &mut out {
        let prov = if c.kind == "provision" {
            Some(c.id.clone())
        } else {
            [&c.after, &c.before].iter().find_map(|v| {
                v.get("provision")
                    .and_then(|p| p.as_str())
                    .map(String::from)
            })
        };
        let by = prov.and_then(|p| {
            let after = &b["provisions"][p.as_str()]["by"];
            let before = &a["provisions"][p.as_str()]["by"];
            let pick = if from <= to { after } else { before };
            pick.as_str().map(String::from)
        });
        if let Some(act) = by.filter(|x| c.acts.contains(x)) {
            c.acts = vec![act];
        }
    }
    out
}
