//! Functions of dates and date-times: calendar arithmetic and parts.

use super::{Args, Builtin, Function, Plain};
use crate::types::Type::{Date, DateTime, Int, Time};

pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "add_days",
        signature: "add_days(date, int) -> date",
        doc: "the date that many calendar days later (earlier if negative)",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Int], Date),
        }),
        quantifier: None,
        builtin: Builtin::AddDays,
    },
    Function {
        name: "add_months",
        signature: "add_months(date, int) -> date",
        doc: "the same-numbered day that many months later; the month's last day where that day is missing",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Int], Date),
        }),
        quantifier: None,
        builtin: Builtin::AddMonths,
    },
    Function {
        name: "add_years",
        signature: "add_years(date, int) -> date",
        doc: "the same day that many years later; 28 February for 29 February in a common year",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Int], Date),
        }),
        quantifier: None,
        builtin: Builtin::AddYears,
    },
    Function {
        name: "days_between",
        signature: "days_between(date, date) -> int",
        doc: "calendar days from the first date to the second (negative if earlier)",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Date], Int),
        }),
        quantifier: None,
        builtin: Builtin::DaysBetween,
    },
    Function {
        name: "months_between",
        signature: "months_between(date, date) -> int",
        doc: "whole months from the first date to the second, counted as add_months counts",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Date], Int),
        }),
        quantifier: None,
        builtin: Builtin::MonthsBetween,
    },
    Function {
        name: "years_between",
        signature: "years_between(date, date) -> int",
        doc: "whole years from the first date to the second, counted as add_years counts",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date, Date], Int),
        }),
        quantifier: None,
        builtin: Builtin::YearsBetween,
    },
    Function {
        name: "date_of",
        signature: "date_of(datetime) -> date",
        doc: "the date part",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[DateTime], Date),
        }),
        quantifier: None,
        builtin: Builtin::DateOf,
    },
    Function {
        name: "time_of",
        signature: "time_of(datetime) -> time",
        doc: "the time of day",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[DateTime], Time),
        }),
        quantifier: None,
        builtin: Builtin::TimeOf,
    },
    Function {
        name: "weekday",
        signature: "weekday(date) -> int",
        doc: "1 for Monday to 7 for Sunday",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| c.fixed(&[Date], Int),
        }),
        quantifier: None,
        builtin: Builtin::Weekday,
    },
];
