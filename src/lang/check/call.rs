//! Calls of functions: the checker finds the function a call names in
//! [`crate::lang::functions`], records it in the call, checks what every call
//! has in common (its arguments, a quantifier's list and variable), and
//! leaves the rest to the function's own type rule, which sees the call
//! through a [`CallCheck`] or a [`QuantCheck`].

use super::{Checker, Env, TypeErrorKind};
use crate::core::suggest::did_you_mean;
use crate::lang::ast::{Call, Expr, Quant};
use crate::lang::functions::{self, Args};
use crate::lang::syntax::Span;
use crate::lang::types::Type;

/// What a function's type rule sees of a plain call `f(a, b)`.
pub struct CallCheck<'c, 'a> {
    checker: &'c mut Checker<'a>,
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
}

/// What a function's type rule sees of a quantifier `f(x in list => body)`.
pub struct QuantCheck<'c, 'a> {
    checker: &'c mut Checker<'a>,
    /// The type of the list's elements, which `x` has.
    pub elem: Type,
    /// The body's type.
    pub body: Type,
    pub body_span: Span,
}

impl<'a> CallCheck<'_, 'a> {
    /// The names the expression may use.
    pub fn env(&self) -> &'a Env {
        self.checker.env
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
            if !self.types[i].fits(w) {
                self.mismatch(i, &format!("`{w}`"));
                ok = false;
            }
        }
        ok.then_some(out)
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

impl Checker<'_> {
    /// `f(a, b)`: the type `f`'s rule gives the call.
    pub(super) fn call(&mut self, call: &mut Call, span: Span) -> Option<Type> {
        let Some(f) = functions::find(&call.func.node) else {
            let help = did_you_mean(&call.func.node, functions::names());
            for a in call.args.iter_mut() {
                self.expr(a);
            }
            return self.err_help(
                TypeErrorKind::UnknownFunction(call.func.node.clone()),
                call.func.span,
                help.trim_start_matches("; ").to_string(),
            );
        };
        let Some(plain) = &f.plain else {
            return self.err(
                TypeErrorKind::WrongForm {
                    func: f.name.into(),
                    how: "with plain arguments: write `f(x in list => expression)`",
                },
                span,
            );
        };
        call.builtin = Some(f);
        let mut types = Vec::new();
        if plain.args != Args::Table {
            let checked: Vec<Option<Type>> = call.args.iter_mut().map(|a| self.expr(a)).collect();
            if checked.iter().any(Option::is_none) {
                return None;
            }
            types = checked.into_iter().flatten().collect();
            // `any` stands for a value whose own check failed: say nothing
            // more.
            if types.contains(&Type::Any) {
                return Some(Type::Any);
            }
        }
        let mut cx = CallCheck {
            checker: self,
            name: f.name,
            args: &mut call.args,
            types,
            span,
            fspan: call.func.span,
        };
        (plain.check)(&mut cx)
    }

    /// `f(x in list => body)`: the type `f`'s rule gives the call, once the
    /// list and the body (with `x` bound to an element) are checked.
    pub(super) fn quant(&mut self, q: &mut Quant, span: Span) -> Option<Type> {
        let Some(f) = functions::find(&q.func.node) else {
            let help = did_you_mean(&q.func.node, functions::names());
            return self.err_help(
                TypeErrorKind::UnknownFunction(q.func.node.clone()),
                q.func.span,
                help.trim_start_matches("; ").to_string(),
            );
        };
        q.builtin = Some(f);
        let Some(quantifier) = &f.quantifier else {
            return self.err(
                TypeErrorKind::WrongForm {
                    func: f.name.into(),
                    how: "as a quantifier `f(x in list => ...)`",
                },
                span,
            );
        };
        let lt = self.expr(&mut q.list);
        if self.env.globals.contains_key(&q.var.node)
            || self.locals.iter().any(|(n, _)| *n == q.var.node)
        {
            self.err(TypeErrorKind::Shadowing(q.var.node.clone()), q.var.span);
        }
        let elem = match lt? {
            Type::List(t) => *t,
            other => {
                return self.err(
                    TypeErrorKind::Mismatch {
                        expected: "a list".into(),
                        found: other,
                    },
                    q.list.span,
                );
            }
        };
        self.locals.push((q.var.node.clone(), elem.clone()));
        let body = self.expr(&mut q.body);
        self.locals.pop();
        let mut cx = QuantCheck {
            checker: self,
            elem,
            body: body?,
            body_span: q.body.span,
        };
        (quantifier.check)(&mut cx)
    }
}
