//! The batch's direct JSON reader (`input::json`) against the general
//! reader (`input::from_data`), differentially: wherever the direct
//! reader takes a line, it reads exactly what the general reader reads,
//! and a line the general reader refuses the direct reader never takes.
//!
//! Applications of the built-in default policy (kz) and of the example
//! policy are generated as JSON text from each policy's input schema,
//! field by field, clean or broken: valid values of each type, forms at
//! the edges of what reads (names of catalogue entries in other cases and
//! spacing, names that several entries share with and without the
//! sibling that settles them, dates that do not exist, numbers out of
//! range, decimals with many digits, escapes), values of the wrong type,
//! absent and null fields, unknown and repeated keys, and text that is
//! not JSON. The check is the fuzz target `json_line`'s, in
//! `fuzz/src/lib.rs` (included by `fuzz_regressions`).

use std::cell::Cell;
use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use qagida::engine::Plan;
use qagida::lang::types::{FieldType, RecordType, Type};
use qagida::policy::Policy;
use qagida::policy::catalogue::{Catalogue, normalize};

use crate::fuzz_regressions::harness::{self, Agreement};

type S = BoxedStrategy<String>;

/// Applications generated for each policy.
const CASES: u32 = 512;

fn kz() -> &'static Plan {
    harness::default_plan()
}

/// A string as JSON text.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string")
}

/// One of `items`, as they are.
fn one_of(items: &[&str]) -> S {
    let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
    prop::sample::select(items).boxed()
}

/// One of `items`, quoted.
fn one_of_quoted(items: Vec<String>) -> S {
    if items.is_empty() {
        return Just(quoted("")).boxed();
    }
    prop::sample::select(items).prop_map(|s| quoted(&s)).boxed()
}

/// Strategies by weight, leaving out those of weight 0.
fn weighted(arms: Vec<(u32, S)>) -> S {
    Union::new_weighted(arms.into_iter().filter(|(w, _)| *w > 0).collect()).boxed()
}

/// How an application is generated: its values clean (0), with odd forms
/// at the edges of what reads (1), or with wrong types as well (2); and
/// the faults of its records.
#[derive(Clone, Copy, Debug)]
struct Noise {
    values: u8,
    fault: Fault,
}

/// A fault of records and their keys, here and there in an application.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    None,
    /// A key given twice.
    Repeated,
    /// A key of no field.
    Unknown,
    /// A field's key misspelt.
    Misspelt,
    /// A required field absent.
    Missing,
    /// A required field null.
    Null,
    /// All of them.
    All,
}

impl Noise {
    const CLEAN: Noise = Noise {
        values: 0,
        fault: Fault::None,
    };

    fn has(self, fault: Fault) -> bool {
        self.fault == fault || self.fault == Fault::All
    }
}

/// A value of any other type.
fn wrong() -> S {
    one_of(&[
        "null",
        "true",
        "false",
        "0",
        "7",
        "-1",
        "2.5",
        "1e3",
        "\"x\"",
        "\"\"",
        "[]",
        "[1]",
        "[null]",
        "{}",
        "{\"a\": 1}",
    ])
}

/// A clean form, an odd one or a wrong one, by the noise: few fields of
/// an application are odd or wrong, so that it may still read.
fn by_noise(noise: Noise, clean: S, odd: S) -> S {
    match noise.values {
        0 => clean,
        1 => weighted(vec![(12, clean), (1, odd)]),
        _ => weighted(vec![(22, clean), (1, odd), (1, wrong())]),
    }
}

