//! The loader's state, shared by every section: the files read with their
//! positions, the diagnostics found so far, and the helpers that read the
//! parts every section has (places, citations, labels, dates, data).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::err::LoadError;
use super::files::{Prepared, prepare, yaml_error_place};
use crate::core::diag::Diagnostic;
use crate::core::source::{Loc, SourceFile};
use crate::core::value::Value;
use crate::core::yaml::PosIndex;
use crate::lang::types::Type;
use crate::policy::Info;
use crate::policy::model::{self, PolicyFile};

/// An item's declaration and the file it came from.
pub(super) type InFile<T> = (usize, T);

/// A section's declarations by name, each with its file.
pub(super) type Decls<T> = IndexMap<String, InFile<T>>;

#[derive(Default)]
pub(super) struct Loader {
    pub(super) diags: Vec<Diagnostic>,
    /// The languages of the package's labels, once its `package` is read.
    pub(super) langs: Vec<String>,
    /// The provisions the history declares.
    pub(super) provisions: Vec<String>,
    pub(super) files: Vec<(Arc<SourceFile>, PosIndex)>,
    pub(super) parsed: Vec<InFile<PolicyFile>>,
    /// Expressions and types already parsed, by their text: a policy says
    /// `service == "issue"` many times, and parsing is most of checking.
    pub(super) parsed_exprs: HashMap<String, crate::lang::ast::Expr>,
    pub(super) parsed_types: HashMap<String, Type>,
    /// Whether a file did not parse.
    pub(super) unread: bool,
    /// The dates items carry, to be explained by the history's acts once
    /// every section is read.
    pub(super) dated: Vec<Dated>,
    /// Calendars loaded ahead, by their declared path.
    pub(super) preloaded:
        HashMap<String, Result<Arc<crate::policy::calendar::Calendar>, Vec<Diagnostic>>>,
}

/// A date an item carries: a dated value, a boundary of its period in
/// force, a provision's version.
pub(super) struct Dated {
    /// The item, such as "parameter `fee`".
    pub(super) item: String,
    /// What happens to it on the date, such as "takes a value from".
    pub(super) event: &'static str,
    pub(super) date: NaiveDate,
    /// The provision the item rests on, if it names one.
    pub(super) provision: Option<String>,
    /// Where the date is written.
    pub(super) loc: Option<Loc>,
}

/// The fields every item declaration has.
pub(super) struct Common<'a> {
    cite: &'a str,
    interpretation: &'a Option<String>,
    label: &'a Option<model::Label>,
    description: &'a Option<String>,
    provision: &'a Option<String>,
}

impl<'a> Common<'a> {
    pub(super) fn of<D: Item>(d: &'a D) -> Common<'a> {
        d.common()
    }
}

/// A declaration with the common fields of an item.
pub(super) trait Item {
    fn common(&self) -> Common<'_>;
}

macro_rules! item {
    ($($t:ty),*) => {$(
        impl Item for $t {
            fn common(&self) -> Common<'_> {
                Common {
                    cite: &self.cite,
                    interpretation: &self.interpretation,
                    label: &self.label,
                    description: &self.description,
                    provision: &self.provision,
                }
            }
        }
    )*};
}
item!(
    model::ParamDecl,
    model::TableDecl,
    model::ValueDecl,
    model::OptionDecl,
    model::FunctionDecl,
    model::ReasonDecl,
    model::CatalogueDecl
);

impl Loader {
    /// Reports a failure at `loc`.
    pub(super) fn fail(&mut self, e: LoadError, loc: Option<Loc>) {
        self.diags.push(e.at(loc));
    }

    pub(super) fn parse_file(&mut self, name: String, text: String) -> Option<usize> {
        self.add_file(prepare(name, text))
    }

    /// Takes a file read by [`prepare`].
    pub(super) fn add_file(&mut self, prepared: Prepared) -> Option<usize> {
        let (file, index, parsed) = prepared;
        let ix = self.files.len();
        self.files.push((file.clone(), index));
        match parsed {
            Ok(p) => {
                self.parsed.push((ix, p));
                Some(self.parsed.len() - 1)
            }
            Err(e) => {
                let (loc, help) = yaml_error_place(&file, &e);
                let e = LoadError::Yaml {
                    message: e.message,
                    file: file.name.clone(),
                    help,
                };
                self.fail(e, loc);
                self.unread = true;
                None
            }
        }
    }

