//! Pest pairs to the syntax tree of `crate::lang::ast`, attaching spans.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use pest::iterators::Pair;

use super::err::{SyntaxError, SyntaxErrorKind};
use super::parse::{Rule, pairs};
use crate::core::span::{Span, Spanned};
use crate::core::value::{Duration, Unit};
use crate::lang::ast::{
    BinOp, Call, Cell, Expr, ExprKind, Literal, Name, Order, Quant, Resolution,
};
use crate::lang::types::Type;

type Result<T> = std::result::Result<T, SyntaxError>;

/// Parses one expression.
pub fn parse_expr(text: &str) -> Result<Expr> {
    let top = first(pairs(Rule::expression, text)?);
    let e = first(top.into_inner());
    if tree_depth(&e) > MAX_TREE_DEPTH {
        return Err(SyntaxError::new(
            SyntaxErrorKind::TooDeep(MAX_TREE_DEPTH),
            Span::from(e.as_span()),
        ));
    }
    lower_expr(e)
}

/// How deep the syntax tree of an expression may be: long chains such as
/// `1 + 1 + ...` nest one level an operator, and every pass over the tree
/// (checking, evaluating, dropping) recurses once a level.
pub const MAX_TREE_DEPTH: usize = 128;

/// The depth of the tree [`lower_expr`] would build from `p`, at most. The
/// recursion follows pest's tree, which `pairs` has kept shallow.
fn tree_depth(p: &Pair<'_, Rule>) -> usize {
    let n = p.clone().into_inner().count();
    let own = match p.as_rule() {
        // operand (operator operand)*
        Rule::or_expr | Rule::and_expr | Rule::cmp_expr | Rule::add_expr | Rule::mul_expr => n / 2,
        // prefix* operand, operand suffix*
        Rule::not_expr | Rule::unary | Rule::postfix => n.saturating_sub(1),
        Rule::if_expr | Rule::list | Rule::call | Rule::quantifier => 1,
        _ => 0,
    };
    let inner = p.clone().into_inner().map(|q| tree_depth(&q)).max();
    own + inner.unwrap_or(0)
}

/// Parses a type declaration such as `list<enum(a, b)>`.
pub fn parse_type(text: &str) -> Result<Type> {
    let top = first(pairs(Rule::type_decl, text)?);
    lower_type(first(top.into_inner()))
}

/// Parses a condition cell of a decision table.
pub fn parse_cell(text: &str) -> Result<Cell> {
    let top = first(pairs(Rule::cell, text)?);
    let cell = first(top.into_inner());
    match cell.as_rule() {
        Rule::cell_any => Ok(Cell::Any),
        Rule::interval => {
            let (mut lower, mut upper) = (None, None);
            let (mut lower_inclusive, mut upper_inclusive) = (true, true);
            for p in cell.into_inner() {
                match p.as_rule() {
                    Rule::lower => lower_inclusive = p.as_str() == "[",
                    Rule::upper => upper_inclusive = p.as_str() == "]",
                    Rule::lo_bound => lower = Some(lower_signed(first(p.into_inner()))?),
                    Rule::hi_bound => upper = Some(lower_signed(first(p.into_inner()))?),
                    _ => {}
                }
            }
            Ok(Cell::Interval {
                lower: lower.map(|l| (l, lower_inclusive)),
                upper: upper.map(|u| (u, upper_inclusive)),
            })
        }
        Rule::cell_cmp => {
            let mut inner = cell.into_inner();
            let op = comparison(first_ref(&mut inner).as_str());
            let lit = lower_signed(first_ref(&mut inner))?;
            Ok(Cell::Compare(op, lit))
        }
        Rule::cell_values => Ok(Cell::OneOf(
            cell.into_inner().map(lower_signed).collect::<Result<_>>()?,
        )),
        r => unreachable!("cell alternative {r:?}"),
    }
}

