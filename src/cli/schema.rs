//! `qagida schema input`: JSON Schema for a policy's applications.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Failure, out};

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// What to describe.
    #[arg(value_enum)]
    pub what: What,
    /// The policy package; by default the one built into the binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum What {
    /// An application's input, as the policy declares it.
    Input,
    /// A policy file (a manifest or an included file).
    Policy,
}

pub fn run(args: &SchemaArgs) -> Result<(), Failure> {
    let s = match args.what {
        What::Input => crate::policy::schema::input(&super::load_policy(&args.policy)?.policy),
        What::Policy => crate::policy::schema::policy(),
    };
    out(&format!(
        "{}\n",
        serde_json::to_string_pretty(&s).unwrap_or_default()
    ));
    Ok(())
}
