//! Text to pest pairs, with pest's errors made readable.

use pest::Parser;
use pest::iterators::Pairs;
use pest_derive::Parser;

use super::err::{SyntaxError, SyntaxErrorKind};
use super::span::Span;

#[derive(Parser)]
#[grammar = "../grammar/qagida.pest"]
pub struct Grammar;

/// Parses `text` as `rule`, turning pest's error into a [`SyntaxError`].
pub fn pairs(rule: Rule, text: &str) -> Result<Pairs<'_, Rule>, SyntaxError> {
    Grammar::parse(rule, text).map_err(|e| convert(e, text))
}

fn convert(e: pest::error::Error<Rule>, text: &str) -> SyntaxError {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let expected = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => describe(positives),
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    let found = match text[pos..].chars().next() {
        None => "the end of the text".to_string(),
        Some(_) => {
            let word: String = text[pos..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .take(12)
                .collect();
            format!("`{word}`")
        }
    };
    let end = text[pos..]
        .chars()
        .next()
        .map(|c| pos + c.len_utf8())
        .unwrap_or(pos);
    SyntaxError::new(
        SyntaxErrorKind::Unexpected { expected, found },
        Span::new(pos, end),
    )
}

/// Names what the parser wanted, in words, without duplicates.
fn describe(rules: &[Rule]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for r in rules {
        let name = match r {
            Rule::EOI => "the end of the expression",
            Rule::expr
            | Rule::or_expr
            | Rule::and_expr
            | Rule::not_expr
            | Rule::cmp_expr
            | Rule::add_expr
            | Rule::mul_expr
            | Rule::unary
            | Rule::postfix
            | Rule::if_expr
            | Rule::paren
            | Rule::call
            | Rule::quantifier
            | Rule::list
            | Rule::neg
            | Rule::not_op => "an expression",
            Rule::ident => "a name",
            Rule::cmp_op | Rule::cmp_sym => "a comparison",
            Rule::add_op | Rule::mul_op => "an operator",
            Rule::kw_in => "`in`",
            Rule::kw_and => "`and`",
            Rule::kw_or => "`or`",
            Rule::kw_then => "`then`",
            Rule::kw_else => "`else`",
            Rule::kw_not => "`not`",
            Rule::kw_if => "`if`",
            Rule::unit => "a unit (days, working days, weeks, months, years)",
            Rule::type_decl
            | Rule::prim_type
            | Rule::list_type
            | Rule::enum_type
            | Rule::ref_type => {
                "a type (int, decimal, bool, string, date, datetime, time, duration, list<T>, enum(a, b))"
            }
            Rule::enum_member => "an enumeration member",
            Rule::cell_any
            | Rule::interval
            | Rule::cell_cmp
            | Rule::cell_values
            | Rule::lower
            | Rule::upper
            | Rule::lo_bound
            | Rule::hi_bound => "a table cell (`-`, `[1, 3)`, `>= 12` or a value)",
            _ => "a value",
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.len() {
        0 => "something else".to_string(),
        1 => names[0].to_string(),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} or {}", names.join(", "), last)
        }
    }
}
