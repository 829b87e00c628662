//! `qagida render certificate|refusal APPLICATION`: a form of the act filled
//! from a decision, or a reasoned refusal, in the official or another
//! language, as Markdown or as a printable A4 HTML page.
//!
//! A form is laid out as its `layout` in the policy declares for the
//! language (see [`crate::policy::layout`]): the blanks filled with the
//! decision's values (dates as the language writes them, catalogue entries
//! by their names in it), a blank left visible where a value is unknown.
//! A form without a layout is printed field by field. In a language other
//! than the act's official one, the document says visibly that it is an
//! unofficial translation.

use clap::{Args, ValueEnum};

use super::eval::{EvalArgs, decide};
use super::{Exit, Failure, out};
use crate::core::diag::Diagnostic;
use crate::core::locale::{self, Locale};
use crate::core::value::Value;
use crate::engine::eval::Evaluation;
use crate::policy::layout::{Block, BlockKind, Piece};
use crate::policy::{Form, FormField, Label, Policy};

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// What to render.
    #[arg(value_enum)]
    pub what: What,
    /// Markdown, or a standalone HTML page laid out for printing on A4.
    #[arg(long = "as", value_enum, default_value_t = Markup::Md)]
    pub markup: Markup,
    #[command(flatten)]
    pub eval: EvalArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum What {
    /// The policy's `certificate` form, filled from a granted decision.
    Certificate,
    /// The policy's `refusal` form: the reasoned refusal, each ground with
    /// its citation.
    Refusal,
}

impl What {
    /// The id of the form it renders.
    fn form(self) -> &'static str {
        match self {
            What::Certificate => "certificate",
            What::Refusal => "refusal",
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Markup {
    Md,
    Html,
}

/// What an unknown value is shown as: a blank of the form.
const BLANK: &str = "________";

/// The citation `c` as a reader of `lang` reads it.
fn cite(policy: &Policy, c: &str, lang: &str) -> String {
    policy.cite_in(c, lang)
}

fn word<'a>(l: &'a Label, lang: &str, official: &'a str) -> &'a str {
    l.get(lang)
        .or_else(|| l.get(official))
        .or_else(|| l.values().next())
        .map(String::as_str)
        .unwrap_or("")
}

fn usage(msg: String, help: Option<String>) -> Failure {
    let mut d = Diagnostic::error("render", msg);
    if let Some(h) = help {
        d = d.help(h);
    }
    Failure::new(Exit::Usage, vec![d])
}

pub fn run(args: &RenderArgs) -> Result<(), Failure> {
    let (plan, r) = decide(&args.eval)?;
    let policy = plan.policy();
    let off = policy.meta.official_language.as_str();
    // The form's language: `--lang` (one of the policy's), by default the
    // official one.
    let lang = super::eval::language(policy, args.eval.lang.as_deref())?.unwrap_or(off);
    let id = args.what.form();
    let form = policy.forms.iter().find(|f| f.id == id).ok_or_else(|| {
        usage(
            format!("policy `{}` declares no `{id}` form", policy.meta.id),
            Some(format!(
                "`render {id}` fills the form `forms.{id}` of the policy"
            )),
        )
    })?;
    if !form.issued_for(&r.outcome) {
        return Err(usage(not_issued(policy, &r, form, lang), None));
    }
    let generic;
    let blocks: &[Block] = if form.layout.is_empty() {
        generic = field_by_field(form, lang, off);
        &generic
    } else {
        form.layout.get(lang).ok_or_else(|| {
            usage(
                format!("form `{id}` is not laid out in language `{lang}`"),
                Some(format!(
                    "it is laid out in {}",
                    form.layout.keys().cloned().collect::<Vec<_>>().join(", ")
                )),
            )
        })?
    };
    let doc = Doc {
        policy,
        form,
        r: &r,
        lang,
        off,
        loc: locale::or_english(lang),
    };
    let text = match args.markup {
        Markup::Md => doc.markdown(blocks),
        Markup::Html => doc.html(blocks),
    };
    out(&text);
    Ok(())
}

/// The layout of a form that declares none: its title, its wording, and
/// each field as its label and value.
fn field_by_field(form: &Form, lang: &str, off: &str) -> Vec<Block> {
    let block = |kind, pieces| Block {
        kind,
        pieces,
        right: Vec::new(),
        outcomes: Vec::new(),
        cite: None,
    };
    let mut out = vec![block(
        BlockKind::Heading,
        vec![Piece::Text(word(&form.title, lang, off).to_string())],
    )];
    for t in &form.text {
        out.push(block(
            BlockKind::Text,
            vec![Piece::Text(word(t, lang, off).to_string())],
        ));
    }
    for f in &form.fields {
        out.push(block(
            BlockKind::Line,
            vec![
                Piece::Text(format!("{}: ", word(&f.label, lang, off))),
                Piece::Field {
                    id: f.id.clone(),
                    caption: None,
                    case: None,
                },
            ],
        ));
    }
    out
}

/// Why the decision `r` has no `form` to render: its outcome, in the
/// policy's words for this application (in `lang`), is not one the form
/// is issued for.
fn not_issued(policy: &Policy, r: &Evaluation, form: &Form, lang: &str) -> String {
    let official = &policy.meta.official_language;
    let words = |outcome: &str, case: Option<&str>| {
        policy
            .outcome_label(outcome, case, lang)
            .or_else(|| policy.outcome_label(outcome, case, official))
            .map(|w| format!(" ({w})"))
            .unwrap_or_default()
    };
    let decided = format!(
        "the decision is `{}`{}",
        r.outcome,
        words(&r.outcome, r.label_case.as_deref())
    );
    if form.outcomes.is_empty() {
        return format!(
            "{decided}, and the `{}` form does not say for which outcomes it is issued (its `outcomes`): there is no {} to render",
            form.id, form.id
        );
    }
    let issued: Vec<String> = form
        .outcomes
        .iter()
        .map(|o| format!("`{o}`{}", words(o, None)))
        .collect();
    format!(
        "{decided}: the `{}` form is issued only for {}; there is no {} to render",
        form.id,
        issued.join(" or "),
        form.id
    )
}

/// A piece filled: its text, whether it is a blank or a value, and its
/// caption.
struct Filled {
    text: String,
    kind: Fill,
    caption: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    Words,
    Value,
    Blank,
}

/// What a document is made from.
struct Doc<'a> {
    policy: &'a Policy,
    form: &'a Form,
    r: &'a Evaluation,
    lang: &'a str,
    off: &'a str,
    loc: &'static Locale,
}

impl Doc<'_> {
    /// The value of a field as the reader's language shows it; `None`
    /// when it is unknown or empty text, which leave the blank.
    fn value(&self, field: Option<&FormField>, v: &Value) -> Option<String> {
        Some(match v {
            Value::Unknown(_) => return None,
            Value::Date(d) => self.loc.date(*d),
            Value::DateTime(d) => self.loc.date(d.date()),
            Value::Ref(e) => {
                let c = self.policy.catalogues.get(e.catalogue)?;
                let entry = c.entries.get(e.entry)?;
                word(&entry.name, self.lang, &c.official).to_string()
            }
            Value::Str(s) if s.trim().is_empty() => return None,
            Value::Str(s) => field
                .and_then(|f| f.words.get(&**s))
                .map(|w| word(w, self.lang, self.off).to_string())
                .unwrap_or_else(|| s.to_string()),
            Value::List(items) => {
                let shown: Vec<String> = items
                    .iter()
                    .map(|i| self.value(field, i).unwrap_or_else(|| BLANK.to_string()))
                    .collect();
                if shown.is_empty() {
                    return None;
                }
                shown.join(", ")
            }
            other => other.to_string(),
        })
    }

