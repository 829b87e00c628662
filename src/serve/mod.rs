//! `qagida serve`: decisions over HTTP, on the same decision contract and
//! with the same error codes as the command line (see [`api`] for the
//! routes and [`error`] for the statuses).
//!
//! A request takes the packages served when it arrives and keeps them to
//! its end: a reload (SIGHUP, or `POST /v1/admin/reload` from loopback)
//! swaps in only packages that load and check, and never touches a
//! request in flight. Every request has an id (its `x-request-id`, or one
//! given), on each log line it causes and in its response. Work is
//! bounded: a body's size, a request's time, the requests in flight
//! (beyond them a 503 with `Retry-After`). SIGTERM or SIGINT stop taking
//! connections and let those in flight finish, up to a grace period. A
//! panic in a handler is a 500 with the request's id, never a dead server.
//!
//! The same server answers the [`workbench`]'s pages for people, at `/`.

pub mod api;
pub mod error;
pub mod metrics;
pub mod state;
mod stream;
pub mod workbench;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use tracing::Instrument;

use error::ApiError;
use metrics::{Metrics, RequestLabels, RouteLabels};
use state::{Registry, Source};

/// The bounds on a service's work.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Bytes of a `decide` or `explain` request's body.
    pub max_body: usize,
    /// Bytes of a batch's body.
    pub max_batch_body: usize,
    /// Time from a request's arrival to its response's head; and, for a
    /// batch streaming on, the longest its body may pause or its client
    /// stop reading.
    pub timeout: Duration,
    /// Batches decided at once: each holds threads to its end, after its
    /// response's head; beyond them a 503.
    pub max_batches: usize,
    /// Requests answered at once (health, readiness and metrics aside).
    pub max_in_flight: usize,
    /// Time given to requests in flight on shutdown.
    pub grace: Duration,
    /// Threads each batch decides on.
    pub batch_jobs: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body: 1 << 20,
            max_batch_body: 256 << 20,
            timeout: Duration::from_secs(30),
            max_in_flight: 512,
            max_batches: std::thread::available_parallelism().map_or(1, |n| n.get()),
            grace: Duration::from_secs(30),
            batch_jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// How to log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// What `qagida serve` is asked.
#[derive(Clone, Debug)]
pub struct Options {
    pub sources: Vec<Source>,
    pub listen: SocketAddr,
    pub limits: Limits,
    pub log: LogFormat,
    /// Threads answering requests; by default one per core.
    pub threads: Option<usize>,
}

/// The service's state, shared by every request.
#[derive(Debug)]
pub struct App {
    pub registry: Arc<Registry>,
    pub metrics: Metrics,
    pub limits: Limits,
    /// Set once shutdown begins: `/readyz` then answers 503.
    pub stopping: AtomicBool,
    in_flight: Arc<tokio::sync::Semaphore>,
    /// Batches streaming (see [`Limits::max_batches`]).
    pub(crate) batches: Arc<tokio::sync::Semaphore>,
    next_id: AtomicU64,
    /// Distinguishes this process's request ids from another's.
    id_prefix: u32,
}

impl App {
    pub fn new(packages: state::Packages, limits: Limits) -> App {
        App {
            registry: Arc::new(Registry::new(packages)),
            metrics: Metrics::default(),
            in_flight: Arc::new(tokio::sync::Semaphore::new(limits.max_in_flight)),
            batches: Arc::new(tokio::sync::Semaphore::new(limits.max_batches.max(1))),
            limits,
            stopping: AtomicBool::new(false),
            next_id: AtomicU64::new(0),
            id_prefix: std::process::id(),
        }
    }
}

/// Reloads every package, logs and counts what it did.
pub async fn reload(app: &App) -> api::ReloadReport {
    let packages = app.registry.reload().await;
    for r in &packages {
        app.metrics
            .reloads
            .get_or_create(&metrics::ResultLabels {
                result: r.status.to_string(),
            })
            .inc();
        match r.status {
            "failed" => tracing::error!(
                source = %r.source,
                diagnostics = %r.diagnostics,
                "reload: the package did not check; the old one keeps serving"
            ),
            status => {
                tracing::info!(source = %r.source, hash = r.hash.as_deref().unwrap_or(""), status, "reload")
            }
        }
    }
    api::ReloadReport {
        generation: app.registry.current().generation,
        packages,
    }
}

