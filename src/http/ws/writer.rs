//! The writing half of a connection. It keeps one promise to the client: messages come in an
//! order that needs no reordering —
//! - events arrive in sequence order, without gaps;
//! - an `ack` arrives after the events it names;
//! - a `snapshot` at sequence N is followed by event N+1 (events the connection had already
//!   sent past N are sent again after it), so "replace your state, then apply what follows"
//!   is always right.

use super::{CLOSE_REMOVED, CLOSE_RESTART, CLOSE_RESYNC, close, text};
use crate::live::{CatchUp, Connected, Outgoing};
use crate::session::{ParticipantId, SessionId};
use axum::extract::ws::{Message, Utf8Bytes};
use futures_util::{Sink, SinkExt};
use serde_json::json;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

/// A single write that takes longer than this means the client has stalled.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle connection is pinged, so that dead ones are noticed.
const PING_INTERVAL: Duration = Duration::from_secs(30);
/// Events kept to replay after a snapshot that was overtaken; beyond that, the client resyncs.
const REPLAY: usize = 64;

/// A reply from the reader, with the ordering it needs.
#[derive(Debug)]
pub(super) enum Reply {
    /// Send as soon as earlier replies are out.
    Now(Message),
    /// Send once the events up to `seq` have been sent.
    After {
        /// The last event the reply names.
        seq: u64,
        /// The reply.
        message: Message,
    },
    /// A snapshot at `seq`.
    Snapshot {
        /// The sequence number it is current to.
        seq: u64,
        /// The `snapshot` message.
        message: Message,
    },
    /// Send and end the connection.
    Close(Message),
}

/// What ends a connection's writer.
pub(super) struct Stops {
    /// This connection is over.
    pub(super) connection: CancellationToken,
    /// The server is shutting down.
    pub(super) server: CancellationToken,
}

struct Writer<S> {
    sink: S,
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
    async fn send(&mut self, message: Message) -> Flow {
        match tokio::time::timeout(WRITE_TIMEOUT, self.sink.send(message)).await {
            Ok(Ok(())) => Flow::Go,
            _ => Flow::Stop,
        }
    }

    async fn event(&mut self, seq: u64, message: &Arc<str>) -> Flow {
        if seq <= self.sent {
            return Flow::Go;
        }
        if let Flow::Stop = self.send(arc_text(message)).await {
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
            Reply::Now(_) | Reply::Close(_) => true,
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
            Reply::Now(m) | Reply::After { message: m, .. } => self.send(m).await,
            Reply::Close(m) => {
                let _ = self.send(m).await;
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
                    let _ = self.send(close(CLOSE_RESYNC, "resync")).await;
                    return Flow::Stop;
                }
                if let Flow::Stop = self.send(message).await {
                    return Flow::Stop;
                }
                for m in replay {
                    if let Flow::Stop = self.send(arc_text(&m)).await {
                        return Flow::Stop;
                    }
                }
                Flow::Go
            }
        }
    }
}

pub(super) async fn write_loop<S>(
    sink: S,
    connected: Connected,
    participant: ParticipantId,
    session: SessionId,
    mut replies: mpsc::Receiver<Reply>,
    stops: Stops,
) where
    S: Sink<Message> + Unpin,
{
    let stop = &stops.connection;
    let flow = run(sink, connected, participant, session, &mut replies, &stops).await;
    if let Flow::Stop = flow {
        stop.cancel();
    }
}

