//! Policy test cases: YAML files of applications with the dates,
//! parameters and results expected of them, run by `cargo test` (and later
//! by `qagida test`).

use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::core::decimal;
use crate::core::diag::Diagnostic;
use crate::core::json::Json;
use crate::core::source::{Loc, SourceFile};
use crate::core::yaml::{self, Data, PosIndex};
use crate::engine::eval::Evaluation;
use crate::engine::{Application, At, DecideError, Plan, Request, Setting};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CasesFile {
    cases: Vec<CaseDecl>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDecl {
    name: String,
    /// The date to evaluate at; by default the policy's evaluation date for
    /// the application.
    at: Option<String>,
    #[serde(default)]
    params: IndexMap<String, Data>,
    /// The application, inline.
    application: Option<Data>,
    /// Or a file holding it, relative to the cases file.
    application_file: Option<String>,
    /// Changes to the application, to vary an example without copying it:
    /// merged into it as a JSON merge patch (RFC 7386: mappings merge key by
    /// key, `null` removes a key, anything else replaces), each key a name
    /// or a dotted path (`job.annual_salary`).
    #[serde(default)]
    with: IndexMap<String, Data>,
    expect: Expect,
}

/// What a case expects; every key is optional and only those given are
/// compared.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    outcome: Option<String>,
    /// The outcome's label for the application, by language (those given).
    #[serde(default)]
    label: IndexMap<String, String>,
    /// The reasons given, in order.
    reasons: Option<Vec<String>>,
    missing: Option<Vec<String>>,
    /// Warning ids, in order.
    warnings: Option<Vec<String>>,
    /// Computed values by name; `null` expects unknown.
    #[serde(default)]
    values: IndexMap<String, Data>,
    /// A substring of the error the application (or evaluation) must fail
    /// with.
    error: Option<String>,
    /// The edition in force at the evaluation date (`package@act`).
    edition: Option<String>,
    /// The date the application is evaluated at (its own, or the case's
    /// `at`).
    at: Option<String>,
    /// Parameter values in effect, by name; `null` expects none.
    #[serde(default)]
    params: IndexMap<String, Data>,
}

/// The result of one case.
#[derive(Debug)]
pub struct CaseResult {
    pub name: String,
    /// `file:line` of the case.
    pub place: String,
    /// Each difference between expected and actual; empty when it passed.
    pub failures: Vec<String>,
    /// The rules, reasons and values the case exercised.
    pub evaluation: Option<Evaluation>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs every case of the file at `path` against `plan`.
pub fn run_file(plan: &Plan, path: &Path) -> Result<Vec<CaseResult>, Vec<Diagnostic>> {
    let file = cases_file(path)?;
    run(plan, &file, &beside(path))
}

/// The text of the cases file at `path`.
fn cases_file(path: &Path) -> Result<Arc<SourceFile>, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::unreadable(format!(
            "cannot read `{}`: {}",
            path.display(),
            crate::core::files::io_reason(&e)
        ))]
    })?;
    Ok(SourceFile::new(path.display().to_string(), text))
}

/// A reader of the files a cases file names, relative to its folder.
fn beside(path: &Path) -> impl Fn(&str) -> Result<(String, String), String> {
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    move |rel: &str| {
        let p = dir.join(rel);
        std::fs::read_to_string(&p)
            .map(|t| (crate::core::files::normalize(&p).display().to_string(), t))
            .map_err(|e| {
                format!(
                    "cannot read `{}`: {}",
                    p.display(),
                    crate::core::files::io_reason(&e)
                )
            })
    }
}

/// Runs the cases in `file`; `read` gives the text of an application file.
pub fn run(
    plan: &Plan,
    file: &Arc<SourceFile>,
    read: &crate::core::files::ReadFile<'_>,
) -> Result<Vec<CaseResult>, Vec<Diagnostic>> {
    let (index, cases) = parse(file)?;
    let mut out = Vec::new();
    for (i, c) in cases.cases.iter().enumerate() {
        let line = index
            .get(&["cases".to_string(), i.to_string()])
            .map(|p| Loc::new(file, p.start, p.start).line_col().0)
            .unwrap_or(0);
        let place = format!("{}:{line}", file.name);
        let mut failures = Vec::new();
        let evaluation = match run_case(plan, c, read) {
            Ok(r) => {
                if let Some(e) = &c.expect.error {
                    failures.push(format!(
                        "expected an error containing `{e}`, but the evaluation succeeded"
                    ));
                }
                compare(&c.expect, &r, &mut failures);
                for (lang, want) in &c.expect.label {
                    let got = r.outcome_label(plan.policy(), lang);
                    if got != Some(want.as_str()) {
                        let got = got.map_or("none".to_string(), |g| format!("`{g}`"));
                        failures.push(format!("label in {lang}: expected `{want}`, got {got}"));
                    }
                }
                Some(r)
            }
            Err(msg) => match &c.expect.error {
                Some(e) if msg.contains(e.as_str()) => None,
                Some(e) => {
                    failures.push(format!("expected an error containing `{e}`, got: {msg}"));
                    None
                }
                None => {
                    failures.push(format!("the case failed: {msg}"));
                    None
                }
            },
        };
        out.push(CaseResult {
            name: c.name.clone(),
            place,
            failures,
            evaluation,
        });
    }
    Ok(out)
}

