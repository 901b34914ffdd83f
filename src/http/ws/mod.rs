//! The WebSocket endpoint. One connection: a `hello` with the token, the catch-up (missed
//! events or a snapshot), then two halves — a reader that applies the client's commands and a
//! writer that sends the session's events and the replies, in an order clients can rely on.
//! When either half ends, both do.

mod reader;
mod writer;

use super::AppState;
use super::error::ApiError;
use super::protocol::{ClientMessage, parse};
use super::rest::session_id;
use crate::live::LiveError;
use crate::session::{ParticipantId, SessionId};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use serde_json::json;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Largest message the protocol accepts; a larger one gets `message_too_large` and the
/// connection stays open.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Beyond this the connection is closed (1009) without reading the message whole.
const HARD_MESSAGE_LIMIT: usize = 1024 * 1024;
/// How long a closing connection's writer may take to send its last replies.
const WRITER_DRAIN: Duration = Duration::from_secs(2);
/// A client must say hello this soon after connecting.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Close code: the client fell too far behind; reconnect with `last_seq` to resync.
pub const CLOSE_RESYNC: u16 = 4000;
/// Close code: the token was not accepted; do not retry with it.
pub const CLOSE_UNAUTHORIZED: u16 = 4001;
/// Close code: a facilitator removed this participant; their link no longer works.
pub const CLOSE_REMOVED: u16 = 4003;
/// Close code: no hello in time.
pub const CLOSE_HELLO_TIMEOUT: u16 = 4002;
/// Close code (standard "service restart"): the server is going away; reconnect.
pub const CLOSE_RESTART: u16 = 1012;
/// Close code (standard "try again later"): the session is busy.
pub const CLOSE_TRY_AGAIN: u16 = 1013;
/// Close code (standard "internal error").
pub const CLOSE_INTERNAL: u16 = 1011;
/// Close code (standard "message too big").
pub const CLOSE_TOO_BIG: u16 = 1009;

/// `GET /api/sessions/{id}/ws`
pub async fn upgrade(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let session = match session_id(&id) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !app.origin_allowed(origin, &headers) {
            tracing::warn!(origin, "WebSocket from a foreign origin refused");
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "this page's origin may not connect to this server",
            )
            .into_response();
        }
    }
    // Small buffers: an idle connection should cost a few KiB, not tungstenite's 128 KiB.
    ws.read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024)
        .max_write_buffer_size(256 * 1024)
        .max_message_size(HARD_MESSAGE_LIMIT)
        .max_frame_size(HARD_MESSAGE_LIMIT)
        .on_upgrade(move |socket| {
            let tracker = app.connections.clone();
            tracker.track_future(run(socket, app, session))
        })
}

async fn run(socket: WebSocket, app: AppState, session: SessionId) {
    let (sink, stream) = socket.split();
    serve_connection(sink, stream, app, session).await;
}

pub(super) fn text(value: serde_json::Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

pub(super) fn error_message(id: Option<&str>, e: &ApiError) -> Message {
    let mut body = json!({ "type": "error", "id": id, "code": e.code, "message": e.message });
    if let Some(field) = e.field {
        body["field"] = json!(field);
    }
    text(body)
}

pub(super) fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    }))
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "message_too_large",
        format!("messages may be at most {MAX_MESSAGE_BYTES} bytes"),
    )
}

fn binary_refused() -> ApiError {
    ApiError {
        code: "unsupported_frame",
        ..ApiError::invalid_arguments("send JSON in text messages")
    }
}

/// Whether a read error is the WebSocket layer refusing an over-long message.
fn is_too_big(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(e);
    while let Some(err) = current {
        if let Some(tokio_tungstenite::tungstenite::Error::Capacity(_)) =
            err.downcast_ref::<tokio_tungstenite::tungstenite::Error>()
        {
            return true;
        }
        current = err.source();
    }
    false
}

