//! `qagida snapshot check|accept|review`: regression snapshots of a
//! package's decisions, one file per edition of the act.
//!
//! A package keeps a corpus of applications under `snapshots/corpus/`
//! (each `.yaml`, `.yml` or `.json` file one application, each line of a
//! `.jsonl` file one), and for each edition (see [`super::editions`]) the
//! decisions recorded for it in `snapshots/<edition>.jsonl`: one line per
//! application and date, the application's name first, then the decision's
//! JSON as `eval --format json` writes it, in corpus order then date
//! order. `check` decides the corpus again in every edition and compares
//! (with [`crate::engine::compare`]); `accept` records; `review` walks the
//! changes one by one.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};

use super::{Exit, Failure, out};
use crate::core::diag::Diagnostic;
use crate::core::json::Json;
use crate::core::source::SourceFile;
use crate::core::yaml::Data;
use crate::engine::compare::{self, Difference};
use crate::engine::{Application, At, Plan, Request, Setting};
use crate::policy::Policy;
use crate::policy::history::ActKind;

#[derive(Args, Debug)]
pub struct SnapshotArgs {
    #[command(subcommand)]
    pub command: SnapshotCommand,
}

#[derive(Subcommand, Debug)]
pub enum SnapshotCommand {
    /// Decide the corpus again in every edition and report each decision
    /// that differs from the one recorded (exit 5 on any).
    Check(CheckArgs),
    /// Record the decisions of one edition, or of all (removing the files
    /// of editions that no longer exist).
    Accept(AcceptArgs),
    /// Walk the changes one by one (accept, reject, skip) on a terminal,
    /// or settle them with flags.
    Review(ReviewArgs),
}

/// The package, shared by the three commands.
#[derive(Args, Debug)]
pub struct Package {
    /// The policy package's folder (with its `snapshots/`).
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub package: Package,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct AcceptArgs {
    #[command(flatten)]
    pub package: Package,
    /// Every edition, removing the files of editions that no longer exist
    /// (the same as naming none).
    #[arg(long, conflicts_with = "edition")]
    pub all: bool,
    /// The edition to record, as `qagida editions` names it (or its
    /// file's name without `.jsonl`).
    pub edition: Option<String>,
}

#[derive(Args, Debug)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub package: Package,
    /// Accept every change, without asking.
    #[arg(long, conflicts_with_all = ["reject_all", "accept"])]
    pub accept_all: bool,
    /// Reject every change: the recorded decisions stay.
    #[arg(long, conflicts_with = "accept")]
    pub reject_all: bool,
    /// Accept the changes of this edition (repeatable); the others stay.
    #[arg(long, value_name = "EDITION")]
    pub accept: Vec<String>,
}

/// What cannot be read or written, with the file (and line) where known.
#[derive(Debug, thiserror::Error)]
enum SnapshotError {
    #[error("`snapshot` needs the package's folder: give --policy DIR")]
    NoFolder,
    #[error("cannot read `{file}`: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}:{line}: {message}")]
    Bad {
        file: String,
        line: usize,
        message: String,
    },
    #[error("cannot write `{file}`: {reason}")]
    Unwritable { file: String, reason: String },
    #[error("no edition `{given}`: the editions are {known}")]
    NoEdition { given: String, known: String },
    #[error("{0}")]
    Decide(String),
}

impl From<SnapshotError> for Failure {
    fn from(e: SnapshotError) -> Failure {
        let exit = match &e {
            SnapshotError::NoFolder | SnapshotError::NoEdition { .. } => Exit::Usage,
            SnapshotError::Unreadable { .. } | SnapshotError::Unwritable { .. } => Exit::Io,
            SnapshotError::Bad { .. } | SnapshotError::Decide(_) => Exit::Policy,
        };
        Failure::new(exit, vec![Diagnostic::error("snapshot", e.to_string())])
    }
}

fn io_reason(e: &std::io::Error) -> String {
    crate::core::files::io_reason(e)
}

/// The optional `snapshots/settings.yaml`: parameters to decide with, and
/// the dates of editions that should not be decided at their default
/// dates.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// Parameter values (those the act leaves open), as `--param` sets them.
    #[serde(default)]
    params: BTreeMap<String, Data>,
    /// Edition id → the dates to decide its corpus at.
    #[serde(default)]
    dates: BTreeMap<String, Vec<String>>,
}