async fn run<S>(
    sink: S,
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
        role,
        seq,
        catch_up,
        presence,
        mut updates,
    } = connected;
    let mut w = Writer {
        sink,
        sent: 0,
        recent: VecDeque::new(),
        held: VecDeque::new(),
    };
    let resume = match catch_up {
        CatchUp::Events(_) => "events",
        CatchUp::Snapshot(_) => "snapshot",
    };
    let welcome = json!({
        "type": "welcome",
        "session_id": session,
        "participant_id": participant,
        "role": role,
        "seq": seq,
        "resume": resume,
        // Lets a device with a wrong clock show the timer right.
        "server_time": chrono::Utc::now(),
    });
    if let Flow::Stop = w.send(text(welcome)).await {
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
            if let Flow::Stop = w.send(Message::Text(Utf8Bytes::from(s))).await {
                return Flow::Stop;
            }
            w.sent = seq;
        }
    }
    if let Flow::Stop = w.send(arc_text(&presence)).await {
        return Flow::Stop;
    }
    let mut ping =
        tokio::time::interval_at(tokio::time::Instant::now() + PING_INTERVAL, PING_INTERVAL);
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
                let _ = w.send(close(CLOSE_RESTART, "server restarting")).await;
                return Flow::Stop;
            }
            _ = ping.tick() => w.send(Message::Ping(Default::default())).await,
            u = updates.recv() => match u {
                Ok(Outgoing::Event { seq, .. }) if seq <= w.sent => Flow::Go,
                Ok(update @ Outgoing::Event { seq, .. }) => match update.for_viewer(participant) {
                    Some(message) => {
                        let message = message.clone();
                        w.event(seq, &message).await
                    }
                    None => Flow::Go,
                },
                Ok(Outgoing::Presence(p)) => w.send(arc_text(&p)).await,
                Ok(Outgoing::Removed(p)) if p == participant => {
                    let _ = w.send(close(CLOSE_REMOVED, "removed")).await;
                    Flow::Stop
                }
                Ok(Outgoing::Removed(_)) => Flow::Go,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::info!(%session, %participant, missed = n, "connection fell behind; asking it to resync");
                    let _ = w.send(close(CLOSE_RESYNC, "resync")).await;
                    return Flow::Stop;
                }
                Err(broadcast::error::RecvError::Closed) => {
                    let _ = w.send(close(CLOSE_RESTART, "session moved")).await;
                    return Flow::Stop;
                }
            },
        };
        if let Flow::Stop = flow {
            return Flow::Stop;
        }
    }
}

fn arc_text(s: &Arc<str>) -> Message {
    Message::Text(Utf8Bytes::from(s.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::super::CLOSE_RESYNC;
    use super::*;
    use crate::live::{CatchUp, Connected, Outgoing};
    use crate::session::Role;
    use crate::session::{ParticipantId, SessionId};
    use axum::extract::ws::Message;
    use futures_util::Sink;
    use futures_util::sink;
    use std::sync::Arc;
    use tokio::sync::{broadcast, mpsc};
    use tokio_util::sync::CancellationToken;

    /// A sink that holds at most one message until the test reads it, like a client that
    /// reads slowly.
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

    fn connected(updates: broadcast::Receiver<Outgoing>) -> Connected {
        Connected {
            role: Role::Representative,
            seq: 0,
            catch_up: CatchUp::Events(Vec::new()),
            presence: Arc::from(r#"{"type":"presence","online":[]}"#),
            updates,
        }
    }

    fn event(seq: u64) -> Outgoing {
        Outgoing::Event {
            seq,
            public: Arc::from(format!(r#"{{"type":"event","seq":{seq}}}"#)),
            private: None,
        }
    }

    #[tokio::test]
    async fn a_connection_that_falls_too_far_behind_is_told_to_resync() {
        let (tx, rx) = broadcast::channel(4);
        let (sink, mut client) = slow_sink(1);
        let (_out_tx, out_rx) = mpsc::channel(4);
        let stops = Stops {
            connection: CancellationToken::new(),
            server: CancellationToken::new(),
        };
        let writer = tokio::spawn(write_loop(
            sink,
            connected(rx),
            ParticipantId::new_random(),
            SessionId::new_random(),
            out_rx,
            stops,
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
        match last {
            Some(Message::Close(Some(frame))) => assert_eq!(frame.code, CLOSE_RESYNC),
            other => panic!("expected a resync close, got {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_connection_is_dropped_instead_of_waiting_forever() {
        let (_tx, rx) = broadcast::channel(4);
        // Room for nothing: the welcome already blocks, and nobody ever reads.
        let (sink, _client) = slow_sink(1);
        let (_out_tx, out_rx) = mpsc::channel(4);
        let connection = CancellationToken::new();
        let stops = Stops {
            connection: connection.clone(),
            server: CancellationToken::new(),
        };
        write_loop(
            sink,
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
