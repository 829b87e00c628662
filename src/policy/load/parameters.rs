//! The `parameters` section: named values of the act, one or dated.

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::context::{Common, Decls, Loader};
use super::err::LoadError;
use crate::core::value::Value;
use crate::lang::types::Type;
use crate::policy::Param;
use crate::policy::model::ParamDecl;

impl Loader {
    /// The parameters, a single value applying from `start`, the act's
    /// entry into force.
    pub(super) fn parameters(
        &mut self,
        params: &Decls<ParamDecl>,
        start: Option<NaiveDate>,
    ) -> IndexMap<String, Param> {
        let mut out = IndexMap::new();
        for (name, (f, d)) in params {
            if let Some(p) = self.parameter(*f, name, d, start) {
                out.insert(name.clone(), p);
            }
        }
        out
    }

    fn parameter(
        &mut self,
        f: usize,
        name: &str,
        d: &ParamDecl,
        start: Option<NaiveDate>,
    ) -> Option<Param> {
        let base = ["parameters", name];
        let mut info = self.item(f, &base, Common::of(d));
        let ty = self.ty(f, &[base[0], base[1], "type"], &d.ty)?;
        info.unit = self.unit(f, &base, &d.unit, &ty);
        let dated = match (&d.value, &d.values) {
            (Some(v), None) => {
                let v = if v.is_null() {
                    None
                } else {
                    self.data(f, &[base[0], base[1], "value"], v, &ty)
                };
                vec![(start.unwrap_or(NaiveDate::MIN), v)]
            }
            (None, Some(map)) => self.dated(f, name, map, &ty, &info.provision),
            _ => {
                let loc = self.loc(f, &base, true);
                self.fail(LoadError::ParamValue(name.to_string()), loc);
                return None;
            }
        };
        if info.unit.as_deref() == Some(crate::policy::units::PERCENT) {
            self.percents_as_numbers(f, name, d, &dated);
        }
        Some(Param {
            name: name.to_string(),
            ty,
            values: dated,
            info,
        })
    }

    /// Warns of each value of parameter `name`, in `percent`, written as a
    /// plain number above 1 or below -1 (`20` rather than `20%`): a
    /// fraction, it is a hundred times what such a number usually means.
    fn percents_as_numbers(
        &mut self,
        f: usize,
        name: &str,
        d: &ParamDecl,
        dated: &[(NaiveDate, Option<Value>)],
    ) {
        let written: Vec<(Vec<&str>, &crate::core::yaml::Data)> = match (&d.value, &d.values) {
            (Some(v), _) => vec![(vec!["parameters", name, "value"], v)],
            (None, Some(map)) => map
                .iter()
                .map(|(k, v)| (vec!["parameters", name, "values", k.as_str()], v))
                .collect(),
            _ => Vec::new(),
        };
        // A value that did not read is an error already.
        if written.len() != dated.len() {
            return;
        }
        for ((path, data), (_, v)) in written.iter().zip(dated) {
            let found = v
                .as_ref()
                .and_then(|v| crate::policy::units::plain_above_one(data, v));
            if let Some(v) = found {
                let w = super::err::LoadWarning::PercentAsNumber {
                    name: name.to_string(),
                    written: v.to_string(),
                    percent: crate::policy::units::with_unit(&v, Some("percent")),
                };
                let loc = self.loc(f, path, false);
                self.diags.push(w.at(loc));
            }
        }
    }

    /// A parameter's `values`, by the date each applies from.
    fn dated(
        &mut self,
        f: usize,
        name: &str,
        map: &IndexMap<String, crate::core::yaml::Data>,
        ty: &Type,
        provision: &Option<String>,
    ) -> Vec<(NaiveDate, Option<Value>)> {
        let item = format!("parameter `{name}`");
        let mut dated = Vec::new();
        let mut last: Option<NaiveDate> = None;
        for (k, v) in map {
            let path = ["parameters", name, "values", k.as_str()];
            let Some(day) = self.date_key(f, &path, k) else {
                continue;
            };
            if last.is_some_and(|l| l >= day) {
                let loc = self.loc(f, &path, true);
                self.fail(LoadError::DatedValuesOrder, loc);
            }
            last = Some(day);
            self.mark(f, &path, true, &item, "takes a value from", day, provision);
            let v = if v.is_null() {
                None
            } else {
                self.data(f, &path, v, ty)
            };
            dated.push((day, v));
        }
        dated
    }
}
