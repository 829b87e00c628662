//! `qagida completions SHELL` and `qagida man`: generated from the command
//! definitions, so they never fall behind them.

use clap::{Args, CommandFactory};

use super::{Cli, Exit, Failure, out};
use crate::core::diag::Diagnostic;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn completions(args: &CompletionsArgs) -> Result<(), Failure> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "qagida", &mut buf);
    out(&String::from_utf8_lossy(&buf));
    Ok(())
}

pub fn man() -> Result<(), Failure> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| Failure::new(Exit::Io, vec![Diagnostic::unreadable(e.to_string())]))?;
    out(&String::from_utf8_lossy(&buf));
    Ok(())
}
