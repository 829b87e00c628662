//! Calls of functions: the checker finds the function a call names in
//! [`crate::lang::functions`], records it in the call, checks what every call
//! has in common (its arguments, a quantifier's list and variable), and
//! leaves the rest to the function's own type rule, which sees the call
//! through a [`CallCheck`] or a [`QuantCheck`].

use super::{Checker, TypeErrorKind};
use crate::core::suggest::did_you_mean;
use crate::lang::ast::{Call, Expr, Order, Quant};
use crate::lang::functions::{self, Args, CallCheck, CheckContext, QuantCheck};
use crate::lang::syntax::Span;
use crate::lang::types::Type;

/// The checker is the context of the functions' type rules.
impl CheckContext for Checker<'_> {
    fn err(&mut self, kind: TypeErrorKind, span: Span) -> Option<Type> {
        Checker::err(self, kind, span)
    }

    fn err_help(&mut self, kind: TypeErrorKind, span: Span, help: String) -> Option<Type> {
        Checker::err_help(self, kind, span, help)
    }

    fn expect(&mut self, e: &mut Expr, want: &Type, what: &str) -> Option<Type> {
        Checker::expect(self, e, want, what)
    }

    fn literal_as(&mut self, e: &Expr, t: Type, want: &Type) -> Type {
        Checker::literal_as(self, e, t, want)
    }

    fn join(&mut self, items: &[(&Expr, Type)], span: Span) -> Result<Type, Vec<(usize, Type)>> {
        Checker::join(self, items, span)
    }

    fn is_mixed(&self, e: &Expr) -> bool {
        Checker::is_mixed(self, e)
    }
}

impl Checker<'_> {
    /// `f(a, b)`: the type `f`'s rule gives the call.
    pub(super) fn call(&mut self, call: &mut Call, span: Span) -> Option<Type> {
        if let Some(u) = self.env.functions.get(&call.func.node) {
            return self.user_call(call, u, span);
        }
        let Some(f) = functions::find(&call.func.node) else {
            // The library's names, then the package's own, sorted (the
            // map's order is not the same from one run to the next).
            let mut own: Vec<String> = self.env.functions.keys().cloned().collect();
            own.sort_unstable();
            let mut names: Vec<String> = functions::names().map(String::from).collect();
            names.extend(own);
            let help = did_you_mean(&call.func.node, names.iter().map(String::as_str));
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
        call.builtin = functions::place(f.name);
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
        let env = self.env;
        let mut cx = CallCheck {
            checker: self,
            env,
            name: f.name,
            args: &mut call.args,
            types,
            span,
            fspan: call.func.span,
            order: Order::Natural,
        };
        let ty = (plain.check)(&mut cx);
        call.order = cx.order;
        ty
    }

    /// `f(a, b)` of a function the package declares: its arguments fit its
    /// parameters, one each; its type is the function's result.
    fn user_call(
        &mut self,
        call: &mut Call,
        u: &crate::lang::env::UserFunction,
        span: Span,
    ) -> Option<Type> {
        call.user = Some(u.place);
        if call.args.len() != u.params.len() {
            let n = u.params.len();
            for a in call.args.iter_mut() {
                self.expr(a);
            }
            let names: Vec<&str> = u.params.iter().map(|(p, _)| p.as_str()).collect();
            return self.err(
                TypeErrorKind::Arity {
                    func: call.func.node.clone(),
                    expected: format!(
                        "{n} argument{} ({})",
                        if n == 1 { "" } else { "s" },
                        names.join(", ")
                    ),
                    found: call.args.len(),
                },
                span,
            );
        }
        let mut fine = true;
        for (a, (p, ty)) in call.args.iter_mut().zip(&u.params) {
            let what = format!("`{ty}` for parameter `{p}` of `{}`", call.func.node);
            fine &= self.expect(a, ty, &what).is_some();
        }
        fine.then(|| u.returns.clone())
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
        q.builtin = functions::place(f.name);
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
            || q.var.node == super::EVALUATION_DATE
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
        let env = self.env;
        let mut cx = QuantCheck {
            checker: self,
            env,
            elem,
            body: body?,
            body_span: q.body.span,
        };
        (quantifier.check)(&mut cx)
    }
}

/// The function library as the checker knows it.
#[cfg(test)]
mod library {
    use std::collections::BTreeSet;

    use crate::lang::check::{Env, check};
    use crate::lang::functions::*;
    use crate::lang::syntax::parse_expr;

    /// The messages of checking `text` with no names declared.
    fn errors(text: &str) -> String {
        let mut e = parse_expr(text).expect("parses");
        match check(&mut e, &Env::default()) {
            Ok(_) => String::new(),
            Err(errs) => errs.iter().map(|e| e.to_string()).collect(),
        }
    }

