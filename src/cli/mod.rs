//! The command line: argument types, dispatch, and exit statuses. Each
//! command lives in its own module and returns what it found; rendering
//! happens here at the edge.

mod batch;
mod calendar;
pub mod catalogue;
mod check;
pub mod consolidate;
pub mod doc;
pub mod editions;
pub mod eval;
mod generate;
pub mod impact;
mod output;
mod render;
mod sample;
mod schema;
mod serve;
mod snapshot;
mod test;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::core::diag::{self, Diagnostic};
pub use crate::report::failure::{Exit, Failure, load_failure};

#[derive(Parser, Debug)]
#[command(
    name = "qagida",
    version,
    about = "Regulations as versioned, typed, testable data",
    long_about = "qagida evaluates applications against a regulation encoded as a YAML policy \
package with a small typed expression language, and checks such packages."
)]
pub struct Cli {
    /// How to print diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ErrorFormat {
    Human,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Load a policy package, type-check it and print every diagnostic.
    Check(check::CheckArgs),
    /// Evaluate one application against a policy.
    Eval(eval::EvalArgs),
    /// Evaluate many applications (JSONL or CSV) into JSONL, in input order.
    Batch(batch::BatchArgs),
    /// Evaluate one application and print why: each value and rule with its
    /// result, the inputs it read and its citation.
    Explain(eval::EvalArgs),
    /// The act's timeline: amending acts, what each changed, and the editions.
    Editions(editions::EditionsArgs),
    /// The policy as in force on a date, with wording not encoded marked.
    Consolidate(consolidate::ConsolidateArgs),
    /// What changed between the policy in force on two dates, each change
    /// with its date and the amending act that explains it.
    Diff(consolidate::DiffArgs),
    /// What a change of the policy (two dates or editions, or an edited
    /// copy) does to a corpus of applications: transitions between
    /// outcomes, reasons gained and lost, dates and numbers moved.
    Impact(impact::ImpactArgs),
    /// Run a package's test cases and report what they leave uncovered.
    Test(test::TestArgs),
    /// Regression snapshots: the corpus's decisions in every edition,
    /// checked against those recorded, accepted or reviewed.
    Snapshot(snapshot::SnapshotArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(generate::CompletionsArgs),
    /// Print the man page.
    Man,
    /// The policy as a document to review against the act.
    Doc(doc::DocArgs),
    /// A certificate filled from a granted decision, or a reasoned refusal.
    Render(render::RenderArgs),
    /// JSON Schema for a policy's applications, for an editor's YAML support.
    Schema(schema::SchemaArgs),
    /// Working days of a calendar: show a year, add working days, count them.
    Calendar(calendar::CalendarArgs),
    /// A policy's catalogue (such as a list of professions) in force on a date.
    Catalogue(catalogue::CatalogueArgs),
    /// Synthetic applications drawn from the policy's schema, catalogues,
    /// tables and parameters, as JSONL: every member and entry in turn,
    /// numbers at their edges; the same seed gives the same lines.
    Sample(sample::SampleArgs),
    /// Serve decisions over HTTP (JSON under /v1, as eval, explain and
    /// batch give them), with health, readiness, metrics and reloads.
    Serve(serve::ServeArgs),
}

/// Arguments shared by commands that evaluate.
#[derive(Args, Debug, Clone)]
pub struct PolicyArgs {
    /// The policy package: a directory with a policy.yaml, or a manifest
    /// file; by default the package built into the binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
    /// Set a parameter for this evaluation, e.g. threshold=6 (repeatable,
    /// once per parameter; NAME=null leaves it without a value, unknown;
    /// an empty value is an error).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// A YAML file of parameters to set, applied before --param.
    #[arg(long, value_name = "FILE")]
    pub overlay: Option<PathBuf>,
    /// Decide only if the package loaded has this content hash (`sha256:…`,
    /// as `qagida check` prints it): a decision re-run exactly as it was
    /// made, or refused (exit 1) when the package is not the same.
    #[arg(long = "policy-hash", value_name = "HASH")]
    pub policy_hash: Option<String>,
}

/// Loads the package at `path`, or the built-in default.
pub fn load_policy(path: &Option<PathBuf>) -> Result<crate::policy::Loaded, Failure> {
    let loaded = match path {
        Some(p) => crate::policy::load_dir(p),
        None => crate::policy::embedded::default_policy(),
    };
    loaded.map_err(load_failure)
}

/// Whether to colour output for a person: only on a terminal, and never
/// when NO_COLOR is set.
pub fn color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn print_diags(format: ErrorFormat, diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    let mut diags = diags.to_vec();
    diag::sort(&mut diags);
    let text = match format {
        ErrorFormat::Human => diag::human(&diags, color(std::io::stderr().is_terminal())),
        ErrorFormat::Json => format!("{}\n", diag::json(&diags)),
    };
    let _ = std::io::stderr().write_all(text.as_bytes());
}

pub fn main() -> ExitCode {
    // A bug should read as one, not as a Rust backtrace: one line saying
    // where, and the documented status 101 that Rust gives a panic.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error[internal]: qagida failed unexpectedly: {what}{at}; this is a bug, please report it with the input that caused it"
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and the version go to standard output: a write that
            // fails there fails the run, as any command's output does.
            if e.print().is_err() && !e.use_stderr() {
                return ExitCode::from(Exit::Io as u8);
            }
            return ExitCode::from(if e.use_stderr() { Exit::Usage as u8 } else { 0 });
        }
    };
    let result = match &cli.command {
        Command::Check(a) => check::run(a, cli.error_format),
        Command::Eval(a) => eval::run(a),
        Command::Explain(a) => eval::explain(a),
        Command::Batch(a) => batch::run(a),
        Command::Calendar(a) => calendar::run(a),
        Command::Editions(a) => editions::run(a),
        Command::Test(a) => test::run(a),
        Command::Snapshot(a) => snapshot::run(a),
        Command::Completions(a) => generate::completions(a),
        Command::Man => generate::man(),
        Command::Doc(a) => doc::run(a),
        Command::Render(a) => render::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Consolidate(a) => consolidate::run(a),
        Command::Diff(a) => consolidate::diff(a),
        Command::Impact(a) => impact::run(a),
        Command::Catalogue(a) => catalogue::run(a),
        Command::Sample(a) => sample::run(a),
        Command::Serve(a) => serve::run(a),
    };
    let result = written(result);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            print_diags(cli.error_format, &f.diags);
            if let (Some(line), ErrorFormat::Human) = (&f.summary, cli.error_format) {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
            ExitCode::from(f.exit as u8)
        }
    }
}

