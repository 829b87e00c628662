//! The evaluator: computes a policy's values and decision for one
//! application, over values that may be unknown, recording a trace.

mod call;
mod decide;
mod lookup;
mod operators;
mod result;
pub use crate::lang::runtime::tri;

use std::sync::Arc;

use chrono::NaiveDate;
use indexmap::IndexMap;

pub use crate::lang::functions::{CallEval, Quantified};
pub use crate::lang::runtime::{
    EvalError, EvalErrorKind, WorkingDays, add_months, months_between, shift, to_dec, unknown_of,
};
pub use result::{
    Alternatives, Evaluation, Hit, Reported, Step, StepKind, UNDETERMINED, Values, Warning,
};
use tri::Tri;

use smallvec::SmallVec;

use crate::core::diag::Diagnostic;
use crate::core::value::{Duration, Fields, Value};
use crate::engine::plan::code::{Compiled, EntryField, Op, OpKind};
use crate::engine::plan::{Closed, Gate, Plan, Program};
use crate::lang::syntax::Span;
use crate::policy::calendar::Indexed;
use crate::policy::{Code, Info, Policy};

/// What an evaluation is asked: the date, and parameters set by the caller.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub at: Option<NaiveDate>,
    /// Parameter values that replace the policy's; `None` removes a value.
    pub params: IndexMap<String, Option<Value>>,
    /// Leaves the trace, the parameters, the forms and the label's case of
    /// the evaluation empty: for batches, whose records do not show them
    /// and which need not pay for them.
    pub no_trace: bool,
}

/// Evaluates `input` (a record of the policy's input schema) at
/// `opts.at`, which it needs: no date is guessed. [`crate::engine`] is the
/// way in that finds the date and checks it falls in the period the act is
/// in force.
pub fn evaluate(plan: &Plan, input: &Value, opts: &Options) -> Result<Evaluation, Diagnostic> {
    let Some(at) = opts.at else {
        return Err(Diagnostic::error(
            "no-date",
            "no date to evaluate at: the options give none",
        ));
    };
    evaluate_at(plan, input, opts, at)
}

/// Evaluates `input` at `at`, whatever `opts.at` says.
pub fn evaluate_at(
    plan: &Plan,
    input: &Value,
    opts: &Options,
    at: NaiveDate,
) -> Result<Evaluation, Diagnostic> {
    evaluate_dated(plan, input, opts, &Dated::new(plan, opts, at))
}

/// What an evaluation at a date takes that depends on the date alone (and
/// the options): the parameters' values, the edition in force, the
/// warnings about uncertain dates of entry into force, which items exist
/// and which rest on wording that is not encoded. A batch makes it once
/// for each date its applications are evaluated at.
#[derive(Clone, Debug)]
pub struct Dated {
    pub at: NaiveDate,
    params: Vec<Value>,
    edition: Arc<str>,
    uncertain: Vec<Warning>,
    /// For each computed value, rule and each rule's reasons.
    values: Vec<Gated>,
    rules: Vec<Gated>,
    reasons: Vec<Vec<Gated>>,
    /// For each warning, whether its wording is not encoded.
    warnings_closed: Vec<bool>,
    /// The tables and catalogues whose wording is not encoded.
    closed: Closed,
}

/// What an item is at a date.
#[derive(Clone, Debug)]
enum Gated {
    /// It does not exist then (an amendment added it later or removed it).
    Absent,
    /// It exists but rests on wording not encoded: this unknown.
    Closed(Value),
    /// It exists and is encoded.
    Open,
}

impl Gated {
    fn of(policy: &Policy, info: &Info, gate: &Option<Gate>, at: NaiveDate) -> Gated {
        match (info.exists(at), Gate::closed(gate, policy, at)) {
            (false, _) => Gated::Absent,
            (true, Some(u)) => Gated::Closed(u),
            (true, None) => Gated::Open,
        }
    }
}

