//! What the type checker and the functions' type rules share: the names
//! an expression may use ([`Env`]), and type errors, each with the span of
//! the expression at fault.

use std::collections::HashMap;

use thiserror::Error;

use crate::lang::ast::Resolution;
use crate::lang::syntax::Span;
use crate::lang::types::Type;
/// The built-in name of the date an evaluation is made at (its `at`), a
/// `date` every expression evaluated at a date may read. No input,
/// parameter or computed value may take it.
pub const EVALUATION_DATE: &str = "evaluation_date";

/// Whether the expressions checked in an [`Env`] may read
/// [`EVALUATION_DATE`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateUse {
    /// They are evaluated at a date, which it is.
    #[default]
    Known,
    /// They are evaluated before the date is known: why, in words.
    Unknown(&'static str),
}

/// The names an expression may use, with their types.
#[derive(Debug, Default)]
pub struct Env {
    pub globals: HashMap<String, (Resolution, Type)>,
    /// Whether [`EVALUATION_DATE`] may be read.
    pub evaluation_date: DateUse,
    /// Tables by name: their index, column types and result type.
    pub tables: HashMap<String, (usize, Vec<Type>, Type)>,
    /// The working-day calendars the policy declares, the default first.
    pub calendars: Vec<String>,
    /// Catalogues by name.
    pub catalogues: HashMap<String, CatalogueInfo>,
    /// The package's own functions: each one's place, its parameters'
    /// types and its result's type (`any` until its body is checked).
    pub functions: HashMap<String, UserFunction>,
    /// The computed values whose text mixes an enumeration's members with
    /// other text (see [`crate::lang::check::Checked`]): text with no
    /// members' order, which the checker refuses to order.
    pub mixed: std::collections::HashSet<String>,
}

/// A function the package declares, as calls of it see it.
#[derive(Clone, Debug)]
pub struct UserFunction {
    pub place: usize,
    pub params: Vec<(String, Type)>,
    pub returns: Type,
}

/// What the checker knows of a catalogue.
#[derive(Debug, Default)]
pub struct CatalogueInfo {
    pub kinds: Vec<String>,
    pub attributes: Vec<(String, Type)>,
    pub ids: std::collections::HashSet<String>,
}

#[derive(Clone, Debug, Error, PartialEq)]
#[error("{kind}")]
pub struct TypeError {
    pub kind: TypeErrorKind,
    pub span: Span,
    pub help: Option<String>,
}

#[derive(Clone, Debug, Error, PartialEq)]
pub enum TypeErrorKind {
    /// `agee > 3` where no input, parameter or value is called `agee`.
    #[error("unknown name `{0}`")]
    UnknownName(String),
    /// `education.highr`
    #[error("`{ty}` has no field `{field}`")]
    UnknownField { field: String, ty: String },
    /// `age.years` where `age` is an `int`.
    #[error("`{0}` is not a record and has no fields")]
    NotARecord(Type),
    /// `evaluation_date` where the date is not yet known: why.
    #[error("`evaluation_date` cannot be read here: {0}")]
    NoEvaluationDate(&'static str),
    /// `maximum(1, 2)`
    #[error("unknown function `{0}`")]
    UnknownFunction(String),
    /// `add_days(d)`
    #[error("`{func}` takes {expected}, but {found} {} given", if *found == 1 { "was" } else { "were" })]
    Arity {
        func: String,
        expected: String,
        found: usize,
    },
    /// `filter(xs)` or `add_days(x in xs => x)`
    #[error("`{func}` cannot be called {how}")]
    WrongForm { func: String, how: &'static str },
    /// `if 1 then ...`
    #[error("expected {expected}, found `{found}`")]
    Mismatch { expected: String, found: Type },
    /// `date + true`
    #[error("`{op}` cannot be applied to `{left}` and `{right}`")]
    Operands { op: String, left: Type, right: Type },
    /// `-true`
    #[error("`{op}` cannot be applied to `{ty}`")]
    Operand { op: String, ty: Type },
    /// `if c then 1 else "a"`
    #[error("the branches have different types: `{0}` and `{1}`")]
    Branches(Type, Type),
    /// `[1, "a"]`
    #[error("the list mixes `{0}` and `{1}`")]
    ListElements(Type, Type),
    /// `service == "isue"` where `service` is `enum(issue, extend)`.
    #[error("`{value}` is not one of {members}")]
    NotAMember { value: String, members: String },
    /// `level < other_level` where the two are of different enumerations.
    #[error("`{op}` cannot order members of two different enumerations, `{left}` and `{right}`")]
    Enumerations { op: String, left: Type, right: Type },
    /// `level < name` where `level` is of an enumeration and `name` is text
    /// that is not one of its members written out.
    #[error(
        "`{op}` cannot order members of `{ty}` against text that is not one of them written out"
    )]
    EnumAgainstText { op: String, ty: Type },
    /// `(if c then level else other_level) < "b1"`: text made from two
    /// enumerations, or from one and other text, has no members' order.
    #[error("`{op}` cannot order text that mixes an enumeration's members with other text")]
    MixedText { op: String },
    /// `lookup(no_such_table, 1)`
    #[error("unknown table `{0}`")]
    UnknownTable(String),
    /// `all(service in xs: ...)` where `service` is an input.
    #[error("`{0}` is already a name; choose another for the variable")]
    Shadowing(String),
    /// `add_working_days(d, 5)` in a policy that declares no calendar.
    #[error("`{0}` needs a working-day calendar, and the policy declares none")]
    NoCalendar(String),
    /// `add_working_days(d, 5, "xx")`
    #[error("unknown calendar `{0}`")]
    UnknownCalendar(String),
    /// `round(x, -2)`: a number of decimal places out of range.
    #[error("`{0}` is not a number of decimal places: it must be from 0 to 28")]
    Places(i64),
    /// `round(x, 2, "half_upp")`
    #[error("unknown rounding mode `{0}`")]
    RoundingMode(String),
    /// `round(x, 2, mode)` with a mode that is not a string literal.
    #[error("the rounding mode must be a string literal")]
    ModeNotLiteral,
    /// A computed value's expression does not fit its declared type.
    #[error("the value is declared `{declared}` but its expression is `{found}`")]
    Declared { declared: Type, found: Type },
    #[error(
        "`{0}` reads `{1}`, but a function reads only its parameters and the policy's parameters"
    )]
    NotPure(String, String),
}

impl TypeError {
    pub fn new(kind: TypeErrorKind, span: Span) -> TypeError {
        TypeError {
            kind,
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> TypeError {
        let h = help.into();
        if !h.is_empty() {
            self.help = Some(h);
        }
        self
    }

    pub fn code(&self) -> &'static str {
        match self.kind {
            TypeErrorKind::UnknownName(_)
            | TypeErrorKind::UnknownField { .. }
            | TypeErrorKind::NoEvaluationDate(_) => "unknown-name",
            TypeErrorKind::UnknownFunction(_) | TypeErrorKind::UnknownTable(_) => {
                "unknown-function"
            }
            TypeErrorKind::Arity { .. } | TypeErrorKind::WrongForm { .. } => "arity",
            _ => "type",
        }
    }
}
