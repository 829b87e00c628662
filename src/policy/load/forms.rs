//! The `forms` section: forms of the act, their wording and the fields a
//! decision fills.

use super::context::{Decls, Loader, closest};
use super::err::LoadError;
use crate::lang::check::Env;
use crate::policy::model::FormDecl;
use crate::policy::{Decision, Form, FormField};

impl Loader {
    /// The forms, their fields' expressions checked in `env` and their
    /// outcomes among the `decision`'s.
    pub(super) fn forms(
        &mut self,
        forms: &Decls<FormDecl>,
        env: &Env,
        decision: Option<&Decision>,
    ) -> Vec<Form> {
        let mut out = Vec::new();
        for (id, (f, d)) in forms {
            out.push(self.form(*f, id, d, env, decision));
        }
        out
    }

    fn form(
        &mut self,
        f: usize,
        id: &str,
        d: &FormDecl,
        env: &Env,
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
            let expr = fd
                .expr
                .as_ref()
                .and_then(|e| self.checked(f, &["forms", id, "fields", &is, "expr"], e, env));
            fields.push(FormField {
                id: fd.id.clone(),
                label: fd.label.clone(),
                expr,
                cite: fd.cite.clone(),
            });
        }
        let known = |o: &String| {
            o == "undetermined" || decision.is_some_and(|d| d.outcomes.contains_key(o))
        };
        for (i, o) in d.outcomes.iter().flatten().enumerate() {
            if !known(o) {
                let loc = self.loc(f, &["forms", id, "outcomes", &i.to_string()], false);
                let declared = decision.map(|d| d.outcomes.keys());
                let e = LoadError::UnknownOutcome {
                    name: o.clone(),
                    suggestion: declared.and_then(|k| closest(o, k)),
                };
                self.fail(e, loc);
            }
        }
        Form {
            id: id.to_string(),
            title: d.title.clone(),
            text: d.text.clone(),
            fields,
            outcomes: d.outcomes.clone(),
            info,
        }
    }
}