/// Parses a range cell of an enumeration column, whose members are
/// written bare or quoted (`[a1, b1)`, `>= b1`): an interval or a
/// comparison whose bounds are the members' texts.
pub fn parse_member_cell(text: &str) -> Result<Cell> {
    let top = first(pairs(Rule::member_cell, text)?);
    let cell = first(top.into_inner());
    let member = |p: Pair<'_, Rule>| -> Literal {
        let lit = first(p.into_inner());
        match lit.as_rule() {
            Rule::string => Literal::Str(unescape(first(lit.into_inner()).as_str()).into()),
            _ => Literal::Str(lit.as_str().into()),
        }
    };
    match cell.as_rule() {
        Rule::member_interval => {
            let (mut lower, mut upper) = (None, None);
            let (mut lower_inclusive, mut upper_inclusive) = (true, true);
            for p in cell.into_inner() {
                match p.as_rule() {
                    Rule::lower => lower_inclusive = p.as_str() == "[",
                    Rule::upper => upper_inclusive = p.as_str() == "]",
                    Rule::member_lo => lower = Some(member(first(p.into_inner()))),
                    Rule::member_hi => upper = Some(member(first(p.into_inner()))),
                    _ => {}
                }
            }
            Ok(Cell::Interval {
                lower: lower.map(|l| (l, lower_inclusive)),
                upper: upper.map(|u| (u, upper_inclusive)),
            })
        }
        Rule::member_cmp => {
            let mut inner = cell.into_inner();
            let op = comparison(first_ref(&mut inner).as_str());
            Ok(Cell::Compare(op, member(first_ref(&mut inner))))
        }
        r => unreachable!("member cell alternative {r:?}"),
    }
}

/// Parses a literal alone, such as a date or a duration given as data.
pub fn parse_literal(text: &str) -> Result<Literal> {
    match parse_cell(text)? {
        Cell::OneOf(mut ls) if ls.len() == 1 => Ok(ls.remove(0)),
        _ => Err(SyntaxError::new(
            SyntaxErrorKind::Unexpected {
                expected: "a single value".into(),
                found: format!("`{text}`"),
            },
            Span::new(0, text.len()),
        )),
    }
}

fn is_keyword(r: Rule) -> bool {
    matches!(
        r,
        Rule::kw_if
            | Rule::kw_then
            | Rule::kw_else
            | Rule::kw_and
            | Rule::kw_or
            | Rule::kw_not
            | Rule::kw_in
    )
}

/// The children of a pair, without keyword tokens.
fn kids(p: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    p.into_inner().filter(|q| !is_keyword(q.as_rule()))
}

fn first(mut it: pest::iterators::Pairs<'_, Rule>) -> Pair<'_, Rule> {
    // INVARIANT: the grammar guarantees every rule lowered here has a child.
    it.next().expect("grammar guarantees a child")
}

fn first_ref<'a>(it: &mut impl Iterator<Item = Pair<'a, Rule>>) -> Pair<'a, Rule> {
    it.next().expect("grammar guarantees a child")
}

fn comparison(sym: &str) -> BinOp {
    match sym {
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        "<=" => BinOp::Le,
        ">=" => BinOp::Ge,
        "<" => BinOp::Lt,
        ">" => BinOp::Gt,
        _ => BinOp::In,
    }
}

/// The one child of a rule that adds no node of its own: `(x)`, or a
/// level of precedence with a single operand.
fn passthrough<'a>(p: &Pair<'a, Rule>) -> Option<Pair<'a, Rule>> {
    match p.as_rule() {
        Rule::expr
        | Rule::paren
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::add_expr
        | Rule::mul_expr
        | Rule::unary
        | Rule::postfix => {
            let mut it = p.clone().into_inner();
            let only = it.next()?;
            it.next().is_none().then_some(only)
        }
        _ => None,
    }
}

