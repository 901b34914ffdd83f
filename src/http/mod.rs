//! The HTTP and WebSocket edge: the router and its handlers. `crate::server` serves it.

mod assets;
pub mod auth;
pub mod codes;
mod documents;
pub mod error;
pub mod extract;
pub mod guards;
pub mod json;
mod manage;
mod model_doc;
pub mod protocol;
mod rest;
pub mod ws;

use crate::config::Config;
use crate::live::Registry;
use crate::store::Store;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, header};
use axum::routing::{get, post};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub registry: Registry,
    /// The database: tokens and invites are looked up here, beside the sessions' logs.
    pub store: Store,
    /// The edge's limits: who may create sessions, how fast, and how fast one connection may
    /// send commands.
    pub guards: Arc<guards::Guards>,
    pub config: Arc<Config>,
    /// Cancelled when the server shuts down; WebSocket connections then close with 1012.
    pub shutdown: CancellationToken,
    /// The open WebSocket connections, so that shutdown can wait for them.
    pub connections: TaskTracker,
}

impl AppState {
    /// The server's own address as seen by people: the configured public URL, or the one the
    /// request came in on.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(url) = &self.config.public_url {
            return url.trim_end_matches('/').to_owned();
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        // Behind a TLS-terminating proxy the request arrives as plain HTTP.
        let scheme = match headers
            .get("x-forwarded-proto")
            .and_then(|h| h.to_str().ok())
        {
            Some("https") => "https",
            _ => "http",
        };
        format!("{scheme}://{host}")
    }

    /// Whether a page from `origin` may open a WebSocket: the server's own origin (the public
    /// URL, or the request's host) and the configured allow-list.
    pub fn origin_allowed(&self, origin: &str, headers: &HeaderMap) -> bool {
        let origin = origin.trim_end_matches('/');
        if self
            .config
            .allowed_origins
            .iter()
            .any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(origin))
        {
            return true;
        }
        if let Some(url) = &self.config.public_url {
            return origin_of(url).eq_ignore_ascii_case(origin);
        }
        // Without a public URL, the server's own origin is whatever host the request named.
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let origin_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .unwrap_or("");
        !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
    }
}

/// The origin (scheme, host, port) of a URL: what a browser sends in `Origin`.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// The router over a shared state.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(rest::healthz))
        .route("/api/model", get(model_doc::serve))
        .route("/api/server", get(rest::server_info))
        .route("/api/sessions", post(rest::create_session))
        .route(
            "/api/sessions/{id}",
            get(rest::session_info).delete(manage::delete_session),
        )
        .route(
            "/api/sessions/{id}/participants/{participant}/link",
            post(manage::reissue_link),
        )
        .route(
            "/api/sessions/{id}/facilitator-key",
            post(manage::replace_key).delete(manage::revoke_key),
        )
        .route(
            "/api/sessions/{id}/board-links",
            post(manage::create_board_link),
        )
        .route(
            "/api/sessions/{id}/board-links/{observer}",
            axum::routing::delete(manage::revoke_board_link),
        )
        .route("/api/codes/{code}", get(codes::lookup))
        .route("/j/{code}", get(codes::short))
        .route("/api/sessions/{id}/join", post(rest::join))
        .route("/api/sessions/{id}/facilitators", post(rest::join_facilitator))
        .route("/api/sessions/{id}/ws", get(ws::upgrade))
        .route("/api/sessions/{id}/record", get(documents::record))
        .route("/api/sessions/{id}/agenda", get(documents::agenda))
        .route("/api/sessions/{id}/join-qr.svg", get(rest::join_qr))
        .fallback(assets::serve_asset)
        .layer(DefaultBodyLimit::max(ws::MAX_MESSAGE_BYTES))
        // A request whose body trickles in slower than this is cut off (408), so that it cannot
        // hold a connection and a handler open. The handlers themselves answer in far less.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            state.config.http_body_timeout(),
        ))
        .layer(axum::middleware::map_response(json_for_plain_errors))
        .layer(axum::middleware::from_fn(error::log_internal_errors))
        // Paths only: tokens travel in bodies and fragments, never in a logged URL.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state)
}

/// Errors raised by the framework itself (a body over the limit, a wrong method) come as plain
/// text; clients get the same JSON error shape as everywhere else.
async fn json_for_plain_errors(response: axum::response::Response) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "message_too_large",
            format!("requests may be at most {} bytes", ws::MAX_MESSAGE_BYTES),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this method is not allowed here".into(),
        ),
        StatusCode::NOT_FOUND => ("not_found", "there is nothing here".into()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "send JSON".into()),
        StatusCode::REQUEST_TIMEOUT => (
            "request_timeout",
            "the request's body came too slowly; send it again".into(),
        ),
        _ if status.is_client_error() => ("bad_request", "the request was not understood".into()),
        _ => (
            "internal_error",
            "something went wrong on the server; nothing was changed".into(),
        ),
    };
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut json = error::ApiError::new(status, code, message).into_response();
    if let Some(allow) = allow {
        json.headers_mut().insert(header::ALLOW, allow);
    }
    json
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn the_origin_of_a_public_url_drops_its_path() {
        assert_eq!(
            origin_of("https://w.example/grondvorm/"),
            "https://w.example"
        );
        assert_eq!(origin_of("http://h:8080"), "http://h:8080");
    }
}
