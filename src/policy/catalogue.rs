//! Catalogues: trees of entries (a list of sectors and professions, say)
//! that inputs refer to by id or official name, with inherited attributes
//! and periods of force.

use std::collections::HashMap;

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::{DatedValue, Info, Label, dated_at};
use crate::core::suggest;
use crate::core::value::Value;
use crate::lang::types::Type;

/// A map from names the policy writes (ids, official names).
pub type Names<T> = HashMap<String, T, foldhash::fast::RandomState>;

#[derive(Debug)]
pub struct Catalogue {
    pub name: String,
    pub kinds: Vec<String>,
    /// What each kind is called in the package's languages.
    pub kind_labels: IndexMap<String, crate::policy::Label>,
    /// Declared attributes: type, and whether ancestors pass them down.
    pub attributes: IndexMap<String, (Type, bool)>,
    /// Each declared attribute's citation (the catalogue's unless it has
    /// its own), reading and description.
    pub attribute_info: IndexMap<String, Info>,
    /// Every entry, parents before their children, in written order.
    pub entries: Vec<Entry>,
    /// Entries by id; hashed with foldhash, since every application's
    /// reference is looked up here.
    pub by_id: Names<usize>,
    /// Entries by their official name, normalized (see [`normalize`]), in
    /// written order; filled by [`Catalogue::index_names`].
    pub by_name: Names<Vec<usize>>,
    /// Each official name as written, to its key in `by_name`: a name
    /// written as the catalogue writes it is found without normalizing.
    pub written: Names<String>,
    /// The language whose names are official.
    pub official: String,
    pub provision: Option<String>,
    pub info: Info,
    /// Look-alike characters a name may be typed with, each with the one
    /// it stands for (a Latin `i` for the Cyrillic U+0456): names and what is
    /// looked up are compared with these folded.
    pub fold: Vec<(char, char)>,
}

#[derive(Debug)]
pub struct Entry {
    pub id: String,
    pub kind: String,
    pub name: Label,
    pub wording: Option<String>,
    pub aliases: Vec<String>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Attribute values, inherited ones included; hashed with foldhash,
    /// since applications' references read them.
    pub attributes: IndexMap<String, Attribute, foldhash::fast::RandomState>,
    /// `from` inclusive, `until` exclusive; open when absent.
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
    pub info: Info,
}

/// An entry's attribute: one value, or values by the date each applies
/// from. An entry that inherits dated values shares its ancestor's.
#[derive(Clone, Debug, PartialEq)]
pub enum Attribute {
    Plain(Value),
    /// Ascending by date; before the first there is no value.
    Dated(std::sync::Arc<[DatedValue]>),
}

impl Attribute {
    /// The value on `at`: `None` before the first of dated values, or
    /// where the act gives none.
    pub fn value_at(&self, at: NaiveDate) -> Option<&Value> {
        match self {
            Attribute::Plain(v) => Some(v),
            Attribute::Dated(d) => dated_at(d, at)?.value.as_ref(),
        }
    }

    /// The dated values, if the attribute has them.
    pub fn dated(&self) -> Option<&[DatedValue]> {
        match self {
            Attribute::Plain(_) => None,
            Attribute::Dated(d) => Some(d),
        }
    }

    /// Whether `other` is this very attribute: the same value, or the same
    /// dated values shared (inherited) rather than written again.
    pub fn same(&self, other: &Attribute) -> bool {
        match (self, other) {
            (Attribute::Dated(a), Attribute::Dated(b)) => std::sync::Arc::ptr_eq(a, b),
            (a, b) => a == b,
        }
    }
}

/// An attribute compares with a value as its one value: a dated attribute
/// equals none.
impl PartialEq<Value> for Attribute {
    fn eq(&self, other: &Value) -> bool {
        matches!(self, Attribute::Plain(v) if v == other)
    }
}

