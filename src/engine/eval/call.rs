//! Calls of functions: the evaluator calls the implementation of the
//! function the checker recorded in the call (see [`crate::lang::functions`]),
//! once it has computed what every call has in common: its arguments, or a
//! quantifier's body for each element of its list.

use smallvec::SmallVec;

use super::{EvalError, EvalErrorKind, Evaluator, R, unknown_of};
use crate::core::value::{EntryRef, Value};
use crate::engine::plan::code::Op;
use crate::lang::ast::Order;
use crate::lang::functions::{Args, CallEval, Context, Function, Plain, Quantified, Quantifier};
use crate::lang::runtime::WorkingDays;
use crate::lang::syntax::Span;

/// The evaluator is the context of the functions it calls.
impl Context for Evaluator<'_> {
    fn tracing(&self) -> bool {
        self.tracing
    }

    fn note(&mut self, hit: String) {
        self.hits.push(hit);
    }

    fn calendar(&self, name: Option<&str>) -> Option<&dyn WorkingDays> {
        let i = match name {
            Some(n) => self.policy.calendars.get_index_of(n)?,
            None => 0,
        };
        let c = self.program.calendars.get(i)?;
        Some(c)
    }

    fn ancestor(&self, entry: &EntryRef, kind: &str) -> Value {
        let cat = &self.policy.catalogues[entry.catalogue];
        match cat.ancestor(entry.entry, kind) {
            Some(i) => self.reference(entry.catalogue, i),
            None => Value::unknown(format!("{} {} ({kind})", cat.name, entry.id)),
        }
    }

    fn lookup(&mut self, table: usize, args: &[Value], span: Span) -> R {
        self.lookup_table(table, args, span)
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
        order: &Order,
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
        let mut cx = CallEval::new(self, f.name, &args, table, order, span);
        (plain.eval)(&mut cx)
    }

    /// `f(a, b)` of the package's own function number `function`: its body
    /// with the arguments as its first locals.
    pub(super) fn apply(&mut self, function: usize, args: &[Op]) -> R {
        let base = self.locals.len();
        for a in args {
            match self.eval(a) {
                Ok(v) => self.locals.push(v),
                Err(e) => {
                    self.locals.truncate(base);
                    return Err(e);
                }
            }
        }
        let program = self.program;
        let saved = std::mem::replace(&mut self.frame, base);
        let r = match program.functions.get(function) {
            Some(body) => self.eval(body),
            None => Err(unchecked(Span::new(0, 0))),
        };
        self.frame = saved;
        self.locals.truncate(base);
        r
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
