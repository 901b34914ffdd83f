//! How the rest of the server talks to a session's task: the requests it takes, the handle that
//! sends them, and the tuning of the live layer.

use super::outcome::{Ack, LiveError, Secrets};
use super::outgoing::Connected;
use crate::session::view::SyncMode;
use crate::session::{Command, CommandId, Limits, ParticipantId, SessionId, SessionInfo};
use dashmap::DashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Tuning of the live layer.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    /// A session with nobody connected leaves memory after this long without a request.
    pub idle_timeout: Duration,
    /// How many requests may wait for one session before senders wait.
    pub queue_capacity: usize,
    /// How many events a connection may fall behind before it must resync.
    pub fan_out_capacity: usize,
    /// How big a session may grow.
    pub limits: Limits,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            idle_timeout: Duration::from_secs(300),
            queue_capacity: 256,
            fan_out_capacity: 512,
            limits: Limits::default(),
        }
    }
}

/// What the rest of the server asks of a session.
#[derive(Debug)]
// Boxed where large: every session's queue allocates its slots up front, at the size of the
// largest request.
pub(super) enum Request {
    Command {
        by: Option<ParticipantId>,
        id: Option<CommandId>,
        command: Box<Command>,
        /// Secrets to store with the command's events (a join's new token).
        secrets: Secrets,
        reply: oneshot::Sender<Result<Ack, LiveError>>,
    },
    /// A connection of `viewer` opens, having seen events up to `last_seq`.
    Connect {
        viewer: ParticipantId,
        last_seq: Option<u64>,
        sync: SyncMode,
        reply: oneshot::Sender<Result<Connected, LiveError>>,
    },
    /// A connection closed (its number from `Connected`).
    Disconnect { connection: u64 },
    /// A connection went quiet (nothing heard for a while), or spoke again.
    Quiet { connection: u64, quiet: bool },
    /// A fresh `snapshot` message for `viewer`, with the sequence number it is current to.
    Snapshot {
        viewer: ParticipantId,
        reply: oneshot::Sender<Result<(u64, String), LiveError>>,
    },
    /// The record as `viewer` may have it.
    Record {
        viewer: ParticipantId,
        /// `None`: the viewer may read it, and the whole log is to be read from the store.
        reply: oneshot::Sender<Result<Option<crate::record::Record>, LiveError>>,
    },
    /// Another node may have appended: catch up if the log goes beyond `seq` (or, without a
    /// number, if the store's log is longer than ours).
    Poke { seq: Option<u64> },
    /// The public facts a joining person needs.
    Info {
        reply: oneshot::Sender<Result<SessionInfo, LiveError>>,
    },
    /// Delete the session with all its data: asked by a facilitator (`by`, who confirmed with
    /// the title), or by the operator's purge (`by` none).
    Delete {
        by: Option<ParticipantId>,
        confirm: Option<String>,
        reply: oneshot::Sender<Result<(), LiveError>>,
    },
    /// Another node may have deleted the session: check, and if so, close.
    Gone,
}

/// A session task's address.
#[derive(Debug, Clone)]
pub(super) struct SessionHandle {
    /// Requests are boxed in the queue: its slots are allocated 32 at a time, so a pointer
    /// each keeps an idle session's queue small.
    pub(super) tx: mpsc::Sender<Box<Request>>,
    /// Tells one incarnation of a session's task from the next, so that a task leaving memory
    /// removes itself and never its successor.
    pub(super) generation: u64,
}

impl SessionHandle {
    /// Queues `request`, waiting for room; `Err` when the task has stopped taking requests.
    pub(super) async fn send(&self, request: Request) -> Result<(), ()> {
        self.tx.send(Box::new(request)).await.map_err(|_| ())
    }

    /// Queues `request` if there is room now; a full queue or a stopped task drops it.
    pub(super) fn try_send(&self, request: Request) {
        let _ = self.tx.try_send(Box::new(request));
    }
}

/// The sessions in memory, by id.
pub(super) type Sessions = Arc<DashMap<SessionId, SessionHandle>>;

impl Request {
    /// Answers a request to a session that was deleted.
    pub(super) fn refuse(self) {
        let gone = || LiveError::UnknownSession;
        match self {
            Request::Command { reply, .. } => drop(reply.send(Err(gone()))),
            Request::Connect { reply, .. } => drop(reply.send(Err(gone()))),
            Request::Snapshot { reply, .. } => drop(reply.send(Err(gone()))),
            Request::Record { reply, .. } => drop(reply.send(Err(gone()))),
            Request::Delete { reply, .. } => drop(reply.send(Err(gone()))),
            Request::Info { reply } => drop(reply.send(Err(gone()))),
            Request::Disconnect { .. }
            | Request::Quiet { .. }
            | Request::Poke { .. }
            | Request::Gone => {}
        }
    }
}
