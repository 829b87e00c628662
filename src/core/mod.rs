//! The core layer: what every other layer stands on and which depends on
//! nothing else here. Source text and the places in it, diagnostics,
//! values (with durations and the unknown), the YAML reader, near-miss
//! suggestions, user text escaped for messages and an ordered parallel map.

pub mod decimal;
pub mod diag;
pub mod digest;
pub mod files;
pub mod json;
pub mod locale;
pub mod par;
pub mod source;
pub mod span;
pub mod suggest;
pub mod text;
pub mod value;
pub mod yaml;
