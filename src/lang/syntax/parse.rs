//! Text to pest pairs, with pest's errors made readable.

use pest::Parser;
use pest::iterators::Pairs;
use pest_derive::Parser;

use super::err::{SyntaxError, SyntaxErrorKind};
use crate::core::span::Span;

#[derive(Parser)]
#[grammar = "../grammar/qagida.pest"]
pub struct Grammar;

/// How deep an expression or a type may nest in brackets and `if`s: pest
/// recurses a dozen rules a level, so that deeper text would overflow the
/// stack. (The lowering bounds chains of operators.)
pub const MAX_DEPTH: usize = 64;

/// Parses `text` as `rule`, turning pest's error into a [`SyntaxError`].
pub fn pairs(rule: Rule, text: &str) -> Result<Pairs<'_, Rule>, SyntaxError> {
    nesting(rule, text)?;
    Grammar::parse(rule, text).map_err(|e| convert(e, text))
}

/// Refuses text that nests deeper than [`MAX_DEPTH`] before pest, which
/// recurses once per level, reads it: each open bracket is a level, and so
/// is, in a type, each `<`, and in an expression each `if` until a `,` or
/// the closing bracket ends it. Strings and comments are skipped.
fn nesting(rule: Rule, text: &str) -> Result<(), SyntaxError> {
    let is_type = rule == Rule::type_decl;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = text.as_bytes();
    // The `if`s open at each bracket level.
    let mut levels: Vec<usize> = vec![0];
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' | b'\'' => {
                i += 1;
                while i < b.len() && b[i] != c {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'[' => {
                levels.push(0);
                depth += 1;
            }
            b'<' if is_type => {
                levels.push(0);
                depth += 1;
            }
            b')' | b']' | b'>' if (c != b'>' || is_type) && levels.len() > 1 => {
                depth -= 1 + levels.pop().unwrap_or(0);
            }
            b',' => {
                if let Some(ifs) = levels.last_mut() {
                    depth -= *ifs;
                    *ifs = 0;
                }
            }
            b'i' if !is_type
                && b.get(i + 1) == Some(&b'f')
                && (i == 0 || !word(b[i - 1]))
                && !b.get(i + 2).is_some_and(|&n| word(n)) =>
            {
                if let Some(ifs) = levels.last_mut() {
                    *ifs += 1;
                }
                depth += 1;
            }
            _ => {}
        }
        if depth > MAX_DEPTH {
            let end = text[i..].chars().next().map_or(i, |ch| i + ch.len_utf8());
            return Err(SyntaxError::new(
                SyntaxErrorKind::TooDeep(MAX_DEPTH),
                Span::new(i, end),
            ));
        }
        i += 1;
    }
    Ok(())
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
            Rule::enum_member | Rule::member_lit | Rule::member_lo | Rule::member_hi => {
                "an enumeration member"
            }
            Rule::member_sep => "`,` between the bounds",
            Rule::member_cell | Rule::member_interval | Rule::member_cmp => {
                "a range of members (`[a1, b1)`, `>= b1`)"
            }
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
