//! Deciding: `decide`, `explain` and a streamed `batch`, with the body
//! they read and the receipt they give.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use super::*;
use crate::core::source::SourceFile;
use crate::engine::{Application, At, Request, Setting};
use crate::serve::App;
use crate::serve::error::{ApiError, ErrorBody};
use crate::serve::state::Package;

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
pub(super) struct Envelope<'a> {
    #[serde(borrow)]
    application: &'a RawValue,
    at: Option<String>,
    #[serde(borrow)]
    params: Option<Params<'a>>,
    #[serde(borrow)]
    overlay: Option<&'a RawValue>,
    policy_hash: Option<String>,
}

/// The request's parameters, in order, each as written: a name given twice
/// is refused (see [`asked`]), as `--param` given twice is, never the last
/// kept silently.
struct Params<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Params<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Params<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of parameters by name")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut m: M,
            ) -> Result<Params<'a>, M::Error> {
                let mut out: Vec<(String, &'a RawValue)> = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, &'a RawValue>()? {
                    out.push((k, v));
                }
                Ok(Params(out))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
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

/// The body's text, with every character outside `keep` blanked (lines
/// kept), so that a reader of the part kept gives lines and columns in the
/// whole body.
pub(super) fn blanked(text: &str, keep: std::ops::Range<usize>) -> String {
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
pub(super) fn span_in(text: &str, part: &str) -> std::ops::Range<usize> {
    let start = part.as_ptr() as usize - text.as_ptr() as usize;
    start..start + part.len()
}

/// A decision's request, read from its body: the application's text (the
/// body, blanked but for it) and the request.
pub(super) struct Asked {
    application: Arc<SourceFile>,
    request: Request,
    policy_hash: Option<String>,
}

pub(super) fn asked(body: &[u8], trace: bool, headers: &HeaderMap) -> Result<Asked, ApiError> {
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
        err.exit = Some(crate::report::failure::Exit::Malformed as u8);
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
    let given = env.params.map(|p| p.0).unwrap_or_default();
    for (i, (name, raw)) in given.iter().enumerate() {
        if let Some((_, first)) = given[..i].iter().find(|(n, _)| n == name) {
            let d = crate::core::diag::Diagnostic::error(
                "param",
                format!(
                    "the parameter `{}` is given twice: {}, then {}",
                    crate::core::text::escape(name),
                    first.get(),
                    raw.get()
                ),
            )
            .help("give each parameter once");
            return Err(crate::engine::DecideError::Params(vec![d]).into());
        }
    }
    for (name, raw) in given {
        let data = crate::engine::json_data(raw.get()).map_err(malformed)?;
        params.push(Setting::Value(name.clone(), data));
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
pub(super) fn same_hash(p: &Package, asked: Option<&str>) -> Result<(), ApiError> {
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

/// A decision made, or why not, for `decide` and `explain`.
pub(super) fn decided(
    app: &App,
    p: &Package,
    body: &[u8],
    headers: &HeaderMap,
    trace: bool,
) -> Result<crate::engine::eval::Evaluation, ApiError> {
    let asked = asked(body, trace, headers)?;
    same_hash(p, asked.policy_hash.as_deref())?;
    // The body is JSON: the batch's direct reader reads it straight into
    // the schema (as `batch` reads a line, and as the batch route does);
    // an application it does not take, the general reader reads again and
    // explains, with the line and column in the body.
    let direct = crate::engine::input::json::read(&p.plan, &asked.application.text);
    let result = p.plan.prepare(&asked.request).and_then(|prepared| {
        prepared.decide(match &direct {
            Some(record) => Application::Record(record),
            None => Application::File(&asked.application),
        })
    });
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
pub(super) async fn decide(
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
pub(super) async fn explain(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let q = query(&uri, &["lang"])?;
    let p = package(&app, &id)?;
    let lang = crate::report::decision::language(p.policy(), one(&q, "lang")?)?;
    let body = read_body(body, app.limits.max_body).await?;
    let r = decided(&app, &p, &body, &headers, true)?;
    let text = crate::report::decision::explanation_in(&p.plan, &r, lang, false);
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
pub(super) async fn batch(
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
    let mut resp = Response::new(crate::serve::stream::batch(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_part_kept_keeps_its_lines_and_columns() {
        let text = "{\"at\": \"é\",\n \"application\": {\"a\":\n 1}}";
        let start = text.find("{\"a\"").unwrap();
        let end = text.rfind('}').unwrap();
        let b = blanked(text, start..end);
        assert_eq!(b.lines().count(), text.lines().count());
        let (l1, l2) = (text.lines().nth(1).unwrap(), b.lines().nth(1).unwrap());
        assert_eq!(l1.chars().count(), l2.chars().count());
        assert_eq!(b.trim(), "{\"a\":\n 1}");
    }
}
