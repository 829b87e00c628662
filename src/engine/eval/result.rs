//! What an evaluation gives: the decision with its reasons and what is
//! missing, the computed values, the report's entries, the warnings and
//! the trace.

use std::sync::Arc;

use chrono::NaiveDate;
use indexmap::IndexMap;

use crate::core::value::Value;
use crate::policy::Policy;

/// The result of evaluating one application.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub at: NaiveDate,
    /// An outcome declared by the policy, or `undetermined`.
    pub outcome: String,
    /// The reasons that hold, for the outcome's rule.
    pub reasons: Vec<Hit>,
    /// Inputs and parameters whose absence left something undecided.
    pub missing: Vec<String>,
    /// The rule that decided, if one did.
    pub rule: Option<String>,
    /// The computed values that apply, in the policy's order.
    pub values: Values,
    /// The parameters' values (empty when [`super::Options::no_trace`] is set).
    pub params: IndexMap<String, Value>,
    pub trace: Vec<Step>,
    pub warnings: Vec<Warning>,
    /// The consolidated version evaluated: the policy and the last act in
    /// force (`example-grant@amendment-2`), or `@original`; shared by the
    /// evaluations at a date.
    pub edition: Arc<str>,
    /// The policy's report, one entry for each of its keys in order
    /// (`policy.report[i]`); [`crate::engine::contract`] writes it as JSON.
    pub report: Vec<Reported>,
    /// For each `any_of` value that applied, in the policy's order, which
    /// options held and, when none did, why each failed.
    pub alternatives: Vec<Alternatives>,
    /// The fields of each form the policy declares, filled where the
    /// policy says what fills them.
    pub forms: IndexMap<String, Vec<(String, Value)>>,
    /// The member of the input that picks the outcome's label (its
    /// `label_by`), where it has one and the application gives it; see
    /// [`Evaluation::outcome_label`]. Not kept without a trace (a
    /// batch's records carry no labels).
    pub label_case: Option<Arc<str>>,
}

impl Evaluation {
    /// The outcome's label in `lang` for this application, as
    /// [`Policy::outcome_label`] gives it.
    pub fn outcome_label<'p>(&self, policy: &'p Policy, lang: &str) -> Option<&'p str> {
        policy.outcome_label(&self.outcome, self.label_case.as_deref(), lang)
    }
}

/// The computed values of an evaluation that apply, in the policy's order:
/// found by name, or by their place among the policy's values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Values {
    /// The names of the policy's values, in order (shared by evaluations).
    pub(super) names: Arc<[Arc<str>]>,
    /// For each of them, its value if it applies.
    pub(super) slots: Vec<Option<Value>>,
}

impl Values {
    /// The value of that name, if it applies.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let i = self.names.iter().position(|n| **n == *name)?;
        self.at(i)
    }

    /// Whether a value of that name applies.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The policy's value number `i` (`policy.values[i]`), if it applies.
    pub fn at(&self, i: usize) -> Option<&Value> {
        self.slots.get(i)?.as_ref()
    }

    /// The values that apply, with their places among the policy's values
    /// (see [`Values::at`]), in order.
    pub fn positions(&self) -> impl Iterator<Item = (usize, &Arc<str>, &Value)> {
        let slots = self.names.iter().zip(&self.slots).enumerate();
        slots.filter_map(|(i, (k, s))| s.as_ref().map(|v| (i, k, v)))
    }

    /// The values that apply, with their names, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Value)> {
        let slots = self.names.iter().zip(&self.slots);
        slots.filter_map(|(k, s)| s.as_ref().map(|v| (k, v)))
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

impl std::ops::Index<&str> for Values {
    type Output = Value;

    /// The value of that name; panics if none applies (as a map does).
    fn index(&self, name: &str) -> &Value {
        self.get(name)
            .unwrap_or_else(|| panic!("no computed value `{name}` applies"))
    }
}

/// An entry of the policy's report, as evaluated. What the report takes
/// from the computed values and the policy (names, citations) is not
/// copied here: [`crate::engine::contract`] takes it from them when it writes.
#[derive(Clone, Debug, PartialEq)]
pub enum Reported {
    /// The entry does not apply (its `when` or `outcomes`): null.
    Null,
    /// An `expr`'s value.
    Value(Value),
    /// `values`: those of them that apply, from [`Evaluation::values`].
    Values,
    /// `items`: the total, if the report declares one; the items are
    /// the computed values named that apply.
    Items { total: Option<Value> },
    /// `fields`: each field's value, in order.
    Fields(Vec<Value>),
}

/// A warning of the evaluation: the policy's own, or one about the act's
/// history (an uncertain date of entry into force). Its texts are shared,
/// so that a warning made once for a date is not copied into every
/// evaluation at that date.
/// What the options of an `any_of` value came to in an evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternatives {
    /// The value's place among the policy's computed values.
    pub value: usize,
    /// Each option's result, in the declared order: `true`, `false` or
    /// unknown.
    pub results: Vec<Value>,
    /// When no option held: for each option, what its condition read (the
    /// inputs, parameters and values, by name) with their values, which is
    /// why it failed. Empty when one held.
    pub why: Vec<Vec<(String, Value)>>,
}

impl Alternatives {
    /// The indices of the options that held.
    pub fn held(&self) -> impl Iterator<Item = usize> + '_ {
        let held = self.results.iter().enumerate();
        held.filter(|(_, r)| matches!(r, Value::Bool(true)))
            .map(|(i, _)| i)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub id: Arc<str>,
    pub message: Arc<str>,
    pub cite: Arc<str>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: String,
    pub cite: String,
}

/// One entry of the trace: what was computed, from what, under which
/// provision of the act.
#[derive(Clone, Debug)]
pub struct Step {
    pub kind: StepKind,
    pub name: String,
    pub result: Value,
    /// The inputs, parameters and values read, with their values.
    pub inputs: Vec<(String, Value)>,
    pub cite: String,
    pub interpretation: Option<String>,
    /// Table rows that matched, as `table row N (cite)`.
    pub notes: Vec<String>,
    /// 0 for values and rules, 1 for what a rule consists of.
    pub depth: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    Value,
    Rule,
    Guard,
    Reason,
    Outcome,
    /// An option of an `any_of` value.
    Option,
}

impl StepKind {
    /// The kind's name, as the trace's JSON writes it and as the locale
    /// files key its word (`explain.NAME`).
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Value => "value",
            StepKind::Rule => "rule",
            StepKind::Guard => "applies",
            StepKind::Reason => "reason",
            StepKind::Outcome => "outcome",
            StepKind::Option => "option",
        }
    }
}

/// The outcome reported when the decision depends on something unknown.
pub const UNDETERMINED: &str = "undetermined";
