//! `lookup`: a policy's table run as the plan holds it, under its hit
//! policy, for the language's `lookup` function.

use std::sync::Arc;

use smallvec::SmallVec;

use super::{Evaluator, R, fail};
use crate::core::value::{Value, equal};
use crate::lang::functions::sum;
use crate::lang::runtime::{EvalErrorKind, unknown_of};
use crate::lang::syntax::Span;
use crate::policy::HitPolicy;

fn fail_at(span: Span, kind: EvalErrorKind) -> Box<crate::lang::runtime::EvalError> {
    fail(kind, span)
}

impl Evaluator<'_> {
    /// Looks up `args` in table `t` under its hit policy. An unknown
    /// argument makes the result unknown.
    pub(super) fn lookup_table(&mut self, t: usize, args: &[Value], span: Span) -> R {
        let (policy, program) = (self.policy, self.program);
        let table = &policy.tables[t];
        if let Some(Some(u)) = self.closed.tables.get(t) {
            return Ok(u.clone());
        }
        if let Some(u) = unknown_of(args) {
            return Ok(u);
        }
        let plan = &program.tables[t];
        // An enumeration's member, in a column of ranges of them, as its
        // place in their order.
        let placed = plan.placed(args).map_err(|k| fail_at(span, k))?;
        // Rows out of force on the date match nothing.
        let at = self.at;
        let fits = |i: &usize| plan.fits_at(*i, &placed, at);
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
                    self.hits.push(note(i));
                }
                let results = matched.iter().map(|&i| self.result(plan, i));
                Ok(Value::List(Arc::new(results.collect::<Result<_, _>>()?)))
            }
            HitPolicy::Sum => {
                if matched.is_empty() {
                    return Ok(plan.default.clone().unwrap_or(Value::Int(0)));
                }
                for &i in &matched {
                    self.hits.push(note(i));
                }
                let vs = matched.iter().map(|&i| self.result(plan, i));
                let vs: Vec<Value> = vs.collect::<Result<_, _>>()?;
                sum(&vs).map_err(|k| fail_at(span, k))
            }
            HitPolicy::First | HitPolicy::Unique | HitPolicy::Any => {
                let Some(&first) = matched.first() else {
                    return plan.default.clone().ok_or_else(|| {
                        fail_at(
                            span,
                            EvalErrorKind::NoRow {
                                table: table.name.clone(),
                                args: shown(),
                            },
                        )
                    });
                };
                let result = self.result(plan, first)?;
                let conflict = match table.hit {
                    HitPolicy::Unique => matched.len() > 1,
                    HitPolicy::Any => {
                        let mut differs = false;
                        for &i in &matched[1..] {
                            differs |= !equal(&self.result(plan, i)?, &result);
                        }
                        differs
                    }
                    _ => false,
                };
                if conflict {
                    return Err(fail_at(
                        span,
                        EvalErrorKind::Overlap {
                            table: table.name.clone(),
                            rows: rows_list(&matched),
                            args: shown(),
                            hit: if table.hit == HitPolicy::Unique {
                                "unique"
                            } else {
                                "any"
                            },
                        },
                    ));
                }
                if self.tracing {
                    self.hits.push(note(first));
                }
                Ok(result)
            }
        }
    }

    /// Row `i`'s result: its value, or its expression's.
    fn result(&mut self, plan: &crate::engine::plan::tables::TablePlan, i: usize) -> R {
        let row = &plan.rows[i];
        match &row.expr {
            Some(op) => self.eval(op),
            None => Ok(row.then.clone()),
        }
    }
}
