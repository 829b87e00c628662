//! Files to a checked policy: reads the manifest and its includes, then
//! loads each section of the package in turn, each from its declarations
//! and what the sections before it made, type-checking every expression and
//! gathering every diagnostic rather than stopping at the first.
//!
//! One module per section: `history`, `inputs`, `parameters`, `tables`,
//! `values`, `catalogues`, `calendars`, `reasons`, `decision`, `warnings`,
//! `report`, `forms`, and `package` for the manifest's own. `context` holds
//! what they share, `code` the parsing and checking of expressions, `files`
//! the reading of files, and `err` the kinds of failure ([`LoadError`]),
//! each of which makes a diagnostic with its stable code.

mod calendars;
mod catalogues;
mod citations;
mod code;
mod context;
mod decision;
mod err;
mod files;
mod forms;
mod functions;
mod gather;
mod history;
mod inputs;
mod package;
mod parameters;
mod reasons;
mod report;
mod tables;
mod values;
mod warnings;

use std::collections::HashMap;

pub use err::{LoadError, LoadWarning};
pub use files::{MANIFEST, ReadFile, io_reason, load_dir, normalize, yaml_error_place};

use super::Policy;
use crate::core::diag::Diagnostic;
use crate::core::yaml::SplitKey;
use crate::lang::ast::Resolution;
use crate::lang::check::{DateUse, Env};
use context::Loader;
use files::prepare;

/// A policy that loaded, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub policy: Policy,
    pub warnings: Vec<Diagnostic>,
}

/// Loads a package through `read`, which gives a file's display name and
/// text for a path relative to the package (`"\0manifest"` for the
/// manifest). Lets a package be loaded from memory as well as from disk.
pub fn load_files(read: &ReadFile) -> Result<Loaded, Vec<Diagnostic>> {
    let mut ld = Loader::default();
    let mut split = Vec::new();
    let r = load(&mut ld, read, &mut split);
    match r {
        Some(Ok(mut l)) => {
            flow_commas(&split, &mut l.warnings);
            Ok(l)
        }
        Some(Err(mut d)) => {
            flow_commas(&split, &mut d);
            Err(d)
        }
        None => {
            let mut d = std::mem::take(&mut ld.diags);
            flow_commas(&split, &mut d);
            Err(d)
        }
    }
}

/// Gives each diagnostic at a key written without a value inside `{...}`
/// (or at its missing value) the hint that a comma ended the value before
/// it, and warns of each such key no diagnostic points at.
fn flow_commas(files: &[Split], diags: &mut Vec<Diagnostic>) {
    let mut found = false;
    for (file, keys) in files {
        for k in keys {
            let mut hinted = false;
            for d in diags.iter_mut() {
                if let Some(l) = &d.loc
                    && std::sync::Arc::ptr_eq(&l.file, file)
                    && (k.start..=k.after).contains(&l.start)
                {
                    d.help = Some(k.help());
                    hinted = true;
                }
            }
            if !hinted {
                let loc = crate::core::source::Loc::new(file, k.start, k.end);
                let w = LoadWarning::KeyWithoutValue(k.key.clone());
                diags.push(w.at(Some(loc)).help(k.help()));
                found = true;
            }
        }
    }
    if found {
        crate::core::diag::sort(diags);
    }
}

/// A file and its keys written without a value inside `{...}`.
type Split = (
    std::sync::Arc<crate::core::source::SourceFile>,
    Vec<SplitKey>,
);

