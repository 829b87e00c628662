//! The policy as in force on a date, as data: what `qagida consolidate`
//! prints and what `qagida diff` compares. Items whose provision's wording
//! in force then is not encoded are marked so.

use crate::core::json::{Json as J, Map};
use chrono::NaiveDate;

use crate::core::value::Value;
use crate::lang::ast::{Cell, Literal};
use crate::policy::catalogue::Attribute;
use crate::policy::history::Explanation;
use crate::policy::{Info, Policy, ValueNote};

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

/// A value with its own note, where it gives one: the value alone, or
/// `{value, cite, interpretation}`.
fn noted(v: J, note: &ValueNote) -> J {
    if note.is_empty() {
        return v;
    }
    let mut m = Map::new();
    m.insert("value".into(), v);
    if let Some(c) = &note.cite {
        m.insert("cite".into(), c.clone().into());
    }
    if let Some(i) = &note.interpretation {
        m.insert("interpretation".into(), i.clone().into());
    }
    J::Object(m)
}

/// An entry's attribute as in force on `at`: its value (`null` where the
/// act gives none), written `{value, cite, interpretation}` where the value
/// gives a note of its own; `None` before the first of its dated values.
pub fn attribute_at(a: &Attribute, at: NaiveDate) -> Option<J> {
    match a {
        Attribute::Plain(v) => Some(v.to_json()),
        Attribute::Dated(ds) => {
            let d = crate::policy::dated_at(ds, at)?;
            let v = d.value.as_ref().map_or(J::Null, |v| v.to_json());
            Some(noted(v, &d.note))
        }
    }
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
        // The citation and reading of the value in force, where it gives
        // its own.
        if let Some(note) = p
            .note_at(at)
            .filter(|_| status(policy, &p.info, at).is_none())
        {
            if let Some(c) = &note.cite {
                m.insert("value_cite".into(), c.clone().into());
            }
            if let Some(i) = &note.interpretation {
                m.insert("value_interpretation".into(), i.clone().into());
            }
        }
        if let Some(u) = &p.info.unit {
            m.insert("unit".into(), u.clone().into());
        }
        params.insert(n.clone(), item(policy, &p.info, at, m));
    }
    // Values, rules and rule reasons exist only on their dates.
    let mut values = Map::new();
    for v in policy.values.iter().filter(|v| v.info.exists(at)) {
        let mut m = Map::new();
        m.insert("type".into(), v.ty.to_string().into());
        if let Some(u) = &v.info.unit {
            m.insert("unit".into(), u.clone().into());
        }
        m.insert("expr".into(), v.code.text.trim().into());
        if !v.options.is_empty() {
            let options: Map = v
                .options
                .iter()
                .map(|o| {
                    let when = J::object([
                        ("when", J::from(o.when.text.trim())),
                        ("cite", J::from(&o.info.cite)),
                    ]);
                    (o.id.clone(), when)
                })
                .collect();
            m.insert("any_of".into(), options.into());
        }
        if let Some(w) = &v.when {
            m.insert("when".into(), w.text.trim().into());
        }
        values.insert(v.name.clone(), item(policy, &v.info, at, m));
    }
    // Tables and their rows, like values, exist only on their dates.
    let mut tables = Map::new();
    for t in policy.tables.iter().filter(|t| t.info.exists(at)) {
        let rows: Vec<J> = t
            .rows
            .iter()
            .filter(|r| r.info.exists(at))
            .map(|r| {
                let cells: Map = t
                    .columns
                    .iter()
                    .zip(&r.cells)
                    .enumerate()
                    .map(|(i, ((c, _), cell))| {
                        // A cell that is one number or truth value is that
                        // value, not text.
                        let v = match cell {
                            Cell::OneOf(ls) => match ls.as_slice() {
                                [
                                    l @ (Literal::Int(_) | Literal::Decimal(_) | Literal::Bool(_)),
                                ] => Value::from_literal(l).to_json(),
                                _ => t.cell_text(i, cell).into(),
                            },
                            _ => t.cell_text(i, cell).into(),
                        };
                        (c.clone(), v)
                    })
                    .collect();
                match &r.then_code {
                    Some(c) => J::object([
                        ("when", J::Object(cells)),
                        ("then_expr", J::from(c.text.trim())),
                        ("cite", J::from(&r.info.cite)),
                    ]),
                    None => J::object([
                        ("when", J::Object(cells)),
                        ("then", r.then.to_json()),
                        ("cite", J::from(&r.info.cite)),
                    ]),
                }
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
        .filter(|r| r.info.exists(at))
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
                .filter(|x| x.info.exists(at))
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
                        .filter_map(|(k, a)| Some((k.clone(), attribute_at(a, at)?)))
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
        let attributes: Map = c
            .attributes
            .iter()
            .map(|(a, (ty, inherit))| {
                let mut d = Map::new();
                d.insert("type".into(), J::from(ty.to_string()));
                d.insert("inherit".into(), J::from(*inherit));
                if let Some(i) = c.attribute_info.get(a) {
                    d.insert("cite".into(), J::from(&i.cite));
                    if let Some(r) = &i.interpretation {
                        d.insert("interpretation".into(), J::from(r));
                    }
                }
                (a.clone(), J::Object(d))
            })
            .collect();
        if !attributes.is_empty() {
            m.insert("attributes".into(), J::Object(attributes));
        }
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
                    ("note", J::from(v.and_then(|v| v.note.clone()))),
                ]),
            )
        })
        .collect();
    let mut out = vec![
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
    ];
    // The package's functions, where it has any (a policy without them
    // consolidates as before).
    if !policy.functions.is_empty() {
        let functions: Map = policy
            .functions
            .iter()
            .map(|f| {
                let params: Map = f
                    .params
                    .iter()
                    .map(|(p, t)| (p.clone(), t.to_string().into()))
                    .collect();
                let mut m = Map::new();
                m.insert("params".into(), J::Object(params));
                m.insert("returns".into(), f.returns.to_string().into());
                m.insert("expr".into(), f.code.text.trim().into());
                (f.name.clone(), item(policy, &f.info, at, m))
            })
            .collect();
        out.push(("functions", J::Object(functions)));
    }
    J::object(out)
}

