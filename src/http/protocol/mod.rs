//! The client's WebSocket messages, parsed in two steps so that every failure gets its own
//! code: not JSON (`malformed_json`), an unknown `type` or `command`, then the arguments of
//! the one command named (`invalid_arguments` or a field's own code).

mod args;
mod commands;
mod diagnosis_args;
mod negotiation_args;
#[cfg(test)]
mod tests;

use super::error::ApiError;
use crate::session::view::SyncMode;
use crate::session::{Command, CommandId};
use axum::http::StatusCode;
use commands::parse_command;
use serde::Deserialize;
use serde_json::value::RawValue;

/// A message from a client.
#[derive(Debug)]
pub enum ClientMessage {
    /// The first message: who is connecting, and what they have seen.
    Hello {
        token: String,
        /// The last sequence number they saw, if resuming.
        last_seq: Option<u64>,
        /// Whether they want every event or what changed in their view.
        sync: SyncMode,
    },
    /// A command to the session.
    Command {
        /// The client's id for it.
        id: CommandId,
        command: Command,
    },
    /// Ask for a fresh snapshot.
    Snapshot,
    /// Keep-alive; answered with `pong`.
    Ping,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
    command: Option<String>,
    #[serde(borrow)]
    args: Option<&'a RawValue>,
    token: Option<String>,
    last_seq: Option<u64>,
    sync: Option<String>,
}

/// A failed parse, with the command id when it was readable (so the client can match it).
#[derive(Debug)]
pub struct ParseError {
    /// The command id, if the envelope got that far.
    pub id: Option<String>,
    pub error: ApiError,
}

/// Parses one text message.
pub fn parse(text: &str) -> Result<ClientMessage, ParseError> {
    let envelope: Envelope =
        super::json::parse_object(text.as_bytes()).map_err(|error| ParseError {
            id: None,
            error: ApiError {
                message: format!("the message is not a protocol message: {}", error.message),
                ..error
            },
        })?;
    let id = envelope.id.clone();
    let fail = |error: ApiError| ParseError {
        id: id.clone(),
        error,
    };
    match envelope.kind.as_deref() {
        Some("hello") => Ok(ClientMessage::Hello {
            token: envelope
                .token
                .ok_or_else(|| fail(ApiError::invalid_arguments("hello needs a token")))?,
            last_seq: envelope.last_seq,
            sync: match envelope.sync.as_deref() {
                None | Some("events") => SyncMode::Events,
                Some("patches") => SyncMode::Patches,
                Some(other) => {
                    return Err(fail(ApiError::invalid_arguments(format!(
                        "sync is 'events' or 'patches', not '{other}'"
                    ))));
                }
            },
        }),
        Some("snapshot") => Ok(ClientMessage::Snapshot),
        Some("ping") => Ok(ClientMessage::Ping),
        Some("command") => {
            let raw_id = envelope
                .id
                .as_deref()
                .ok_or_else(|| fail(ApiError::invalid_arguments("a command needs an id")))?;
            let id = CommandId::parse(raw_id).map_err(|e| fail(e.into()))?;
            let name = envelope
                .command
                .as_deref()
                .ok_or_else(|| fail(ApiError::invalid_arguments("a command needs a name")))?;
            let args = envelope.args.map(RawValue::get).unwrap_or("{}");
            let command = parse_command(name, args).map_err(fail)?;
            Ok(ClientMessage::Command { id, command })
        }
        Some(other) => Err(fail(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unknown_message_type",
            format!("unknown message type '{other}'"),
        ))),
        None => Err(fail(ApiError::invalid_arguments(
            "the message has no 'type'",
        ))),
    }
}