/// Reads the files through `read` and loads them into `ld`: the policy,
/// or its diagnostics, or `None` when `ld` holds them. Puts each file's
/// keys written without a value in `split`.
fn load(
    ld: &mut Loader,
    read: &ReadFile,
    split: &mut Vec<Split>,
) -> Option<Result<Loaded, Vec<Diagnostic>>> {
    let manifest = match read("\0manifest") {
        Ok(x) => x,
        Err(e) => return Some(Err(vec![LoadError::Io(e).at(None)])),
    };
    let first = ld.parse_file(manifest.0, manifest.1);
    let keys = |ld: &Loader| {
        ld.files
            .iter()
            .map(|(f, i)| (f.clone(), i.split_keys.clone()))
            .collect::<Vec<_>>()
    };
    let Some(first) = first else {
        *split = keys(ld);
        return None;
    };
    let includes = std::mem::take(&mut ld.parsed[first].1.include);
    // The manifest's calendars load on a thread of their own while the
    // included files are read in order, parsed in parallel, and then taken
    // in order.
    let calendar_paths: Vec<String> = ld.parsed[first].1.calendars.values().cloned().collect();
    let (texts, prepared, preloaded) = std::thread::scope(|s| {
        let calendars = s.spawn(|| {
            calendar_paths
                .iter()
                .map(|p| (p.clone(), crate::policy::calendar::load(read, p)))
                .collect::<HashMap<_, _>>()
        });
        let texts: Vec<Result<(String, String), String>> =
            includes.iter().map(|rel| read(rel)).collect();
        let prepared = crate::core::par::map(&texts, |t| {
            t.as_ref()
                .ok()
                .map(|(name, text)| prepare(name.clone(), text.clone()))
        });
        // Should that thread fail, `build` loads the calendars itself.
        (texts, prepared, calendars.join().unwrap_or_default())
    });
    ld.preloaded = preloaded;
    let mut prepared = prepared.into_iter();
    for (i, t) in texts.into_iter().enumerate() {
        let p = prepared.next().flatten();
        match (t, p) {
            (Ok((name, text)), Some(p)) => {
                // A file of blanks and comments declares nothing: the
                // names it should declare would all be reported unknown.
                if text
                    .lines()
                    .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
                {
                    let loc = ld.loc(first, &["include", &i.to_string()], false);
                    ld.fail(LoadError::EmptyInclude(name), loc);
                    ld.unread = true;
                }
                if let Some(ix) = ld.add_file(p)
                    && (ld.parsed[ix].1.package.is_some() || !ld.parsed[ix].1.include.is_empty())
                {
                    let loc = ld.loc(ix, &["package"], true);
                    ld.fail(LoadError::IncludedManifest, loc);
                }
            }
            (Err(e), _) => {
                let loc = ld.loc(first, &["include", &i.to_string()], false);
                ld.fail(LoadError::Io(e), loc);
                // Its names would all be reported unknown.
                ld.unread = true;
            }
            (Ok(_), None) => {}
        }
    }
    // A file that is not read leaves its names undeclared: checking the
    // rest would bury its error under names reported unknown.
    *split = keys(ld);
    if ld.unread {
        return None;
    }
    Some(std::mem::take(ld).build(read))
}

