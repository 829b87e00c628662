//! `qagida eval`: one application, one decision.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Exit, Failure, PolicyArgs, out};
use crate::core::json::Json;

use crate::engine::eval::Evaluation;
use crate::engine::{self, Application, At, DecideError, Plan, ReadError, Request, Setting};

#[derive(Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The date to evaluate at: YYYY-MM-DD, or `today` for the machine's
    /// local date. By default the policy's evaluation date for the
    /// application (such as its submission date); without one, an error.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The language of the text (one of the policy's): its words, the
    /// policy's labels, citations and dates as that language writes them.
    /// By default the text is in English with ISO dates. JSON and YAML are
    /// the same in every language.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// The application: a YAML or JSON file, or - for standard input.
    pub application: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Yaml,
}

/// Loads the policy and makes the request the command line asks for: the
/// date rule of `--at`, the overlay, then each `--param`.
pub fn prepare(
    args: &PolicyArgs,
    at: Option<&str>,
    trace: bool,
) -> Result<(Plan, Request), Failure> {
    let policy = super::load_policy(&args.policy)?.policy;
    if let Some(h) = &args.policy_hash
        && *h != policy.digest
    {
        let d = crate::core::diag::Diagnostic::error(
            "policy-hash",
            format!(
                "the package loaded, `{}`, has the hash {}, not {h}: it is not the package the decision was made with",
                policy.meta.id, policy.digest
            ),
        )
        .help("load the package of that hash with --policy DIR, or leave out --policy-hash to decide under this one");
        return Err(Failure::new(Exit::Policy, vec![d]));
    }
    let plan = Plan::new(policy);
    let mut params = Vec::new();
    if let Some(path) = &args.overlay {
        // An overlay that is not text is an error of the overlay.
        let file = engine::read_text(path).map_err(|e| match e {
            ReadError::Unreadable(d) => Failure::new(Exit::Io, vec![d]),
            ReadError::NotText(d) => Failure::new(Exit::Policy, vec![d]),
        })?;
        params.push(Setting::Overlay(file));
    }
    params.extend(args.params.iter().cloned().map(Setting::Arg));
    let at = At::parse_opt(at)?;
    Ok((plan, Request { at, params, trace }))
}

pub use crate::report::dates::{outside_message, parse_date};

pub fn run(args: &EvalArgs) -> Result<(), Failure> {
    let (plan, result) = decide(args)?;
    let lang = language(plan.policy(), args.lang.as_deref())?;
    match args.format {
        Format::Json => out(&format!("{}\n", to_json(&plan, &result).to_pretty())),
        Format::Yaml => out(&to_json(&plan, &result).to_yaml()),
        Format::Text => out(&text_painted(&plan, &result, lang, paint())),
    }
    // The process ends here: freeing the policy's many small allocations
    // would only add to a one-shot command's time (about 0.3 ms).
    std::mem::forget(plan);
    Ok(())
}

/// `qagida explain`: the same evaluation, printed as its trace.
pub fn explain(args: &EvalArgs) -> Result<(), Failure> {
    let (plan, result) = decide(args)?;
    let lang = language(plan.policy(), args.lang.as_deref())?;
    out(&explanation_in(&plan, &result, lang, paint()));
    Ok(())
}

/// Loads the policy and the application and decides it.
pub fn decide(args: &EvalArgs) -> Result<(Plan, Evaluation), Failure> {
    let (plan, request) = prepare(&args.policy, args.at.as_deref(), true)?;
    let result = {
        let prepared = plan.prepare(&request)?;
        let file = engine::read_text(&args.application).map_err(DecideError::from)?;
        prepared.decide(Application::File(&file))?
    };
    Ok((plan, result))
}

/// The decision as one JSON object: the policy, its edition and the date,
/// the outcome with its reasons, what is missing, the warnings, then the
/// policy's own report keys and every computed value.
pub fn to_json(plan: &Plan, r: &Evaluation) -> Json {
    crate::engine::contract::to_json(plan, r)
}

pub use crate::report::decision::{explanation_in, language, text, text_in, text_painted};

/// Whether to colour the outcome: on a terminal, as [`super::color`] says.
fn paint() -> bool {
    super::color(std::io::IsTerminal::is_terminal(&std::io::stdout()))
}