/// One difference between two consolidated versions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    /// `provision`, `parameter`, `table`, `row` (of a table), `value`,
    /// `function`, `reason`, `rule`, `entry` (of a catalogue) or
    /// `attribute` (of an entry).
    pub kind: &'static str,
    /// The item's id; a row's is its conditions (`income: < 100`), an
    /// attribute's its name.
    pub id: String,
    /// The table of a row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The catalogue of an entry or an attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<String>,
    /// The entry of an attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    pub before: J,
    pub after: J,
    /// The amending acts responsible: those of [`Change::steps`], or, when
    /// two folders are compared, the acts that came into force between
    /// the two dates (the one that brought the provision's version in,
    /// where known).
    pub acts: Vec<String>,
    /// When the item changed between the two dates, a step a date, in
    /// order of date (comparing one policy on two dates only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

/// One date on which an item changed, and the act that explains it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    #[serde(serialize_with = "day")]
    pub date: NaiveDate,
    pub before: J,
    pub after: J,
    /// The acts whose entry into force can fall on the date and that list
    /// the item's provision among their changes (any act then, for an item
    /// that names no provision); empty when none does.
    pub acts: Vec<String>,
    /// The acts that come into force on the date without listing the
    /// item's provision.
    pub unlisted: Vec<String>,
    /// The provision the item rests on, which explaining acts list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
}

fn day<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::core::value::format_date(d))
}

impl Change {
    /// The provision the item rests on, as its consolidated form says (an
    /// entry's is its catalogue's, which its form does not say).
    pub fn provision(&self) -> Option<String> {
        if self.kind == "provision" {
            return Some(self.id.clone());
        }
        [&self.after, &self.before].iter().find_map(|v| {
            v.get("provision")
                .and_then(|p| p.as_str())
                .map(String::from)
        })
    }

    /// What identifies the item across consolidations.
    fn key(&self) -> (&'static str, [Option<String>; 3], String) {
        let within = [
            self.table.clone(),
            self.catalogue.clone(),
            self.entry.clone(),
        ];
        (self.kind, within, self.id.clone())
    }

    /// The item as a person names it: `parameter fee`, `row [income: <
    /// 100] of table points`, `attribute rate of entry T1`.
    pub fn name(&self) -> String {
        match (&self.table, &self.entry) {
            (Some(t), _) => format!("{} [{}] of table {t}", self.kind, self.id),
            (_, Some(e)) => format!("{} {} of entry {e}", self.kind, self.id),
            _ => format!("{} {}", self.kind, self.id),
        }
    }
}

/// What a change is within: the table of a row, the catalogue and the
/// entry of an attribute.
#[derive(Clone, Copy, Default)]
struct Within<'a> {
    table: Option<&'a str>,
    catalogue: Option<&'a str>,
    entry: Option<&'a str>,
}

