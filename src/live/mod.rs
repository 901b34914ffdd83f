//! The live layer: one task per active session owns its state and applies its commands in
//! order; a registry finds (or loads) that task; every connection subscribes to its fan-out.

mod actor;
mod follow;
mod registry;

pub use follow::follow_other_nodes;
pub use registry::{LiveConfig, Registry};

use crate::session::{ParticipantId, Rejection, Role};
use std::sync::Arc;
use tokio::sync::broadcast;

/// What a session sends to its connections.
#[derive(Debug, Clone)]
pub enum Outgoing {
    /// An event, pre-rendered: `public` for everyone, except the one participant named in
    /// `private`, who gets the full form (their own answer).
    Event {
        /// Its sequence number.
        seq: u64,
        /// The `event` message everyone may see.
        public: Arc<str>,
        /// The author's own, unredacted message, if the event is secret to others.
        private: Option<(ParticipantId, Arc<str>)>,
    },
    /// Who is online now (a `presence` message).
    Presence(Arc<str>),
    /// This participant was removed: their connections close.
    Removed(ParticipantId),
}

/// Secrets a command stores beside its events, as hashes: the token of a new participant, the
/// facilitator invite of a new session.
#[derive(Debug, Default)]
pub struct Secrets {
    /// New tokens and whom they identify.
    pub tokens: Vec<(crate::store::TokenHash, ParticipantId)>,
    /// A new facilitator invite.
    pub invite: Option<crate::store::TokenHash>,
}

impl Outgoing {
    /// The message `viewer` should receive, if any.
    pub fn for_viewer(&self, viewer: ParticipantId) -> Option<&Arc<str>> {
        match self {
            Outgoing::Event {
                private: Some((owner, text)),
                ..
            } if *owner == viewer => Some(text),
            Outgoing::Event { public, .. } => Some(public),
            Outgoing::Presence(text) => Some(text),
            Outgoing::Removed(_) => None,
        }
    }
}

/// The outcome of an applied command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// The sequence numbers of the events it caused (`None` if it changed nothing).
    pub seqs: Option<(u64, u64)>,
    /// Whether this was a retry of a command already applied.
    pub duplicate: bool,
}

/// Why a request to a session failed.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The core refused the command; nothing changed.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// No session with that id.
    #[error("there is no such session")]
    UnknownSession,
    /// Representatives see the record only from the review on.
    #[error("the record is shown to representatives once the session is in review")]
    RecordNotAvailable,
    /// The server is too busy to take the request now; retry.
    #[error("the session is busy; try again")]
    Busy,
    /// Storage failed; nothing changed.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// A new connection's start: what it missed, and the subscription for what comes.
#[derive(Debug)]
pub struct Connected {
    /// The participant's role.
    pub role: Role,
    /// The session's last sequence number at the moment of subscribing.
    pub seq: u64,
    /// What to send first: the missed events, or a snapshot.
    pub catch_up: CatchUp,
    /// The `presence` message as it is now.
    pub presence: Arc<str>,
    /// Everything after `seq`.
    pub updates: broadcast::Receiver<Outgoing>,
}

/// How a connection catches up.
#[derive(Debug)]
pub enum CatchUp {
    /// Exactly the events after the client's last sequence number, as this viewer may see them.
    Events(Vec<Arc<str>>),
    /// A `snapshot` message (no sequence number given, or too much missed).
    Snapshot(String),
}
