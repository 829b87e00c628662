//! The handlers of `/v1`, each annotated for the OpenAPI document
//! ([`router`] builds both from the same list, so that neither can miss a
//! route).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::value::RawValue;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::App;
use super::error::{ApiError, ErrorBody};
use super::state::{Package, Reloaded};
use crate::core::source::SourceFile;
use crate::engine::{Application, At, Request, Setting};

/// The engine's name and version, as every receipt gives it.
pub const ENGINE: &str = concat!("qagida ", env!("CARGO_PKG_VERSION"));

#[derive(OpenApi)]
#[openapi(
    info(
        title = "qagida",
        description = "Decisions under a regulation encoded as a versioned policy package: \
the same decisions, with the same JSON contract and the same error codes, as `qagida eval`, \
`explain` and `batch`. Every decision carries a receipt: the engine's version, the edition \
and the content hash of the package as loaded."
    ),
    components(schemas(Day, CatalogueFormat)),
    tags(
        (name = "decisions", description = "Deciding applications"),
        (name = "policies", description = "The packages served, as documents"),
        (name = "service", description = "Health, readiness, metrics and reloads")
    )
)]
struct ApiDoc;

/// The routes of the service with their OpenAPI document.
pub fn router() -> (axum::Router<Arc<App>>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(decide))
        .routes(routes!(explain))
        .routes(routes!(batch))
        .routes(routes!(policies))
        .routes(routes!(policy))
        .routes(routes!(editions))
        .routes(routes!(consolidate))
        .routes(routes!(diff))
        .routes(routes!(catalogue))
        .routes(routes!(input_schema))
        .routes(routes!(reload))
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
        .split_for_parts()
}

/// A date, YYYY-MM-DD.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(value_type = String, format = Date)]
pub struct Day(String);

/// How the catalogue is written: as `catalogue --format json` or as its
/// text.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum CatalogueFormat {
    Json,
    Text,
}

/// What `decide` and `explain` take: the application and how to decide it.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct DecideRequest {
    /// The application, as `qagida eval` reads it from a file: an object
    /// of the policy's input schema (`GET …/schema/input`). Diagnostics
    /// give the line and column in the request's body.
    #[schema(value_type = Object)]
    pub application: serde_json::Value,
    /// The date to decide at, YYYY-MM-DD (or `today`, the server's local
    /// date); by default the policy's evaluation date for the application.
    #[schema(value_type = Option<String>, format = Date)]
    pub at: Option<String>,
    /// Parameters to set, by name (`{"threshold": 6}`); `null` leaves one
    /// without a value, unknown.
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Value>,
    /// An overlay of parameters, as its file would be: an object
    /// `{"parameters": {…}}` or its YAML text. Applied before `params`.
    #[schema(value_type = Option<Object>)]
    pub overlay: Option<serde_json::Value>,
    /// Decide only under the package of this hash (`sha256:…`): a 409
    /// otherwise. The header `qagida-policy-hash` does the same.
    pub policy_hash: Option<String>,
}

/// The body as it is read: borrowed from the request's text, so that the
/// application's place in it is known.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    #[serde(borrow)]
    application: &'a RawValue,
    at: Option<String>,
    #[serde(borrow)]
    params: Option<indexmap::IndexMap<String, &'a RawValue>>,
    #[serde(borrow)]
    overlay: Option<&'a RawValue>,
    policy_hash: Option<String>,
}

/// A decision, as `qagida eval --format json` writes it: these members in
/// this order, the policy's own report keys after `missing`, then
/// `warnings` and `values`.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct Decision {
    pub policy: String,
    /// The consolidated version the decision was made under.
    pub edition: String,
    pub at: String,
    /// One of the policy's outcomes, or `undetermined`.
    pub outcome: String,
    /// The reasons that hold, each with its citation.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<serde_json::Value>,
    /// Inputs and parameters whose absence left something undecided.
    pub missing: Vec<String>,
    /// Warnings, each with its id, message and citation.
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<serde_json::Value>,
    /// Every computed value that applies.
    #[schema(value_type = Object)]
    pub values: serde_json::Value,
}

