//! The writing half of a connection. It keeps one promise to the client: messages come in an
//! order that needs no reordering —
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
use crate::live::{CatchUp, Connected, Outgoing};
use crate::session::Viewer;
use crate::session::view::{Resume, ServerMessage, SyncMode, Welcome};
use crate::session::{ParticipantId, SessionId};
use futures_util::Sink;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

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

/// What ends a connection's writer, and how often it pings.
pub(super) struct Stops {
    /// This connection is over.
    pub(super) connection: CancellationToken,
    /// The server is shutting down.
    pub(super) server: CancellationToken,
    /// How often the client is pinged, so that its silence means something: a live client's
    /// WebSocket layer answers every ping by itself.
    pub(super) ping: Duration,
}

struct Writer<S> {
    out: Outbox<S>,
    /// The last event sequence number sent.
    sent: u64,
    /// The last few events sent, for replay after a snapshot.
    recent: VecDeque<(u64, Arc<str>)>,
    /// Replies waiting for their events.
    held: VecDeque<Reply>,
}

/// Whether the connection goes on after a step.
enum Flow {
    Go,
    Stop,
}

impl<S: Sink<Message> + Unpin> Writer<S> {
    /// Sends a text message; a client that stalls is told to resync.
    async fn text(&mut self, message: &Arc<str>) -> Flow {
        match self.out.text(message).await {
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

    async fn close(&mut self, code: u16, reason: &'static str) -> Flow {
        let _ = self.out.close(code, reason, CLOSE_PATIENCE).await;
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

    async fn reply(&mut self, reply: Reply) -> Flow {
        if self.held.is_empty() && self.ready(&reply) {
            self.deliver(reply).await
        } else {
            self.held.push_back(reply);
            Flow::Go
        }
    }

    async fn deliver(&mut self, reply: Reply) -> Flow {
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
}

pub(super) async fn write_loop<S>(
    out: Outbox<S>,
    connected: Connected,
    participant: ParticipantId,
    session: SessionId,
    mut replies: mpsc::Receiver<Reply>,
    stops: Stops,
) where
    S: Sink<Message> + Unpin,
{
    let stop = &stops.connection;
    let flow = run(out, connected, participant, session, &mut replies, &stops).await;
    if let Flow::Stop = flow {
        stop.cancel();
    }
}

async fn run<S>(
    out: Outbox<S>,
    connected: Connected,
    participant: ParticipantId,
    session: SessionId,
    replies: &mut mpsc::Receiver<Reply>,
    stops: &Stops,
) -> Flow
where
    S: Sink<Message> + Unpin,
{
    let Connected {
        connection: _,
        role,
        sync,
        seq,
        catch_up,
        presence,
        mut updates,
    } = connected;
    let mut w = Writer {
        out,
        sent: 0,
        recent: VecDeque::new(),
        held: VecDeque::new(),
    };
    let resume = match catch_up {
        CatchUp::Events(_) => Resume::Events,
        CatchUp::Snapshot(_) => Resume::Snapshot,
    };
    let viewer = Viewer { participant, role };
    let welcome = Welcome::new(session, viewer, seq, resume, chrono::Utc::now());
    if let Flow::Stop = w
        .text(&ServerMessage::Welcome(welcome).to_json().into())
        .await
    {
        return Flow::Stop;
    }
    match catch_up {
        CatchUp::Events(events) => {
            let first = seq + 1 - events.len() as u64;
            w.sent = first - 1;
            for (i, e) in events.iter().enumerate() {
                if let Flow::Stop = w.event(first + i as u64, e).await {
                    return Flow::Stop;
                }
            }
        }
        CatchUp::Snapshot(s) => {
            if let Flow::Stop = w.text(&Arc::from(s)).await {
                return Flow::Stop;
            }
            w.sent = seq;
        }
    }
    if let Flow::Stop = w.text(&presence).await {
        return Flow::Stop;
    }
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + stops.ping, stops.ping);
    // A writer that fell behind on its pings sends one, not a burst.
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let flow = tokio::select! {
            // Replies first: a closing reader's last word must not lose to its own stop.
            biased;
            r = replies.recv() => match r {
                Some(r) => w.reply(r).await,
                // The reader is done and everything it queued has been handled.
                None => return Flow::Stop,
            },
            _ = stops.connection.cancelled() => return Flow::Go,
            _ = stops.server.cancelled() => {
                w.close(CLOSE_RESTART, "server restarting").await;
                return Flow::Stop;
            }
            _ = ping.tick() => match w.out.ping().await {
                Ok(()) => Flow::Go,
                Err(SendError::Stalled) => w.resync("stalled").await,
                Err(SendError::Closed) => Flow::Stop,
            },
            u = updates.recv() => match u.as_deref() {
                Ok(Outgoing::Event { seq, .. }) if *seq <= w.sent => Flow::Go,
                Ok(Outgoing::Event { seq, patch, .. }) if sync == SyncMode::Patches => match patch {
                    Some(patch) => w.event(*seq, &patch.message(*seq, viewer)).await,
                    None => w.resync("no changes to send").await,
                },
                Ok(update @ Outgoing::Event { seq, .. }) => match update.for_viewer(participant) {
                    Some(message) => {
                        let message = message.clone();
                        w.event(*seq, &message).await
                    }
                    None => Flow::Go,
                },
                Ok(Outgoing::PresenceChanged(p)) => w.text(p).await,
                Ok(Outgoing::BoardLinkRevoked(p)) if *p == participant => {
                    w.close(CLOSE_REVOKED, "board link revoked").await
                }
                Ok(Outgoing::BoardLinkRevoked(_)) => Flow::Go,
                Ok(Outgoing::Removed(p)) if *p == participant => {
                    w.close(CLOSE_REMOVED, "removed").await
                }
                Ok(Outgoing::Removed(_)) => Flow::Go,
                Ok(Outgoing::LinkReplaced(p)) if *p == participant => {
                    w.close(CLOSE_LINK_REPLACED, "link replaced").await
                }
                Ok(Outgoing::LinkReplaced(_)) => Flow::Go,
                Ok(Outgoing::Deleted) => w.close(CLOSE_DELETED, "session deleted").await,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::debug!(%session, %participant, missed = n, "lagged");
                    w.resync("too far behind").await
                }
                Err(broadcast::error::RecvError::Closed) => {
                    w.close(CLOSE_RESTART, "session moved").await
                }
            },
        };
        if let Flow::Stop = flow {
            return Flow::Stop;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::CLOSE_RESYNC;
    use super::*;
    use crate::live::{CatchUp, Connected, Outgoing};
    use crate::session::Role;
    use crate::session::{ParticipantId, SessionId};
    use futures_util::Sink;
    use futures_util::sink;
    use std::sync::Arc;
    use tokio::sync::{broadcast, mpsc};
    use tokio_util::sync::CancellationToken;

    const STALL: Duration = Duration::from_secs(10);

    /// A sink that holds at most `capacity` messages until the test reads them, like a client
    /// that reads slowly.
    fn slow_sink(
        capacity: usize,
    ) -> (
        impl Sink<Message, Error = ()> + Unpin + Send + 'static,
        mpsc::Receiver<Message>,
    ) {
        let (tx, rx) = mpsc::channel::<Message>(capacity);
        let sink = Box::pin(sink::unfold(tx, |tx, m: Message| async move {
            tx.send(m).await.map_err(|_| ())?;
            Ok::<_, ()>(tx)
        }));
        (sink, rx)
    }

    fn connected(updates: broadcast::Receiver<Arc<Outgoing>>) -> Connected {
        Connected {
            connection: 1,
            role: Role::Representative,
            sync: SyncMode::Events,
            seq: 0,
            catch_up: CatchUp::Events(Vec::new()),
            presence: Arc::from(r#"{"type":"presence","online":[]}"#),
            updates,
        }
    }

    fn event(seq: u64) -> Arc<Outgoing> {
        Arc::new(Outgoing::Event {
            seq,
            public: Arc::from(format!(r#"{{"type":"event","seq":{seq}}}"#)),
            private: None,
            patch: None,
        })
    }

    fn stops() -> (Stops, CancellationToken) {
        let connection = CancellationToken::new();
        (
            Stops {
                connection: connection.clone(),
                server: CancellationToken::new(),
                ping: Duration::from_secs(30),
            },
            connection,
        )
    }

    fn close_code(m: &Message) -> Option<u16> {
        match m {
            Message::Close(Some(frame)) => Some(frame.code.into()),
            _ => None,
        }
    }

    #[tokio::test]
    async fn a_connection_that_falls_too_far_behind_is_told_to_resync() {
        let (tx, rx) = broadcast::channel(4);
        let (sink, mut client) = slow_sink(1);
        let (_out_tx, out_rx) = mpsc::channel(4);
        let writer = tokio::spawn(write_loop(
            Outbox::new(sink, STALL),
            connected(rx),
            ParticipantId::new_random(),
            SessionId::new_random(),
            out_rx,
            stops().0,
        ));
        // The client reads nothing while the session produces more than the fan-out holds.
        for seq in 1..=10 {
            tx.send(event(seq)).unwrap();
        }
        let mut last = None;
        while let Some(m) = client.recv().await {
            last = Some(m);
        }
        writer.await.unwrap();
        assert_eq!(last.as_ref().and_then(close_code), Some(CLOSE_RESYNC));
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_that_stops_reading_and_comes_back_finds_the_resync_close() {
        let (tx, rx) = broadcast::channel(64);
        // Room for two messages: the welcome and the presence; then the client stops reading.
        let (sink, mut client) = slow_sink(2);
        let (_out_tx, out_rx) = mpsc::channel(4);
        let (stops, connection) = stops();
        let writer = tokio::spawn(write_loop(
            Outbox::new(sink, STALL),
            connected(rx),
            ParticipantId::new_random(),
            SessionId::new_random(),
            out_rx,
            stops,
        ));
        tx.send(event(1)).unwrap();
        // Past the stall timeout the writer gives up on event 1 and queues the resync close.
        tokio::time::sleep(STALL + Duration::from_secs(1)).await;
        let mut seen = Vec::new();
        while let Some(m) = client.recv().await {
            seen.push(m);
        }
        writer.await.unwrap();
        assert!(connection.is_cancelled(), "the reader is told to stop too");
        assert_eq!(
            seen.last().and_then(close_code),
            Some(CLOSE_RESYNC),
            "{seen:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_that_never_reads_again_is_dropped_after_the_grace() {
        let (_tx, rx) = broadcast::channel(4);
        // Room for nothing: the welcome already blocks, and nobody ever reads.
        let (sink, _client) = slow_sink(1);
        let (_out_tx, out_rx) = mpsc::channel(4);
        let (stops, connection) = stops();
        write_loop(
            Outbox::new(sink, STALL),
            connected(rx),
            ParticipantId::new_random(),
            SessionId::new_random(),
            out_rx,
            stops,
        )
        .await;
        assert!(connection.is_cancelled(), "the reader is told to stop too");
    }
}
