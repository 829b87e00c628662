//! Why a decision could not be made: one variant per kind of failure, so
//! that a caller (the command line's exit status, a service's HTTP status)
//! chooses by the variant, never by comparing diagnostic codes.

use chrono::NaiveDate;

use crate::core::diag::Diagnostic;
use crate::core::text::escape_message;

/// A decision that could not be made, with the diagnostics that say why.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DecideError {
    /// A file (the application, an overlay) cannot be read: it does not
    /// exist, it is a directory, permission is denied.
    #[error("{}", first(.0))]
    Unreadable(Vec<Diagnostic>),
    /// The application is not well-formed YAML or JSON, not UTF-8 text, or
    /// too large.
    #[error("{}", joined(.0))]
    Malformed(Vec<Diagnostic>),
    /// The application does not fit the policy's input schema: an unknown
    /// field, a wrong type, a missing required field.
    #[error("{}", joined(.0))]
    Schema(Vec<Diagnostic>),
    /// The application names a catalogue entry that no entry of any
    /// edition has (the closest names are in the help).
    #[error("{}", joined(.0))]
    UnknownEntry(Vec<Diagnostic>),
    /// The application names an entry by a name several entries share,
    /// without what settles it.
    #[error("{}", joined(.0))]
    AmbiguousEntry(Vec<Diagnostic>),
    /// A parameter set by the request (a `NAME=VALUE`, an overlay file, a
    /// test case's `params`) is unknown or does not fit its type.
    #[error("{}", joined(.0))]
    Params(Vec<Diagnostic>),
    /// A date the request gives is not a date (`2021-02-30`, `tomorrow`).
    #[error("`{0}` is not a date")]
    BadDate(String),
    /// The request gives no date and the policy gives no evaluation date
    /// for the application (it declares none, or the application leaves
    /// it unknown, or the parameters `params` it reads have no value). No
    /// decision falls back on the machine's clock.
    #[error(
        "no date to evaluate at: the policy `{policy}` gives no evaluation date for this application{}; give one with --at",
        needs(params)
    )]
    NoDate { policy: String, params: Vec<String> },
    /// The date is outside the period the policy is in force.
    #[error(
        "{} is outside the period policy `{policy}` is in force: from {}{}{}",
        date(*at),
        date(*from),
        until.map(|u| format!(" until {}", date(u))).unwrap_or_default(),
        doubt.map(|d| format!(
            " (its repeal's date is uncertain: up to {} it is applied with a warning)",
            date(d)
        )).unwrap_or_default()
    )]
    OutOfForce {
        at: NaiveDate,
        policy: String,
        from: NaiveDate,
        until: Option<NaiveDate>,
        /// The last day an uncertain repeal leaves in doubt, where one
        /// does: the act is applied up to it, with a warning.
        doubt: Option<NaiveDate>,
    },
    /// The policy failed while evaluating: a gap in a table, an overflow,
    /// a division by zero, a deadline past its calendar's data.
    #[error("{}", .0.message)]
    Evaluation(Box<Diagnostic>),
}

/// ` (it needs parameter `x`, which has no value: supply it with --param)`.
fn needs(params: &[String]) -> String {
    match params {
        [] => String::new(),
        [one] => format!(
            " (it needs parameter `{one}`, which has no value: supply it with --param {one}=VALUE)"
        ),
        many => format!(
            " (it needs parameters {}, which have no value: supply them with --param)",
            many.iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn first(d: &[Diagnostic]) -> String {
    d.first()
        .map(|x| escape_message(&x.message).into_owned())
        .unwrap_or_default()
}

/// Every message, in order, on one line: what a batch's error record and
/// a test case's failure show.
fn joined(d: &[Diagnostic]) -> String {
    d.iter()
        .map(|x| escape_message(&x.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl DecideError {
    /// The diagnostics to show a person: those the failure carries, or one
    /// made from its message, with help on what to do.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            DecideError::Unreadable(d)
            | DecideError::Malformed(d)
            | DecideError::Schema(d)
            | DecideError::UnknownEntry(d)
            | DecideError::AmbiguousEntry(d)
            | DecideError::Params(d) => d.clone(),
            DecideError::BadDate(_) => vec![
                Diagnostic::error("usage", self.to_string())
                    .help("dates are written YYYY-MM-DD, or `today` for the machine's local date"),
            ],
            DecideError::NoDate { .. } => {
                vec![Diagnostic::error("no-date", self.to_string()).help(
                    "give the date with --at DATE, or --at today for the machine's local date",
                )]
            }
            DecideError::OutOfForce { .. } => vec![
                Diagnostic::error("out-of-force", self.to_string())
                    .help("choose a date inside it with --at"),
            ],
            DecideError::Evaluation(d) => vec![(**d).clone()],
        }
    }
}