/// What `explain` answers: the decision, its trace, its receipt, and the
/// explanation as `qagida explain` writes it.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct Explanation {
    pub decision: Decision,
    /// Each value and rule with its result, the inputs it read, its
    /// citation and reading.
    #[schema(value_type = Vec<Object>)]
    pub trace: Vec<serde_json::Value>,
    pub receipt: Receipt,
    /// The explanation as text, in the language of `?lang=` (English by
    /// default).
    pub text: String,
}

/// What a decision can be re-run with: `qagida eval --policy-hash HASH`
/// decides only under the same package.
#[derive(serde::Serialize, ToSchema)]
pub struct Receipt {
    /// `qagida` and its version.
    pub engine: String,
    pub policy: String,
    pub edition: String,
    /// SHA-256 over every file of the package as loaded, calendars
    /// included (as `qagida check` prints it).
    pub policy_hash: String,
}

/// A package served.
#[derive(serde::Serialize, ToSchema)]
pub struct PolicyInfo {
    pub id: String,
    /// The act's citation.
    pub act: String,
    pub languages: Vec<String>,
    pub in_force_from: String,
    pub in_force_until: Option<String>,
    /// SHA-256 over every file of the package as loaded.
    pub hash: String,
    /// A folder, or `the built-in package`.
    pub source: String,
    /// Its editions' ids, in order.
    pub editions: Vec<String>,
    /// Warnings its check gave.
    pub warnings: usize,
}

#[derive(serde::Serialize, ToSchema)]
pub struct PolicyList {
    pub engine: String,
    /// How many reloads replaced a package since the start.
    pub generation: u64,
    pub policies: Vec<PolicyInfo>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ReloadReport {
    pub generation: u64,
    pub packages: Vec<Reloaded>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}

fn info(p: &Package) -> PolicyInfo {
    let policy = p.policy();
    PolicyInfo {
        id: policy.meta.id.clone(),
        act: policy.meta.act.cite.clone(),
        languages: policy.meta.languages.clone(),
        in_force_from: policy.meta.in_force_from.to_string(),
        in_force_until: policy.meta.in_force_until.map(|d| d.to_string()),
        hash: policy.digest.clone(),
        source: p.source.name(),
        editions: crate::cli::editions::editions(policy)
            .into_iter()
            .map(|e| e.id)
            .collect(),
        warnings: p.warnings.len(),
    }
}

/// The package `id`, or a 404 that lists those served.
fn package(app: &App, id: &str) -> Result<Arc<Package>, ApiError> {
    let packages = app.registry.current();
    packages.get(id).cloned().ok_or_else(|| {
        let ids = packages.ids();
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown-policy",
            vec![
                crate::core::diag::Diagnostic::error(
                    "unknown-policy",
                    format!("no policy `{}` is served", crate::core::text::escape(id)),
                )
                .help(format!("the policies served are {}", ids.join(", "))),
            ],
        )
    })
}

/// The query's pairs, percent-decoded, each name one of `known`.
pub(super) fn query(uri: &Uri, known: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for pair in uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k)?, decode(v)?);
        if !known.contains(&k.as_str()) {
            return Err(usage(format!(
                "unknown query parameter `{}`{}",
                crate::core::text::escape(&k),
                match known {
                    [] => " (this route takes none)".to_string(),
                    _ => format!(" (this route takes {})", known.join(", ")),
                }
            )));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// The one value of `name` in a query, if given; twice is an error.
fn one<'a>(q: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ApiError> {
    let mut found = q.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let first = found.next();
    if found.next().is_some() {
        return Err(usage(format!(
            "the query parameter `{name}` is given twice"
        )));
    }
    Ok(first)
}

fn required<'a>(q: &'a [(String, String)], name: &str) -> Result<&'a str, ApiError> {
    one(q, name)?.ok_or_else(|| usage(format!("the query parameter `{name}` is required")))
}

