//! `qagida sample`: synthetic applications drawn from a policy, as JSONL.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::eval::parse_date;
use super::{Exit, Failure, out};
use crate::core::diag::Diagnostic;
use crate::engine::Plan;
use crate::engine::sample::{SampleError, sample};

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// How many applications to write.
    #[arg(value_name = "N")]
    pub n: u64,
    /// The seed: the same seed (and policy) writes the same lines, byte for
    /// byte.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Dates in the year up to this date (YYYY-MM-DD, or `today`), and
    /// only the catalogue entries in force on it; by default dates in the
    /// period the act is in force, each application decided at its own.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// The policy package; by default the one built into the binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
    /// The output file (JSONL); by default standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Lines are written in blocks of about this many bytes.
const BLOCK: usize = 1 << 16;

pub fn run(args: &SampleArgs) -> Result<(), Failure> {
    let at = args.at.as_deref().map(parse_date).transpose()?;
    let plan = Plan::new(super::load_policy(&args.policy)?.policy);
    let lines = sample(&plan, args.n, args.seed, at).map_err(failure)?;
    let io = |what: String, e: std::io::Error| {
        Failure::new(
            Exit::Io,
            vec![Diagnostic::error(
                "io",
                format!("cannot write {what}: {}", crate::core::files::io_reason(&e)),
            )],
        )
    };
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            let name = format!(
                "`{}`",
                crate::core::text::escape(&path.display().to_string())
            );
            let mut file =
                super::output::Output::create(path, BLOCK).map_err(|e| io(name.clone(), e))?;
            for line in lines {
                let line = line.map_err(failure)?;
                file.write_all(line.as_bytes())
                    .and_then(|()| file.write_all(b"\n"))
                    .map_err(|e| io(name.clone(), e))?;
            }
            file.commit().map_err(|e| io(name, e))?;
        }
        _ => {
            let mut block = String::with_capacity(BLOCK + 4096);
            for line in lines {
                block.push_str(&line.map_err(failure)?);
                block.push('\n');
                if block.len() >= BLOCK {
                    out(&block);
                    block.clear();
                    // A reader that stopped (`| head`) wants no more.
                    if super::write_failed() {
                        return Ok(());
                    }
                }
            }
            out(&block);
        }
    }
    Ok(())
}

fn failure(e: SampleError) -> Failure {
    Failure::new(Exit::from(e.decide_error()), e.diagnostics())
}
