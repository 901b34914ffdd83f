//! The reading half of a connection: each client message gets exactly one reply, handed to
//! the writer with the ordering it needs.

use super::writer::Reply;
use super::{MAX_MESSAGE_BYTES, binary_refused, close_for, error_message, too_large};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::guards::{CommandLimiter, take_command};
use crate::http::protocol::{ClientMessage, parse};
use crate::live::Ack;
use crate::session::view::{AckMessage, ServerMessage};
use crate::session::{ParticipantId, SessionId};
use axum::http::StatusCode;
use futures_util::{Stream, StreamExt};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

/// A connection silent for this many times the stale time is dead, and closed.
const DEAD_AFTER_STALE: u32 = 10;

/// Which connection this is.
pub(super) struct Who {
    pub(super) session: SessionId,
    pub(super) participant: ParticipantId,
    /// Its number in the session, for presence.
    pub(super) connection: u64,
}

pub(super) async fn read_loop<R, E>(
    stream: &mut R,
    app: &AppState,
    who: &Who,
    out: &mpsc::Sender<Reply>,
    stop: &CancellationToken,
) where
    R: Stream<Item = Result<Message, E>> + Unpin,
    E: std::error::Error + 'static,
{
    let (session, participant) = (who.session, who.participant);
    // One bucket per connection: a script that pipelines commands is refused past it, and a
    // person never comes near it.
    let bucket = app.guards.command_limiter();
    let stale = app.config.stale_after();
    // Anything the client sends counts as a sign of life: its messages, and the answers its
    // WebSocket layer gives to the writer's pings.
    let mut heard = Instant::now();
    let mut quiet = false;
    loop {
        let deadline = heard
            + if quiet {
                stale * DEAD_AFTER_STALE
            } else {
                stale
            };
        let message = tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep_until(deadline) => {
                if quiet {
                    tracing::debug!(%session, %participant, "connection silent; closing");
                    return;
                }
                quiet = true;
                app.registry.quiet(session, who.connection, true).await;
                continue;
            }
            m = stream.next() => m,
        };
        heard = Instant::now();
        if quiet {
            quiet = false;
            app.registry.quiet(session, who.connection, false).await;
        }
        let replies = match message {
            None => return,
            Some(Ok(Message::Close(_))) => {
                // Complete the closing handshake before going.
                let _ = out.send(Reply::CloseHandshake).await;
                return;
            }
            Some(Err(e)) => {
                if let Some((code, reason)) = close_for(&e) {
                    let _ = out.send(Reply::Close(code, reason)).await;
                }
                return;
            }
            Some(Ok(Message::Text(body))) if body.len() > MAX_MESSAGE_BYTES => {
                vec![Reply::Now(error_message(None, &too_large()))]
            }
            // Boxed: what answering needs lives only while it answers, not in the connection's
            // state for as long as the connection is open.
            Some(Ok(Message::Text(body))) => {
                Box::pin(respond(
                    body.as_str(),
                    app,
                    session,
                    participant,
                    bucket.as_ref(),
                ))
                .await
            }
            Some(Ok(Message::Binary(_))) => {
                vec![Reply::Now(error_message(None, &binary_refused()))]
            }
            Some(Ok(_)) => continue, // ping/pong are answered by the WebSocket layer
        };
        for reply in replies {
            if out.send(reply).await.is_err() {
                return;
            }
        }
    }
}

/// The replies to one client message: one, or for a preview its content and then its ack.
async fn respond(
    body: &str,
    app: &AppState,
    session: SessionId,
    participant: ParticipantId,
    bucket: Option<&CommandLimiter>,
) -> Vec<Reply> {
    let mut replies = Vec::with_capacity(1);
    let reply = answer(body, app, session, participant, bucket, &mut replies).await;
    replies.push(reply);
    replies
}

/// The reply to one client message; a preview's content goes into `before`.
async fn answer(
    body: &str,
    app: &AppState,
    session: SessionId,
    participant: ParticipantId,
    bucket: Option<&CommandLimiter>,
    before: &mut Vec<Reply>,
) -> Reply {
    match parse(body) {
        Err(p) => Reply::Now(error_message(p.id.as_deref(), &p.error)),
        Ok(ClientMessage::Ping) => Reply::Now(ServerMessage::Pong.to_json().into()),
        Ok(ClientMessage::Hello { .. }) => Reply::Now(error_message(
            None,
            &ApiError::new(
                StatusCode::BAD_REQUEST,
                "already_authenticated",
                "this connection already said hello",
            ),
        )),
        Ok(ClientMessage::Snapshot) => match app.registry.snapshot(session, participant).await {
            Ok((seq, s)) => Reply::Snapshot {
                seq,
                message: Arc::from(s),
            },
            Err(e) => Reply::Now(error_message(None, &e.into())),
        },
        Ok(ClientMessage::Command { id, command }) => {
            if let Some(refused) = bucket.and_then(|b| take_command(b).err()) {
                return Reply::Now(error_message(Some(id.as_str()), &refused));
            }
            let name = command.name();
            let outcome = app
                .registry
                .command(
                    session,
                    Some(participant),
                    Some(id.clone()),
                    command,
                    Default::default(),
                )
                .await;
            match outcome {
                Ok(Ack {
                    seqs,
                    duplicate,
                    preview,
                }) => {
                    tracing::debug!(%session, command = name, ?seqs, duplicate, "applied");
                    let message: Arc<str> = ServerMessage::Ack(AckMessage {
                        id: id.as_str(),
                        first_seq: seqs.map(|s| s.0),
                        last_seq: seqs.map(|s| s.1),
                        duplicate,
                    })
                    .to_json()
                    .into();
                    match seqs {
                        Some((_, last)) => {
                            if let Some(preview) = preview {
                                before.push(Reply::After {
                                    seq: last,
                                    message: preview,
                                });
                            }
                            Reply::After { seq: last, message }
                        }
                        None => Reply::Now(message),
                    }
                }
                Err(e) => Reply::Now(error_message(Some(id.as_str()), &e.into())),
            }
        }
    }
}
