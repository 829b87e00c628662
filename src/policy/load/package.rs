//! The manifest's `package` section: the act's identity, languages and
//! period of force, and the date an application is evaluated at.

use chrono::NaiveDate;

use super::context::Loader;
use super::err::LoadError;
use crate::lang::check::Env;
use crate::lang::types::Type;
use crate::policy::model::PackageDecl;
use crate::policy::{Code, Meta};

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

    /// The package's `evaluation_date`, an expression over the inputs
    /// (`input_env`) that must be a date.
    pub(super) fn evaluation_date(
        &mut self,
        pf: usize,
        pkg: &PackageDecl,
        input_env: &Env,
    ) -> Option<Code> {
        let e = pkg.evaluation_date.as_ref()?;
        let mut c = self.code(pf, &["package", "evaluation_date"], e)?;
        match self.check_code(&mut c, input_env) {
            Some(Type::Date) => Some(c),
            Some(t) => {
                let loc = Some(c.site.loc(c.expr.span));
                self.fail(LoadError::EvaluationDate(t), loc);
                None
            }
            None => None,
        }
    }
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