/// The router with its middleware, over `app`.
pub fn router(app: Arc<App>) -> axum::Router {
    router_with(app, axum::Router::new())
}

/// The router with `extra` routes beside the service's, under the same
/// middleware.
fn router_with(app: Arc<App>, extra: axum::Router<Arc<App>>) -> axum::Router {
    let (routes, doc) = api::router();
    let routes = routes.merge(extra).merge(workbench::routes());
    let doc = Arc::new(doc.to_pretty_json().unwrap_or_default() + "\n");
    routes
        .route(
            "/v1/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        doc.as_str().to_string(),
                    )
                }
            }),
        )
        .fallback(|| async {
            ApiError::message(
                StatusCode::NOT_FOUND,
                "not-found",
                "no such route: the routes are listed at /v1/openapi.json".into(),
            )
        })
        .method_not_allowed_fallback(|| async {
            ApiError::message(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "this route does not take this method: see /v1/openapi.json".into(),
            )
        })
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// The route a path is counted under: a policy's id is not a label.
fn route_of(path: &str) -> &'static str {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] | ["", ""] => "/",
        ["", "ui", "assets", _] => "/ui/assets/{name}",
        ["", "ui", _] => "/ui/{id}",
        ["", "ui", _, what] => match *what {
            "policy" => "/ui/{id}/policy",
            "editions" => "/ui/{id}/editions",
            "try" => "/ui/{id}/try",
            "catalogue" => "/ui/{id}/catalogue",
            "impact" => "/ui/{id}/impact",
            _ => "other",
        },
        ["", "healthz"] => "/healthz",
        ["", "readyz"] => "/readyz",
        ["", "metrics"] => "/metrics",
        ["", "v1", "openapi.json"] => "/v1/openapi.json",
        ["", "v1", "admin", "reload"] => "/v1/admin/reload",
        ["", "v1", "policies"] => "/v1/policies",
        ["", "v1", "policies", _] => "/v1/policies/{id}",
        ["", "v1", "policies", _, what] => match *what {
            "decide" => "/v1/policies/{id}/decide",
            "explain" => "/v1/policies/{id}/explain",
            "batch" => "/v1/policies/{id}/batch",
            "editions" => "/v1/policies/{id}/editions",
            "consolidate" => "/v1/policies/{id}/consolidate",
            "diff" => "/v1/policies/{id}/diff",
            "catalogue" => "/v1/policies/{id}/catalogue",
            _ => "other",
        },
        ["", "v1", "policies", _, "schema", "input"] => "/v1/policies/{id}/schema/input",
        _ => "other",
    }
}

/// Whether a route answers even when the service is full: health,
/// readiness and metrics must, to be of use then.
fn unbounded(route: &str) -> bool {
    matches!(route, "/healthz" | "/readyz" | "/metrics")
}

/// A request id a client gave: printable ASCII, at most 128 bytes.
fn given_id(req: &Request) -> Option<String> {
    let v = req.headers().get("x-request-id")?.to_str().ok()?;
    let ok = !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| v.to_string())
}

