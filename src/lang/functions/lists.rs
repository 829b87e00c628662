//! Functions of lists (or of their arguments as a list): the least and
//! greatest, sums, counts, and the quantifiers.

use std::cmp::Ordering;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::{Args, CallCheck, CallEval, Evaluated, Function, Plain, Quantified, Quantifier};
use crate::core::value::Value;
use crate::core::value::compare;
use crate::lang::ast::Order;
use crate::lang::env::TypeErrorKind;
use crate::lang::runtime::tri::Tri;
use crate::lang::runtime::{EvalErrorKind, rank, to_dec, unknown_of};
use crate::lang::types::Type;

pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "min",
        signature: "min(a, b, ...) | min(list)",
        doc: "the least of numbers, dates, times, strings, or an enumeration's members in their order; unknown if any is unknown",
        plain: Some(Plain {
            args: Args::Strict,
            check: extremum_type,
            eval: |c| extremum(c, Ordering::Less),
        }),
        quantifier: None,
    },
    Function {
        name: "max",
        signature: "max(a, b, ...) | max(list)",
        doc: "the greatest of numbers, dates, times, strings, or an enumeration's members in their order; unknown if any is unknown",
        plain: Some(Plain {
            args: Args::Strict,
            check: extremum_type,
            eval: |c| extremum(c, Ordering::Greater),
        }),
        quantifier: None,
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
            eval: |c| {
                match c.args {
                    [Value::List(items)] => sum(items),
                    _ => sum(&[]),
                }
                .map_err(|k| c.fail(k))
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
            eval: |q| sum(q.results).map_err(|k| q.fail(k)),
        }),
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
            // The length of a list is known even when its elements are not.
            eval: |c| {
                Ok(match &c.args[0] {
                    Value::List(items) => Value::Int(items.len() as i64),
                    other => other.clone(),
                })
            },
        }),
        quantifier: Some(Quantifier {
            check: |q| q.condition().map(|()| Type::Int),
            eval: |q| {
                if let Some(u) = unknown_of(q.results.iter()) {
                    return Ok(u);
                }
                let holds = q.results.iter().filter(|v| matches!(v, Value::Bool(true)));
                Ok(Value::Int(holds.count() as i64))
            },
        }),
    },
    Function {
        name: "any",
        signature: "any(list<bool>) | any(x in list => bool)",
        doc: "true if one holds; false if none holds and none is unknown; else unknown",
        plain: Some(Plain {
            args: Args::Lenient,
            check: truths_type,
            eval: |c| {
                Ok(match &c.args[0] {
                    Value::List(items) => any(items),
                    other => other.clone(),
                })
            },
        }),
        quantifier: Some(Quantifier {
            check: |q| q.condition().map(|()| Type::Bool),
            eval: |q| Ok(any(q.results)),
        }),
    },
    Function {
        name: "all",
        signature: "all(list<bool>) | all(x in list => bool)",
        doc: "false if one fails; true if all hold; else unknown",
        plain: Some(Plain {
            args: Args::Lenient,
            check: truths_type,
            eval: |c| {
                Ok(match &c.args[0] {
                    Value::List(items) => all(items),
                    other => other.clone(),
                })
            },
        }),
        quantifier: Some(Quantifier {
            check: |q| q.condition().map(|()| Type::Bool),
            eval: |q| Ok(all(q.results)),
        }),
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
            eval: filter,
        }),
    },
    Function {
        name: "map",
        signature: "map(x in list => expr)",
        doc: "the expression evaluated for each element, in order",
        plain: None,
        quantifier: Some(Quantifier {
            check: |q| Some(Type::List(Box::new(q.body.clone()))),
            eval: |q| Ok(Value::List(Arc::new(std::mem::take(q.results).into_vec()))),
        }),
    },
];

/// `min` and `max`: of several values of one ordered type, or of a list of
/// them. An enumeration's members are ordered by their order of
/// declaration, which the call records; a string literal among them is
/// taken as a member. Members of two different enumerations, or of one and
/// other text, have no order to compare in: an error.
fn extremum_type(c: &mut CallCheck<'_, '_>) -> Option<Type> {
    let name = c.name.to_string();
    let acc = match c.types.as_slice() {
        [] => return c.arity("at least one argument"),
        [Type::List(t)] => {
            let t = (**t).clone();
            if c.is_mixed(0) {
                return mixed(c, 0);
            }
            t
        }
        _ => match c.join() {
            Ok(t) => t,
            Err(misfits) => {
                let (i, acc) = misfits[0].clone();
                return c.mismatch(i, &format!("`{acc}` like the others"));
            }
        },
    };
    if acc == Type::String && c.types.len() > 1 {
        // Text: alphabetical, unless it came from an enumeration.
        let enums: Vec<(usize, Type)> = c
            .types
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t, Type::Enum(_)))
            .map(|(i, t)| (i, t.clone()))
            .collect();
        if let Some((_, first)) = enums.first()
            && let Some((i, other)) = enums.iter().find(|(_, t)| t != first)
        {
            let kind = TypeErrorKind::Enumerations {
                op: name,
                left: first.clone(),
                right: other.clone(),
            };
            let help =
                "each enumeration is ordered by its own members' order of declaration".into();
            return c.err_help(kind, c.args[*i].span, help);
        }
        if let Some((_, ty)) = enums.first() {
            let text = (0..c.types.len()).find(|i| c.types[*i] == Type::String);
            let at = text.map_or(c.span, |i| c.args[i].span);
            let kind = TypeErrorKind::EnumAgainstText {
                op: name,
                ty: ty.clone(),
            };
            let help = "write the members out, or give values of the one enumeration".into();
            return c.err_help(kind, at, help);
        }
        if let Some(i) = (0..c.types.len()).find(|i| c.is_mixed(*i)) {
            return mixed(c, i);
        }
    }
    match acc {
        Type::Enum(members) => {
            c.order = Order::Members(members.clone());
            Some(Type::Enum(members))
        }
        t if t.is_ordered() => Some(t),
        _ => c.mismatch(
            0,
            "numbers, dates, times, strings or an enumeration's members",
        ),
    }
}