impl Dated {
    pub fn new(plan: &Plan, opts: &Options, at: NaiveDate) -> Dated {
        let (policy, program) = (plan.policy(), plan.program());
        let rules = policy.decision.iter().flat_map(|d| &d.rules);
        let rules = rules.zip(&program.rules);
        Dated {
            at,
            values: policy
                .values
                .iter()
                .zip(&program.values)
                .map(|(v, p)| Gated::of(policy, &v.info, &p.gate, at))
                .collect(),
            rules: rules
                .clone()
                .map(|(r, p)| Gated::of(policy, &r.info, &p.gate, at))
                .collect(),
            reasons: rules
                .map(|(r, p)| {
                    let reasons = r.reasons.iter().zip(&p.reasons);
                    reasons
                        .map(|(x, (_, g))| Gated::of(policy, &x.info, g, at))
                        .collect()
                })
                .collect(),
            warnings_closed: program
                .warnings
                .iter()
                .map(|(_, g)| Gate::closed(g, policy, at).is_some())
                .collect(),
            closed: Closed::at(program, policy, at),
            params: params_at(plan, opts, at),
            edition: policy.edition_at(at).into(),
            uncertain: policy
                .history
                .uncertain_acts_at(at)
                .map(|(i, _)| Warning {
                    id: "uncertain_in_force".into(),
                    message: policy.history.uncertain_warning(i).into(),
                    cite: policy.history.acts[i].info.cite.as_str().into(),
                })
                .collect(),
        }
    }
}

/// Evaluates `input` at the date of `dated`, made for the same policy and
/// options.
pub fn evaluate_dated(
    plan: &Plan,
    input: &Value,
    opts: &Options,
    dated: &Dated,
) -> Result<Evaluation, Diagnostic> {
    evaluate_boxed(plan, input, opts, dated).map_err(|e| *e)
}

/// An evaluation's failure: boxed, so that the result of every code run
/// stays as small as a value.
type Failed = Box<Diagnostic>;

fn evaluate_boxed(
    plan: &Plan,
    input: &Value,
    opts: &Options,
    dated: &Dated,
) -> Result<Evaluation, Failed> {
    let (policy, program) = (plan.policy(), plan.program());
    let (at, params) = (dated.at, &dated.params);
    let parts = (policy, program);
    let mut ev = Evaluator::new(parts, at, fields_of(input), params, &dated.closed);
    ev.values.reserve(policy.values.len());
    ev.tracing = !opts.no_trace;
    let mut trace = Vec::new();
    let mut alternatives = Vec::new();
    let values = policy.values.iter().zip(&program.values).zip(&dated.values);
    for (i, ((v, p), gated)) in values.enumerate() {
        ev.hits.clear();
        let applies = !matches!(gated, Gated::Absent)
            && match &p.when {
                Some(w) => matches!(ev.run(w)?, Value::Bool(true)),
                None => true,
            };
        if !applies {
            ev.values.push(None);
            continue;
        }
        let result = match gated {
            Gated::Closed(u) => u.clone(),
            _ if !p.options.is_empty() => {
                let (result, found) = ev.any_of(i, v, p)?;
                alternatives.push(found);
                result
            }
            _ => ev.run(&p.code)?,
        };
        if ev.tracing {
            trace.push(ev.step(StepKind::Value, &v.name, &result, &v.code, &v.info, 0));
            if let Some(found) = alternatives.last().filter(|a: &&Alternatives| a.value == i) {
                for (o, r) in v.options.iter().zip(&found.results) {
                    trace.push(ev.step(StepKind::Option, &o.id, r, &o.when, &o.info, 1));
                }
            }
        }
        ev.values.push(Some(result));
    }
    let mut out = Evaluation {
        at,
        // Set by the decision, or below when the policy has none.
        outcome: String::new(),
        reasons: vec![],
        missing: vec![],
        rule: None,
        // Its names now, without an empty one made first (an empty shared
        // slice's count is one cache line for every thread).
        values: Values {
            names: program.value_names.clone(),
            slots: Vec::new(),
        },
        params: IndexMap::new(),
        trace,
        warnings: Vec::new(),
        edition: dated.edition.clone(),
        report: Vec::with_capacity(policy.report.len()),
        forms: IndexMap::new(),
        alternatives,
        label_case: None,
    };
    match &policy.decision {
        Some(d) => decide::decide(&mut ev, d, dated, &mut out)?,
        None => out.outcome = UNDETERMINED.into(),
    }
    if !opts.no_trace {
        out.label_case = policy.label_case(&out.outcome, input).map(Arc::from);
    }
    if !ev.tracing {
        out.trace.clear();
    }
    out.warnings.extend(dated.uncertain.iter().cloned());
    let warnings = policy.warnings.iter().zip(&program.warnings);
    for ((w, (when, _)), closed) in warnings.zip(&dated.warnings_closed) {
        if *closed {
            continue;
        }
        if matches!(ev.run(when)?, Value::Bool(true)) {
            let lang = if w.message.contains_key("en") {
                "en"
            } else {
                policy.meta.official_language.as_str()
            };
            out.warnings.push(Warning {
                id: w.id.as_str().into(),
                message: w
                    .message
                    .get(lang)
                    .or_else(|| w.message.values().next())
                    .map_or("", String::as_str)
                    .into(),
                cite: w.info.cite.as_str().into(),
            });
        }
    }
    // Forms are filled for documents; a batch's records do not carry them.
    let forms = policy.forms.iter().zip(&program.forms);
    for (f, codes) in forms.filter(|_| !opts.no_trace) {
        let mut fields = Vec::new();
        for (x, code) in f.fields.iter().zip(codes) {
            let v = match code {
                Some(c) => ev.run(c)?,
                None => Value::unknown(&x.id),
            };
            fields.push((x.id.clone(), v));
        }
        out.forms.insert(f.id.clone(), fields);
    }
    for (r, p) in policy.report.iter().zip(&program.report) {
        let applies = r.outcomes.as_ref().is_none_or(|o| o.contains(&out.outcome))
            && match &p.when {
                Some(w) => matches!(ev.run(w)?, Value::Bool(true)),
                None => true,
            };
        let entry = if applies {
            report_entry(&mut ev, p)?
        } else {
            Reported::Null
        };
        out.report.push(entry);
    }
    if !opts.no_trace {
        out.params = policy
            .params
            .keys()
            .cloned()
            .zip(params.iter().cloned())
            .collect();
    }
    out.values.slots = ev.values;
    Ok(out)
}