/// `%XX` and `+` decoded; the result must be UTF-8.
fn decode(s: &str) -> Result<String, ApiError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        usage("a query has a `%` not followed by two hex digits".into())
                    })?;
                out.push(hex);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| usage("a query is not UTF-8 once decoded".into()))
}

fn usage(message: String) -> ApiError {
    let mut e = ApiError::message(StatusCode::BAD_REQUEST, "usage", message);
    e.exit = Some(crate::cli::Exit::Usage as u8);
    e
}

/// The body, at most `limit` bytes.
pub(super) async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large(limit))
}

pub(super) fn too_large(limit: usize) -> ApiError {
    ApiError::message(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        format!("the request's body is larger than the limit of {limit} bytes"),
    )
}

fn malformed(message: String) -> ApiError {
    let mut e = ApiError::message(StatusCode::BAD_REQUEST, "malformed", message);
    e.exit = Some(crate::cli::Exit::Malformed as u8);
    e
}

/// The body's text, with every character outside `keep` blanked (lines
/// kept), so that a reader of the part kept gives lines and columns in the
/// whole body.
fn blanked(text: &str, keep: std::ops::Range<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if keep.contains(&i) || c == '\n' || c == '\r' {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

/// Where `part`, borrowed from `text`, lies in it.
fn span_in(text: &str, part: &str) -> std::ops::Range<usize> {
    let start = part.as_ptr() as usize - text.as_ptr() as usize;
    start..start + part.len()
}

/// A decision's request, read from its body: the application's text (the
/// body, blanked but for it) and the request.
struct Asked {
    application: Arc<SourceFile>,
    request: Request,
    policy_hash: Option<String>,
}

fn asked(body: &[u8], trace: bool, headers: &HeaderMap) -> Result<Asked, ApiError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        malformed(format!(
            "the body is not UTF-8 text: the byte at offset {} is not part of a UTF-8 character",
            e.valid_up_to()
        ))
    })?;
    let env: Envelope = serde_json::from_str(text).map_err(|e| {
        let m = e.to_string();
        let m = m.rsplit_once(" at line ").map_or(m.as_str(), |(m, _)| m);
        let mut d = crate::core::diag::Diagnostic::error(
            "json",
            format!("the body is not a decision's request: {m}"),
        );
        let line = e.line();
        if line > 0 {
            let file = SourceFile::new("body", text.to_string());
            let off = file.offset(line, e.column().max(1));
            d = d.at(Some(crate::core::source::Loc::new(&file, off, off)));
        }
        let mut err = ApiError::new(StatusCode::BAD_REQUEST, "malformed", vec![d.help(
            "send {\"application\": {…}} with, optionally, \"at\", \"params\", \"overlay\" and \"policy_hash\"",
        )]);
        err.exit = Some(crate::cli::Exit::Malformed as u8);
        err
    })?;
    let app_text = env.application.get();
    let application = SourceFile::new("body", blanked(text, span_in(text, app_text)));
    let mut params = Vec::new();
    if let Some(o) = env.overlay {
        let raw = o.get();
        let file = match serde_json::from_str::<String>(raw) {
            Ok(yaml) => SourceFile::new("overlay", yaml),
            Err(_) => SourceFile::new("body", blanked(text, span_in(text, raw))),
        };
        params.push(Setting::Overlay(file));
    }
    for (name, raw) in env.params.unwrap_or_default() {
        let data = crate::engine::json_data(raw.get()).map_err(malformed)?;
        params.push(Setting::Value(name, data));
    }
    let at = At::parse_opt(env.at.as_deref()).map_err(ApiError::from)?;
    let policy_hash = env.policy_hash.or_else(|| {
        headers
            .get("qagida-policy-hash")
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
    });
    Ok(Asked {
        application,
        request: Request { at, params, trace },
        policy_hash,
    })
}

