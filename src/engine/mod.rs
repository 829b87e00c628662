//! The one way to decide: a checked [`Policy`] becomes a [`Plan`]; a
//! [`Request`] says at what date and with which parameters; an
//! [`Application`] is read against the policy's schema, dated, checked to
//! fall in the period the act is in force, and evaluated. Every command,
//! the fuzz targets and the benchmarks decide through here, so the rules
//! for a missing date, a date outside the act or a bad parameter are the
//! same everywhere.
//!
//! ```
//! use qagida::engine::{Application, At, DecideError, Plan, Request, Setting};
//! use qagida::core::source::SourceFile;
//!
//! let policy = qagida::policy::load_dir("tests/policies/example".as_ref()).unwrap().policy;
//! let plan = Plan::new(policy);
//! let app = SourceFile::new("grant.yaml", std::fs::read_to_string(
//!     "tests/policies/example/applications/grant.yaml").unwrap());
//!
//! // At the policy's evaluation date for the application (its submission),
//! // with the parameter the act leaves open set by the caller.
//! let request = Request {
//!     params: vec![Setting::Arg("pass_mark=8".into())],
//!     ..Request::default()
//! };
//! let decision = plan.decide(Application::File(&app), &request).unwrap();
//! assert_eq!(decision.outcome, "grant");
//!
//! // Without it the decision waits on it, and says so.
//! let waiting = plan.decide(Application::File(&app), &Request::default()).unwrap();
//! assert_eq!((waiting.outcome.as_str(), &waiting.missing[..]), ("undetermined", &["pass_mark".to_string()][..]));
//!
//! // A date outside the act is refused, never decided.
//! let before = Request { at: At::On("2019-12-31".parse().unwrap()), ..request };
//! let refused = plan.decide(Application::File(&app), &before);
//! assert!(matches!(refused, Err(DecideError::OutOfForce { .. })));
//! ```

pub mod batch;
pub mod compare;
pub mod contract;
pub mod err;
pub mod eval;
pub mod explain;
pub mod impact;
pub mod input;
pub mod plan;
pub mod sample;
pub mod testing;

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

pub use err::DecideError;
pub use plan::Plan;

use crate::core::diag::Diagnostic;
use crate::core::source::{Loc, SourceFile};
use crate::core::value::Value;
use crate::core::yaml::Data;
use crate::policy::Policy;
use crate::policy::overlay::{self, Overrides};
use eval::{Dated, Evaluation, Options};
use input::{InputError, InputFault};

impl Plan {
    /// Compiles a checked policy into a plan.
    pub fn new(policy: Policy) -> Plan {
        Plan::compiled(Arc::new(policy))
    }

    /// The same plan for another thread: the policy shared, its program
    /// compiled again so that nothing an evaluation copies is shared with
    /// this plan's threads. No file is read.
    pub fn for_thread(&self) -> Plan {
        Plan::compiled(self.shared_policy().clone())
    }

    fn compiled(policy: Arc<Policy>) -> Plan {
        let program = plan::Program::compile(&policy, required_holds);
        Plan::from_parts(policy, program)
    }

    /// Whether condition `i` of the policy's `required_when` holds over
    /// `record`, evaluated.
    #[cfg(test)]
    pub(crate) fn required_holds(&self, i: usize, record: &Value) -> bool {
        required_holds(self.policy(), self.program(), i, record)
    }
    /// Checks the request's parameters and fixes its date rule once, for
    /// any number of decisions.
    pub fn prepare(&self, request: &Request) -> Result<Prepared<'_>, DecideError> {
        let mut params = Overrides::new();
        // The `--param` given for each name: a second is an error, not a
        // silent choice of the last.
        let mut given: std::collections::HashMap<String, &str> = Default::default();
        for s in &request.params {
            match s {
                Setting::Arg(arg) => {
                    let (name, v) = overlay::param_arg(self.policy(), arg)
                        .map_err(|d| DecideError::Params(vec![d]))?;
                    if let Some(first) = given.insert(name.clone(), arg) {
                        return Err(DecideError::Params(vec![overlay::param_twice(
                            &name, first, arg,
                        )]));
                    }
                    params.insert(name, v);
                }
                Setting::Overlay(file) => {
                    params.extend(
                        overlay::overlay(self.policy(), file).map_err(DecideError::Params)?,
                    );
                }
                Setting::Value(name, data) => {
                    let v = overlay::param_data(self.policy(), name, data)
                        .map_err(|d| DecideError::Params(vec![d]))?;
                    params.insert(name.clone(), v);
                }
            }
        }
        let at = request.at.resolved();
        let opts = Options {
            at: None,
            params,
            no_trace: !request.trace,
        };
        Ok(Prepared {
            plan: self,
            at,
            date_params: eval::date_params(self, &opts),
            request: Request {
                at,
                ..request.clone()
            },
            opts,
        })
    }

    /// Decides one application: reads it, dates it, checks the date falls
    /// in the period the act is in force, and evaluates it.
    pub fn decide(
        &self,
        application: Application<'_>,
        request: &Request,
    ) -> Result<Evaluation, DecideError> {
        self.prepare(request)?.decide(application)
    }
}

