//! The workbench: pages in a browser for the people who write and review
//! policies — the policy as a document, its editions and what changed
//! between two, a form to try an application and see why it is decided
//! as it is, the catalogue. Server-rendered HTML (maud, which escapes
//! every value put into a page unless told otherwise: nothing from a
//! policy or an application is ever written as markup) with one style
//! sheet and one small script, both served from here; a Content Security
//! Policy forbids any other script, inline or not.
//!
//! The words are the locale's (`wb.*` keys) in the language of `?lang=`,
//! the policy's labels in the same language; the decisions and their text
//! are those of the command line.

// A page that cannot be made is answered with a page saying why: the
// error is a response, made once a request.
#![allow(clippy::result_large_err)]

mod chrome;
mod impact;
mod pages;
mod try_form;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::App;

pub use chrome::Ctx;

/// The workbench's routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(pages::index))
        .route("/ui/assets/{name}", get(asset))
        .route("/ui/{id}", get(pages::home))
        .route("/ui/{id}/policy", get(pages::policy))
        .route("/ui/{id}/editions", get(pages::editions))
        .route("/ui/{id}/catalogue", get(pages::catalogue))
        .route("/ui/{id}/try", get(try_form::form).post(try_form::decide))
        .route(
            "/ui/{id}/impact",
            get(impact::form)
                .post(impact::report)
                .layer(axum::extract::DefaultBodyLimit::max(
                    impact::MAX_UPLOAD + (64 << 10),
                )),
        )
}

/// What every page of the workbench is sent with: no script but its own,
/// no style but its own, no frame around it, no form sent elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// A page's response, with the security headers.
pub fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

const CSS: &str = include_str!("assets/workbench.css");
const JS: &str = include_str!("assets/workbench.js");

async fn asset(Path(name): Path<String>) -> Response {
    let (kind, text) = match name.as_str() {
        "workbench.css" => ("text/css; charset=utf-8", CSS),
        "workbench.js" => ("text/javascript; charset=utf-8", JS),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut r = (StatusCode::OK, text).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// The query every page takes: its language, and what the page shows.
pub type Params = Query<Vec<(String, String)>>;