/// Why text does not name one entry.
#[derive(Clone, Debug, PartialEq)]
pub enum Unresolved {
    /// No entry has that id or official name; the closest names.
    Unknown { suggestions: Vec<String> },
    /// Several entries have that name: their ids and paths.
    Ambiguous { candidates: Vec<(String, String)> },
    /// The entry exists but is not of an accepted kind.
    WrongKind { id: String, kind: String },
}

/// Lower case, trimmed, with runs of whitespace made one space.
pub fn normalize(s: &str) -> String {
    // In one pass: words joined by single spaces, lower-cased.
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.to_lowercase()
}

impl Catalogue {
    /// The key a name is found by: Unicode NFC, lower case, runs of
    /// whitespace made one space, and each look-alike character the
    /// catalogue declares folded to the one it stands for.
    pub fn key(&self, s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let composed: String = s.nfc().collect();
        let key = normalize(&composed);
        if self.fold.is_empty() {
            return key;
        }
        key.chars()
            .map(|c| {
                let folded = self.fold.iter().find(|(from, _)| *from == c);
                folded.map_or(c, |(_, to)| *to)
            })
            .collect()
    }

    /// The look-alike characters the official name of entry `e` is
    /// written with (those the catalogue folds), in order, once each: only
    /// inside a word that mixes them with letters of another script
    /// (a Latin `i` among Cyrillic letters), not in a word written wholly
    /// in theirs (`Dolby`).
    pub fn look_alikes(&self, e: usize) -> Vec<char> {
        let folds = |c: char| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            self.fold.iter().any(|(from, _)| *from == lower)
        };
        let mut out = Vec::new();
        for word in self.official_name(e).split(|c: char| !c.is_alphabetic()) {
            let (alike, other): (Vec<char>, Vec<char>) = word.chars().partition(|c| folds(*c));
            // Another script: a letter the fold neither maps nor shares the
            // look-alikes' block with (ASCII letters are the Latin ones).
            let mixed = other
                .iter()
                .any(|c| c.is_ascii() != alike.first().is_some_and(|a| a.is_ascii()));
            if mixed {
                for c in alike {
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
        out
    }

    /// A new reference to entry `e` of this catalogue, which is the
    /// policy's catalogue number `index`. A plan makes one for each entry
    /// once, which the records it reads share.
    pub fn reference(&self, index: usize, e: usize) -> Value {
        Value::Ref(std::sync::Arc::new(crate::core::value::EntryRef {
            catalogue: index,
            entry: e,
            id: self.entries[e].id.clone(),
        }))
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Builds the index of official names, once the entries are read.
    pub fn index_names(&mut self) {
        let mut by_name: Names<Vec<usize>> = Names::default();
        let mut written: Names<String> = Names::default();
        for e in 0..self.entries.len() {
            let name = self.official_name(e);
            let key = self.key(name);
            written.insert(name.to_string(), key.clone());
            by_name.entry(key).or_default().push(e);
        }
        self.by_name = by_name;
        self.written = written;
    }

    /// The entry's name in the official language.
    pub fn official_name(&self, e: usize) -> &str {
        let label = &self.entries[e].name;
        let lang = label.get("official").unwrap_or(&self.official);
        label
            .get(lang)
            .or_else(|| label.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The names from the outermost ancestor down to the entry.
    pub fn path(&self, e: usize) -> String {
        let mut parts = vec![self.official_name(e).to_string()];
        let mut at = self.entries[e].parent;
        while let Some(p) = at {
            parts.push(self.official_name(p).to_string());
            at = self.entries[p].parent;
        }
        parts.reverse();
        parts.join(" / ")
    }

    pub fn is_within(&self, e: usize, ancestor: usize) -> bool {
        let mut at = Some(e);
        while let Some(x) = at {
            if x == ancestor {
                return true;
            }
            at = self.entries[x].parent;
        }
        false
    }

    /// The nearest entry of `kind` among `e` and its ancestors.
    pub fn ancestor(&self, e: usize, kind: &str) -> Option<usize> {
        let mut at = Some(e);
        while let Some(x) = at {
            if self.entries[x].kind == kind {
                return Some(x);
            }
            at = self.entries[x].parent;
        }
        None
    }

    /// Whether the entry and all its ancestors are in the catalogue on `at`.
    pub fn in_force(&self, e: usize, at: NaiveDate) -> bool {
        let mut x = Some(e);
        while let Some(i) = x {
            let en = &self.entries[i];
            if en.from.is_some_and(|f| at < f) || en.until.is_some_and(|u| at >= u) {
                return false;
            }
            x = en.parent;
        }
        true
    }

    /// The dates the entry is in the catalogue, its ancestors' included:
    /// the latest `from` (inclusive) and the earliest `until` (exclusive);
    /// `None` is open. `from` at or after `until` means never.
    pub fn period(&self, e: usize) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let (mut from, mut until): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
        let mut x = Some(e);
        while let Some(i) = x {
            let en = &self.entries[i];
            from = from.max(en.from);
            until = match (until, en.until) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            x = en.parent;
        }
        (from, until)
    }

    /// Finds the entry `text` names: its id, or its official name matched
    /// ignoring case and runs of whitespace. `kinds` limits the kinds
    /// accepted; `within` settles a name shared by several entries.
    pub fn resolve(
        &self,
        text: &str,
        kinds: Option<&[String]>,
        within: Option<usize>,
    ) -> Result<usize, Unresolved> {
        let ok_kind = |e: usize| kinds.is_none_or(|k| k.contains(&self.entries[e].kind));
        if let Some(e) = self.get(text.trim()) {
            return if ok_kind(e) {
                Ok(e)
            } else {
                Err(Unresolved::WrongKind {
                    id: self.entries[e].id.clone(),
                    kind: self.entries[e].kind.clone(),
                })
            };
        }
        // A name written as the index keeps it (normalizing is idempotent)
        // is found without normalizing it first.
        let want = match (self.by_name.contains_key(text), self.written.get(text)) {
            (true, _) => std::borrow::Cow::Borrowed(text),
            (false, Some(key)) => std::borrow::Cow::Borrowed(key.as_str()),
            (false, None) => std::borrow::Cow::Owned(self.key(text)),
        };
        let mut found: Vec<usize> = self
            .by_name
            .get(want.as_ref())
            .map(|es| es.iter().copied().filter(|&e| ok_kind(e)).collect())
            .unwrap_or_default();
        if found.len() > 1
            && let Some(w) = within
        {
            found.retain(|&e| self.is_within(e, w));
        }
        match found.as_slice() {
            [one] => Ok(*one),
            [] => {
                let names: Vec<String> = (0..self.entries.len())
                    .filter(|&e| ok_kind(e))
                    .map(|e| self.official_name(e).to_string())
                    .collect();
                let mut scored: Vec<(usize, &String)> = names
                    .iter()
                    .map(|n| (suggest::distance(&want, &self.key(n)), n))
                    .collect();
                scored.sort();
                scored.dedup_by(|a, b| a.1 == b.1);
                let limit = (want.chars().count() / 3).max(2);
                let suggestions = scored
                    .iter()
                    .filter(|(d, _)| *d <= limit)
                    .take(3)
                    .map(|(_, n)| (*n).clone())
                    .collect();
                Err(Unresolved::Unknown { suggestions })
            }
            many => Err(Unresolved::Ambiguous {
                candidates: many
                    .iter()
                    .map(|&e| (self.entries[e].id.clone(), self.path(e)))
                    .collect(),
            }),
        }
    }

    /// Entries whose names (in any language) or aliases contain `query`,
    /// ignoring case and runs of whitespace.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let q = self.key(query);
        (0..self.entries.len())
            .filter(|&e| {
                let en = &self.entries[e];
                en.id == query.trim()
                    || en
                        .name
                        .iter()
                        .filter(|(k, _)| k.as_str() != "official")
                        .any(|(_, n)| self.key(n).contains(&q))
                    || en.aliases.iter().any(|a| self.key(a).contains(&q))
            })
            .collect()
    }
}
