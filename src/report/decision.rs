//! A decision as text: what `eval` prints and the service shows, in
//! English or in a language of the policy; and the same with its
//! explanation, as `explain` prints it.

use chrono::NaiveDate;

use crate::core::json::Json;
use crate::core::locale::{self, Locale};
use crate::engine::Plan;
use crate::engine::eval::Evaluation;
use crate::policy::Policy;
use crate::report::failure::{Exit, Failure};

fn usage(msg: String, help: Option<String>) -> Failure {
    let mut d = crate::core::diag::Diagnostic::error("usage", msg);
    if let Some(h) = help {
        d = d.help(h);
    }
    Failure::new(Exit::Usage, vec![d])
}

/// The language `--lang` asks for, which must be one of the policy's.
pub fn language<'a>(policy: &Policy, lang: Option<&'a str>) -> Result<Option<&'a str>, Failure> {
    match lang {
        Some(l) if !policy.meta.languages.iter().any(|x| x == l) => Err(usage(
            format!(
                "policy `{}` has no labels in language `{l}`",
                policy.meta.id
            ),
            Some(format!(
                "its languages are {}",
                policy.meta.languages.join(", ")
            )),
        )),
        other => Ok(other),
    }
}

/// The decision's text, then why: each value and rule with its result,
/// its inputs and its citation, as `qagida explain` prints it.
pub fn explanation_in(plan: &Plan, r: &Evaluation, lang: Option<&str>, paint: bool) -> String {
    let mut s = text_painted(plan, r, lang, paint);
    let why = lang.map_or("why".to_string(), |l| {
        locale::or_english(l).text("eval.why").to_string()
    });
    s += &format!("\n{why}:\n");
    s += &crate::engine::explain::render_in(plan.policy(), r, lang);
    s
}

/// How the text is written: English with ISO dates and weekdays
/// (`2021-03-17 Wed`) and English labels where the policy has them, or in
/// a language, with its words, labels, citations and dates.
struct Words<'a> {
    policy: &'a Policy,
    lang: Option<&'a str>,
    loc: &'static Locale,
}

impl Words<'_> {
    fn t(&self, key: &str) -> String {
        self.loc.text(key).to_string()
    }

    fn day(&self, d: NaiveDate) -> String {
        match self.lang {
            None => d.format("%Y-%m-%d %a").to_string(),
            Some(_) => self.loc.day(d),
        }
    }

    fn cite(&self, c: &str) -> String {
        match self.lang {
            None => c.to_string(),
            Some(l) => self.policy.cite_in(c, l),
        }
    }

    /// A label in the language, or (without one) in English where there
    /// is one, else in the official language.
    fn label(&self, l: &crate::policy::Label) -> Option<String> {
        let official = &self.policy.meta.official_language;
        match self.lang {
            Some(lang) => l.get(lang).or_else(|| l.get(official)).cloned(),
            None => l.get("en").or_else(|| l.get(official)).cloned(),
        }
    }

    /// A reported key or value's name: its label in the language, where
    /// the text is in one and the policy gives it; else the name.
    fn name(&self, name: &str, label: Option<&crate::policy::Label>) -> String {
        match (self.lang, label) {
            (Some(lang), Some(l)) => l.get(lang).cloned().unwrap_or_else(|| name.to_string()),
            _ => name.to_string(),
        }
    }

    /// A date as [`Words::day`] writes it; other text as it is; a number
    /// with its digits.
    fn with_weekday(&self, v: &Json) -> String {
        match v {
            Json::String(t) => match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                Ok(d) => self.day(d),
                Err(_) => t.clone(),
            },
            Json::Null => self.t("eval.unknown"),
            other => other.to_string(),
        }
    }

    /// A reported value of the policy's computed value `name`: a number
    /// with the value's unit, if it declares one (`275.14 GBP`, `27.5%`);
    /// else as [`Words::with_weekday`] writes it.
    fn reported(&self, name: &str, v: &Json) -> String {
        let unit = self.policy.value(name).and_then(|c| c.info.unit.as_deref());
        match (unit, v) {
            (Some(u), Json::Number(n)) => match crate::core::decimal::parse(n) {
                Ok(d) => {
                    crate::policy::units::with_unit(&crate::core::value::Value::Decimal(d), Some(u))
                }
                Err(_) => format!("{n} {u}"),
            },
            _ => self.with_weekday(v),
        }
    }
}

