//! The words qagida itself writes in documents (headings, column names,
//! notes, dates), per language. They are data, in `locales/*.yaml` at the
//! top of the repository, embedded in the binary: a translator edits a
//! file, not the code. A policy's own words (its labels, outcomes,
//! reasons, forms) are in the policy.
//!
//! English is the fallback: a text missing from a language's file is taken
//! from `en.yaml` (a test checks that none is missing), and an unknown key
//! is written as itself, so that a gap shows rather than hides.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The embedded language files: (language, YAML text).
const FILES: &[(&str, &str)] = &[
    ("en", include_str!("../../locales/en.yaml")),
    ("kk", include_str!("../../locales/kk.yaml")),
    ("ru", include_str!("../../locales/ru.yaml")),
];

/// One language's words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    /// The language's code, such as `kk`.
    pub language: String,
    /// The language's name in itself.
    pub name: String,
    /// How a date is written: `{day}`, `{month}` and `{year}` in a pattern.
    date: String,
    /// The months' names as a date writes them, January first.
    months: Vec<String>,
    /// The months' names in the grammatical cases the words around a date
    /// may need (in Kazakh, `ablative` before the word for "from",
    /// `dative` before the word for "until"),
    /// where the language declines them; a case it does not have is
    /// written as `months`.
    #[serde(default)]
    cases: BTreeMap<String, Vec<String>>,
    /// The days of the week, Monday first.
    weekdays: Vec<String>,
    /// The names of languages as the texts insert them (`{official}`).
    language_names: BTreeMap<String, String>,
    texts: BTreeMap<String, String>,
}

fn all() -> &'static [Locale] {
    static ALL: OnceLock<Vec<Locale>> = OnceLock::new();
    ALL.get_or_init(|| {
        FILES
            .iter()
            .map(|(lang, text)| {
                let l: Locale = serde_yaml::from_str(text)
                    .unwrap_or_else(|e| panic!("locales/{lang}.yaml is embedded and valid: {e}"));
                l
            })
            .collect()
    })
}

/// The language `lang`'s words, if qagida has them.
pub fn get(lang: &str) -> Option<&'static Locale> {
    all().iter().find(|l| l.language == lang)
}

/// The language `lang`'s words, or English's where qagida has none.
pub fn or_english(lang: &str) -> &'static Locale {
    get(lang).unwrap_or_else(english)
}

/// English, the fallback.
pub fn english() -> &'static Locale {
    get("en").expect("locales/en.yaml is embedded")
}

/// The languages qagida has words for.
pub fn languages() -> impl Iterator<Item = &'static str> {
    all().iter().map(|l| l.language.as_str())
}

impl Locale {
    /// The text `key`: this language's, else English's, else the key
    /// itself.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts
            .get(key)
            .or_else(|| english().texts.get(key))
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// The text `key` with each `{name}` replaced by its value in `args`.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.text(key).to_string();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// `d` as a document in this language writes it: `22 March 2021`, or
    /// in Kazakh the year first (see `tests/locales.rs`).
    pub fn date(&self, d: NaiveDate) -> String {
        let month = self
            .months
            .get(d.month0() as usize)
            .map(String::as_str)
            .unwrap_or_default();
        self.date
            .replace("{day}", &d.day().to_string())
            .replace("{month}", month)
            .replace("{year}", &d.year().to_string())
    }

    /// `d` with its month in the grammatical `case`, where the language
    /// declines months (Kazakh does); else as [`Locale::date`].
    pub fn date_in(&self, d: NaiveDate, case: &str) -> String {
        match self
            .cases
            .get(case)
            .and_then(|m| m.get(d.month0() as usize))
        {
            Some(month) => self
                .date
                .replace("{day}", &d.day().to_string())
                .replace("{month}", month)
                .replace("{year}", &d.year().to_string()),
            None => self.date(d),
        }
    }

    /// The name of `d`'s day of the week: `Monday`.
    pub fn weekday(&self, d: NaiveDate) -> &str {
        self.weekdays
            .get(d.weekday().num_days_from_monday() as usize)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// `d` with its day of the week: `22 March 2021, Monday`.
    pub fn day(&self, d: NaiveDate) -> String {
        let weekday = self
            .weekdays
            .get(d.weekday().num_days_from_monday() as usize)
            .map(String::as_str)
            .unwrap_or_default();
        format!("{}, {weekday}", self.date(d))
    }

    /// An unknown value as this language says it, with what it misses:
    /// `unknown (missing threshold)`.
    pub fn unknown(&self, v: &crate::core::value::Value) -> String {
        let names: Vec<String> = v.missing().iter().cloned().collect();
        match names.is_empty() {
            true => self.text("eval.unknown").to_string(),
            false => self.fill("eval.unknown_missing", &[("names", &names.join(", "))]),
        }
    }

    /// The name of language `lang` as this language's texts insert it.
    pub fn language_name<'a>(&'a self, lang: &'a str) -> &'a str {
        self.language_names
            .get(lang)
            .map(String::as_str)
            .unwrap_or(lang)
    }

    /// The note every text in this language carries when it is not the
    /// act's `official` language; `None` when it is.
    pub fn unofficial(&self, official: &str) -> Option<String> {
        (self.language != official)
            .then(|| self.fill("unofficial", &[("official", self.language_name(official))]))
    }

    /// The keys of its texts.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_text_english_has_and_no_other() {
        let en: Vec<&str> = english().keys().collect();
        for l in all() {
            let keys: Vec<&str> = l.keys().collect();
            assert_eq!(keys, en, "locales/{}.yaml", l.language);
            assert_eq!(l.months.len(), 12, "locales/{}.yaml months", l.language);
            assert_eq!(l.weekdays.len(), 7, "locales/{}.yaml weekdays", l.language);
            for (case, months) in &l.cases {
                assert_eq!(months.len(), 12, "locales/{}.yaml {case}", l.language);
            }
            for other in languages() {
                assert!(
                    l.language_names.contains_key(other),
                    "locales/{}.yaml names no language {other}",
                    l.language
                );
            }
        }
    }
}
