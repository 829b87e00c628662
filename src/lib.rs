//! qagida: regulations as versioned, typed, testable data.
//!
//! The way in is [`engine`]: [`policy::load_dir`] (or
//! [`embedded::default_policy`]) reads a policy package and checks every
//! expression in it; [`engine::Plan::new`] makes it ready to decide; and
//! [`engine::Plan::decide`] reads an application against the policy's
//! schema, dates it, checks the date falls in the period the act is in
//! force and evaluates it, or says why not with an
//! [`engine::DecideError`]. [`contract::to_json`] writes a decision as
//! `qagida eval --format json` does, [`explain::render`] its trace.
//!
//! ```
//! use qagida::engine::{Application, Plan, Request, Setting};
//!
//! let plan = Plan::new(qagida::policy::embedded::default_policy().unwrap().policy);
//! let request = Request {
//!     params: vec![Setting::Arg("threshold=6".into())],
//!     ..Request::default()
//! };
//! let app = qagida::core::source::SourceFile::new("app.yaml", std::fs::read_to_string(
//!     "policies/kz-order-503/examples/issue-grant.yaml").unwrap());
//! let decision = plan.decide(Application::File(&app), &request).unwrap();
//! assert_eq!(decision.outcome, "grant");
//! ```
//!
//! Beneath it: [`syntax`] parses expressions, [`check`] types them,
//! [`input`] reads applications, [`eval`] computes over values that may be
//! unknown, with a trace; [`batch`] decides many in parallel. Nothing here
//! prints: the command-line interface in [`cli`] renders.

pub mod cli;
pub mod core;
pub mod engine;
pub mod lang;
pub mod policy;
