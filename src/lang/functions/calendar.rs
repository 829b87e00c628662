//! Functions of working days, counted in one of the working-day calendars
//! the policy declares: the first unless a last argument names another.

use super::dates::{date, int};
use super::{Args, CallCheck, CallEval, Function, Plain};
use crate::core::suggest::did_you_mean;
use crate::core::value::Value;
use crate::lang::ast::{ExprKind, Literal};
use crate::lang::env::TypeErrorKind;
use crate::lang::runtime::{CalendarError, EvalError, EvalErrorKind, WorkingDays, date_in_years};
use crate::lang::types::Type::{self, Bool, Date, Int};

pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "is_working_day",
        signature: "is_working_day(date [, \"calendar\"]) -> bool",
        doc: "whether the day is a working day of the calendar (the policy's first calendar unless named)",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| working_type(c, &[Date], Bool),
            eval: |c| {
                let day = calendar(c, 1)?.is_working_day(date(&c.args[0]));
                Ok(Value::Bool(day.map_err(|e| failed(c, e))?))
            },
        }),
        quantifier: None,
    },
    Function {
        name: "next_working_day",
        signature: "next_working_day(date [, \"calendar\"]) -> date",
        doc: "the date itself if it is a working day, else the first working day after it",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| working_type(c, &[Date], Date),
            eval: |c| {
                let day = calendar(c, 1)?.next_working_day(date(&c.args[0]));
                let day = day.map_err(|e| failed(c, e))?;
                Ok(Value::Date(date_in_years(day).map_err(|k| c.fail(k))?))
            },
        }),
        quantifier: None,
    },
    Function {
        name: "add_working_days",
        signature: "add_working_days(date, int [, \"calendar\"]) -> date",
        doc: "the n-th working day after the date, the date itself not counted (before it if n is negative)",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| working_type(c, &[Date, Int], Date),
            eval: |c| {
                let cal = calendar(c, 2)?;
                let day = cal.add_working_days(date(&c.args[0]), int(&c.args[1]));
                let day = day.map_err(|e| failed(c, e))?;
                Ok(Value::Date(date_in_years(day).map_err(|k| c.fail(k))?))
            },
        }),
        quantifier: None,
    },
    Function {
        name: "working_days_between",
        signature: "working_days_between(date, date [, \"calendar\"]) -> int",
        doc: "the working days after the first date up to and including the second",
        plain: Some(Plain {
            args: Args::Strict,
            check: |c| working_type(c, &[Date, Date], Int),
            eval: |c| {
                let cal = calendar(c, 2)?;
                let days = cal.working_days_between(date(&c.args[0]), date(&c.args[1]));
                Ok(Value::Int(days.map_err(|e| failed(c, e))?))
            },
        }),
        quantifier: None,
    },
];

/// A call with the arguments `want`, and perhaps a last one naming a
/// calendar, in a policy that declares calendars.
fn working_type(c: &mut CallCheck<'_, '_>, want: &[Type], out: Type) -> Option<Type> {
    let env = c.env();
    if env.calendars.is_empty() {
        return c.err_help(
            TypeErrorKind::NoCalendar(c.name.into()),
            c.fspan,
            "declare one under `calendars`, e.g. `calendars: {national: ../calendars/national}`"
                .into(),
        );
    }
    let n = c.types.len();
    if n == want.len() + 1 {
        // The last argument names a calendar.
        let last = &c.args[n - 1];
        match &last.kind {
            ExprKind::Lit(Literal::Str(s)) if env.calendars.iter().any(|x| **x == **s) => {}
            ExprKind::Lit(Literal::Str(s)) => {
                let help = did_you_mean(s, env.calendars.iter().map(String::as_str));
                let kind = TypeErrorKind::UnknownCalendar(s.to_string());
                let span = last.span;
                return c.err_help(
                    kind,
                    span,
                    format!(
                        "the policy's calendars are {}{help}",
                        env.calendars.join(", ")
                    ),
                );
            }
            _ => return c.mismatch(n - 1, "the name of a calendar, as a string"),
        }
        let mut ok = true;
        for (i, w) in want.iter().enumerate() {
            if !c.types[i].fits(w) {
                c.mismatch(i, &format!("`{w}`"));
                ok = false;
            }
        }
        return ok.then_some(out);
    }
    c.fixed(want, out)
}

/// The calendar a call counts in: the one named by the argument after its
/// first `arity`, else the policy's first.
fn calendar<'c>(c: &'c CallEval<'_>, arity: usize) -> Result<&'c dyn WorkingDays, Box<EvalError>> {
    let name = match c.args.get(arity) {
        Some(Value::Str(name)) => Some(name.as_ref()),
        _ => None,
    };
    // INVARIANT: the checker admits these functions only in a policy with
    // calendars, and only with a declared name.
    let none = || EvalErrorKind::Unsupported("no working-day calendar".into());
    c.calendar(name).ok_or_else(|| c.fail(none()))
}

/// A question about a year the calendar has no data for.
fn failed(c: &CallEval<'_>, e: CalendarError) -> Box<EvalError> {
    c.fail(EvalErrorKind::Calendar(e))
}
