//! Functions of a number: its absolute value and its roundings.

use rust_decimal::RoundingStrategy;
use rust_decimal::prelude::ToPrimitive;

use super::{Args, CallCheck, CallEval, Evaluated, Function, Plain};
use crate::core::suggest::did_you_mean;
use crate::core::value::Value;
use crate::lang::ast::{Expr, ExprKind, Literal};
use crate::lang::env::TypeErrorKind;
use crate::lang::runtime::{EvalErrorKind, to_dec};
use crate::lang::types::Type;

pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "abs",
        signature: "abs(number)",
        doc: "the absolute value",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| match c.types.as_slice() {
                [t] if t.is_numeric() => Some(t.clone()),
                [_] => c.mismatch(0, "a number"),
                _ => c.arity("1 argument"),
            },
            eval: |c| {
                Ok(match &c.args[0] {
                    Value::Int(n) => Value::Int(
                        n.checked_abs()
                            .ok_or_else(|| c.fail(EvalErrorKind::Overflow))?,
                    ),
                    Value::Decimal(d) => Value::Decimal(d.abs()),
                    v => v.clone(),
                })
            },
        }),
        quantifier: None,
    },
    Function {
        name: "floor",
        signature: "floor(number) -> int | floor(number, places) -> decimal",
        doc: "the greatest integer not above; with places, the greatest number of that many decimal places not above",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| rounding(c, false),
            eval: |c| rounded(c, RoundingStrategy::ToNegativeInfinity),
        }),
        quantifier: None,
    },
    Function {
        name: "ceil",
        signature: "ceil(number) -> int | ceil(number, places) -> decimal",
        doc: "the least integer not below; with places, the least number of that many decimal places not below",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| rounding(c, false),
            eval: |c| rounded(c, RoundingStrategy::ToPositiveInfinity),
        }),
        quantifier: None,
    },
    Function {
        name: "round",
        signature: "round(number) -> int | round(number, places) -> decimal | round(number, places, mode) -> decimal",
        doc: "the nearest integer, or number of that many decimal places; halves away from zero unless `mode` says otherwise",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| rounding(c, true),
            eval: |c| {
                let mode = match c.args.get(2) {
                    None => RoundingStrategy::MidpointAwayFromZero,
                    Some(Value::Str(m)) => match mode(m) {
                        Some(s) => s,
                        None => {
                            return Err(c.fail(EvalErrorKind::Unsupported(format!(
                                "unknown rounding mode `{m}`"
                            ))));
                        }
                    },
                    Some(_) => return Err(unchecked(c)),
                };
                rounded(c, mode)
            },
        }),
        quantifier: None,
    },
];

/// The most decimal places a number can have.
pub const MAX_PLACES: i64 = 28;

/// The rounding modes `round` accepts as its third argument, and what each
/// does with a number halfway between the two nearest (or, for the last
/// two, with any number between them).
pub const MODES: &[(&str, RoundingStrategy)] = &[
    (
        "half_away_from_zero",
        RoundingStrategy::MidpointAwayFromZero,
    ),
    ("half_even", RoundingStrategy::MidpointNearestEven),
    ("half_toward_zero", RoundingStrategy::MidpointTowardZero),
    ("away_from_zero", RoundingStrategy::AwayFromZero),
    ("toward_zero", RoundingStrategy::ToZero),
];

