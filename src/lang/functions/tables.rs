//! `lookup`: the result of a decision table the policy declares.

use std::sync::Arc;

use smallvec::SmallVec;

use super::lists::sum;
use super::{Args, CallCheck, CallEval, Evaluated, Function, Plain};
use crate::core::suggest::did_you_mean;
use crate::core::value::Value;
use crate::engine::eval::{EvalErrorKind, equal, unknown_of};
use crate::lang::ast::{ExprKind, Resolution};
use crate::lang::check::TypeErrorKind;
use crate::lang::types::Type;
use crate::policy::{HitPolicy, Table};

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

/// `lookup(table, a, b)`: the table's result for the column values (the
/// evaluator gives the table, and computes the others).
fn lookup(c: &mut CallEval<'_, '_>) -> Evaluated {
    let Some(t) = c.table else {
        unreachable!("the checker resolves tables")
    };
    let table = &c.policy().tables[t];
    if let Some(u) = c.table_not_encoded(t) {
        return Ok(u);
    }
    rows(c, t, table)
}

/// Looks up the call's values in `table` under its hit policy. An unknown
/// argument makes the result unknown.
fn rows(c: &mut CallEval<'_, '_>, t: usize, table: &Table) -> Evaluated {
    let args = c.args;
    if let Some(u) = unknown_of(args) {
        return Ok(u);
    }
    let plan = c.table_plan(t);
    let fits = |i: &usize| plan.fits(*i, args);
    // The rows that can match, by the table's index where it has one
    // (the same rows a scan finds, in the same order), else every row.
    let candidates = plan
        .index
        .as_ref()
        .and_then(|ix| ix.candidates(args.get(ix.column)?));
    let matched: SmallVec<[usize; 4]> = match candidates {
        Some(rows) => rows.iter().copied().filter(fits).collect(),
        None => (0..plan.rows.len()).filter(fits).collect(),
    };
    let shown = || {
        table
            .columns
            .iter()
            .zip(args)
            .map(|((n, _), v)| format!("{n} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let note = |i: usize| {
        format!(
            "table {} row {} ({})",
            table.name,
            i + 1,
            table.rows[i].info.cite
        )
    };
    let rows_list = |rows: &[usize]| {
        rows.iter()
            .map(|r| (r + 1).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match table.hit {
        HitPolicy::Collect => {
            for &i in &matched {
                c.note(note(i));
            }
            Ok(Value::List(Arc::new(
                matched.iter().map(|&i| plan.rows[i].then.clone()).collect(),
            )))
        }
        HitPolicy::Sum => {
            if matched.is_empty() {
                return Ok(plan.default.clone().unwrap_or(Value::Int(0)));
            }
            for &i in &matched {
                c.note(note(i));
            }
            let vs: Vec<Value> = matched.iter().map(|&i| plan.rows[i].then.clone()).collect();
            sum(&vs).map_err(|k| c.fail(k))
        }
        HitPolicy::First | HitPolicy::Unique | HitPolicy::Any => {
            let Some(&first) = matched.first() else {
                return plan.default.clone().ok_or_else(|| {
                    c.fail(EvalErrorKind::NoRow {
                        table: table.name.clone(),
                        args: shown(),
                    })
                });
            };
            let conflict = match table.hit {
                HitPolicy::Unique => matched.len() > 1,
                HitPolicy::Any => matched
                    .iter()
                    .any(|&i| !equal(&plan.rows[i].then, &plan.rows[first].then)),
                _ => false,
            };
            if conflict {
                return Err(c.fail(EvalErrorKind::Overlap {
                    table: table.name.clone(),
                    rows: rows_list(&matched),
                    args: shown(),
                    hit: if table.hit == HitPolicy::Unique {
                        "unique"
                    } else {
                        "any"
                    },
                }));
            }
            if c.tracing() {
                c.note(note(first));
            }
            Ok(plan.rows[first].then.clone())
        }
    }
}