fn report_entry(
    ev: &mut Evaluator<'_>,
    r: &crate::engine::plan::ReportPlan,
) -> Result<Reported, Failed> {
    use crate::engine::plan::ReportOps;
    Ok(match &r.kind {
        ReportOps::Expr(c) => Reported::Value(ev.run(c)?),
        ReportOps::Values => Reported::Values,
        ReportOps::Fields(fs) => {
            Reported::Fields(fs.iter().map(|c| ev.run(c)).collect::<Result<_, _>>()?)
        }
        ReportOps::Items { total } => Reported::Items {
            total: total.as_ref().map(|t| ev.run(t)).transpose()?,
        },
    })
}

/// The date to evaluate `input` at when none is given: the policy's
/// `evaluation_date`, if it declares one and it is known, with the
/// policy's parameters (see [`date_params`]).
pub fn default_date(plan: &Plan, input: &Value) -> Option<NaiveDate> {
    evaluation_date(plan, input, &date_params(plan, &Options::default())).ok()
}

/// The parameters' values the policy's `evaluation_date` is computed
/// with: the caller's where `opts` sets them, else the policy's on the
/// act's first day in force. The date is computed before it is known,
/// so the loader refuses there a parameter whose value changes while
/// the act is in force: the first day's is then every day's.
pub fn date_params(plan: &Plan, opts: &Options) -> Vec<Value> {
    match plan.program().evaluation_date {
        Some(_) => params_at(plan, opts, plan.policy().meta.in_force_from),
        None => Vec::new(),
    }
}

/// The policy's `evaluation_date` for `input`, computed with the
/// parameters' values `params` (see [`date_params`]); when the policy
/// declares none, or it is not known for `input`, the names whose
/// absence leaves it unknown (none if that is not the reason).
pub fn evaluation_date(
    plan: &Plan,
    input: &Value,
    params: &[Value],
) -> Result<NaiveDate, Vec<String>> {
    let Some(code) = plan.program().evaluation_date.as_ref() else {
        return Err(Vec::new());
    };
    let (policy, program) = (plan.policy(), plan.program());
    let mut one = OverInput::with(policy, program, input, params);
    // One code: nothing to keep for a second.
    one.0.tracing = true;
    match one.0.run(code) {
        Ok(Value::Date(d)) => Ok(d),
        Ok(v) => Err(v.missing().into_iter().collect()),
        Err(_) => Err(Vec::new()),
    }
}

