//! What a person reads, made from a policy and its decisions, for the
//! command line and the service alike: a failure with its status.
//! Neither edge prints what the other cannot: `cli` writes these to the
//! terminal, `serve` to HTTP.

pub mod failure;