    /// A function is its entry and nothing else: each entry has a name no
    /// other has, a signature for each form it has, a doc line, and for
    /// each form a type rule and an implementation (fields no entry can
    /// leave out); the checker knows it by its name alone, in the forms
    /// the entry has. (`tests/example.rs` evaluates every function.)
    #[test]
    fn every_function_is_defined_whole_in_its_entry() {
        let mut seen = BTreeSet::new();
        for f in LIBRARY {
            let name = f.name;
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "`{name}` is not a function name"
            );
            assert!(seen.insert(name), "two functions are called `{name}`");
            assert!(std::ptr::eq(find(name).expect("found"), *f));
            assert!(!f.doc.trim().is_empty(), "`{name}` has no doc");
            assert!(
                f.plain.is_some() || f.quantifier.is_some(),
                "`{name}` cannot be called"
            );
            let ways: Vec<&str> = f.signature.split(" | ").collect();
            for way in &ways {
                assert!(
                    way.starts_with(&format!("{name}(")),
                    "`{name}`'s signature `{way}` is not of it"
                );
            }
            let quantifier = ways.iter().any(|w| w.contains(" => "));
            let plain = ways.iter().any(|w| !w.contains(" => "));
            assert_eq!(
                (plain, quantifier),
                (f.plain.is_some(), f.quantifier.is_some()),
                "`{name}`'s signature `{}` names other forms than it has",
                f.signature
            );

            let as_plain = errors(&format!("{name}()"));
            let as_quantifier = errors(&format!("{name}(x in [1] => x)"));
            for e in [&as_plain, &as_quantifier] {
                assert!(!e.contains("unknown function"), "{e}");
            }
            assert_eq!(
                as_plain.contains("cannot be called with plain arguments"),
                f.plain.is_none(),
                "{name}: {as_plain}"
            );
            assert_eq!(
                as_quantifier.contains("cannot be called as a quantifier"),
                f.quantifier.is_none(),
                "{name}: {as_quantifier}"
            );
        }
        // Every entry of every family is in the library, in order.
        let entries: Vec<&str> = FAMILIES
            .iter()
            .flat_map(|f| f.iter())
            .map(|f| f.name)
            .collect();
        assert_eq!(entries, names().collect::<Vec<_>>());
    }

    /// The type of `text`, or its errors with their help.
    fn ty(text: &str) -> String {
        let mut e = parse_expr(text).expect("parses");
        match check(&mut e, &Env::default()) {
            Ok(t) => t.to_string(),
            Err(errs) => errs
                .iter()
                .map(|e| format!("{e} ({})", e.help.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    #[test]
    fn rounding_to_places_gives_a_decimal_and_to_none_an_int() {
        assert_eq!(ty("round(2.5)"), "int");
        assert_eq!(ty("floor(2)"), "int");
        assert_eq!(ty("round(2.5, 2)"), "decimal");
        assert_eq!(ty("floor(2, 1)"), "decimal");
        assert_eq!(ty("ceil(2.5, 0)"), "decimal");
        assert_eq!(ty("round(2.5, 2, \"half_even\")"), "decimal");
    }

    #[test]
    fn places_and_modes_are_checked_when_the_policy_loads() {
        assert_eq!(
            ty("round(1234, -2)"),
            "`-2` is not a number of decimal places: it must be from 0 to 28 (to round to tens or hundreds, divide first: `round(x / 100) * 100`)"
        );
        assert_eq!(
            ty("floor(1.5, 29)"),
            "`29` is not a number of decimal places: it must be from 0 to 28 (a decimal has at most 28 places)"
        );
        assert_eq!(
            ty("round(1.5, 2, \"half_evn\")"),
            "unknown rounding mode `half_evn` (the modes are half_away_from_zero, half_even, half_toward_zero, away_from_zero, toward_zero; did you mean `half_even`?)"
        );
        assert_eq!(
            ty("round(1.5, 2, \"half_up\")"),
            "unknown rounding mode `half_up` (`half_up` means one thing or another for negative numbers: say which; the modes are half_away_from_zero, half_even, half_toward_zero, away_from_zero, toward_zero)"
        );
        assert_eq!(
            ty("round(1.5, 2, \"half\" + \"_even\")"),
            "the rounding mode must be a string literal (write it out, such as `\"half_even\"`, so that it is checked when the policy loads)"
        );
        assert_eq!(
            ty("round(1.5, 2.5)"),
            "expected an `int` number of decimal places, found `decimal` ()"
        );
        assert_eq!(
            ty("floor(1.5, 2, \"half_even\")"),
            "`floor` takes 1 or 2 arguments, but 3 were given ()"
        );
        assert_eq!(
            ty("round()"),
            "`round` takes 1 to 3 arguments, but 0 were given ()"
        );
    }

    /// The functions `docs/policy-format.md` lists, by the names in
    /// backquotes in its paragraph on them, are the library's.
    #[test]
    fn the_documentation_lists_every_function() {
        let doc = include_str!("../../../docs/policy-format.md");
        let start = doc
            .find("Functions (see `src/functions/`):")
            .expect("the paragraph on functions");
        let paragraph = doc[start..].split("\n\n").next().unwrap_or_default();
        let listed: BTreeSet<&str> = paragraph
            .split('`')
            .skip(1)
            .step_by(2)
            .filter_map(|code| {
                let end = code
                    .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                    .unwrap_or(code.len());
                let (name, rest) = code.split_at(end);
                (!name.is_empty() && (rest.is_empty() || rest.starts_with('('))).then_some(name)
            })
            .collect();
        let library: BTreeSet<&str> = names().collect();
        assert_eq!(
            listed, library,
            "docs/policy-format.md's paragraph on functions lists other functions than the library"
        );
    }
}
