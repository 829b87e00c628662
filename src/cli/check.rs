//! `qagida check [PATH]`

use std::path::PathBuf;

use clap::Args;

use super::{ErrorFormat, Failure, out, print_diags};
use crate::core::diag;
use crate::policy::load_dir;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The policy package: a directory with a policy.yaml, or a manifest
    /// file; by default the package built into the binary.
    #[arg(conflicts_with = "policy")]
    pub path: Option<PathBuf>,
    /// The policy package, named as every other command names it (the
    /// same as PATH).
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
}

pub fn run(args: &CheckArgs, format: ErrorFormat) -> Result<(), Failure> {
    let loaded = match args.path.as_ref().or(args.policy.as_ref()) {
        Some(p) => load_dir(p),
        None => crate::policy::embedded::default_policy(),
    };
    match loaded {
        Ok(loaded) => {
            print_diags(format, &loaded.warnings);
            let p = &loaded.policy;
            let rules = p.decision.as_ref().map(|d| d.rules.len()).unwrap_or(0);
            out(&(format!(
                "policy `{}`: ok ({} input fields, {} parameters, {} tables, {} values, {} rules; {})\n",
                p.meta.id,
                p.fields.len(),
                p.params.len(),
                p.tables.len(),
                p.values.len(),
                rules,
                diag::summary(&loaded.warnings),
            ) + &format!("hash: {}\n", p.digest)));
            Ok(())
        }
        Err(diags) => {
            let summary = format!("error: the policy has errors: {}", diag::summary(&diags));
            Err(super::load_failure(diags).summary(summary))
        }
    }
}
