//! The `decision` section: the outcomes, the rules that reach them with
//! their reasons, and the outcome when no rule holds.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::context::{Loader, closest};
use super::err::LoadError;
use crate::lang::check::Env;
use crate::lang::types::{RecordType, Type};
use crate::policy::model::{DecisionDecl, LabelByDecl, OutcomeDecl, RuleDecl, RuleReasonDecl};
use crate::policy::{Decision, Info, LabelBy, Rule, RuleReason};

impl Loader {
    /// The decision declared in file `f`, its conditions checked in `env`
    /// and its reasons among `reasons`; the labels of its outcomes may
    /// depend on the fields of `input`.
    pub(super) fn decision(
        &mut self,
        f: usize,
        d: DecisionDecl,
        env: &Env,
        reasons: &IndexMap<String, Info>,
        input: &RecordType,
    ) -> Decision {
        let info = self.info(f, &["decision"], &d.cite, &d.interpretation, &None, &None);
        let mut outcomes = IndexMap::new();
        let mut label_by = IndexMap::new();
        for (id, o) in &d.outcomes {
            let outcome = self.outcome(f, id, o, &d.cite);
            outcomes.insert(id.clone(), outcome);
            if let Some(by) = o
                .label_by
                .as_ref()
                .and_then(|by| self.label_by(f, id, by, input))
            {
                label_by.insert(id.clone(), by);
            }
        }
        self.known_outcome(f, &d, &d.otherwise, &["decision", "otherwise"]);
        let mut rules = Vec::new();
        let mut ids = HashSet::new();
        for (r, rule) in d.rules.iter().enumerate() {
            let rs = r.to_string();
            if !ids.insert(rule.id.clone()) {
                let loc = self.loc(f, &["decision", "rules", &rs, "id"], false);
                self.fail(LoadError::RuleTwice(rule.id.clone()), loc);
            }
            let path = ["decision", "rules", &rs, "outcome"];
            self.known_outcome(f, &d, &rule.outcome, &path);
            rules.push(self.rule(f, &rs, rule, env, reasons));
        }
        Decision {
            outcomes,
            label_by,
            rules,
            otherwise: d.otherwise,
            info,
        }
    }

    /// A declared outcome's info; `cite` is the decision's.
    fn outcome(&mut self, f: usize, id: &str, o: &OutcomeDecl, cite: &str) -> Info {
        if id == "undetermined" {
            let loc = self.loc(f, &["decision", "outcomes", id], true);
            self.fail(LoadError::UndeterminedDeclared, loc);
        }
        self.labels(
            f,
            &["decision", "outcomes", id, "label"],
            o.label.as_ref().unwrap_or(&IndexMap::new()),
        );
        Info {
            cite: cite.to_string(),
            interpretation: None,
            label: o.label.clone().unwrap_or_default(),
            description: o.description.clone(),
            loc: self.loc(f, &["decision", "outcomes", id], true),
            provision: None,
            from: None,
            until: None,
            unit: None,
        }
    }

    /// The `label_by` of outcome `id`: its input must be an enumeration
    /// of `input`, each case one of its members, each label in the
    /// package's languages.
    fn label_by(
        &mut self,
        f: usize,
        id: &str,
        by: &LabelByDecl,
        input: &RecordType,
    ) -> Option<LabelBy> {
        let input_at = ["decision", "outcomes", id, "label_by", "input"];
        let members = match field_type(input, &by.input) {
            Some(Type::Enum(members)) => members.clone(),
            Some(ty) => {
                let loc = self.loc(f, &input_at, false);
                let e = LoadError::LabelByNotEnum {
                    input: by.input.clone(),
                    ty: ty.clone(),
                };
                self.fail(e, loc);
                return None;
            }
            None => {
                let loc = self.loc(f, &input_at, false);
                let mut paths = Vec::new();
                field_paths(input, "", &mut paths);
                let e = LoadError::UnknownInput {
                    name: by.input.clone(),
                    suggestion: closest(&by.input, &paths),
                };
                self.fail(e, loc);
                return None;
            }
        };
        for (member, label) in &by.cases {
            let path = ["decision", "outcomes", id, "label_by", "cases", member];
            if !members.iter().any(|m| **m == **member) {
                let loc = self.loc(f, &path, true);
                let e = LoadError::NotAMember {
                    value: member.clone(),
                    members: members.iter().map(|m| m.to_string()).collect(),
                    suggestion: closest(member, members.iter()),
                };
                self.fail(e, loc);
            }
            self.labels(f, &path, label);
        }
        Some(LabelBy {
            input: by.input.clone(),
            cases: by.cases.clone(),
        })
    }