fn lower_expr(p: Pair<'_, Rule>) -> Result<Expr> {
    // Down the levels that add no node in a loop, not by recursion: a
    // level of brackets is a dozen rules, and a frame of this function is
    // large in a debug build.
    let mut p = p;
    while let Some(only) = passthrough(&p) {
        p = only;
    }
    let span = Span::from(p.as_span());
    match p.as_rule() {
        Rule::expr | Rule::paren => lower_expr(first(p.into_inner())),
        Rule::if_expr => {
            let mut it = kids(p);
            let c = lower_expr(first_ref(&mut it))?;
            let t = lower_expr(first_ref(&mut it))?;
            let e = lower_expr(first_ref(&mut it))?;
            Ok(Expr::new(ExprKind::If(c.into(), t.into(), e.into()), span))
        }
        Rule::or_expr | Rule::and_expr => {
            let op = if p.as_rule() == Rule::or_expr {
                BinOp::Or
            } else {
                BinOp::And
            };
            let mut it = kids(p);
            let mut acc = lower_expr(first_ref(&mut it))?;
            for next in it {
                let rhs = lower_expr(next)?;
                let s = acc.span.to(rhs.span);
                acc = Expr::new(
                    ExprKind::Binary(op, acc.into(), rhs.into(), Order::Natural),
                    s,
                );
            }
            Ok(acc)
        }
        Rule::not_expr => {
            let inner: Vec<Pair<'_, Rule>> = p.into_inner().collect();
            let (nots, rest) = inner.split_at(inner.len() - 1);
            let mut e = lower_expr(rest[0].clone())?;
            for n in nots.iter().rev() {
                let s = Span::from(n.as_span()).to(e.span);
                e = Expr::new(ExprKind::Not(e.into()), s);
            }
            Ok(e)
        }
        Rule::cmp_expr => {
            let mut it = p.into_inner();
            let lhs = lower_expr(first_ref(&mut it))?;
            match it.next() {
                None => Ok(lhs),
                Some(op) => {
                    let op = match op.clone().into_inner().next().map(|i| i.as_rule()) {
                        Some(Rule::not_in) => BinOp::NotIn,
                        Some(Rule::kw_in) => BinOp::In,
                        _ => comparison(op.as_str()),
                    };
                    let rhs = lower_expr(first_ref(&mut it))?;
                    Ok(Expr::new(
                        ExprKind::Binary(op, lhs.into(), rhs.into(), Order::Natural),
                        span,
                    ))
                }
            }
        }
        Rule::add_expr | Rule::mul_expr => {
            let mut it = p.into_inner();
            let mut acc = lower_expr(first_ref(&mut it))?;
            while let Some(op) = it.next() {
                let op = match op.as_str() {
                    "+" => BinOp::Add,
                    "-" => BinOp::Sub,
                    "*" => BinOp::Mul,
                    _ => BinOp::Div,
                };
                let rhs = lower_expr(first_ref(&mut it))?;
                let s = acc.span.to(rhs.span);
                acc = Expr::new(
                    ExprKind::Binary(op, acc.into(), rhs.into(), Order::Natural),
                    s,
                );
            }
            Ok(acc)
        }
        Rule::unary => {
            let inner: Vec<Pair<'_, Rule>> = p.into_inner().collect();
            let (negs, rest) = inner.split_at(inner.len() - 1);
            let mut e = lower_expr(rest[0].clone())?;
            for n in negs.iter().rev() {
                let s = Span::from(n.as_span()).to(e.span);
                e = Expr::new(ExprKind::Neg(e.into()), s);
            }
            Ok(e)
        }
        Rule::postfix => {
            let mut it = p.into_inner();
            let mut e = lower_expr(first_ref(&mut it))?;
            for field in it {
                let fs = Span::from(field.as_span());
                let s = e.span.to(fs);
                e = Expr::new(
                    ExprKind::Field(e.into(), Spanned::new(field.as_str().to_string(), fs)),
                    s,
                );
            }
            Ok(e)
        }
        Rule::ident => Ok(Expr::new(
            ExprKind::Name(Name {
                id: p.as_str().to_string(),
                res: Resolution::Unresolved,
            }),
            span,
        )),
        Rule::list => Ok(Expr::new(
            ExprKind::List(p.into_inner().map(lower_expr).collect::<Result<_>>()?),
            span,
        )),
        Rule::call => {
            let mut it = p.into_inner();
            let f = first_ref(&mut it);
            let func = Spanned::new(f.as_str().to_string(), f.as_span().into());
            let args = it.map(lower_expr).collect::<Result<_>>()?;
            Ok(Expr::new(
                ExprKind::Call(Call {
                    func,
                    args,
                    builtin: None,
                    user: None,
                    order: Order::Natural,
                }),
                span,
            ))
        }
        Rule::quantifier => {
            let mut it = kids(p);
            let f = first_ref(&mut it);
            let v = first_ref(&mut it);
            let list = lower_expr(first_ref(&mut it))?;
            let body = lower_expr(first_ref(&mut it))?;
            Ok(Expr::new(
                ExprKind::Quant(Quant {
                    func: Spanned::new(f.as_str().to_string(), f.as_span().into()),
                    builtin: None,
                    var: Spanned::new(v.as_str().to_string(), v.as_span().into()),
                    list: list.into(),
                    body: body.into(),
                }),
                span,
            ))
        }
        _ => Ok(Expr::new(ExprKind::Lit(lower_literal(p)?), span)),
    }
}

