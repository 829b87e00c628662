//! The function library of the expression language. Each function is
//! defined once, as an entry of its family's `FUNCTIONS`: its name, its
//! signature and what it does in words, and for each form it can be called
//! in (with plain arguments, or as a quantifier `f(x in list => body)`) its
//! type rule and its implementation. The type checker finds a function here
//! by name, applies its rule and records the entry in the call; the
//! evaluator calls the implementation it finds there. Adding a function is
//! adding its entry.
//!
//! What every call has in common stays with the checker and the evaluator
//! ([`crate::lang::check`]'s `call.rs`, [`crate::engine::eval`]'s `call.rs`): they check
//! and compute a plain call's arguments as its [`Args`] says, and bind a
//! quantifier's variable to each element of its list in turn, then hand
//! the types or values to the function. The forms that differ say so in
//! their entry: `lookup` checks its own arguments, since the first names a
//! table, and is given the table and the others' values ([`Args::Table`]);
//! `is_known`, `default`,
//! `count`, `any` and `all` see unknown arguments ([`Args::Lenient`]).
//!
//! An implementation asks the evaluation it runs in through [`Context`]
//! for what a policy holds: a working-day calendar, a catalogue entry's
//! ancestor, a table's rows (`lookup` is run by the evaluator over the
//! plan's table, its rows' cells made values and indexed). So this layer
//! names no policy and no evaluator.

mod calendar;
mod catalogue;
mod dates;
mod lists;
mod numbers;
mod tables;
mod unknowns;

use std::fmt;

use smallvec::SmallVec;

use crate::core::value::{EntryRef, Value};
use crate::lang::ast::{Expr, Order};
use crate::lang::env::{Env, TypeErrorKind};
use crate::lang::runtime::{EvalError, EvalErrorKind, WorkingDays};
use crate::lang::syntax::Span;
use crate::lang::types::Type;

pub(crate) use lists::sum;

/// What a function's type rule may ask of the checker it runs in (the
/// language's `check`).
pub trait CheckContext {
    /// Reports an error; `None`, for the call's type.
    fn err(&mut self, kind: TypeErrorKind, span: Span) -> Option<Type>;
    fn err_help(&mut self, kind: TypeErrorKind, span: Span, help: String) -> Option<Type>;
    /// Checks `e`, which must fit `want`, described as `what`.
    fn expect(&mut self, e: &mut Expr, want: &Type, what: &str) -> Option<Type>;
    /// The type `e`, of type `t`, has where `want` is expected: `want` for
    /// a string literal that is a member of the enumeration `want` (a
    /// literal that is not one is reported, and is `any`), else `t`.
    fn literal_as(&mut self, e: &Expr, t: Type, want: &Type) -> Type;
    /// The common type of expressions that meet in the one at `span`, each
    /// with its type, a string literal among an enumeration's values taken
    /// as its member; or the places of those that do not fit with those
    /// before them, with the type they met.
    fn join(&mut self, items: &[(&Expr, Type)], span: Span) -> Result<Type, Vec<(usize, Type)>>;
    /// Whether `e` is text that mixes an enumeration's members with other
    /// text, and so has no members' order.
    fn is_mixed(&self, e: &Expr) -> bool;
}

/// What a function's type rule sees of a plain call `f(a, b)`.
pub struct CallCheck<'c, 'a> {
    /// The checker, through what a rule may ask of it.
    pub checker: &'c mut dyn CheckContext,
    /// The names the expression may use.
    pub env: &'a Env,
    /// The function's name.
    pub name: &'static str,
    /// The arguments, as written.
    pub args: &'c mut [Expr],
    /// The arguments' types, once each is checked (none when the function
    /// checks its arguments itself).
    pub types: Vec<Type>,
    /// The call's span, and its function name's.
    pub span: Span,
    pub fspan: Span,
    /// The order a function that orders its arguments (`min`, `max`)
    /// compares them in, as its rule finds it from their type: recorded in
    /// the call for the evaluator.
    pub order: Order,
}