fn date_text(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn clean_date() -> BoxedStrategy<String> {
    (1990i32..2030, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| date_text(y, m, d))
        .boxed()
}

/// Dates that may not exist, written in the forms that nearly read.
fn odd_date() -> BoxedStrategy<String> {
    prop_oneof![
        (0i32..10000, 0u32..14, 0u32..33).prop_map(|(y, m, d)| date_text(y, m, d)),
        (1990i32..2030, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| date_text(y, m, d)),
        (1990i32..2030, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y}-{m}-{d}")),
        (1990i32..2030, 1u32..=9, 10u32..=28).prop_map(|(y, m, d)| format!("{y}- {m}-{d}")),
        clean_date().prop_map(|d| format!(" {d}\t")),
        clean_date().prop_map(|d| format!("+{d}")),
        clean_date().prop_map(|d| d.replace('-', "")),
        Just("2020-02-29".to_string()),
        Just("2021-02-29".to_string()),
        Just("today".to_string()),
        Just(String::new()),
    ]
    .boxed()
}

fn clean_time() -> BoxedStrategy<String> {
    (0u32..24, 0u32..60)
        .prop_map(|(h, m)| format!("{h:02}:{m:02}"))
        .boxed()
}

fn odd_time() -> BoxedStrategy<String> {
    prop_oneof![
        (0u32..30, 0u32..70).prop_map(|(h, m)| format!("{h:02}:{m:02}")),
        (0u32..24, 0u32..60, 0u32..62).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}")),
        (0u32..24, 0u32..60).prop_map(|(h, m)| format!("{h}:{m}")),
        Just("10:00 am".to_string()),
        Just("24:00".to_string()),
    ]
    .boxed()
}

