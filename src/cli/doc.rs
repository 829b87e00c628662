//! `qagida doc`: the policy as a document a legal editor reviews against
//! the act — parameters, tables, values, grounds and rules with their
//! citations and readings, the history and the catalogue — in a language,
//! as in force on a date, as Markdown or HTML.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::eval::parse_date;
use super::{Failure, out};

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
    let at = crate::report::dates::in_force_on(&policy, at)?;
    let lang = args
        .lang
        .clone()
        .unwrap_or_else(|| policy.meta.official_language.clone());
    out(&render(&document(&policy, at, &lang), args.format, &lang));
    Ok(())
}

pub use crate::report::doc::{Block, document};