/// See [`plan::Holds`].
fn required_holds(policy: &Policy, program: &plan::Program, i: usize, record: &Value) -> bool {
    let mut over = eval::OverInput::of(policy, program, record);
    matches!(over.required_when(i), Ok(Value::Bool(true)))
}

/// What a decision is asked: the date, the parameters, whether to keep
/// the trace.
#[derive(Clone, Debug)]
pub struct Request {
    pub at: At,
    /// Parameter settings, applied in order (a later one wins).
    pub params: Vec<Setting>,
    /// Keep the trace, the parameters' values and the forms (for `explain`
    /// and documents); a batch does without.
    pub trace: bool,
}

impl Default for Request {
    fn default() -> Request {
        Request {
            at: At::Application,
            params: Vec::new(),
            trace: true,
        }
    }
}

/// The date to decide at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// The policy's evaluation date for the application (such as its
    /// submission date); a decision fails with [`DecideError::NoDate`]
    /// when there is none.
    Application,
    /// This date.
    On(NaiveDate),
    /// The machine's local date, taken once when the request is prepared:
    /// only when the caller asks for it.
    Today,
}

impl At {
    /// `YYYY-MM-DD` or `today`.
    pub fn parse(text: &str) -> Result<At, DecideError> {
        let t = text.trim();
        if t == "today" {
            return Ok(At::Today);
        }
        crate::core::value::parse_date(t)
            .map(At::On)
            .ok_or_else(|| DecideError::BadDate(text.to_string()))
    }

    /// `today` as the machine's local date, read now; any other as it is.
    pub fn resolved(self) -> At {
        match self {
            At::Today => At::On(chrono::Local::now().date_naive()),
            at => at,
        }
    }

    /// `At::Application` without a text, else [`At::parse`].
    pub fn parse_opt(text: Option<&str>) -> Result<At, DecideError> {
        text.map_or(Ok(At::Application), At::parse)
    }
}

/// A parameter setting of a [`Request`].
#[derive(Clone, Debug)]
pub enum Setting {
    /// `NAME=VALUE`, as `--param` writes it; the value is read as YAML.
    Arg(String),
    /// An overlay file of parameters.
    Overlay(Arc<SourceFile>),
    /// A value as data (a test case's `params`); `null` takes the
    /// parameter's value away.
    Value(String, Data),
}

