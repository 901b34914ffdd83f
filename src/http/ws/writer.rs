//! What a connection writes, and in what order. It keeps one promise to the client: messages
//! come in an order that needs no reordering —
//! - events arrive in sequence order, without gaps;
//! - an `ack` arrives after the events it names;
//! - a `snapshot` at sequence N is followed by event N+1 (events the connection had already
//!   sent past N are sent again after it), so "replace your state, then apply what follows"
//!   is always right.
//!
//! And one rule for a client that cannot keep up: when it is too far behind (more events
//! waiting for it than the session keeps), or has taken nothing for the stall timeout, it is
//! told to resync with close 4000, queued behind what it was already sent.

use super::send::{Outbox, SendError};
use super::{
    CLOSE_DELETED, CLOSE_LINK_REPLACED, CLOSE_REMOVED, CLOSE_RESTART, CLOSE_RESYNC, CLOSE_REVOKED,
};
use crate::live::{CatchUp, Outgoing, RecvError};
use crate::session::SessionId;
use crate::session::Viewer;
use crate::session::view::{Resume, ServerMessage, SyncMode, Welcome};
use futures_util::Sink;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

/// Events kept to replay after a snapshot that was overtaken; beyond that, the client resyncs.
const REPLAY: usize = 64;
/// How long a close frame may wait for a client that is slow to take it.
const CLOSE_PATIENCE: Duration = Duration::from_secs(2);

/// A reply from the reader, with the ordering it needs.
#[derive(Debug)]
pub(super) enum Reply {
    /// Send as soon as earlier replies are out.
    Now(Arc<str>),
    /// Send once the events up to `seq` have been sent.
    After {
        /// The last event the reply names.
        seq: u64,
        message: Arc<str>,
    },
    /// A snapshot at `seq`.
    Snapshot {
        /// The sequence number it is current to.
        seq: u64,
        message: Arc<str>,
    },
    /// Send this close frame and end the connection.
    Close(u16, &'static str),
    /// Complete the client's closing handshake and end the connection.
    CloseHandshake,
}

/// A connection's output, with what it has sent.
pub(super) struct Writer<S> {
    out: Outbox<S>,
    /// The connection's number in its session.
    connection: u64,
    /// The last event sequence number sent.
    sent: u64,
    /// The last few events sent, for replay after a snapshot.
    recent: VecDeque<(u64, Arc<str>)>,
    /// Replies waiting for their events.
    held: VecDeque<Reply>,
}

/// Whether the connection goes on after a step.
pub(super) enum Flow {
    Go,
    Stop,
}

impl<S: Sink<Message> + Unpin> Writer<S> {
    /// A writer that has sent nothing yet.
    pub(super) fn new(out: Outbox<S>, connection: u64) -> Writer<S> {
        Writer {
            out,
            connection,
            sent: 0,
            recent: VecDeque::new(),
            held: VecDeque::new(),
        }
    }

    /// Queues a text message, to leave with the step's flush; a client that stalls is told to
    /// resync.
    async fn text(&mut self, message: &Arc<str>) -> Flow {
        let sent = self.out.queue(message).await;
        self.sent_or_resync(sent).await
    }

    /// After a step that went on, sends what it queued, in as few writes as the socket takes;
    /// a client that stalls is told to resync.
    pub(super) async fn flushed(&mut self, step: Flow) -> Flow {
        if let Flow::Stop = step {
            return Flow::Stop;
        }
        let sent = self.out.flush().await;
        self.sent_or_resync(sent).await
    }

    /// Pings the client, so that its silence means something: a live client's WebSocket layer
    /// answers every ping by itself. A client that stalls is told to resync.
    pub(super) async fn ping(&mut self) -> Flow {
        let sent = self.out.ping().await;
        self.sent_or_resync(sent).await
    }

    async fn sent_or_resync(&mut self, sent: Result<(), SendError>) -> Flow {
        match sent {
            Ok(()) => Flow::Go,
            Err(SendError::Stalled) => self.resync("stalled").await,
            Err(SendError::Closed) => Flow::Stop,
        }
    }

    /// Tells the client to reconnect and resync, then ends the connection. The close frame goes
    /// behind what is already on its way; a client that takes nothing for another stall timeout
    /// is dropped without it.
    async fn resync(&mut self, why: &'static str) -> Flow {
        tracing::info!(why, "connection fell behind; asking it to resync");
        let patience = self.out.stall();
        let _ = self.out.close(CLOSE_RESYNC, "resync", patience).await;
        Flow::Stop
    }

    /// Sends what is queued (with the stall timeout's patience), then the close frame (with
    /// [`CLOSE_PATIENCE`]), and ends the connection.
    pub(super) async fn close(&mut self, code: u16, reason: &'static str) -> Flow {
        if self.out.flush().await.is_ok() {
            let _ = self.out.close(code, reason, CLOSE_PATIENCE).await;
        }
        Flow::Stop
    }

    async fn event(&mut self, seq: u64, message: &Arc<str>) -> Flow {
        if seq <= self.sent {
            return Flow::Go;
        }
        if let Flow::Stop = self.text(message).await {
            return Flow::Stop;
        }
        self.sent = seq;
        if self.recent.len() == REPLAY {
            self.recent.pop_front();
        }
        self.recent.push_back((seq, message.clone()));
        // Replies that were waiting for this event may go now, in the order they came.
        while self.held.front().is_some_and(|r| self.ready(r)) {
            let Some(r) = self.held.pop_front() else {
                break;
            };
            if let Flow::Stop = self.deliver(r).await {
                return Flow::Stop;
            }
        }
        Flow::Go
    }

