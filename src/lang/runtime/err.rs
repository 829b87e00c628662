//! Errors that can only be found when evaluating, each with the span of the
//! expression at fault.

use thiserror::Error;

use crate::lang::syntax::Span;

#[derive(Clone, Debug, Error, PartialEq)]
#[error("{kind}")]
pub struct EvalError {
    pub kind: EvalErrorKind,
    pub span: Span,
}

#[derive(Clone, Debug, Error, PartialEq)]
pub enum EvalErrorKind {
    /// `9223372036854775807 + 1`
    #[error("the result is too large")]
    Overflow,
    /// `1 / 0`
    #[error("division by zero")]
    DivisionByZero,
    /// `9999-12-31 + 1 day`
    #[error("the date falls outside the years 0001 to 9999 that a date may have")]
    DateOutOfRange,
    /// A lookup that no row of the table matches, in a table without a
    /// default.
    #[error("no row of table `{table}` matches {args}")]
    NoRow { table: String, args: String },
    /// Two rows of a `unique` table match, or two rows of an `any` table
    /// match with different results.
    #[error("rows {rows} of table `{table}` all match {args}, but the hit policy is `{hit}`")]
    Overlap {
        table: String,
        rows: String,
        args: String,
        hit: &'static str,
    },
    /// An ordering comparison, `min`, `max` or a range cell over an
    /// enumeration met a value that is not one of its members, and so has
    /// no place in its order.
    #[error("`{value}` is not one of {members}, so it has no place in their order")]
    NotAMember { value: String, members: String },
    /// `2021-03-15 + 1 month + 1 day` is fine, but `1 month + 1 day` is not:
    /// durations of different units do not add.
    #[error("{0}")]
    Unsupported(String),
    /// A working-day question about a year the calendar has no data for.
    #[error("{0}")]
    Calendar(CalendarError),
}

impl EvalError {
    pub fn new(kind: EvalErrorKind, span: Span) -> EvalError {
        EvalError { kind, span }
    }
}

/// A date the calendar cannot answer for.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct CalendarError {
    pub calendar: String,
    pub year: i32,
    pub first: i32,
    pub last: i32,
    /// For a year between the first and the last without data, why: its
    /// file is missing, or it is not among the years the calendar lists.
    pub gap: Option<String>,
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.gap {
            Some(why) => write!(
                f,
                "the working-day calendar `{}` has no data for {}, a year inside those it covers ({}-{}): {why}",
                self.calendar, self.year, self.first, self.last
            ),
            None => write!(
                f,
                "the working-day calendar `{}` has no data for {} (it covers {}-{})",
                self.calendar, self.year, self.first, self.last
            ),
        }
    }
}
