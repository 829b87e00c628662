//! The service's errors: the command line's failures, each with an HTTP
//! status, written as one JSON object with the diagnostics' file, line
//! and column where they have them.
//!
//! | exit | code | HTTP |
//! |---|---|---|
//! | 2 | `usage` (a bad date, a query) | 400 |
//! | 4 | `malformed` (not JSON, not UTF-8) | 400 |
//! | 1 | `params` (an unknown or ill-typed parameter) | 422 |
//! | 5 | `input` (the application does not fit the schema) | 422 |
//! | 7 | `out-of-force` (a date outside the act) | 422 |
//! | 8 | `unknown-entry` (a catalogue entry no edition has) | 422 |
//! | 9 | `ambiguous-entry` | 422 |
//! | 6 | `evaluation` (the policy failed: a table gap, an overflow) | 500 |
//! | — | `unknown-policy` | 404 |
//! | — | `policy-hash` (the package is not the one asked for) | 409 |
//! | — | `too-large` | 413 |
//! | — | `overloaded`, `timeout`, `shutting-down` | 503 |
//! | — | `internal` (a bug: a panic in a handler) | 500 |

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::core::diag::Diagnostic;
use crate::engine::DecideError;
use crate::report::failure::{Exit, Failure};

/// An error the service answers with.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// A stable code (see the module's table).
    pub code: &'static str,
    /// The command line's exit status for the same failure, where it has
    /// one.
    pub exit: Option<u8>,
    pub diagnostics: Vec<Diagnostic>,
    /// Seconds to wait before trying again (a 503).
    pub retry_after: Option<u32>,
}

/// The JSON body of an error, as the OpenAPI document describes it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status, again.
    pub status: u16,
    /// A stable code: `usage`, `malformed`, `params`, `input`,
    /// `out-of-force`, `unknown-entry`, `ambiguous-entry`, `evaluation`,
    /// `unknown-policy`, `policy-hash`, `too-large`, `overloaded`,
    /// `timeout`, `shutting-down`, `not-found`, `forbidden`, `internal`.
    pub code: String,
    /// The command line's exit status for the same failure.
    pub exit: Option<u8>,
    /// The first diagnostic's message.
    pub message: String,
    /// Every diagnostic: severity, code, message, file, line, column, help.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: serde_json::Value,
    /// The request's id, as in the `x-request-id` header and the logs.
    pub request_id: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, diagnostics: Vec<Diagnostic>) -> ApiError {
        ApiError {
            status,
            code,
            exit: None,
            diagnostics,
            retry_after: None,
        }
    }

    /// One diagnostic of this code and message.
    pub fn message(status: StatusCode, code: &'static str, message: String) -> ApiError {
        ApiError::new(status, code, vec![Diagnostic::error(code, message)])
    }

    pub fn retry_after(mut self, seconds: u32) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// The body, with the request's id.
    pub fn body(&self, request_id: Option<&str>) -> ErrorBody {
        let mut d = self.diagnostics.clone();
        crate::core::diag::sort(&mut d);
        ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                code: self.code.to_string(),
                exit: self.exit,
                message: d
                    .first()
                    .map(|d| crate::core::text::escape_message(&d.message).into_owned())
                    .unwrap_or_default(),
                diagnostics: crate::core::diag::json(&d),
                request_id: request_id.map(str::to_string),
            },
        }
    }
}

/// The status and code for a command line's exit status.
fn by_exit(exit: Exit) -> (StatusCode, &'static str) {
    match exit {
        Exit::Usage => (StatusCode::BAD_REQUEST, "usage"),
        Exit::Malformed => (StatusCode::BAD_REQUEST, "malformed"),
        Exit::Policy => (StatusCode::UNPROCESSABLE_ENTITY, "params"),
        Exit::Input => (StatusCode::UNPROCESSABLE_ENTITY, "input"),
        Exit::OutOfForce => (StatusCode::UNPROCESSABLE_ENTITY, "out-of-force"),
        Exit::UnknownEntry => (StatusCode::UNPROCESSABLE_ENTITY, "unknown-entry"),
        Exit::AmbiguousEntry => (StatusCode::UNPROCESSABLE_ENTITY, "ambiguous-entry"),
        Exit::Evaluation => (StatusCode::INTERNAL_SERVER_ERROR, "evaluation"),
        // A file the service cannot read is its own fault, not the caller's.
        Exit::Io | Exit::Interrupted | Exit::Ok => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

impl From<Failure> for ApiError {
    fn from(f: Failure) -> ApiError {
        let (status, code) = by_exit(f.exit);
        ApiError {
            status,
            code,
            exit: Some(f.exit as u8),
            diagnostics: f.diags,
            retry_after: None,
        }
    }
}

impl From<DecideError> for ApiError {
    fn from(e: DecideError) -> ApiError {
        ApiError::from(Failure::from(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The request's id is added by the middleware, which knows it.
        let body = serde_json::to_vec(&self.body(None)).unwrap_or_default();
        let mut r = (self.status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(s) = self.retry_after {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        r.extensions_mut().insert(std::sync::Arc::new(self));
        r
    }
}
