//! The WebSocket endpoint. One connection: a `hello` with the token, the catch-up (missed
//! events or a snapshot), then two halves — a reader that applies the client's commands and a
//! writer that sends acks and the session's events. When either half ends, both do.

use super::AppState;
use super::auth::{Token, hashes_match};
use super::error::ApiError;
use super::protocol::{ClientMessage, parse};
use super::rest::session_id;
use crate::live::{Ack, CatchUp, Connected, LiveError, Outgoing};
use crate::session::{ParticipantId, SessionId};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

/// Largest message the protocol accepts; a larger one gets `message_too_large` and the
/// connection stays open.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Beyond this the WebSocket layer itself closes the connection (1009), without reading it all.
const HARD_MESSAGE_LIMIT: usize = 1024 * 1024;
/// A client must say hello this soon after connecting.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// A single write that takes longer than this means the client has stalled.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Close code: the client fell too far behind; reconnect with `last_seq` to resync.
pub const CLOSE_RESYNC: u16 = 4000;
/// Close code: the token was not accepted.
pub const CLOSE_UNAUTHORIZED: u16 = 4001;
/// Close code: no hello in time.
pub const CLOSE_HELLO_TIMEOUT: u16 = 4002;
/// Close code (standard "service restart"): the server is going away; reconnect.
pub const CLOSE_RESTART: u16 = 1012;

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

fn text(value: serde_json::Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

fn error_message(id: Option<&str>, e: &ApiError) -> Message {
    text(
        json!({ "type": "error", "id": id, "code": e.code, "message": e.message, "field": e.field }),
    )
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    }))
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
{
    let Some((participant, last_seq)) = hello(&mut sink, &mut stream, &app, session).await else {
        return;
    };
    let connected = match app.registry.connect(session, participant, last_seq).await {
        Ok(c) => c,
        Err(e) => {
            let e = ApiError::from(e);
            let _ = sink.send(error_message(None, &e)).await;
            let _ = sink.send(close(CLOSE_UNAUTHORIZED, "not accepted")).await;
            return;
        }
    };
    tracing::debug!(%session, %participant, "connected");
    let (out_tx, out_rx) = mpsc::channel::<Message>(64);
    // `stop` ends both halves: the reader cancels it when the client leaves, the writer when
    // the connection fails or the server shuts down.
    let stop = CancellationToken::new();
    let writer = tokio::spawn(write_loop(
        sink,
        connected,
        participant,
        session,
        out_rx,
        Stops {
            connection: stop.clone(),
            server: app.shutdown.clone(),
        },
    ));
    read_loop(&mut stream, &app, session, participant, &out_tx, &stop).await;
    stop.cancel();
    drop(out_tx);
    let _ = writer.await;
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
{
    let deadline = tokio::time::Instant::now() + HELLO_TIMEOUT;
    loop {
        let next = tokio::time::timeout_at(deadline, stream.next()).await;
        let message = match next {
            Err(_) => {
                let _ = sink.send(close(CLOSE_HELLO_TIMEOUT, "no hello")).await;
                return None;
            }
            Ok(None) | Ok(Some(Err(_))) => return None,
            Ok(Some(Ok(m))) => m,
        };
        let Message::Text(body) = message else {
            if matches!(message, Message::Close(_)) {
                return None;
            }
            continue;
        };
        match parse(body.as_str()) {
            Ok(ClientMessage::Hello { token, last_seq }) => {
                match authenticate(app, session, &token).await {
                    Ok(participant) => return Some((participant, last_seq)),
                    Err(e) => {
                        let _ = sink.send(error_message(None, &e)).await;
                        if e.code == "unknown_token" {
                            let _ = sink.send(close(CLOSE_UNAUTHORIZED, "unknown token")).await;
                            return None;
                        }
                    }
                }
            }
            Ok(_) => {
                let e = ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "not_authenticated",
                    "send hello with your token first",
                );
                let _ = sink.send(error_message(None, &e)).await;
            }
            Err(p) => {
                let _ = sink.send(error_message(p.id.as_deref(), &p.error)).await;
            }
        }
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
    let token = Token::parse(raw).ok_or_else(unknown)?;
    let hash = token.hash();
    let owner = app
        .registry
        .store()
        .token_owner(&hash)
        .await
        .map_err(|e| ApiError::from(LiveError::Internal(e)))?
        .ok_or_else(unknown)?;
    if owner.session != session || !hashes_match(&owner.hash, &hash) {
        return Err(unknown());
    }
    Ok(owner.participant)
}

async fn read_loop<R, E>(
    stream: &mut R,
    app: &AppState,
    session: SessionId,
    participant: ParticipantId,
    out: &mpsc::Sender<Message>,
    stop: &CancellationToken,
) where
    R: Stream<Item = Result<Message, E>> + Unpin,
{
    loop {
        let message = tokio::select! {
            _ = stop.cancelled() => return,
            m = stream.next() => m,
        };
        let body = match message {
            None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
            Some(Ok(Message::Text(body))) => body,
            Some(Ok(Message::Binary(_))) => {
                let e = ApiError::invalid_arguments("send JSON in text messages");
                if out
                    .send(error_message(
                        None,
                        &ApiError {
                            code: "unsupported_frame",
                            ..e
                        },
                    ))
                    .await
                    .is_err()
                {
                    return;
                }
                continue;
            }
            Some(Ok(_)) => continue, // ping/pong are answered by the WebSocket layer
        };
        let reply = if body.len() > MAX_MESSAGE_BYTES {
            error_message(
                None,
                &ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "message_too_large",
                    format!("messages may be at most {MAX_MESSAGE_BYTES} bytes"),
                ),
            )
        } else {
            respond(body.as_str(), app, session, participant).await
        };
        if out.send(reply).await.is_err() {
            return;
        }
    }
}

