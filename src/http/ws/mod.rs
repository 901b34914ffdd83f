//! The WebSocket endpoint. One connection: a `hello` with the token, the catch-up (missed
//! events or a snapshot), then one task that answers the client's messages and sends the
//! session's events and the replies, in an order clients can rely on.

mod answer;
mod connection;
mod cork;
pub mod send;
pub mod upgrade;
mod writer;

use super::AppState;
use super::error::ApiError;
use super::extract::SessionPath;
use super::protocol::{ClientMessage, parse};
use crate::live::LiveError;
use crate::session::view::{ErrorMessage, ServerMessage, SyncMode};
use crate::session::{ParticipantId, SessionId};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{Sink, Stream, StreamExt};
use send::Outbox;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Largest message the protocol accepts; a larger one gets `message_too_large` and the
/// connection stays open.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Beyond this the connection is closed (1009) without reading the message whole.
const HARD_MESSAGE_LIMIT: usize = 1024 * 1024;
/// How long a close frame at the end of the hello may wait for the client.
const HELLO_CLOSE_PATIENCE: Duration = Duration::from_secs(2);

/// Close code: the client fell too far behind; reconnect with `last_seq` to resync.
pub const CLOSE_RESYNC: u16 = 4000;
/// Close code: the token was not accepted; do not retry with it.
pub const CLOSE_UNAUTHORIZED: u16 = 4001;
/// Close code: a facilitator removed this participant; their link no longer works.
pub const CLOSE_REMOVED: u16 = 4003;
/// Close code: the person got a new link; this connection used the old one.
pub const CLOSE_LINK_REPLACED: u16 = 4004;
/// Close code: a facilitator deleted the session (or the operator's purge did).
pub const CLOSE_DELETED: u16 = 4005;
/// Close code: a facilitator revoked this board link.
pub const CLOSE_REVOKED: u16 = 4006;
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
/// Close code (standard "protocol error"): the client broke the WebSocket protocol.
pub const CLOSE_PROTOCOL: u16 = 1002;
/// Close code (standard "invalid frame payload data"): a text message that is not UTF-8.
pub const CLOSE_INVALID_DATA: u16 = 1007;

/// The WebSocket layer's settings: small buffers, since an idle connection should cost a few
/// KiB, not tungstenite's 128 KiB (a hello and most commands fit in one read of 256 bytes; a
/// longer message is read in more); writes go through at once to the socket, which gathers them
/// until the connection flushes (`cork.rs`).
fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(256)
        .write_buffer_size(0)
        // Every frame goes through at once, so the buffer holds one frame and perhaps a pong;
        // this only bounds a bug.
        .max_write_buffer_size(64 * 1024)
        .max_message_size(Some(HARD_MESSAGE_LIMIT))
        .max_frame_size(Some(HARD_MESSAGE_LIMIT))
}