/// An application to decide.
#[derive(Clone, Copy, Debug)]
pub enum Application<'a> {
    /// YAML or JSON text; diagnostics point into it.
    File(&'a Arc<SourceFile>),
    /// Data already parsed (a CSV row, a test case); diagnostics name it.
    Data { data: &'a Data, name: &'a str },
    /// One JSON object, a batch's line `line`: read straight into the
    /// schema when it reads cleanly, else as data; diagnostics name the
    /// line.
    Line { text: &'a str, line: usize },
    /// A record of the policy's input schema, already read.
    Record(&'a Value),
}

/// A plan with a request's parameters checked: decides any number of
/// applications.
#[derive(Clone, Debug)]
pub struct Prepared<'p> {
    plan: &'p Plan,
    /// Never [`At::Today`]: resolved when prepared.
    at: At,
    /// The request, with `today` resolved.
    request: Request,
    opts: Options,
    /// The parameters' values the policy's evaluation date is computed
    /// with (see [`eval::date_params`]).
    date_params: Vec<Value>,
}

impl<'p> Prepared<'p> {
    pub fn plan(&self) -> &'p Plan {
        self.plan
    }

    pub fn policy(&self) -> &'p Policy {
        self.plan.policy()
    }

    /// The same request prepared for another plan of the same policy (a
    /// worker thread's own copy), on the same date if it was `today`.
    pub fn again<'q>(&self, plan: &'q Plan) -> Result<Prepared<'q>, DecideError> {
        plan.prepare(&self.request)
    }

    /// The same, keeping no trace, parameters, forms or label's case in
    /// its decisions.
    pub fn untraced(&self) -> Prepared<'p> {
        let mut p = self.clone();
        p.request.trace = false;
        p.opts.no_trace = true;
        p
    }

    /// The evaluation's options: the parameters set and whether to trace.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// The date rule, with `today` resolved to the date it was prepared on.
    pub fn at(&self) -> At {
        self.at
    }

    /// Reads an application against the policy's schema.
    pub fn read(&self, application: Application<'_>) -> Result<Value, DecideError> {
        let plan = self.plan;
        let read = match application {
            Application::File(file) => crate::engine::input::read_application(plan, file),
            Application::Data { data, name } => crate::engine::input::read_data(plan, data, name),
            Application::Line { text, line } => {
                match crate::engine::input::json::read(plan, text) {
                    Some(v) => Ok(v),
                    None => {
                        let data = json_data(text).map_err(|m| {
                            DecideError::Malformed(vec![Diagnostic::error("json", m)])
                        })?;
                        crate::engine::input::read_data(plan, &data, &format!("line {line}"))
                    }
                }
            }
            Application::Record(v) => Ok(v.clone()),
        };
        read.map_err(DecideError::from)
    }

    /// The date to decide `input` at: the request's, else the policy's
    /// evaluation date for it; inside the period the act is in force.
    pub fn date(&self, input: &Value) -> Result<NaiveDate, DecideError> {
        let policy = self.policy();
        let at = match self.at {
            At::On(d) => d,
            At::Application | At::Today => {
                eval::evaluation_date(self.plan, input, &self.date_params).map_err(|missing| {
                    DecideError::NoDate {
                        policy: policy.meta.id.clone(),
                        params: missing
                            .into_iter()
                            .filter(|m| policy.params.contains_key(m))
                            .collect(),
                    }
                })?
            }
        };
        if !policy.in_force(at) {
            return Err(DecideError::OutOfForce {
                at,
                policy: policy.meta.id.clone(),
                from: policy.meta.in_force_from,
                until: policy.meta.in_force_until,
                doubt: policy.doubt_until().flatten(),
            });
        }
        Ok(at)
    }

    /// What decisions at `at` share: make it once for many applications
    /// of the same date (see [`Prepared::decide_dated`]).
    pub fn dated(&self, at: NaiveDate) -> Dated {
        Dated::new(self.plan, &self.opts, at)
    }

    /// Decides an application read by [`Prepared::read`] at `dated`'s date,
    /// which [`Prepared::date`] gave for it.
    pub fn decide_dated(&self, input: &Value, dated: &Dated) -> Result<Evaluation, DecideError> {
        eval::evaluate_dated(self.plan, input, &self.opts, dated)
            .map_err(|d| DecideError::Evaluation(Box::new(d)))
    }

    /// Reads, dates and decides one application.
    pub fn decide(&self, application: Application<'_>) -> Result<Evaluation, DecideError> {
        let input = self.read(application)?;
        let at = self.date(&input)?;
        self.decide_dated(&input, &self.dated(at))
    }
}

impl From<InputError> for DecideError {
    fn from(e: InputError) -> DecideError {
        match e.fault {
            InputFault::Malformed => DecideError::Malformed(e.diagnostics),
            InputFault::Schema => DecideError::Schema(e.diagnostics),
            InputFault::UnknownEntry => DecideError::UnknownEntry(e.diagnostics),
            InputFault::AmbiguousEntry => DecideError::AmbiguousEntry(e.diagnostics),
        }
    }
}

