//! The service itself: reloads, health, readiness, metrics.

use std::sync::Arc;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use utoipa::ToSchema;

use super::*;
use crate::serve::App;
use crate::serve::error::{ApiError, ErrorBody};
use crate::serve::state::Reloaded;

#[derive(serde::Serialize, ToSchema)]
pub struct ReloadReport {
    pub generation: u64,
    pub packages: Vec<Reloaded>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Health {
    pub status: String,
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
pub(super) async fn reload(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    uri: Uri,
) -> Result<Response, ApiError> {
    query(&uri, &[])?;
    from_loopback(peer)?;
    let report = crate::serve::reload(&app).await;
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
pub(crate) fn from_loopback(peer: std::net::SocketAddr) -> Result<(), ApiError> {
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
pub(super) async fn healthz() -> Response {
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
pub(super) async fn readyz(State(app): State<Arc<App>>) -> Response {
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
pub(super) async fn metrics(State(app): State<Arc<App>>) -> Response {
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
    fn a_reload_is_taken_from_loopback_only() {
        assert!(from_loopback("127.0.0.1:9".parse().unwrap()).is_ok());
        assert!(from_loopback("[::1]:9".parse().unwrap()).is_ok());
        let e = from_loopback("192.168.1.20:9".parse().unwrap()).unwrap_err();
        assert_eq!((e.status, e.code), (StatusCode::FORBIDDEN, "forbidden"));
    }
}