    /// Reports an outcome, named at `path`, that the decision does not
    /// declare.
    fn known_outcome(&mut self, f: usize, d: &DecisionDecl, id: &str, path: &[&str]) {
        if !d.outcomes.contains_key(id) {
            let loc = self.loc(f, path, false);
            let e = LoadError::UnknownOutcome {
                name: id.to_string(),
                suggestion: closest(id, d.outcomes.keys()),
            };
            self.fail(e, loc);
        }
    }

    /// The rule at index `rs`.
    fn rule(
        &mut self,
        f: usize,
        rs: &str,
        rule: &RuleDecl,
        env: &Env,
        reasons: &IndexMap<String, Info>,
    ) -> Rule {
        let rp = ["decision", "rules", rs];
        let mut info = self.info(f, &rp, &rule.cite, &rule.interpretation, &rule.label, &None);
        info.provision = self.prov(f, &rp, &rule.provision);
        let item = format!("rule `{}`", rule.id);
        self.interval(f, &rp, &item, &rule.in_force, &mut info);
        let when = match &rule.when {
            Some(w) => self.condition(f, &["decision", "rules", rs, "when"], w, env),
            None => None,
        };
        let mut rreasons = Vec::new();
        for (i, rr) in rule.reasons.iter().enumerate() {
            if let Some(r) = self.rule_reason(f, (rs, &rule.id), i, rr, env, reasons) {
                rreasons.push(r);
            }
        }
        if rule.when.is_none() && rule.reasons.is_empty() {
            let loc = self.loc(f, &rp, false);
            self.fail(LoadError::RuleCondition(rule.id.clone()), loc);
        }
        Rule {
            id: rule.id.clone(),
            outcome: rule.outcome.clone(),
            when,
            reasons: rreasons,
            info,
        }
    }

    /// The `i`th reason of the rule at index `rs` with id `rule_id`, which
    /// takes what it does not say from the reason it names among `reasons`.
    fn rule_reason(
        &mut self,
        f: usize,
        (rs, rule_id): (&str, &str),
        i: usize,
        rr: &RuleReasonDecl,
        env: &Env,
        reasons: &IndexMap<String, Info>,
    ) -> Option<RuleReason> {
        let is = i.to_string();
        let p = ["decision", "rules", rs, "reasons", is.as_str()];
        let declared = reasons.get(&rr.id);
        if declared.is_none() {
            let loc = self.loc(f, &["decision", "rules", rs, "reasons", &is, "id"], false);
            let e = LoadError::UnknownReason {
                name: rr.id.clone(),
                suggestion: closest(&rr.id, reasons.keys()),
            };
            self.fail(e, loc);
        }
        let cite = rr
            .cite
            .clone()
            .or_else(|| declared.map(|d| d.cite.clone()))
            .unwrap_or_default();
        let mut info = self.info(f, &p, &cite, &rr.interpretation, &None, &None);
        if let Some(d) = declared {
            info.label = d.label.clone();
        }
        info.provision = self
            .prov(f, &p, &rr.provision)
            .or_else(|| declared.and_then(|d| d.provision.clone()));
        let item = format!("reason `{}` of rule `{}`", rr.id, rule_id);
        self.interval(f, &p, &item, &rr.in_force, &mut info);
        let when_path = ["decision", "rules", rs, "reasons", &is, "when"];
        let when = self.condition(f, &when_path, &rr.when, env)?;
        Some(RuleReason {
            id: rr.id.clone(),
            when,
            info,
        })
    }
}

/// The type of the input field at the dotted `path` of `record`.
fn field_type<'r>(record: &'r RecordType, path: &str) -> Option<&'r Type> {
    let (first, rest) = match path.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (path, None),
    };
    let ty = &record.fields.get(first)?.ty;
    match (rest, ty) {
        (None, ty) => Some(ty),
        (Some(rest), Type::Record(inner)) => field_type(inner, rest),
        (Some(_), _) => None,
    }
}

/// The dotted paths of the fields of `record`, nested ones too, each after
/// `prefix`.
fn field_paths(record: &RecordType, prefix: &str, out: &mut Vec<String>) {
    for (name, ft) in &record.fields {
        let path = format!("{prefix}{name}");
        if let Type::Record(inner) = &ft.ty {
            field_paths(inner, &format!("{path}."), out);
        }
        out.push(path);
    }
}
