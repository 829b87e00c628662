//! `qagida doc`: the policy as a document a legal editor reviews against
//! the act — parameters, tables, values, grounds and rules with their
//! citations and readings, the history and the catalogue — in a language,
//! as in force on a date, as Markdown or HTML.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::eval::{outside_message, parse_date};
use super::{Exit, Failure, out};
use crate::core::diag::Diagnostic;
use crate::policy::{Info, Label, Policy};

#[derive(Args, Debug)]
pub struct DocArgs {
    /// The policy package; by default the one built into the binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
    /// The language of labels (by default the policy's official one).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// The date: YYYY-MM-DD, or `today`; by default the act's last day in
    /// force (an act still in force needs one).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    #[arg(long, value_enum, default_value_t = Markup::Md)]
    pub format: Markup,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Markup {
    Md,
    Html,
}

/// A document as blocks, rendered to Markdown or HTML at the end.
enum Block {
    Heading(u8, String),
    Para(String),
    Table(Vec<String>, Vec<Vec<String>>),
}

fn esc_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn render(blocks: &[Block], m: Markup, lang: &str) -> String {
    let mut s = String::new();
    if m == Markup::Html {
        s += &format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"></head>\n<body>\n"
        );
    }
    for b in blocks {
        match (b, m) {
            (Block::Heading(n, t), Markup::Md) => {
                s += &format!("{} {t}\n\n", "#".repeat(*n as usize))
            }
            (Block::Heading(n, t), Markup::Html) => s += &format!("<h{n}>{}</h{n}>\n", esc_html(t)),
            (Block::Para(t), Markup::Md) => s += &format!("{t}\n\n"),
            (Block::Para(t), Markup::Html) => s += &format!("<p>{}</p>\n", esc_html(t)),
            (Block::Table(h, rows), Markup::Md) => {
                let cell = |c: &String| c.replace('|', "\\|").replace('\n', " ");
                s += &format!(
                    "| {} |\n|{}\n",
                    h.iter().map(cell).collect::<Vec<_>>().join(" | "),
                    " --- |".repeat(h.len())
                );
                for r in rows {
                    s += &format!(
                        "| {} |\n",
                        r.iter().map(cell).collect::<Vec<_>>().join(" | ")
                    );
                }
                s += "\n";
            }
            (Block::Table(h, rows), Markup::Html) => {
                s += "<table>\n<tr>";
                for c in h {
                    s += &format!("<th>{}</th>", esc_html(c));
                }
                s += "</tr>\n";
                for r in rows {
                    s += "<tr>";
                    for c in r {
                        s += &format!("<td>{}</td>", esc_html(c));
                    }
                    s += "</tr>\n";
                }
                s += "</table>\n";
            }
        }
    }
    if m == Markup::Html {
        s += "</body></html>\n";
    }
    s
}

pub fn run(args: &DocArgs) -> Result<(), Failure> {
    let policy = super::load_policy(&args.policy)?.policy;
    let at = match &args.at {
        Some(s) => parse_date(s)?,
        None => super::catalogue::default_date(&policy)?,
    };
    if !policy.in_force(at) {
        return Err(Failure::new(
            Exit::OutOfForce,
            vec![Diagnostic::error(
                "out-of-force",
                outside_message(&policy, at),
            )],
        ));
    }
    let lang = args
        .lang
        .clone()
        .unwrap_or_else(|| policy.meta.official_language.clone());
    out(&render(&document(&policy, at, &lang), args.format, &lang));
    Ok(())
}

