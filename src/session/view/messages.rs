//! Every message the server sends over a WebSocket, typed in one enum, so that the protocol's
//! list of server messages (docs/protocol.md §5.6) can be checked against it; and the public
//! facts of the join page.

use super::snapshot::SessionView;
use super::{EventMessage, Viewer};
use crate::model::Lang;
use crate::session::ids::{ParticipantId, SessionId};
use crate::session::state::{Organisation, State};
use crate::session::values::{Phase, Role};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A message from the server to one connection.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage<'a> {
    /// Right after a successful `hello`.
    Welcome(Welcome),
    /// One event of the session, as this viewer may see it.
    Event(EventMessage<'a>),
    /// The whole session as this viewer may see it.
    Snapshot {
        /// The session (boxed: it is much bigger than every other message).
        state: Box<SessionView<'a>>,
    },
    Presence(Presence),
    /// A command was applied (or had been: a duplicate).
    Ack(AckMessage<'a>),
    /// A message could not be handled; nothing changed.
    Error(ErrorMessage<'a>),
    /// The answer to `ping`.
    Pong,
    /// What a reveal would show, for the facilitator who asked for the preview (and nobody
    /// else); sent just before the command's `ack`.
    Preview {
        /// The `preview_reveal` or `preview_aspects` command it answers.
        id: &'a str,
        preview: super::Preview,
    },
    /// One person's connection changed: online, stale (their device has gone quiet), or
    /// offline. The `presence` message at the start gives the whole picture.
    PresenceChanged(PresenceChange),
}

impl ServerMessage<'_> {
    /// Every message type, as the `type` field names it.
    /// `patch` has no variant: a connection's patch is assembled from parts rendered once per
    /// audience (`live::Patch::message`).
    pub const TYPES: [&'static str; 10] = [
        "welcome",
        "event",
        "patch",
        "snapshot",
        "presence",
        "ack",
        "error",
        "pong",
        "preview",
        "presence_changed",
    ];

    /// This message's `type`, as the protocol and the test of its documentation name it.
    pub fn kind(&self) -> &'static str {
        match self {
            ServerMessage::Welcome(_) => "welcome",
            ServerMessage::Event(_) => "event",
            ServerMessage::Snapshot { .. } => "snapshot",
            ServerMessage::Presence(_) => "presence",
            ServerMessage::Ack(_) => "ack",
            ServerMessage::Error(_) => "error",
            ServerMessage::Pong => "pong",
            ServerMessage::Preview { .. } => "preview",
            ServerMessage::PresenceChanged(_) => "presence_changed",
        }
    }

    /// The message as JSON text.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail. An empty message would only
        // ever mean a bug, and the client would resync on the gap it leaves.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// How a connection catches up after its `welcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resume {
    /// Exactly the events it missed follow.
    Events,
    /// A snapshot follows: replace all local state with it.
    Snapshot,
}

/// The `welcome` message: whom the token opens the session for, and how the catch-up follows.
#[derive(Debug, Serialize)]
pub struct Welcome {
    pub session_id: SessionId,
    /// Whom the token identifies.
    pub participant_id: ParticipantId,
    pub role: Role,
    /// The session's last sequence number at this moment.
    pub seq: u64,
    pub resume: Resume,
    /// The server's clock, so that a device whose clock is off can show the timer right.
    pub server_time: DateTime<Utc>,
}

impl Welcome {
    /// The welcome of `viewer` at `seq`, sent at `now` (the edge's clock: the core has none).
    pub fn new(
        session_id: SessionId,
        viewer: Viewer,
        seq: u64,
        resume: Resume,
        now: DateTime<Utc>,
    ) -> Welcome {
        Welcome {
            session_id,
            participant_id: viewer.participant,
            role: viewer.role,
            seq,
            resume,
            server_time: now,
        }
    }
}

/// The `presence` message: everyone with at least one open connection, sorted by id; of
/// them, those whose every connection has gone quiet. Board links are not people: they are
/// in neither list.
#[derive(Debug, Serialize)]
pub struct Presence {
    pub online: Vec<ParticipantId>,
    pub stale: Vec<ParticipantId>,
}

/// How one person is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// At least one connection that the server heard from lately.
    Online,
    /// Connected, but nothing heard lately on any of their connections: their device may have
    /// lost its network.
    Stale,
    /// No connection.
    Offline,
}

/// The `presence_changed` message.
#[derive(Debug, Serialize)]
pub struct PresenceChange {
    pub participant: ParticipantId,
    pub status: Connection,
}

/// The `ack` message: the command's events are stored and were sent before it.
#[derive(Debug, Serialize)]
pub struct AckMessage<'a> {
    pub id: &'a str,
    /// The first event it caused; none when it changed nothing.
    pub first_seq: Option<u64>,
    /// The last event it caused.
    pub last_seq: Option<u64>,
    /// A retry of a command applied before: these are the first time's events.
    pub duplicate: bool,
}

/// The `error` message: what could not be handled; nothing changed.
#[derive(Debug, Serialize)]
pub struct ErrorMessage<'a> {
    /// The command it is about; `null` when it is about no command.
    pub id: Option<&'a str>,
    pub code: &'a str,
    /// What went wrong, for people.
    pub message: &'a str,
    /// The argument it is about, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
    /// For a refusal over a rate: how long to wait before sending again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
}

/// What anyone holding the join link may see: enough to choose an organisation.
#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    pub id: SessionId,
    pub title: String,
    pub language: Lang,
    pub phase: Phase,
    /// The organisations one may join for; merged-away ones are history, not a choice.
    pub organisations: Vec<Organisation>,
    /// Whether a new organisation may be added now.
    pub new_organisations_allowed: bool,
    /// The short code to join by, while the session is open.
    pub join_code: Option<String>,
}

/// The join page's facts of a session.
pub fn session_info(id: SessionId, state: &State) -> SessionInfo {
    SessionInfo {
        id,
        title: state.title.clone(),
        language: state.language,
        phase: state.phase,
        organisations: state.active_organisations().cloned().collect(),
        new_organisations_allowed: state.settings.new_organisations_allowed,
        join_code: state.join_code.clone(),
    }
}