/// The value of field `ft` (or of a list's element, with no field) of
/// type `ty`, as JSON text.
fn value(policy: &'static Policy, ty: &Type, ft: Option<&FieldType>, noise: Noise) -> S {
    match ty {
        Type::Int => by_noise(
            noise,
            {
                // A clean value lies within the field's bounds, if it has any.
                let bound = |b: Option<&qagida::core::value::Value>, or: i64| match b {
                    Some(qagida::core::value::Value::Int(i)) => *i,
                    _ => or,
                };
                let lo = bound(ft.and_then(|f| f.options.min.as_ref()), -3);
                let hi = bound(ft.and_then(|f| f.options.max.as_ref()), 39);
                (lo..=hi).prop_map(|n| n.to_string()).boxed()
            },
            prop_oneof![
                any::<i64>().prop_map(|n| n.to_string()),
                one_of(&[
                    "-0",
                    "9223372036854775807",
                    "-9223372036854775808",
                    "9223372036854775808",
                    "-9223372036854775809",
                    "18446744073709551615",
                    "18446744073709551616",
                    "100000000000000000000000",
                    "1e2",
                    "5.0",
                    "1E400",
                    "\"5\"",
                    "\" 7 \"",
                    "\"99999999999999999999\"",
                    "\"-99999999999999999999\"",
                ]),
            ]
            .boxed(),
        ),
        Type::Decimal => by_noise(
            noise,
            prop_oneof![
                (0u32..20000).prop_map(|n| n.to_string()),
                (0u32..20000, 0u32..100).prop_map(|(a, b)| format!("{a}.{b:02}")),
            ]
            .boxed(),
            prop_oneof![
                // Many digits, as a number and as a string.
                ("-?[0-9]{1,22}", "[0-9]{1,32}").prop_map(|(a, b)| format!("{a}.{b}")),
                ("-?[0-9]{1,22}", "[0-9]{1,32}").prop_map(|(a, b)| quoted(&format!("{a}.{b}"))),
                any::<f64>()
                    .prop_filter("finite", |f| f.is_finite())
                    .prop_map(|f| format!("{f:e}")),
                any::<f64>()
                    .prop_filter("finite", |f| f.is_finite())
                    .prop_map(|f| format!("{f}")),
                one_of(&[
                    "0.1",
                    "-0",
                    "-0.0",
                    "1e-7",
                    "1.5E3",
                    "1e28",
                    "1e29",
                    "1e300",
                    "1e-300",
                    "5e-324",
                    "79228162514264337593543950335",
                    "79228162514264337593543950336",
                    "18446744073709551616",
                    "0.00000000000000000000000000001",
                    "\"300.50\"",
                    "\" 12.5 \"",
                    "\"1e5\"",
                    "\"abc\"",
                    "\"99999999999999999999999999999999\"",
                    "\"1e400\"",
                    "\"-\"",
                ]),
            ]
            .boxed(),
        ),
        Type::Bool => by_noise(
            noise,
            any::<bool>().prop_map(|b| b.to_string()).boxed(),
            one_of(&["\"true\"", "\"false\"", "1", "0", "\"yes\""]),
        ),
        Type::String => by_noise(
            noise,
            "[a-zA-Z0-9 әіңғүұқөһ.,-]{0,16}"
                .prop_map(|s| quoted(&s))
                .boxed(),
            prop_oneof![
                any::<String>().prop_map(|s| quoted(&s)),
                one_of(&[
                    "\"\\u0041b\\n\\t\\\"c\\\\\"",
                    "\"\\ud83d\\ude00\"",
                    "\"\"",
                    "5",
                    "\"\\u0000\"",
                ]),
            ]
            .boxed(),
        ),
        Type::Enum(members) => {
            let members: Vec<String> = members.iter().map(|m| m.to_string()).collect();
            let odd: Vec<String> = members
                .iter()
                .flat_map(|m| {
                    [
                        m.to_uppercase(),
                        format!(" {m}"),
                        format!("{m} "),
                        m[1..].to_string(),
                        m.replace('_', " "),
                    ]
                })
                .collect();
            // A member with its first letter escaped.
            let escaped: Vec<String> = members
                .iter()
                .map(|m| format!("\"\\u{:04x}{}\"", u32::from(m.as_bytes()[0]), &m[1..]))
                .collect();
            by_noise(
                noise,
                one_of_quoted(members),
                prop_oneof![one_of_quoted(odd), prop::sample::select(escaped)].boxed(),
            )
        }
        Type::Date => by_noise(
            noise,
            clean_date().prop_map(|d| quoted(&d)).boxed(),
            prop_oneof![
                odd_date().prop_map(|d| quoted(&d)),
                (clean_date(), clean_time()).prop_map(|(d, t)| quoted(&format!("{d}T{t}"))),
            ]
            .boxed(),
        ),
        Type::DateTime => {
            let bare = ft.is_some_and(|f| f.options.bare_time.is_some());
            let clean = (clean_date(), clean_time(), any::<bool>(), 0u32..60).prop_map(
                move |(d, t, plain, s)| match (plain, bare) {
                    (true, true) => quoted(&d),
                    (true, false) => quoted(&format!("{d}T{t}")),
                    (false, _) => quoted(&format!("{d}T{t}:{s:02}")),
                },
            );
            by_noise(
                noise,
                clean.boxed(),
                prop_oneof![
                    (odd_date(), clean_time()).prop_map(|(d, t)| quoted(&format!("{d}T{t}"))),
                    (clean_date(), odd_time()).prop_map(|(d, t)| quoted(&format!("{d}T{t}"))),
                    (clean_date(), clean_time()).prop_map(|(d, t)| quoted(&format!("{d} {t}"))),
                    (clean_date(), clean_time()).prop_map(|(d, t)| quoted(&format!("{d}T{t}Z"))),
                    odd_date().prop_map(|d| quoted(&d)),
                    clean_date().prop_map(|d| quoted(&d)),
                ]
                .boxed(),
            )
        }
        Type::Time => by_noise(
            noise,
            clean_time().prop_map(|t| quoted(&t)).boxed(),
            odd_time().prop_map(|t| quoted(&t)).boxed(),
        ),
        Type::Duration => {
            let unit = one_of(&["day", "days", "working days", "weeks", "month", "years"]);
            by_noise(
                noise,
                (0i64..40, unit)
                    .prop_map(|(n, u)| quoted(&format!("{n} {u}")))
                    .boxed(),
                one_of(&[
                    "\"-2 weeks\"",
                    "\"3months\"",
                    "\"3 Months\"",
                    "\"3 fortnights\"",
                    "\"1 working day\"",
                    "3",
                ]),
            )
        }
        Type::List(elem) => {
            let items = prop::collection::vec(value(policy, elem, None, noise), 0..5)
                .prop_map(|items| format!("[{}]", items.join(", ")));
            // A list of lists, or a list with a null among its elements.
            let odd = prop_oneof![
                prop::collection::vec(value(policy, elem, None, noise), 0..3)
                    .prop_map(|items| format!("[[{}]]", items.join(", "))),
                prop::collection::vec(value(policy, elem, None, noise), 0..3).prop_map(
                    |items| format!("[{}]", [items, vec!["null".into()]].concat().join(","))
                ),
            ];
            by_noise(noise, items.boxed(), odd.boxed())
        }
        Type::Record(r) => by_noise(
            noise,
            record(policy, r, noise),
            record(policy, r, Noise::CLEAN),
        ),
        Type::Ref(cat) => {
            let Some(c) = policy.catalogues.iter().find(|c| c.name == **cat) else {
                return wrong();
            };
            let kinds = ft.and_then(|f| f.options.kinds.as_deref());
            let pool = Pool::of(c, kinds);
            by_noise(noise, pool.clean(), pool.odd())
        }
        Type::Any => wrong(),
    }
}

