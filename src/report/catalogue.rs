//! A catalogue (such as a List of professions) in force on a date: as a
//! tree or the entries that match a search, as text or JSON.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::core::diag::Diagnostic;
use crate::core::json::{Json, Map};
use crate::core::value::Value;
use crate::policy::Policy;
use crate::policy::catalogue::Catalogue;
use crate::report::dates::parse_date;
use crate::report::failure::{Exit, Failure};

/// The date a command that shows the policy means when it is given none:
/// the act's last day in force, when it has one. An act still in force
/// has no such day, and the machine's clock is read only when asked
/// (`--at today`), so the command then asks for `--at`.
pub fn default_date(policy: &Policy) -> Result<NaiveDate, Failure> {
    match policy.meta.in_force_until {
        Some(u) => Ok(u.pred_opt().unwrap_or(u)),
        None => Err(Failure::new(
            Exit::Usage,
            vec![
                Diagnostic::error(
                    "no-date",
                    format!(
                        "no date to show the policy at: `{}` has no last day in force",
                        policy.meta.id
                    ),
                )
                .help("give the date with --at DATE, or --at today for the machine's local date"),
            ],
        )),
    }
}

/// What to show of a catalogue.
#[derive(Clone, Copy, Debug, Default)]
pub struct Query<'a> {
    /// Which catalogue; by default the first.
    pub name: Option<&'a str>,
    /// The date; by default the act's last day in force.
    pub at: Option<&'a str>,
    /// Names in this language too, in the text.
    pub lang: Option<&'a str>,
    /// JSON rather than text.
    pub json: bool,
    /// Only the entries whose names or aliases contain this.
    pub search: Option<&'a str>,
}

/// The catalogue `name` (by default the policy's first) as in force on
/// `at`: refused when the date is outside the act, or when the
/// catalogue's wording in force then is not encoded.
pub fn open<'p>(
    policy: &'p Policy,
    name: Option<&str>,
    at: NaiveDate,
) -> Result<&'p Catalogue, Failure> {
    let usage = |m: String| Failure::new(Exit::Usage, vec![Diagnostic::error("usage", m)]);
    let cat = match name {
        Some(n) => policy
            .catalogues
            .iter()
            .find(|c| c.name == n)
            .ok_or_else(|| {
                let names: Vec<&str> = policy.catalogues.iter().map(|c| c.name.as_str()).collect();
                usage(format!(
                    "policy `{}` has no catalogue `{n}` (it has: {})",
                    policy.meta.id,
                    names.join(", ")
                ))
            })?,
        None => policy
            .catalogues
            .first()
            .ok_or_else(|| usage(format!("policy `{}` has no catalogue", policy.meta.id)))?,
    };
    let at = crate::report::dates::in_force_on(policy, at)?;
    if let Some(p) = &cat.info.provision
        && !policy.history.encoded(p, at)
    {
        return Err(Failure::new(
            Exit::OutOfForce,
            vec![Diagnostic::error(
                "not-encoded",
                format!(
                    "the wording of `{}` in force on {at} is not encoded (provision `{p}`)",
                    cat.name
                ),
            )],
        ));
    }
    Ok(cat)
}

/// The entries of `cat` in force on `at`, those `search` matches where
/// given.
pub fn shown(cat: &Catalogue, search: Option<&str>, at: NaiveDate) -> Vec<usize> {
    match search {
        Some(q) => cat
            .search(q)
            .into_iter()
            .filter(|&e| cat.in_force(e, at))
            .collect(),
        None => (0..cat.entries.len())
            .filter(|&e| cat.in_force(e, at))
            .collect(),
    }
}

/// The catalogue as `q` asks for it, as `catalogue` prints it.
pub fn view(policy: &Policy, args: &Query<'_>) -> Result<String, Failure> {
    let at = match args.at {
        Some(s) => parse_date(s)?,
        None => default_date(policy)?,
    };
    let cat = open(policy, args.name, at)?;
    let shown = shown(cat, args.search, at);
    // Nothing in force then: the entries that match on other dates.
    let elsewhere: Vec<usize> = match args.search {
        Some(q) if shown.is_empty() => cat.search(q),
        _ => Vec::new(),
    };
    let text = match (args.json, args.search) {
        (true, None) => json_tree(cat, &shown, at),
        (true, Some(_)) => json_list(cat, &shown, &elsewhere, at),
        (false, None) => text_tree(policy, cat, &shown, at, args.lang),
        (false, Some(q)) if shown.is_empty() => {
            let mut s = header(policy, cat, at, args.lang);
            let _ = write!(
                s,
                "no entry matching `{}` is in force on {at}",
                crate::core::text::escape(q)
            );
            if elsewhere.is_empty() {
                let _ = writeln!(s, ", nor on any other date");
            } else {
                let _ = writeln!(s);
                s += &text_elsewhere(cat, &elsewhere, args.lang);
            }
            s
        }
        (false, Some(q)) => text_list(policy, cat, &shown, at, q, args.lang),
    };
    Ok(text)
}

