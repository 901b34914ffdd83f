//! What a client message gets in reply: exactly one reply (a preview two), each with the
//! ordering the writer needs to send it.

use super::error_message;
use super::writer::Reply;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::guards::{CommandLimiter, take_command};
use crate::http::protocol::{ClientMessage, parse};
use crate::live::Ack;
use crate::session::view::{AckMessage, ServerMessage};
use crate::session::{ParticipantId, SessionId};
use axum::http::StatusCode;
use std::sync::Arc;

/// The replies to one client message: one, or for a preview its content and then its ack.
pub(super) async fn respond(
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