/// Names of a catalogue's entries, as a field that accepts `kinds` sees
/// them.
struct Pool {
    ids: Vec<String>,
    /// Official names that one entry of the kinds accepted has.
    unique: Vec<String>,
    /// Official names that several entries of the kinds accepted share.
    shared: Vec<String>,
    /// Ids and names of entries of other kinds.
    other: Vec<String>,
}

impl Pool {
    fn of(c: &Catalogue, kinds: Option<&[String]>) -> Pool {
        let ok = |e: usize| kinds.is_none_or(|k| k.contains(&c.entries[e].kind));
        let mut pool = Pool {
            ids: vec![],
            unique: vec![],
            shared: vec![],
            other: vec![],
        };
        for e in 0..c.entries.len() {
            let name = c.official_name(e).to_string();
            if !ok(e) {
                pool.other.push(c.entries[e].id.clone());
                pool.other.push(name);
                continue;
            }
            pool.ids.push(c.entries[e].id.clone());
            let sharing = c
                .by_name
                .get(&normalize(&name))
                .map_or(0, |es| es.iter().filter(|&&x| ok(x)).count());
            if sharing > 1 {
                pool.shared.push(name);
            } else {
                pool.unique.push(name);
            }
        }
        pool
    }

    fn clean(&self) -> S {
        prop_oneof![
            one_of_quoted(self.ids.clone()),
            one_of_quoted(self.unique.clone()),
        ]
        .boxed()
    }

    fn odd(&self) -> S {
        let names: Vec<String> = self.unique.iter().chain(&self.shared).cloned().collect();
        prop_oneof![
            (prop::sample::select(names), 0..6u8).prop_map(|(n, how)| quoted(&respell(&n, how))),
            one_of_quoted(self.shared.clone()),
            one_of_quoted(self.other.clone()),
            one_of_quoted(self.ids.iter().map(|id| format!(" {id} ")).collect()),
            one_of(&["1", "1.5", "\"no such entry\"", "\"\""]),
        ]
        .boxed()
    }
}

/// A name written otherwise: in other cases, with other spacing, cut;
/// or as it is.
fn respell(name: &str, how: u8) -> String {
    match how {
        0 => name.to_uppercase(),
        1 => name.to_lowercase(),
        2 => name.replace(' ', "  "),
        3 => format!("\t{name} "),
        4 => name.replace(' ', "\u{a0}"),
        5 => name.chars().skip(1).collect(),
        _ => name.to_string(),
    }
}

/// The key of field `name`, as JSON text: as it is, or (with odd values)
/// with its first letter escaped, or (as a fault) misspelt.
fn key(name: &str, noise: Noise) -> S {
    let plain = quoted(name);
    let escaped = format!(
        "\"\\u{:04x}{}\"",
        name.chars().next().map_or(0, u32::from),
        quoted(&name.chars().skip(1).collect::<String>()).trim_matches('"')
    );
    let misspelt = quoted(&format!("{name}s"));
    weighted(vec![
        (40, Just(plain).boxed()),
        (u32::from(noise.values > 0) * 3, Just(escaped).boxed()),
        (
            u32::from(noise.has(Fault::Misspelt)),
            Just(misspelt).boxed(),
        ),
    ])
}

/// A field's entries (`"key": value`): none when it is absent, which an
/// optional field often is (a required one as a fault), or `null`.
fn entries(policy: &'static Policy, name: &str, ft: &FieldType, noise: Noise) -> Entries {
    let given = (key(name, noise), value(policy, &ft.ty, Some(ft), noise))
        .prop_map(|(k, v)| vec![format!("{k}: {v}")]);
    let null = key(name, noise).prop_map(|k| vec![format!("{k}: null")]);
    let (absent, null_weight) = match (ft.optional, noise.values) {
        (true, 0) => (3, 0),
        (true, _) => (6, 3),
        (false, _) => (
            u32::from(noise.has(Fault::Missing)),
            u32::from(noise.has(Fault::Null)),
        ),
    };
    weighted_entries(vec![
        (30, given.boxed()),
        (absent, Just(vec![]).boxed()),
        (null_weight, null.boxed()),
    ])
}