/// `GET /api/sessions/{id}/ws`: the upgrade, refused for a foreign `Origin` before any
/// WebSocket exists.
pub async fn upgrade(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    headers: HeaderMap,
    ws: Result<upgrade::Upgrade, Response>,
) -> Response {
    let ws = match ws {
        Ok(ws) => ws,
        Err(refused) => return refused,
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
    ws.on_upgrade(socket_config(), move |socket| {
        let tracker = app.connections.clone();
        tracker.track_future(run(socket, app, session))
    })
}

/// Not an `async fn`: the socket is split before the connection's future exists, so that
/// future does not keep a slot for it as long as the connection is open.
fn run(
    socket: upgrade::Socket,
    app: AppState,
    session: SessionId,
) -> impl Future<Output = ()> + Send {
    let (sink, stream) = socket.split();
    serve_connection(sink, stream, app, session)
}

/// The `error` message for `e`, about the command `id` if there is one. The edge of a
/// connection: an internal error's cause is logged here.
pub(super) fn error_message(id: Option<&str>, e: &ApiError) -> Arc<str> {
    e.log_cause();
    ServerMessage::Error(ErrorMessage {
        id,
        code: e.code,
        message: &e.message,
        field: e.field,
        retry_after_ms: e.retry_after_ms,
    })
    .to_json()
    .into()
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

/// The close frame that answers a failed read, if the failure was the client's doing: an
/// over-long message, a broken protocol, or text that is not UTF-8. Other failures (the
/// network) leave nobody to tell.
fn close_for(e: &(dyn std::error::Error + 'static)) -> Option<(u16, &'static str)> {
    use tokio_tungstenite::tungstenite::Error as WsError;
    let mut current = Some(e);
    while let Some(err) = current {
        match err.downcast_ref::<WsError>() {
            Some(WsError::Capacity(_)) => return Some((CLOSE_TOO_BIG, "message too big")),
            Some(WsError::Protocol(_)) => return Some((CLOSE_PROTOCOL, "protocol error")),
            Some(WsError::Utf8(_)) => return Some((CLOSE_INVALID_DATA, "text is not UTF-8")),
            Some(_) => return None,
            None => current = err.source(),
        }
    }
    None
}

/// Runs one connection over any sink and stream of WebSocket messages. The future it returns
/// lives as long as the connection: it holds what the connection needs, and its one-off
/// steps (the hello, the connect) are boxed, since an async function's state is as large as
/// its largest step.
fn serve_connection<S, R, E>(
    sink: S,
    mut stream: R,
    app: AppState,
    session: SessionId,
) -> impl Future<Output = ()>
where
    S: Sink<Message> + Unpin + Send + 'static,
    R: Stream<Item = Result<Message, E>> + Unpin,
    E: std::error::Error + 'static,
{
    let mut out = Outbox::new(sink, app.config.stall_timeout());
    async move {
        let Some((participant, last_seq, sync)) =
            Box::pin(hello(&mut out, &mut stream, &app, session)).await
        else {
            return;
        };
        let connected =
            match Box::pin(app.registry.connect(session, participant, last_seq, sync)).await {
                Ok(c) => c,
                Err(e) => return Box::pin(not_connected(out, e)).await,
            };
        tracing::debug!(%session, %participant, "connected");
        let who = connection::Who {
            session,
            participant,
            connection: connected.connection,
        };
        connection::run(out, &mut stream, connected, &app, &who).await;
        // The socket closes now (sending what is left of it, a close reply), not after the
        // session has heard of it.
        drop(stream);
        Box::pin(app.registry.disconnect(session, who.connection)).await;
        tracing::debug!(%session, %participant, "disconnected");
    }
}

/// Tells a client that authenticated but could not be connected why, and closes.
async fn not_connected<S: Sink<Message> + Unpin>(mut out: Outbox<S>, e: LiveError) {
    let code = match &e {
        LiveError::Busy | LiveError::CodeTaken => CLOSE_TRY_AGAIN,
        LiveError::Internal(_) => CLOSE_INTERNAL,
        LiveError::UnknownSession | LiveError::Rejected(_) => CLOSE_UNAUTHORIZED,
    };
    let _ = out.text(&error_message(None, &ApiError::from(e))).await;
    let _ = out.close(code, "not connected", HELLO_CLOSE_PATIENCE).await;
}

/// Waits for a valid `hello`; answers anything else with an error. The deadline holds for the
/// whole exchange, sending included: a client that sends junk and never reads our answers is
/// gone after it as surely as one that sends nothing.
async fn hello<S, R, E>(
    out: &mut Outbox<S>,
    stream: &mut R,
    app: &AppState,
    session: SessionId,
) -> Option<(ParticipantId, Option<u64>, SyncMode)>
where
    S: Sink<Message> + Unpin,
    R: Stream<Item = Result<Message, E>> + Unpin,
    E: std::error::Error + 'static,
{
    let deadline = tokio::time::Instant::now() + app.config.hello_timeout();
    let outcome = tokio::select! {
        _ = app.shutdown.cancelled() => Err((CLOSE_RESTART, "server restarting")),
        o = tokio::time::timeout_at(deadline, hello_exchange(out, stream, app, session)) => {
            o.unwrap_or(Err((CLOSE_HELLO_TIMEOUT, "no hello")))
        }
    };
    match outcome {
        Ok(who) => who,
        Err((code, reason)) => {
            let _ = out.close(code, reason, HELLO_CLOSE_PATIENCE).await;
            None
        }
    }
}

/// The hello exchange itself: `Ok(Some(..))` once authenticated, `Ok(None)` when the client
/// left, `Err(close)` when the connection is to be closed with that frame.
async fn hello_exchange<S, R, E>(
    out: &mut Outbox<S>,
    stream: &mut R,
    app: &AppState,
    session: SessionId,
) -> Result<Option<(ParticipantId, Option<u64>, SyncMode)>, (u16, &'static str)>
where
    S: Sink<Message> + Unpin,
    R: Stream<Item = Result<Message, E>> + Unpin,
    E: std::error::Error + 'static,
{
    loop {
        let message = match stream.next().await {
            None | Some(Ok(Message::Close(_))) => return Ok(None),
            Some(Err(e)) => return close_for(&e).map_or(Ok(None), Err),
            Some(Ok(m)) => m,
        };
        let refusal = match message {
            Message::Text(body) if body.len() > MAX_MESSAGE_BYTES => (None, too_large()),
            Message::Text(body) => match parse(body.as_str()) {
                Ok(ClientMessage::Hello {
                    token,
                    last_seq,
                    sync,
                }) => {
                    match authenticate(app, session, &token).await {
                        Ok(Some(participant)) => return Ok(Some((participant, last_seq, sync))),
                        Ok(None) => {
                            // A page that was offline when its link was replaced reconnects
                            // with the old token: tell it so, as a live connection is told.
                            if replaced(app, session, &token).await {
                                let _ = out.text(&error_message(None, &link_replaced())).await;
                                return Err((CLOSE_LINK_REPLACED, "link replaced"));
                            }
                            let _ = out.text(&error_message(None, &unknown_token())).await;
                            return Err((CLOSE_UNAUTHORIZED, "unknown token"));
                        }
                        // The lookup failed: the client may try again before the deadline.
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
        if out
            .text(&error_message(refusal.0.as_deref(), &refusal.1))
            .await
            .is_err()
        {
            return Ok(None);
        }
    }
}

fn link_replaced() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "link_replaced",
        "this link was replaced by a new one; use the new link",
    )
}

/// Whether `raw` is a replaced link of this session. A failed lookup counts as no: the
/// client then hears that the token is unknown, which is true of it too.
async fn replaced(app: &AppState, session: SessionId, raw: &str) -> bool {
    matches!(super::auth::replaced(app, raw).await, Ok(Some(o)) if o.session == session)
}

fn unknown_token() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unknown_token",
        "this link is not valid for this session",
    )
}

/// Whom a token opens this session for: `None` when it opens nothing here (malformed, unknown,
/// revoked, or another session's).
async fn authenticate(
    app: &AppState,
    session: SessionId,
    raw: &str,
) -> Result<Option<ParticipantId>, ApiError> {
    Ok(super::auth::resolve(app, raw)
        .await?
        .filter(|owner| owner.session == session)
        .map(|owner| owner.participant))
}