fn document(p: &Policy, at: chrono::NaiveDate, lang: &str) -> Vec<Block> {
    let off = p.meta.official_language.as_str();
    let word = |l: &Label| {
        l.get(lang)
            .or_else(|| l.get(off))
            .cloned()
            .unwrap_or_default()
    };
    let status = |i: &Info| match &i.provision {
        Some(pr) if !p.history.encoded(pr, at) => format!("{pr}: wording not encoded"),
        Some(pr) => pr.clone(),
        None => String::new(),
    };
    let reading = |i: &Info| i.interpretation.clone().unwrap_or_default();
    let mut b = vec![
        Block::Heading(1, word(&p.meta.title)),
        Block::Para(format!(
            "{} — as in force on {at}. Policy `{}`.",
            p.meta.act.cite, p.meta.id
        )),
        Block::Heading(2, "History".into()),
    ];
    let acts = p
        .history
        .acts
        .iter()
        .map(|a| {
            let when = match (a.exact, a.latest) {
                (true, _) => a.from.to_string(),
                (false, Some(l)) => format!("{} to {l}", a.from),
                (false, None) => format!("{} (earliest)", a.from),
            };
            vec![a.id.clone(), word(&a.title), when, a.changes.join(", ")]
        })
        .collect();
    b.push(Block::Table(
        vec![
            "act".into(),
            "title".into(),
            "in force".into(),
            "changes".into(),
        ],
        acts,
    ));
    b.push(Block::Heading(2, "Parameters".into()));
    let params = p
        .params
        .iter()
        .map(|(n, x)| {
            let v = x.value_at(at);
            let v = if v.is_unknown() {
                "no value in the act".into()
            } else {
                x.info.with_unit(&v)
            };
            vec![
                n.clone(),
                word(&x.info.label),
                v,
                x.info.cite.clone(),
                status(&x.info),
                reading(&x.info),
            ]
        })
        .collect();
    b.push(Block::Table(
        vec![
            "parameter".into(),
            "label".into(),
            "value".into(),
            "cite".into(),
            "provision".into(),
            "reading".into(),
        ],
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
                        None => "no value in the act".into(),
                    };
                    history_row(n, *from, until, v, note, at)
                });
            values.collect::<Vec<_>>()
        })
        .collect();
    if !dated.is_empty() {
        b.push(Block::Heading(3, "Dated values of parameters".into()));
        b.push(Block::Table(history_head("parameter", at), dated));
    }
    for t in &p.tables {
        b.push(Block::Heading(3, format!("Table {}", t.name)));
        if t.info.from.is_some() || t.info.until.is_some() {
            let on = match t.info.exists(at) {
                true => format!("in force on {at}"),
                false => format!("not in force on {at}: a lookup in it is unknown"),
            };
            b.push(Block::Para(format!(
                "In force {}; {on}.",
                period(t.info.from, t.info.until)
            )));
        }
        // A column of the rows' periods where any row has one.
        let periods = t
            .rows
            .iter()
            .any(|r| r.info.from.is_some() || r.info.until.is_some());
        let rows = t
            .rows
            .iter()
            .map(|r| {
                let mut row: Vec<String> = r
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| t.cell_text(i, c))
                    .collect();
                row.push(r.then_text());
                // A row without dates of its own is in force with its
                // table.
                if periods {
                    let mut when = match r.info.from.is_some() || r.info.until.is_some() {
                        true => period(r.info.from, r.info.until),
                        false => String::new(),
                    };
                    if !r.info.exists(at) {
                        when += &format!(" (not on {at})");
                    }
                    row.push(when);
                }
                row.push(r.info.cite.clone());
                row
            })
            .collect();
        let mut head: Vec<String> = t.columns.iter().map(|c| c.0.clone()).collect();
        head.push("result".into());
        if periods {
            head.push("in force".into());
        }
        head.push("cite".into());
        b.push(Block::Table(head, rows));
    }
    if !p.functions.is_empty() {
        b.push(Block::Heading(2, "Functions".into()));
        let rows = p
            .functions
            .iter()
            .map(|f| {
                let params: Vec<String> =
                    f.params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
                vec![
                    format!("{}({}) -> {}", f.name, params.join(", "), f.returns),
                    f.code.text.trim().to_string(),
                    f.info.cite.clone(),
                    status(&f.info),
                    reading(&f.info),
                ]
            })
            .collect();
        let head = ["function", "expression", "cite", "provision", "reading"];
        b.push(Block::Table(head.map(String::from).to_vec(), rows));
    }
    b.push(Block::Heading(2, "Computed values".into()));
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
                    let options = v
                        .options
                        .iter()
                        .map(|o| format!("{} ({}): {}", o.id, o.info.cite, o.when.text.trim()));
                    format!("any of: {}", options.collect::<Vec<_>>().join("; "))
                }
            };
            let mut row = vec![v.name.clone(), expression];
            if units {
                row.push(v.info.unit.clone().unwrap_or_default());
            }
            row.extend([v.info.cite.clone(), status(&v.info), reading(&v.info)]);
            row
        })
        .collect();
    let mut head: Vec<String> = vec!["value".into(), "expression".into()];
    if units {
        head.push("unit".into());
    }
    head.extend(["cite".into(), "provision".into(), "reading".into()]);
    b.push(Block::Table(head, values));
    b.push(Block::Heading(2, "Decision".into()));
    for r in p.decision.iter().flat_map(|d| &d.rules) {
        let when = r
            .when
            .as_ref()
            .map(|w| format!(" when {}", w.text.trim()))
            .unwrap_or_default();
        b.push(Block::Para(format!(
            "Rule {} → {}{when} [{}]",
            r.id, r.outcome, r.info.cite
        )));
        let reasons = r
            .reasons
            .iter()
            .map(|x| {
                vec![
                    x.id.clone(),
                    word(&x.info.label),
                    x.when.text.trim().to_string(),
                    x.info.cite.clone(),
                    reading(&x.info),
                ]
            })
            .collect::<Vec<_>>();
        if !reasons.is_empty() {
            b.push(Block::Table(
                vec![
                    "reason".into(),
                    "words".into(),
                    "holds when".into(),
                    "cite".into(),
                    "reading".into(),
                ],
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
            b.push(Block::Para(
                "The wording in force on this date is not encoded.".into(),
            ));
            continue;
        }
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
                                    .map_or("no value".into(), |v| v.to_string());
                                Some(format!("{k} {v} (since {})", d.from))
                            }
                            None => Some(format!("{k} none before {}", ds.first()?.from)),
                        },
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    en.id.clone(),
                    en.kind.clone(),
                    word(&en.name),
                    attrs,
                    en.info.cite.clone(),
                ]
            })
            .collect();
        b.push(Block::Table(
            vec![
                "id".into(),
                "kind".into(),
                "name".into(),
                "attributes".into(),
                "cite".into(),
            ],
            rows,
        ));
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
                        .map_or("no value".into(), |v| v.to_string());
                    let name = format!("{} {k}", en.id);
                    dated.push(history_row(&name, d.from, until, v, &d.note, at));
                }
            }
        }
        if !dated.is_empty() {
            b.push(Block::Heading(3, "Dated values of attributes".into()));
            b.push(Block::Table(history_head("entry and attribute", at), dated));
        }
    }
    b
}

/// A period in force in words: `from 2021-09-10`, `before 2023-07-01`,
/// `from 2021-09-10, before 2023-07-01`, or `always`.
fn period(from: Option<chrono::NaiveDate>, until: Option<chrono::NaiveDate>) -> String {
    match (from, until) {
        (Some(f), Some(u)) => format!("from {f}, before {u}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(u)) => format!("before {u}"),
        (None, None) => "always".into(),
    }
}

/// The head of a table of dated values of items called `what`.
fn history_head(what: &str, at: chrono::NaiveDate) -> Vec<String> {
    let head = [what, "from", "before", "value", "cite", "reading"];
    let mut head: Vec<String> = head.map(String::from).to_vec();
    head.push(format!("on {at}"));
    head
}

/// A row of a table of dated values: the item, the dates the value applies
/// from and before (the next value's date), the value as shown, its own
/// citation and reading, and whether it is the one in force on `at`.
fn history_row(
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
        from.to_string(),
        until.map(|u| u.to_string()).unwrap_or_default(),
        value,
        note.cite.clone().unwrap_or_default(),
        note.interpretation.clone().unwrap_or_default(),
        if now {
            "in force".into()
        } else {
            String::new()
        },
    ]
}