type Entries = BoxedStrategy<Vec<String>>;

fn weighted_entries(arms: Vec<(u32, Entries)>) -> Entries {
    Union::new_weighted(arms.into_iter().filter(|(w, _)| *w > 0).collect()).boxed()
}

/// A field `name` read within its sibling `sibling` (both entries of a
/// catalogue), generated together: often a name that several entries
/// share with the sibling that settles it (or another), or without one.
fn within(
    policy: &'static Policy,
    (name, ft): (&str, &FieldType),
    (sibling, st): (&str, &FieldType),
    noise: Noise,
) -> Entries {
    let apart = (
        entries(policy, name, ft, noise),
        entries(policy, sibling, st, noise),
    )
        .prop_map(|(mut a, b)| {
            a.extend(b);
            a
        })
        .boxed();
    let Type::Ref(cat) = &ft.ty else {
        return apart;
    };
    let Some(c) = policy.catalogues.iter().find(|c| c.name == **cat) else {
        return apart;
    };
    let kinds = ft.options.kinds.as_deref();
    let sibling_kinds = st.options.kinds.as_deref();
    let ok = |e: usize, k: Option<&[String]>| k.is_none_or(|k| k.contains(&c.entries[e].kind));
    // Each entry's name, with the ids and names of its ancestors of the
    // sibling's kinds.
    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    for e in (0..c.entries.len()).filter(|&e| ok(e, kinds)) {
        let mut settles = Vec::new();
        let mut at = c.entries[e].parent;
        while let Some(a) = at {
            if ok(a, sibling_kinds) {
                settles.push(c.entries[a].id.clone());
                settles.push(c.official_name(a).to_string());
            }
            at = c.entries[a].parent;
        }
        if !settles.is_empty() {
            pairs.push((c.official_name(e).to_string(), settles));
        }
    }
    // Names that several share first, as the pairs that matter.
    let shared: BTreeSet<String> = Pool::of(c, kinds).shared.into_iter().collect();
    pairs.sort_by_key(|(n, _)| !shared.contains(n));
    let n_shared = pairs
        .iter()
        .filter(|(n, _)| shared.contains(n))
        .count()
        .max(1);
    pairs.truncate(n_shared.max(8));
    if pairs.is_empty() {
        return apart;
    }
    let others: Vec<String> = (0..c.entries.len())
        .filter(|&e| ok(e, sibling_kinds))
        .map(|e| c.entries[e].id.clone())
        .collect();
    let (name, sibling) = (quoted(name), quoted(sibling));
    let together = (
        prop::sample::select(pairs),
        any::<prop::sample::Index>(),
        0..10u8,
        prop::sample::select(if others.is_empty() {
            vec![String::new()]
        } else {
            others
        }),
        0..4u8,
    )
        .prop_map(move |((n, settles), i, how, other, sib)| {
            let n = if noise.values == 0 {
                n
            } else {
                respell(&n, how)
            };
            let field = format!("{name}: {}", quoted(&n));
            match sib {
                // Without the sibling.
                0 if noise.values > 0 => vec![field],
                // With another.
                1 if noise.values > 0 => {
                    vec![field, format!("{sibling}: {}", quoted(&other))]
                }
                _ => vec![
                    field,
                    format!("{sibling}: {}", quoted(i.get::<String>(&settles))),
                ],
            }
        })
        .boxed();
    weighted_entries(vec![(1, apart), (2, together)])
}