/// The answer to one client message.
async fn respond(
    body: &str,
    app: &AppState,
    session: SessionId,
    participant: ParticipantId,
) -> Message {
    match parse(body) {
        Err(p) => error_message(p.id.as_deref(), &p.error),
        Ok(ClientMessage::Ping) => text(json!({ "type": "pong" })),
        Ok(ClientMessage::Hello { .. }) => error_message(
            None,
            &ApiError::new(
                StatusCode::BAD_REQUEST,
                "already_authenticated",
                "this connection already said hello",
            ),
        ),
        Ok(ClientMessage::Snapshot) => match app.registry.snapshot(session, participant).await {
            Ok(s) => Message::Text(Utf8Bytes::from(s)),
            Err(e) => error_message(None, &e.into()),
        },
        Ok(ClientMessage::Command { id, command }) => {
            let name = command.name();
            match app
                .registry
                .command(
                    session,
                    Some(participant),
                    Some(id.clone()),
                    command,
                    Vec::new(),
                )
                .await
            {
                Ok(Ack { seqs, duplicate }) => {
                    tracing::debug!(%session, command = name, ?seqs, duplicate, "applied");
                    text(json!({
                        "type": "ack",
                        "id": id.as_str(),
                        "first_seq": seqs.map(|s| s.0),
                        "last_seq": seqs.map(|s| s.1),
                        "duplicate": duplicate,
                    }))
                }
                Err(e) => error_message(Some(id.as_str()), &e.into()),
            }
        }
    }
}

/// What ends a connection's writer.
struct Stops {
    /// This connection is over.
    connection: CancellationToken,
    /// The server is shutting down.
    server: CancellationToken,
}

async fn write_loop<S>(
    mut sink: S,
    connected: Connected,
    participant: ParticipantId,
    session: SessionId,
    mut out: mpsc::Receiver<Message>,
    stops: Stops,
) where
    S: Sink<Message> + Unpin,
{
    let Connected {
        role,
        seq,
        catch_up,
        presence,
        mut updates,
    } = connected;
    let mut first: Vec<Message> = vec![text(json!({
        "type": "welcome",
        "session_id": session,
        "participant_id": participant,
        "role": role,
        "seq": seq,
        "resume": match catch_up { CatchUp::Events(_) => "events", CatchUp::Snapshot(_) => "snapshot" },
    }))];
    match catch_up {
        CatchUp::Events(events) => first.extend(events.iter().map(arc_text)),
        CatchUp::Snapshot(s) => first.push(Message::Text(Utf8Bytes::from(s))),
    }
    first.push(arc_text(&presence));
    let stop = &stops.connection;
    for m in first {
        if !send(&mut sink, m).await {
            stop.cancel();
            return;
        }
    }
    loop {
        let message = tokio::select! {
            _ = stop.cancelled() => return,
            _ = stops.server.cancelled() => {
                let _ = send(&mut sink, close(CLOSE_RESTART, "server restarting")).await;
                stop.cancel();
                return;
            }
            m = out.recv() => match m {
                Some(m) => m,
                None => return,
            },
            u = updates.recv() => match u {
                Ok(update) => arc_text(update_for(&update, participant)),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::info!(%session, %participant, missed = n, "connection fell behind; asking it to resync");
                    let _ = send(&mut sink, close(CLOSE_RESYNC, "resync")).await;
                    stop.cancel();
                    return;
                }
                Err(broadcast::error::RecvError::Closed) => {
                    let _ = send(&mut sink, close(CLOSE_RESTART, "session moved")).await;
                    stop.cancel();
                    return;
                }
            },
        };
        if !send(&mut sink, message).await {
            stop.cancel();
            return;
        }
    }
}

