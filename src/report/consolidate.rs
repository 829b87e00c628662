//! The policy as in force on a date, and what changed between two, as
//! JSON.

use crate::core::json::Json;
use crate::policy::Policy;
use crate::policy::consolidate;
use crate::report::dates::{in_force, parse_date};
use crate::report::failure::Failure;

/// The policy as in force on `at` (a date of the command line), as JSON.
pub fn consolidated(policy: &Policy, at: &str) -> Result<Json, Failure> {
    Ok(consolidate::consolidate(policy, in_force(policy, at)?))
}

/// What changed between two dates of the command line, as `diff --format
/// json` prints it.
pub fn diff_json(policy: &Policy, from: &str, to: &str) -> Result<String, Failure> {
    let from_day = in_force(policy, from)?;
    let changes = consolidate::diff(policy, from_day, in_force(policy, to)?);
    Ok(changes_json(policy, from_day, parse_date(to)?, &changes))
}

/// The changes as JSON, written straight from them so that their numbers
/// keep their digits.
pub(crate) fn changes_json(
    policy: &Policy,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    changes: &[consolidate::Change],
) -> String {
    #[derive(serde::Serialize)]
    struct Diff<'a> {
        policy: &'a str,
        from: String,
        to: String,
        changes: &'a [consolidate::Change],
    }
    let v = Diff {
        policy: &policy.meta.id,
        from: from.to_string(),
        to: to.to_string(),
        changes,
    };
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
