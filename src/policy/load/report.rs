//! The `report` section: the keys a decision reports besides its own
//! members, each an expression, a group of values, a list of items with a
//! total, or an object of fields.

use super::context::{Decls, Loader, closest};
use super::err::LoadError;
use crate::lang::check::Env;
use crate::policy::model::ReportDecl;
use crate::policy::{Computed, Report, ReportKind};

impl Loader {
    /// The report's keys, their expressions checked in `env` and the values
    /// they name among `values`.
    pub(super) fn report(
        &mut self,
        report: &Decls<ReportDecl>,
        env: &Env,
        values: &[Computed],
    ) -> Vec<Report> {
        let mut out = Vec::new();
        for (key, (f, d)) in report {
            let f = *f;
            if crate::policy::RESERVED_REPORT_KEYS.contains(&key.as_str()) {
                let loc = self.loc(f, &["report", key], true);
                self.fail(LoadError::ReportMember(key.clone()), loc);
                continue;
            }
            let kind = self.report_kind(f, key, d, env, values);
            let when = d
                .when
                .as_ref()
                .and_then(|w| self.condition(f, &["report", key, "when"], w, env));
            if let Some(kind) = kind {
                if let Some(l) = &d.label {
                    self.labels(f, &["report", key, "label"], l);
                }
                out.push(Report {
                    key: key.clone(),
                    label: d.label.clone(),
                    kind,
                    when,
                    outcomes: d.outcomes.clone(),
                });
            }
        }
        out
    }

    /// What the report's `key` holds: exactly one of its kinds.
    fn report_kind(
        &mut self,
        f: usize,
        key: &str,
        d: &ReportDecl,
        env: &Env,
        values: &[Computed],
    ) -> Option<ReportKind> {
        match (&d.expr, &d.values, &d.items, &d.fields) {
            (Some(e), None, None, None) => self
                .checked(f, &["report", key, "expr"], e, env)
                .map(ReportKind::Expr),
            (None, Some(v), None, None) => {
                self.value_names(f, key, "values", v, values);
                Some(ReportKind::Values(v.to_vec()))
            }
            (None, None, Some(v), None) => {
                self.value_names(f, key, "items", v, values);
                let total = match &d.total {
                    Some(t) => self.checked(f, &["report", key, "total"], t, env),
                    None => None,
                };
                let item_key = d.item_key.clone().unwrap_or_else(|| "value".into());
                if item_key == "id" || item_key == "cite" {
                    let loc = self.loc(f, &["report", key, "item_key"], false);
                    self.fail(LoadError::ItemKey(item_key.clone()), loc);
                }
                Some(ReportKind::Items {
                    names: v.to_vec(),
                    key: item_key,
                    total,
                })
            }
            (None, None, None, Some(fs)) => {
                let mut out = Vec::new();
                for (k, e) in fs {
                    if let Some(c) = self.checked(f, &["report", key, "fields", k], e, env) {
                        out.push((k.clone(), c));
                    }
                }
                Some(ReportKind::Fields(out))
            }
            _ => {
                let loc = self.loc(f, &["report", key], true);
                self.fail(LoadError::ReportKind(key.to_string()), loc);
                None
            }
        }
    }

    /// Reports the names, listed under the report's `key`.`list`, that are
    /// not computed values.
    fn value_names(
        &mut self,
        f: usize,
        key: &str,
        list: &str,
        names: &[String],
        values: &[Computed],
    ) {
        for (i, n) in names.iter().enumerate() {
            if !values.iter().any(|v| v.name == *n) {
                let loc = self.loc(f, &["report", key, list, &i.to_string()], false);
                let e = LoadError::UnknownValue {
                    name: n.clone(),
                    suggestion: closest(n, values.iter().map(|v| &v.name)),
                };
                self.fail(e, loc);
            }
        }
    }
}