/// Runs one connection over any sink and stream of WebSocket messages.
pub async fn serve_connection<S, R, E>(
    mut sink: S,
    mut stream: R,
    app: AppState,
    session: SessionId,
) where
    S: Sink<Message> + Unpin + Send + 'static,
    R: Stream<Item = Result<Message, E>> + Unpin,
    E: std::error::Error + 'static,
{
    let Some((participant, last_seq)) = hello(&mut sink, &mut stream, &app, session).await else {
        return;
    };
    let connected = match app.registry.connect(session, participant, last_seq).await {
        Ok(c) => c,
        Err(e) => {
            let code = match &e {
                LiveError::Busy => CLOSE_TRY_AGAIN,
                LiveError::Internal(_) => CLOSE_INTERNAL,
                LiveError::UnknownSession
                | LiveError::Rejected(_)
                | LiveError::RecordNotAvailable => CLOSE_UNAUTHORIZED,
            };
            let _ = sink.send(error_message(None, &ApiError::from(e))).await;
            let _ = sink.send(close(code, "not connected")).await;
            return;
        }
    };
    tracing::debug!(%session, %participant, "connected");
    let (out_tx, out_rx) = mpsc::channel(64);
    // `stop` ends both halves: the reader cancels it when the client leaves, the writer when
    // the connection fails or the server shuts down.
    let stop = CancellationToken::new();
    let writer = tokio::spawn(writer::write_loop(
        sink,
        connected,
        participant,
        session,
        out_rx,
        writer::Stops {
            connection: stop.clone(),
            server: app.shutdown.clone(),
        },
    ));
    reader::read_loop(&mut stream, &app, session, participant, &out_tx, &stop).await;
    // Let the writer send what the reader queued last (a close frame, say), then stop it.
    drop(out_tx);
    let mut writer = writer;
    if tokio::time::timeout(WRITER_DRAIN, &mut writer)
        .await
        .is_err()
    {
        stop.cancel();
        let _ = writer.await;
    }
    app.registry.disconnect(session, participant).await;
    tracing::debug!(%session, %participant, "disconnected");
}

/// Waits for a valid `hello`; answers anything else with an error.
async fn hello<S, R, E>(
    sink: &mut S,
    stream: &mut R,
    app: &AppState,
    session: SessionId,
) -> Option<(ParticipantId, Option<u64>)>
where
    S: Sink<Message> + Unpin,
    R: Stream<Item = Result<Message, E>> + Unpin,
    E: std::error::Error + 'static,
{
    let deadline = tokio::time::Instant::now() + HELLO_TIMEOUT;
    loop {
        let next = tokio::select! {
            _ = app.shutdown.cancelled() => {
                let _ = sink.send(close(CLOSE_RESTART, "server restarting")).await;
                return None;
            }
            n = tokio::time::timeout_at(deadline, stream.next()) => n,
        };
        let message = match next {
            Err(_) => {
                let _ = sink.send(close(CLOSE_HELLO_TIMEOUT, "no hello")).await;
                return None;
            }
            Ok(None) | Ok(Some(Ok(Message::Close(_)))) => return None,
            Ok(Some(Err(e))) => {
                if is_too_big(&e) {
                    let _ = sink.send(close(CLOSE_TOO_BIG, "message too big")).await;
                }
                return None;
            }
            Ok(Some(Ok(m))) => m,
        };
        let refusal = match message {
            Message::Text(body) if body.len() > MAX_MESSAGE_BYTES => (None, too_large()),
            Message::Text(body) => match parse(body.as_str()) {
                Ok(ClientMessage::Hello { token, last_seq }) => {
                    match authenticate(app, session, &token).await {
                        Ok(participant) => return Some((participant, last_seq)),
                        Err(e) if e.code == "unknown_token" => {
                            let _ = sink.send(error_message(None, &e)).await;
                            let _ = sink.send(close(CLOSE_UNAUTHORIZED, "unknown token")).await;
                            return None;
                        }
                        Err(e) => (None, e),
                    }
                }
                Ok(_) => (
                    None,
                    ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "not_authenticated",
                        "send hello with your token first",
                    ),
                ),
                Err(p) => (p.id, p.error),
            },
            Message::Binary(_) => (None, binary_refused()),
            _ => continue, // ping/pong are answered by the WebSocket layer
        };
        let _ = sink
            .send(error_message(refusal.0.as_deref(), &refusal.1))
            .await;
    }
}

async fn authenticate(
    app: &AppState,
    session: SessionId,
    raw: &str,
) -> Result<ParticipantId, ApiError> {
    let unknown = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unknown_token",
            "this link is not valid for this session",
        )
    };
    match super::auth::resolve(app, raw).await? {
        Some(owner) if owner.session == session => Ok(owner.participant),
        _ => Err(unknown()),
    }
}
