//! qagida: regulations as versioned, typed, testable data.
//!
//! The pipeline: [`policy::load_dir`] reads a policy package and checks every
//! expression in it ([`syntax`] parses, [`check`] types); [`input::read`]
//! reads an application against the policy's schema; [`eval::evaluate`]
//! computes the decision over values that may be unknown, with a trace.
//! Nothing here prints: the command-line interface in [`cli`] renders.

pub mod ast;
pub mod batch;
pub mod calendar;
pub mod check;
pub mod cli;
pub mod consolidate;
pub mod contract;
pub mod diag;
pub mod embedded;
pub mod engine;
pub mod eval;
pub mod explain;
pub mod functions;
pub mod input;
pub mod lint;
pub mod par;
pub mod policy;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod testing;
pub mod types;
pub mod value;
pub mod yaml;
