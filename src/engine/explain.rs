//! The trace of an evaluation as text a legal editor can follow: each value
//! and rule with its result, the inputs it read, and its citation; each
//! number with the unit its input, parameter or value declares.

use std::fmt::Write as _;

use crate::engine::eval::{Evaluation, StepKind};
use crate::policy::Policy;
use crate::policy::units::with_unit;

/// The trace of `r`, an evaluation of `policy`.
pub fn render(policy: &Policy, r: &Evaluation) -> String {
    let mut out = String::new();
    for s in &r.trace {
        let indent = "  ".repeat(s.depth);
        let what = match s.kind {
            StepKind::Value => "value",
            StepKind::Rule => "rule",
            StepKind::Guard => "applies",
            StepKind::Reason => "reason",
            StepKind::Outcome => "outcome",
            StepKind::Option => "option",
        };
        let unit = match s.kind {
            StepKind::Value => policy.unit_of(&s.name),
            _ => None,
        };
        let _ = writeln!(
            out,
            "{indent}{what} {} = {}   [{}]",
            s.name,
            with_unit(&s.result, unit),
            s.cite
        );
        for (name, v) in &s.inputs {
            let v = with_unit(v, policy.unit_of(name));
            let _ = writeln!(out, "{indent}    {name} = {v}");
        }
        for n in &s.notes {
            let _ = writeln!(out, "{indent}    via {n}");
        }
        if let Some(i) = &s.interpretation {
            let _ = writeln!(out, "{indent}    reading: {i}");
        }
    }
    out
}
