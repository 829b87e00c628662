//! `qagida eval`: one application, one decision.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{Exit, Failure, PolicyArgs, out};
use crate::diag::Diagnostic;
use crate::eval::{self, Evaluation, Options};
use crate::policy::{Policy, overlay};
use crate::source::SourceFile;

#[derive(Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The date to evaluate at (YYYY-MM-DD); by default the policy's
    /// evaluation date for the application (such as its submission date),
    /// else today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The application: a YAML or JSON file, or - for standard input.
    pub application: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Yaml,
}

/// Loads the policy and applies an overlay and --param values.
pub fn prepare(args: &PolicyArgs) -> Result<(Policy, Options), Failure> {
    let loaded = super::load_policy(&args.policy)?;
    let policy = loaded.policy;
    let mut opts = Options::default();
    if let Some(path) = &args.overlay {
        // An overlay that is not YAML text is an error of the overlay.
        let file = read_file(path).map_err(|f| match f.exit {
            Exit::Malformed => Failure::new(Exit::Policy, f.diags),
            _ => f,
        })?;
        let o = overlay::overlay(&policy, &file).map_err(|d| Failure::new(Exit::Policy, d))?;
        opts.params.extend(o);
    }
    for p in &args.params {
        let (name, v) =
            overlay::param_arg(&policy, p).map_err(|d| Failure::new(Exit::Policy, vec![d]))?;
        opts.params.insert(name, v);
    }
    Ok((policy, opts))
}

/// Reads a file, or standard input for `-`: at most
/// [`crate::yaml::MAX_BYTES`] of it, and only UTF-8 text; otherwise the
/// file is malformed, with the place of the first byte that is not.
pub fn read_file(path: &PathBuf) -> Result<std::sync::Arc<SourceFile>, Failure> {
    use std::io::Read;
    let io = |msg: String| Failure::new(Exit::Io, vec![Diagnostic::error("io", msg)]);
    let (name, reader): (String, Box<dyn Read>) = if path.as_os_str() == "-" {
        ("<stdin>".into(), Box::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(path).map_err(|e| {
            io(format!(
                "cannot read `{}`: {}",
                path.display(),
                crate::policy::load::io_reason(&e)
            ))
        })?;
        (path.display().to_string(), Box::new(f))
    };
    let mut bytes = Vec::new();
    let limit = crate::yaml::MAX_BYTES as u64 + 1;
    reader.take(limit).read_to_end(&mut bytes).map_err(|e| {
        let what = match name.as_str() {
            "<stdin>" => "standard input".to_string(),
            n => format!("`{n}`"),
        };
        io(format!(
            "cannot read {what}: {}",
            crate::policy::load::io_reason(&e)
        ))
    })?;
    let malformed = |d: Diagnostic| Failure::new(Exit::Malformed, vec![d.in_file(name.clone())]);
    if bytes.len() > crate::yaml::MAX_BYTES {
        return Err(malformed(Diagnostic::error(
            "yaml",
            format!(
                "the file is larger than {} MiB",
                crate::yaml::MAX_BYTES >> 20
            ),
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let byte = e.as_bytes()[at];
            let file = SourceFile::new(name.clone(), String::from_utf8_lossy(e.as_bytes()));
            Err(malformed(
                Diagnostic::error(
                    "encoding",
                    format!("the file is not UTF-8 text: the byte 0x{byte:02X} is not part of a UTF-8 character"),
                )
                .at(Some(crate::source::Loc::new(&file, at, at + '\u{FFFD}'.len_utf8())))
                .help("save the file as UTF-8"),
            ))
        }
    }
}

/// "DATE is outside the period policy P is in force: from A until B".
pub fn outside_message(policy: &Policy, at: NaiveDate) -> String {
    let until = policy
        .meta
        .in_force_until
        .map(|u| format!(" until {}", u.format("%Y-%m-%d")))
        .unwrap_or_default();
    format!(
        "{} is outside the period policy `{}` is in force: from {}{until}",
        at.format("%Y-%m-%d"),
        policy.meta.id,
        policy.meta.in_force_from.format("%Y-%m-%d"),
    )
}

pub fn parse_date(s: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Failure::new(
            Exit::Usage,
            vec![
                Diagnostic::error("usage", format!("`{s}` is not a date"))
                    .help("dates are written YYYY-MM-DD"),
            ],
        )
    })
}

pub fn run(args: &EvalArgs) -> Result<(), Failure> {
    let (policy, result) = decide(args)?;
    match args.format {
        Format::Json => out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&to_json(&policy, &result)).unwrap_or_default()
        )),
        Format::Yaml => out(&crate::yaml::to_string(&to_json(&policy, &result))),
        Format::Text => out(&text(&policy, &result)),
    }
    // The process ends here: freeing the policy's many small allocations
    // would only add to a one-shot command's time (about 0.3 ms).
    std::mem::forget(policy);
    Ok(())
}

/// `qagida explain`: the same evaluation, printed as its trace.
pub fn explain(args: &EvalArgs) -> Result<(), Failure> {
    let (policy, result) = decide(args)?;
    let mut s = text(&policy, &result);
    s += "\nwhy:\n";
    s += &crate::explain::render(&result);
    out(&s);
    Ok(())
}

