//! `qagida serve`: decisions over HTTP.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Failure;
use crate::serve::state::Source;
use crate::serve::{Limits, LogFormat, Options};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// A policy package to serve (repeatable: several at once, each under
    /// its id); by default the package built into the binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Vec<PathBuf>,
    /// Serve the built-in package too, beside those of --policy.
    #[arg(long)]
    pub builtin: bool,
    /// The address to listen on: loopback by default. Port 0 takes a free
    /// port, which the line `listening on http://ADDR` on standard output
    /// gives.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The largest body of a decide or explain request, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_body)]
    pub max_body: usize,
    /// The largest body of a batch, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_batch_body)]
    pub max_batch_body: usize,
    /// Seconds a request may take to its response's head (beyond them a
    /// 503); a batch streaming on may pause its body, or its client stop
    /// reading, no longer than this (beyond it the stream ends short).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Requests answered at once; beyond them a 503 with Retry-After
    /// (health, readiness and metrics always answer).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_in_flight)]
    pub max_in_flight: usize,
    /// Batches decided at once (each streams on after its head, on threads
    /// of its own); beyond them a 503 with Retry-After. By default one per
    /// core.
    #[arg(long, value_name = "N")]
    pub max_batches: Option<usize>,
    /// Seconds given to requests in flight on SIGTERM or SIGINT.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub grace: f64,
    /// Threads answering requests; by default one per core.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Threads each batch decides on; by default one per core.
    #[arg(long, value_name = "N")]
    pub batch_jobs: Option<usize>,
    /// The logs' format on standard error.
    #[arg(long, value_enum, default_value_t = Log::Text)]
    pub log_format: Log,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Log {
    Text,
    Json,
}

/// Seconds of the command line as a duration: finite, not negative.
fn seconds(name: &str, s: f64) -> Result<std::time::Duration, Failure> {
    std::time::Duration::try_from_secs_f64(s).map_err(|_| {
        Failure::new(
            super::Exit::Usage,
            vec![crate::core::diag::Diagnostic::error(
                "usage",
                format!("--{name} {s} is not a number of seconds"),
            )],
        )
    })
}

pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    let mut sources: Vec<Source> = args.policy.iter().cloned().map(Source::Dir).collect();
    if args.builtin || sources.is_empty() {
        sources.insert(0, Source::Embedded);
    }
    let defaults = Limits::default();
    let opts = Options {
        sources,
        listen: args.listen,
        limits: Limits {
            max_body: args.max_body,
            max_batch_body: args.max_batch_body,
            timeout: seconds("timeout", args.timeout)?,
            max_in_flight: args.max_in_flight.max(1),
            max_batches: args.max_batches.unwrap_or(defaults.max_batches).max(1),
            grace: seconds("grace", args.grace)?,
            batch_jobs: args.batch_jobs.unwrap_or(defaults.batch_jobs).max(1),
        },
        log: match args.log_format {
            Log::Text => LogFormat::Text,
            Log::Json => LogFormat::Json,
        },
        threads: args.threads,
    };
    crate::serve::run(opts, |addr| {
        super::out(&format!("listening on http://{addr}\n"));
    })
}
