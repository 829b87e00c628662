//! The packages served, and each as the documents the command line
//! prints: editions, consolidated text, diff, catalogue, input schema.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::Response;
use utoipa::ToSchema;

use super::*;
use crate::serve::App;
use crate::serve::error::{ApiError, ErrorBody};
use crate::serve::state::Package;

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

pub(super) fn info(p: &Package) -> PolicyInfo {
    let policy = p.policy();
    PolicyInfo {
        id: policy.meta.id.clone(),
        act: policy.meta.act.cite.clone(),
        languages: policy.meta.languages.clone(),
        in_force_from: policy.meta.in_force_from.to_string(),
        in_force_until: policy.meta.in_force_until.map(|d| d.to_string()),
        hash: policy.digest.clone(),
        source: p.source.name(),
        editions: crate::report::editions::editions(policy)
            .into_iter()
            .map(|e| e.id)
            .collect(),
        warnings: p.warnings.len(),
    }
}

/// The packages served, with their hashes.
#[utoipa::path(
    get,
    path = "/v1/policies",
    tag = "policies",
    responses((status = 200, description = "Every package served", body = PolicyList))
)]
pub(super) async fn policies(State(app): State<Arc<App>>, uri: Uri) -> Result<Response, ApiError> {
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
pub(super) async fn policy(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    query(&uri, &[])?;
    Ok(pretty(&info(&*package(&app, &id)?)))
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
pub(super) async fn editions(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    query(&uri, &[])?;
    let p = package(&app, &id)?;
    Ok(document(&p, crate::report::editions::json(p.policy())))
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
pub(super) async fn consolidate(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let q = query(&uri, &["at"])?;
    let p = package(&app, &id)?;
    let v = crate::report::consolidate::consolidated(p.policy(), required(&q, "at")?)?;
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
pub(super) async fn diff(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let q = query(&uri, &["from", "to"])?;
    let p = package(&app, &id)?;
    let text = crate::report::consolidate::diff_json(
        p.policy(),
        required(&q, "from")?,
        required(&q, "to")?,
    )?;
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
pub(super) async fn catalogue(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let q = query(&uri, &["name", "q", "at", "lang", "format"])?;
    let p = package(&app, &id)?;
    let json = match one(&q, "format")? {
        None | Some("json") => true,
        Some("text") => false,
        Some(f) => {
            return Err(usage(format!(
                "`{}` is not a format: `json` or `text`",
                crate::core::text::escape(f)
            )));
        }
    };
    let lang = crate::report::decision::language(p.policy(), one(&q, "lang")?)?;
    let asked = crate::report::catalogue::Query {
        name: one(&q, "name")?,
        at: one(&q, "at")?,
        lang,
        json,
        search: one(&q, "q")?,
    };
    let text = crate::report::catalogue::view(p.policy(), &asked)?;
    let mut r = document(&p, text);
    if !json {
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
pub(super) async fn input_schema(
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