/// Adds a change for every key added, removed or changed from `x` to `y`.
fn compare(kind: &'static str, within: Within<'_>, x: &Map, y: &Map, out: &mut Vec<Change>) {
    let change = |id: &str, change, before: &J, after: &J| Change {
        kind,
        id: id.to_string(),
        table: within.table.map(String::from),
        catalogue: within.catalogue.map(String::from),
        entry: within.entry.map(String::from),
        change,
        before: before.clone(),
        after: after.clone(),
        acts: Vec::new(),
        steps: Vec::new(),
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

/// `m` without its member `key`, which is compared on its own.
fn without(m: &Map, key: &str) -> Map {
    m.iter()
        .filter(|(k, _)| k.as_str() != key)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A table's consolidated rows keyed by their conditions, as a person
/// reads them (`income: < 100; region: north`): a row that an amendment
/// replaces by one of the same conditions is the same row changed. Rows
/// of the same conditions in force together are told apart by `#2`, `#3`.
fn rows_by_conditions(rows: &J) -> Map {
    let mut out = Map::new();
    for r in rows.as_array().map(Vec::as_slice).unwrap_or_default() {
        let when = r["when"].as_object().cloned().unwrap_or_default();
        let text: Vec<String> = when
            .iter()
            .map(|(c, v)| match v.as_str() {
                Some(s) => format!("{c}: {s}"),
                None => format!("{c}: {v}"),
            })
            .collect();
        let key = text.join("; ");
        let mut unique = key.clone();
        let mut n = 1;
        while out.contains_key(&unique) {
            n += 1;
            unique = format!("{key} #{n}");
        }
        out.insert(unique, r.clone());
    }
    out
}

/// What differs from the consolidated `a` to the consolidated `b`: each
/// item added, removed or changed; a table's rows and an entry's
/// attributes one by one, within a table and an entry in both.
fn changes(a: &J, b: &J) -> Vec<Change> {
    let mut out = Vec::new();
    let empty = Map::new();
    let section = |v: &J, k: &str| v[k].as_object().cloned().unwrap_or_else(|| empty.clone());
    let none = Within::default();
    for (kind, key) in [("provision", "provisions"), ("parameter", "parameters")] {
        compare(kind, none, &section(a, key), &section(b, key), &mut out);
    }
    // A table without its rows, then its rows one by one.
    let (ta, tb) = (section(a, "tables"), section(b, "tables"));
    let bare = |m: &Map| -> Map {
        m.iter()
            .map(|(k, v)| match v.as_object() {
                Some(o) => (k.clone(), J::Object(without(o, "rows"))),
                None => (k.clone(), v.clone()),
            })
            .collect()
    };
    compare("table", none, &bare(&ta), &bare(&tb), &mut out);
    for (name, x) in &ta {
        let Some(y) = tb.get(name) else { continue };
        let within = Within {
            table: Some(name),
            ..none
        };
        let (rx, ry) = (
            rows_by_conditions(&x["rows"]),
            rows_by_conditions(&y["rows"]),
        );
        compare("row", within, &rx, &ry, &mut out);
    }
    for (kind, key) in [
        ("value", "values"),
        ("function", "functions"),
        ("reason", "reasons"),
    ] {
        compare(kind, none, &section(a, key), &section(b, key), &mut out);
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
        none,
        &keyed(&a["rules"]),
        &keyed(&b["rules"]),
        &mut out,
    );
    for (name, c) in section(a, "catalogues") {
        let d = &b["catalogues"][&name];
        let (ex, ey) = (keyed(&c["entries"]), keyed(&d["entries"]));
        // An entry without its attributes, then its attributes one by one.
        let bare = |m: &Map| -> Map {
            m.iter()
                .map(|(k, v)| match v.as_object() {
                    Some(o) => (k.clone(), J::Object(without(o, "attributes"))),
                    None => (k.clone(), v.clone()),
                })
                .collect()
        };
        let within = Within {
            catalogue: Some(&name),
            ..none
        };
        compare("entry", within, &bare(&ex), &bare(&ey), &mut out);
        for (id, x) in &ex {
            let Some(y) = ey.get(id) else { continue };
            let attributes = |v: &J| v["attributes"].as_object().cloned().unwrap_or_default();
            let within = Within {
                entry: Some(id),
                ..within
            };
            compare(
                "attribute",
                within,
                &attributes(x),
                &attributes(y),
                &mut out,
            );
        }
    }
    out
}

/// Every date on which the consolidated policy can change: the dates of
/// parameters' and attributes' values, of items', tables', rows' and
/// entries' periods in force, of provisions' versions and of the acts,
/// ascending.
fn breakpoints(policy: &Policy) -> std::collections::BTreeSet<NaiveDate> {
    let mut out = std::collections::BTreeSet::new();
    let mut period = |i: &Info| out.extend(i.from.iter().chain(i.until.iter()).copied());
    policy.values.iter().for_each(|v| period(&v.info));
    for r in policy.decision.iter().flat_map(|d| &d.rules) {
        period(&r.info);
        r.reasons.iter().for_each(|x| period(&x.info));
    }
    for t in &policy.tables {
        period(&t.info);
        t.rows.iter().for_each(|r| period(&r.info));
    }
    for p in policy.params.values() {
        out.extend(p.values.iter().map(|(d, _)| *d));
    }
    for c in &policy.catalogues {
        for e in &c.entries {
            out.extend(e.from.iter().chain(e.until.iter()).copied());
            let dated = e.attributes.values().filter_map(Attribute::dated);
            out.extend(dated.flatten().map(|d| d.from));
        }
    }
    for p in policy.history.provisions.values() {
        out.extend(p.versions.iter().map(|v| v.from));
    }
    out.extend(policy.history.acts.iter().map(|a| a.from));
    out
}

/// The step of change `c` on `d`, with what explains it: the acts that change the item's
/// provision (or, for a rule, the provision of a reason whose period
/// starts or ends on `d`) and can have come into force on `d`.
fn explain(policy: &Policy, c: &Change, d: NaiveDate) -> Step {
    let own = provision_of(policy, c);
    let mut step = Step {
        date: d,
        before: c.before.clone(),
        after: c.after.clone(),
        acts: Vec::new(),
        unlisted: Vec::new(),
        provision: own.clone(),
    };
    let mut provisions = vec![own];
    if c.kind == "rule" {
        let rule = policy
            .decision
            .iter()
            .flat_map(|x| &x.rules)
            .find(|r| r.id == c.id);
        for x in rule.iter().flat_map(|r| &r.reasons) {
            if (x.info.from == Some(d) || x.info.until == Some(d))
                && !provisions.contains(&x.info.provision)
            {
                provisions.push(x.info.provision.clone());
            }
        }
    }
    let h = &policy.history;
    for p in &provisions {
        match h.explain(policy.meta.in_force_from, p.as_deref(), d) {
            Explanation::Acts(acts) => {
                step.acts = acts;
                step.unlisted.clear();
                return step;
            }
            Explanation::Unlisted(acts) => {
                for a in acts {
                    if !step.unlisted.contains(&a) {
                        step.unlisted.push(a);
                    }
                }
            }
            Explanation::Start | Explanation::Unexplained => {}
        }
    }
    step
}

/// The provision the item of change `c` rests on: an entry's and an
/// attribute's are their catalogue's, a row's its table's.
fn provision_of(policy: &Policy, c: &Change) -> Option<String> {
    match (&c.catalogue, &c.table) {
        (Some(name), _) => policy
            .catalogues
            .iter()
            .find(|x| x.name == *name)
            .and_then(|x| x.info.provision.clone()),
        (_, Some(name)) => policy.table(name).and_then(|t| t.info.provision.clone()),
        _ => c.provision(),
    }
}

/// What differs between the policy as in force on `from` and on `to`,
/// each change with the dates it happened on between them and the act
/// that explains each date.
pub fn diff(policy: &Policy, from: NaiveDate, to: NaiveDate) -> Vec<Change> {
    let mut out = changes(&consolidate(policy, from), &consolidate(policy, to));
    let (lo, hi) = if from <= to { (from, to) } else { (to, from) };
    // Step through every date something can change on, in order.
    let mut steps: std::collections::HashMap<_, Vec<Step>> = Default::default();
    let mut prev = consolidate(policy, lo);
    for d in
        breakpoints(policy).range((std::ops::Bound::Excluded(lo), std::ops::Bound::Included(hi)))
    {
        let cur = consolidate(policy, *d);
        for c in changes(&prev, &cur) {
            steps
                .entry(c.key())
                .or_default()
                .push(explain(policy, &c, *d));
        }
        prev = cur;
    }
    for c in &mut out {
        c.steps = steps.remove(&c.key()).unwrap_or_default();
        for s in &c.steps {
            for a in &s.acts {
                if !c.acts.contains(a) {
                    c.acts.push(a.clone());
                }
            }
        }
    }
    out
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
    let mut out = changes(&a, &b);
    // Name the act that brought the provision's version in, where known.
    for c in &mut out {
        c.acts = acts.clone();
        let by = provision_of(policy, c).and_then(|p| {
            let after = &b["provisions"][&p]["by"];
            let before = &a["provisions"][&p]["by"];
            let pick = if from <= to { after } else { before };
            pick.as_str().map(String::from)
        });
        if let Some(act) = by.filter(|x| c.acts.contains(x)) {
            c.acts = vec![act];
        }
    }
    out
}