impl Loader {
    /// Loads every section of the files read, in an order where each comes
    /// after those it needs.
    fn build(mut self, read: &ReadFile<'_>) -> Result<Loaded, Vec<Diagnostic>> {
        let mut s = self.gather();
        let Some((pf, pkg)) = s.package.take() else {
            let name = self
                .files
                .first()
                .map(|f| f.0.name.clone())
                .unwrap_or_default();
            self.fail(LoadError::NoPackage { file: name }, None);
            return Err(self.diags);
        };
        let period = self.package(pf, &pkg);
        // The act's history, before the items that name its provisions.
        let history = match &s.history {
            Some((f, h)) => self.history(*f, h, period.from),
            None => Default::default(),
        };
        self.repeal_date(pf, &history, &period);
        let citations = match &s.citations {
            Some((f, c)) => self.citations(*f, c, &pkg.languages),
            None => None,
        };
        let schema = self.schema(&s.input);
        let params = self.parameters(&s.params, period.from);
        let mut tables = self.tables(&s.tables);
        self.names(&s.input, &s.params, &s.values);
        let parsed_values = self.parse_values(&s.values);
        let catalogues = self.catalogues(&s.catalogues, &pkg.official_language);
        self.input_refs(&s.input, &catalogues);
        let calendars = self.calendars(&s.calendars, read);
        let mut env = environment(&schema, &params, &tables, &catalogues, &s);
        let value_names = s.values.keys().map(String::as_str).collect();
        // Tables whose rows compute their results read inputs or values:
        // no function may look one up.
        let computing = tables
            .iter()
            .filter(|t| t.rows.iter().any(|r| r.then_code.is_some()))
            .map(|t| t.name.as_str())
            .collect();
        let functions = self.functions(&s.functions, &mut env, &value_names, &computing);
        let values = self.values(parsed_values, &mut env, &tables);
        self.table_results(&mut tables, &env);
        let reasons = self.reasons(&s.reasons);
        let decision = s
            .decision
            .take()
            .map(|(f, d)| self.decision(f, d, &env, &reasons, &schema.record));
        let warnings = self.warnings(&s.warnings, &env);
        let report = self.report(&s.report, &env, &values);
        let forms = self.forms(&s.forms, &env, &reasons, decision.as_ref());
        // Conditions over the inputs only, checked while an application is
        // read, before its date is known.
        let mut input_env = schema.env();
        input_env.catalogues = std::mem::take(&mut env.catalogues);
        input_env.evaluation_date = DateUse::Unknown(
            "`required_when` is checked while the application is read, before the date it is evaluated at is known",
        );
        let required_when = self.required_when(&s.input, &input_env);
        let unlisted = s
            .input
            .iter()
            .filter_map(|(k, (_, d))| Some((k.clone(), d.unlisted.clone()?)))
            .collect();
        let before_date = "`required_when`, which is checked while the application is read, before the date it is evaluated at is known";
        for (_, c) in &required_when {
            self.no_dated_attributes(c, &input_env, &catalogues, before_date);
        }
        // The evaluation date, over the inputs and the parameters.
        for (i, (name, p)) in params.iter().enumerate() {
            input_env
                .globals
                .insert(name.clone(), (Resolution::Param(i), p.ty.clone()));
        }
        input_env.evaluation_date =
            DateUse::Unknown("`package.evaluation_date` is the expression that gives it");
        let evaluation_date =
            self.evaluation_date(pf, &pkg, &input_env, &params, &history, &period);
        if let Some(c) = &evaluation_date {
            let what =
                "`package.evaluation_date`, which is computed before the date it gives is known";
            self.no_dated_attributes(c, &input_env, &catalogues, what);
        }
        // Like lint, only for a policy without errors.
        if let Some(start) = period.from
            && !self.diags.iter().any(Diagnostic::is_error)
        {
            self.explain_dates(&history, start);
        }

        crate::core::diag::sort(&mut self.diags);
        if self.diags.iter().any(Diagnostic::is_error) {
            return Err(self.diags);
        }
        // The content hash of the files the package was loaded from, in
        // the order they were read, then each calendar's.
        let mut digest = crate::core::digest::Digest::new();
        for (f, _) in &self.files {
            digest.add(&f.name, &f.text);
        }
        for (name, c) in &calendars {
            digest.add(name, &c.digest);
        }
        let policy = Policy {
            meta: package::meta(pkg, &period),
            input: schema.record,
            fields: schema.fields,
            params,
            tables,
            values,
            functions,
            reasons,
            decision,
            calendars,
            catalogues,
            history,
            citations,
            warnings,
            forms,
            required_when,
            unlisted,
            evaluation_date,
            report,
            files: self.files.iter().map(|(f, _)| f.clone()).collect(),
            value_places: Default::default(),
            digest: digest.hex(),
        };
        let mut warnings = self.diags;
        warnings.extend(crate::policy::lint::lint(&policy));
        crate::core::diag::sort(&mut warnings);
        Ok(Loaded { policy, warnings })
    }
}

/// The names the policy's expressions may read: inputs, parameters,
/// tables, catalogues and calendars. Computed values are added as they are
/// checked.
fn environment(
    schema: &inputs::Schema,
    params: &indexmap::IndexMap<String, super::Param>,
    tables: &[super::Table],
    catalogues: &[super::catalogue::Catalogue],
    sections: &gather::Sections,
) -> Env {
    let mut env = Env {
        calendars: sections.calendars.keys().cloned().collect(),
        ..Env::default()
    };
    for c in catalogues {
        env.catalogues.insert(
            c.name.clone(),
            crate::lang::check::CatalogueInfo {
                kinds: c.kinds.clone(),
                attributes: c
                    .attributes
                    .iter()
                    .map(|(k, (t, _))| (k.clone(), t.clone()))
                    .collect(),
                ids: c.by_id.keys().cloned().collect(),
            },
        );
    }
    env.globals = schema.env().globals;
    for (i, (name, p)) in params.iter().enumerate() {
        env.globals
            .insert(name.clone(), (Resolution::Param(i), p.ty.clone()));
    }
    for (i, t) in tables.iter().enumerate() {
        let cols = t.columns.iter().map(|c| c.1.clone()).collect();
        env.tables
            .insert(t.name.clone(), (i, cols, t.result_type()));
    }
    env
}
