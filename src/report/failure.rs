//! A failure of a command or a request: its diagnostics and its status,
//! the command line's exit status, which the service maps to HTTP.

use crate::core::diag::Diagnostic;
use crate::engine::DecideError;

/// Exit statuses, documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Success: the policy is valid, or the evaluation ran.
    Ok = 0,
    /// The policy (or an overlay or parameter) has errors.
    Policy = 1,
    /// The command line is wrong (clap's own status).
    Usage = 2,
    /// A file cannot be read.
    Io = 3,
    /// The application is not well-formed YAML or JSON.
    Malformed = 4,
    /// The application does not fit the policy's input schema.
    Input = 5,
    /// The policy failed while evaluating (a table gap, an overflow).
    Evaluation = 6,
    /// The date is outside the period the act was in force, or outside the
    /// years a working-day calendar has data for.
    OutOfForce = 7,
    /// The application names a catalogue entry (a profession) that no
    /// entry has.
    UnknownEntry = 8,
    /// The application names a catalogue entry by a name several share.
    AmbiguousEntry = 9,
    /// A batch stopped by SIGINT, SIGTERM or SIGHUP: the records begun
    /// were written whole, and the rest of the input was not read.
    Interrupted = 130,
}

/// A policy or calendar that did not load: unreadable files are an I/O
/// failure, anything else an error of the policy.
pub fn load_failure(d: Vec<crate::core::diag::Diagnostic>) -> Failure {
    let exit = if d.iter().all(|x| x.unreadable) {
        Exit::Io
    } else {
        Exit::Policy
    };
    Failure::new(exit, d)
}

/// Each way a decision fails has its documented status.
impl From<&DecideError> for Exit {
    fn from(e: &DecideError) -> Exit {
        match e {
            DecideError::Unreadable(_) => Exit::Io,
            DecideError::Malformed(_) => Exit::Malformed,
            DecideError::Schema(_) => Exit::Input,
            DecideError::UnknownEntry(_) => Exit::UnknownEntry,
            DecideError::AmbiguousEntry(_) => Exit::AmbiguousEntry,
            DecideError::Params(_) => Exit::Policy,
            DecideError::BadDate(_) | DecideError::NoDate { .. } => Exit::Usage,
            DecideError::OutOfForce { .. } => Exit::OutOfForce,
            DecideError::Evaluation(_) => Exit::Evaluation,
        }
    }
}

impl From<DecideError> for Failure {
    fn from(e: DecideError) -> Failure {
        Failure::new(Exit::from(&e), e.diagnostics())
    }
}

/// What a command hands back: diagnostics to print and a status.
pub struct Failure {
    pub exit: Exit,
    pub diags: Vec<Diagnostic>,
    /// A closing line, printed after the diagnostics.
    pub summary: Option<String>,
}

impl Failure {
    pub fn new(exit: Exit, diags: Vec<Diagnostic>) -> Failure {
        Failure {
            exit,
            diags,
            summary: None,
        }
    }

    pub fn summary(mut self, line: String) -> Failure {
        self.summary = Some(line);
        self
    }
}