fn lower_signed(p: Pair<'_, Rule>) -> Result<Literal> {
    let span = Span::from(p.as_span());
    let mut neg = false;
    let mut lit = None;
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::neg => neg = true,
            _ => lit = Some(lower_literal(q)?),
        }
    }
    let lit = lit.expect("grammar guarantees a literal");
    if !neg {
        return Ok(lit);
    }
    match lit {
        Literal::Int(n) => Ok(Literal::Int(-n)),
        Literal::Decimal(d) => Ok(Literal::Decimal(-d)),
        Literal::Percent(d) => Ok(Literal::Percent(-d)),
        Literal::Duration(d) => Ok(Literal::Duration(Duration {
            count: -d.count,
            unit: d.unit,
        })),
        other => Err(SyntaxError::new(
            SyntaxErrorKind::Unexpected {
                expected: "a number or a duration after `-`".into(),
                found: format!("`{other}`"),
            },
            span,
        )),
    }
}

fn lower_literal(p: Pair<'_, Rule>) -> Result<Literal> {
    let span = Span::from(p.as_span());
    let text = p.as_str();
    match p.as_rule() {
        Rule::integer => text
            .parse::<i64>()
            .map(Literal::Int)
            .map_err(|_| SyntaxError::new(SyntaxErrorKind::IntegerTooLarge(text.into()), span)),
        Rule::decimal => crate::core::decimal::parse(text)
            .map(Literal::Decimal)
            .map_err(|e| {
                SyntaxError::new(
                    SyntaxErrorKind::BadDecimal(e.message(&format!("`{text}`"))),
                    span,
                )
            }),
        Rule::percent => percent(text).map(Literal::Percent).ok_or_else(|| {
            let message = format!("`{text}` is not a decimal that can be represented");
            SyntaxError::new(SyntaxErrorKind::BadDecimal(message), span)
        }),
        Rule::boolean => Ok(Literal::Bool(text == "true")),
        Rule::string => {
            let inner = first(p.into_inner()).as_str();
            Ok(Literal::Str(unescape(inner).into()))
        }
        Rule::date => date_literal(text)
            .map(Literal::Date)
            .map_err(|k| SyntaxError::new(k, span)),
        Rule::time => parse_time(text)
            .map(Literal::Time)
            .map_err(|k| SyntaxError::new(k, span)),
        Rule::datetime => {
            let (d, t) = text.split_once('T').unwrap_or((text, ""));
            let date = date_literal(d).map_err(|k| SyntaxError::new(k, span))?;
            let time = parse_time(t).map_err(|k| SyntaxError::new(k, span))?;
            Ok(Literal::DateTime(NaiveDateTime::new(date, time)))
        }
        Rule::duration => {
            let mut it = p.into_inner();
            let n = lower_literal(first_ref(&mut it))?;
            let unit = first_ref(&mut it).as_str();
            let count = match n {
                Literal::Int(n) => n,
                _ => unreachable!("grammar: a duration's count is an integer"),
            };
            let unit = Unit::parse(unit).expect("grammar: known unit");
            Ok(Literal::Duration(Duration { count, unit }))
        }
        r => unreachable!("not a literal: {r:?}"),
    }
}

