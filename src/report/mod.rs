//! What a person reads, made from a policy and its decisions, for the
//! command line and the service alike; each edge only writes it out, `cli`
//! to the terminal and `serve` to HTTP:
//! - a decision as text, and with its explanation ([`decision`]);
//! - the policy as a document ([`doc`]), its timeline ([`editions`]), as
//!   in force on a date and what changed between two ([`consolidate`]);
//! - a catalogue as a tree or a search ([`catalogue`]);
//! - what a change does to a corpus of applications ([`impact`]);
//! - the dates a person gives ([`dates`]), and a failure with its exit
//!   status ([`failure`]).

pub mod catalogue;
pub mod consolidate;
pub mod dates;
pub mod decision;
pub mod doc;
pub mod editions;
pub mod failure;
pub mod impact;
