//! qagida: regulations as versioned, typed, testable data.
//!
//! The way in is [`engine`]: [`policy::load_dir`] (or
//! [`policy::embedded::default_policy`]) reads a policy package and checks
//! every expression in it; [`Plan::new`] makes it ready to decide; and
//! [`Plan::decide`] reads an application against the policy's schema,
//! dates it, checks the date falls in the period the act is in force and
//! evaluates it, or says why not with a [`DecideError`], one variant for
//! each kind of failure. [`engine::contract::to_json`] writes a decision
//! as `qagida eval --format json` does, [`engine::explain::render`] its
//! trace.
//!
//! A [`Policy`] is what the editor wrote, checked; a [`Plan`] is how it
//! runs: [`Plan::new`] compiles the policy into a program of its own
//! (expressions as operations with their constants and places resolved,
//! table indices, the layouts applications are read into). A plan is
//! cheap to clone; a thread that decides many applications takes
//! [`Plan::for_thread`], the same policy with its program compiled again,
//! so that the values its decisions copy share no reference count with
//! another thread's.
//!
//! ```
//! use qagida::{Application, Plan, Request, Setting};
//!
//! let policy = qagida::policy::load_dir("tests/policies/example".as_ref()).unwrap().policy;
//! let plan = Plan::new(policy);
//! let request = Request {
//!     params: vec![Setting::Arg("pass_mark=8".into())],
//!     ..Request::default()
//! };
//! let app = qagida::core::source::SourceFile::new("grant.yaml", std::fs::read_to_string(
//!     "tests/policies/example/applications/grant.yaml").unwrap());
//! let decision = plan.decide(Application::File(&app), &request).unwrap();
//! assert_eq!(decision.outcome, "grant");
//! ```
//!
//! The library is in layers, each using only those before it:
//! - [`core`]: source text and spans, diagnostics, values, YAML, files;
//! - [`lang`]: the expression language, its syntax, types, checker and
//!   functions;
//! - [`policy`]: a package, loaded and checked: its schema, parameters,
//!   tables, values, decision, history, catalogues and calendars;
//! - [`engine`]: deciding: the plan, the evaluator over values that may be
//!   unknown, the input reader, the decision's JSON, batches, test cases;
//! - [`report`]: what a person reads of a policy and its decisions, and
//!   a failure with its status, for both edges below;
//! - [`cli`]: the command line, which alone prints;
//! - [`serve`]: the same decisions and documents over HTTP.

pub mod cli;
pub mod core;
pub mod engine;
pub mod lang;
pub mod policy;
pub mod report;
pub mod serve;

pub use engine::{Application, At, DecideError, Plan, Prepared, Request, Setting};
pub use policy::Policy;
