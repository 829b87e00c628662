//! The `input` section: the schema of an application, its fields' labels
//! and citations, their references to catalogues, and the conditions that
//! make optional fields required.

use std::collections::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;

use super::context::{Decls, Loader, closest};
use super::err::LoadError;
use crate::lang::ast::Resolution;
use crate::lang::check::Env;
use crate::lang::types::{FieldType, RecordType, Type};
use crate::policy::catalogue::Catalogue;
use crate::policy::model::FieldDecl;
use crate::policy::{Code, Info};

/// The input schema and each field's info, by dotted path.
pub(super) struct Schema {
    pub(super) record: Arc<RecordType>,
    pub(super) fields: IndexMap<String, Info>,
}

impl Schema {
    /// An environment where the input fields are the names.
    pub(super) fn env(&self) -> Env {
        let mut env = Env::default();
        for (i, (name, ft)) in self.record.fields.iter().enumerate() {
            env.globals
                .insert(name.to_string(), (Resolution::Input(i), ft.ty.clone()));
        }
        env
    }
}

/// The catalogue a type names, for `ref(name)`.
fn ref_name(ty: &str) -> Option<String> {
    match crate::lang::syntax::parse_type(ty) {
        Ok(Type::Ref(c)) => Some(c.to_string()),
        _ => None,
    }
}

impl Loader {
    /// The input schema of the declared fields.
    pub(super) fn schema(&mut self, input: &Decls<FieldDecl>) -> Schema {
        let mut fields = IndexMap::new();
        let mut record = RecordType::default();
        for (name, (f, decl)) in input {
            if let Some(ft) = self.field(*f, &["input", name], name, decl, &mut fields) {
                record.fields.insert(name.as_str().into(), ft);
            }
        }
        Schema {
            record: Arc::new(record),
            fields,
        }
    }

    /// A field at `path`, named `dotted`, with its info (and its fields')
    /// added to `infos`.
    fn field(
        &mut self,
        f: usize,
        path: &[&str],
        dotted: &str,
        decl: &FieldDecl,
        infos: &mut IndexMap<String, Info>,
    ) -> Option<FieldType> {
        let mut lp: Vec<&str> = path.to_vec();
        lp.push("label");
        if let Some(l) = &decl.label {
            self.labels(f, &lp, l);
        }
        infos.insert(
            dotted.to_string(),
            Info {
                cite: decl.cite.clone().unwrap_or_default(),
                interpretation: decl.interpretation.clone(),
                label: decl.label.clone().unwrap_or_default(),
                description: decl.description.clone(),
                loc: self.loc(f, path, true),
                provision: None,
                from: None,
                until: None,
                unit: None,
            },
        );
        let ty = match (&decl.ty, &decl.fields) {
            (Some(t), None) => {
                let mut tp: Vec<&str> = path.to_vec();
                tp.push("type");
                self.ty(f, &tp, t)?
            }
            (None, Some(fields)) => {
                let mut rec = RecordType::default();
                let mut fp: Vec<&str> = path.to_vec();
                fp.push("fields");
                for (name, sub) in fields {
                    let mut p = fp.clone();
                    p.push(name);
                    let d = format!("{dotted}.{name}");
                    if let Some(ft) = self.field(f, &p, &d, sub, infos) {
                        rec.fields.insert(name.as_str().into(), ft);
                    }
                }
                Type::Record(Arc::new(rec))
            }
            _ => {
                let loc = self.loc(f, path, true);
                self.fail(LoadError::FieldType(dotted.to_string()), loc);
                return None;
            }
        };
        let options = self.field_options(f, path, decl, &ty);
        let unit = self.unit(f, path, &decl.unit, &ty);
        if let Some(info) = infos.get_mut(dotted) {
            info.unit = unit;
        }
        Some(FieldType {
            ty,
            optional: decl.optional,
            options,
        })
    }

    /// A field's options, checked against its type `ty`.
    fn field_options(
        &mut self,
        f: usize,
        path: &[&str],
        decl: &FieldDecl,
        ty: &Type,
    ) -> crate::lang::types::FieldOptions {
        let mut options = crate::lang::types::FieldOptions {
            kinds: decl.kinds.clone(),
            within: decl.within.clone(),
            unlisted: decl.unlisted.clone(),
            bare_time: None,
            min: None,
            max: None,
        };
        for (key, bound) in [("min", &decl.min), ("max", &decl.max)] {
            let Some(data) = bound else { continue };
            let mut bp: Vec<&str> = path.to_vec();
            bp.push(key);
            let bounded = matches!(
                ty,
                Type::Int | Type::Decimal | Type::Date | Type::DateTime | Type::Time
            );
            if !bounded {
                let loc = self.loc(f, &bp, true);
                self.fail(
                    LoadError::BoundOfType(key.into(), crate::lang::convert::describe_type(ty)),
                    loc,
                );
                continue;
            }
            match crate::lang::convert::from_policy_data(data, ty) {
                Ok(v) if key == "min" => options.min = Some(v),
                Ok(v) => options.max = Some(v),
                Err(e) => {
                    let loc = self.loc(f, &bp, false);
                    self.fail(LoadError::BoundValue(key.into(), e.message), loc);
                }
            }
        }
        if let (Some(lo), Some(hi)) = (&options.min, &options.max)
            && crate::core::value::compare(lo, hi) == Some(std::cmp::Ordering::Greater)
        {
            let mut bp: Vec<&str> = path.to_vec();
            bp.push("max");
            let loc = self.loc(f, &bp, false);
            self.fail(LoadError::BoundsOrder, loc);
        }
        if let Some(t) = &decl.bare_date_time {
            let mut tp: Vec<&str> = path.to_vec();
            tp.push("bare_date_time");
            match chrono::NaiveTime::parse_from_str(t, "%H:%M") {
                Ok(time) if *ty == Type::DateTime => options.bare_time = Some(time),
                Ok(_) => {
                    let loc = self.loc(f, &tp, true);
                    self.fail(LoadError::BareTimeNotDateTime, loc);
                }
                Err(_) => {
                    let loc = self.loc(f, &tp, false);
                    self.fail(LoadError::NotATime(t.clone()), loc);
                }
            }
        }
        let ref_options = decl.kinds.is_some() || decl.within.is_some() || decl.unlisted.is_some();
        if ref_options && !matches!(ty, Type::Ref(_)) {
            let loc = self.loc(f, path, true);
            self.fail(LoadError::RefOptions, loc);
        }
        options
    }