fn update_for(update: &Outgoing, participant: ParticipantId) -> &Arc<str> {
    update.for_viewer(participant)
}

fn arc_text(s: &Arc<str>) -> Message {
    Message::Text(Utf8Bytes::from(s.as_ref()))
}

/// Sends one message; false when the connection is gone or stalled.
async fn send<S: Sink<Message> + Unpin>(sink: &mut S, message: Message) -> bool {
    matches!(
        tokio::time::timeout(WRITE_TIMEOUT, sink.send(message)).await,
        Ok(Ok(()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Role;
    use futures_util::sink;

    /// A sink that holds at most one message until the test reads it, like a client that
    /// reads slowly.
    fn slow_sink(
        capacity: usize,
    ) -> (
        impl Sink<Message, Error = ()> + Unpin + Send + 'static,
        mpsc::Receiver<Message>,
    ) {
        let (tx, rx) = mpsc::channel::<Message>(capacity);
        let sink = Box::pin(sink::unfold(tx, |tx, m: Message| async move {
            tx.send(m).await.map_err(|_| ())?;
            Ok::<_, ()>(tx)
        }));
        (sink, rx)
    }

    fn connected(updates: broadcast::Receiver<Outgoing>) -> Connected {
        Connected {
            role: Role::Representative,
            seq: 0,
            catch_up: CatchUp::Events(Vec::new()),
            presence: Arc::from(r#"{"type":"presence","online":[]}"#),
            updates,
        }
    }

    fn event(seq: u64) -> Outgoing {
        Outgoing::Event {
            seq,
            public: Arc::from(format!(r#"{{"type":"event","seq":{seq}}}"#)),
            private: None,
        }
    }

    #[tokio::test]
    async fn a_connection_that_falls_too_far_behind_is_told_to_resync() {
        let (tx, rx) = broadcast::channel(4);
        let (sink, mut client) = slow_sink(1);
        let (_out_tx, out_rx) = mpsc::channel(4);
        let stops = Stops {
            connection: CancellationToken::new(),
            server: CancellationToken::new(),
        };
        let writer = tokio::spawn(write_loop(
            sink,
            connected(rx),
            ParticipantId::new_random(),
            SessionId::new_random(),
            out_rx,
            stops,
        ));
        // The client reads nothing while the session produces more than the fan-out holds.
        for seq in 1..=10 {
            tx.send(event(seq)).unwrap();
        }
        let mut last = None;
        while let Some(m) = client.recv().await {
            last = Some(m);
        }
        writer.await.unwrap();
        match last {
            Some(Message::Close(Some(frame))) => assert_eq!(frame.code, CLOSE_RESYNC),
            other => panic!("expected a resync close, got {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_connection_is_dropped_instead_of_waiting_forever() {
        let (_tx, rx) = broadcast::channel(4);
        // Room for nothing: the welcome already blocks, and nobody ever reads.
        let (sink, _client) = slow_sink(1);
        let (_out_tx, out_rx) = mpsc::channel(4);
        let connection = CancellationToken::new();
        let stops = Stops {
            connection: connection.clone(),
            server: CancellationToken::new(),
        };
        write_loop(
            sink,
            connected(rx),
            ParticipantId::new_random(),
            SessionId::new_random(),
            out_rx,
            stops,
        )
        .await;
        assert!(connection.is_cancelled(), "the reader is told to stop too");
    }
}