/// Evaluates conditions over the inputs alone, the `required_when` of
/// each absent field, with one evaluator for all.
pub struct OverInput<'a>(Evaluator<'a>);

impl<'a> OverInput<'a> {
    pub fn new(plan: &'a Plan, input: &'a Value) -> OverInput<'a> {
        OverInput::of(plan.policy(), plan.program(), input)
    }

    /// As [`OverInput::new`], with the plan's parts (while the plan is
    /// made).
    pub(crate) fn of(policy: &'a Policy, program: &'a Program, input: &'a Value) -> OverInput<'a> {
        OverInput::with(policy, program, input, &[])
    }

    /// As [`OverInput::of`], with the parameters' values `params` (which
    /// the conditions over the inputs alone do not read).
    fn with(
        policy: &'a Policy,
        program: &'a Program,
        input: &'a Value,
        params: &'a [Value],
    ) -> OverInput<'a> {
        let at = policy.meta.in_force_from;
        let closed = &program.first_day;
        let parts = (policy, program);
        let mut ev = Evaluator::new(parts, at, fields_of(input), params, closed);
        // No trace: codes that recur (`service == "issue"`) run once.
        ev.tracing = false;
        OverInput(ev)
    }

    /// The value of the policy's `required_when` number `i`
    /// ([`Policy::required_when`]).
    pub fn required_when(&mut self, i: usize) -> Result<Value, Diagnostic> {
        let program = self.0.program;
        let Some(code) = program.required_when.get(i) else {
            return Ok(Value::unknown("required_when"));
        };
        self.0.run(code).map_err(|e| *e)
    }
}

/// The parameters' values on `at`, in declaration order: the caller's
/// where it sets them, else the policy's in force then.
fn params_at(plan: &Plan, opts: &Options, at: NaiveDate) -> Vec<Value> {
    let (policy, program) = (plan.policy(), plan.program());
    let mut params = Vec::with_capacity(policy.params.len());
    let gates = policy.params.iter().zip(&program.param_gates);
    for (i, ((name, _), gate)) in gates.enumerate() {
        // Looked up only when the caller sets any: most set none or one.
        let v = match opts.params.is_empty() {
            true => None,
            false => opts.params.get(name),
        };
        let v = match v {
            Some(Some(v)) => v.clone(),
            Some(None) => Value::unknown(name),
            None => match Gate::closed(gate, policy, at) {
                Some(u) => u,
                None => program.param_at(policy, i, at),
            },
        };
        params.push(v);
    }
    params
}

struct Evaluator<'a> {
    policy: &'a Policy,
    program: &'a Program,
    at: NaiveDate,
    /// The tables and catalogues closed at `at`.
    closed: &'a Closed,
    input: &'a Fields,
    /// Whether the input's fields are those of the schema, in its order,
    /// so that an input is found by its slot alone.
    slots: bool,
    /// Parameter values, in declaration order.
    params: &'a [Value],
    /// The computed values so far, in the policy's order: `None` for one
    /// that does not apply (its unknown is the program's, not copied).
    values: Vec<Option<Value>>,
    /// Variables bound by quantifiers and the arguments of the package's
    /// functions, innermost last (on the stack: they nest a few deep at
    /// most).
    locals: SmallVec<[Value; 4]>,
    /// Where the locals of the running function start (0 outside any): a
    /// local's depth counts from here.
    frame: usize,
    /// Table rows matched while evaluating the current expression.
    hits: Vec<String>,
    /// Whether steps are recorded for the trace.
    tracing: bool,
    /// Values of codes already run in this evaluation, by memo slot; kept
    /// only when not tracing, since a trace records each code's run.
    memo: Vec<Option<Value>>,
}

/// An evaluation's result. The error is boxed: it is rare, and a small
/// result is cheaper to pass back up the tree at every node.
type R = Result<Value, Box<EvalError>>;

fn fail(kind: EvalErrorKind, span: Span) -> Box<EvalError> {
    Box::new(EvalError::new(kind, span))
}

pub use crate::core::value::{compare, equal};

/// A record's field: at its place where the record is laid out as the
/// plan placed it, else found by name.
#[inline]
fn field_of<'r>(r: &'r Fields, field: &crate::engine::plan::code::Field) -> Option<&'r Value> {
    match &field.slot {
        Some((i, names)) if r.shares_names(names) => r.get_index(*i).map(|(_, v)| v),
        _ => r.get(&field.name),
    }
}

