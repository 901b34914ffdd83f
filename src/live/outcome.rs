//! What a request to a session carries besides its command, and what it gets back.

use crate::session::{ParticipantId, Rejection};

/// Secrets a command stores beside its events, as hashes: the token of a new participant, the
/// facilitator invite of a new session.
#[derive(Debug, Default)]
pub struct Secrets {
    /// New tokens and whom they identify.
    pub tokens: Vec<(crate::store::TokenHash, ParticipantId)>,
    /// A new facilitator invite.
    pub invite: Option<crate::store::TokenHash>,
}

/// The outcome of an applied command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// The sequence numbers of the events it caused (`None` if it changed nothing).
    pub seqs: Option<(u64, u64)>,
    /// Whether this was a retry of a command already applied.
    pub duplicate: bool,
    /// For a preview: the `preview` message, for the sender's connection only.
    pub preview: Option<std::sync::Arc<str>>,
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
    /// The server is too busy to take the request now; retry.
    #[error("the session is busy; try again")]
    Busy,
    /// The join code chosen for a new session is taken by another open session: choose
    /// another and create again.
    #[error("the join code is taken")]
    CodeTaken,
    /// Storage failed; nothing changed.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}
