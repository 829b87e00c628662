//! Functions of dates and date-times: calendar arithmetic and parts.

use chrono::{Datelike, NaiveDate};

use super::{Args, Function, Plain};
use crate::core::value::{Duration, Unit, Value};
use crate::lang::runtime::{EvalErrorKind, add_months, months_between, shift};
use crate::lang::types::Type::{Date, DateTime, Int, Time};

pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "add_days",
        signature: "add_days(date, int) -> date",
        doc: "the date that many calendar days later (earlier if negative)",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Int], Date),
            eval: |c| {
                let days = Duration {
                    count: int(&c.args[1]),
                    unit: Unit::Days,
                };
                let d = shift(date(&c.args[0]), days, 1, None).map_err(|k| c.fail(k))?;
                Ok(Value::Date(d))
            },
        }),
        quantifier: None,
    },
    Function {
        name: "add_months",
        signature: "add_months(date, int) -> date",
        doc: "the same-numbered day that many months later; the month's last day where that day is missing",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Int], Date),
            eval: |c| {
                let d = add_months(date(&c.args[0]), int(&c.args[1]));
                Ok(Value::Date(
                    d.ok_or_else(|| c.fail(EvalErrorKind::DateOutOfRange))?,
                ))
            },
        }),
        quantifier: None,
    },
    Function {
        name: "add_years",
        signature: "add_years(date, int) -> date",
        doc: "the same day that many years later; 28 February for 29 February in a common year",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Int], Date),
            eval: |c| {
                let months = int(&c.args[1]).checked_mul(12);
                let months = months.ok_or_else(|| c.fail(EvalErrorKind::DateOutOfRange))?;
                let d = add_months(date(&c.args[0]), months);
                Ok(Value::Date(
                    d.ok_or_else(|| c.fail(EvalErrorKind::DateOutOfRange))?,
                ))
            },
        }),
        quantifier: None,
    },
    Function {
        name: "days_between",
        signature: "days_between(date, date) -> int",
        doc: "calendar days from the first date to the second (negative if earlier)",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Date], Int),
            eval: |c| Ok(Value::Int((date(&c.args[1]) - date(&c.args[0])).num_days())),
        }),
        quantifier: None,
    },
    Function {
        name: "months_between",
        signature: "months_between(date, date) -> int",
        doc: "whole months from the first date to the second, counted as add_months counts",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Date], Int),
            eval: |c| {
                let m = months_between(date(&c.args[0]), date(&c.args[1]));
                Ok(Value::Int(
                    m.ok_or_else(|| c.fail(EvalErrorKind::DateOutOfRange))?,
                ))
            },
        }),
        quantifier: None,
    },
    Function {
        name: "years_between",
        signature: "years_between(date, date) -> int",
        doc: "whole years from the first date to the second, counted as add_years counts",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Date], Int),
            eval: |c| {
                let m = months_between(date(&c.args[0]), date(&c.args[1]));
                Ok(Value::Int(
                    m.ok_or_else(|| c.fail(EvalErrorKind::DateOutOfRange))? / 12,
                ))
            },
        }),
        quantifier: None,
    },
    Function {
        name: "date_of",
        signature: "date_of(datetime) -> date",
        doc: "the date part",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[DateTime], Date),
            eval: |c| {
                Ok(match &c.args[0] {
                    Value::DateTime(d) => Value::Date(d.date()),
                    v => v.clone(),
                })
            },
        }),
        quantifier: None,
    },
    Function {
        name: "time_of",
        signature: "time_of(datetime) -> time",
        doc: "the time of day",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[DateTime], Time),
            eval: |c| {
                Ok(match &c.args[0] {
                    Value::DateTime(d) => Value::Time(d.time()),
                    v => v.clone(),
                })
            },
        }),
        quantifier: None,
    },
    Function {
        name: "weekday",
        signature: "weekday(date) -> int",
        doc: "1 for Monday to 7 for Sunday",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date], Int),
            eval: |c| {
                let day = date(&c.args[0]).weekday().number_from_monday();
                Ok(Value::Int(i64::from(day)))
            },
        }),
        quantifier: None,
    },
];

/// A date argument (the checker has made sure it is one).
pub(super) fn date(v: &Value) -> NaiveDate {
    match v {
        Value::Date(d) => *d,
        _ => NaiveDate::MIN,
    }
}

/// An integer argument (the checker has made sure it is one).
pub(super) fn int(v: &Value) -> i64 {
    match v {
        Value::Int(n) => *n,
        _ => 0,
    }
}
