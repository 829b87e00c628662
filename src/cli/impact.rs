//! `qagida impact`: what a change of the policy (two dates, or this folder
//! and an edited copy) does to a corpus of applications, as text, JSON or
//! a self-contained HTML page.

use std::io::{BufReader, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::batch::Format as InputArg;
use super::eval::prepare;
use super::{Exit, Failure, PolicyArgs};
use crate::core::diag::Diagnostic;
use crate::engine::batch::{self, InputFormat};
use crate::engine::impact;

#[derive(Args, Debug)]
pub struct ImpactArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Compare with this folder of the policy (an edited copy) instead of
    /// the same policy on two dates.
    #[arg(long, value_name = "DIR")]
    pub with: Option<PathBuf>,
    /// The old side's date (YYYY-MM-DD) or edition (as `editions` names
    /// it, from its first day in force); with --with, by default --to.
    #[arg(long, value_name = "DATE|EDITION")]
    pub from: Option<String>,
    /// The new side's date or edition.
    #[arg(long, value_name = "DATE|EDITION")]
    pub to: String,
    /// Threads to decide with; by default one per core.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// The input's format; by default from its extension (.csv, else JSONL).
    #[arg(long, value_enum)]
    pub input_format: Option<InputArg>,
    /// Example applications shown for each transition (the first in input
    /// order).
    #[arg(long, value_name = "K", default_value_t = 3)]
    pub examples: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The language of the HTML report's words (one of the policy's); by
    /// default English. Text and JSON are in English.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// The output file; by default standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The corpus: JSONL (one application a line) or CSV; - for standard
    /// input.
    pub input: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Html,
}

use crate::report::impact::{Side, edition_on, html, json, resolve, text};

pub fn run(args: &ImpactArgs) -> Result<(), Failure> {
    let io = |m: String| Failure::new(Exit::Io, vec![Diagnostic::unreadable(m)]);
    let (old_plan, mut request) = prepare(&args.policy, None, false)?;
    let new_loaded = match &args.with {
        Some(dir) => Some(prepare(
            &PolicyArgs {
                policy: Some(dir.clone()),
                ..args.policy.clone()
            },
            None,
            false,
        )?),
        None => None,
    };
    let new_plan = new_loaded.as_ref().map_or(&old_plan, |(p, _)| p);
    let to = resolve(new_plan.policy(), &args.to)?;
    let from = match (&args.from, &args.with) {
        (Some(f), _) => resolve(old_plan.policy(), f)?,
        (None, Some(_)) => resolve(old_plan.policy(), &args.to)?,
        (None, None) => {
            return Err(Failure::new(
                Exit::Usage,
                vec![
                    Diagnostic::error("usage", "impact needs --from, or --with to compare folders")
                        .help("give --from DATE|EDITION, the old side's date"),
                ],
            ));
        }
    };
    request.at = crate::engine::At::On(from);
    let old = old_plan.prepare(&request)?;
    request.at = crate::engine::At::On(to);
    let new = new_plan.prepare(&request)?;
    let format = match args.input_format {
        Some(InputArg::Csv) => InputFormat::Csv,
        Some(InputArg::Jsonl) => InputFormat::Jsonl,
        None if args.input.extension().is_some_and(|e| e == "csv") => InputFormat::Csv,
        None => InputFormat::Jsonl,
    };
    let input: Box<dyn std::io::BufRead> = match super::batch::open_input(&args.input)? {
        None => Box::new(BufReader::with_capacity(batch::IO_BUFFER, std::io::stdin())),
        Some(f) => Box::new(BufReader::with_capacity(batch::IO_BUFFER, f)),
    };
    if let Some(o) = &args.output
        && args.input.as_os_str() != "-"
        && super::output::same_file(&args.input, o)
    {
        return Err(Failure::new(
            Exit::Usage,
            vec![Diagnostic::error(
                "usage",
                format!(
                    "the output `{}` is the input `{}`: writing it would destroy the applications",
                    o.display(),
                    args.input.display()
                ),
            )],
        ));
    }
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let cfg = impact::Config {
        old: &old,
        new: &new,
        jobs,
        examples: args.examples,
        own_plans: true,
        stop: Some(super::batch::stop_on_signal()),
    };
    let imp = impact::run(&cfg, input, format).map_err(|e| {
        io(format!(
            "cannot read the input: {}",
            crate::core::files::io_reason(&e)
        ))
    })?;
    let sides = [
        Side {
            policy: old_plan.policy().meta.id.clone(),
            at: from,
            edition: edition_on(old_plan.policy(), from),
        },
        Side {
            policy: new_plan.policy().meta.id.clone(),
            at: to,
            edition: edition_on(new_plan.policy(), to),
        },
    ];
    let with = args.with.as_ref().map(|d| d.display().to_string());
    let page = match args.format {
        Format::Text => text(&imp, &sides, with.as_deref()),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&json(&imp, &sides, with.as_deref())).unwrap_or_default()
        ),
        Format::Html => {
            let lang = super::eval::language(new_plan.policy(), args.lang.as_deref())?;
            html(&imp, &sides, with.as_deref(), lang.unwrap_or("en"))
        }
    };
    match &args.output {
        None => super::out(&page),
        Some(path) => {
            let mut f = super::output::Output::create(path, 64 << 10).map_err(|e| {
                io(format!(
                    "cannot write `{}`: {}",
                    path.display(),
                    crate::core::files::io_reason(&e)
                ))
            })?;
            f.write_all(page.as_bytes())
                .and_then(|()| f.commit())
                .map_err(|e| {
                    io(format!(
                        "cannot write `{}`: {}",
                        path.display(),
                        crate::core::files::io_reason(&e)
                    ))
                })?;
        }
    }
    if imp.interrupted {
        return Err(Failure::new(Exit::Interrupted, vec![]));
    }
    Ok(())
}
