//! Syntax errors of expressions, type declarations and table cells.

use thiserror::Error;

use crate::core::span::Span;

/// A syntax error, with the span it was found at (relative to the text that
/// was parsed).
#[derive(Clone, Debug, Error, PartialEq)]
#[error("{kind}")]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
}

#[derive(Clone, Debug, Error, PartialEq)]
pub enum SyntaxErrorKind {
    /// `age >` : the parser expected something else where it stopped.
    #[error("expected {expected}, found {found}")]
    Unexpected { expected: String, found: String },
    /// `2021-02-30`
    #[error("`{0}` is not a date of the calendar")]
    BadDate(String),
    /// `0000-03-15`
    #[error("`{0}` is outside the years 0001 to 9999 that a date may have")]
    YearOutOfRange(String),
    /// `25:00`
    #[error("`{0}` is not a time of day")]
    BadTime(String),
    /// `23:59:60`: a leap second, which chrono reads.
    #[error(
        "`{0}` is not a time of day: seconds run from 00 to 59, and a leap second is not counted"
    )]
    LeapSecond(String),
    /// `99999999999999999999`
    #[error("{} is too large for an integer", crate::core::value::quote(.0))]
    IntegerTooLarge(String),
    /// `1.00000000000000000000000000000001`, which a decimal would round:
    /// the message says why.
    #[error("{0}")]
    BadDecimal(String),
    /// `enum(a, a)`
    #[error("`{0}` appears twice in the enumeration")]
    DuplicateEnumMember(String),
    /// `((((((...))))))`, nested deeper than the parser can follow.
    #[error("the expression is nested more than {0} levels deep")]
    TooDeep(usize),
}

impl SyntaxError {
    pub fn new(kind: SyntaxErrorKind, span: Span) -> SyntaxError {
        SyntaxError { kind, span }
    }

    /// A hint for the commonest slips of people used to other languages.
    pub fn help(&self, text: &str) -> Option<String> {
        let rest = text.get(self.span.start..).unwrap_or("");
        let hint = if rest.starts_with("&&") {
            "write `and` instead of `&&`"
        } else if rest.starts_with("||") {
            "write `or` instead of `||`"
        } else if rest.starts_with('!') && !rest.starts_with("!=") {
            "write `not` instead of `!`"
        } else if rest.starts_with('=') && !rest.starts_with("==") {
            "write `==` to compare"
        } else if rest.starts_with('%') {
            "a percent is written right after its number, as in `20%`; `%` is nothing else (there is no remainder operator)"
        } else if rest.starts_with(':') {
            "a quantifier is written `all(x in list => condition)`"
        } else if rest.starts_with('<') || rest.starts_with('>') {
            "comparisons do not chain: write `a < b and b < c`"
        } else {
            match &self.kind {
                SyntaxErrorKind::BadDate(_) => "dates are written YYYY-MM-DD",
                SyntaxErrorKind::BadTime(_) => "times are written HH:MM or HH:MM:SS",
                SyntaxErrorKind::LeapSecond(_) => "the last second of a day is 23:59:59",
                SyntaxErrorKind::YearOutOfRange(_) => {
                    "a date is in the years 0001 to 9999, written YYYY-MM-DD"
                }
                SyntaxErrorKind::TooDeep(_) => "split it into computed values",
                _ => return None,
            }
        };
        Some(hint.to_string())
    }
}