/// One application of the corpus.
struct Entry {
    /// Its name: the file's name under `corpus/`, with `:LINE` for a line
    /// of a JSONL file.
    name: String,
    source: Source,
}

enum Source {
    File(std::sync::Arc<SourceFile>),
    Line(String, usize),
}

/// One recorded or new decision: its line's text and its parsed JSON.
#[derive(Clone)]
struct Line {
    application: String,
    at: String,
    text: String,
    json: Json,
}

impl Line {
    fn key(&self) -> (String, String) {
        (self.application.clone(), self.at.clone())
    }
}

/// An edition, its decisions now and as recorded.
struct Run {
    id: String,
    /// The amending act that brought it in; `None` for the act as made.
    act: Option<String>,
    from: NaiveDate,
    until: Option<NaiveDate>,
    file: PathBuf,
    new: Vec<Line>,
    /// `None` when it has no file yet.
    old: Option<Vec<Line>>,
}

/// One change of an edition's decisions.
struct Change {
    application: String,
    at: String,
    old: Option<Line>,
    new: Option<Line>,
}

impl Change {
    fn differences(&self) -> Vec<Difference> {
        match (&self.old, &self.new) {
            (Some(o), Some(n)) => compare::differences(&o.json, &n.json),
            _ => Vec::new(),
        }
    }
}

impl Run {
    fn changes(&self) -> Vec<Change> {
        let Some(old) = &self.old else {
            return Vec::new();
        };
        let was: HashMap<(String, String), &Line> = old.iter().map(|l| (l.key(), l)).collect();
        let now: HashMap<(String, String), &Line> = self.new.iter().map(|l| (l.key(), l)).collect();
        let mut out = Vec::new();
        for n in &self.new {
            match was.get(&n.key()) {
                Some(o) if o.text == n.text => {}
                o => out.push(Change {
                    application: n.application.clone(),
                    at: n.at.clone(),
                    old: o.map(|l| (*l).clone()),
                    new: Some(n.clone()),
                }),
            }
        }
        for o in old {
            if !now.contains_key(&o.key()) {
                out.push(Change {
                    application: o.application.clone(),
                    at: o.at.clone(),
                    old: Some(o.clone()),
                    new: None,
                });
            }
        }
        out
    }

    fn act_text(&self) -> String {
        match &self.act {
            Some(a) => format!("act {a}"),
            None => "the act as made".into(),
        }
    }
}

/// The package's snapshots: each edition's, and the files no edition has.
struct State {
    policy: String,
    runs: Vec<Run>,
    /// Files `snapshots/*.jsonl` of no edition.
    orphans: Vec<PathBuf>,
}

/// The file name of an edition's snapshot: its id, with every character
/// other than a letter, a digit, `.`, `_`, `-` and `@` made `_`.
pub fn file_name(edition: &str) -> String {
    let stem: String = edition
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{stem}.jsonl")
}

/// The dates an edition's corpus is decided at: those the settings give
/// it, else its first day and the day thirty days into it (its last day
/// when it is shorter). Not its middle: a new act would move the middle of
/// the edition before it, and every decision of that edition would show as
/// changed; a day a month in moves only when the new act comes into force
/// within that month.
fn default_dates(from: NaiveDate, until: Option<NaiveDate>) -> Vec<NaiveDate> {
    let inside = from + chrono::Duration::days(30);
    let inside = match until {
        Some(u) if inside >= u => u.pred_opt().unwrap_or(from),
        _ => inside,
    };
    let mut d = vec![from, inside];
    d.dedup();
    d
}

fn package_dir(p: &Package) -> Result<PathBuf, SnapshotError> {
    let path = p.policy.clone().ok_or(SnapshotError::NoFolder)?;
    Ok(if path.is_dir() {
        path
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    })
}

fn read(path: &Path) -> Result<String, SnapshotError> {
    std::fs::read_to_string(path).map_err(|e| SnapshotError::Unreadable {
        file: path.display().to_string(),
        reason: io_reason(&e),
    })
}

fn settings(dir: &Path) -> Result<Settings, SnapshotError> {
    let path = dir.join("settings.yaml");
    if !path.exists() {
        return Ok(Settings::default());
    }
    let text = read(&path)?;
    crate::core::yaml::from_str(&text).map_err(|e| SnapshotError::Bad {
        file: path.display().to_string(),
        line: e
            .offset
            .map_or(1, |o| text[..o.min(text.len())].lines().count().max(1)),
        message: e.message,
    })
}