/// Reports argument `i` of `min` or `max` as text that mixes an
/// enumeration's members with other text.
fn mixed(c: &mut CallCheck<'_, '_>, i: usize) -> Option<Type> {
    let kind = TypeErrorKind::MixedText { op: c.name.into() };
    let help = "keep to one enumeration, so that its members' order applies".into();
    c.err_help(kind, c.args[i].span, help)
}

/// `min` (`want` less) or `max` (`want` greater); a decimal if the values
/// mix integers and decimals. The members of an enumeration compare in
/// the order the call records; one that is not a member is an error.
fn extremum(c: &mut CallEval<'_>, want: Ordering) -> Evaluated {
    let flat: &[Value] = match c.args {
        [Value::List(items)] => items.as_slice(),
        args => args,
    };
    let Some(first) = flat.first() else {
        let message = format!("`{}` of an empty list", c.name);
        return Err(c.fail(EvalErrorKind::Unsupported(message)));
    };
    let mut best = first.clone();
    let mut mixed = false;
    if let Order::Members(m) = c.order {
        // Every value is placed, the first too: none is passed over.
        let mut place = rank(first, m).map_err(|k| c.fail(k))?;
        for v in &flat[1..] {
            let p = rank(v, m).map_err(|k| c.fail(k))?;
            if p.cmp(&place) == want {
                (best, place) = (v.clone(), p);
            }
        }
        return Ok(best);
    }
    for v in &flat[1..] {
        if let (Value::Int(_), Value::Decimal(_)) | (Value::Decimal(_), Value::Int(_)) = (&best, v)
        {
            mixed = true;
        }
        if compare(v, &best) == Some(want) {
            best = v.clone();
        }
    }
    if mixed {
        best = Value::Decimal(to_dec(&best));
    }
    Ok(best)
}

/// The sum of numbers: unknown if one is, a decimal if one is.
pub(crate) fn sum(vs: &[Value]) -> Result<Value, EvalErrorKind> {
    if let Some(u) = unknown_of(vs) {
        return Ok(u);
    }
    if vs.iter().any(|v| matches!(v, Value::Decimal(_))) {
        let mut acc = Decimal::ZERO;
        for v in vs {
            acc = acc.checked_add(to_dec(v)).ok_or(EvalErrorKind::Overflow)?;
        }
        return Ok(Value::Decimal(acc));
    }
    let mut acc: i64 = 0;
    for v in vs {
        if let Value::Int(n) = v {
            acc = acc.checked_add(*n).ok_or(EvalErrorKind::Overflow)?;
        }
    }
    Ok(Value::Int(acc))
}

/// `any` and `all` of a list of conditions.
fn truths_type(c: &mut CallCheck<'_, '_>) -> Option<Type> {
    match c.types.as_slice() {
        [Type::List(t)] if t.fits(&Type::Bool) => Some(Type::Bool),
        [_] => c.mismatch(0, "a list of `bool`"),
        _ => c.arity("1 argument"),
    }
}

/// Whether one of the conditions holds, in three values.
fn any(vs: &[Value]) -> Value {
    vs.iter()
        .fold(Tri::False, |acc, v| acc.or(Tri::of(v)))
        .into_value()
}

/// Whether all the conditions hold, in three values.
fn all(vs: &[Value]) -> Value {
    vs.iter()
        .fold(Tri::True, |acc, v| acc.and(Tri::of(v)))
        .into_value()
}

fn filter(q: &mut Quantified<'_>) -> Evaluated {
    if let Some(u) = unknown_of(q.results.iter()) {
        return Ok(u);
    }
    let keep = |r: &Value| matches!(r, Value::Bool(true));
    // Every element kept: the list itself, not a copy.
    if q.results.iter().all(keep) {
        return Ok(q.list.clone());
    }
    let kept = q.items.iter().zip(q.results.iter());
    let kept = kept.filter(|(_, r)| keep(r)).map(|(i, _)| i.clone());
    Ok(Value::List(Arc::new(kept.collect())))
}