/// The fraction `20%` or `12.5%` stands for (0.20, 0.125), exactly: the
/// number's digits two places further right.
fn percent(text: &str) -> Option<rust_decimal::Decimal> {
    let mut d =
        <rust_decimal::Decimal as std::str::FromStr>::from_str(text.strip_suffix('%')?).ok()?;
    d.set_scale(d.scale() + 2).ok()?;
    Some(d)
}

/// A date as the grammar reads it (four digits of year): a date of the
/// calendar, within the years 0001 to 9999.
fn date_literal(text: &str) -> std::result::Result<NaiveDate, SyntaxErrorKind> {
    let d = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| SyntaxErrorKind::BadDate(text.into()))?;
    if crate::core::value::in_years(d) {
        Ok(d)
    } else {
        Err(SyntaxErrorKind::YearOutOfRange(text.into()))
    }
}

/// `HH:MM` or `HH:MM:SS`, a time of day: not `24:00`, and not a leap
/// second (`23:59:60`), which chrono reads but a day of the act does not
/// have (a deadline counted from it would be a second past midnight).
fn parse_time(text: &str) -> std::result::Result<NaiveTime, SyntaxErrorKind> {
    let t = NaiveTime::parse_from_str(text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M"))
        .map_err(|_| SyntaxErrorKind::BadTime(text.into()))?;
    if chrono::Timelike::nanosecond(&t) >= 1_000_000_000 {
        return Err(SyntaxErrorKind::LeapSecond(text.into()));
    }
    Ok(t)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn lower_type(p: Pair<'_, Rule>) -> Result<Type> {
    let span = Span::from(p.as_span());
    match p.as_rule() {
        Rule::prim_type => Ok(match p.as_str() {
            "int" => Type::Int,
            "decimal" => Type::Decimal,
            "bool" => Type::Bool,
            "string" => Type::String,
            "date" => Type::Date,
            "datetime" => Type::DateTime,
            "time" => Type::Time,
            _ => Type::Duration,
        }),
        Rule::list_type => Ok(Type::List(Box::new(lower_type(first(p.into_inner()))?))),
        Rule::enum_type => {
            let mut members: Vec<String> = Vec::new();
            for m in p.into_inner() {
                let name = m.as_str().to_string();
                if members.contains(&name) {
                    return Err(SyntaxError::new(
                        SyntaxErrorKind::DuplicateEnumMember(name),
                        m.as_span().into(),
                    ));
                }
                members.push(name);
            }
            Ok(Type::Enum(Arc::new(
                members.into_iter().map(Arc::from).collect(),
            )))
        }
        Rule::ref_type => Ok(Type::Ref(Arc::from(first(p.into_inner()).as_str()))),
        r => unreachable!("not a type at {span:?}: {r:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sexpr(text: &str) -> String {
        parse_expr(text)
            .map(|e| e.to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn precedence_binds_arithmetic_tighter_than_comparison_and_logic() {
        assert_eq!(
            sexpr("1 + 2 * 3 > 6 and not x or y"),
            "(or (and (> (+ 1 (* 2 3)) 6) (not x)) y)"
        );
    }

    #[test]
    fn literals_of_every_kind() {
        assert_eq!(sexpr("2021-03-15"), "2021-03-15");
        assert_eq!(sexpr("2021-03-15T10:00"), "2021-03-15T10:00:00");
        assert_eq!(sexpr("18:30"), "18:30:00");
        assert_eq!(sexpr("5 working days"), "5 working days");
        assert_eq!(sexpr("1 month"), "1 month");
        assert_eq!(sexpr("3.50"), "3.50");
        assert!(sexpr("'it''s'").starts_with("error: expected the end of the expression"));
        assert_eq!(sexpr(r#""a \"b\"""#), r#""a \"b\"""#);
    }

    #[test]
    fn percents_are_the_decimals_they_stand_for() {
        use crate::core::value::Value;
        let value = |t: &str| match parse_literal(t) {
            Ok(Literal::Percent(d)) => {
                format!("{d} = {}", Value::from_literal(&Literal::Percent(d)))
            }
            other => format!("{other:?}"),
        };
        assert_eq!(value("20%"), "0.20 = 0.2");
        assert_eq!(value("12.5%"), "0.125 = 0.125");
        assert_eq!(value("100%"), "1.00 = 1");
        assert_eq!(value("0.5%"), "0.005 = 0.005");
        assert_eq!(value("-5%"), "-0.05 = -0.05");
        // Written back as written.
        assert_eq!(sexpr("20%"), "20%");
        assert_eq!(sexpr("12.50%"), "12.50%");
        assert_eq!(sexpr("income * 20% + 1.5%"), "(+ (* income 20%) 1.5%)");
        assert_eq!(sexpr("-20%"), "(- 20%)");
        assert_eq!(
            parse_cell("[10%, 20.5%)").unwrap().to_string(),
            "[10%, 20.5%)"
        );
        assert_eq!(parse_cell(">= -5%").unwrap().to_string(), ">= -5%");
        assert_eq!(
            sexpr("0.000000000000000000000000001%"),
            "error: `0.000000000000000000000000001%` is not a decimal that can be represented"
        );
    }

    #[test]
    fn percent_signs_stand_for_nothing_else() {
        let help = |t: &str| {
            let e = parse_expr(t).expect_err("an error");
            (e.to_string(), e.help(t))
        };
        let remainder = Some(
            "a percent is written right after its number, as in `20%`; `%` is nothing else (there is no remainder operator)".to_string(),
        );
        let (msg, h) = help("x % 3");
        assert!(msg.ends_with("found `%`"), "{msg}");
        assert_eq!(h, remainder);
        let (msg, h) = help("20 %");
        assert!(msg.ends_with("found `%`"), "{msg}");
        assert_eq!(h, remainder);
        assert!(parse_expr("20%x").is_err());
        assert!(parse_expr("20%%").is_err());
        assert!(parse_expr("%20").is_err());
        assert!(parse_expr(".5%").is_err());
        // Inside a string, a `%` is text.
        assert_eq!(sexpr("'20%'"), "\"20%\"");
    }

    #[test]
    fn impossible_dates_are_errors() {
        assert_eq!(
            sexpr("2021-02-30"),
            "error: `2021-02-30` is not a date of the calendar"
        );
    }

    #[test]
    fn not_in_and_quantifiers() {
        assert_eq!(sexpr("x not in [1, 2]"), "(not in x [1 2])");
        assert_eq!(sexpr("not x in [1]"), "(not (in x [1]))");
        assert_eq!(
            sexpr("all(d in docs => d in have)"),
            "(all d docs (in d have))"
        );
    }

    #[test]
    fn comparisons_do_not_chain() {
        assert!(sexpr("a < b < c").starts_with("error"));
    }

    #[test]
    fn types() {
        assert_eq!(
            parse_type("list<enum(a, b-c)>").unwrap().to_string(),
            "list<enum(a, b-c)>"
        );
        assert!(parse_type("lst<int>").is_err());
        assert!(parse_type("enum(a, a)").is_err());
    }

    #[test]
    fn cells() {
        assert_eq!(parse_cell("[12, 36)").unwrap().to_string(), "[12, 36)");
        assert_eq!(parse_cell("(120, ]").unwrap().to_string(), "(120, )");
        assert_eq!(parse_cell("(, 12)").unwrap().to_string(), "(, 12)");
        assert_eq!(parse_cell(">= -3").unwrap().to_string(), ">= -3");
        assert_eq!(
            parse_cell("\"a\", \"b\"").unwrap().to_string(),
            "\"a\", \"b\""
        );
        assert_eq!(parse_cell("-").unwrap(), Cell::Any);
        assert_eq!(
            parse_member_cell("[a1, b1)").unwrap().to_string(),
            "[\"a1\", \"b1\")"
        );
        assert_eq!(
            parse_member_cell("(, \"b-2\"]").unwrap().to_string(),
            "(, \"b-2\"]"
        );
        assert_eq!(
            parse_member_cell(">= 1st").unwrap().to_string(),
            ">= \"1st\""
        );
        assert!(parse_member_cell("[a1 b1)").is_err());
        assert!(parse_member_cell(">= ").is_err());
        assert_eq!(parse_cell("-3").unwrap().to_string(), "-3");
        assert_eq!(parse_literal("-3 months").unwrap().to_string(), "-3 months");
    }
}