fn corpus(dir: &Path) -> Result<Vec<Entry>, SnapshotError> {
    let cdir = dir.join("corpus");
    let Ok(listing) = std::fs::read_dir(&cdir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = listing
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|x| matches!(x.to_str(), Some("yaml" | "yml" | "json" | "jsonl")))
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = read(&f)?;
        if f.extension().is_some_and(|x| x == "jsonl") {
            for (i, l) in text.lines().enumerate() {
                if !l.trim().is_empty() {
                    out.push(Entry {
                        name: format!("{name}:{}", i + 1),
                        source: Source::Line(l.to_string(), i + 1),
                    });
                }
            }
        } else {
            // Named by its name in the corpus, so that a message about it
            // is the same whichever path the package is given by.
            out.push(Entry {
                source: Source::File(SourceFile::new(name.clone(), text)),
                name,
            });
        }
    }
    Ok(out)
}

/// One decision as a snapshot's line.
fn decide_line(plan: &Plan, request: &Request, e: &Entry, at: NaiveDate) -> Line {
    let app = match &e.source {
        Source::File(f) => Application::File(f),
        Source::Line(t, n) => Application::Line { text: t, line: *n },
    };
    let at_text = at.format("%Y-%m-%d").to_string();
    let mut bytes = b"{\"application\":".to_vec();
    bytes.extend_from_slice(
        serde_json::to_string(&e.name)
            .unwrap_or_default()
            .as_bytes(),
    );
    bytes.push(b',');
    match plan.decide(app, request) {
        Ok(r) => crate::engine::contract::write_members(plan, &r, &mut bytes),
        Err(err) => {
            let exit = Exit::from(&err) as u8;
            let msg = serde_json::to_string(&err.to_string()).unwrap_or_default();
            let _ = write!(
                bytes_writer(&mut bytes),
                "\"at\":\"{at_text}\",\"error\":{msg},\"exit\":{exit}"
            );
        }
    }
    bytes.push(b'}');
    let text = String::from_utf8(bytes).unwrap_or_default();
    let json = Json::parse(&text).unwrap_or_default();
    Line {
        application: e.name.clone(),
        at: at_text,
        text,
        json,
    }
}

/// A `fmt::Write` over bytes.
fn bytes_writer(b: &mut Vec<u8>) -> impl std::fmt::Write + '_ {
    struct W<'a>(&'a mut Vec<u8>);
    impl std::fmt::Write for W<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.extend_from_slice(s.as_bytes());
            Ok(())
        }
    }
    W(b)
}

fn parse_file(path: &Path) -> Result<Vec<Line>, SnapshotError> {
    let text = read(path)?;
    let bad = |line: usize, message: String| SnapshotError::Bad {
        file: path.display().to_string(),
        line,
        message,
    };
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let json = Json::parse(l).map_err(|e| bad(i + 1, format!("not JSON: {e}")))?;
        let member = |k: &str| json.get(k).and_then(Json::as_str).map(str::to_string);
        let (Some(application), Some(at)) = (member("application"), member("at")) else {
            return Err(bad(
                i + 1,
                "a snapshot line needs its `application` and `at`".into(),
            ));
        };
        out.push(Line {
            application,
            at,
            text: l.to_string(),
            json,
        });
    }
    Ok(out)
}

