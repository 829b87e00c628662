//! Calls of functions: the evaluator calls the implementation of the
//! function the checker recorded in the call (see [`crate::lang::functions`]),
//! once it has computed what every call has in common: its arguments, or a
//! quantifier's body for each element of its list.

use smallvec::SmallVec;

use super::{EvalError, EvalErrorKind, Evaluator, R, fail, unknown_of};
use crate::core::value::Value;
use crate::engine::plan::code::Op;
use crate::engine::plan::tables::TablePlan;
use crate::lang::functions::{Args, Function, Plain, Quantifier};
use crate::lang::syntax::Span;
use crate::policy::Policy;
use crate::policy::calendar::Indexed;

/// What a function's implementation sees of a plain call `f(a, b)`.
pub struct CallEval<'c, 'a> {
    ev: &'c mut Evaluator<'a>,
    /// The function's name.
    pub name: &'static str,
    /// The arguments' values (for [`Args::Table`], those after the
    /// table's name).
    pub args: &'c [Value],
    /// The table the first argument names, for [`Args::Table`].
    pub table: Option<usize>,
    pub span: Span,
}

/// What a function's implementation sees of a quantifier
/// `f(x in list => body)` over a known list.
pub struct Quantified<'q> {
    /// The list.
    pub list: &'q Value,
    /// Its elements.
    pub items: &'q [Value],
    /// The body's value for each element, in order (on the stack for lists
    /// of up to 8, which an implementation may take).
    pub results: &'q mut SmallVec<[Value; 8]>,
    pub span: Span,
}

impl<'a> CallEval<'_, 'a> {
    pub fn policy(&self) -> &'a Policy {
        self.ev.policy
    }

    /// Table `t` as the plan runs it: its rows' cells and results as
    /// values, and its index.
    pub(crate) fn table_plan(&self, t: usize) -> &'a TablePlan {
        &self.ev.program.tables[t]
    }

    /// The unknown that stands for table `t` when its wording in force at
    /// the evaluation date is not encoded, if it is not.
    pub fn table_not_encoded(&self, t: usize) -> Option<Value> {
        self.ev.closed.tables.get(t)?.clone()
    }

    /// A reference to entry `e` of catalogue `c`, the plan's.
    pub fn reference(&self, c: usize, e: usize) -> Value {
        self.ev.reference(c, e)
    }

    /// The policy's calendar number `i`, with the plan's index of its days.
    pub fn calendar(&self, i: usize) -> Option<Indexed<'a>> {
        self.ev.calendar(i)
    }

    /// An error of the call.
    pub fn fail(&self, kind: EvalErrorKind) -> Box<EvalError> {
        fail(kind, self.span)
    }

    /// Whether the evaluation records a trace.
    pub fn tracing(&self) -> bool {
        self.ev.tracing
    }

    /// Records a table row the expression used, for the trace.
    pub fn note(&mut self, hit: String) {
        self.ev.hits.push(hit);
    }
}

impl Quantified<'_> {
    /// An error of the call.
    pub fn fail(&self, kind: EvalErrorKind) -> Box<EvalError> {
        fail(kind, self.span)
    }
}

impl Evaluator<'_> {
    /// `f(a, b)`: the value of `f`'s implementation.
    pub(super) fn call(
        &mut self,
        f: &'static Function,
        plain: &'static Plain,
        table: Option<usize>,
        exprs: &[Op],
        span: Span,
    ) -> R {
        // Most functions take one to three arguments: they stay on the stack.
        let mut args: SmallVec<[Value; 3]> = SmallVec::new();
        for a in exprs {
            args.push(self.eval(a)?);
        }
        if plain.args == Args::Strict {
            // Unknown in, unknown out. A function of a list (`min([a, b])`)
            // looks at its elements.
            let flat: &[Value] = match args.as_slice() {
                [Value::List(items)] => items.as_slice(),
                _ => &args,
            };
            if let Some(u) = unknown_of(&args).or_else(|| unknown_of(flat)) {
                return Ok(u);
            }
        }
        let mut cx = CallEval {
            ev: self,
            name: f.name,
            args: &args,
            table,
            span,
        };
        (plain.eval)(&mut cx)
    }

    /// `f(x in list => body)`: the value of `f`'s implementation, given the
    /// body's value for each element; the list itself when it is unknown.
    pub(super) fn quant(
        &mut self,
        quantifier: &'static Quantifier,
        list: &Op,
        body: &Op,
        span: Span,
    ) -> R {
        let list = self.eval(list)?;
        let items = match &list {
            Value::List(items) => items,
            _ => return Ok(list),
        };
        let mut results: SmallVec<[Value; 8]> = SmallVec::with_capacity(items.len());
        for item in items.iter() {
            self.locals.push(item.clone());
            let r = self.eval(body);
            self.locals.pop();
            results.push(r?);
        }
        let mut cx = Quantified {
            list: &list,
            items,
            results: &mut results,
            span,
        };
        (quantifier.eval)(&mut cx)
    }
}

/// A call the checker did not resolve: the expression was never checked.
pub(super) fn unchecked(span: Span) -> Box<EvalError> {
    Box::new(EvalError::new(
        EvalErrorKind::Unsupported("a function call that was not type-checked".into()),
        span,
    ))
}
