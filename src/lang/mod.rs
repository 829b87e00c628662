//! The language layer: the expression language's syntax (text to pest
//! pairs to a tree with spans), its types, the type checker, and the
//! library of built-in functions, each defined once with its type rule
//! and implementation, and what they need at run time (errors, three-valued
//! truth, the arithmetic of dates).

pub mod ast;
pub mod check;
pub mod convert;
pub mod env;
pub mod functions;
pub mod runtime;
pub mod syntax;
pub mod types;
