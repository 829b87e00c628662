//! What each fuzz target runs, shared with the regression tests of the main
//! crate (`tests/fuzz_regressions.rs` includes this file), so that a saved
//! input is replayed through exactly the code path that found it.
//!
//! Every function returns what it computed, so that a test can assert the
//! result as well as the absence of a panic.

use std::collections::HashMap;
use std::sync::OnceLock;

use qagida::core::diag::Diagnostic;
use qagida::core::source::SourceFile;
use qagida::engine::eval::Evaluation;
use qagida::engine::{Application, DecideError, Plan, Request, Setting};
use qagida::lang::syntax::SyntaxError;
use qagida::policy::Loaded;

/// `expr`: the text parsed as an expression and as a type, with the help
/// for each error (which looks into the text at the error's span).
pub fn expr(text: &str) -> (Result<(), SyntaxError>, Result<(), SyntaxError>) {
    let help = |e: SyntaxError| {
        let _ = e.help(text);
        e
    };
    (
        qagida::lang::syntax::parse_expr(text)
            .map(|_| ())
            .map_err(help),
        qagida::lang::syntax::parse_type(text)
            .map(|_| ())
            .map_err(help),
    )
}

/// The line that starts a new file of a `policy` input: `#%file NAME`.
pub const FILE_MARK: &str = "#%file ";

/// Splits a `policy` input into the manifest and the files named by
/// `#%file NAME` lines (a YAML comment, so one file alone is still YAML).
pub fn split_package(text: &str) -> (String, HashMap<String, String>) {
    let mut manifest = String::new();
    let mut files: HashMap<String, String> = HashMap::new();
    let mut current: Option<String> = None;
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix(FILE_MARK) {
            let name = name.trim().to_string();
            files.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        match &current {
            None => manifest.push_str(line),
            Some(name) => files.entry(name.clone()).or_default().push_str(line),
        }
    }
    (manifest, files)
}

/// `policy`: the input as a package (see [`split_package`]); a path the
/// input does not give is read from the embedded default policy, so that
/// a manifest alone resolves its includes and calendars. The loader
/// type-checks and lints as it loads; the diagnostics are rendered too.
pub fn policy(text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let (manifest, files) = split_package(text);
    let embedded =
        qagida::policy::embedded::reader(qagida::policy::embedded::DEFAULT_POLICY, "policy.yaml");
    let read = move |rel: &str| -> Result<(String, String), String> {
        if rel == "\0manifest" {
            return Ok(("<fuzz>/policy.yaml".into(), manifest.clone()));
        }
        let norm = qagida::policy::load::normalize(std::path::Path::new(rel))
            .to_string_lossy()
            .replace('\\', "/");
        match files.get(&norm) {
            Some(t) => Ok((format!("<fuzz>/{norm}"), t.clone())),
            None => embedded(rel),
        }
    };
    let r = qagida::policy::load_files(&read);
    let diags = match &r {
        Ok(l) => &l.warnings,
        Err(d) => d,
    };
    let _ = qagida::core::diag::human(diags, false);
    let _ = qagida::core::diag::json(diags);
    r
}

/// The embedded default policy's plan, made once.
pub fn default_plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| match qagida::policy::embedded::default_policy() {
        Ok(l) => Plan::new(l.policy),
        Err(d) => panic!(
            "the embedded policy does not load: {}",
            qagida::core::diag::human(&d, false)
        ),
    })
}

/// What `eval` computed for one input: the application's diagnostics, or
/// a result for each request tried.
#[derive(Debug)]
pub enum EvalRun {
    /// The input is not an application of the policy.
    Input(Vec<Diagnostic>),
    /// The policy gives no evaluation date for the application.
    NoDate,
    /// The evaluation date is outside the period the policy is in force.
    OutOfForce,
    /// With the policy's parameters, then with `threshold=6`.
    Evaluated(Vec<Result<Evaluation, DecideError>>),
}

/// `eval`: the input as an application (YAML or JSON) of the embedded
/// default policy, decided as `qagida eval` decides it: at the policy's
/// evaluation date for it (none is an outcome of its own, never the
/// machine's date, so that a run is repeatable), with the policy's
/// parameters and with `--param threshold=6`; each result rendered as its
/// explanation.
pub fn eval(text: &str) -> EvalRun {
    let plan = default_plan();
    let file = SourceFile::new("<fuzz>", text);
    let plain = plan.prepare(&Request::default()).expect("no parameters");
    let input = match plain.read(Application::File(&file)) {
        Ok(v) => v,
        Err(e) => {
            let d = e.diagnostics();
            let _ = qagida::core::diag::human(&d, false);
            return EvalRun::Input(d);
        }
    };
    let at = match plain.date(&input) {
        Ok(at) => at,
        Err(DecideError::NoDate { .. }) => return EvalRun::NoDate,
        Err(_) => return EvalRun::OutOfForce,
    };
    let mut runs = vec![plain.decide_dated(&input, &plain.dated(at))];
    let six = Request {
        params: vec![Setting::Arg("threshold=6".into())],
        ..Request::default()
    };
    if let Ok(p) = plan.prepare(&six) {
        runs.push(p.decide_dated(&input, &p.dated(at)));
    }
    for r in &runs {
        match r {
            Ok(e) => {
                let _ = qagida::engine::explain::render(plan.policy(), e);
            }
            Err(e) => {
                let _ = qagida::core::diag::human(&e.diagnostics(), false);
            }
        }
    }
    EvalRun::Evaluated(runs)
}