    /// The field's value, if the decision gives it (a date in `case`,
    /// where the language has it).
    fn field(&self, id: &str, case: Option<&str>) -> Option<String> {
        let f = self.form.fields.iter().find(|f| f.id == id);
        let v = self
            .r
            .forms
            .get(&self.form.id)
            .and_then(|fs| fs.iter().find(|(k, _)| k == id))
            .map(|(_, v)| v)?;
        match (v, case) {
            (Value::Date(d), Some(c)) => Some(self.loc.date_in(*d, c)),
            _ => self.value(f, v),
        }
    }

    fn fill(&self, pieces: &[Piece], args: &[(&str, String)]) -> Vec<Filled> {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => Filled {
                    text: t.clone(),
                    kind: Fill::Words,
                    caption: None,
                },
                Piece::Field { id, caption, case } => {
                    let v = match args.iter().find(|(k, _)| k == id) {
                        Some((_, v)) => Some(v.clone()),
                        None if id == "outcome"
                            && !self.form.fields.iter().any(|f| f.id == *id) =>
                        {
                            Some(self.outcome())
                        }
                        None => self.field(id, case.as_deref()),
                    };
                    Filled {
                        kind: if v.is_some() {
                            Fill::Value
                        } else {
                            Fill::Blank
                        },
                        text: v.unwrap_or_else(|| BLANK.to_string()),
                        caption: caption.clone(),
                    }
                }
            })
            .collect()
    }

    /// The decision's outcome in the policy's words for this application,
    /// in the language (else the official one), else its id.
    fn outcome(&self) -> String {
        self.r
            .outcome_label(self.policy, self.lang)
            .or_else(|| self.r.outcome_label(self.policy, self.off))
            .map_or_else(|| self.r.outcome.clone(), str::to_string)
    }

    /// Each reason of the decision as a `grounds` block fills it.
    fn grounds(&self, b: &Block) -> Vec<Vec<Filled>> {
        self.r
            .reasons
            .iter()
            .map(|h| {
                let ground = match self.form.grounds.get(&h.id) {
                    Some(w) => word(w, self.lang, self.off).to_string(),
                    None => self
                        .policy
                        .reasons
                        .get(&h.id)
                        .map(|i| word(&i.label, self.lang, self.off).to_string())
                        .unwrap_or_else(|| h.id.clone()),
                };
                let args = [
                    ("ground", ground),
                    ("cite", cite(self.policy, &h.cite, self.lang)),
                ];
                self.fill(&b.pieces, &args)
            })
            .collect()
    }

    fn title(&self) -> &str {
        word(&self.form.title, self.lang, self.off)
    }

    fn shown<'b>(&self, blocks: &'b [Block]) -> impl Iterator<Item = &'b Block> {
        let outcome = self.r.outcome.clone();
        blocks.iter().filter(move |b| b.shown_for(&outcome))
    }

    fn markdown(&self, blocks: &[Block]) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !blocks.iter().any(|b| b.kind == BlockKind::Heading) {
            parts.push(format!("# {}", self.title()));
        }
        if let Some(note) = self.loc.unofficial(self.off) {
            parts.push(format!("> **{note}**"));
        }
        for b in self.shown(blocks) {
            let line = |pieces: &[Piece]| md_line(&self.fill(pieces, &[]));
            let (text, caps) = line(&b.pieces);
            let part = match b.kind {
                BlockKind::Heading => format!("# {text}"),
                BlockKind::Text | BlockKind::Signature => with_captions(text, &caps),
                BlockKind::Line => {
                    let (right, rcaps) = line(&b.right);
                    let text = match (text.is_empty(), right.is_empty()) {
                        (_, true) => text,
                        (true, false) => right,
                        (false, false) => format!("{text} — {right}"),
                    };
                    with_captions(text, &[caps, rcaps].concat())
                }
                BlockKind::Note => format!("_{text}_"),
                BlockKind::Reading => format!("> _{}:_ {text}", self.loc.text("render.reading")),
                BlockKind::Grounds => {
                    let items: Vec<String> = self
                        .grounds(b)
                        .iter()
                        .enumerate()
                        .map(|(i, g)| format!("{}. {}", i + 1, md_line(g).0))
                        .collect();
                    if items.is_empty() {
                        continue;
                    }
                    items.join("\n")
                }
            };
            parts.push(part);
        }
        format!("{}\n", parts.join("\n\n"))
    }

    fn html(&self, blocks: &[Block]) -> String {
        let mut body = String::new();
        if let Some(note) = self.loc.unofficial(self.off) {
            body.push_str(&format!(
                "<p class=\"unofficial\" role=\"note\">{}</p>\n",
                html_esc(&note)
            ));
        }
        if !blocks.iter().any(|b| b.kind == BlockKind::Heading) {
            body.push_str(&format!("<h1>{}</h1>\n", html_esc(self.title())));
        }
        for b in self.shown(blocks) {
            let filled = self.fill(&b.pieces, &[]);
            let set = match b.kind {
                BlockKind::Line | BlockKind::Signature if matches!(&filled[..], [f] if f.kind != Fill::Words) => {
                    Set::Alone
                }
                BlockKind::Line | BlockKind::Signature => Set::Ruled,
                _ => Set::Inline,
            };
            let pieces = html_pieces(&filled, set);
            let part = match b.kind {
                BlockKind::Heading => format!("<h1>{pieces}</h1>"),
                BlockKind::Text => format!("<p class=\"text\">{pieces}</p>"),
                BlockKind::Line if b.right.is_empty() => {
                    format!("<div class=\"line\">{pieces}</div>")
                }
                BlockKind::Line => format!(
                    "<div class=\"line split\"><span class=\"left\">{pieces}</span><span class=\"right\">{}</span></div>",
                    html_pieces(&self.fill(&b.right, &[]), Set::Ruled)
                ),
                BlockKind::Note => format!("<p class=\"note\">{pieces}</p>"),
                BlockKind::Signature => format!("<div class=\"signature\">{pieces}</div>"),
                BlockKind::Reading => format!(
                    "<p class=\"reading\"><em>{}:</em> {pieces}</p>",
                    html_esc(self.loc.text("render.reading"))
                ),
                BlockKind::Grounds => {
                    let items: Vec<String> = self
                        .grounds(b)
                        .iter()
                        .map(|g| format!("<li>{}</li>", html_pieces(g, Set::Inline)))
                        .collect();
                    if items.is_empty() {
                        continue;
                    }
                    format!("<ol class=\"grounds\">\n{}\n</ol>", items.join("\n"))
                }
            };
            body.push_str(&part);
            body.push('\n');
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<article class=\"form\" id=\"{id}\">\n{body}</article>\n</body>\n</html>\n",
            lang = html_esc(self.lang),
            title = html_esc(self.title()),
            id = html_esc(&self.form.id),
        )
    }
}

