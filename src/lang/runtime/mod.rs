//! What the language's functions and operators need at run time, below
//! any policy: the errors an evaluation can end in, three-valued truth,
//! and the arithmetic of values, dates and durations. A working-day
//! calendar is asked through [`WorkingDays`], which a policy's calendars
//! answer.

mod err;
pub mod tri;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

pub use err::{CalendarError, EvalError, EvalErrorKind};

use std::cmp::Ordering;
use std::sync::Arc;

use crate::core::value::{Duration, Unit, Value, compare, in_years};
use crate::lang::ast::Order;

/// A working-day calendar, as the language asks it.
pub trait WorkingDays {
    fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarError>;
    /// `d` if it is a working day, else the first working day after it.
    fn next_working_day(&self, d: NaiveDate) -> Result<NaiveDate, CalendarError>;
    /// The `n`-th working day after `d`, `d` itself not counted (before
    /// `d` for a negative `n`; `d` itself for 0).
    fn add_working_days(&self, d: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError>;
    /// The working days after `a` up to and including `b` (negative when
    /// `b` is before `a`).
    fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError>;
}

/// Unknown, missing everything that any of `vs` misses.
pub fn unknown_of<'v>(vs: impl IntoIterator<Item = &'v Value>) -> Option<Value> {
    let mut m: Option<crate::core::value::Missing> = None;
    for v in vs {
        if let Value::Unknown(x) = v {
            m = Some(match m {
                None => x.clone(),
                Some(m) => crate::core::value::union(m, x.clone()),
            });
        }
    }
    m.map(Value::Unknown)
}

/// The place of `v` among an enumeration's `members`, in their order of
/// declaration: what an ordering comparison, `min`, `max` and a range cell
/// of an enumeration compare. A value that is not a member has no place:
/// an error, never a guess.
pub fn rank(v: &Value, members: &[Arc<str>]) -> Result<usize, EvalErrorKind> {
    if let Value::Str(s) = v
        && let Some(i) = members.iter().position(|m| **m == **s)
    {
        return Ok(i);
    }
    Err(EvalErrorKind::NotAMember {
        value: match v {
            Value::Str(s) => s.to_string(),
            other => other.to_string(),
        },
        members: members.join(", "),
    })
}

/// How `a` compares with `b` in `order`: their own order, or their places
/// among an enumeration's members; `None` for values that do not compare.
pub fn compare_in(order: &Order, a: &Value, b: &Value) -> Result<Option<Ordering>, EvalErrorKind> {
    match order {
        Order::Natural => Ok(compare(a, b)),
        Order::Members(m) => Ok(Some(rank(a, m)?.cmp(&rank(b, m)?))),
    }
}

/// The same-numbered day `n` months later (earlier if negative), or the
/// month's last day; `None` outside the years 0001 to 9999.
pub fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let m = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
    let r = if n >= 0 {
        d.checked_add_months(m)
    } else {
        d.checked_sub_months(m)
    };
    r.filter(|d| in_years(*d))
}

/// `d` if it is within the years 0001 to 9999 a date may have, else the
/// evaluation error: every date the language computes passes here (or
/// through [`add_months`]).
pub fn date_in_years(d: NaiveDate) -> Result<NaiveDate, EvalErrorKind> {
    if in_years(d) {
        Ok(d)
    } else {
        Err(EvalErrorKind::DateOutOfRange)
    }
}

/// Whole months from `a` to `b`: the largest `m` with `add_months(a, m) <= b`
/// (negated, from `b` to `a`, when `b` is earlier).
pub fn months_between(a: NaiveDate, b: NaiveDate) -> Option<i64> {
    if b < a {
        return months_between(b, a).map(|m| -m);
    }
    let mut m = i64::from(b.year() - a.year()) * 12 + i64::from(b.month()) - i64::from(a.month());
    while m > 0 && add_months(a, m)? > b {
        m -= 1;
    }
    Some(m)
}

/// `date + duration`: calendar days, weeks, months or years, or working
/// days of `calendar`.
pub fn shift(
    d: NaiveDate,
    dur: Duration,
    sign: i64,
    calendar: Option<&dyn WorkingDays>,
) -> Result<NaiveDate, EvalErrorKind> {
    let n = dur.count.checked_mul(sign).ok_or(EvalErrorKind::Overflow)?;
    let r = match dur.unit {
        Unit::Days => d.checked_add_signed(
            chrono::Duration::try_days(n).ok_or(EvalErrorKind::DateOutOfRange)?,
        ),
        Unit::Weeks => d.checked_add_signed(
            chrono::Duration::try_weeks(n).ok_or(EvalErrorKind::DateOutOfRange)?,
        ),
        Unit::Months => add_months(d, n),
        Unit::Years => add_months(d, n.checked_mul(12).ok_or(EvalErrorKind::Overflow)?),
        Unit::WorkingDays => {
            let cal = calendar.ok_or_else(|| {
                EvalErrorKind::Unsupported(
                    "working days need a working-day calendar, and the policy declares none".into(),
                )
            })?;
            let r = cal
                .add_working_days(d, n)
                .map_err(EvalErrorKind::Calendar)?;
            return date_in_years(r);
        }
    };
    r.ok_or(EvalErrorKind::DateOutOfRange)
        .and_then(date_in_years)
}

pub fn to_dec(v: &Value) -> Decimal {
    match v {
        Value::Int(n) => Decimal::from(*n),
        Value::Decimal(d) => *d,
        _ => Decimal::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_follow_the_civil_code_convention() {
        assert_eq!(add_months(d("2021-01-31"), 1), Some(d("2021-02-28")));
        assert_eq!(add_months(d("2020-01-31"), 1), Some(d("2020-02-29")));
        assert_eq!(add_months(d("2021-03-15"), 3), Some(d("2021-06-15")));
        assert_eq!(add_months(d("2021-05-31"), -1), Some(d("2021-04-30")));
        assert_eq!(add_months(d("2020-02-29"), 12), Some(d("2021-02-28")));
    }

    #[test]
    fn months_between_counts_whole_months() {
        assert_eq!(months_between(d("2021-01-31"), d("2021-02-28")), Some(1));
        assert_eq!(months_between(d("2021-01-15"), d("2021-02-14")), Some(0));
        assert_eq!(months_between(d("2021-01-15"), d("2024-01-15")), Some(36));
        assert_eq!(months_between(d("2024-01-15"), d("2021-01-15")), Some(-36));
    }
}
