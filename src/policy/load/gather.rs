//! The package's files merged into one set of sections, each item with
//! the file it came from; a name declared twice is reported.

use super::context::{Decls, InFile, Loader};
use super::err::LoadError;
use crate::policy::model::{
    CatalogueDecl, CitationsDecl, DecisionDecl, FieldDecl, FormDecl, HistoryDecl, PackageDecl,
    ParamDecl, ReasonDecl, ReportDecl, TableDecl, ValueDecl, WarningDecl,
};

/// Every section's declarations, from all of the package's files.
#[derive(Default)]
pub(super) struct Sections {
    pub(super) package: Option<InFile<PackageDecl>>,
    pub(super) input: Decls<FieldDecl>,
    pub(super) params: Decls<ParamDecl>,
    pub(super) tables: Decls<TableDecl>,
    pub(super) values: Decls<ValueDecl>,
    pub(super) functions: Decls<crate::policy::model::FunctionDecl>,
    pub(super) reasons: Decls<ReasonDecl>,
    pub(super) decision: Option<InFile<DecisionDecl>>,
    /// Calendars' folders by name.
    pub(super) calendars: Decls<String>,
    pub(super) catalogues: Decls<CatalogueDecl>,
    pub(super) history: Option<InFile<HistoryDecl>>,
    pub(super) citations: Option<InFile<CitationsDecl>>,
    pub(super) warnings: Decls<WarningDecl>,
    pub(super) forms: Decls<FormDecl>,
    pub(super) report: Decls<ReportDecl>,
}

impl Loader {
    /// Takes the parsed files' sections, in the order of the files.
    pub(super) fn gather(&mut self) -> Sections {
        let parsed = std::mem::take(&mut self.parsed);
        let mut s = Sections::default();
        for (f, file) in parsed {
            if let Some(h) = file.history {
                if s.history.is_some() {
                    let loc = self.loc(f, &["history"], true);
                    self.fail(LoadError::SectionTwice("history"), loc);
                } else {
                    s.history = Some((f, h));
                }
            }
            if let Some(c) = file.citations {
                if s.citations.is_some() {
                    let loc = self.loc(f, &["citations"], true);
                    self.fail(LoadError::SectionTwice("citations"), loc);
                } else {
                    s.citations = Some((f, c));
                }
            }
            for (k, v) in file.calendars {
                if s.calendars.contains_key(&k) {
                    let loc = self.loc(f, &["calendars", &k], true);
                    self.fail(LoadError::CalendarTwice(k), loc);
                } else {
                    s.calendars.insert(k, (f, v));
                }
            }
            if let Some(p) = file.package {
                s.package = Some((f, p));
            }
            self.merge(f, "input", file.input, &mut s.input);
            self.merge(f, "parameters", file.parameters, &mut s.params);
            self.merge(f, "tables", file.tables, &mut s.tables);
            self.merge(f, "values", file.values, &mut s.values);
            self.merge(f, "functions", file.functions, &mut s.functions);
            self.merge(f, "reasons", file.reasons, &mut s.reasons);
            self.merge(f, "catalogues", file.catalogues, &mut s.catalogues);
            self.merge(f, "warnings", file.warnings, &mut s.warnings);
            self.merge(f, "forms", file.forms, &mut s.forms);
            self.merge(f, "report", file.report, &mut s.report);
            if let Some(d) = file.decision {
                if s.decision.is_some() {
                    let loc = self.loc(f, &["decision"], true);
                    self.fail(LoadError::SectionTwice("decision"), loc);
                } else {
                    s.decision = Some((f, d));
                }
            }
        }
        s
    }

    /// Adds file `f`'s items of `section` to those of the files before it.
    fn merge<T>(
        &mut self,
        f: usize,
        section: &str,
        items: indexmap::IndexMap<String, T>,
        into: &mut Decls<T>,
    ) {
        for (k, v) in items {
            if into.contains_key(&k) {
                let loc = self.loc(f, &[section, &k], true);
                let e = LoadError::DeclaredTwice {
                    name: k,
                    section: section.to_string(),
                };
                self.fail(e, loc);
            } else {
                into.insert(k, (f, v));
            }
        }
    }
}
