//! The policy as a document to review against the act: blocks (headings,
//! paragraphs, tables) in a language, which `doc` writes as Markdown or
//! HTML and the workbench as its page.

use crate::core::locale::{self, Locale};
use crate::policy::{Info, Label, Policy};

/// A document as blocks, rendered to Markdown or HTML at the end (and by
/// the workbench into its pages).
pub enum Block {
    Heading(u8, String),
    Para(String),
    Table(Vec<String>, Vec<Vec<String>>),
}

/// The policy as in force on `at`, as blocks, in `lang`.
pub fn document(p: &Policy, at: chrono::NaiveDate, lang: &str) -> Vec<Block> {
    let off = p.meta.official_language.as_str();
    let loc = locale::or_english(lang);
    let t = |k: &str| loc.text(k).to_string();
    let day = |d: chrono::NaiveDate| loc.date(d);
    let cite = |c: &str| p.cite_in(c, lang);
    let word = |l: &Label| {
        l.get(lang)
            .or_else(|| l.get(off))
            .cloned()
            .unwrap_or_default()
    };
    let status = |i: &Info| match &i.provision {
        Some(pr) if !p.history.encoded(pr, at) => loc.fill("doc.not_encoded", &[("provision", pr)]),
        Some(pr) => pr.clone(),
        None => String::new(),
    };
    let no_value = t("doc.no_value");
    let reading = |i: &Info| i.interpretation.clone().unwrap_or_default();
    let mut b = vec![Block::Heading(1, word(&p.meta.title))];
    let mut lead = loc.fill(
        "doc.as_in_force",
        &[
            ("act", &cite(&p.meta.act.cite)),
            ("date", &day(at)),
            ("policy", &p.meta.id),
        ],
    );
    if let Some(note) = loc.unofficial(off) {
        lead = format!("{note} {lead}");
    }
    if let Some(c) = &p.citations
        && c.language != lang
    {
        lead += " ";
        lead += &loc.fill(
            "doc.readings_in",
            &[("language", loc.language_name(&c.language))],
        );
    }
    b.push(Block::Para(lead));
    b.push(Block::Heading(2, t("doc.history")));
    let acts = p
        .history
        .acts
        .iter()
        .map(|a| {
            let when = match (a.exact, a.latest) {
                (true, _) => day(a.from),
                (false, Some(l)) => {
                    loc.fill("doc.window", &[("from", &day(a.from)), ("to", &day(l))])
                }
                (false, None) => loc.fill("doc.earliest", &[("date", &day(a.from))]),
            };
            vec![a.id.clone(), word(&a.title), when, a.changes.join(", ")]
        })
        .collect();
    b.push(Block::Table(
        cols(loc, &["act", "title", "in_force", "changes"]),
        acts,
    ));
    b.push(Block::Heading(2, t("doc.parameters")));
    let params = p
        .params
        .iter()
        .map(|(n, x)| {
            let v = x.value_at(at);
            let v = if v.is_unknown() {
                no_value.clone()
            } else {
                x.info.with_unit(&v)
            };
            vec![
                n.clone(),
                word(&x.info.label),
                v,
                cite(&x.info.cite),
                status(&x.info),
                reading(&x.info),
            ]
        })
        .collect();
    b.push(Block::Table(
        cols(
            loc,
            &[
                "parameter",
                "label",
                "value",
                "cite",
                "provision",
                "reading",
            ],
        ),
        params,
    ));
    // The history of each parameter written with dated values.
    let dated: Vec<Vec<String>> = p
        .params
        .iter()
        .filter(|(_, x)| x.dated)
        .flat_map(|(n, x)| {
            let notes = x.notes.iter();
            let values = x
                .values
                .iter()
                .zip(notes)
                .enumerate()
                .map(|(i, ((from, v), note))| {
                    let until = x.values.get(i + 1).map(|(d, _)| *d);
                    let v = match v {
                        Some(v) => x.info.with_unit(v),
                        None => no_value.clone(),
                    };
                    history_row(p, loc, lang, n, *from, until, v, note, at)
                });
            values.collect::<Vec<_>>()
        })
        .collect();
    if !dated.is_empty() {
        b.push(Block::Heading(3, t("doc.dated_parameters")));
        b.push(Block::Table(history_head(loc, "parameter", at), dated));
    }
    for tb in &p.tables {
        b.push(Block::Heading(
            3,
            loc.fill("doc.table", &[("name", &tb.name)]),
        ));
        if tb.info.from.is_some() || tb.info.until.is_some() {
            let on = match tb.info.exists(at) {
                true => loc.fill("doc.table.on", &[("date", &day(at))]),
                false => loc.fill("doc.table.not_on", &[("date", &day(at))]),
            };
            b.push(Block::Para(loc.fill(
                "doc.table.period",
                &[
                    ("period", &period(loc, tb.info.from, tb.info.until)),
                    ("on", &on),
                ],
            )));
        }
        // A column of the rows' periods where any row has one.
        let periods = tb
            .rows
            .iter()
            .any(|r| r.info.from.is_some() || r.info.until.is_some());
        let rows = tb
            .rows
            .iter()
            .map(|r| {
                let mut row: Vec<String> = r
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| tb.cell_text(i, c))
                    .collect();
                row.push(r.then_text());
                // A row without dates of its own is in force with its
                // table.
                if periods {
                    let mut when = match r.info.from.is_some() || r.info.until.is_some() {
                        true => period(loc, r.info.from, r.info.until),
                        false => String::new(),
                    };
                    if !r.info.exists(at) {
                        when += " ";
                        when += &loc.fill("doc.row.not_on", &[("date", &day(at))]);
                        when = when.trim_start().to_string();
                    }
                    row.push(when);
                }
                row.push(cite(&r.info.cite));
                row
            })
            .collect();
        let mut head: Vec<String> = tb.columns.iter().map(|c| c.0.clone()).collect();
        head.push(t("col.result"));
        if periods {
            head.push(t("col.in_force"));
        }
        head.push(t("col.cite"));
        b.push(Block::Table(head, rows));
    }
    if !p.functions.is_empty() {
        b.push(Block::Heading(2, t("doc.functions")));
        let rows = p
            .functions
            .iter()
            .map(|f| {
                let params: Vec<String> =
                    f.params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
                vec![
                    format!("{}({}) -> {}", f.name, params.join(", "), f.returns),
                    f.code.text.trim().to_string(),
                    cite(&f.info.cite),
                    status(&f.info),
                    reading(&f.info),
                ]
            })
            .collect();
        let head = ["function", "expression", "cite", "provision", "reading"];
        b.push(Block::Table(cols(loc, &head), rows));
    }
    b.push(Block::Heading(2, t("doc.values")));
    // A column of units where any value declares one.
    let units = p.values.iter().any(|v| v.info.unit.is_some());
    let values = p
        .values
        .iter()
        .map(|v| {
            // An `any_of` value lists its options, each with its citation.
            let expression = match v.options.is_empty() {
                true => v.code.text.trim().to_string(),
                false => {
                    let options = v.options.iter().map(|o| {
                        format!("{} ({}): {}", o.id, cite(&o.info.cite), o.when.text.trim())
                    });
                    let options = options.collect::<Vec<_>>().join("; ");
                    loc.fill("doc.any_of", &[("options", &options)])
                }
            };
            let mut row = vec![v.name.clone(), expression];
            if units {
                row.push(v.info.unit.clone().unwrap_or_default());
            }
            row.extend([cite(&v.info.cite), status(&v.info), reading(&v.info)]);
            row
        })
        .collect();
    let mut head = cols(loc, &["value", "expression"]);
    if units {
        head.push(t("col.unit"));
    }
    head.extend(cols(loc, &["cite", "provision", "reading"]));
    b.push(Block::Table(head, values));
    b.push(Block::Heading(2, t("doc.decision")));
    // The outcomes in words, and where an outcome's words depend on the
    // application, the words of each case.
    if let Some(d) = &p.decision {
        let mut rows = Vec::new();
        for (o, info) in &d.outcomes {
            rows.push(vec![
                o.clone(),
                String::new(),
                word(&info.label),
                cite(&info.cite),
            ]);
            if let Some(by) = d.label_by.get(o) {
                for (case, label) in &by.cases {
                    let when = format!("{} = {case}", by.input);
                    rows.push(vec![o.clone(), when, word(label), String::new()]);
                }
            }
        }
        if !rows.is_empty() {
            b.push(Block::Table(
                cols(loc, &["outcome", "case", "words", "cite"]),
                rows,
            ));
        }
    }
    for r in p.decision.iter().flat_map(|d| &d.rules) {
        let when = r
            .when
            .as_ref()
            .map(|w| loc.fill("doc.rule.when", &[("expr", w.text.trim())]))
            .unwrap_or_default();
        b.push(Block::Para(loc.fill(
            "doc.rule",
            &[
                ("id", &r.id),
                ("outcome", &r.outcome),
                ("when", &when),
                ("cite", &cite(&r.info.cite)),
            ],
        )));
        let reasons = r
            .reasons
            .iter()
            .map(|x| {
                vec![
                    x.id.clone(),
                    word(&x.info.label),
                    x.when.text.trim().to_string(),
                    cite(&x.info.cite),
                    reading(&x.info),
                ]
            })
            .collect::<Vec<_>>();
        if !reasons.is_empty() {
            b.push(Block::Table(
                cols(loc, &["reason", "words", "holds_when", "cite", "reading"]),
                reasons,
            ));
        }
    }
    for c in &p.catalogues {
        b.push(Block::Heading(2, word(&c.info.label)));
        if c.info
            .provision
            .as_ref()
            .is_some_and(|pr| !p.history.encoded(pr, at))
        {
            b.push(Block::Para(t("doc.not_encoded_here")));
            continue;
        }
        let no_value_short = t("doc.no_value_short");
        let rows = (0..c.entries.len())
            .filter(|&e| c.in_force(e, at))
            .map(|e| {
                let en = &c.entries[e];
                // Dated values as in force on the date, with the date they
                // apply from; none before the first.
                let attrs = en
                    .attributes
                    .iter()
                    .filter_map(|(k, a)| match a.dated() {
                        None => Some(format!("{k} {}", a.value_at(at)?)),
                        Some(ds) => match crate::policy::dated_at(ds, at) {
                            Some(d) => {
                                let v = d
                                    .value
                                    .as_ref()
                                    .map_or(no_value_short.clone(), |v| v.to_string());
                                let v = format!("{k} {v}");
                                let since = loc.date_in(d.from, "ablative");
                                Some(loc.fill("doc.since", &[("value", &v), ("date", &since)]))
                            }
                            None => {
                                let first = loc.date_in(ds.first()?.from, "dative");
                                let none = loc.fill("doc.none_before", &[("date", &first)]);
                                Some(format!("{k} {none}"))
                            }
                        },
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let kind = c
                    .kind_labels
                    .get(&en.kind)
                    .map(&word)
                    .filter(|k| !k.is_empty())
                    .unwrap_or_else(|| en.kind.clone());
                vec![
                    en.id.clone(),
                    kind,
                    word(&en.name),
                    attrs,
                    cite(&en.info.cite),
                ]
            })
            .collect();
        b.push(Block::Table(
            cols(loc, &["id", "kind", "name", "attributes", "cite"]),
            rows,
        ));
        // The readings the catalogue's attributes rest on.
        let attribute_rows: Vec<Vec<String>> = c
            .attribute_info
            .iter()
            .filter(|(_, i)| i.interpretation.is_some() || i.description.is_some())
            .map(|(a, i)| {
                vec![
                    a.clone(),
                    i.description.clone().unwrap_or_default(),
                    cite(&i.cite),
                    reading(i),
                ]
            })
            .collect();
        if !attribute_rows.is_empty() {
            b.push(Block::Table(
                cols(loc, &["attribute", "description", "cite", "reading"]),
                attribute_rows,
            ));
        }
        // The history of each attribute an entry in force gives dated
        // values (not those it inherits, which are its ancestor's).
        let mut dated = Vec::new();
        for e in (0..c.entries.len()).filter(|&e| c.in_force(e, at)) {
            let en = &c.entries[e];
            for (k, a) in &en.attributes {
                let Some(ds) = a.dated() else { continue };
                let parent = en.parent.and_then(|x| c.entries[x].attributes.get(k));
                if parent.is_some_and(|x| x.same(a)) {
                    continue;
                }
                for (i, d) in ds.iter().enumerate() {
                    let until = ds.get(i + 1).map(|n| n.from);
                    let v = d
                        .value
                        .as_ref()
                        .map_or(no_value_short.clone(), |v| v.to_string());
                    let name = format!("{} {k}", en.id);
                    dated.push(history_row(
                        p, loc, lang, &name, d.from, until, v, &d.note, at,
                    ));
                }
            }
        }
        if !dated.is_empty() {
            b.push(Block::Heading(3, t("doc.dated_attributes")));
            b.push(Block::Table(
                history_head(loc, "entry_attribute", at),
                dated,
            ));
        }
    }
    b
}

/// The column names `keys` (`col.KEY` in the locale files) in a language.
fn cols(loc: &Locale, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|k| loc.text(&format!("col.{k}")).to_string())
        .collect()
}