fn state(p: &Package) -> Result<State, Failure> {
    let dir = package_dir(p)?;
    let policy: Policy = super::load_policy(&Some(dir.clone()))?.policy;
    let sdir = dir.join("snapshots");
    let settings = settings(&sdir)?;
    let corpus = corpus(&sdir)?;
    let eds = super::editions::editions(&policy);
    for id in settings.dates.keys() {
        if !eds.iter().any(|e| &e.id == id) {
            return Err(SnapshotError::Bad {
                file: sdir.join("settings.yaml").display().to_string(),
                line: 1,
                message: format!("dates for `{id}`, which is no edition of the policy"),
            }
            .into());
        }
    }
    let acts: Vec<(NaiveDate, String)> = policy
        .history
        .acts
        .iter()
        .filter(|a| a.kind == ActKind::Amendment)
        .map(|a| (a.from, a.id.clone()))
        .collect();
    let params: Vec<Setting> = settings
        .params
        .iter()
        .map(|(k, v)| Setting::Value(k.clone(), v.clone()))
        .collect();
    let plan = Plan::new(policy);
    let mut runs = Vec::new();
    for e in &eds {
        let dates = match settings.dates.get(&e.id) {
            Some(ds) => ds
                .iter()
                .map(|d| {
                    crate::core::value::parse_date(d).ok_or_else(|| SnapshotError::Bad {
                        file: sdir.join("settings.yaml").display().to_string(),
                        line: 1,
                        message: format!("`{d}` (a date of `{}`) is not a date", e.id),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => default_dates(e.from, e.until),
        };
        let mut new = Vec::new();
        let requests: Vec<(NaiveDate, Request)> = dates
            .iter()
            .map(|d| {
                (
                    *d,
                    Request {
                        at: At::On(*d),
                        params: params.clone(),
                        trace: false,
                    },
                )
            })
            .collect();
        // Parameters that do not check fail the command, not each line.
        if let Some((_, r)) = requests.first() {
            plan.prepare(r)
                .map_err(|e| SnapshotError::Decide(e.to_string()))?;
        }
        for c in &corpus {
            for (d, r) in &requests {
                new.push(decide_line(&plan, r, c, *d));
            }
        }
        let file = sdir.join(file_name(&e.id));
        let old = if file.exists() {
            Some(parse_file(&file)?)
        } else {
            None
        };
        let act = acts
            .iter()
            .find(|(from, id)| *from == e.from && e.id.ends_with(&format!("@{id}")))
            .map(|(_, id)| id.clone());
        runs.push(Run {
            id: e.id.clone(),
            act,
            from: e.from,
            until: e.until,
            file,
            new,
            old,
        });
    }
    let known: Vec<String> = runs.iter().map(|r| file_name(&r.id)).collect();
    let mut orphans: Vec<PathBuf> = std::fs::read_dir(&sdir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|x| x == "jsonl")
                        && p.file_name()
                            .is_some_and(|n| !known.iter().any(|k| n == k.as_str()))
                })
                .collect()
        })
        .unwrap_or_default();
    orphans.sort();
    Ok(State {
        policy: plan.policy().meta.id.clone(),
        runs,
        orphans,
    })
}