/// A record of schema `r`, as JSON text: its fields' entries in any
/// order, with (as faults) unknown keys and a key given twice.
fn record(policy: &'static Policy, r: &RecordType, noise: Noise) -> S {
    // Fields that another is read within are generated with it.
    let siblings: BTreeSet<&str> = r
        .fields
        .values()
        .filter(|f| matches!(f.ty, Type::Ref(_)))
        .filter_map(|f| f.options.within.as_deref())
        .filter(|w| {
            r.fields
                .get(*w)
                .is_some_and(|s| matches!(s.ty, Type::Ref(_)))
        })
        .collect();
    // Fields where what a reference's catalogue does not list is named:
    // given together with the reference they are refused, so they are
    // mostly left out.
    let unlisted: BTreeSet<&str> = r
        .fields
        .values()
        .filter_map(|f| f.options.unlisted.as_deref())
        .collect();
    let mut parts: Vec<Entries> = Vec::new();
    for (name, ft) in &r.fields {
        if siblings.contains(&**name) {
            continue;
        }
        if unlisted.contains(&**name) {
            parts.push(weighted_entries(vec![
                (1, entries(policy, name, ft, noise)),
                (9, Just(vec![]).boxed()),
            ]));
            continue;
        }
        let sibling = ft
            .options
            .within
            .as_deref()
            .filter(|w| siblings.contains(w))
            .and_then(|w| r.fields.get_key_value(w));
        parts.push(match (&ft.ty, sibling) {
            (Type::Ref(_), Some((w, st))) => within(policy, (name, ft), (w, st), noise),
            _ => entries(policy, name, ft, noise),
        });
    }
    let unknown = match noise.has(Fault::Unknown) {
        false => Just(vec![]).boxed(),
        true => prop::collection::vec(
            ("[a-z_]{1,12}", wrong()).prop_map(|(k, v)| format!("{}: {v}", quoted(&k))),
            0..2,
        )
        .boxed(),
    };
    let twice = if noise.has(Fault::Repeated) {
        0..8u8
    } else {
        0..1u8
    };
    (
        parts,
        unknown,
        twice,
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_flat_map(|(parts, unknown, twice, i, tight)| {
            let mut all: Vec<String> = parts.into_iter().flatten().chain(unknown).collect();
            if twice == 1 && !all.is_empty() {
                let again = i.get(&all).clone();
                all.push(again);
            }
            Just(all).prop_shuffle().prop_map(move |all| {
                let sep = if tight { "," } else { ", " };
                format!("{{{}}}", all.join(sep))
            })
        })
        .boxed()
}

/// A whole application as a batch line: clean, with odd values, with one
/// kind of fault, broken every way; or not JSON at all.
fn application(policy: &'static Policy) -> S {
    let input = &policy.input;
    let with = |values, fault| record(policy, input, Noise { values, fault });
    let mangled =
        (with(0, Fault::None), any::<prop::sample::Index>(), 0..5u8).prop_map(|(text, i, how)| {
            match how {
                0 => {
                    let mut cut = i.index(text.len() + 1);
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text[..cut].to_string()
                }
                1 => format!("{text} x"),
                2 => format!("[{text}]"),
                3 => format!("  {text}\t"),
                _ => "null".to_string(),
            }
        });
    weighted(vec![
        (4, with(0, Fault::None)),
        (4, with(1, Fault::None)),
        (1, with(0, Fault::Repeated)),
        (1, with(0, Fault::Unknown)),
        (1, with(0, Fault::Misspelt)),
        (1, with(0, Fault::Missing)),
        (1, with(0, Fault::Null)),
        (2, with(2, Fault::All)),
        (1, mangled.boxed()),
    ])
}

/// Runs the agreement over generated applications of `policy`, and checks
/// that the generator gave the direct reader lines to take and lines to
/// leave.
fn agree_on_generated_applications(plan: &'static Plan) {
    let policy = plan.policy();
    let config = Config {
        cases: CASES,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let counts = [Cell::new(0u32), Cell::new(0), Cell::new(0)];
    let result = runner.run(&application(policy), |text| {
        let i = match harness::agreement(plan, &text) {
            Agreement::Taken => 0,
            Agreement::Left => 1,
            Agreement::Refused => 2,
        };
        counts[i].set(counts[i].get() + 1);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let [taken, left, refused] = counts.map(Cell::into_inner);
    let cases = taken + left + refused;
    println!(
        "{}: {taken} taken, {left} left and read, {refused} refused",
        policy.meta.id
    );
    assert!(taken * 8 >= cases, "{taken} of {cases} taken");
    assert!(refused * 5 >= cases, "{refused} of {cases} refused");
}

#[test]
fn the_readers_agree_on_generated_applications_of_the_default_policy() {
    agree_on_generated_applications(kz());
}

#[test]
fn the_readers_agree_on_generated_applications_of_the_example_policy() {
    agree_on_generated_applications(harness::example_plan());
}
