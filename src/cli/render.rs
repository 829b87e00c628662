//! `qagida render certificate|refusal APPLICATION`: a form of the act filled
//! from a decision, or a reasoned refusal, in the official or another
//! language, as Markdown or HTML.

use clap::{Args, ValueEnum};

use super::eval::{EvalArgs, decide};
use super::{Exit, Failure, out};
use crate::core::diag::Diagnostic;
use crate::core::value::Value;
use crate::engine::eval::Evaluation;
use crate::policy::{Form, Label, Policy};

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// What to render.
    #[arg(value_enum)]
    pub what: What,
    /// The language (by default the policy's official one).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    #[arg(long = "as", value_enum, default_value_t = Markup::Md)]
    pub markup: Markup,
    #[command(flatten)]
    pub eval: EvalArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum What {
    /// The policy's `certificate` form, filled from a granted decision.
    Certificate,
    /// A reasoned refusal: the outcome, each reason with its citation.
    Refusal,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Markup {
    Md,
    Html,
}

fn word<'a>(l: &'a Label, lang: &str, official: &'a str) -> &'a str {
    l.get(lang)
        .or_else(|| l.get(official))
        .or_else(|| l.values().next())
        .map(String::as_str)
        .unwrap_or("")
}

fn esc(s: &str, m: Markup) -> String {
    match m {
        Markup::Md => s.to_string(),
        Markup::Html => s
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
    }
}

pub fn run(args: &RenderArgs) -> Result<(), Failure> {
    let (plan, r) = decide(&args.eval)?;
    let policy = plan.policy();
    let lang = args
        .lang
        .clone()
        .unwrap_or_else(|| policy.meta.official_language.clone());
    let off = policy.meta.official_language.clone();
    let m = args.markup;
    let refuse = |msg: String| Failure::new(Exit::Usage, vec![Diagnostic::error("render", msg)]);
    let (title, lines): (String, Vec<String>) = match args.what {
        What::Certificate => {
            let form = policy
                .forms
                .iter()
                .find(|f| f.id == "certificate")
                .ok_or_else(|| {
                    refuse(format!(
                        "policy `{}` declares no `certificate` form",
                        policy.meta.id
                    ))
                })?;
            if !form.issued_for(&r.outcome) {
                return Err(refuse(not_issued(policy, &r, form, &lang)));
            }
            let filled = r.forms.get(&form.id).cloned().unwrap_or_default();
            let mut lines: Vec<String> = form
                .text
                .iter()
                .map(|t| esc(word(t, &lang, &off), m))
                .collect();
            for fld in &form.fields {
                let v = filled
                    .iter()
                    .find(|(id, _)| *id == fld.id)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Value::unknown(&fld.id));
                let shown = if v.is_unknown() {
                    "________".to_string()
                } else {
                    v.to_string()
                };
                lines.push(format!(
                    "{}: {}",
                    esc(word(&fld.label, &lang, &off), m),
                    esc(&shown, m)
                ));
            }
            (word(&form.title, &lang, &off).to_string(), lines)
        }
        What::Refusal => {
            if r.outcome != "refuse" && r.outcome != "reject_intake" {
                return Err(refuse(format!(
                    "the decision is `{}`: there is no refusal to render",
                    r.outcome
                )));
            }
            let outcome = r
                .outcome_label(policy, &lang)
                .or_else(|| r.outcome_label(policy, &off))
                .map_or_else(|| r.outcome.clone(), str::to_string);
            let mut lines = vec![esc(&outcome, m)];
            for h in &r.reasons {
                let l = policy
                    .reasons
                    .get(&h.id)
                    .map(|i| word(&i.label, &lang, &off).to_string())
                    .unwrap_or_else(|| h.id.clone());
                lines.push(format!("- {} ({})", esc(&l, m), esc(&h.cite, m)));
            }
            (title_of(policy, &lang), lines)
        }
    };
    let text = match m {
        Markup::Md => format!("# {}\n\n{}\n", esc(&title, m), lines.join("\n\n")),
        Markup::Html => format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body>\n<h1>{t}</h1>\n{}\n</body></html>\n",
            lines
                .iter()
                .map(|l| format!("<p>{l}</p>"))
                .collect::<Vec<_>>()
                .join("\n"),
            t = esc(&title, m)
        ),
    };
    out(&text);
    Ok(())
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
    let Some(outcomes) = form.outcomes.as_ref().filter(|o| !o.is_empty()) else {
        return format!(
            "{decided}, and the `{}` form does not say for which outcomes it is issued (its `outcomes`): there is no {} to render",
            form.id, form.id
        );
    };
    let issued: Vec<String> = outcomes
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

fn title_of(policy: &Policy, lang: &str) -> String {
    word(&policy.meta.title, lang, &policy.meta.official_language).to_string()
}
