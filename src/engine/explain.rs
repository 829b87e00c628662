//! The trace of an evaluation as text a legal editor can follow: each value
//! and rule with its result, the inputs it read, and its citation.

use std::fmt::Write as _;

use crate::engine::eval::{Evaluation, StepKind};

pub fn render(r: &Evaluation) -> String {
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
        let _ = writeln!(
            out,
            "{indent}{what} {} = {}   [{}]",
            s.name, s.result, s.cite
        );
        for (name, v) in &s.inputs {
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