/// What a function's type rule sees of a quantifier `f(x in list => body)`.
pub struct QuantCheck<'c, 'a> {
    pub checker: &'c mut dyn CheckContext,
    pub env: &'a Env,
    /// The type of the list's elements, which `x` has.
    pub elem: Type,
    /// The body's type.
    pub body: Type,
    pub body_span: Span,
}

impl<'a> CallCheck<'_, 'a> {
    /// The names the expression may use.
    pub fn env(&self) -> &'a Env {
        self.env
    }

    /// Reports an error; `None`, for the call's type.
    pub fn err(&mut self, kind: TypeErrorKind, span: Span) -> Option<Type> {
        self.checker.err(kind, span)
    }

    pub fn err_help(&mut self, kind: TypeErrorKind, span: Span, help: String) -> Option<Type> {
        self.checker.err_help(kind, span, help)
    }

    /// Reports argument `i` as not `what` the function expects.
    pub fn mismatch(&mut self, i: usize, what: &str) -> Option<Type> {
        let kind = TypeErrorKind::Mismatch {
            expected: what.into(),
            found: self.types[i].clone(),
        };
        self.checker.err(kind, self.args[i].span)
    }

    /// Reports the call as having the wrong number of arguments:
    /// `expected` says how many, in words.
    pub fn arity(&mut self, expected: &str) -> Option<Type> {
        let kind = TypeErrorKind::Arity {
            func: self.name.into(),
            expected: expected.into(),
            found: self.args.len(),
        };
        self.checker.err(kind, self.span)
    }

    /// The rule of a function of exactly the arguments `want`, of type
    /// `out`.
    pub fn fixed(&mut self, want: &[Type], out: Type) -> Option<Type> {
        if self.types.len() != want.len() {
            let words = format!(
                "{} argument{}",
                want.len(),
                if want.len() == 1 { "" } else { "s" }
            );
            return self.arity(&words);
        }
        let mut ok = true;
        for (i, w) in want.iter().enumerate() {
            let t = self
                .checker
                .literal_as(&self.args[i], self.types[i].clone(), w);
            if !t.fits(w) {
                self.mismatch(i, &format!("`{w}`"));
                ok = false;
            }
        }
        ok.then_some(out)
    }

    /// The common type of the arguments, a string literal among an
    /// enumeration's values taken as its member (see
    /// [`CheckContext::join`]); or the places of those that do not fit with
    /// those before them, with the type they met.
    pub fn join(&mut self) -> Result<Type, Vec<(usize, Type)>> {
        let items: Vec<(&Expr, Type)> = self.args.iter().zip(self.types.iter().cloned()).collect();
        self.checker.join(&items, self.span)
    }

    /// Whether argument `i` is text that mixes an enumeration's members
    /// with other text.
    pub fn is_mixed(&self, i: usize) -> bool {
        self.checker.is_mixed(&self.args[i])
    }

    /// Checks argument `i` (for a function that checks its arguments
    /// itself), which must fit `want`, described as `what`.
    pub fn expect(&mut self, i: usize, want: &Type, what: &str) -> Option<Type> {
        self.checker.expect(&mut self.args[i], want, what)
    }
}

impl QuantCheck<'_, '_> {
    /// Requires the body to be a condition, and reports it if it is not.
    pub fn condition(&mut self) -> Option<()> {
        if !self.body.fits(&Type::Bool) {
            self.mismatch("a `bool` condition");
            return None;
        }
        Some(())
    }

    /// Reports the body as not `what` the function expects.
    pub fn mismatch(&mut self, what: &str) -> Option<Type> {
        let kind = TypeErrorKind::Mismatch {
            expected: what.into(),
            found: self.body.clone(),
        };
        self.checker.err(kind, self.body_span)
    }
}