/// The first failure to write standard output, if any: it makes the run
/// fail (see [`written`]), whatever the command returns.
static WRITE_FAILED: std::sync::Mutex<Option<std::io::Error>> = std::sync::Mutex::new(None);

/// Prints to stdout. A write that fails (a full disk, a closed pipe) is
/// remembered, and nothing more is written; the run then fails.
pub fn out(text: &str) {
    let mut failed = WRITE_FAILED.lock().unwrap_or_else(|p| p.into_inner());
    if failed.is_some() {
        return;
    }
    let mut o = std::io::stdout().lock();
    if let Err(e) = o.write_all(text.as_bytes()).and_then(|()| o.flush()) {
        *failed = Some(e);
    }
}

/// Whether writing standard output has failed (a reader that stopped, a
/// full disk): a command writing much need write no more.
pub fn write_failed() -> bool {
    WRITE_FAILED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .is_some()
}

/// The run's result, made a failure if writing standard output failed: a
/// closed pipe (`qagida ... | head -1`) fails quietly, with no message,
/// since the reader chose to stop; any other failure (a full disk) says
/// so in one line. Both exit with status 3, unless the command failed on
/// its own, whose status stands.
fn written(result: Result<(), Failure>) -> Result<(), Failure> {
    let failed = WRITE_FAILED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    let Some(e) = failed else {
        return result;
    };
    let diags = match e.kind() {
        std::io::ErrorKind::BrokenPipe => Vec::new(),
        _ => vec![Diagnostic::error(
            "io",
            format!(
                "cannot write standard output: {}",
                crate::core::files::io_reason(&e)
            ),
        )],
    };
    match result {
        // The command's own failure stands, with the write's beside it.
        Err(mut f) => {
            f.diags.extend(diags);
            Err(f)
        }
        Ok(()) => Err(Failure::new(Exit::Io, diags)),
    }
}
