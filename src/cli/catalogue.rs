//! `qagida catalogue`: a policy's catalogue (the List) in force on a date,
//! as a tree, or the entries that match a search.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Failure, out};

#[derive(Args, Debug)]
pub struct CatalogueArgs {
    /// The policy package; by default the one built into the binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
    /// Which catalogue, when the policy has several; by default the first.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The date: YYYY-MM-DD, or `today`; by default the act's last day in
    /// force (an act still in force needs one).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Show names in this language too (the official one is always shown).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Show only entries whose names (in any language) or aliases contain
    /// this; when none is in force on the date, those that match on other
    /// dates, with their dates.
    pub search: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub use crate::report::catalogue::default_date;

pub fn run(args: &CatalogueArgs) -> Result<(), Failure> {
    let policy = super::load_policy(&args.policy)?.policy;
    let q = crate::report::catalogue::Query {
        name: args.name.as_deref(),
        at: args.at.as_deref(),
        lang: args.lang.as_deref(),
        json: args.format == Format::Json,
        search: args.search.as_deref(),
    };
    out(&crate::report::catalogue::view(&policy, &q)?);
    Ok(())
}