/// Refuses a package that is not the one of the hash asked for.
fn same_hash(p: &Package, asked: Option<&str>) -> Result<(), ApiError> {
    match asked {
        Some(h) if h != p.policy().digest => Err(ApiError::new(
            StatusCode::CONFLICT,
            "policy-hash",
            vec![crate::core::diag::Diagnostic::error(
                "policy-hash",
                format!(
                    "the package served as `{}` has the hash {}, not {}: it is not the package the decision was made with",
                    p.id(),
                    p.policy().digest,
                    crate::core::text::escape(h)
                ),
            )
            .help("serve the package of that hash, or leave out the hash to decide under this one")],
        )),
        _ => Ok(()),
    }
}

/// The receipt's headers.
fn receipt_headers(r: &mut Response, p: &Package, edition: Option<&str>) {
    let h = r.headers_mut();
    let mut put = |k: &'static str, v: &str| {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(k, v);
        }
    };
    put("qagida-engine", ENGINE);
    put("qagida-policy", p.id());
    put("qagida-policy-hash", &p.policy().digest);
    if let Some(e) = edition {
        put("qagida-edition", e);
    }
}

fn json_response(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut r = (status, body.into()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// A decision made, or why not, for `decide` and `explain`.
fn decided(
    app: &App,
    p: &Package,
    body: &[u8],
    headers: &HeaderMap,
    trace: bool,
) -> Result<crate::engine::eval::Evaluation, ApiError> {
    let asked = asked(body, trace, headers)?;
    same_hash(p, asked.policy_hash.as_deref())?;
    let result = p
        .plan
        .prepare(&asked.request)
        .and_then(|prepared| prepared.decide(Application::File(&asked.application)));
    match result {
        Ok(r) => {
            app.metrics.decided(p.id(), &r.outcome, 1);
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// Decide an application.
///
/// The decision object of `qagida eval --format json`, with the receipt
/// in the headers.
#[utoipa::path(
    post,
    path = "/v1/policies/{id}/decide",
    tag = "decisions",
    params(("id" = String, Path, description = "The policy's id")),
    request_body(content = DecideRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The decision", body = Decision,
            headers(
                ("qagida-engine" = String, description = "The engine and its version"),
                ("qagida-policy" = String, description = "The policy's id"),
                ("qagida-policy-hash" = String, description = "The package's content hash"),
                ("qagida-edition" = String, description = "The edition decided under"),
                ("x-request-id" = String, description = "The request's id, as in the logs"),
            )),
        (status = 400, description = "Not JSON, not a decision's request, or a bad date (`malformed`, `usage`)", body = ErrorBody),
        (status = 404, description = "No such policy is served (`unknown-policy`)", body = ErrorBody),
        (status = 409, description = "The package is not the one of `policy_hash` (`policy-hash`)", body = ErrorBody),
        (status = 413, description = "The body is larger than the limit (`too-large`)", body = ErrorBody),
        (status = 422, description = "The application does not fit the schema, names an unknown or ambiguous entry, a parameter is wrong, or the date is outside the act (`input`, `unknown-entry`, `ambiguous-entry`, `params`, `out-of-force`)", body = ErrorBody),
        (status = 500, description = "The policy failed while evaluating (`evaluation`), or a bug (`internal`)", body = ErrorBody),
        (status = 503, description = "Too many requests in flight, too slow, or shutting down (`overloaded`, `timeout`, `shutting-down`)", body = ErrorBody),
    )
)]
async fn decide(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let p = package(&app, &id)?;
    let body = read_body(body, app.limits.max_body).await?;
    let r = decided(&app, &p, &body, &headers, false)?;
    let mut out = crate::engine::contract::to_vec(&p.plan, &r);
    out.push(b'\n');
    let mut resp = json_response(StatusCode::OK, out);
    receipt_headers(&mut resp, &p, Some(&r.edition));
    Ok(resp)
}

/// Decide an application and say why.
///
/// The decision, its trace as JSON, its receipt, and the explanation as
/// `qagida explain` writes it (in the language of `lang`).
#[utoipa::path(
    post,
    path = "/v1/policies/{id}/explain",
    tag = "decisions",
    params(
        ("id" = String, Path, description = "The policy's id"),
        ("lang" = Option<String>, Query, description = "The language of `text`: one of the policy's"),
    ),
    request_body(content = DecideRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The decision and why", body = Explanation),
        (status = 400, description = "As for decide", body = ErrorBody),
        (status = 404, description = "As for decide", body = ErrorBody),
        (status = 409, description = "As for decide", body = ErrorBody),
        (status = 413, description = "As for decide", body = ErrorBody),
        (status = 422, description = "As for decide", body = ErrorBody),
        (status = 500, description = "As for decide", body = ErrorBody),
    )
)]
async fn explain(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let q = query(&uri, &["lang"])?;
    let p = package(&app, &id)?;
    let lang = crate::cli::eval::language(p.policy(), one(&q, "lang")?)?;
    let body = read_body(body, app.limits.max_body).await?;
    let r = decided(&app, &p, &body, &headers, true)?;
    let mut text = crate::cli::eval::text_in(&p.plan, &r, lang);
    let why = lang.map_or("why".to_string(), |l| {
        crate::core::locale::or_english(l)
            .text("eval.why")
            .to_string()
    });
    text += &format!("\n{why}:\n");
    text += &crate::engine::explain::render_in(p.policy(), &r, lang);
    let receipt = Receipt {
        engine: ENGINE.into(),
        policy: p.id().into(),
        edition: r.edition.to_string(),
        policy_hash: p.policy().digest.clone(),
    };
    let v = crate::core::json::Json::object([
        ("decision", crate::engine::contract::to_json(&p.plan, &r)),
        ("trace", crate::engine::explain::to_json(p.policy(), &r)),
        (
            "receipt",
            crate::core::json::Json::from(serde_json::to_value(&receipt).unwrap_or_default()),
        ),
        ("text", crate::core::json::Json::from(text)),
    ]);
    let mut resp = json_response(StatusCode::OK, format!("{}\n", v.to_pretty()));
    receipt_headers(&mut resp, &p, Some(&r.edition));
    Ok(resp)
}

