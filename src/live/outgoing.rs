//! What a session sends to its connections: events rendered once per audience, presence, and
//! the start of a new connection.

use crate::session::{ParticipantId, Role};
use std::sync::Arc;
use tokio::sync::broadcast;

/// What a session sends to its connections.
#[derive(Debug, Clone)]
pub enum Outgoing {
    /// An event, pre-rendered: `public` for everyone, except the one participant named in
    /// `private`, who gets the full form (their own answer).
    Event {
        seq: u64,
        /// The `event` message everyone may see.
        public: Arc<str>,
        /// The author's own, unredacted message, if the event is secret to others.
        private: Option<(ParticipantId, Arc<str>)>,
    },
    /// One person's connection changed (a `presence_changed` message).
    PresenceChanged(Arc<str>),
    /// This participant was removed: their connections close.
    Removed(ParticipantId),
    /// This participant got a new link: connections made with the old one close.
    LinkReplaced(ParticipantId),
    /// This board link was revoked: its screens close.
    BoardLinkRevoked(ParticipantId),
    /// The session was deleted: every connection closes.
    Deleted,
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
            Outgoing::PresenceChanged(text) => Some(text),
            Outgoing::Removed(_)
            | Outgoing::LinkReplaced(_)
            | Outgoing::BoardLinkRevoked(_)
            | Outgoing::Deleted => None,
        }
    }
}

/// A new connection's start: what it missed, and the subscription for what comes.
#[derive(Debug)]
pub struct Connected {
    /// The connection's number in its session, for telling the session it went quiet or closed.
    pub connection: u64,
    pub role: Role,
    /// The session's last sequence number at the moment of subscribing.
    pub seq: u64,
    /// What to send first: the missed events, or a snapshot.
    pub catch_up: CatchUp,
    /// The `presence` message as it is now.
    pub presence: Arc<str>,
    /// Everything after `seq`, in order.
    pub updates: broadcast::Receiver<Arc<Outgoing>>,
}

/// How a connection catches up.
#[derive(Debug)]
pub enum CatchUp {
    /// Exactly the events after the client's last sequence number, as this viewer may see them.
    Events(Vec<Arc<str>>),
    /// A `snapshot` message (no sequence number given, or too much missed).
    Snapshot(String),
}
