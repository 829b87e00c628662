//! The decision: a policy's rules run in order over the computed values,
//! each with its reasons, to an outcome, or `undetermined` with what is
//! missing.

use std::collections::BTreeSet;

use super::tri::Tri;
use super::{Dated, Evaluation, Evaluator, Failed, Gated, Hit, Step, StepKind, UNDETERMINED};
use crate::core::value::Value;
use crate::policy::Info;

/// Runs the decision's rules in order.
///
/// A rule applies when its `when` holds; it holds when it applies and any of
/// its reasons holds (or, without reasons, when it applies). The first rule
/// that holds gives the outcome with every reason of it that holds; reasons
/// of it that are unknown are reported as missing. A rule that cannot be
/// told to hold or not stops the decision as `undetermined`: a later rule
/// cannot be reached without knowing that the earlier ones fail. When no
/// rule holds, the outcome is `otherwise`.
pub(super) fn decide(
    ev: &mut Evaluator<'_>,
    d: &crate::policy::Decision,
    dated: &Dated,
    out: &mut Evaluation,
) -> Result<(), Failed> {
    let program = ev.program;
    let rules = d.rules.iter().zip(&program.rules);
    for (((rule, plan), gated), reasons_gated) in rules.zip(&dated.rules).zip(&dated.reasons) {
        if matches!(gated, Gated::Absent) {
            continue;
        }
        let mut missing = BTreeSet::new();
        let guard = match (&rule.when, &plan.when) {
            (Some(code), Some(compiled)) => {
                ev.hits.clear();
                let v = ev.run(compiled)?;
                if ev.tracing {
                    out.trace
                        .push(ev.step(StepKind::Guard, &rule.id, &v, code, &rule.info, 1));
                }
                Tri::of(&v)
            }
            _ => Tri::True,
        };
        if guard == Tri::False {
            push_rule(ev.tracing, out, || {
                rule_step(&rule.id, Value::Bool(false), &rule.info)
            });
            continue;
        }
        // A rule that applies but rests on wording that is not encoded
        // cannot be told to hold or not.
        if let Gated::Closed(Value::Unknown(m)) = gated {
            push_rule(ev.tracing, out, || {
                rule_step(&rule.id, Value::Unknown(m.clone()), &rule.info)
            });
            out.outcome = UNDETERMINED.into();
            out.missing = m.iter().cloned().collect();
            out.rule = Some(rule.id.clone());
            push_outcome(ev.tracing, out, &d.info);
            return Ok(());
        }
        let mut holding = Vec::new();
        let mut any = if rule.reasons.is_empty() {
            Tri::True
        } else {
            Tri::False
        };
        let reasons = rule.reasons.iter().zip(&plan.reasons).zip(reasons_gated);
        for ((r, (when, _)), gated) in reasons {
            let v = match gated {
                Gated::Absent => continue,
                Gated::Closed(u) => {
                    ev.hits.clear();
                    u.clone()
                }
                Gated::Open => {
                    ev.hits.clear();
                    ev.run(when)?
                }
            };
            if ev.tracing {
                out.trace
                    .push(ev.step(StepKind::Reason, &r.id, &v, &r.when, &r.info, 1));
            }
            let t = Tri::of(&v);
            if t == Tri::True {
                holding.push(Hit {
                    id: r.id.clone(),
                    cite: r.info.cite.clone(),
                });
            }
            if let Tri::Unknown(m) = &t {
                missing.extend(m.iter().cloned());
            }
            any = any.or(t);
        }
        let result = guard.clone().and(any);
        push_rule(ev.tracing, out, || {
            rule_step(&rule.id, result.clone().into_value(), &rule.info)
        });
        match result {
            Tri::True => {
                out.outcome = rule.outcome.clone();
                out.reasons = holding;
                out.missing = missing.into_iter().collect();
                out.rule = Some(rule.id.clone());
                push_outcome(ev.tracing, out, &d.info);
                return Ok(());
            }
            Tri::False => {}
            Tri::Unknown(m) => {
                out.outcome = UNDETERMINED.into();
                out.missing = m.iter().cloned().collect();
                out.rule = Some(rule.id.clone());
                push_outcome(ev.tracing, out, &d.info);
                return Ok(());
            }
        }
    }
    out.outcome = d.otherwise.clone();
    push_outcome(ev.tracing, out, &d.info);
    Ok(())
}

fn rule_step(id: &str, result: Value, info: &Info) -> Step {
    Step {
        kind: StepKind::Rule,
        name: id.to_string(),
        result,
        inputs: vec![],
        cite: info.cite.clone(),
        interpretation: info.interpretation.clone(),
        notes: vec![],
        depth: 0,
    }
}

/// Records a rule's step, when steps are recorded.
fn push_rule(tracing: bool, out: &mut Evaluation, step: impl FnOnce() -> Step) {
    if tracing {
        out.trace.push(step());
    }
}

fn push_outcome(tracing: bool, out: &mut Evaluation, info: &Info) {
    if !tracing {
        return;
    }
    out.trace.push(Step {
        kind: StepKind::Outcome,
        name: out.outcome.clone(),
        result: Value::str(&out.outcome),
        inputs: vec![],
        cite: info.cite.clone(),
        interpretation: info.interpretation.clone(),
        notes: out
            .reasons
            .iter()
            .map(|r| format!("{} ({})", r.id, r.cite))
            .collect(),
        depth: 0,
    });
}