/// A snapshot file as the package names it: `snapshots/NAME`.
fn rel(_st: &State, p: &Path) -> String {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("snapshots/{name}")
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Whether anything differs from what is recorded.
fn dirty(st: &State) -> bool {
    !st.orphans.is_empty()
        || st
            .runs
            .iter()
            .any(|r| r.old.is_none() || !r.changes().is_empty())
}

/// A value in a report line: text as it is, anything else as JSON.
fn shown(v: &Option<Json>) -> String {
    match v {
        None => "(none)".into(),
        Some(Json::String(s)) => crate::core::text::escape(s).to_string(),
        Some(j) => j.to_string(),
    }
}

fn outcome_of(l: &Line) -> String {
    match (
        l.json.get("outcome").and_then(Json::as_str),
        l.json.get("error").and_then(Json::as_str),
    ) {
        (Some(o), _) => o.to_string(),
        (None, Some(e)) => format!("error ({})", crate::core::text::escape(e)),
        _ => "?".into(),
    }
}

/// A change as text, its first line indented by two spaces.
fn change_text(c: &Change) -> String {
    let mut s = format!("  {} at {}: ", c.application, c.at);
    match (&c.old, &c.new) {
        (Some(o), Some(n)) => {
            let (was, now) = (outcome_of(o), outcome_of(n));
            if was == now {
                let _ = writeln!(s, "{now}");
            } else {
                let _ = writeln!(s, "{was} → {now}");
            }
            for d in c.differences() {
                let line = match &d {
                    Difference::Outcome { .. } => continue,
                    Difference::Gained { member, ids } => format!("{member} +{}", ids.join(" +")),
                    Difference::Lost { member, ids } => format!("{member} −{}", ids.join(" −")),
                    Difference::Value { path, old, new } => {
                        format!("{path}: {} → {}", shown(old), shown(new))
                    }
                };
                let _ = writeln!(s, "      {line}");
            }
        }
        (None, Some(n)) => {
            let _ = writeln!(s, "new decision: {}", outcome_of(n));
        }
        (Some(o), None) => {
            let _ = writeln!(
                s,
                "no longer decided (was {}): the application or the date left the corpus",
                outcome_of(o)
            );
        }
        (None, None) => {}
    }
    s
}

fn report_text(st: &State) -> String {
    let mut s = String::new();
    let (mut changed, mut total) = (0, 0);
    for r in &st.runs {
        let until = r
            .until
            .map(|u| format!(" until {}", day(u)))
            .unwrap_or_default();
        let head = format!(
            "edition {} ({}, from {}{until})",
            r.id,
            r.act_text(),
            day(r.from)
        );
        if r.old.is_none() {
            let _ = writeln!(
                s,
                "new {head}: no snapshot ({}); run `qagida snapshot accept {}`",
                rel(st, &r.file),
                r.id
            );
            continue;
        }
        let cs = r.changes();
        total += r.new.len();
        changed += cs.len();
        if cs.is_empty() {
            let _ = writeln!(s, "{head}: {} decisions, none changed", r.new.len());
        } else {
            let _ = writeln!(
                s,
                "{head}: {} of {} decisions changed",
                cs.len(),
                r.new.len()
            );
            for c in &cs {
                s += &change_text(c);
            }
        }
    }
    for o in &st.orphans {
        let _ = writeln!(
            s,
            "{} is the snapshot of no edition (its act was removed, or renamed): run `qagida snapshot accept --all` to remove it",
            rel(st, o)
        );
    }
    let new = st.runs.iter().filter(|r| r.old.is_none()).count();
    let _ = write!(s, "{}: {changed} of {total} decisions changed", st.policy);
    if new > 0 {
        let _ = write!(s, ", {new} new edition(s) without a snapshot");
    }
    if !st.orphans.is_empty() {
        let _ = write!(s, ", {} snapshot(s) of no edition", st.orphans.len());
    }
    s.push('\n');
    s
}

fn diff_json(d: &Difference) -> serde_json::Value {
    match d {
        Difference::Outcome { old, new } => {
            serde_json::json!({"member": "outcome", "old": old, "new": new})
        }
        Difference::Gained { member, ids } => serde_json::json!({"member": member, "gained": ids}),
        Difference::Lost { member, ids } => serde_json::json!({"member": member, "lost": ids}),
        Difference::Value { path, old, new } => {
            serde_json::json!({"member": path, "old": old, "new": new})
        }
    }
}

fn report_json(st: &State) -> String {
    let editions: Vec<serde_json::Value> = st
        .runs
        .iter()
        .map(|r| {
            let changes: Vec<serde_json::Value> = r
                .changes()
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "application": c.application,
                        "at": c.at,
                        "change": match (&c.old, &c.new) {
                            (Some(_), Some(_)) => "changed",
                            (None, _) => "added",
                            (_, None) => "removed",
                        },
                        "old": c.old.as_ref().map(|l| &l.json),
                        "new": c.new.as_ref().map(|l| &l.json),
                        "differences": c.differences().iter().map(diff_json).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let status = match (&r.old, changes.is_empty()) {
                (None, _) => "new",
                (_, true) => "unchanged",
                _ => "changed",
            };
            serde_json::json!({
                "edition": r.id,
                "act": r.act,
                "from": day(r.from),
                "until": r.until.map(day),
                "file": rel(st, &r.file),
                "status": status,
                "decisions": r.new.len(),
                "changes": changes,
            })
        })
        .collect();
    let v = serde_json::json!({
        "policy": st.policy,
        "changed": dirty(st),
        "editions": editions,
        "orphans": st.orphans.iter().map(|o| rel(st, o)).collect::<Vec<_>>(),
    });
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}

pub fn run(args: &SnapshotArgs) -> Result<(), Failure> {
    match &args.command {
        SnapshotCommand::Check(a) => check(a),
        SnapshotCommand::Accept(a) => accept(a),
        SnapshotCommand::Review(a) => review(a),
    }
}

/// Exit 5 when anything differs from what is recorded.
fn verdict(st: &State) -> Result<(), Failure> {
    if dirty(st) {
        Err(Failure::new(Exit::Input, Vec::new()))
    } else {
        Ok(())
    }
}

fn check(args: &CheckArgs) -> Result<(), Failure> {
    let st = state(&args.package)?;
    match args.format {
        Format::Text => out(&report_text(&st)),
        Format::Json => out(&report_json(&st)),
    }
    verdict(&st)
}

/// Writes `lines` as the file, unless it already holds exactly them.
fn write_lines(path: &Path, lines: &[&str]) -> Result<bool, SnapshotError> {
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    if std::fs::read(path).is_ok_and(|b| b == text.as_bytes()) {
        return Ok(false);
    }
    let unwritable = |e: std::io::Error| SnapshotError::Unwritable {
        file: path.display().to_string(),
        reason: io_reason(&e),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(unwritable)?;
    }
    let mut o = super::output::Output::create(path, 1 << 16).map_err(unwritable)?;
    o.write_all(text.as_bytes()).map_err(unwritable)?;
    o.commit().map_err(unwritable)?;
    Ok(true)
}

fn remove(path: &Path) -> Result<(), SnapshotError> {
    std::fs::remove_file(path).map_err(|e| SnapshotError::Unwritable {
        file: path.display().to_string(),
        reason: io_reason(&e),
    })
}

/// The run or orphan file `given` names: an edition's id or its file's
/// name, with or without `.jsonl`.
enum Named {
    Run(usize),
    Orphan(usize),
}

fn named(st: &State, given: &str) -> Result<Named, SnapshotError> {
    let stem = given.strip_suffix(".jsonl").unwrap_or(given);
    let file = file_name(stem);
    if let Some(i) = st
        .runs
        .iter()
        .position(|r| r.id == given || file_name(&r.id) == file)
        // Or by its act alone, as `impact` takes it: `order-537`.
        .or_else(|| {
            let by_act = |r: &&Run| r.id.rsplit_once('@').is_some_and(|(_, act)| act == given);
            st.runs.iter().position(|r| by_act(&r))
        })
    {
        return Ok(Named::Run(i));
    }
    if let Some(i) = st
        .orphans
        .iter()
        .position(|o| o.file_name().is_some_and(|n| n == file.as_str()))
    {
        return Ok(Named::Orphan(i));
    }
    Err(SnapshotError::NoEdition {
        given: given.into(),
        known: st
            .runs
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn record(st: &State, i: usize) -> Result<String, SnapshotError> {
    let r = &st.runs[i];
    let lines: Vec<&str> = r.new.iter().map(|l| l.text.as_str()).collect();
    let wrote = write_lines(&r.file, &lines)?;
    let what = match (&r.old, wrote) {
        (None, _) => "created".to_string(),
        (Some(_), true) => format!("{} decisions changed", r.changes().len()),
        (Some(_), false) => "unchanged".to_string(),
    };
    Ok(format!(
        "{}: {} ({} decisions): {what}\n",
        r.id,
        rel(st, &r.file),
        r.new.len()
    ))
}

fn accept(args: &AcceptArgs) -> Result<(), Failure> {
    let st = state(&args.package)?;
    let mut s = String::new();
    match &args.edition {
        Some(given) => match named(&st, given)? {
            Named::Run(i) => s += &record(&st, i)?,
            Named::Orphan(i) => {
                remove(&st.orphans[i])?;
                let _ = writeln!(s, "{}: removed", rel(&st, &st.orphans[i]));
            }
        },
        None => {
            for i in 0..st.runs.len() {
                s += &record(&st, i)?;
            }
            for o in &st.orphans {
                remove(o)?;
                let _ = writeln!(s, "{}: removed (no edition)", rel(&st, o));
            }
        }
    }
    out(&s);
    Ok(())
}

/// One item to review.
enum Item {
    /// A change of run `run`'s decisions.
    Change { run: usize, change: Box<Change> },
    /// A run without a file.
    New(usize),
    /// A file of no edition.
    Orphan(usize),
}

fn item_text(st: &State, item: &Item) -> String {
    match item {
        Item::Change { run, change } => {
            let r = &st.runs[*run];
            format!(
                "edition {} ({}):\n{}",
                r.id,
                r.act_text(),
                change_text(change)
            )
        }
        Item::New(i) => {
            let r = &st.runs[*i];
            format!(
                "new edition {} ({}, from {}): {} decisions, no snapshot yet\n",
                r.id,
                r.act_text(),
                day(r.from),
                r.new.len()
            )
        }
        Item::Orphan(i) => format!(
            "{} is the snapshot of no edition: accepting removes it\n",
            rel(st, &st.orphans[*i])
        ),
    }
}

fn review(args: &ReviewArgs) -> Result<(), Failure> {
    let st = state(&args.package)?;
    let mut items = Vec::new();
    for (i, r) in st.runs.iter().enumerate() {
        if r.old.is_none() {
            items.push(Item::New(i));
        }
        for change in r.changes() {
            items.push(Item::Change {
                run: i,
                change: Box::new(change),
            });
        }
    }
    items.extend((0..st.orphans.len()).map(Item::Orphan));
    if items.is_empty() {
        out(&format!(
            "{}: no decision changed, nothing to review\n",
            st.policy
        ));
        return Ok(());
    }
    let flags = args.accept_all || args.reject_all || !args.accept.is_empty();
    let interactive = !flags && std::io::stdin().is_terminal();
    if !flags && !interactive {
        // Never wait on an input that no one types.
        out(&report_text(&st));
        out("not a terminal: review with --accept-all, --reject-all or --accept EDITION\n");
        return verdict(&st);
    }
    let mut wanted = Vec::new();
    for given in &args.accept {
        wanted.push(named(&st, given)?);
    }
    let of_wanted = |item: &Item| {
        wanted.iter().any(|w| match (w, item) {
            (Named::Run(r), Item::Change { run, .. }) => r == run,
            (Named::Run(r), Item::New(i)) => r == i,
            (Named::Orphan(o), Item::Orphan(i)) => o == i,
            _ => false,
        })
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Choice {
        Accept,
        Reject,
        Skip,
    }
    let mut choices = Vec::with_capacity(items.len());
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let n = items.len();
    for (k, item) in items.iter().enumerate() {
        let choice = if args.accept_all || of_wanted(item) {
            Choice::Accept
        } else if args.reject_all {
            Choice::Reject
        } else if !interactive {
            Choice::Skip
        } else {
            out(&format!("\n[{}/{n}] {}", k + 1, item_text(&st, item)));
            loop {
                out("accept, reject or skip? [a/r/s] ");
                let mut answer = String::new();
                match input.read_line(&mut answer) {
                    Ok(0) | Err(_) => break Choice::Skip,
                    Ok(_) => {}
                }
                match answer.trim() {
                    "a" | "A" | "accept" => break Choice::Accept,
                    "r" | "R" | "reject" => break Choice::Reject,
                    "s" | "S" | "skip" | "" => break Choice::Skip,
                    _ => {}
                }
            }
        };
        choices.push(choice);
    }
    // Each edition's file: the recorded lines, with the accepted changes
    // made, in the order of the new decisions (then the recorded lines no
    // longer decided, where their removal was not accepted).
    let mut s = String::new();
    for (i, r) in st.runs.iter().enumerate() {
        let accepted = |key: &(String, String)| {
            items.iter().zip(&choices).any(|(it, c)| {
                *c == Choice::Accept
                    && match it {
                        Item::Change { run, change } => {
                            *run == i && (change.application.clone(), change.at.clone()) == *key
                        }
                        Item::New(x) => *x == i,
                        Item::Orphan(_) => false,
                    }
            })
        };
        let Some(old) = &r.old else {
            let created = items
                .iter()
                .zip(&choices)
                .any(|(it, c)| matches!(it, Item::New(x) if *x == i) && *c == Choice::Accept);
            if created {
                s += &record(&st, i)?;
            }
            continue;
        };
        let was: HashMap<(String, String), &Line> = old.iter().map(|l| (l.key(), l)).collect();
        let mut lines: Vec<&str> = Vec::new();
        for n in &r.new {
            let key = n.key();
            if accepted(&key) {
                lines.push(&n.text);
            } else if let Some(o) = was.get(&key) {
                lines.push(&o.text);
            }
        }
        let now: std::collections::HashSet<(String, String)> =
            r.new.iter().map(Line::key).collect();
        for o in old {
            if !now.contains(&o.key()) && !accepted(&o.key()) {
                lines.push(&o.text);
            }
        }
        if write_lines(&r.file, &lines)? {
            let _ = writeln!(s, "{}: {} updated", r.id, rel(&st, &r.file));
        }
    }
    for (it, c) in items.iter().zip(&choices) {
        if let (Item::Orphan(o), Choice::Accept) = (it, c) {
            remove(&st.orphans[*o])?;
            let _ = writeln!(s, "{}: removed (no edition)", rel(&st, &st.orphans[*o]));
        }
    }
    let count = |w: Choice| choices.iter().filter(|c| **c == w).count();
    let _ = writeln!(
        s,
        "{} accepted, {} rejected, {} skipped",
        count(Choice::Accept),
        count(Choice::Reject),
        count(Choice::Skip)
    );
    out(&s);
    Ok(())
}