    /// Checks the `ref(...)` fields of the input against the catalogues.
    pub(super) fn input_refs(&mut self, input: &Decls<FieldDecl>, cats: &[Catalogue]) {
        // The top-level input fields and the catalogue each refers to.
        let siblings: HashMap<String, Option<String>> = input
            .iter()
            .map(|(k, (_, d))| (k.clone(), d.ty.as_deref().and_then(ref_name)))
            .collect();
        for (name, (f, decl)) in input {
            self.check_refs(*f, &["input", name], decl, &siblings, cats);
            if let Some(u) = &decl.unlisted {
                let fits = input.get(u).is_some_and(|(_, d)| {
                    d.optional && d.ty.as_deref().map(str::trim) == Some("string")
                });
                if !fits || u == name {
                    let loc = self.loc(*f, &["input", name, "unlisted"], false);
                    self.fail(LoadError::Unlisted(u.clone()), loc);
                }
            }
        }
    }

    /// Checks the `ref(...)` fields of an input declaration: the catalogue
    /// exists, `kinds` are its kinds, `within` names a sibling reference.
    fn check_refs(
        &mut self,
        f: usize,
        path: &[&str],
        decl: &FieldDecl,
        siblings: &HashMap<String, Option<String>>,
        cats: &[Catalogue],
    ) {
        if let Some(fields) = &decl.fields {
            for (k, sub) in fields {
                if sub.unlisted.is_some() {
                    let mut p = path.to_vec();
                    p.extend(["fields", k, "unlisted"]);
                    let loc = self.loc(f, &p, false);
                    let e = LoadError::Unlisted(sub.unlisted.clone().unwrap_or_default());
                    self.fail(e, loc);
                }
            }
            let sib: HashMap<String, Option<String>> = fields
                .iter()
                .map(|(k, v)| (k.clone(), v.ty.as_deref().and_then(ref_name)))
                .collect();
            for (k, sub) in fields {
                let mut p = path.to_vec();
                p.push("fields");
                p.push(k);
                self.check_refs(f, &p, sub, &sib, cats);
            }
            return;
        }
        let Some(cat) = decl.ty.as_deref().and_then(ref_name) else {
            return;
        };
        let mut tp = path.to_vec();
        tp.push("type");
        let Some(c) = cats.iter().find(|c| c.name == cat) else {
            let loc = self.loc(f, &tp, false);
            let suggestion = closest(&cat, cats.iter().map(|c| &c.name));
            let e = LoadError::UnknownCatalogue {
                name: cat,
                suggestion,
            };
            self.fail(e, loc);
            return;
        };
        for (i, k) in decl.kinds.iter().flatten().enumerate() {
            if !c.kinds.contains(k) {
                let mut kp = path.to_vec();
                kp.push("kinds");
                let is = i.to_string();
                kp.push(&is);
                let loc = self.loc(f, &kp, false);
                let e = LoadError::NoSuchKind {
                    catalogue: cat.clone(),
                    kind: k.clone(),
                    kinds: c.kinds.clone(),
                };
                self.fail(e, loc);
            }
        }
        if let Some(w) = &decl.within
            && siblings.get(w).and_then(|x| x.as_ref()) != Some(&cat)
        {
            let mut wp = path.to_vec();
            wp.push("within");
            let loc = self.loc(f, &wp, false);
            let e = LoadError::Within {
                within: w.clone(),
                catalogue: cat,
            };
            self.fail(e, loc);
        }
    }

    /// The conditions that make optional inputs required, over the inputs
    /// only (`input_env`).
    pub(super) fn required_when(
        &mut self,
        input: &Decls<FieldDecl>,
        input_env: &Env,
    ) -> Vec<(String, Code)> {
        let mut out = Vec::new();
        for (name, (f, d)) in input {
            let Some(w) = &d.required_when else { continue };
            if !d.optional {
                let loc = self.loc(*f, &["input", name, "required_when"], true);
                self.fail(LoadError::RequiredWhenNotOptional, loc);
            }
            if let Some(c) = self.condition(*f, &["input", name, "required_when"], w, input_env) {
                out.push((name.clone(), c));
            }
        }
        out
    }
}
