//! The binary operators other than `and` and `or`, on values already
//! computed: arithmetic, comparison and membership, over values that may be
//! unknown.

use std::cmp::Ordering;
use std::sync::Arc;

use super::{R, fail};
use crate::core::value::{Duration, Value, compare, equal};
use crate::lang::ast::BinOp;
use crate::lang::runtime::tri::Tri;
use crate::lang::runtime::{EvalErrorKind, WorkingDays, rank, shift, to_dec, unknown_of};
use crate::lang::syntax::Span;
use crate::policy::calendar::Indexed;

/// Whether `x` is in `list`: true if an element equals it; unknown if none
/// does but some element is unknown; else false.
pub(super) fn member(x: &Value, list: &Value) -> Value {
    if let Some(u) = unknown_of([x, list]) {
        return u;
    }
    let Value::List(items) = list else {
        return Value::Bool(false);
    };
    if items
        .iter()
        .any(|item| !item.is_unknown() && equal(x, item))
    {
        return Value::Bool(true);
    }
    unknown_of(items.iter()).unwrap_or(Value::Bool(false))
}

/// An ordering comparison `op` of two members of the enumeration
/// `members`, by their places in it: unknown if either is unknown; an
/// error for a value that is not a member, which has no place.
pub(super) fn ranked(
    op: BinOp,
    x: &Value,
    y: &Value,
    members: &[Arc<str>],
) -> Result<Value, EvalErrorKind> {
    if let Some(u) = unknown_of([x, y]) {
        return Ok(u);
    }
    let o = rank(x, members)?.cmp(&rank(y, members)?);
    Ok(Value::Bool(holds(op, o)))
}

/// Whether the ordering comparison `op` holds of two values that compare
/// as `o`.
fn holds(op: BinOp, o: Ordering) -> bool {
    match op {
        BinOp::Lt => o == Ordering::Less,
        BinOp::Le => o != Ordering::Greater,
        BinOp::Gt => o == Ordering::Greater,
        _ => o != Ordering::Less,
    }
}

/// [`binary`], failing at `span`: the value is written where the caller
/// returns it, not copied there from a result of another type (a copy
/// that made each read of it wait on its writes).
pub(super) fn binary_at(
    op: BinOp,
    x: &Value,
    y: &Value,
    cal: Option<Indexed<'_>>,
    span: Span,
) -> R {
    match binary(op, x, y, cal) {
        Ok(v) => Ok(v),
        Err(k) => Err(fail(k, span)),
    }
}