/// The text of filled pieces in Markdown, and their captions.
fn md_line(filled: &[Filled]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut caps = Vec::new();
    for f in filled {
        match f.kind {
            Fill::Value => text.push_str(&md_esc(&f.text)),
            Fill::Words | Fill::Blank => text.push_str(&f.text),
        }
        if let Some(c) = &f.caption {
            caps.push(format!("({c})"));
        }
    }
    (text.trim().to_string(), caps)
}

/// A line with the captions of its blanks under it, as the form prints
/// them.
fn with_captions(text: String, caps: &[String]) -> String {
    if caps.is_empty() {
        text
    } else {
        format!("{text}\\\n_{}_", caps.join(" "))
    }
}

/// A value as Markdown text, its marks escaped (and any control
/// character, as in messages).
fn md_esc(s: &str) -> String {
    let s = crate::core::text::escape_message(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn html_esc(s: &str) -> String {
    crate::core::text::escape_message(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// How values are set in a block's HTML.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Set {
    /// In running text: a value as words, a blank ruled.
    Inline,
    /// On a form's line: each on a ruled blank with its caption under it.
    Ruled,
    /// The whole line one ruled blank.
    Alone,
}

/// Filled pieces as HTML, set as `set` says.
fn html_pieces(filled: &[Filled], set: Set) -> String {
    let alone = set == Set::Alone;
    let mut s = String::new();
    for f in filled {
        match f.kind {
            Fill::Words => s.push_str(&html_esc(&f.text)),
            Fill::Value if set == Set::Inline && f.caption.is_none() => {
                s.push_str(&html_esc(&f.text))
            }
            Fill::Value | Fill::Blank => {
                let mut class = String::from("fill");
                if alone {
                    class.push_str(" wide");
                }
                if f.kind == Fill::Blank {
                    class.push_str(" blank");
                }
                if f.caption.is_some() {
                    class.push_str(" captioned");
                }
                s.push_str(&format!(
                    "<span class=\"{class}\"><span class=\"value\">{}</span>",
                    html_esc(&f.text)
                ));
                if let Some(c) = &f.caption {
                    s.push_str(&format!("<span class=\"caption\">({})</span>", html_esc(c)));
                }
                s.push_str("</span>");
            }
        }
    }
    s
}

/// The print stylesheet: an A4 page with the form's structure.
const STYLE: &str = "@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
html { font-family: \"Times New Roman\", Times, serif; font-size: 12pt; line-height: 1.4; color: #000; background: #fff; }
body { margin: 0 auto; max-width: 165mm; padding: 10mm 0; }
@media print { body { max-width: none; padding: 0; } }
.unofficial { border: 1.5pt solid #000; padding: 2mm 3mm; margin: 0 0 6mm; font-weight: bold; font-size: 10pt; }
h1 { font-size: 13pt; font-weight: bold; text-align: center; margin: 6mm 0; }
p.text { text-align: justify; text-indent: 12.5mm; margin: 3mm 0; }
.line { margin: 4mm 0; }
.line.split { display: flex; justify-content: space-between; align-items: flex-start; gap: 10mm; }
.fill { border-bottom: 0.75pt solid #000; padding: 0 1mm; }
.fill.blank, .fill.captioned { display: inline-block; min-width: 35mm; vertical-align: top; text-align: center; border-bottom: none; padding: 0; margin: 0 1mm; }
.fill.wide { display: block; margin: 0; border-bottom: none; padding: 0; text-align: center; }
.fill.blank .value, .fill.captioned .value, .fill.wide .value { display: block; border-bottom: 0.75pt solid #000; min-height: 1.4em; padding: 0 2mm; }
.fill.blank .value { color: transparent; }
.fill .caption { display: block; font-size: 8pt; line-height: 1.2; }
p.note { font-size: 9pt; text-align: justify; margin: 1mm 0 4mm; }
ol.grounds { margin: 3mm 0; padding-left: 8mm; }
ol.grounds li { margin: 2mm 0; }
p.reading { font-size: 10pt; font-style: italic; border-left: 1.5pt solid #000; padding-left: 3mm; }
.signature { margin-top: 15mm; page-break-inside: avoid; }
";
