//! The fixed function library of the expression language: names,
//! signatures in words, and what each does. The type checker gives each its
//! type rule; the evaluator implements it.

/// A function of the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Min,
    Max,
    Sum,
    Count,
    Any,
    All,
    Filter,
    Map,
    Abs,
    Floor,
    Ceil,
    Round,
    AddDays,
    AddMonths,
    AddYears,
    DaysBetween,
    MonthsBetween,
    YearsBetween,
    DateOf,
    TimeOf,
    Weekday,
    IsKnown,
    Default,
    Lookup,
    IsWorkingDay,
    NextWorkingDay,
    AddWorkingDays,
    WorkingDaysBetween,
    Ancestor,
}

/// How a function is called: with plain arguments, or as a quantifier
/// `f(x in list => body)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Plain,
    Quantifier,
    Both,
}

pub struct FunctionDoc {
    pub builtin: Builtin,
    pub name: &'static str,
    pub form: Form,
    pub signature: &'static str,
    pub doc: &'static str,
}

/// Every function, in the order the documentation lists them.
pub const LIBRARY: &[FunctionDoc] = &[
    FunctionDoc {
        builtin: Builtin::Min,
        name: "min",
        form: Form::Plain,
        signature: "min(a, b, ...) | min(list)",
        doc: "the least of numbers, dates, times or strings; unknown if any is unknown",
    },
    FunctionDoc {
        builtin: Builtin::Max,
        name: "max",
        form: Form::Plain,
        signature: "max(a, b, ...) | max(list)",
        doc: "the greatest of numbers, dates, times or strings; unknown if any is unknown",
    },
    FunctionDoc {
        builtin: Builtin::Sum,
        name: "sum",
        form: Form::Both,
        signature: "sum(list<number>) | sum(x in list => number)",
        doc: "the sum; 0 for an empty list",
    },
    FunctionDoc {
        builtin: Builtin::Count,
        name: "count",
        form: Form::Both,
        signature: "count(list) | count(x in list => bool)",
        doc: "the number of elements, or of elements for which the condition holds",
    },
    FunctionDoc {
        builtin: Builtin::Any,
        name: "any",
        form: Form::Both,
        signature: "any(list<bool>) | any(x in list => bool)",
        doc: "true if one holds; false if none holds and none is unknown; else unknown",
    },
    FunctionDoc {
        builtin: Builtin::All,
        name: "all",
        form: Form::Both,
        signature: "all(list<bool>) | all(x in list => bool)",
        doc: "false if one fails; true if all hold; else unknown",
    },
    FunctionDoc {
        builtin: Builtin::Filter,
        name: "filter",
        form: Form::Quantifier,
        signature: "filter(x in list => bool)",
        doc: "the elements for which the condition holds, in order",
    },
    FunctionDoc {
        builtin: Builtin::Map,
        name: "map",
        form: Form::Quantifier,
        signature: "map(x in list => expr)",
        doc: "the expression evaluated for each element, in order",
    },
    FunctionDoc {
        builtin: Builtin::Abs,
        name: "abs",
        form: Form::Plain,
        signature: "abs(number)",
        doc: "the absolute value",
    },
    FunctionDoc {
        builtin: Builtin::Floor,
        name: "floor",
        form: Form::Plain,
        signature: "floor(number) -> int",
        doc: "the greatest integer not above",
    },
    FunctionDoc {
        builtin: Builtin::Ceil,
        name: "ceil",
        form: Form::Plain,
        signature: "ceil(number) -> int",
        doc: "the least integer not below",
    },
    FunctionDoc {
        builtin: Builtin::Round,
        name: "round",
        form: Form::Plain,
        signature: "round(number) -> int",
        doc: "the nearest integer, halves away from zero",
    },
    FunctionDoc {
        builtin: Builtin::AddDays,
        name: "add_days",
        form: Form::Plain,
        signature: "add_days(date, int) -> date",
        doc: "the date that many calendar days later (earlier if negative)",
    },
    FunctionDoc {
        builtin: Builtin::AddMonths,
        name: "add_months",
        form: Form::Plain,
        signature: "add_months(date, int) -> date",
        doc: "the same-numbered day that many months later; the month's last day where that day is missing",
    },
    FunctionDoc {
        builtin: Builtin::AddYears,
        name: "add_years",
        form: Form::Plain,
        signature: "add_years(date, int) -> date",
        doc: "the same day that many years later; 28 February for 29 February in a common year",
    },
    FunctionDoc {
        builtin: Builtin::DaysBetween,
        name: "days_between",
        form: Form::Plain,
        signature: "days_between(date, date) -> int",
        doc: "calendar days from the first date to the second (negative if earlier)",
    },
    FunctionDoc {
        builtin: Builtin::MonthsBetween,
        name: "months_between",
        form: Form::Plain,
        signature: "months_between(date, date) -> int",
        doc: "whole months from the first date to the second, counted as add_months counts",
    },
    FunctionDoc {
        builtin: Builtin::YearsBetween,
        name: "years_between",
        form: Form::Plain,
        signature: "years_between(date, date) -> int",
        doc: "whole years from the first date to the second, counted as add_years counts",
    },
    FunctionDoc {
        builtin: Builtin::DateOf,
        name: "date_of",
        form: Form::Plain,
        signature: "date_of(datetime) -> date",
        doc: "the date part",
    },
    FunctionDoc {
        builtin: Builtin::TimeOf,
        name: "time_of",
        form: Form::Plain,
        signature: "time_of(datetime) -> time",
        doc: "the time of day",
    },
    FunctionDoc {
        builtin: Builtin::Weekday,
        name: "weekday",
        form: Form::Plain,
        signature: "weekday(date) -> int",
        doc: "1 for Monday to 7 for Sunday",
    },
    FunctionDoc {
        builtin: Builtin::IsKnown,
        name: "is_known",
        form: Form::Plain,
        signature: "is_known(x) -> bool",
        doc: "whether the value is known; never unknown itself",
    },
    FunctionDoc {
        builtin: Builtin::Default,
        name: "default",
        form: Form::Plain,
        signature: "default(x, fallback)",
        doc: "x when known, else fallback",
    },
    FunctionDoc {
        builtin: Builtin::Lookup,
        name: "lookup",
        form: Form::Plain,
        signature: "lookup(table, column values...)",
        doc: "the result of a declared decision table for the given column values",
    },
    FunctionDoc {
        builtin: Builtin::IsWorkingDay,
        name: "is_working_day",
        form: Form::Plain,
        signature: "is_working_day(date [, \"calendar\"]) -> bool",
        doc: "whether the day is a working day of the calendar (the policy's first calendar unless named)",
    },
    FunctionDoc {
        builtin: Builtin::NextWorkingDay,
        name: "next_working_day",
        form: Form::Plain,
        signature: "next_working_day(date [, \"calendar\"]) -> date",
        doc: "the date itself if it is a working day, else the first working day after it",
    },
    FunctionDoc {
        builtin: Builtin::AddWorkingDays,
        name: "add_working_days",
        form: Form::Plain,
        signature: "add_working_days(date, int [, \"calendar\"]) -> date",
        doc: "the n-th working day after the date, the date itself not counted (before it if n is negative)",
    },
    FunctionDoc {
        builtin: Builtin::WorkingDaysBetween,
        name: "working_days_between",
        form: Form::Plain,
        signature: "working_days_between(date, date [, \"calendar\"]) -> int",
        doc: "the working days after the first date up to and including the second",
    },
    FunctionDoc {
        builtin: Builtin::Ancestor,
        name: "ancestor",
        form: Form::Plain,
        signature: "ancestor(entry, \"kind\") -> entry",
        doc: "the entry itself or its nearest ancestor of that kind in its catalogue; unknown if there is none",
    },
];

pub fn find(name: &str) -> Option<&'static FunctionDoc> {
    LIBRARY.iter().find(|f| f.name == name)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    LIBRARY.iter().map(|f| f.name)
}