/// Decide many applications.
///
/// NDJSON in (one application a line), NDJSON out, streamed in input
/// order, one record a line as `qagida batch` writes them: the decision
/// with its `line`, or `{"line", "error"}`. A line that fails is a record;
/// none is dropped.
#[utoipa::path(
    post,
    path = "/v1/policies/{id}/batch",
    tag = "decisions",
    params(
        ("id" = String, Path, description = "The policy's id"),
        ("at" = Option<Day>, Query, description = "Decide every line at this date; by default each at its own evaluation date"),
        ("param" = Option<Vec<String>>, Query, description = "A parameter, NAME=VALUE (repeatable)"),
        ("policy_hash" = Option<String>, Query, description = "Decide only under the package of this hash"),
    ),
    request_body(content = String, content_type = "application/x-ndjson"),
    responses(
        (status = 200, description = "One record a line, in input order", body = String, content_type = "application/x-ndjson"),
        (status = 400, description = "A bad query (`usage`)", body = ErrorBody),
        (status = 404, description = "No such policy is served", body = ErrorBody),
        (status = 409, description = "The package is not the one of `policy_hash`", body = ErrorBody),
        (status = 413, description = "The body is declared larger than the limit; a body found larger on the way ends the stream short", body = ErrorBody),
        (status = 422, description = "A parameter is wrong (`params`)", body = ErrorBody),
        (status = 503, description = "As many batches as the limit are being decided (`overloaded`)", body = ErrorBody),
    )
)]
async fn batch(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let q = query(&uri, &["at", "param", "policy_hash"])?;
    let p = package(&app, &id)?;
    let hash = one(&q, "policy_hash")?.map(str::to_string).or_else(|| {
        headers
            .get("qagida-policy-hash")
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
    });
    same_hash(&p, hash.as_deref())?;
    let params = q
        .iter()
        .filter(|(k, _)| k == "param")
        .map(|(_, v)| Setting::Arg(v.clone()))
        .collect();
    let at = At::parse_opt(one(&q, "at")?).map_err(ApiError::from)?;
    let request = Request {
        at,
        params,
        trace: false,
    };
    // The parameters are checked before the stream starts.
    p.plan.prepare(&request).map_err(ApiError::from)?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > app.limits.max_batch_body as u64) {
        return Err(too_large(app.limits.max_batch_body));
    }
    let Ok(permit) = app.batches.clone().try_acquire_owned() else {
        return Err(ApiError::message(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            format!(
                "the service is deciding {} batches, its limit: try again shortly",
                app.limits.max_batches
            ),
        )
        .retry_after(1));
    };
    let mut resp = Response::new(super::stream::batch(
        app.clone(),
        p.clone(),
        request,
        body,
        permit,
    ));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    receipt_headers(&mut resp, &p, None);
    Ok(resp)
}