/// The rounding mode of that name.
fn mode(name: &str) -> Option<RoundingStrategy> {
    MODES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The type rule of `floor`, `ceil` and `round` (with a mode if `modes`):
/// a number alone gives an `int`; with an `int` of places (from 0 to
/// [`MAX_PLACES`] where written as a literal) a `decimal`; the mode must be
/// written as a string literal naming one of [`MODES`], so that it is
/// checked when the policy loads.
fn rounding(c: &mut CallCheck<'_, '_>, modes: bool) -> Option<Type> {
    let n = c.types.len();
    if n == 0 || n > 2 + usize::from(modes) {
        return c.arity(if modes {
            "1 to 3 arguments"
        } else {
            "1 or 2 arguments"
        });
    }
    let mut ok = true;
    if !c.types[0].fits(&Type::Decimal) {
        c.mismatch(0, "a number");
        ok = false;
    }
    if n == 1 {
        return ok.then_some(Type::Int);
    }
    if !c.types[1].fits(&Type::Int) {
        c.mismatch(1, "an `int` number of decimal places");
        ok = false;
    } else if let Some(p) = literal_int(&c.args[1])
        && !(0..=MAX_PLACES).contains(&p)
    {
        let help = if p < 0 {
            "to round to tens or hundreds, divide first: `round(x / 100) * 100`"
        } else {
            "a decimal has at most 28 places"
        };
        let span = c.args[1].span;
        c.err_help(TypeErrorKind::Places(p), span, help.into());
        ok = false;
    }
    if n == 3 {
        let span = c.args[2].span;
        match &c.args[2].kind {
            ExprKind::Lit(Literal::Str(m)) if mode(m).is_some() => {}
            ExprKind::Lit(Literal::Str(m)) => {
                let names = MODES.iter().map(|(n, _)| *n);
                let near = did_you_mean(m, names.clone());
                let ambiguous = match &**m {
                    "half_up" | "half_down" | "up" | "down" => format!(
                        "`{m}` means one thing or another for negative numbers: say which; "
                    ),
                    _ => String::new(),
                };
                let help = format!(
                    "{ambiguous}the modes are {}{near}",
                    names.collect::<Vec<_>>().join(", ")
                );
                c.err_help(TypeErrorKind::RoundingMode(m.to_string()), span, help);
                ok = false;
            }
            _ => {
                let help = "write it out, such as `\"half_even\"`, so that it is checked when the policy loads";
                c.err_help(TypeErrorKind::ModeNotLiteral, span, help.into());
                ok = false;
            }
        }
    }
    ok.then_some(Type::Decimal)
}

/// The value of an integer literal, negative or not (`2`, `-2`).
fn literal_int(e: &Expr) -> Option<i64> {
    match &e.kind {
        ExprKind::Lit(Literal::Int(n)) => Some(*n),
        ExprKind::Neg(inner) => literal_int(inner).and_then(i64::checked_neg),
        _ => None,
    }
}

/// The first argument rounded by `strategy`: to an integer, or to the
/// places the second argument gives (exactly that many: `round(2.5, 2)`
/// is 2.50).
fn rounded(c: &CallEval<'_>, strategy: RoundingStrategy) -> Evaluated {
    let x = to_dec(&c.args[0]);
    let Some(places) = c.args.get(1) else {
        let r = x.round_dp_with_strategy(0, strategy);
        let n = r.to_i64().ok_or_else(|| c.fail(EvalErrorKind::Overflow))?;
        return Ok(Value::Int(n));
    };
    let Value::Int(p) = places else {
        return Err(unchecked(c));
    };
    let p = u32::try_from(*p)
        .ok()
        .filter(|p| i64::from(*p) <= MAX_PLACES)
        .ok_or_else(|| {
            c.fail(EvalErrorKind::Unsupported(format!(
                "`{}` rounds to 0 to {MAX_PLACES} decimal places, not {p}",
                c.name
            )))
        })?;
    let mut r = x.round_dp_with_strategy(p, strategy);
    if r.scale() < p {
        let mut wider = r;
        wider.rescale(p);
        if wider.scale() == p && wider == r {
            r = wider;
        }
    }
    Ok(Value::Decimal(r))
}

/// An argument of a type the checker would not have let through.
fn unchecked(c: &CallEval<'_>) -> Box<crate::lang::runtime::EvalError> {
    c.fail(EvalErrorKind::Unsupported(format!(
        "`{}` was given an argument of the wrong type",
        c.name
    )))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use super::*;
    use crate::core::value::EntryRef;
    use crate::lang::functions::{Context, find};
    use crate::lang::runtime::WorkingDays;
    use crate::lang::syntax::Span;

    /// An evaluation with nothing in it: the numbers' functions ask it
    /// nothing.
    struct Nothing;

    impl Context for Nothing {
        fn tracing(&self) -> bool {
            false
        }
        fn note(&mut self, _: String) {}
        fn calendar(&self, _: Option<&str>) -> Option<&dyn WorkingDays> {
            None
        }
        fn ancestor(&self, _: &EntryRef, _: &str) -> Value {
            Value::unknown("ancestor")
        }
        fn lookup(&mut self, _: usize, _: &[Value], _: Span) -> Evaluated {
            Ok(Value::unknown("lookup"))
        }
    }

    fn dec(s: &str) -> Value {
        Value::Decimal(Decimal::from_str(s).expect("a decimal"))
    }

    /// `name(args)` evaluated, written out with its scale (`2.50`).
    fn call(name: &'static str, args: &[Value]) -> String {
        let f = find(name).expect("a function");
        let plain = f.plain.as_ref().expect("plain");
        let mut cx = Nothing;
        let mut c = CallEval::new(
            &mut cx,
            f.name,
            args,
            None,
            &crate::lang::ast::Order::Natural,
            Span::new(0, 1),
        );
        match (plain.eval)(&mut c) {
            Ok(Value::Decimal(d)) => format!("{d}"),
            Ok(v) => format!(
                "{v} ({})",
                if matches!(v, Value::Int(_)) {
                    "int"
                } else {
                    "?"
                }
            ),
            Err(e) => format!("error: {}", e.kind),
        }
    }

    #[test]
    fn one_argument_rounds_to_an_integer() {
        assert_eq!(call("round", &[dec("2.5")]), "3 (int)");
        assert_eq!(call("round", &[dec("-2.5")]), "-3 (int)");
        assert_eq!(call("floor", &[dec("-2.5")]), "-3 (int)");
        assert_eq!(call("ceil", &[dec("2.1")]), "3 (int)");
    }

    #[test]
    fn places_round_to_that_many_decimals_half_away_from_zero() {
        assert_eq!(call("round", &[dec("1200.505"), Value::Int(2)]), "1200.51");
        assert_eq!(
            call("round", &[dec("-1200.505"), Value::Int(2)]),
            "-1200.51"
        );
        assert_eq!(call("round", &[dec("1200.504"), Value::Int(2)]), "1200.50");
        // Exactly that many places, as the law writes the sum.
        assert_eq!(call("round", &[dec("2.5"), Value::Int(2)]), "2.50");
        assert_eq!(call("round", &[Value::Int(7), Value::Int(2)]), "7.00");
        assert_eq!(call("round", &[dec("2.5"), Value::Int(0)]), "3");
        assert_eq!(call("floor", &[dec("1.239"), Value::Int(2)]), "1.23");
        assert_eq!(call("floor", &[dec("-1.231"), Value::Int(2)]), "-1.24");
        assert_eq!(call("ceil", &[dec("1.231"), Value::Int(2)]), "1.24");
        assert_eq!(call("ceil", &[dec("-1.239"), Value::Int(2)]), "-1.23");
    }

    #[test]
    fn a_mode_says_how_to_round() {
        let at = |x: &str, m: &str| call("round", &[dec(x), Value::Int(1), Value::str(m)]);
        assert_eq!(at("0.25", "half_away_from_zero"), "0.3");
        assert_eq!(at("0.25", "half_even"), "0.2");
        assert_eq!(at("0.35", "half_even"), "0.4");
        assert_eq!(at("-0.25", "half_even"), "-0.2");
        assert_eq!(at("0.25", "half_toward_zero"), "0.2");
        assert_eq!(at("-0.25", "half_toward_zero"), "-0.2");
        assert_eq!(at("0.21", "away_from_zero"), "0.3");
        assert_eq!(at("-0.21", "away_from_zero"), "-0.3");
        assert_eq!(at("0.29", "toward_zero"), "0.2");
        assert_eq!(at("-0.29", "toward_zero"), "-0.2");
    }

    #[test]
    fn places_computed_out_of_range_stop_the_evaluation() {
        assert_eq!(
            call("round", &[dec("1.5"), Value::Int(-1)]),
            "error: `round` rounds to 0 to 28 decimal places, not -1"
        );
        assert_eq!(
            call("ceil", &[dec("1.5"), Value::Int(40)]),
            "error: `ceil` rounds to 0 to 28 decimal places, not 40"
        );
    }
}
