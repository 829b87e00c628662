//! Functions of lists (or of their arguments as a list): the least and
//! greatest, sums, counts, and the quantifiers.

use super::{Args, Builtin, CallCheck, Function, Plain, Quantifier};
use crate::types::Type;

pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "min",
        signature: "min(a, b, ...) | min(list)",
        doc: "the least of numbers, dates, times or strings; unknown if any is unknown",
        plain: Some(Plain {
            args: Args::Strict,
            check: extremum_type,
        }),
        quantifier: None,
        builtin: Builtin::Min,
    },
    Function {
        name: "max",
        signature: "max(a, b, ...) | max(list)",
        doc: "the greatest of numbers, dates, times or strings; unknown if any is unknown",
        plain: Some(Plain {
            args: Args::Strict,
            check: extremum_type,
        }),
        quantifier: None,
        builtin: Builtin::Max,
    },
    Function {
        name: "sum",
        signature: "sum(list<number>) | sum(x in list => number)",
        doc: "the sum; 0 for an empty list",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| match c.types.as_slice() {
                [Type::List(t)] if t.is_numeric() || **t == Type::Any => {
                    Some(if **t == Type::Any {
                        Type::Int
                    } else {
                        (**t).clone()
                    })
                }
                [_] => c.mismatch(0, "a list of numbers"),
                _ => c.arity("1 argument"),
            },
        }),
        quantifier: Some(Quantifier {
            check: |q| {
                if q.body.is_numeric() {
                    Some(q.body.clone())
                } else {
                    q.mismatch("a number to sum")
                }
            },
        }),
        builtin: Builtin::Sum,
    },
    Function {
        name: "count",
        signature: "count(list) | count(x in list => bool)",
        doc: "the number of elements, or of elements for which the condition holds",
        plain: Some(Plain {
            args: Args::Lenient,
            check: |c| match c.types.as_slice() {
                [Type::List(_)] => Some(Type::Int),
                [_] => c.mismatch(0, "a list"),
                _ => c.arity("1 argument"),
            },
        }),
        quantifier: Some(Quantifier {
            check: |q| q.condition().map(|()| Type::Int),
        }),
        builtin: Builtin::Count,
    },
    Function {
        name: "any",
        signature: "any(list<bool>) | any(x in list => bool)",
        doc: "true if one holds; false if none holds and none is unknown; else unknown",
        plain: Some(Plain {
            args: Args::Lenient,
            check: truths_type,
        }),
        quantifier: Some(Quantifier {
            check: |q| q.condition().map(|()| Type::Bool),
        }),
        builtin: Builtin::Any,
    },
    Function {
        name: "all",
        signature: "all(list<bool>) | all(x in list => bool)",
        doc: "false if one fails; true if all hold; else unknown",
        plain: Some(Plain {
            args: Args::Lenient,
            check: truths_type,
        }),
        quantifier: Some(Quantifier {
            check: |q| q.condition().map(|()| Type::Bool),
        }),
        builtin: Builtin::All,
    },
    Function {
        name: "filter",
        signature: "filter(x in list => bool)",
        doc: "the elements for which the condition holds, in order",
        plain: None,
        quantifier: Some(Quantifier {
            check: |q| {
                q.condition()?;
                Some(Type::List(Box::new(q.elem.clone())))
            },
        }),
        builtin: Builtin::Filter,
    },
    Function {
        name: "map",
        signature: "map(x in list => expr)",
        doc: "the expression evaluated for each element, in order",
        plain: None,
        quantifier: Some(Quantifier {
            check: |q| Some(Type::List(Box::new(q.body.clone()))),
        }),
        builtin: Builtin::Map,
    },
];

/// `min` and `max`: of several values of one ordered type, or of a list of
/// them.
fn extremum_type(c: &mut CallCheck<'_, '_>) -> Option<Type> {
    let items: Vec<Type> = match c.types.as_slice() {
        [] => return c.arity("at least one argument"),
        [Type::List(t)] => vec![(**t).clone()],
        ts => ts.to_vec(),
    };
    let mut acc = Type::Any;
    for (i, t) in items.iter().enumerate() {
        match acc.unify(t) {
            Some(u) => acc = u,
            None => return c.mismatch(i, &format!("`{acc}` like the others")),
        }
    }
    if acc.is_ordered() {
        Some(acc)
    } else {
        c.mismatch(0, "numbers, dates, times or strings")
    }
}

/// `any` and `all` of a list of conditions.
fn truths_type(c: &mut CallCheck<'_, '_>) -> Option<Type> {
    match c.types.as_slice() {
        [Type::List(t)] if t.fits(&Type::Bool) => Some(Type::Bool),
        [_] => c.mismatch(0, "a list of `bool`"),
        _ => c.arity("1 argument"),
    }
}
