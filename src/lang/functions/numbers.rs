//! Functions of a number: its absolute value and its roundings.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::{Args, CallEval, Evaluated, Function, Plain};
use crate::core::value::Value;
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
        signature: "floor(number) -> int",
        doc: "the greatest integer not above",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Type::Decimal], Type::Int),
            eval: |c| integer(c, |d| d.floor()),
        }),
        quantifier: None,
    },
    Function {
        name: "ceil",
        signature: "ceil(number) -> int",
        doc: "the least integer not below",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Type::Decimal], Type::Int),
            eval: |c| integer(c, |d| d.ceil()),
        }),
        quantifier: None,
    },
    Function {
        name: "round",
        signature: "round(number) -> int",
        doc: "the nearest integer, halves away from zero",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Type::Decimal], Type::Int),
            eval: |c| {
                integer(c, |d| {
                    d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                })
            },
        }),
        quantifier: None,
    },
];

/// The argument rounded to an integer by `round`.
fn integer(c: &CallEval<'_>, round: impl Fn(Decimal) -> Decimal) -> Evaluated {
    let r = round(to_dec(&c.args[0]));
    let n = r.to_i64().ok_or_else(|| c.fail(EvalErrorKind::Overflow))?;
    Ok(Value::Int(n))
}