/// The packages served, with their hashes.
#[utoipa::path(
    get,
    path = "/v1/policies",
    tag = "policies",
    responses((status = 200, description = "Every package served", body = PolicyList))
)]
async fn policies(State(app): State<Arc<App>>, uri: Uri) -> Result<Response, ApiError> {
    query(&uri, &[])?;
    let packages = app.registry.current();
    let list = PolicyList {
        engine: ENGINE.into(),
        generation: packages.generation,
        policies: packages.list.iter().map(|p| info(p)).collect(),
    };
    Ok(pretty(&list))
}

/// One package served.
#[utoipa::path(
    get,
    path = "/v1/policies/{id}",
    tag = "policies",
    params(("id" = String, Path, description = "The policy's id")),
    responses(
        (status = 200, description = "The package", body = PolicyInfo),
        (status = 404, description = "No such policy is served", body = ErrorBody),
    )
)]
async fn policy(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    query(&uri, &[])?;
    Ok(pretty(&info(&*package(&app, &id)?)))
}

fn pretty(v: &impl serde::Serialize) -> Response {
    json_response(
        StatusCode::OK,
        format!("{}\n", serde_json::to_string_pretty(v).unwrap_or_default()),
    )
}

fn document(p: &Package, text: String) -> Response {
    let mut r = json_response(StatusCode::OK, text);
    receipt_headers(&mut r, p, None);
    r
}

/// The act's timeline, as `qagida editions --format json`.
#[utoipa::path(
    get,
    path = "/v1/policies/{id}/editions",
    tag = "policies",
    params(("id" = String, Path, description = "The policy's id")),
    responses(
        (status = 200, description = "The acts and the editions", body = Object),
        (status = 404, description = "No such policy is served", body = ErrorBody),
    )
)]
async fn editions(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    query(&uri, &[])?;
    let p = package(&app, &id)?;
    Ok(document(&p, crate::cli::editions::json(p.policy())))
}

/// The policy as in force on a date, as `qagida consolidate --format json`.
#[utoipa::path(
    get,
    path = "/v1/policies/{id}/consolidate",
    tag = "policies",
    params(
        ("id" = String, Path, description = "The policy's id"),
        ("at" = Day, Query, description = "The date, YYYY-MM-DD"),
    ),
    responses(
        (status = 200, description = "The consolidated policy", body = Object),
        (status = 400, description = "No date, or not a date", body = ErrorBody),
        (status = 404, description = "No such policy is served", body = ErrorBody),
        (status = 422, description = "The date is outside the act (`out-of-force`)", body = ErrorBody),
    )
)]
async fn consolidate(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let q = query(&uri, &["at"])?;
    let p = package(&app, &id)?;
    let v = crate::cli::consolidate::consolidated(p.policy(), required(&q, "at")?)?;
    Ok(document(&p, format!("{}\n", v.to_pretty())))
}

