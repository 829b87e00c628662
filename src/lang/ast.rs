//! The typed syntax tree of the expression language: data only.
//!
//! The parser builds it with every name unresolved; the type checker
//! resolves names and functions in place; the evaluator reads it.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

use crate::core::span::{Span, Spanned};
use crate::core::value::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Lit(Literal),
    /// A bare name: an input field, a parameter, a computed value or a
    /// variable bound by a quantifier.
    Name(Name),
    /// `record.field`
    Field(Box<Expr>, Spanned<String>),
    List(Vec<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    /// `a op b`, and for an ordering comparison the order it compares in,
    /// filled in by the type checker.
    Binary(BinOp, Box<Expr>, Box<Expr>, Order),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Call),
    /// `all(d in list => body)` and the like: `func`, the bound variable, the
    /// list and the body evaluated once per element.
    Quant(Quant),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    pub id: String,
    pub res: Resolution,
}

/// What a name refers to; filled in by the type checker.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Resolution {
    #[default]
    Unresolved,
    /// A field of the application, by its index in the input schema (the
    /// order a record read by `input` has its fields in).
    Input(usize),
    /// A parameter, by its index in declaration order.
    Param(usize),
    /// A computed value, by its index in evaluation order.
    Value(usize),
    /// A quantifier's variable, by its depth from the outermost binder.
    Local(usize),
    /// A table, as the first argument of `lookup`.
    Table(usize),
    /// The date the evaluation is made at, `evaluation_date`.
    EvaluationDate,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub func: Spanned<String>,
    pub args: Vec<Expr>,
    /// The function, once the checker has found it: its place in the
    /// library (`lang::functions::LIBRARY`).
    pub builtin: Option<usize>,
    /// Or the package's own function it calls, by its place in the
    /// package's `functions`.
    pub user: Option<usize>,
    /// For a function that orders its arguments (`min`, `max`), the order
    /// the checker found for their type.
    pub order: Order,
}

/// The order in which an ordering comparison (`<`, `<=`, `>`, `>=`), `min`
/// or `max` puts values: the type checker finds it from their type, since an
/// enumeration's members are text at run time.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Order {
    /// The values' own: numbers by size, dates and times by time, text
    /// alphabetically.
    #[default]
    Natural,
    /// An enumeration's: its members' order of declaration
    /// (`enum(below_a1, a1, a2)` has `below_a1 < a1`).
    Members(crate::lang::types::Members),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Quant {
    pub func: Spanned<String>,
    /// The function, once the checker has found it: its place in the
    /// library (`lang::functions::LIBRARY`).
    pub builtin: Option<usize>,
    pub var: Spanned<String>,
    pub list: Box<Expr>,
    pub body: Box<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Int(i64),
    Decimal(Decimal),
    /// `20%`: the decimal it stands for (0.20), written as a percent.
    Percent(Decimal),
    Bool(bool),
    /// Shared with every value made from it.
    Str(std::sync::Arc<str>),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Time(NaiveTime),
    Duration(Duration),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    And,
    Or,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// Calls `f` on this expression and every expression inside it.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Lit(_) | ExprKind::Name(_) => {}
            ExprKind::Field(e, _) | ExprKind::Neg(e) | ExprKind::Not(e) => e.walk(f),
            ExprKind::List(items) => items.iter().for_each(|e| e.walk(f)),
            ExprKind::Binary(_, a, b, _) => {
                a.walk(f);
                b.walk(f);
            }
            ExprKind::If(c, t, e) => {
                c.walk(f);
                t.walk(f);
                e.walk(f);
            }
            ExprKind::Call(c) => c.args.iter().for_each(|e| e.walk(f)),
            ExprKind::Quant(q) => {
                q.list.walk(f);
                q.body.walk(f);
            }
        }
    }

    /// The dotted path this expression names, if it is a name followed by
    /// field accesses (`education.higher`).
    pub fn path(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(n) => Some(n.id.clone()),
            ExprKind::Field(e, f) => e.path().map(|p| format!("{p}.{}", f.node)),
            _ => None,
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Int(n) => write!(f, "{n}"),
            Literal::Decimal(d) => write!(f, "{d}"),
            Literal::Percent(d) => write!(f, "{}%", percent_of(*d)),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Str(s) => write!(f, "{s:?}"),
            Literal::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Literal::DateTime(d) => write!(f, "{}", d.format("%Y-%m-%dT%H:%M:%S")),
            Literal::Time(t) => write!(f, "{}", t.format("%H:%M:%S")),
            Literal::Duration(d) => write!(f, "{d}"),
        }
    }
}

/// The number of percent a fraction is (0.20 is 20): exact, with the
/// places it was written with (`12.50%` stays 12.50).
pub fn percent_of(fraction: Decimal) -> Decimal {
    let mut d = fraction;
    if d.scale() >= 2 {
        d.set_scale(d.scale() - 2).map(|()| d).unwrap_or(fraction)
    } else {
        fraction
            .checked_mul(Decimal::ONE_HUNDRED)
            .unwrap_or(fraction)
    }
}

/// An S-expression rendering, for reading parse trees in tests.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Lit(l) => write!(f, "{l}"),
            ExprKind::Name(n) => write!(f, "{}", n.id),
            ExprKind::Field(e, name) => write!(f, "(. {e} {})", name.node),
            ExprKind::List(items) => {
                write!(f, "[")?;
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, " ")?;
                    }
                    write!(f, "{e}")?;
                }
                write!(f, "]")
            }
            ExprKind::Neg(e) => write!(f, "(- {e})"),
            ExprKind::Not(e) => write!(f, "(not {e})"),
            ExprKind::Binary(op, a, b, _) => write!(f, "({} {a} {b})", op.symbol()),
            ExprKind::If(c, t, e) => write!(f, "(if {c} {t} {e})"),
            ExprKind::Call(c) => {
                write!(f, "({}", c.func.node)?;
                for a in &c.args {
                    write!(f, " {a}")?;
                }
                write!(f, ")")
            }
            ExprKind::Quant(q) => {
                write!(f, "({} {} {} {})", q.func.node, q.var.node, q.list, q.body)
            }
        }
    }
}

/// A condition cell of a decision table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// `-`: any value, unknown included.
    Any,
    /// `[12, 36)`: `lower` and `upper` are `(bound, inclusive)`; an absent
    /// end is open.
    Interval {
        lower: Option<(Literal, bool)>,
        upper: Option<(Literal, bool)>,
    },
    /// `>= 12`
    Compare(BinOp, Literal),
    /// `"a", "b"`: equal to one of them.
    OneOf(Vec<Literal>),
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Any => write!(f, "-"),
            Cell::Interval { lower, upper } => {
                match lower {
                    Some((l, true)) => write!(f, "[{l}, ")?,
                    Some((l, false)) => write!(f, "({l}, ")?,
                    None => write!(f, "(, ")?,
                }
                match upper {
                    Some((u, true)) => write!(f, "{u}]"),
                    Some((u, false)) => write!(f, "{u})"),
                    None => write!(f, ")"),
                }
            }
            Cell::Compare(op, l) => write!(f, "{} {l}", op.symbol()),
            Cell::OneOf(ls) => {
                let parts: Vec<String> = ls.iter().map(|l| l.to_string()).collect();
                write!(f, "{}", parts.join(", "))
            }
        }
    }
}