/// A period in force in words: `from 10 September 2021`, `before 1 July
/// 2023`, `from 10 September 2021, before 1 July 2023`, or `always`.
fn period(
    loc: &Locale,
    from: Option<chrono::NaiveDate>,
    until: Option<chrono::NaiveDate>,
) -> String {
    let from = from.map(|d| loc.date_in(d, "ablative"));
    let until = until.map(|d| loc.date_in(d, "dative"));
    match (from, until) {
        (Some(f), Some(u)) => loc.fill("doc.period.both", &[("from", &f), ("until", &u)]),
        (Some(f), None) => loc.fill("doc.period.from", &[("from", &f)]),
        (None, Some(u)) => loc.fill("doc.period.before", &[("until", &u)]),
        (None, None) => loc.text("doc.period.always").to_string(),
    }
}

/// The head of a table of dated values of items called `what` (a column
/// key).
fn history_head(loc: &Locale, what: &str, at: chrono::NaiveDate) -> Vec<String> {
    let mut head = cols(loc, &[what, "from", "before", "value", "cite", "reading"]);
    head.push(loc.fill("col.on", &[("date", &loc.date(at))]));
    head
}

/// A row of a table of dated values: the item, the dates the value applies
/// from and before (the next value's date), the value as shown, its own
/// citation and reading, and whether it is the one in force on `at`.
#[allow(clippy::too_many_arguments)]
fn history_row(
    p: &Policy,
    loc: &Locale,
    lang: &str,
    name: &str,
    from: chrono::NaiveDate,
    until: Option<chrono::NaiveDate>,
    value: String,
    note: &crate::policy::ValueNote,
    at: chrono::NaiveDate,
) -> Vec<String> {
    let now = from <= at && until.is_none_or(|u| at < u);
    vec![
        name.to_string(),
        loc.date(from),
        until.map(|u| loc.date(u)).unwrap_or_default(),
        value,
        note.cite
            .as_deref()
            .map(|c| p.cite_in(c, lang))
            .unwrap_or_default(),
        note.interpretation.clone().unwrap_or_default(),
        if now {
            loc.text("doc.in_force").to_string()
        } else {
            String::new()
        },
    ]
}
