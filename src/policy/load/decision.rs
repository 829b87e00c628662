//! The `decision` section: the outcomes, the rules that reach them with
//! their reasons, and the outcome when no rule holds.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::context::{Loader, closest};
use super::err::LoadError;
use crate::lang::check::Env;
use crate::policy::model::{DecisionDecl, OutcomeDecl, RuleDecl, RuleReasonDecl};
use crate::policy::{Decision, Info, Rule, RuleReason};

impl Loader {
    /// The decision declared in file `f`, its conditions checked in `env`
    /// and its reasons among `reasons`.
    pub(super) fn decision(
        &mut self,
        f: usize,
        d: DecisionDecl,
        env: &Env,
        reasons: &IndexMap<String, Info>,
    ) -> Decision {
        let info = self.info(f, &["decision"], &d.cite, &d.interpretation, &None, &None);
        let mut outcomes = IndexMap::new();
        for (id, o) in &d.outcomes {
            let outcome = self.outcome(f, id, o, &d.cite);
            outcomes.insert(id.clone(), outcome);
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