/// What a function's implementation may ask of the evaluation it runs in:
/// the evaluator answers (the engine's `eval`), from the policy's plan.
pub trait Context {
    /// Whether the evaluation records a trace.
    fn tracing(&self) -> bool;
    /// Records a table row the expression used, for the trace.
    fn note(&mut self, hit: String);
    /// The working-day calendar of that name, or the policy's first.
    fn calendar(&self, name: Option<&str>) -> Option<&dyn WorkingDays>;
    /// `entry` itself, or its nearest ancestor of `kind` in its
    /// catalogue; unknown, naming both, when there is none.
    fn ancestor(&self, entry: &EntryRef, kind: &str) -> Value;
    /// Table `table`'s result for the column values `args`, under its
    /// hit policy; an unknown argument makes it unknown.
    fn lookup(&mut self, table: usize, args: &[Value], span: Span) -> Evaluated;
}

/// What a function's implementation sees of a plain call `f(a, b)`.
pub struct CallEval<'c> {
    cx: &'c mut dyn Context,
    /// The function's name.
    pub name: &'static str,
    /// The arguments' values (for [`Args::Table`], those after the
    /// table's name).
    pub args: &'c [Value],
    /// The table the first argument names, for [`Args::Table`].
    pub table: Option<usize>,
    /// The order the checker recorded for a function that orders its
    /// arguments (`min`, `max`).
    pub order: &'c Order,
    pub span: Span,
}

impl<'c> CallEval<'c> {
    /// A call of `name` at `span`, in the evaluation `cx`, whose arguments
    /// (if it orders them) compare in `order`.
    pub fn new(
        cx: &'c mut dyn Context,
        name: &'static str,
        args: &'c [Value],
        table: Option<usize>,
        order: &'c Order,
        span: Span,
    ) -> CallEval<'c> {
        CallEval {
            cx,
            name,
            args,
            table,
            order,
            span,
        }
    }

    /// An error of the call.
    pub fn fail(&self, kind: EvalErrorKind) -> Box<EvalError> {
        Box::new(EvalError::new(kind, self.span))
    }

    /// Whether the evaluation records a trace.
    pub fn tracing(&self) -> bool {
        self.cx.tracing()
    }

    /// Records a table row the expression used, for the trace.
    pub fn note(&mut self, hit: String) {
        self.cx.note(hit);
    }

    /// See [`Context::calendar`].
    pub fn calendar(&self, name: Option<&str>) -> Option<&dyn WorkingDays> {
        self.cx.calendar(name)
    }

    /// See [`Context::ancestor`].
    pub fn ancestor(&self, entry: &EntryRef, kind: &str) -> Value {
        self.cx.ancestor(entry, kind)
    }

    /// Table `t`'s result for the call's values (see [`Context::lookup`]).
    pub fn lookup(&mut self, t: usize) -> Evaluated {
        let (args, span) = (self.args, self.span);
        self.cx.lookup(t, args, span)
    }
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

impl Quantified<'_> {
    /// An error of the call.
    pub fn fail(&self, kind: EvalErrorKind) -> Box<EvalError> {
        Box::new(EvalError::new(kind, self.span))
    }
}

/// What an implementation gives: the call's value, or the error that
/// stops the evaluation.
pub type Evaluated = Result<Value, Box<EvalError>>;

/// A function of the library.
pub struct Function {
    pub name: &'static str,
    /// How it is called, in words (`add_days(date, int) -> date`): each way
    /// of calling it, separated by ` | `.
    pub signature: &'static str,
    /// What it gives, in a line.
    pub doc: &'static str,
    /// Its plain form `f(a, b)`, if it has one.
    pub plain: Option<Plain>,
    /// Its quantifier form `f(x in list => body)`, if it has one.
    pub quantifier: Option<Quantifier>,
}

/// How a function is called: with plain arguments, or as a quantifier
/// `f(x in list => body)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Plain,
    Quantifier,
    Both,
}