/// What changed between two dates, as `qagida diff --format json`.
#[utoipa::path(
    get,
    path = "/v1/policies/{id}/diff",
    tag = "policies",
    params(
        ("id" = String, Path, description = "The policy's id"),
        ("from" = Day, Query, description = "The first date, YYYY-MM-DD"),
        ("to" = Day, Query, description = "The second date, YYYY-MM-DD"),
    ),
    responses(
        (status = 200, description = "The changes, each with its date and act", body = Object),
        (status = 400, description = "A date missing or not a date", body = ErrorBody),
        (status = 404, description = "No such policy is served", body = ErrorBody),
        (status = 422, description = "A date outside the act (`out-of-force`)", body = ErrorBody),
    )
)]
async fn diff(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let q = query(&uri, &["from", "to"])?;
    let p = package(&app, &id)?;
    let text =
        crate::cli::consolidate::diff_json(p.policy(), required(&q, "from")?, required(&q, "to")?)?;
    Ok(document(&p, text))
}

/// A catalogue in force on a date, as `qagida catalogue --format json`.
#[utoipa::path(
    get,
    path = "/v1/policies/{id}/catalogue",
    tag = "policies",
    params(
        ("id" = String, Path, description = "The policy's id"),
        ("name" = Option<String>, Query, description = "Which catalogue; by default the first"),
        ("q" = Option<String>, Query, description = "Only the entries whose names or aliases contain this"),
        ("at" = Option<Day>, Query, description = "The date; by default the act's last day in force"),
        ("lang" = Option<String>, Query, description = "With `format=text`: names in this language too"),
        ("format" = Option<CatalogueFormat>, Query, description = "`json` (the default) or `text`, as the command prints it"),
    ),
    responses(
        (status = 200, description = "The catalogue as a tree, or the entries that match", content(
            (Object = "application/json"),
            (String = "text/plain")
        )),
        (status = 400, description = "A bad date, or an unknown catalogue or language (`usage`)", body = ErrorBody),
        (status = 404, description = "No such policy is served", body = ErrorBody),
        (status = 422, description = "The date is outside the act", body = ErrorBody),
    )
)]
async fn catalogue(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    use crate::cli::catalogue::{CatalogueArgs, Format};
    let q = query(&uri, &["name", "q", "at", "lang", "format"])?;
    let p = package(&app, &id)?;
    let format = match one(&q, "format")? {
        None | Some("json") => Format::Json,
        Some("text") => Format::Text,
        Some(f) => {
            return Err(usage(format!(
                "`{}` is not a format: `json` or `text`",
                crate::core::text::escape(f)
            )));
        }
    };
    let lang = crate::cli::eval::language(p.policy(), one(&q, "lang")?)?;
    let args = CatalogueArgs {
        policy: None,
        name: one(&q, "name")?.map(str::to_string),
        at: one(&q, "at")?.map(str::to_string),
        lang: lang.map(str::to_string),
        format,
        search: one(&q, "q")?.map(str::to_string),
    };
    let text = crate::cli::catalogue::view(p.policy(), &args)?;
    let mut r = document(&p, text);
    if format == Format::Text {
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    Ok(r)
}

/// JSON Schema for the policy's applications, as `qagida schema input`.
#[utoipa::path(
    get,
    path = "/v1/policies/{id}/schema/input",
    tag = "policies",
    params(("id" = String, Path, description = "The policy's id")),
    responses(
        (status = 200, description = "A JSON Schema (2020-12)", body = Object),
        (status = 404, description = "No such policy is served", body = ErrorBody),
    )
)]
async fn input_schema(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    query(&uri, &[])?;
    let p = package(&app, &id)?;
    let s = crate::policy::schema::input(p.policy());
    Ok(document(
        &p,
        format!("{}\n", serde_json::to_string_pretty(&s).unwrap_or_default()),
    ))
}