/// Parses one JSON object into data, with serde_json's message and the
/// column (its line count is within the object's own text). Each number
/// with a fraction or an exponent keeps its digits as written (see
/// [`crate::core::yaml::keep_digits`]), for a decimal to be read from them
/// exactly.
pub fn json_data(text: &str) -> Result<Data, String> {
    let mut data = serde_json::from_str::<Data>(text).map_err(|e| {
        // A key written twice is JSON, which the reader of data refuses:
        // said at the repeat, as in a file.
        if e.to_string().contains("duplicate entry with key")
            && let Some(d) = crate::core::yaml::PosIndex::new(text).duplicates.first()
        {
            let col = |o: usize| text.get(..o).map_or(0, |t| t.chars().count()) + 1;
            let at = if d.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", crate::core::text::escape(&d.path))
            };
            return format!(
                "{at}the key {} is written twice in this mapping (first at column {}) at column {}",
                crate::core::text::quote(&d.key),
                col(d.first),
                col(d.second)
            );
        }
        let m = e.to_string();
        let m = m.rsplit_once(" at line ").map_or(m.as_str(), |(m, _)| m);
        let m = m.replace(
            "recursion limit exceeded",
            "the data is nested too deeply (more than 128 levels)",
        );
        format!("not JSON: {m} at column {}", e.column())
    })?;
    crate::core::yaml::keep_digits(&mut data, text);
    Ok(data)
}

/// Why a file was not read as text.
#[derive(Debug, Clone)]
pub enum ReadError {
    /// It cannot be read (missing, a directory, no permission).
    Unreadable(Diagnostic),
    /// It is not UTF-8 text, or larger than [`crate::core::yaml::MAX_BYTES`].
    NotText(Diagnostic),
}

impl From<ReadError> for DecideError {
    fn from(e: ReadError) -> DecideError {
        match e {
            ReadError::Unreadable(d) => DecideError::Unreadable(vec![d]),
            ReadError::NotText(d) => DecideError::Malformed(vec![d]),
        }
    }
}

/// Reads a file, or standard input for `-`: at most [`crate::core::yaml::MAX_BYTES`] of it,
/// and only UTF-8 text, else the place of the first byte that is not.
pub fn read_text(path: &Path) -> Result<Arc<SourceFile>, ReadError> {
    use std::io::Read;
    let io = |msg: String| ReadError::Unreadable(Diagnostic::unreadable(msg));
    let (name, reader): (String, Box<dyn Read>) = if path.as_os_str() == "-" {
        ("<stdin>".into(), Box::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(path).map_err(|e| {
            io(format!(
                "cannot read `{}`: {}",
                crate::core::text::escape(&path.display().to_string()),
                crate::core::files::io_reason(&e)
            ))
        })?;
        (path.display().to_string(), Box::new(f))
    };
    let mut bytes = Vec::new();
    use crate::core::yaml::MAX_BYTES;
    let limit = MAX_BYTES as u64 + 1;
    reader.take(limit).read_to_end(&mut bytes).map_err(|e| {
        let what = match name.as_str() {
            "<stdin>" => "standard input".to_string(),
            n => format!("`{n}`"),
        };
        io(format!(
            "cannot read {what}: {}",
            crate::core::files::io_reason(&e)
        ))
    })?;
    let not_text = |d: Diagnostic| ReadError::NotText(d.in_file(name.clone()));
    if bytes.len() > MAX_BYTES {
        return Err(not_text(Diagnostic::error(
            "yaml",
            format!("the file is larger than {} MiB", MAX_BYTES >> 20),
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let byte = e.as_bytes()[at];
            let file = SourceFile::new(name.clone(), String::from_utf8_lossy(e.as_bytes()));
            Err(not_text(
                Diagnostic::error(
                    "encoding",
                    format!(
                        "the file is not UTF-8 text: the byte 0x{byte:02X} is not part of a UTF-8 character"
                    ),
                )
                .at(Some(Loc::new(&file, at, at + '\u{FFFD}'.len_utf8())))
                .help("save the file as UTF-8"),
            ))
        }
    }
}