    fn ready(&self, reply: &Reply) -> bool {
        match reply {
            Reply::Now(_) | Reply::Close(..) | Reply::CloseHandshake => true,
            Reply::After { seq, .. } | Reply::Snapshot { seq, .. } => *seq <= self.sent,
        }
    }

    pub(super) async fn reply(&mut self, reply: Reply) -> Flow {
        if self.held.is_empty() && self.ready(&reply) {
            self.deliver(reply).await
        } else {
            self.held.push_back(reply);
            Flow::Go
        }
    }

    /// Sends `reply` now, ahead of any replies still waiting for their events.
    pub(super) async fn deliver(&mut self, reply: Reply) -> Flow {
        match reply {
            Reply::Now(m) | Reply::After { message: m, .. } => self.text(&m).await,
            Reply::Close(code, reason) => self.close(code, reason).await,
            Reply::CloseHandshake => {
                let _ = self.out.close_reply().await;
                Flow::Stop
            }
            Reply::Snapshot { seq, message } => {
                let replay: Vec<Arc<str>> = self
                    .recent
                    .iter()
                    .filter(|(s, _)| *s > seq)
                    .map(|(_, m)| m.clone())
                    .collect();
                if self.sent > seq && replay.len() as u64 != self.sent - seq {
                    // Too much happened since the snapshot to replay: start over.
                    return self.resync("snapshot overtaken").await;
                }
                if let Flow::Stop = self.text(&message).await {
                    return Flow::Stop;
                }
                for m in replay {
                    if let Flow::Stop = self.text(&m).await {
                        return Flow::Stop;
                    }
                }
                Flow::Go
            }
        }
    }

    /// The welcome, the catch-up, and the presence as it was at connect.
    pub(super) async fn start(
        &mut self,
        session: SessionId,
        viewer: Viewer,
        seq: u64,
        catch_up: CatchUp,
        presence: Arc<str>,
    ) -> Flow {
        let resume = match catch_up {
            CatchUp::Events(_) => Resume::Events,
            CatchUp::Snapshot(_) => Resume::Snapshot,
        };
        let welcome = Welcome::new(session, viewer, seq, resume, chrono::Utc::now());
        if let Flow::Stop = self
            .text(&ServerMessage::Welcome(welcome).to_json().into())
            .await
        {
            return Flow::Stop;
        }
        match catch_up {
            CatchUp::Events(events) => {
                let first = seq + 1 - events.len() as u64;
                self.sent = first - 1;
                for (i, e) in events.iter().enumerate() {
                    if let Flow::Stop = self.event(first + i as u64, e).await {
                        return Flow::Stop;
                    }
                }
            }
            CatchUp::Snapshot(s) => {
                if let Flow::Stop = self.text(&Arc::from(s)).await {
                    return Flow::Stop;
                }
                self.sent = seq;
            }
        }
        self.text(&presence).await
    }

    /// Sends `update` as this viewer may see it, or acts on it.
    pub(super) async fn update(
        &mut self,
        update: Result<Arc<Outgoing>, RecvError>,
        viewer: Viewer,
        sync: SyncMode,
        session: SessionId,
    ) -> Flow {
        let participant = viewer.participant;
        match update.as_deref() {
            Ok(Outgoing::Event { seq, .. }) if *seq <= self.sent => Flow::Go,
            Ok(Outgoing::Event { seq, patch, .. }) if sync == SyncMode::Patches => match patch {
                Some(patch) => self.event(*seq, &patch.message(*seq, viewer)).await,
                None => self.resync("no changes to send").await,
            },
            Ok(update @ Outgoing::Event { seq, .. }) => match update.for_viewer(participant) {
                Some(message) => {
                    let message = message.clone();
                    self.event(*seq, &message).await
                }
                None => Flow::Go,
            },
            Ok(Outgoing::Presence(changes)) => {
                for (message, known_from) in changes {
                    // One made before this connection opened is in the `presence` it had.
                    if self.connection < *known_from
                        && let Flow::Stop = self.text(message).await
                    {
                        return Flow::Stop;
                    }
                }
                Flow::Go
            }
            Ok(Outgoing::BoardLinkRevoked(p)) if *p == participant => {
                self.close(CLOSE_REVOKED, "board link revoked").await
            }
            Ok(Outgoing::BoardLinkRevoked(_)) => Flow::Go,
            Ok(Outgoing::Removed(p)) if *p == participant => {
                self.close(CLOSE_REMOVED, "removed").await
            }
            Ok(Outgoing::Removed(_)) => Flow::Go,
            Ok(Outgoing::LinkReplaced(p)) if *p == participant => {
                self.close(CLOSE_LINK_REPLACED, "link replaced").await
            }
            Ok(Outgoing::LinkReplaced(_)) => Flow::Go,
            Ok(Outgoing::Deleted) => self.close(CLOSE_DELETED, "session deleted").await,
            Err(RecvError::Overflowed(n)) => {
                tracing::debug!(%session, %participant, missed = n, "lagged");
                self.resync("too far behind").await
            }
            Err(RecvError::Closed) => self.close(CLOSE_RESTART, "session moved").await,
        }
    }
}