/// Around every request: its id, its log lines, the bound on requests in
/// flight, the timeout, a panic made a 500, the metrics.
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = given_id(&req).unwrap_or_else(|| {
        format!(
            "{:08x}-{:08x}",
            app.id_prefix,
            app.next_id.fetch_add(1, Ordering::Relaxed)
        )
    });
    let route = route_of(req.uri().path());
    let method = req.method().to_string();
    let span = tracing::info_span!("request", id = %id, method = %method, path = %req.uri().path());
    let response = async {
        let permit = match unbounded(route) {
            true => None,
            false => match app.in_flight.clone().try_acquire_owned() {
                Ok(p) => Some(p),
                Err(_) => {
                    return ApiError::message(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "overloaded",
                        format!(
                            "the service is answering {} requests, its limit: try again shortly",
                            app.limits.max_in_flight
                        ),
                    )
                    .retry_after(1)
                    .into_response();
                }
            },
        };
        app.metrics.in_flight.inc();
        let run = std::panic::AssertUnwindSafe(next.run(req)).catch_unwind();
        let r = match tokio::time::timeout(app.limits.timeout, run).await {
            Ok(Ok(r)) => r,
            Ok(Err(panic)) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                tracing::error!(panic = %what, "a handler failed unexpectedly: this is a bug");
                ApiError::message(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the service failed unexpectedly on this request: this is a bug, please report it with the request's id".into(),
                )
                .into_response()
            }
            Err(_) => ApiError::message(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                format!(
                    "the request took longer than the limit of {} s",
                    app.limits.timeout.as_secs_f64()
                ),
            )
            .retry_after(1)
            .into_response(),
        };
        app.metrics.in_flight.dec();
        drop(permit);
        r
    }
    .instrument(span.clone())
    .await;
    let mut response = response;
    // An error's body carries the request's id.
    if let Some(e) = response.extensions().get::<Arc<ApiError>>().cloned() {
        let body = serde_json::to_vec(&e.body(Some(&id))).unwrap_or_default();
        *response.body_mut() = axum::body::Body::from(body);
        response
            .headers_mut()
            .remove(axum::http::header::CONTENT_LENGTH);
        app.metrics.error(e.code, 1);
        let _in = span.enter();
        let message = e.body(None).error.message;
        match e.status.is_server_error() {
            true => {
                tracing::error!(status = e.status.as_u16(), code = e.code, %message, "answered")
            }
            false => {
                tracing::warn!(status = e.status.as_u16(), code = e.code, %message, "answered")
            }
        }
    } else {
        let _in = span.enter();
        tracing::info!(
            status = response.status().as_u16(),
            ms = start.elapsed().as_secs_f64() * 1e3,
            "answered"
        );
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    app.metrics
        .requests
        .get_or_create(&RequestLabels {
            route: route.to_string(),
            method,
            status: response.status().as_u16().to_string(),
        })
        .inc();
    app.metrics
        .latency
        .get_or_create(&RouteLabels {
            route: route.to_string(),
        })
        .observe(start.elapsed().as_secs_f64());
    response
}

/// Loads the packages, then serves until SIGTERM or SIGINT. `ready` is
/// called with the address bound, before the first request is taken.
pub fn run(
    opts: Options,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), crate::report::failure::Failure> {
    init_logs(opts.log);
    // A panic is logged as an event of the request it happened in (the
    // guard answers it with a 500); nothing else is printed.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(at, "panic: this is a bug, please report it");
    }));
    let packages = state::load_all(&opts.sources).map_err(crate::report::failure::load_failure)?;
    for p in &packages.list {
        tracing::info!(policy = p.id(), hash = %p.policy().digest, source = %p.source.name(), warnings = p.warnings.len(), "loaded");
    }
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = opts.threads {
        rt.worker_threads(n.max(1));
    }
    let rt = rt
        .enable_all()
        .build()
        .map_err(|e| io_failure(format!("cannot start: {e}")))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.listen)
            .await
            .map_err(|e| {
                io_failure(format!(
                    "cannot listen on {}: {}",
                    opts.listen,
                    crate::core::files::io_reason(&e)
                ))
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| io_failure(format!("cannot listen: {e}")))?;
        // Every write sent at once: a streamed batch's last chunk would
        // otherwise wait for the client's delayed ACK of the one before
        // (Nagle's algorithm), about 40 ms on Linux at the end of a batch.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let app = Arc::new(App::new(packages, opts.limits.clone()));
        // The signals are listened for before the service says it is
        // ready: a SIGTERM or SIGHUP that came before its handler would
        // end the process by the signal's default action, requests in
        // flight and all.
        let signals =
            Signals::listen().map_err(|e| io_failure(format!("cannot listen for signals: {e}")))?;
        tracing::info!(%addr, "listening");
        ready(addr);
        let hup = tokio::spawn(reload_on_hangup(app.clone(), signals.hup));
        let (term, int) = (signals.term, signals.int);
        let stop = Arc::new(tokio::sync::Notify::new());
        let service = router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(listener, service).with_graceful_shutdown({
            let (app, stop) = (app.clone(), stop.clone());
            async move {
                terminated(term, int).await;
                app.stopping.store(true, Ordering::SeqCst);
                tracing::info!(
                    "shutting down: no new connections; finishing the requests in flight"
                );
                stop.notify_one();
            }
        });
        let mut server = tokio::spawn(async move { server.await });
        let ended = tokio::select! {
            r = &mut server => Some(r),
            // The grace period counts from the signal, not from the start.
            _ = stop.notified() => tokio::time::timeout(opts.limits.grace, &mut server).await.ok(),
        };
        hup.abort();
        match ended {
            Some(Ok(Ok(()))) => {
                tracing::info!("stopped");
                Ok(())
            }
            Some(Ok(Err(e))) => Err(io_failure(format!("the server failed: {e}"))),
            Some(Err(e)) => Err(io_failure(format!("the server failed: {e}"))),
            None => {
                tracing::warn!(
                    grace_s = opts.limits.grace.as_secs_f64(),
                    "stopped with requests still in flight after the grace period"
                );
                Ok(())
            }
        }
    })
}

