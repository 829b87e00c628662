//! The manifest's `package` section: the act's identity, languages and
//! period of force, and the date an application is evaluated at.

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::context::Loader;
use super::err::LoadError;
use crate::lang::ast::{ExprKind, Resolution};
use crate::lang::check::Env;
use crate::lang::types::Type;
use crate::policy::history::History;
use crate::policy::model::PackageDecl;
use crate::policy::{Code, Meta, Param};

/// The act's period of force as read: `from` inclusive, `until` exclusive.
pub(super) struct Period {
    pub(super) from: Option<NaiveDate>,
    pub(super) until: Option<NaiveDate>,
}

impl Loader {
    /// Checks the package's languages, title and dates, and makes its
    /// languages those labels are checked against.
    pub(super) fn package(&mut self, pf: usize, pkg: &PackageDecl) -> Period {
        self.langs = pkg.languages.clone();
        if !self.langs.contains(&pkg.official_language) {
            let loc = self.loc(pf, &["package", "official_language"], false);
            let e = LoadError::OfficialLanguage(pkg.official_language.clone());
            self.fail(e, loc);
        }
        self.labels(pf, &["package", "title"], &pkg.title);
        let from = self.date(pf, &["package", "in_force", "from"], &pkg.in_force.from);
        let until = match &pkg.in_force.until {
            Some(u) => self.date(pf, &["package", "in_force", "until"], u),
            None => None,
        };
        if let (Some(a), Some(b)) = (from, until)
            && b <= a
        {
            let loc = self.loc(pf, &["package", "in_force", "until"], false);
            self.fail(LoadError::EndsBeforeStart, loc);
        }
        Period { from, until }
    }

    /// The package's `evaluation_date`, an expression over the inputs and
    /// the parameters (`env`) that must be a date. It is computed before
    /// the date is known, so a parameter it reads takes the value in force
    /// on the act's first day: one whose value changes while the act is in
    /// force (see [`changes`]) is refused rather than read on a date that
    /// may not be the application's.
    pub(super) fn evaluation_date(
        &mut self,
        pf: usize,
        pkg: &PackageDecl,
        env: &Env,
        params: &IndexMap<String, Param>,
        history: &History,
        period: &Period,
    ) -> Option<Code> {
        let e = pkg.evaluation_date.as_ref()?;
        let mut c = self.code(pf, &["package", "evaluation_date"], e)?;
        let ty = self.check_code(&mut c, env)?;
        if ty != Type::Date {
            let loc = Some(c.site.loc(c.expr.span));
            self.fail(LoadError::EvaluationDate(ty), loc);
            return None;
        }
        let mut ok = true;
        let mut seen = Vec::new();
        c.expr.walk(&mut |x| {
            if let ExprKind::Name(n) = &x.kind
                && let Resolution::Param(i) = n.res
                && !seen.contains(&i)
            {
                seen.push(i);
                let Some((name, p)) = params.get_index(i) else {
                    return;
                };
                if let Some(how) = changes(p, history, period) {
                    let loc = Some(c.site.loc(x.span));
                    let e = LoadError::DatedInEvaluationDate {
                        name: name.clone(),
                        how,
                    };
                    self.fail(e, loc);
                    ok = false;
                }
            }
        });
        ok.then_some(c)
    }
}

impl Loader {
    /// Refuses each read in `code` of a catalogue attribute that has dated
    /// values: `code` (`what`, such as "`package.evaluation_date`, which
    /// gives it") runs before the date is known, so it would read the
    /// value of the act's first day whatever the application's date.
    pub(super) fn no_dated_attributes(
        &mut self,
        code: &Code,
        env: &Env,
        catalogues: &[crate::policy::catalogue::Catalogue],
        what: &'static str,
    ) -> bool {
        // The catalogues and attributes with dated values.
        let dated: Vec<(&str, &str)> = catalogues
            .iter()
            .flat_map(|c| {
                let names = c.attributes.keys().filter(|a| {
                    let values = c.entries.iter().filter_map(|e| e.attributes.get(*a));
                    values.clone().any(|v| v.dated().is_some())
                });
                names.map(|a| (c.name.as_str(), a.as_str()))
            })
            .collect();
        if dated.is_empty() {
            return true;
        }
        let mut found = Vec::new();
        code.expr.walk(&mut |x| {
            let ExprKind::Field(inner, field) = &x.kind else {
                return;
            };
            // The catalogue the field is read of, where the receiver's
            // type can be told alone (not a quantifier's variable).
            let of = match crate::lang::check::check(&mut (**inner).clone(), env) {
                Ok(Type::Ref(c)) => Some(c),
                Ok(_) => return,
                Err(_) => None,
            };
            for (c, a) in &dated {
                if *a == field.node && of.as_deref().is_none_or(|o| o == *c) {
                    found.push((c.to_string(), a.to_string(), x.span));
                }
            }
        });
        let fine = found.is_empty();
        for (catalogue, attribute, span) in found {
            let loc = Some(code.site.loc(span));
            let e = LoadError::DatedAttributeTooEarly {
                catalogue,
                attribute,
                what,
            };
            self.fail(e, loc);
        }
        fine
    }
}

/// How parameter `p`'s value may differ from one day the act is in force
/// to another, in words, if it may: a dated value that differs from the
/// first (or the first dated after the act's entry into force), or a
/// provision whose wording is encoded on some of those days and not on
/// others.
fn changes(p: &Param, history: &History, period: &Period) -> Option<String> {
    let from = period.from?;
    let within = |d: NaiveDate| d > from && period.until.is_none_or(|u| d < u);
    if let Some((first, _)) = p.values.first()
        && *first > from
    {
        return Some(format!("it has no value before {first}"));
    }
    let start = p.value_at(from);
    for (d, _) in p.values.iter().filter(|(d, _)| within(*d)) {
        let v = p.value_at(*d);
        let same = match (start.is_unknown(), v.is_unknown()) {
            (true, true) => true,
            (false, false) => crate::core::value::equal(&start, &v),
            _ => false,
        };
        if !same {
            return Some(format!("its value changes on {d}"));
        }
    }
    let provision = p.info.provision.as_deref()?;
    let versions = history.provisions.get(provision)?.versions.iter();
    let days = std::iter::once(from).chain(versions.map(|v| v.from).filter(|d| within(*d)));
    for d in days {
        if !history.encoded(provision, d) {
            return Some(format!(
                "it rests on provision `{provision}`, whose wording in force on {d} is not encoded"
            ));
        }
    }
    None
}

/// The package's description, once every section has loaded.
pub(super) fn meta(pkg: PackageDecl, period: &Period) -> Meta {
    Meta {
        id: pkg.id,
        title: pkg.title,
        act: pkg.act,
        languages: pkg.languages,
        official_language: pkg.official_language,
        in_force_from: period.from.unwrap_or(NaiveDate::MIN),
        in_force_until: period.until,
        description: pkg.description,
    }
}