/// Loads the policy and the application and evaluates it.
pub fn decide(args: &EvalArgs) -> Result<(Policy, Evaluation), Failure> {
    let (policy, mut opts) = prepare(&args.policy)?;
    let file = read_file(&args.application)?;
    let input = crate::input::read(&policy, &file).map_err(|d| {
        let all = |code: &str| d.iter().all(|x| x.code == code);
        let exit = if d.iter().any(|x| x.code == "yaml") {
            Exit::Malformed
        } else if all("unknown-entry") {
            Exit::UnknownEntry
        } else if all("ambiguous-entry") {
            Exit::AmbiguousEntry
        } else {
            Exit::Input
        };
        Failure::new(exit, d)
    })?;
    let at = match &args.at {
        Some(s) => parse_date(s)?,
        None => match eval::default_date(&policy, &input) {
            Some(d) => d,
            None => chrono::Local::now().date_naive(),
        },
    };
    if !policy.in_force(at) {
        return Err(Failure::new(
            Exit::OutOfForce,
            vec![
                Diagnostic::error("out-of-force", outside_message(&policy, at))
                    .help("choose a date inside it with --at"),
            ],
        ));
    }
    opts.at = Some(at);
    let result = eval::evaluate(&policy, &input, &opts)
        .map_err(|d| Failure::new(Exit::Evaluation, vec![d]))?;
    Ok((policy, result))
}

/// The decision as one JSON object: the policy, its edition and the date,
/// the outcome with its reasons, what is missing, the warnings, then the
/// policy's own report keys and every computed value.
pub fn to_json(policy: &Policy, r: &Evaluation) -> serde_json::Value {
    crate::contract::to_json(policy, r)
}

/// A date as `2021-03-17 Wed`; other text as it is.
fn with_weekday(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(t) => match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(d) => format!("{t} {}", d.format("%a")),
            Err(_) => t.clone(),
        },
        serde_json::Value::Null => "unknown".into(),
        other => other.to_string(),
    }
}

/// A label in English where there is one, else in the official language.
fn label(policy: &Policy, l: &crate::policy::Label) -> Option<String> {
    l.get("en")
        .or_else(|| l.get(&policy.meta.official_language))
        .cloned()
}

/// The decision for a person: outcome, reasons with citations, the policy's
/// report (dates with their weekday), what is missing and how to supply
/// it, warnings, and every computed value with its citation.
pub fn text(policy: &Policy, r: &Evaluation) -> String {
    let paint = super::color(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let outcome = if paint {
        let code = match r.outcome.as_str() {
            "grant" => "1;32",
            "undetermined" => "1;33",
            _ => "1;31",
        };
        format!("\x1b[{code}m{}\x1b[0m", r.outcome)
    } else {
        r.outcome.clone()
    };
    let mut s = format!("outcome: {outcome}\n");
    s += &format!(
        "policy:  {} at {} ({})\n",
        policy.meta.id,
        r.at.format("%Y-%m-%d %a"),
        r.edition
    );
    if let Some(rule) = &r.rule {
        s += &format!("rule:    {rule}\n");
    }
    if !r.reasons.is_empty() {
        s += "reasons:\n";
        for h in &r.reasons {
            let words = policy
                .reasons
                .get(&h.id)
                .and_then(|i| label(policy, &i.label));
            let words = words.map(|w| format!(": {w}")).unwrap_or_default();
            s += &format!("  - {}{words} [{}]\n", h.id, h.cite);
        }
    }
    for (key, v) in &crate::contract::report_json(policy, r) {
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::Object(m) if m.is_empty() => {}
            serde_json::Value::Object(m) => {
                s += &format!("{key}:\n");
                for (k, x) in m {
                    match x {
                        serde_json::Value::Array(items) => {
                            for it in items {
                                let id = it.get("id").and_then(|i| i.as_str()).unwrap_or("");
                                let cite = it.get("cite").and_then(|i| i.as_str()).unwrap_or("");
                                let val = it
                                    .as_object()
                                    .and_then(|o| {
                                        o.iter().find(|(k, _)| *k != "id" && *k != "cite")
                                    })
                                    .map(|(_, v)| with_weekday(v))
                                    .unwrap_or_default();
                                s += &format!("  {id}: {val} [{cite}]\n");
                            }
                        }
                        other => {
                            let cite = policy
                                .value(k)
                                .map(|c| format!(" [{}]", c.info.cite))
                                .unwrap_or_default();
                            s += &format!("  {k}: {}{cite}\n", with_weekday(other));
                        }
                    }
                }
            }
            other => s += &format!("{key}: {}\n", with_weekday(other)),
        }
    }
    if !r.missing.is_empty() {
        s += "missing:\n";
        for m in &r.missing {
            let how = if policy.params.contains_key(m) {
                format!("a parameter: supply it with --param {m}=VALUE")
            } else if let Some(p) = policy.history.provisions.get(m) {
                let title = p
                    .title
                    .get("en")
                    .or_else(|| p.title.values().next())
                    .cloned()
                    .unwrap_or_default();
                format!("{title}: the wording in force on that date is not encoded")
            } else {
                "an input: add it to the application".to_string()
            };
            s += &format!("  - {m} ({how})\n");
        }
    }
    if !r.warnings.is_empty() {
        s += "warnings:\n";
        for w in &r.warnings {
            s += &format!("  - {}: {} ({})\n", w.id, w.message, w.cite);
        }
    }
    if !r.values.is_empty() {
        s += "values:\n";
        for v in &policy.values {
            if let Some(val) = r.values.get(v.name.as_str()) {
                s += &format!("  {} = {}   [{}]\n", v.name, val, v.info.cite);
            }
        }
    }
    s
}