    /// The place of the node at `path` in file `f` (of its key if `key`).
    pub(super) fn loc(&self, f: usize, path: &[&str], key: bool) -> Option<Loc> {
        let (file, index) = self.files.get(f)?;
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        let exact = index.get(&path);
        let pos = exact.or_else(|| index.nearest(&path))?;
        let (start, end) = match (key, pos.key) {
            (true, Some(k)) => {
                let len = path.last().map(|s| s.len()).unwrap_or(1);
                (k, k + len)
            }
            _ => (
                pos.start,
                if exact.is_some() {
                    pos.end
                } else {
                    pos.start + 1
                },
            ),
        };
        // A collection's span runs to its end; point at its first line.
        let end = file.text[start..end.min(file.text.len())]
            .find('\n')
            .map(|n| start + n)
            .unwrap_or(end);
        Some(Loc::new(file, start, end))
    }

    pub(super) fn info(
        &mut self,
        f: usize,
        path: &[&str],
        cite: &str,
        interpretation: &Option<String>,
        label: &Option<model::Label>,
        description: &Option<String>,
    ) -> Info {
        if cite.trim().is_empty() {
            let mut p: Vec<&str> = path.to_vec();
            p.push("cite");
            let loc = self.loc(f, &p, false);
            self.fail(LoadError::EmptyCitation, loc);
        }
        Info {
            cite: cite.to_string(),
            interpretation: interpretation.clone(),
            label: label.clone().unwrap_or_default(),
            description: description.clone(),
            loc: self.loc(f, path, true),
            provision: None,
            from: None,
            until: None,
            unit: None,
        }
    }

    /// Reads the `in_force` of `item` (such as "value `x`") into its
    /// info, whose provision is read.
    pub(super) fn interval(
        &mut self,
        f: usize,
        path: &[&str],
        item: &str,
        i: &Option<model::PeriodDecl>,
        info: &mut Info,
    ) {
        let Some(i) = i else { return };
        let (from, until) = self.in_force(f, path, item, i, &info.provision);
        info.from = from;
        info.until = until;
    }