/// An entry's attributes on `at`, each marked where it is its parent's:
/// a dated value with the date it applies from, and before the first date
/// the date its values start.
fn attributes(cat: &Catalogue, e: usize, at: NaiveDate) -> String {
    let en = &cat.entries[e];
    let own = |a: &str| {
        let parent = en.parent.and_then(|p| cat.entries[p].attributes.get(a));
        match (parent, en.attributes.get(a)) {
            (Some(x), Some(y)) => !x.same(y),
            _ => true,
        }
    };
    en.attributes
        .iter()
        .filter_map(|(k, a)| {
            let text = match a.dated() {
                None => match a.value_at(at)? {
                    Value::List(l) if l.is_empty() => return None,
                    v => v.to_string(),
                },
                Some(ds) => match crate::policy::dated_at(ds, at) {
                    Some(d) => match &d.value {
                        Some(v) => format!("{v} (since {})", d.from),
                        None => format!("no value (since {})", d.from),
                    },
                    None => format!("none before {}", ds.first()?.from),
                },
            };
            let inherited = if own(k) { "" } else { " (inherited)" };
            Some(format!("{k} {text}{inherited}"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn translation(cat: &Catalogue, e: usize, lang: Option<&str>) -> String {
    lang.filter(|l| *l != cat.official)
        .and_then(|l| cat.entries[e].name.get(l))
        .map(|n| format!(" ({n})"))
        .unwrap_or_default()
}

/// The catalogue's title, name, date and citation; in a language given
/// with `--lang`, its title, date and citation in that language, after the
/// note that the text is unofficial where the language is not the act's.
fn header(policy: &Policy, cat: &Catalogue, at: NaiveDate, lang: Option<&str>) -> String {
    let Some(l) = lang else {
        let title = cat
            .info
            .label
            .get("en")
            .or_else(|| cat.info.label.values().next())
            .cloned()
            .unwrap_or_default();
        return format!(
            "{title} ({}), in force on {at} [{}]\n",
            cat.name, cat.info.cite
        );
    };
    let loc = crate::core::locale::or_english(l);
    let title = cat
        .info
        .label
        .get(l)
        .or_else(|| cat.info.label.get(&cat.official))
        .cloned()
        .unwrap_or_default();
    let mut s = String::new();
    if let Some(note) = loc.unofficial(&policy.meta.official_language) {
        s += &format!("{note}\n");
    }
    s += &format!(
        "{title} ({}), {} [{}]\n",
        cat.name,
        loc.fill("doc.table.on", &[("date", &loc.date(at))]),
        policy.cite_in(&cat.info.cite, l)
    );
    s
}

/// An entry's kind, in `lang` where the catalogue names its kinds in it.
fn kind<'a>(cat: &'a Catalogue, e: usize, lang: Option<&str>) -> &'a str {
    let k = &cat.entries[e].kind;
    lang.and_then(|l| cat.kind_labels.get(k)?.get(l))
        .map_or(k.as_str(), String::as_str)
}

/// A citation, in `lang` where given.
fn cite_of(policy: &Policy, c: &str, lang: Option<&str>) -> String {
    lang.map_or_else(|| c.to_string(), |l| policy.cite_in(c, l))
}

fn text_tree(
    policy: &Policy,
    cat: &Catalogue,
    shown: &[usize],
    at: NaiveDate,
    lang: Option<&str>,
) -> String {
    let mut s = header(policy, cat, at, lang);
    for &e in shown {
        let en = &cat.entries[e];
        let depth = {
            let mut d = 0;
            let mut p = en.parent;
            while let Some(x) = p {
                d += 1;
                p = cat.entries[x].parent;
            }
            d
        };
        let attrs = attributes(cat, e, at);
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!("  {attrs}")
        };
        let _ = writeln!(
            s,
            "{}{} {}: {}{}{}{attrs}  [{}]",
            "  ".repeat(depth),
            en.id,
            kind(cat, e, lang),
            cat.official_name(e),
            look_alike(cat, e),
            translation(cat, e, lang),
            cite_of(policy, &en.info.cite, lang)
        );
    }
    s
}

fn text_list(
    policy: &Policy,
    cat: &Catalogue,
    shown: &[usize],
    at: NaiveDate,
    q: &str,
    lang: Option<&str>,
) -> String {
    let mut s = header(policy, cat, at, lang);
    let _ = writeln!(
        s,
        "{} entr{} matching `{q}`:",
        shown.len(),
        if shown.len() == 1 { "y" } else { "ies" }
    );
    for &e in shown {
        let en = &cat.entries[e];
        let attrs = attributes(cat, e, at);
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!("\n    {attrs}")
        };
        let _ = writeln!(
            s,
            "  {} {}: {}{}{}\n    {}{attrs}  [{}]",
            en.id,
            kind(cat, e, lang),
            cat.official_name(e),
            look_alike(cat, e),
            translation(cat, e, lang),
            cat.path(e),
            cite_of(policy, &en.info.cite, lang)
        );
    }
    s
}

/// The dates an entry is in force, in words: `from 2021-09-15`,
/// `before 2023-07-01`, `from 2019-01-01, before 2023-07-01`, or `never`.
fn period_text(cat: &Catalogue, e: usize) -> String {
    match cat.period(e) {
        (Some(f), Some(u)) if f >= u => "never".into(),
        (Some(f), Some(u)) => format!("from {f}, before {u}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(u)) => format!("before {u}"),
        (None, None) => "always".into(),
    }
}

/// The entries that match a search only on other dates, with their dates.
fn text_elsewhere(cat: &Catalogue, elsewhere: &[usize], lang: Option<&str>) -> String {
    let mut s = String::new();
    if elsewhere.is_empty() {
        return s;
    }
    let _ = writeln!(
        s,
        "{} entr{} {} on other dates:",
        elsewhere.len(),
        if elsewhere.len() == 1 { "y" } else { "ies" },
        if elsewhere.len() == 1 {
            "matches"
        } else {
            "match"
        },
    );
    for &e in elsewhere {
        let en = &cat.entries[e];
        let _ = writeln!(
            s,
            "  {} {}: {}{}{}\n    {}  in force {}  [{}]",
            en.id,
            en.kind,
            cat.official_name(e),
            look_alike(cat, e),
            translation(cat, e, lang),
            cat.path(e),
            period_text(cat, e),
            en.info.cite
        );
    }
    s
}

/// ` (look-alike letters: i U+0069)` after an official name written with
/// characters the catalogue folds, so that a reader knows why a name typed
/// with the letter it stands for is found; else nothing.
fn look_alike(cat: &Catalogue, e: usize) -> String {
    let chars = cat.look_alikes(e);
    if chars.is_empty() {
        return String::new();
    }
    let each: Vec<String> = chars
        .iter()
        .map(|c| format!("{c} U+{:04X}", u32::from(*c)))
        .collect();
    format!(" (look-alike letters: {})", each.join(", "))
}

fn entry_json(cat: &Catalogue, e: usize, at: NaiveDate) -> Map {
    let en = &cat.entries[e];
    let mut m = Map::new();
    m.insert("id".into(), en.id.clone().into());
    m.insert("kind".into(), en.kind.clone().into());
    m.insert(
        "name".into(),
        Json::from(serde_json::to_value(&en.name).unwrap_or_default()),
    );
    if let Some(w) = &en.wording {
        m.insert("wording".into(), w.clone().into());
    }
    for (k, a) in &en.attributes {
        if let Some(v) = crate::policy::consolidate::attribute_at(a, at) {
            m.insert(k.clone(), v);
        }
    }
    m.insert(
        "aliases".into(),
        Json::from(serde_json::to_value(&en.aliases).unwrap_or_default()),
    );
    let look_alikes = cat.look_alikes(e);
    if !look_alikes.is_empty() {
        let each = look_alikes
            .iter()
            .map(|c| Json::from(format!("U+{:04X}", u32::from(*c))));
        m.insert("look_alikes".into(), Json::Array(each.collect()));
    }
    m.insert("cite".into(), en.info.cite.clone().into());
    if let Some(i) = &en.info.interpretation {
        m.insert("interpretation".into(), i.clone().into());
    }
    m
}

fn json_tree(cat: &Catalogue, shown: &[usize], at: NaiveDate) -> String {
    fn build(cat: &Catalogue, e: usize, shown: &[usize], at: NaiveDate) -> Json {
        let mut m = entry_json(cat, e, at);
        let children: Vec<Json> = cat.entries[e]
            .children
            .iter()
            .filter(|c| shown.contains(c))
            .map(|&c| build(cat, c, shown, at))
            .collect();
        if !children.is_empty() {
            m.insert("children".into(), Json::Array(children));
        }
        Json::Object(m)
    }
    let roots: Vec<Json> = shown
        .iter()
        .filter(|&&e| cat.entries[e].parent.is_none())
        .map(|&e| build(cat, e, shown, at))
        .collect();
    let v = Json::object([
        ("catalogue", Json::from(&cat.name)),
        ("at", Json::from(at.to_string())),
        ("cite", Json::from(&cat.info.cite)),
        ("entries", Json::Array(roots)),
    ]);
    format!("{}\n", v.to_pretty())
}

fn json_list(cat: &Catalogue, shown: &[usize], elsewhere: &[usize], at: NaiveDate) -> String {
    let list = |es: &[usize], dated: bool| -> Vec<Json> {
        es.iter()
            .map(|&e| {
                let mut m = entry_json(cat, e, at);
                m.insert("path".into(), cat.path(e).into());
                if dated {
                    let (from, until) = cat.period(e);
                    let day = |d: Option<NaiveDate>| Json::from(d.map(|d| d.to_string()));
                    let period = Json::object([("from", day(from)), ("until", day(until))]);
                    m.insert("in_force".into(), period);
                }
                Json::Object(m)
            })
            .collect()
    };
    let mut members = vec![
        ("catalogue", Json::from(&cat.name)),
        ("at", Json::from(at.to_string())),
        ("entries", Json::Array(list(shown, false))),
    ];
    if !elsewhere.is_empty() {
        members.push(("on_other_dates", Json::Array(list(elsewhere, true))));
    }
    format!("{}\n", Json::object(members).to_pretty())
}
