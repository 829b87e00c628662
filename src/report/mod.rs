//! What a person reads, made from a policy and its decisions, for the
//! command line and the service alike: the act's timeline (editions), a catalogue (catalogue), the
//! policy as in force and what changed (consolidate), the dates a person
//! gives (dates), a decision as text (decision), the policy as a document (doc), a failure with its status (failure),
//! what a change does to a corpus of applications (impact).
//! Neither edge prints what the other cannot: `cli` writes these to the
//! terminal, `serve` to HTTP.

pub mod catalogue;
pub mod consolidate;
pub mod dates;
pub mod decision;
pub mod doc;
pub mod editions;
pub mod failure;
pub mod impact;
