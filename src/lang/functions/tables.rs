//! `lookup`: the result of a decision table the policy declares.

use super::{Args, CallCheck, CallEval, Evaluated, Function, Plain};
use crate::core::suggest::did_you_mean;
use crate::lang::ast::{ExprKind, Resolution};
use crate::lang::env::TypeErrorKind;
use crate::lang::types::Type;

pub const FUNCTIONS: &[Function] = &[Function {
    name: "lookup",
    signature: "lookup(table, column values...)",
    doc: "the result of a declared decision table for the given column values",
    plain: Some(Plain {
        args: Args::Table,
        check: lookup_type,
        eval: lookup,
    }),
    quantifier: None,
}];

/// The first argument names a table (and is resolved to it here); the
/// others are values for its columns.
fn lookup_type(c: &mut CallCheck<'_, '_>) -> Option<Type> {
    let env = c.env();
    let Some(first) = c.args.first_mut() else {
        return c.arity("a table and its column values");
    };
    let span = first.span;
    let (_, columns, output) = match &mut first.kind {
        ExprKind::Name(n) => match env.tables.get(&n.id) {
            Some(t) => {
                n.res = Resolution::Table(t.0);
                t
            }
            None => {
                let help = did_you_mean(&n.id, env.tables.keys().map(String::as_str));
                let kind = TypeErrorKind::UnknownTable(n.id.clone());
                return c.err_help(kind, span, help.trim_start_matches("; ").to_string());
            }
        },
        _ => {
            let kind = TypeErrorKind::Mismatch {
                expected: "the name of a table".into(),
                found: Type::Any,
            };
            return c.err(kind, span);
        }
    };
    if c.args.len() - 1 != columns.len() {
        let expected = format!(
            "a table and {} column value{}",
            columns.len(),
            if columns.len() == 1 { "" } else { "s" }
        );
        return c.arity(&expected);
    }
    let mut ok = true;
    for (i, col) in columns.iter().enumerate() {
        ok &= c
            .expect(i + 1, col, &format!("`{col}` for the table's column"))
            .is_some();
    }
    ok.then(|| output.clone())
}

/// `lookup(table, a, b)`: the table's result for the column values. The
/// evaluator gives the table and the others' values, and runs the table
/// as its plan holds it (rows matched through the table's index, under
/// its hit policy): see the engine's `plan::tables`.
fn lookup(c: &mut CallEval<'_>) -> Evaluated {
    let Some(t) = c.table else {
        unreachable!("the checker resolves tables")
    };
    c.lookup(t)
}
