//! The `parameters` section: named values of the act, one or dated.

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::context::{Common, Decls, Loader};
use super::err::LoadError;
use crate::core::yaml::Data;
use crate::lang::types::Type;
use crate::policy::model::ParamDecl;
use crate::policy::{DatedValue, Param, ValueNote};

/// One dated value as read: the value with its date and note, and the
/// data written for it with its path (for the warnings about percents).
pub(super) struct ReadDated<'d> {
    pub(super) value: DatedValue,
    pub(super) path: Vec<String>,
    pub(super) data: &'d Data,
}

/// The keys of a dated value written as a mapping.
const DATED_KEYS: [&str; 3] = ["value", "cite", "interpretation"];

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
        let path = |k: &str| vec!["parameters".to_string(), name.to_string(), k.to_string()];
        let read: Vec<ReadDated<'_>> = match (&d.value, &d.values) {
            (Some(v), None) => {
                let value = if v.is_null() {
                    None
                } else {
                    self.data(f, &[base[0], base[1], "value"], v, &ty)
                };
                let from = start.unwrap_or(NaiveDate::MIN);
                let value = DatedValue {
                    from,
                    value,
                    note: ValueNote::default(),
                };
                vec![ReadDated {
                    value,
                    path: path("value"),
                    data: v,
                }]
            }
            (None, Some(map)) => {
                let item = format!("parameter `{name}`");
                let entries = map.iter().map(|(k, v)| (k.clone(), v)).collect();
                let values = [base[0], base[1], "values"];
                self.dated_values(f, &values, entries, &ty, &item, &info.provision)
            }
            _ => {
                let loc = self.loc(f, &base, true);
                self.fail(LoadError::ParamValue(name.to_string()), loc);
                return None;
            }
        };
        if info.unit.as_deref() == Some(crate::policy::units::PERCENT) {
            self.percents_as_numbers(f, name, &read);
        }
        let notes = read.iter().map(|r| r.value.note.clone()).collect();
        let values = read.into_iter().map(|r| (r.value.from, r.value.value));
        Some(Param {
            name: name.to_string(),
            ty,
            values: values.collect(),
            notes,
            dated: d.values.is_some(),
            info,
        })
    }

    /// Warns of each value of parameter `name`, in `percent`, written as a
    /// plain number above 1 or below -1 (`20` rather than `20%`): a
    /// fraction, it is a hundred times what such a number usually means.
    fn percents_as_numbers(&mut self, f: usize, name: &str, read: &[ReadDated<'_>]) {
        for r in read {
            let found = r
                .value
                .value
                .as_ref()
                .and_then(|v| crate::policy::units::plain_above_one(r.data, v));
            if let Some(v) = found {
                let w = super::err::LoadWarning::PercentAsNumber {
                    name: name.to_string(),
                    written: v.to_string(),
                    percent: crate::policy::units::with_unit(&v, Some("percent")),
                };
                let path: Vec<&str> = r.path.iter().map(String::as_str).collect();
                let loc = self.loc(f, &path, false);
                self.diags.push(w.at(loc));
            }
        }
    }

    /// Dated values written at `path` (a mapping of dates to values) for
    /// `item`, such as "parameter `fee`": `entries` are the mapping's keys
    /// and values, each value written plainly or as `{value, cite,
    /// interpretation}`. Each date is marked to be explained by an act that
    /// changes `provision`. Refuses an empty mapping and dates out of
    /// ascending order.
    pub(super) fn dated_values<'d>(
        &mut self,
        f: usize,
        path: &[&str],
        entries: Vec<(String, &'d Data)>,
        ty: &Type,
        item: &str,
        provision: &Option<String>,
    ) -> Vec<ReadDated<'d>> {
        if entries.is_empty() {
            let loc = self.loc(f, path, false);
            self.fail(LoadError::NoDatedValues, loc);
        }
        let mut out = Vec::new();
        let mut last: Option<NaiveDate> = None;
        for (k, v) in entries {
            let mut p = path.to_vec();
            p.push(k.as_str());
            let Some(day) = self.date_key(f, &p, &k) else {
                continue;
            };
            if last.is_some_and(|l| l >= day) {
                let loc = self.loc(f, &p, true);
                self.fail(LoadError::DatedValuesOrder, loc);
            }
            last = Some(day);
            self.mark(f, &p, true, item, "takes a value from", day, provision);
            let (data, note, vp) = match self.dated_note(f, &p, v) {
                Some(x) => x,
                None => continue,
            };
            let value = if data.is_null() {
                None
            } else {
                let vp: Vec<&str> = vp.iter().map(String::as_str).collect();
                self.data(f, &vp, data, ty)
            };
            out.push(ReadDated {
                value: DatedValue {
                    from: day,
                    value,
                    note,
                },
                path: vp,
                data,
            });
        }
        out
    }

    /// A dated value written at `path`: its data, its note and the path of
    /// its data, whether written plainly or as `{value, cite,
    /// interpretation}`; `None` after reporting a mapping of another shape.
    fn dated_note<'d>(
        &mut self,
        f: usize,
        path: &[&str],
        v: &'d Data,
    ) -> Option<(&'d Data, ValueNote, Vec<String>)> {
        let own = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let Data::Mapping(m) = v else {
            return Some((v, ValueNote::default(), own(path)));
        };
        let mut fine = true;
        for k in m.keys() {
            let key = k.as_str().unwrap_or_default();
            if !DATED_KEYS.contains(&key) {
                let mut p = path.to_vec();
                let shown = key_text(k);
                p.push(&shown);
                let loc = self.loc(f, &p, true);
                let e = LoadError::DatedValueKey {
                    key: shown.clone(),
                    suggestion: super::context::closest(&shown, DATED_KEYS),
                };
                self.fail(e, loc);
                fine = false;
            }
        }
        let Some(data) = m.get("value") else {
            let loc = self.loc(f, path, false);
            self.fail(LoadError::DatedValueWithoutValue, loc);
            return None;
        };
        let mut text = |this: &mut Self, k: &str| -> Option<String> {
            let d = m.get(k)?;
            let mut p = path.to_vec();
            p.push(k);
            match d.as_str() {
                Some(s) if !s.trim().is_empty() => Some(s.to_string()),
                Some(_) if k == "cite" => {
                    let loc = this.loc(f, &p, false);
                    this.fail(LoadError::EmptyCitation, loc);
                    fine = false;
                    None
                }
                Some(_) => None,
                None => {
                    let loc = this.loc(f, &p, false);
                    let e = LoadError::NotText {
                        key: k.to_string(),
                        found: crate::core::value::describe_data(d),
                    };
                    this.fail(e, loc);
                    fine = false;
                    None
                }
            }
        };
        let note = ValueNote {
            cite: text(self, "cite"),
            interpretation: text(self, "interpretation"),
        };
        let mut vp = own(path);
        vp.push("value".into());
        fine.then_some((data, note, vp))
    }
}

/// A mapping's key as written, for a message.
pub(super) fn key_text(k: &Data) -> String {
    match k {
        Data::String(s) => s.clone(),
        Data::Number(n) => n.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Null => "null".into(),
        other => crate::core::value::describe_data(other),
    }
}
