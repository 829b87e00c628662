//! Functions of a number: its absolute value and its roundings.

use super::{Args, Builtin, Function, Plain};
use crate::types::Type;

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
        }),
        quantifier: None,
        builtin: Builtin::Abs,
    },
    Function {
        name: "floor",
        signature: "floor(number) -> int",
        doc: "the greatest integer not above",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Type::Decimal], Type::Int),
        }),
        quantifier: None,
        builtin: Builtin::Floor,
    },
    Function {
        name: "ceil",
        signature: "ceil(number) -> int",
        doc: "the least integer not below",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Type::Decimal], Type::Int),
        }),
        quantifier: None,
        builtin: Builtin::Ceil,
    },
    Function {
        name: "round",
        signature: "round(number) -> int",
        doc: "the nearest integer, halves away from zero",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Type::Decimal], Type::Int),
        }),
        quantifier: None,
        builtin: Builtin::Round,
    },
];
