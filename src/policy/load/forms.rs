//! The `forms` section: forms of the act, their wording, the fields a
//! decision fills, and how each is laid out per language.

use indexmap::IndexMap;

use super::context::{Decls, Loader};
use super::err::LoadError;
use crate::lang::check::Env;
use crate::policy::layout::{self, Block, BlockKind};
use crate::policy::model::{BlockDecl, FormDecl};
use crate::policy::{Decision, Form, FormField, Info};

impl Loader {
    /// The forms, their fields' expressions checked in `env`, their
    /// layouts' placeholders against their fields, their outcomes against
    /// the decision's and their grounds against the reasons.
    pub(super) fn forms(
        &mut self,
        forms: &Decls<FormDecl>,
        env: &Env,
        reasons: &IndexMap<String, Info>,
        decision: Option<&Decision>,
    ) -> Vec<Form> {
        let mut out = Vec::new();
        for (id, (f, d)) in forms {
            out.push(self.form(*f, id, d, env, reasons, decision));
        }
        out
    }

    fn form(
        &mut self,
        f: usize,
        id: &str,
        d: &FormDecl,
        env: &Env,
        reasons: &IndexMap<String, Info>,
        decision: Option<&Decision>,
    ) -> Form {
        let base = ["forms", id];
        let mut info = self.info(
            f,
            &base,
            &d.cite,
            &None,
            &Some(d.title.clone()),
            &d.description,
        );
        info.provision = self.prov(f, &base, &d.provision);
        self.labels(f, &["forms", id, "title"], &d.title);
        let mut fields = Vec::new();
        for (i, fd) in d.fields.iter().enumerate() {
            let is = i.to_string();
            self.labels(f, &["forms", id, "fields", &is, "label"], &fd.label);
            for (v, w) in &fd.words {
                self.labels(f, &["forms", id, "fields", &is, "words", v], w);
            }
            let expr = fd
                .expr
                .as_ref()
                .and_then(|e| self.checked(f, &["forms", id, "fields", &is, "expr"], e, env));
            fields.push(FormField {
                id: fd.id.clone(),
                label: fd.label.clone(),
                expr,
                cite: fd.cite.clone(),
                words: fd.words.clone(),
            });
        }
        for (i, o) in d.outcomes.iter().enumerate() {
            let is = i.to_string();
            self.outcome_known(f, &["forms", id, "outcomes", &is], o, decision);
        }
        for (r, w) in &d.grounds {
            self.labels(f, &["forms", id, "grounds", r], w);
            if !reasons.contains_key(r) {
                let loc = self.loc(f, &["forms", id, "grounds", r], true);
                let e = LoadError::UnknownReason {
                    name: r.clone(),
                    suggestion: super::context::closest(r, reasons.keys()),
                };
                self.fail(e, loc);
            }
        }
        let mut layouts = IndexMap::new();
        for (lang, blocks) in &d.layout {
            if !self.langs.contains(lang) {
                let loc = self.loc(f, &["forms", id, "layout", lang], true);
                let e = LoadError::NotALanguage {
                    language: lang.clone(),
                    languages: self.langs.clone(),
                };
                self.fail(e, loc);
                continue;
            }
            let mut out = Vec::new();
            for (i, b) in blocks.iter().enumerate() {
                let is = i.to_string();
                let path = ["forms", id, "layout", lang.as_str(), &is];
                for o in &b.outcomes {
                    self.outcome_known(f, &path, o, decision);
                }
                match block(b, &fields) {
                    Ok(b) => out.push(b),
                    Err(message) => {
                        let loc = self.loc(f, &path, false);
                        let e = LoadError::FormLayout {
                            form: id.to_string(),
                            message,
                        };
                        self.fail(e, loc);
                    }
                }
            }
            layouts.insert(lang.clone(), out);
        }
        Form {
            id: id.to_string(),
            title: d.title.clone(),
            text: d.text.clone(),
            fields,
            info,
            outcomes: d.outcomes.clone(),
            layout: layouts,
            grounds: d.grounds.clone(),
        }
    }

    /// Fails unless `o` is an outcome of the decision (or `undetermined`).
    fn outcome_known(&mut self, f: usize, path: &[&str], o: &str, decision: Option<&Decision>) {
        let outcomes: Vec<&str> = decision
            .map(|d| d.outcomes.keys().map(String::as_str).collect())
            .unwrap_or_default();
        if o != "undetermined" && !outcomes.contains(&o) {
            let loc = self.loc(f, path, false);
            let e = LoadError::UnknownOutcome {
                name: o.to_string(),
                suggestion: super::context::closest(o, outcomes),
            };
            self.fail(e, loc);
        }
    }
}

/// A block of a layout, its placeholders checked against the form's
/// fields (and a `grounds` block's against `ground` and `cite`).
fn block(b: &BlockDecl, fields: &[FormField]) -> Result<Block, String> {
    let kinds = [
        (BlockKind::Heading, &b.heading),
        (BlockKind::Text, &b.text),
        (BlockKind::Line, &b.line),
        (BlockKind::Note, &b.note),
        (BlockKind::Signature, &b.signature),
        (BlockKind::Grounds, &b.grounds),
        (BlockKind::Reading, &b.reading),
    ];
    let given: Vec<_> = kinds
        .iter()
        .filter_map(|(k, t)| t.as_ref().map(|t| (*k, t)))
        .collect();
    let [(kind, text)] = given[..] else {
        return Err("a layout block needs exactly one of `heading`, `text`, `line`, `note`, `signature`, `grounds` and `reading`".to_string());
    };
    if b.right.is_some() && kind != BlockKind::Line {
        return Err("`right` belongs to a `line` only".to_string());
    }
    let b = Block {
        kind,
        pieces: layout::parse(text)?,
        right: b
            .right
            .as_deref()
            .map(layout::parse)
            .transpose()?
            .unwrap_or_default(),
        outcomes: b.outcomes.clone(),
        cite: b.cite.clone(),
    };
    for name in b.fields() {
        let known = if kind == BlockKind::Grounds {
            ["ground", "cite"].contains(&name)
        } else {
            // `{outcome}` is the decision's outcome in the policy's words.
            name == "outcome" || fields.iter().any(|x| x.id == name)
        };
        if !known {
            return Err(if kind == BlockKind::Grounds {
                format!("`{{{name}}}`: a `grounds` block fills `{{ground}}` and `{{cite}}` only")
            } else {
                let near = super::context::closest(name, fields.iter().map(|x| x.id.as_str()));
                let hint = near
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                format!("`{{{name}}}` is not a field of the form{hint}")
            });
        }
    }
    Ok(b)
}