/// A binary operator other than `and` and `or`, on values already computed.
#[inline(always)]
pub(super) fn binary(
    op: BinOp,
    x: &Value,
    y: &Value,
    cal: Option<Indexed<'_>>,
) -> Result<Value, EvalErrorKind> {
    use Value as V;
    if matches!(op, BinOp::In | BinOp::NotIn) {
        let m = member(x, y);
        return Ok(if op == BinOp::NotIn {
            Tri::of(&m).negate().into_value()
        } else {
            m
        });
    }
    if let Some(u) = unknown_of([x, y]) {
        return Ok(u);
    }
    let overflow = EvalErrorKind::Overflow;
    Ok(match op {
        BinOp::Eq => V::Bool(equal(x, y)),
        BinOp::Ne => V::Bool(!equal(x, y)),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let o = compare(x, y).ok_or_else(|| {
                EvalErrorKind::Unsupported(format!("`{x}` and `{y}` do not compare"))
            })?;
            V::Bool(holds(op, o))
        }
        BinOp::Add => match (x, y) {
            (V::Int(a), V::Int(b)) => V::Int(a.checked_add(*b).ok_or(overflow)?),
            (V::Int(_) | V::Decimal(_), V::Int(_) | V::Decimal(_)) => {
                V::Decimal(to_dec(x).checked_add(to_dec(y)).ok_or(overflow)?)
            }
            (V::Date(d), V::Duration(u)) | (V::Duration(u), V::Date(d)) => V::Date(shift(
                *d,
                *u,
                1,
                cal.as_ref().map(|c| c as &dyn WorkingDays),
            )?),
            (V::Str(a), V::Str(b)) => V::str(&format!("{a}{b}")),
            // A list and an empty one: the list itself, not a copy.
            (V::List(a), V::List(b)) if b.is_empty() => V::List(a.clone()),
            (V::List(a), V::List(b)) if a.is_empty() => V::List(b.clone()),
            (V::List(a), V::List(b)) => {
                V::List(Arc::new(a.iter().chain(b.iter()).cloned().collect()))
            }
            _ => {
                return Err(EvalErrorKind::Unsupported(format!(
                    "cannot add `{x}` and `{y}`"
                )));
            }
        },
        BinOp::Sub => match (x, y) {
            (V::Int(a), V::Int(b)) => V::Int(a.checked_sub(*b).ok_or(overflow)?),
            (V::Int(_) | V::Decimal(_), V::Int(_) | V::Decimal(_)) => {
                V::Decimal(to_dec(x).checked_sub(to_dec(y)).ok_or(overflow)?)
            }
            (V::Date(d), V::Duration(u)) => V::Date(shift(
                *d,
                *u,
                -1,
                cal.as_ref().map(|c| c as &dyn WorkingDays),
            )?),
            (V::Date(a), V::Date(b)) => V::Int((*a - *b).num_days()),
            _ => {
                return Err(EvalErrorKind::Unsupported(format!(
                    "cannot subtract `{y}` from `{x}`"
                )));
            }
        },
        BinOp::Mul => match (x, y) {
            (V::Int(a), V::Int(b)) => V::Int(a.checked_mul(*b).ok_or(overflow)?),
            (V::Int(n), V::Duration(d)) | (V::Duration(d), V::Int(n)) => V::Duration(Duration {
                count: d.count.checked_mul(*n).ok_or(overflow)?,
                unit: d.unit,
            }),
            _ => V::Decimal(to_dec(x).checked_mul(to_dec(y)).ok_or(overflow)?),
        },
        BinOp::Div => {
            let d = to_dec(y);
            if d.is_zero() {
                return Err(EvalErrorKind::DivisionByZero);
            }
            V::Decimal(to_dec(x).checked_div(d).ok_or(overflow)?)
        }
        BinOp::And | BinOp::Or | BinOp::In | BinOp::NotIn => unreachable!("handled by the caller"),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn membership_is_three_valued() {
        let l = Value::List(Arc::new(vec![Value::Int(1), Value::unknown("x")]));
        assert_eq!(member(&Value::Int(1), &l), Value::Bool(true));
        assert!(member(&Value::Int(2), &l).is_unknown());
        let known = Value::List(Arc::new(vec![Value::Int(1)]));
        assert_eq!(member(&Value::Int(2), &known), Value::Bool(false));
    }

    #[test]
    fn members_compare_by_their_places_and_a_stranger_is_an_error() {
        let members: Vec<Arc<str>> = ["below_a1", "a1", "b1"].map(Arc::from).to_vec();
        let v = |s: &str| Value::str(s);
        let at_least = |x: &str, y: &str| ranked(BinOp::Ge, &v(x), &v(y), &members);
        // As text, "below_a1" >= "b1".
        assert_eq!(at_least("below_a1", "b1"), Ok(Value::Bool(false)));
        assert_eq!(at_least("b1", "a1"), Ok(Value::Bool(true)));
        assert_eq!(
            ranked(BinOp::Lt, &v("a1"), &v("a1"), &members),
            Ok(Value::Bool(false))
        );
        assert!(
            ranked(BinOp::Lt, &Value::unknown("level"), &v("zz"), &members)
                .is_ok_and(|u| u.is_unknown()),
            "unknown before any member is looked for"
        );
        assert_eq!(
            at_least("c1", "a1"),
            Err(EvalErrorKind::NotAMember {
                value: "c1".into(),
                members: "below_a1, a1, b1".into()
            })
        );
    }

    #[test]
    fn arithmetic_errors_are_reported_not_panics() {
        assert_eq!(
            binary(BinOp::Add, &Value::Int(i64::MAX), &Value::Int(1), None),
            Err(EvalErrorKind::Overflow)
        );
        assert_eq!(
            binary(BinOp::Div, &Value::Int(1), &Value::Int(0), None),
            Err(EvalErrorKind::DivisionByZero)
        );
        assert_eq!(
            binary(BinOp::Div, &Value::Int(1), &Value::Int(4), None),
            Ok(Value::Decimal(rust_decimal::Decimal::new(25, 2)))
        );
    }
}
