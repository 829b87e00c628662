//! `qagida batch`: many applications, JSONL or CSV in, JSONL out.

use std::io::{BufReader, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::eval::prepare;
use super::{Exit, Failure, PolicyArgs};
use crate::core::diag::Diagnostic;
use crate::engine::batch::{self, InputFormat};

#[derive(Args, Debug)]
pub struct BatchArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Evaluate every line at this date (YYYY-MM-DD, or `today`); by
    /// default each at its own evaluation date (its submission date), and
    /// a line without one is an error record.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Threads to evaluate with; by default one per core.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// The input's format; by default from its extension (.csv, else JSONL).
    #[arg(long, value_enum)]
    pub input_format: Option<Format>,
    /// The output file (JSONL); - for standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: PathBuf,
    /// The input: JSONL (one application a line) or CSV (one a row; see
    /// the README for its columns); - for standard input.
    pub input: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

pub fn run(args: &BatchArgs) -> Result<(), Failure> {
    let (plan, request) = prepare(&args.policy, args.at.as_deref(), false)?;
    let prepared = plan.prepare(&request)?;
    let io = |m: String| Failure::new(Exit::Io, vec![Diagnostic::unreadable(m)]);
    let format = match args.input_format {
        Some(Format::Csv) => InputFormat::Csv,
        Some(Format::Jsonl) => InputFormat::Jsonl,
        None if args.input.extension().is_some_and(|e| e == "csv") => InputFormat::Csv,
        None => InputFormat::Jsonl,
    };
    let to_file = args.output.as_os_str() != "-";
    if to_file
        && args.input.as_os_str() != "-"
        && super::output::same_file(&args.input, &args.output)
    {
        return Err(Failure::new(
            Exit::Usage,
            vec![
                Diagnostic::error(
                    "usage",
                    format!(
                        "the output `{}` is the input `{}`: writing it would destroy the applications",
                        args.output.display(),
                        args.input.display()
                    ),
                )
                .help("write the records to another file, or to standard output with -o -"),
            ],
        ));
    }
    let read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut size = None;
    let input: Box<dyn std::io::BufRead> = match open_input(&args.input)? {
        None => Box::new(BufReader::with_capacity(batch::IO_BUFFER, std::io::stdin())),
        Some(f) => {
            size = f.metadata().ok().map(|m| m.len()).filter(|n| *n > 0);
            Box::new(BufReader::with_capacity(
                batch::IO_BUFFER,
                Counting {
                    inner: f,
                    read: read.clone(),
                },
            ))
        }
    };
    let mut file = None;
    let mut stdout;
    let output: &mut dyn Write = if args.output.as_os_str() == "-" {
        stdout = std::io::BufWriter::with_capacity(batch::OUTPUT_BUFFER, std::io::stdout());
        &mut stdout
    } else {
        let opened = super::output::Output::create(&args.output, batch::OUTPUT_BUFFER);
        let f = opened.map_err(|e| {
            io(format!(
                "cannot write `{}`: {}",
                args.output.display(),
                crate::core::files::io_reason(&e)
            ))
        })?;
        file.insert(f)
    };
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let terminal = std::io::stderr().is_terminal();
    let mut progress = |s: &batch::Summary| {
        if !terminal {
            return;
        }
        // A bar when the input's size is known, else a count.
        let bar = size
            .map(|total| {
                let done = read.load(std::sync::atomic::Ordering::Relaxed).min(total);
                let filled = (done * 30 / total) as usize;
                format!(
                    "[{}{}] {:>3}% ",
                    "#".repeat(filled),
                    "-".repeat(30 - filled),
                    done * 100 / total
                )
            })
            .unwrap_or_default();
        let _ = write!(
            std::io::stderr(),
            "\r{bar}{} records, {} errors",
            s.total,
            s.errors
        );
    };
    // Each worker takes its own plan (see `batch::Config::own_plans`).
    let cfg = batch::Config {
        prepared: &prepared,
        jobs,
        own_plans: true,
        stop: Some(stop_on_signal()),
    };
    let run = batch::run(&cfg, input, format, output, &mut progress);
    let summary = run
        .and_then(|s| {
            file.map_or(Ok(()), super::output::Output::commit)
                .map(|()| s)
        })
        .map_err(|e| {
            match e.kind() {
                // The reader of a pipe chose to stop: no message.
                std::io::ErrorKind::BrokenPipe => Failure::new(Exit::Io, vec![]),
                _ => io(format!(
                    "cannot write the output: {}",
                    crate::core::files::io_reason(&e)
                )),
            }
        })?;
    if terminal {
        let _ = writeln!(std::io::stderr());
    }
    let mut line = format!("{} records:", summary.total);
    for (o, n) in &summary.outcomes {
        line += &format!(" {n} {o},");
    }
    line += &format!(" {} errors", summary.errors);
    if summary.interrupted {
        line += " (interrupted: the rest of the input was not read)";
    }
    let _ = writeln!(std::io::stderr(), "{line}");
    if summary.interrupted {
        return Err(Failure::new(Exit::Interrupted, vec![]));
    }
    if summary.errors > 0 {
        return Err(Failure::new(Exit::Input, vec![]));
    }
    Ok(())
}

/// A flag that SIGINT, SIGTERM and SIGHUP set, so that a batch stops
/// reading and ends on a whole record; a second signal ends the process at
/// once (status 130), for a batch whose input does not come.
pub(super) fn stop_on_signal() -> &'static std::sync::atomic::AtomicBool {
    use std::sync::atomic::{AtomicBool, Ordering};
    static STOP: AtomicBool = AtomicBool::new(false);
    static SET: std::sync::Once = std::sync::Once::new();
    SET.call_once(|| {
        // Without a handler (one already set), the signals keep their
        // default action.
        let _ = ctrlc::set_handler(|| {
            if STOP.swap(true, Ordering::SeqCst) {
                std::process::exit(Exit::Interrupted as i32);
            }
        });
    });
    &STOP
}

/// A reader that counts the bytes read, for the progress bar.
struct Counting<R> {
    inner: R,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// The input file at `path`, opened and checked not to be a folder (exit 3
/// otherwise, saying why); `None` for `-`, standard input.
pub(super) fn open_input(path: &std::path::Path) -> Result<Option<std::fs::File>, Failure> {
    if path.as_os_str() == "-" {
        return Ok(None);
    }
    let io = |m: String| Failure::new(Exit::Io, vec![Diagnostic::unreadable(m)]);
    let f = std::fs::File::open(path).map_err(|e| {
        io(format!(
            "cannot read `{}`: {}",
            path.display(),
            crate::core::files::io_reason(&e)
        ))
    })?;
    if f.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(io(format!(
            "cannot read `{}`: it is a directory",
            path.display()
        )));
    }
    Ok(Some(f))
}
