//! What a session sends to its connections: events and the changes they made, rendered once
//! per audience, presence, and the start of a new connection.

use crate::session::view::{Changes, Op, SyncMode};
use crate::session::{ParticipantId, Role, Viewer};
use std::sync::Arc;

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
        /// What the event changed in each view, for connections that sync by changes; `None`
        /// when nobody does, or when the session could not work it out (it reloaded its
        /// whole log), and such a connection must resync.
        patch: Option<Arc<Patch>>,
    },
    /// People's connections changed: `presence_changed` messages, in order.
    Presence(Box<[PresenceChange]>),
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
            Outgoing::Presence(_)
            | Outgoing::Removed(_)
            | Outgoing::LinkReplaced(_)
            | Outgoing::BoardLinkRevoked(_)
            | Outgoing::Deleted => None,
        }
    }
}

/// One `presence_changed` message, with the number of the next connection to open when it
/// was made: connections numbered from it on opened after the change, and the `presence` they
/// started with holds it already.
pub type PresenceChange = (Arc<str>, u64);

/// What one event changed, rendered once per audience: each part is a list of JSON Patch
/// operations without its brackets, so that a connection's message is the parts that apply
/// to it, joined.
#[derive(Debug)]
pub struct Patch(Changes<String>);

impl Patch {
    pub fn new(changes: &Changes) -> Patch {
        Patch(changes.map(|ops| fragment(ops)))
    }

    /// The `patch` message for event `seq` as `viewer` applies it.
    pub fn message(&self, seq: u64, viewer: Viewer) -> Arc<str> {
        let parts: Vec<&str> = self
            .0
            .parts(viewer)
            .map(String::as_str)
            .filter(|p| !p.is_empty())
            .collect();
        format!(
            r#"{{"type":"patch","seq":{seq},"ops":[{}]}}"#,
            parts.join(",")
        )
        .into()
    }
}

/// Operations as JSON, without the list's brackets.
fn fragment(ops: &[Op]) -> String {
    let list = serde_json::to_string(ops).unwrap_or_else(|_| "[]".to_string());
    list[1..list.len() - 1].to_string()
}

/// A new connection's start: what it missed, and the subscription for what comes.
#[derive(Debug)]
pub struct Connected {
    /// The connection's number in its session, for telling the session it went quiet or closed.
    pub connection: u64,
    pub role: Role,
    /// Whether it hears of events or of what changed in its view.
    pub sync: SyncMode,
    /// The session's last sequence number at the moment of subscribing.
    pub seq: u64,
    /// What to send first: the missed events, or a snapshot.
    pub catch_up: CatchUp,
    /// The `presence` message as it is now.
    pub presence: Arc<str>,
    /// Everything after `seq`, in order.
    pub updates: Updates,
}

/// One connection's side of its session's fan-out: the updates sent after it subscribed.
pub type Updates = async_broadcast::Receiver<Arc<Outgoing>>;

/// How a connection catches up.
#[derive(Debug)]
pub enum CatchUp {
    /// Exactly the events after the client's last sequence number, as this viewer may see them.
    Events(Vec<Arc<str>>),
    /// A `snapshot` message (no sequence number given, or too much missed).
    Snapshot(String),
}