/// The fields of an input record (none if it is not one).
fn fields_of(input: &Value) -> &Fields {
    // Made once: an empty record made for each evaluation would count a
    // share of the one static empty slice, a cache line every thread
    // writes.
    static EMPTY: std::sync::OnceLock<Fields> = std::sync::OnceLock::new();
    match input {
        Value::Record(r) => r.as_ref(),
        _ => EMPTY.get_or_init(Fields::default),
    }
}

impl<'a> Evaluator<'a> {
    fn new(
        (policy, program): (&'a Policy, &'a Program),
        at: NaiveDate,
        input: &'a Fields,
        params: &'a [Value],
        closed: &'a Closed,
    ) -> Evaluator<'a> {
        // Checked once here rather than at every use of an input: a record
        // built other than by the schema reader may lack fields.
        let schema = &policy.input.fields;
        let names = program.inputs.application.names();
        let slots = input.shares_names(names)
            || input.len() == schema.len()
                && input
                    .keys()
                    .zip(schema.keys())
                    .all(|(a, b)| Arc::ptr_eq(a, b) || a == b);
        Evaluator {
            policy,
            program,
            at,
            closed,
            input,
            slots,
            params,
            values: Vec::new(),
            locals: SmallVec::new(),
            frame: 0,
            hits: Vec::new(),
            tracing: true,
            memo: Vec::new(),
        }
    }

    fn run(&mut self, code: &Compiled) -> Result<Value, Failed> {
        let slot = match code.memo {
            Some(i) if !self.tracing => {
                if self.memo.is_empty() {
                    self.memo.resize(self.program.memo_slots, None);
                }
                if let Some(Some(v)) = self.memo.get(i) {
                    return Ok(v.clone());
                }
                Some(i)
            }
            _ => None,
        };
        let v = self.eval(&code.op).map_err(|e| {
            Box::new(
                Diagnostic::error("evaluation", e.kind.to_string()).at(Some(code.site.loc(e.span))),
            )
        })?;
        if let Some(i) = slot
            && let Some(m) = self.memo.get_mut(i)
        {
            *m = Some(v.clone());
        }
        Ok(v)
    }

    fn step(
        &self,
        kind: StepKind,
        name: &str,
        result: &Value,
        code: &Code,
        info: &Info,
        depth: usize,
    ) -> Step {
        Step {
            kind,
            name: name.to_string(),
            result: result.clone(),
            inputs: code
                .refs
                .iter()
                .map(|p| (p.clone(), self.path(p)))
                .collect(),
            cite: info.cite.clone(),
            interpretation: info.interpretation.clone(),
            notes: self.hits.clone(),
            depth,
        }
    }

    /// An `any_of` value: it holds when any option holds, is false when
    /// every option is false, and is unknown otherwise (as `or`); with what
    /// each option came to, and when none held, what each read.
    fn any_of(
        &mut self,
        i: usize,
        v: &crate::policy::Computed,
        p: &crate::engine::plan::ValuePlan,
    ) -> Result<(Value, Alternatives), Failed> {
        let mut any = Tri::False;
        let mut results = Vec::with_capacity(p.options.len());
        for o in &p.options {
            let r = self.run(o)?;
            any = any.or(Tri::of(&r));
            results.push(r);
        }
        let why = match any {
            Tri::True => Vec::new(),
            _ => v
                .options
                .iter()
                .map(|o| {
                    let refs = o.when.refs.iter();
                    refs.map(|r| (r.clone(), self.path(r))).collect()
                })
                .collect(),
        };
        let found = Alternatives {
            value: i,
            results,
            why,
        };
        Ok((any.into_value(), found))
    }

    /// The value of a dotted path of inputs, parameters and values.
    fn path(&self, p: &str) -> Value {
        let mut parts = p.split('.');
        let root = parts.next().unwrap_or_default();
        let mut v = if root == crate::lang::check::EVALUATION_DATE {
            Value::Date(self.at)
        } else if let Some(v) = self.input.get(root) {
            v.clone()
        } else if let Some(v) = self
            .policy
            .params
            .get_index_of(root)
            .and_then(|i| self.params.get(i))
        {
            v.clone()
        } else if let Some(i) = self.policy.value_position(root) {
            self.value(i).cloned().unwrap_or(Value::unknown(root))
        } else {
            Value::unknown(root)
        };
        for f in parts {
            v = match &v {
                Value::Record(r) => r.get(f).cloned().unwrap_or(Value::unknown(p)),
                Value::Ref(r) => {
                    let attributes = self.program.attributes.iter();
                    let places: Vec<Option<usize>> = attributes.map(|a| a.place(f)).collect();
                    self.entry_field(r, EntryField::of(f), f, &places)
                }
                other => other.clone(),
            };
        }
        v
    }

    fn eval(&mut self, e: &Op) -> R {
        let span = e.span;
        match &e.kind {
            OpKind::Const(v) => Ok(v.clone()),
            OpKind::Input {
                slot,
                name,
                unknown,
            } => Ok(match self.slots {
                true => self.input.get_index(*slot).map(|(_, v)| v),
                false => self.input.get(name),
            }
            .unwrap_or(unknown)
            .clone()),
            OpKind::Param { index, unknown } => {
                Ok(self.params.get(*index).unwrap_or(unknown).clone())
            }
            OpKind::Value { index, unknown } => Ok(self.value(*index).unwrap_or(unknown).clone()),
            OpKind::Local { depth, unknown } => Ok(self
                .locals
                .get(self.frame + *depth)
                .unwrap_or(unknown)
                .clone()),
            OpKind::EvaluationDate => Ok(Value::Date(self.at)),
            OpKind::Unknown(u) => Ok(u.clone()),
            OpKind::Field { of, field } => {
                // A record's field is copied without copying the record.
                if let Some(v) = self.peek(e) {
                    return Ok(v.clone());
                }
                let v = self.eval(of)?;
                Ok(match v {
                    Value::Ref(r) => self.entry_field(&r, field.entry, &field.name, &field.places),
                    Value::Record(r) => field_of(&r, field).unwrap_or(&field.unknown).clone(),
                    other => other,
                })
            }
            OpKind::List(items) => {
                let vs = items
                    .iter()
                    .map(|i| self.eval(i))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::List(Arc::new(vs)))
            }
            OpKind::Neg(inner) => {
                let v = self.eval(inner)?;
                Ok(match v {
                    Value::Int(n) => Value::Int(
                        n.checked_neg()
                            .ok_or_else(|| fail(EvalErrorKind::Overflow, span))?,
                    ),
                    Value::Decimal(d) => Value::Decimal(-d),
                    Value::Duration(d) => Value::Duration(Duration {
                        count: d
                            .count
                            .checked_neg()
                            .ok_or_else(|| fail(EvalErrorKind::Overflow, span))?,
                        unit: d.unit,
                    }),
                    other => other,
                })
            }
            OpKind::Not(inner) => Ok(self.truth(inner)?.negate().into_value()),
            OpKind::And(a, b) => {
                let x = self.truth(a)?;
                // Short-circuit: false settles `and` whatever `b` is.
                if x == Tri::False {
                    return Ok(Value::Bool(false));
                }
                let y = self.truth(b)?;
                Ok(x.and(y).into_value())
            }
            OpKind::Or(a, b) => {
                let x = self.truth(a)?;
                // Short-circuit: true settles `or` whatever `b` is.
                if x == Tri::True {
                    return Ok(Value::Bool(true));
                }
                let y = self.truth(b)?;
                Ok(x.or(y).into_value())
            }
            OpKind::Binary(op, a, b) => {
                let cal = self.calendar(0);
                // Operands that are names or constants are read in place.
                if let (Some(x), Some(y)) = (self.peek(a), self.peek(b)) {
                    return operators::binary_at(*op, x, y, cal, span);
                }
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                operators::binary_at(*op, &x, &y, cal, span)
            }
            OpKind::If(c, t, f) => match self.truth(c)? {
                Tri::True => self.eval(t),
                Tri::False => self.eval(f),
                Tri::Unknown(m) => {
                    // Both branches are possible: the result is known only
                    // if they agree.
                    let x = self.eval(t)?;
                    let y = self.eval(f)?;
                    if !x.is_unknown() && !y.is_unknown() && equal(&x, &y) {
                        Ok(x)
                    } else {
                        let all = crate::core::value::union(m, x.missing_shared());
                        Ok(Value::Unknown(crate::core::value::union(
                            all,
                            y.missing_shared(),
                        )))
                    }
                }
            },
            OpKind::Call {
                function,
                plain,
                table,
                args,
                order,
            } => self.call(function, plain, *table, args, order, span),
            OpKind::Ranked { op, members, a, b } => {
                // Operands that are names or constants are read in place.
                if let (Some(x), Some(y)) = (self.peek(a), self.peek(b)) {
                    return operators::ranked(*op, x, y, members).map_err(|k| fail(k, span));
                }
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                operators::ranked(*op, &x, &y, members).map_err(|k| fail(k, span))
            }
            OpKind::Quant {
                quantifier,
                list,
                body,
            } => self.quant(quantifier, list, body, span),
            OpKind::Apply { function, args } => self.apply(*function, args),
            OpKind::Unchecked => Err(call::unchecked(span)),
        }
    }

    /// The value of `e` read in place, without evaluating or copying it,
    /// when it is a constant or a name that has a value; `None` otherwise
    /// (then [`Evaluator::eval`] gives it, or the unknown it stands for).
    fn peek<'s>(&'s self, e: &'s Op) -> Option<&'s Value> {
        match &e.kind {
            OpKind::Const(v) => Some(v),
            OpKind::Input { slot, .. } if self.slots => self.input.get_index(*slot).map(|(_, v)| v),
            OpKind::Param { index, .. } => self.params.get(*index),
            OpKind::Value { index, .. } => self.value(*index),
            OpKind::Local { depth, .. } => self.locals.get(self.frame + *depth),
            // A field of a record read in place (an entry's fields are made).
            OpKind::Field { of, field } => match self.peek(of)? {
                Value::Record(r) => field_of(r, field),
                _ => None,
            },
            _ => None,
        }
    }

    /// A reference to entry `e` of catalogue `c`, the plan's.
    fn reference(&self, c: usize, e: usize) -> Value {
        let shared = self.program.catalogues.reference(c, e);
        shared.unwrap_or_else(|| self.policy.catalogues[c].reference(c, e))
    }

    /// The policy's calendar number `i`, with the plan's index of its days.
    fn calendar(&self, i: usize) -> Option<Indexed<'a>> {
        self.program.calendars.get(i).map(|c| c.indexed())
    }

    /// Computed value `i`, once computed: its value, or the unknown that
    /// says it does not apply.
    fn value(&self, i: usize) -> Option<&Value> {
        match self.values.get(i)? {
            Some(v) => Some(v),
            None => self.program.values.get(i).map(|c| &c.not_applicable),
        }
    }

    /// The truth of a condition, read in place where it can be.
    fn truth(&mut self, e: &Op) -> Result<Tri, Box<EvalError>> {
        Ok(match self.peek(e) {
            Some(v) => Tri::of(v),
            None => Tri::of(&self.eval(e)?),
        })
    }

    /// A field of a catalogue entry: a built-in one or an attribute.
    fn entry_field(
        &self,
        r: &crate::core::value::EntryRef,
        field: EntryField,
        name: &str,
        places: &[Option<usize>],
    ) -> Value {
        let cat = &self.policy.catalogues[r.catalogue];
        if let Some(Some(u)) = self.closed.catalogues.get(r.catalogue) {
            return u.clone();
        }
        let e = &cat.entries[r.entry];
        let entry = |i: usize| self.reference(r.catalogue, i);
        match field {
            EntryField::Id => Value::str(&e.id),
            EntryField::Kind => Value::str(&e.kind),
            EntryField::Name => Value::str(cat.official_name(r.entry)),
            EntryField::Wording => {
                Value::str(e.wording.as_deref().unwrap_or(cat.official_name(r.entry)))
            }
            EntryField::Parent => e
                .parent
                .map(entry)
                .unwrap_or_else(|| Value::unknown(format!("{}.parent", e.id))),
            EntryField::InForce => Value::Bool(cat.in_force(r.entry, self.at)),
            EntryField::Attribute => places
                .get(r.catalogue)
                .copied()
                .flatten()
                .and_then(|p| {
                    let attributes = self.program.attributes.get(r.catalogue)?;
                    attributes.get(r.entry, p, self.at)
                })
                .cloned()
                .unwrap_or_else(|| Value::unknown(format!("{} {}.{name}", cat.name, e.id))),
        }
    }
}