/// The decision for a person, in English: see [`text_in`].
pub fn text(plan: &Plan, r: &Evaluation) -> String {
    text_in(plan, r, None)
}

/// The decision for a person: outcome, reasons with citations, the policy's
/// report (dates with their weekday), what is missing and how to supply
/// it, warnings, and every computed value with its citation; in `lang`
/// where given (the policy's labels, citations and dates in that language,
/// and a note where it is not the act's official one), else in English.
pub fn text_in(plan: &Plan, r: &Evaluation, lang: Option<&str>) -> String {
    text_painted(plan, r, lang, false)
}

/// [`text_in`], its outcome in colour when `paint` (for a terminal).
pub fn text_painted(plan: &Plan, r: &Evaluation, lang: Option<&str>, paint: bool) -> String {
    let policy = plan.policy();
    let w = Words {
        policy,
        lang,
        loc: locale::or_english(lang.unwrap_or("en")),
    };
    let outcome = if paint {
        // Red for an outcome given on grounds (a refusal), green for one
        // given without (a grant, an answer), yellow for none yet.
        let code = match r.outcome.as_str() {
            "undetermined" => "1;33",
            _ if r.reasons.is_empty() => "1;32",
            _ => "1;31",
        };
        format!("\x1b[{code}m{}\x1b[0m", r.outcome)
    } else {
        r.outcome.clone()
    };
    let words = r.outcome_label(policy, lang.unwrap_or("en"));
    let words = words.or_else(|| r.outcome_label(policy, &policy.meta.official_language));
    let words = words.map(|w| format!(" — {w}")).unwrap_or_default();
    let mut s = String::new();
    // A text in a language that is not the act's says so first.
    if let Some(note) = lang.and_then(|_| w.loc.unofficial(&policy.meta.official_language)) {
        s += &format!("{note}\n");
    }
    // The keys are aligned in English, as they always were; in a language,
    // each is followed by one space.
    let key = |k: &str, english_pad: &str| match lang {
        None => format!("{k}:{english_pad}"),
        Some(_) => format!("{}: ", w.t(&format!("eval.{k}"))),
    };
    s += &format!("{}{outcome}{words}\n", key("outcome", " "));
    let at = w.day(r.at);
    let edition = r.edition.to_string();
    let policy_at = match lang {
        None => format!("{} at {at} ({edition})", policy.meta.id),
        Some(_) => w.loc.fill(
            "eval.policy_at",
            &[
                ("policy", &policy.meta.id),
                ("date", &at),
                ("edition", &edition),
            ],
        ),
    };
    s += &format!("{}{policy_at}\n", key("policy", "  "));
    if let Some(rule) = &r.rule {
        s += &format!("{}{rule}\n", key("rule", "    "));
    }
    if !r.reasons.is_empty() {
        s += &format!("{}\n", key("reasons", "").trim_end());
        for h in &r.reasons {
            let words = policy.reasons.get(&h.id).and_then(|i| w.label(&i.label));
            let words = words.map(|w| format!(": {w}")).unwrap_or_default();
            s += &format!("  - {}{words} [{}]\n", h.id, w.cite(&h.cite));
        }
    }
    for (k, v) in &crate::engine::contract::report_json(plan, r) {
        let report_label = policy
            .report
            .iter()
            .find(|x| x.key == *k)
            .and_then(|x| x.label.as_ref());
        let shown = w.name(k, report_label);
        match v {
            Json::Null => {}
            Json::Object(m) if m.is_empty() => {}
            Json::Object(m) => {
                s += &format!("{shown}:\n");
                for (k, x) in m {
                    match x {
                        Json::Array(items) => {
                            for it in items {
                                let id = it.get("id").and_then(|i| i.as_str()).unwrap_or("");
                                let cite = it.get("cite").and_then(|i| i.as_str()).unwrap_or("");
                                let val = it
                                    .as_object()
                                    .and_then(|o| {
                                        o.iter().find(|(k, _)| *k != "id" && *k != "cite")
                                    })
                                    .map(|(_, v)| w.reported(id, v))
                                    .unwrap_or_default();
                                let label = policy.value(id).map(|c| &c.info.label);
                                let id = w.name(id, label.filter(|l| !l.is_empty()));
                                s += &format!("  {id}: {val} [{}]\n", w.cite(cite));
                            }
                        }
                        other => {
                            let value = policy.value(k);
                            let cite = value
                                .map(|c| format!(" [{}]", w.cite(&c.info.cite)))
                                .unwrap_or_default();
                            let label = value.map(|c| &c.info.label).filter(|l| !l.is_empty());
                            let name = match (lang, value) {
                                // The total of a list of items.
                                (Some(_), None) if k == "total" => w.t("eval.total"),
                                _ => w.name(k, label),
                            };
                            s += &format!("  {name}: {}{cite}\n", w.reported(k, other));
                        }
                    }
                }
            }
            other => s += &format!("{shown}: {}\n", w.with_weekday(other)),
        }
    }
    if !r.missing.is_empty() {
        s += &format!("{}\n", key("missing", "").trim_end());
        for m in &r.missing {
            let how = if policy.params.contains_key(m) {
                w.loc.fill("eval.missing.param", &[("name", m)])
            } else if let Some(p) = policy.history.provisions.get(m) {
                let title = p
                    .title
                    .get(lang.unwrap_or("en"))
                    .or_else(|| p.title.get("en"))
                    .or_else(|| p.title.values().next())
                    .cloned()
                    .unwrap_or_default();
                w.loc.fill("eval.missing.provision", &[("title", &title)])
            } else if let Some(t) = m
                .strip_suffix(" (not in force)")
                .and_then(|t| policy.table(t))
            {
                w.loc.fill("eval.missing.table", &[("name", &t.name)])
            } else if let Some((c, id, attribute)) = attribute_of(policy, m) {
                w.loc.fill(
                    "eval.missing.attribute",
                    &[("id", &id), ("catalogue", &c), ("attribute", &attribute)],
                )
            } else {
                w.t("eval.missing.input")
            };
            s += &format!("  - {m} ({how})\n");
        }
    }
    if !r.warnings.is_empty() {
        s += &format!("{}\n", key("warnings", "").trim_end());
        // The evaluation's own warnings on acts whose dates are uncertain,
        // in the order it gives them, to be worded again in the language.
        let mut uncertain = policy.history.uncertain_acts_at(r.at).map(|(i, _)| i);
        for x in &r.warnings {
            let message = match lang {
                Some(_) if &*x.id == "uncertain_in_force" => match uncertain.next() {
                    Some(i) => policy.history.uncertain_warning_in(i, lang),
                    None => warning_message(policy, &x.id, &x.message, lang, w.loc),
                },
                _ => warning_message(policy, &x.id, &x.message, lang, w.loc),
            };
            s += &format!("  - {}: {message} ({})\n", x.id, w.cite(&x.cite));
        }
    }
    if !r.values.is_empty() {
        s += &format!("{}\n", key("values", "").trim_end());
        for v in &policy.values {
            if let Some(val) = r.values.get(v.name.as_str()) {
                let val = match (lang, val) {
                    (Some(_), crate::core::value::Value::Date(d)) => w.loc.date(*d),
                    (Some(_), x) if x.is_unknown() => w.loc.unknown(x),
                    _ => v.info.with_unit(val),
                };
                s += &format!("  {} = {val}   [{}]\n", v.name, w.cite(&v.info.cite));
            }
        }
    }
    s
}

