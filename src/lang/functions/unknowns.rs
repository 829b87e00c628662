//! Functions of unknown values: the only ones that see an unknown argument
//! rather than give unknown for it.

use super::{Args, Function, Plain};
use crate::core::value::Value;
use crate::lang::types::Type;

pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "is_known",
        signature: "is_known(x) -> bool",
        doc: "whether the value is known; never unknown itself",
        plain: Some(Plain {
            args: Args::Lenient,
            check: |c| match c.types.len() {
                1 => Some(Type::Bool),
                _ => c.arity("1 argument"),
            },
            eval: |c| Ok(Value::Bool(!c.args[0].is_unknown())),
        }),
        quantifier: None,
    },
    Function {
        name: "default",
        signature: "default(x, fallback)",
        doc: "x when known, else fallback",
        plain: Some(Plain {
            args: Args::Lenient,
            check: |c| match c.types.as_slice() {
                [a, _] => {
                    let a = a.clone();
                    match c.join() {
                        Ok(u) => Some(u),
                        Err(_) => {
                            let what = format!("a fallback of type `{a}`");
                            c.mismatch(1, &what)
                        }
                    }
                }
                _ => c.arity("2 arguments"),
            },
            eval: |c| {
                Ok(if c.args[0].is_unknown() {
                    c.args[1].clone()
                } else {
                    c.args[0].clone()
                })
            },
        }),
        quantifier: None,
    },
];
