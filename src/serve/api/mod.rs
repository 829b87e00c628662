//! The handlers of `/v1`, each annotated for the OpenAPI document
//! ([`router`] builds both from the same list, so that neither can miss a
//! route).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod decide;
mod documents;
pub(crate) mod query;
mod service;

use decide::*;
pub use decide::{DecideRequest, Decision, Explanation, Receipt};
use documents::*;
pub use documents::{PolicyInfo, PolicyList};
use query::{one, query, required};
pub use service::ReloadReport;
use service::*;

use super::App;
use super::error::ApiError;
use super::state::Package;

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
pub(super) struct ApiDoc;

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

/// The package `id`, or a 404 that lists those served.
pub(super) fn package(app: &App, id: &str) -> Result<Arc<Package>, ApiError> {
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

pub(super) fn usage(message: String) -> ApiError {
    let mut e = ApiError::message(StatusCode::BAD_REQUEST, "usage", message);
    e.exit = Some(crate::report::failure::Exit::Usage as u8);
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

pub(super) fn malformed(message: String) -> ApiError {
    let mut e = ApiError::message(StatusCode::BAD_REQUEST, "malformed", message);
    e.exit = Some(crate::report::failure::Exit::Malformed as u8);
    e
}

/// The receipt's headers.
pub(super) fn receipt_headers(r: &mut Response, p: &Package, edition: Option<&str>) {
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

pub(super) fn json_response(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut r = (status, body.into()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

pub(super) fn pretty(v: &impl serde::Serialize) -> Response {
    json_response(
        StatusCode::OK,
        format!("{}\n", serde_json::to_string_pretty(v).unwrap_or_default()),
    )
}

pub(super) fn document(p: &Package, text: String) -> Response {
    let mut r = json_response(StatusCode::OK, text);
    receipt_headers(&mut r, p, None);
    r
}