/// Reload every package (from loopback only).
///
/// Each package is loaded and checked again; one that checks replaces the
/// old (requests in flight finish on the old), one that fails does not
/// (the old keeps serving) and its diagnostics are returned and logged.
/// SIGHUP does the same.
#[utoipa::path(
    post,
    path = "/v1/admin/reload",
    tag = "service",
    responses(
        (status = 200, description = "Every package loaded (replaced or unchanged)", body = ReloadReport),
        (status = 403, description = "Not from loopback (`forbidden`)", body = ErrorBody),
        (status = 422, description = "A package failed to check and was not swapped in (`reload`)", body = ReloadReport),
    )
)]
async fn reload(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    uri: Uri,
) -> Result<Response, ApiError> {
    query(&uri, &[])?;
    from_loopback(peer)?;
    let report = super::reload(&app).await;
    let status = match report.packages.iter().any(|r| r.status == "failed") {
        true => StatusCode::UNPROCESSABLE_ENTITY,
        false => StatusCode::OK,
    };
    let mut r = pretty(&report);
    *r.status_mut() = status;
    Ok(r)
}

/// Refuses a peer that is not on loopback: the admin routes are for the
/// machine's own operators.
pub(super) fn from_loopback(peer: std::net::SocketAddr) -> Result<(), ApiError> {
    let ip = match peer.ip() {
        std::net::IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map_or(std::net::IpAddr::V6(v6), std::net::IpAddr::V4),
        ip => ip,
    };
    match ip.is_loopback() {
        true => Ok(()),
        false => Err(ApiError::message(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("a reload is asked for from loopback only, not from {ip}"),
        )),
    }
}

/// Whether the process is up.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    responses((status = 200, description = "Up", body = Health))
)]
async fn healthz() -> Response {
    pretty(&Health {
        status: "ok".into(),
    })
}

/// Whether the service takes requests: not while it shuts down.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "service",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "Shutting down", body = Health),
    )
)]
async fn readyz(State(app): State<Arc<App>>) -> Response {
    let stopping = app.stopping.load(std::sync::atomic::Ordering::SeqCst);
    let mut r = pretty(&Health {
        status: if stopping { "shutting-down" } else { "ready" }.into(),
    });
    if stopping {
        *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    }
    r
}

/// Metrics in Prometheus's text format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    responses((status = 200, description = "Requests, decisions by outcome, latency histograms, errors", body = String, content_type = "application/openmetrics-text"))
)]
async fn metrics(State(app): State<Arc<App>>) -> Response {
    let text = app.metrics.render(&app.registry.current());
    let mut r = (StatusCode::OK, text).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_decoded_and_checked() {
        let uri: Uri = "/x?q=%D3%99+b&at=2021-01-01".parse().unwrap();
        let q = query(&uri, &["q", "at"]).unwrap();
        assert_eq!(
            q,
            [
                ("q".into(), "ә b".into()),
                ("at".into(), "2021-01-01".into())
            ]
        );
        assert_eq!(one(&q, "q").unwrap(), Some("ә b"));
        let bad: Uri = "/x?q=%G1".parse().unwrap();
        assert_eq!(query(&bad, &["q"]).unwrap_err().code, "usage");
        let unknown: Uri = "/x?z=1".parse().unwrap();
        let e = query(&unknown, &["q"]).unwrap_err();
        assert!(
            e.diagnostics[0].message.contains("takes q"),
            "{:?}",
            e.diagnostics
        );
        let twice: Uri = "/x?q=1&q=2".parse().unwrap();
        assert!(one(&query(&twice, &["q"]).unwrap(), "q").is_err());
    }

    #[test]
    fn the_part_kept_keeps_its_lines_and_columns() {
        let text = "{\"at\": \"ә\",\n \"application\": {\"a\":\n 1}}";
        let start = text.find("{\"a\"").unwrap();
        let end = text.rfind('}').unwrap();
        let b = blanked(text, start..end);
        assert_eq!(b.lines().count(), text.lines().count());
        let (l1, l2) = (text.lines().nth(1).unwrap(), b.lines().nth(1).unwrap());
        assert_eq!(l1.chars().count(), l2.chars().count());
        assert_eq!(b.trim(), "{\"a\":\n 1}");
    }
}