/// The cases of `file`, each number with its digits as written.
fn parse(file: &Arc<SourceFile>) -> Result<(PosIndex, CasesFile), Vec<Diagnostic>> {
    let index = PosIndex::new(&file.text);
    let mut cases: CasesFile = yaml::from_str_indexed(&file.text, &index).map_err(|e| {
        let (loc, help) = crate::policy::load::yaml_error_place(file, &e);
        vec![
            Diagnostic::error("yaml", e.message)
                .at(loc)
                .in_file(file.name.clone())
                .help(help),
        ]
    })?;
    // Numbers are read, and compared, by their digits as written.
    for (i, c) in cases.cases.iter_mut().enumerate() {
        let n = i.to_string();
        let keep = |data: &mut Data, path: &[&str]| {
            let mut p = vec!["cases", n.as_str()];
            p.extend_from_slice(path);
            yaml::keep_digits_at(data, &index, &p);
        };
        if let Some(a) = &mut c.application {
            keep(a, &["application"]);
        }
        for (k, v) in &mut c.with {
            keep(v, &["with", k]);
        }
        for (k, v) in &mut c.params {
            keep(v, &["params", k]);
        }
        for (k, v) in &mut c.expect.values {
            keep(v, &["expect", "values", k]);
        }
    }
    Ok((index, cases))
}

/// A case as a caller asks for its decision: the application with the
/// case's `with` merged into it, the date and the parameters (what a
/// service's client would send for it).
#[derive(Debug, Clone)]
pub struct Asked {
    pub name: String,
    pub application: Data,
    pub at: Option<String>,
    pub params: IndexMap<String, Data>,
    /// The error the case expects, if it expects one.
    pub error: Option<String>,
}

/// The cases of the file at `path` as their decisions are asked for; a case
/// whose application cannot be made gives why.
pub fn asked_in_file(path: &Path) -> Result<Vec<Result<Asked, String>>, Vec<Diagnostic>> {
    let file = cases_file(path)?;
    let read = beside(path);
    let (_, cases) = parse(&file)?;
    Ok(cases
        .cases
        .iter()
        .map(|c| {
            let (_, application) = application(c, &read)?;
            Ok(Asked {
                name: c.name.clone(),
                application,
                at: c.at.clone(),
                params: c.params.clone(),
                error: c.expect.error.clone(),
            })
        })
        .collect())
}

/// A case's application, named, with its `with` merged in.
fn application(
    c: &CaseDecl,
    read: &crate::core::files::ReadFile<'_>,
) -> Result<(String, Data), String> {
    let (name, mut data) = match (&c.application, &c.application_file) {
        (Some(d), None) => ("<inline>".to_string(), d.clone()),
        (None, Some(f)) => {
            let (name, text) = read(f)?;
            let mut data = yaml::value(&text).map_err(|e| e.message)?;
            yaml::keep_digits(&mut data, &text);
            (name, data)
        }
        _ => return Err("a case needs exactly one of `application` and `application_file`".into()),
    };
    for (k, v) in &c.with {
        let path: Vec<&str> = k.split('.').collect();
        if path.iter().any(|p| p.is_empty()) {
            return Err(format!("`with`: `{k}` is not a name or a dotted path"));
        }
        merge_at(&mut data, &path, v).map_err(|e| format!("`with`: `{k}`: {e}"))?;
    }
    Ok((name, data))
}

fn run_case(
    plan: &Plan,
    c: &CaseDecl,
    read: &crate::core::files::ReadFile<'_>,
) -> Result<Evaluation, String> {
    let (name, data) = application(c, read)?;
    let request = Request {
        at: At::parse_opt(c.at.as_deref()).map_err(|e| e.to_string())?,
        params: c
            .params
            .iter()
            .map(|(k, v)| Setting::Value(k.clone(), v.clone()))
            .collect(),
        trace: true,
    };
    plan.decide(
        Application::Data {
            data: &data,
            name: &name,
        },
        &request,
    )
    .map_err(|e| match e {
        DecideError::NoDate { .. } => {
            "the case needs `at`: the policy gives no evaluation date for its application".into()
        }
        e => e.to_string(),
    })
}