/// The plan of the example policy of the tests (`tests/policies/example`),
/// built into the harness as a package (see [`split_package`]), loaded
/// once.
pub fn example_plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let files = [
            ("", include_str!("../../tests/policies/example/policy.yaml")),
            (
                "tables.yaml",
                include_str!("../../tests/policies/example/tables.yaml"),
            ),
            (
                "courses.yaml",
                include_str!("../../tests/policies/example/courses.yaml"),
            ),
            (
                "functions.yaml",
                include_str!("../../tests/policies/example/functions.yaml"),
            ),
            (
                "alternatives.yaml",
                include_str!("../../tests/policies/example/alternatives.yaml"),
            ),
            (
                "numbers.yaml",
                include_str!("../../tests/policies/example/numbers.yaml"),
            ),
            (
                "levels.yaml",
                include_str!("../../tests/policies/example/levels.yaml"),
            ),
            (
                "bonus.yaml",
                include_str!("../../tests/policies/example/bonus.yaml"),
            ),
            (
                "excess.yaml",
                include_str!("../../tests/policies/example/excess.yaml"),
            ),
            (
                "dated.yaml",
                include_str!("../../tests/policies/example/dated.yaml"),
            ),
            (
                "../calendars/example/calendar.yaml",
                include_str!("../../tests/policies/calendars/example/calendar.yaml"),
            ),
            (
                "../calendars/example/2020.yaml",
                include_str!("../../tests/policies/calendars/example/2020.yaml"),
            ),
            (
                "../calendars/example/2021.yaml",
                include_str!("../../tests/policies/calendars/example/2021.yaml"),
            ),
            (
                "../calendars/example/2022.yaml",
                include_str!("../../tests/policies/calendars/example/2022.yaml"),
            ),
            (
                "../calendars/example/2023.yaml",
                include_str!("../../tests/policies/calendars/example/2023.yaml"),
            ),
        ];
        let mut text = String::new();
        for (name, body) in files {
            if !name.is_empty() {
                text.push_str(&format!("\n{FILE_MARK}{name}\n"));
            }
            text.push_str(body);
        }
        match policy(&text) {
            Ok(l) => Plan::new(l.policy),
            Err(d) => panic!(
                "the example policy does not load: {}",
                qagida::core::diag::human(&d, false)
            ),
        }
    })
}

/// What the two readers of a batch line made of it (see [`agreement`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agreement {
    /// The direct reader took it, and read what the general reader reads.
    Taken,
    /// The direct reader left it to the general reader, which read it.
    Left,
    /// The direct reader left it, and the general reader refused it.
    Refused,
}

/// The text read as a batch line of `plan` by the batch's direct JSON
/// reader and by the general reader (over the text parsed as data, as a
/// batch reads a line the direct reader leaves). Panics where they
/// disagree: the direct reader takes a line the general reader refuses,
/// or reads it otherwise (compared by value and by every detail that
/// `Debug` shows, such as a decimal's scale).
pub fn agreement(plan: &Plan, text: &str) -> Agreement {
    let direct = qagida::engine::input::json::read(plan, text);
    let general = qagida::engine::json_data(text)
        .map_err(|m| vec![Diagnostic::error("json", m)])
        .and_then(|data| qagida::engine::input::from_data(plan, &data, "line"));
    match (direct, general) {
        (Some(v), Ok(w)) => {
            assert_eq!(v, w, "the readers read {text:?} otherwise");
            assert_eq!(
                format!("{v:?}"),
                format!("{w:?}"),
                "the readers read {text:?} otherwise"
            );
            Agreement::Taken
        }
        (Some(v), Err(d)) => panic!(
            "the direct reader takes {text:?} as {v}, which the general reader refuses: {}",
            qagida::core::diag::human(&d, false)
        ),
        (None, Ok(_)) => Agreement::Left,
        (None, Err(_)) => Agreement::Refused,
    }
}

/// `json_line`: the text as a batch line of the embedded default policy
/// and of the example policy, read by both readers, which must agree
/// (see [`agreement`]).
pub fn json_line(text: &str) -> [Agreement; 2] {
    [
        agreement(default_plan(), text),
        agreement(example_plan(), text),
    ]
}
