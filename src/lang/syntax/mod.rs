//! Text to syntax tree: pest's pairs are the concrete tree (`parse`), lowered
//! to the typed tree of `crate::lang::ast` (`lower`).

pub mod err;
pub mod lower;
pub mod parse;

pub use crate::core::span::{Span, Spanned};
pub use err::{SyntaxError, SyntaxErrorKind};
pub use lower::{parse_cell, parse_expr, parse_literal, parse_member_cell, parse_type};
