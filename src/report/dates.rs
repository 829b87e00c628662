//! The dates a person gives: read, and checked to fall in the period the
//! act is in force.

use chrono::NaiveDate;

use crate::core::diag::Diagnostic;
use crate::engine::{At, DecideError};
use crate::policy::Policy;
use crate::report::failure::{Exit, Failure};

/// "DATE is outside the period policy P is in force: from A until B".
pub fn outside_message(policy: &Policy, at: NaiveDate) -> String {
    DecideError::OutOfForce {
        at,
        policy: policy.meta.id.clone(),
        from: policy.meta.in_force_from,
        until: policy.meta.in_force_until,
        doubt: policy.doubt_until().flatten(),
    }
    .to_string()
}

/// A date of the command line: YYYY-MM-DD, or `today` for the machine's
/// local date.
pub fn parse_date(s: &str) -> Result<NaiveDate, Failure> {
    match At::parse(s)?.resolved() {
        At::On(d) => Ok(d),
        _ => Err(DecideError::BadDate(s.to_string()).into()),
    }
}

/// `at`, when the act is in force on it; else why not (exit 7): a date
/// outside the act is never decided nor shown.
pub fn in_force_on(policy: &Policy, at: NaiveDate) -> Result<NaiveDate, Failure> {
    if !policy.in_force(at) {
        return Err(Failure::new(
            Exit::OutOfForce,
            vec![Diagnostic::error(
                "out-of-force",
                outside_message(policy, at),
            )],
        ));
    }
    Ok(at)
}

/// A date a person gives, read, in the period the act is in force.
pub fn in_force(policy: &Policy, s: &str) -> Result<NaiveDate, Failure> {
    in_force_on(policy, parse_date(s)?)
}