/// Merges `patch` into `data` at `path`, as a JSON merge patch (RFC 7386):
/// mappings merge key by key, `null` removes a key, anything else replaces.
/// Mappings along the path are made where they are missing.
fn merge_at(data: &mut Data, path: &[&str], patch: &Data) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        merge(data, patch);
        return Ok(());
    };
    if data.is_null() {
        *data = Data::Mapping(Default::default());
    }
    let Data::Mapping(m) = data else {
        return Err(format!("`{first}` is inside a value that is not a mapping"));
    };
    let key = Data::String(first.to_string());
    if rest.is_empty() && patch.is_null() {
        m.remove(&key);
        return Ok(());
    }
    let slot = m.entry(key).or_insert(Data::Null);
    merge_at(slot, rest, patch)
}

/// RFC 7386 on YAML data.
fn merge(target: &mut Data, patch: &Data) {
    let Data::Mapping(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_mapping() {
        *target = Data::Mapping(Default::default());
    }
    if let Data::Mapping(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge(t.entry(k.clone()).or_insert(Data::Null), v);
            }
        }
    }
}

fn compare(e: &Expect, r: &Evaluation, failures: &mut Vec<String>) {
    if let Some(want) = &e.edition
        && **want != *r.edition
    {
        failures.push(format!("edition: expected `{want}`, got `{}`", r.edition));
    }
    if let Some(want) = &e.at {
        let got = crate::core::value::format_date(&r.at);
        if *want != got {
            failures.push(format!("at: expected {want}, got {got}"));
        }
    }
    for (name, want) in &e.params {
        let Some(got) = r.params.get(name.as_str()) else {
            failures.push(format!(
                "parameter `{name}`: the policy has no such parameter"
            ));
            continue;
        };
        let got = got.to_json();
        if !same(want, &got) {
            failures.push(format!(
                "parameter `{name}`: expected {}, got {got}",
                Json::of_data(want)
            ));
        }
    }
    if let Some(o) = &e.outcome
        && *o != r.outcome
    {
        failures.push(format!("outcome: expected `{o}`, got `{}`", r.outcome));
    }
    let ids = |v: &[String]| format!("[{}]", v.join(", "));
    if let Some(want) = &e.reasons {
        let got: Vec<String> = r.reasons.iter().map(|h| h.id.clone()).collect();
        if *want != got {
            failures.push(format!(
                "reasons: expected {}, got {}",
                ids(want),
                ids(&got)
            ));
        }
    }
    if let Some(want) = &e.missing
        && *want != r.missing
    {
        failures.push(format!(
            "missing: expected {}, got {}",
            ids(want),
            ids(&r.missing)
        ));
    }
    if let Some(want) = &e.warnings {
        let got: Vec<String> = r.warnings.iter().map(|w| w.id.to_string()).collect();
        if *want != got {
            failures.push(format!(
                "warnings: expected {}, got {}",
                ids(want),
                ids(&got)
            ));
        }
    }
    for (name, want) in &e.values {
        let Some(got) = r.values.get(name.as_str()) else {
            failures.push(format!(
                "value `{name}`: not computed (unknown name, or not applicable)"
            ));
            continue;
        };
        let got = got.to_json();
        if !same(want, &got) {
            failures.push(format!(
                "value `{name}`: expected {}, got {got}",
                Json::of_data(want)
            ));
        }
    }
}

/// Whether the value `got` is what `want` expects: numbers compared by
/// value, exactly (`0.3` is not `0.30000000000000004`), whether written as
/// numbers or as text; lists item by item; records member by member.
fn same(want: &Data, got: &Json) -> bool {
    match (want, got) {
        (_, Json::Number(g)) => match (number(want), decimal::parse(g)) {
            (Some(w), Ok(g)) => w == g,
            _ => false,
        },
        (_, Json::String(g)) if number(want).is_some() => decimal::parse(g).ok() == number(want),
        (Data::Tagged(t), _) => same(&t.value, got),
        (Data::Sequence(w), Json::Array(g)) => {
            w.len() == g.len() && w.iter().zip(g).all(|(w, g)| same(w, g))
        }
        (Data::Mapping(w), Json::Object(g)) => {
            w.len() == g.len()
                && w.iter().all(|(k, w)| {
                    k.as_str()
                        .and_then(|k| g.get(k))
                        .is_some_and(|g| same(w, g))
                })
        }
        (Data::Null, Json::Null) => true,
        (Data::Bool(w), Json::Bool(g)) => w == g,
        (Data::String(w), Json::String(g)) => w == g,
        _ => false,
    }
}

/// The number `data` is, exactly: its digits as written, or text in digits.
fn number(data: &Data) -> Option<rust_decimal::Decimal> {
    if let Some(digits) = yaml::digits(data) {
        return decimal::parse(digits).ok();
    }
    match data {
        Data::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Some(i.into()),
            (None, Some(u)) => Some(u.into()),
            _ => decimal::parse(&n.to_string()).ok(),
        },
        Data::String(s) => decimal::parse(s.trim()).ok(),
        _ => None,
    }
}