fn io_failure(message: String) -> crate::report::failure::Failure {
    crate::report::failure::Failure::new(
        crate::report::failure::Exit::Io,
        vec![crate::core::diag::Diagnostic::unreadable(message)],
    )
}

/// The signals the service answers.
struct Signals {
    term: Signal,
    int: Signal,
    hup: Signal,
}

#[cfg(unix)]
type Signal = tokio::signal::unix::Signal;
#[cfg(not(unix))]
type Signal = ();

impl Signals {
    #[cfg(unix)]
    fn listen() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    #[cfg(not(unix))]
    fn listen() -> std::io::Result<Signals> {
        Ok(Signals {
            term: (),
            int: (),
            hup: (),
        })
    }
}

/// Reloads on each SIGHUP.
#[cfg_attr(not(unix), allow(unused_variables))]
async fn reload_on_hangup(app: Arc<App>, mut hup: Signal) {
    #[cfg(unix)]
    while hup.recv().await.is_some() {
        tracing::info!("SIGHUP: reloading");
        reload(&app).await;
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await;
}

/// SIGTERM or SIGINT.
#[cfg_attr(not(unix), allow(unused_variables, unused_mut))]
async fn terminated(mut term: Signal, mut int: Signal) {
    #[cfg(unix)]
    tokio::select! {
        _ = term.recv() => {},
        _ = int.recv() => {},
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Logs to standard error, one line per event with the request's span.
fn init_logs(format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .with_target(false);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder
            .with_ansi(
                // Colour only on a terminal, and never when NO_COLOR is set.
                std::io::IsTerminal::is_terminal(&std::io::stderr())
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            )
            .try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service on a free loopback port, with `extra` routes.
    async fn serve(extra: axum::Router<Arc<App>>) -> SocketAddr {
        let packages =
            state::load_all(&[Source::Dir("tests/policies/example".into())]).expect("loads");
        let app = Arc::new(App::new(packages, Limits::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let service = router_with(app, extra).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });
        addr
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panic_in_a_handler_is_a_500_with_the_request_id_and_the_server_goes_on() {
        async fn fails() -> &'static str {
            panic!("a bug")
        }
        let addr = serve(axum::Router::new().route("/fails", axum::routing::get(fails))).await;
        let c = reqwest::Client::new();
        for _ in 0..2 {
            let r = c.get(format!("http://{addr}/fails")).send().await.unwrap();
            assert_eq!(r.status(), 500);
            let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body["error"]["code"], "internal");
            assert_eq!(body["error"]["request_id"], id.as_str());
        }
        let r = c
            .get(format!("http://{addr}/healthz"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    #[test]
    fn routes_are_counted_without_the_policy_s_id() {
        assert_eq!(
            route_of("/v1/policies/anything/decide"),
            "/v1/policies/{id}/decide"
        );
        assert_eq!(
            route_of("/v1/policies/x/schema/input"),
            "/v1/policies/{id}/schema/input"
        );
        assert_eq!(route_of("/v1/policies/x"), "/v1/policies/{id}");
        assert_eq!(route_of("/v1/policies/x/made-up"), "other");
        assert_eq!(route_of("/anything/at/all"), "other");
    }
}