    /// An `in_force` of `item` at `path` (of the item): its dates, each
    /// marked to be explained by an act that changes `provision`.
    pub(super) fn in_force(
        &mut self,
        f: usize,
        path: &[&str],
        item: &str,
        i: &model::PeriodDecl,
        provision: &Option<String>,
    ) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let read = |this: &mut Self, k: &str, v: &Option<String>, event| {
            let mut p = path.to_vec();
            p.extend(["in_force", k]);
            let d = this.date(f, &p, v.as_ref()?)?;
            this.mark(f, &p, false, item, event, d, provision);
            Some(d)
        };
        let from = read(self, "from", &i.from, "comes into force on");
        let until = read(self, "until", &i.until, "leaves force on");
        if i.from.is_none() && i.until.is_none() {
            let mut p = path.to_vec();
            p.push("in_force");
            let loc = self.loc(f, &p, false);
            self.fail(LoadError::EmptyPeriod, loc);
        }
        if let (Some(a), Some(b)) = (from, until)
            && b <= a
        {
            let mut p = path.to_vec();
            p.extend(["in_force", "until"]);
            let loc = self.loc(f, &p, false);
            self.fail(LoadError::EmptyInForce, loc);
        }
        (from, until)
    }

    /// Marks the date `d` written at `path` (its key if `key`), on which
    /// `item` does `event`, to be explained by an act that changes
    /// `provision`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn mark(
        &mut self,
        f: usize,
        path: &[&str],
        key: bool,
        item: &str,
        event: &'static str,
        d: NaiveDate,
        provision: &Option<String>,
    ) {
        let loc = self.loc(f, path, key);
        self.dated.push(Dated {
            item: item.to_string(),
            event,
            date: d,
            provision: provision.clone(),
            loc,
        });
    }

    /// An item's provenance with its provision checked and labels checked
    /// against the package's languages.
    pub(super) fn item(&mut self, f: usize, path: &[&str], c: Common<'_>) -> Info {
        let mut info = self.info(f, path, c.cite, c.interpretation, c.label, c.description);
        info.provision = self.prov(f, path, c.provision);
        let mut lp = path.to_vec();
        lp.push("label");
        self.labels(f, &lp, &info.label);
        info
    }

    /// Checks that an item's `provision` is declared in the history.
    pub(super) fn prov(&mut self, f: usize, path: &[&str], p: &Option<String>) -> Option<String> {
        let p = p.as_ref()?;
        if !self.provisions.contains(p) {
            let mut pp = path.to_vec();
            pp.push("provision");
            let loc = self.loc(f, &pp, false);
            let e = LoadError::UnknownProvision {
                name: p.clone(),
                suggestion: closest(p, &self.provisions),
            };
            self.fail(e, loc);
        }
        Some(p.clone())
    }

    pub(super) fn date(&mut self, f: usize, path: &[&str], text: &str) -> Option<NaiveDate> {
        match crate::core::value::parse_date(text) {
            Some(d) => Some(d),
            None => {
                let loc = self.loc(f, path, false);
                self.fail(LoadError::NotADate(text.to_string()), loc);
                None
            }
        }
    }

    /// A date written as a mapping key, such as a dated value's.
    pub(super) fn date_key(&mut self, f: usize, path: &[&str], text: &str) -> Option<NaiveDate> {
        let d = crate::core::value::parse_date(text);
        if d.is_none() {
            let loc = self.loc(f, path, true);
            self.fail(LoadError::NotADate(text.to_string()), loc);
        }
        d
    }

    pub(super) fn data(
        &mut self,
        f: usize,
        path: &[&str],
        data: &crate::core::yaml::Data,
        ty: &Type,
    ) -> Option<Value> {
        // A number is read from its digits as written in the file.
        let kept;
        let data = match self.files.get(f) {
            Some((_, index)) if crate::core::yaml::has_float(data) => {
                let mut d = data.clone();
                crate::core::yaml::keep_digits_at(&mut d, index, path);
                kept = d;
                &kept
            }
            _ => data,
        };
        match crate::lang::convert::from_policy_data(data, ty) {
            Ok(v) => Some(v),
            Err(e) => {
                let mut p: Vec<&str> = path.to_vec();
                p.extend(e.path.iter().map(String::as_str));
                let loc = self.loc(f, &p, false);
                self.fail(LoadError::Data(e.message), loc);
                None
            }
        }
    }

    /// The `unit` declared on the item at `path`, checked against the type
    /// `ty` of its values; `None` after reporting a unit that is wrong.
    pub(super) fn unit(
        &mut self,
        f: usize,
        path: &[&str],
        unit: &Option<String>,
        ty: &Type,
    ) -> Option<String> {
        use crate::policy::units::{UnitFault, fault};
        let u = unit.as_ref()?;
        let Some(why) = fault(u, ty) else {
            return Some(u.clone());
        };
        let mut p = path.to_vec();
        p.push("unit");
        let loc = self.loc(f, &p, false);
        let e = match why {
            UnitFault::NotAWord => LoadError::NotAUnit(u.clone()),
            UnitFault::NotANumber => LoadError::UnitOfNonNumber {
                unit: u.clone(),
                ty: ty.clone(),
            },
            UnitFault::PercentOfInt => LoadError::PercentOfInt,
        };
        self.fail(e, loc);
        None
    }

    /// Checks that a label's languages are the package's.
    pub(super) fn labels(&mut self, f: usize, path: &[&str], label: &model::Label) {
        for (k, v) in label {
            let ok = if k == "official" {
                self.langs.contains(v)
            } else {
                self.langs.contains(k)
            };
            if !ok {
                let mut p: Vec<&str> = path.to_vec();
                p.push(k);
                let loc = self.loc(f, &p, k != "official");
                let what = if k == "official" { v } else { k };
                let e = LoadError::NotALanguage {
                    language: what.clone(),
                    languages: self.langs.clone(),
                };
                self.fail(e, loc);
            }
        }
    }
}

/// The name among `names` closest to `name`, if one is close enough to be
/// a slip.
pub(super) fn closest<S: AsRef<str>>(
    name: &str,
    names: impl IntoIterator<Item = S>,
) -> Option<String> {
    let names: Vec<S> = names.into_iter().collect();
    crate::core::suggest::closest(name, names.iter().map(AsRef::as_ref)).map(str::to_string)
}