/// A warning's message in `lang`: the policy's own words where the
/// warning is one of the policy's and has them; else as the evaluation
/// wrote it (in English), marked so in a text in another language.
fn warning_message(
    policy: &Policy,
    id: &str,
    message: &str,
    lang: Option<&str>,
    loc: &Locale,
) -> String {
    let Some(lang) = lang else {
        return message.to_string();
    };
    if let Some(words) = policy
        .warnings
        .iter()
        .find(|w| w.id == id)
        .and_then(|w| w.message.get(lang))
    {
        return words.clone();
    }
    match lang {
        "en" => message.to_string(),
        _ => loc.fill("eval.in_english", &[("text", message)]),
    }
}

/// The catalogue, the entry and the attribute an unknown names, as the
/// evaluation names an entry's attribute without a value (`courses
/// F1.min_year`).
fn attribute_of(policy: &Policy, missing: &str) -> Option<(String, String, String)> {
    let (c, rest) = missing.split_once(' ')?;
    let cat = policy.catalogues.iter().find(|x| x.name == c)?;
    let (id, attribute) = rest.rsplit_once('.')?;
    let known = cat.get(id).is_some() && cat.attributes.contains_key(attribute);
    known.then(|| (c.to_string(), id.to_string(), attribute.to_string()))
}