/// What a plain call's arguments are to the function, to the checker and
/// the evaluator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Args {
    /// Values: the checker checks each before the type rule sees their
    /// types, and the evaluator computes each before the implementation
    /// sees them. The call is unknown when one of them is (or, for a sole
    /// list, one of its elements): the implementation sees only known
    /// values.
    Strict,
    /// Values, as for `Strict`, which the implementation sees even when
    /// unknown (`is_known`, `default`, `any`).
    Lenient,
    /// A table's name and values for its columns (`lookup`): the function
    /// checks the arguments itself, resolving the first to the table; the
    /// evaluator gives it the table ([`CallEval::table`]) and the others'
    /// values, which may be unknown.
    Table,
}

/// A function's plain form `f(a, b)`.
pub struct Plain {
    pub args: Args,
    /// The call's type, from the arguments' types (in [`CallCheck::types`]
    /// unless `args` is [`Args::Table`]); `None` once it has reported why
    /// the call is wrong. It is not called when an argument's own check
    /// failed, and the call is of type `any` when an argument is.
    pub check: fn(&mut CallCheck<'_, '_>) -> Option<Type>,
    /// The call's value, from the arguments' values (in
    /// [`CallEval::args`]; for [`Args::Table`] without the table's name).
    pub eval: fn(&mut CallEval<'_>) -> Evaluated,
}

/// A function's quantifier form `f(x in list => body)`.
pub struct Quantifier {
    /// The call's type, from the list's element type and the body's type
    /// (in [`QuantCheck`]); `None` once it has reported why the call is
    /// wrong.
    pub check: fn(&mut QuantCheck<'_, '_>) -> Option<Type>,
    /// The call's value, from the body's value for each element of a known
    /// list (in [`Quantified::results`]); the evaluator gives an unknown
    /// list's unknown itself.
    pub eval: fn(&mut Quantified<'_>) -> Evaluated,
}

/// A function is known by its name, which no other has.
impl PartialEq for Function {
    fn eq(&self, other: &Function) -> bool {
        self.name == other.name
    }
}

impl fmt::Debug for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Plain({:?})", self.args)
    }
}

impl fmt::Debug for Quantifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Quantifier")
    }
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Function({})", self.name)
    }
}

impl Function {
    pub fn form(&self) -> Form {
        match (&self.plain, &self.quantifier) {
            (Some(_), Some(_)) => Form::Both,
            (None, Some(_)) => Form::Quantifier,
            _ => Form::Plain,
        }
    }
}

/// The families of functions, in the order the documentation lists them.
pub(crate) const FAMILIES: &[&[Function]] = &[
    lists::FUNCTIONS,
    numbers::FUNCTIONS,
    dates::FUNCTIONS,
    unknowns::FUNCTIONS,
    tables::FUNCTIONS,
    calendar::FUNCTIONS,
    catalogue::FUNCTIONS,
];

const COUNT: usize = count(FAMILIES);

static ALL: [&Function; COUNT] = flatten(FAMILIES);

/// Every function, in the order the documentation lists them.
pub static LIBRARY: &[&Function] = &ALL;

const fn count(families: &[&[Function]]) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < families.len() {
        n += families[i].len();
        i += 1;
    }
    n
}

/// The functions of `families`, in order, in one array.
const fn flatten<const N: usize>(
    families: &'static [&'static [Function]],
) -> [&'static Function; N] {
    let mut out = [&families[0][0]; N];
    let (mut i, mut k) = (0, 0);
    while i < families.len() {
        let mut j = 0;
        while j < families[i].len() {
            out[k] = &families[i][j];
            k += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

pub fn find(name: &str) -> Option<&'static Function> {
    LIBRARY.iter().copied().find(|f| f.name == name)
}

/// The place in [`LIBRARY`] of the function of that name.
pub fn place(name: &str) -> Option<usize> {
    LIBRARY.iter().position(|f| f.name == name)
}

/// The function at that place in [`LIBRARY`].
pub fn at(place: usize) -> Option<&'static Function> {
    LIBRARY.get(place).copied()
}

pub fn names() -> impl Iterator<Item = &'static str> {
    LIBRARY.iter().map(|f| f.name)
}
