//! One open connection, after its hello, in one task: it reads the client's messages and
//! answers each in turn, and writes the session's updates in the order `writer.rs` promises.
//!
//! One task, not a reader and a writer with a channel between them: an idle connection then
//! keeps one small future, not two tasks, a channel and a token (with the smaller futures of
//! the same change, 3.0 KiB less per connection at 10,000; docs/benchmarks.md). While a message is being answered (a command waits for its commit),
//! nothing else is read or written on this connection: the session's updates wait in its
//! fan-out, which never waits for a connection, and the reply comes right after.

use super::answer::respond;
use super::send::Outbox;
use super::writer::{Flow, Reply, Writer};
use super::{
    CLOSE_RESTART, MAX_MESSAGE_BYTES, binary_refused, close_for, error_message, too_large,
};
use crate::http::AppState;
use crate::http::guards::CommandLimiter;
use crate::live::{Connected, Outgoing, RecvError, Updates};
use crate::session::view::SyncMode;
use crate::session::{ParticipantId, SessionId, Viewer};
use async_broadcast::TryRecvError;
use futures_util::{Sink, Stream, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// A connection silent for this many times the stale time is dead, and closed.
const DEAD_AFTER_STALE: u32 = 10;
/// Updates sent in one go before the connection looks at its client and its timers again.
const DRAIN: usize = 256;
/// How long a closing connection may take to send its last reply.
const LAST_WORD: Duration = Duration::from_secs(2);

/// Which connection this is.
pub(super) struct Who {
    pub(super) session: SessionId,
    pub(super) participant: ParticipantId,
    /// Its number in the session, for presence.
    pub(super) connection: u64,
}

/// What the connection has to do next.
enum Input {
    /// The client sent something, or left.
    Heard(Heard),
    /// An update from the session.
    Update(Result<Arc<Outgoing>, RecvError>),
    /// Time to ping the client.
    Ping,
    /// The client has been silent for longer than the stale time.
    Silent,
    /// The server is shutting down.
    Shutdown,
}

/// What came from the client.
enum Heard {
    Text(Utf8Bytes),
    Binary,
    /// A ping or a pong: answered by the WebSocket layer, and a sign of life.
    Control,
    /// The client's close frame.
    Close,
    /// The connection broke; with the close frame to answer, if the client broke the protocol.
    Broken(Option<(u16, &'static str)>),
    /// The connection ended.
    Gone,
}

impl Heard {
    fn of<E: std::error::Error + 'static>(message: Option<Result<Message, E>>) -> Heard {
        match message {
            None => Heard::Gone,
            Some(Ok(Message::Close(_))) => Heard::Close,
            Some(Err(e)) => Heard::Broken(close_for(&e)),
            Some(Ok(Message::Text(body))) => Heard::Text(body),
            Some(Ok(Message::Binary(_))) => Heard::Binary,
            Some(Ok(_)) => Heard::Control,
        }
    }
}

/// The connection's state between steps.
struct Connection<'a, S> {
    w: Writer<S>,
    app: &'a AppState,
    who: &'a Who,
    viewer: Viewer,
    sync: SyncMode,
    /// One bucket per connection: a script that pipelines commands is refused past it, and a
    /// person never comes near it.
    bucket: Option<CommandLimiter>,
    /// When the client last sent anything: its messages, and the answers its WebSocket layer
    /// gives to our pings.
    heard: Instant,
    /// Whether the session was told this connection went quiet.
    quiet: bool,
}

/// Serves the connection until it ends, either side. Not an `async fn`: the future it
/// returns keeps only what the open connection needs, not its arguments as well.
pub(super) fn run<'a, S, R, E>(
    out: Outbox<S>,
    stream: &'a mut R,
    connected: Connected,
    app: &'a AppState,
    who: &'a Who,
) -> impl Future<Output = ()> + 'a
where
    S: Sink<Message> + Unpin + 'a,
    R: Stream<Item = Result<Message, E>> + Unpin,
    E: std::error::Error + 'static,
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
    let viewer = Viewer {
        participant: who.participant,
        role,
    };
    let mut c = Connection {
        w: Writer::new(out, who.connection),
        app,
        who,
        viewer,
        sync,
        bucket: app.guards.command_limiter(),
        heard: Instant::now(),
        quiet: false,
    };
    async move {
        // Boxed, as every step below: what a step awaits (sends, an answer) lives on the heap
        // while it runs, not in the state that every idle connection keeps.
        let start = async {
            let started =
                c.w.start(who.session, viewer, seq, catch_up, presence)
                    .await;
            c.w.flushed(started).await
        };
        if let Flow::Stop = Box::pin(start).await {
            return;
        }
        let stale = app.config.stale_after();
        let ping_every = app.config.ping_interval();
        let mut ping = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
        // A connection that fell behind on its pings sends one, not a burst.
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // One timer and one wait for shutdown for the connection's life, not one per message
        // and update: registering a timer costs a lock on the timer wheel.
        let silent_at = |c: &Connection<'_, S>| {
            c.heard
                + if c.quiet {
                    stale * DEAD_AFTER_STALE
                } else {
                    stale
                }
        };
        let mut deadline = silent_at(&c);
        let silence = tokio::time::sleep_until(deadline);
        let shutdown = app.shutdown.cancelled();
        tokio::pin!(silence, shutdown);
        loop {
            if silent_at(&c) != deadline {
                deadline = silent_at(&c);
                silence.as_mut().reset(deadline);
            }
            // In this order: a ping is due only every few seconds, so it always goes; what the
            // client sent (a pong, too) is read before the connection is judged silent; the
            // updates come last, but every step ends by sending those already queued.
            let input = tokio::select! {
                biased;
                _ = &mut shutdown => Input::Shutdown,
                _ = ping.tick() => Input::Ping,
                m = stream.next() => Input::Heard(Heard::of(m)),
                _ = &mut silence => Input::Silent,
                u = updates.recv_direct() => Input::Update(u),
            };
            if let Flow::Stop = Box::pin(c.step(input, &mut updates)).await {
                return;
            }
        }
    }
}

impl<S: Sink<Message> + Unpin> Connection<'_, S> {
    /// Acts on `input`, then sends what that queued: one step's messages leave together.
    async fn step(&mut self, input: Input, updates: &mut Updates) -> Flow {
        let acted = self.act(input, updates).await;
        self.w.flushed(acted).await
    }

    async fn act(&mut self, input: Input, updates: &mut Updates) -> Flow {
        let (session, connection) = (self.who.session, self.who.connection);
        match input {
            Input::Update(u) => match self.w.update(u, self.viewer, self.sync, session).await {
                Flow::Go => self.drain(updates).await,
                Flow::Stop => Flow::Stop,
            },
            Input::Ping => self.w.ping().await,
            Input::Shutdown => {
                self.w.close(CLOSE_RESTART, "server restarting").await;
                Flow::Stop
            }
            Input::Silent if self.quiet => {
                tracing::debug!(%session, participant = %self.who.participant, "connection silent; closing");
                Flow::Stop
            }
            Input::Silent => {
                self.quiet = true;
                self.app.registry.quiet(session, connection, true).await;
                Flow::Go
            }
            Input::Heard(heard) => {
                self.heard = Instant::now();
                if self.quiet {
                    self.quiet = false;
                    self.app.registry.quiet(session, connection, false).await;
                }
                match self.heard(heard, updates).await {
                    // A command's own events are in the fan-out by now: they, and the ack
                    // waiting for them, go out before the next message is read.
                    Flow::Go => self.drain(updates).await,
                    Flow::Stop => Flow::Stop,
                }
            }
        }
    }

    /// Sends the updates already queued for this connection, up to [`DRAIN`] of them: while it
    /// answered a message they waited, and one update per turn of the loop would let a client
    /// that keeps sending commands fall further behind with every command.
    async fn drain(&mut self, updates: &mut Updates) -> Flow {
        let session = self.who.session;
        for _ in 0..DRAIN {
            let update = match updates.try_recv() {
                Ok(u) => Ok(u),
                Err(TryRecvError::Empty) => return Flow::Go,
                Err(TryRecvError::Overflowed(n)) => Err(RecvError::Overflowed(n)),
                Err(TryRecvError::Closed) => Err(RecvError::Closed),
            };
            if let Flow::Stop = self.w.update(update, self.viewer, self.sync, session).await {
                return Flow::Stop;
            }
        }
        Flow::Go
    }

    async fn heard(&mut self, heard: Heard, updates: &mut Updates) -> Flow {
        let reply = match heard {
            Heard::Gone | Heard::Broken(None) => return Flow::Stop,
            // The last word: complete the closing handshake, or say what the client broke.
            // After the client's close frame nothing but the close reply may go out (RFC 6455
            // §5.5.1): every message read before it has been answered already.
            Heard::Close => return self.last_word(Reply::CloseHandshake, None).await,
            Heard::Broken(Some((code, reason))) => {
                return self
                    .last_word(Reply::Close(code, reason), Some(updates))
                    .await;
            }
            Heard::Control => return Flow::Go,
            Heard::Binary => Reply::Now(error_message(None, &binary_refused())),
            Heard::Text(body) if body.len() > MAX_MESSAGE_BYTES => {
                Reply::Now(error_message(None, &too_large()))
            }
            Heard::Text(body) => {
                let (app, who) = (self.app, self.who);
                let replies = respond(
                    body.as_str(),
                    app,
                    who.session,
                    who.participant,
                    self.bucket.as_ref(),
                )
                .await;
                for reply in replies {
                    if let Flow::Stop = self.w.reply(reply).await {
                        return Flow::Stop;
                    }
                }
                return Flow::Go;
            }
        };
        self.w.reply(reply).await
    }

    /// Sends the `updates` queued, if given (the events a held ack waits for, so the ack goes
    /// too), then `reply` whatever is still held, if the client takes it soon; and ends the
    /// connection.
    async fn last_word(&mut self, reply: Reply, updates: Option<&mut Updates>) -> Flow {
        let _ = tokio::time::timeout(LAST_WORD, async {
            let flow = match updates {
                Some(updates) => self.drain(updates).await,
                None => Flow::Go,
            };
            if let Flow::Go = flow {
                self.w.deliver(reply).await;
            }
        })
        .await;
        Flow::Stop
    }
}

#[cfg(test)]
mod tests {
    use super::super::CLOSE_RESYNC;
    use super::*;
    use crate::config::Config;
    use crate::live::{CatchUp, Fanout, LiveConfig, Registry};
    use crate::session::Role;
    use crate::store::Store;
    use futures_util::sink;
    use tokio::sync::mpsc;
    use tokio_util::sync::CancellationToken;
    use tokio_util::task::TaskTracker;

    const STALL: Duration = Duration::from_secs(10);

    /// The server's state over a fresh SQLite file (the tests send no commands).
    async fn app(dir: &tempfile::TempDir) -> AppState {
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let config = Config::for_database(url.clone());
        let store = Store::open(&url).await.unwrap();
        AppState {
            registry: Registry::new(store.clone(), LiveConfig::default()),
            store,
            guards: Arc::new(crate::http::guards::Guards::new(&config)),
            config: Arc::new(config),
            shutdown: CancellationToken::new(),
            connections: TaskTracker::new(),
        }
    }

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

    /// A client that sends nothing and never leaves.
    fn silent_client() -> impl Stream<Item = Result<Message, std::io::Error>> + Unpin {
        futures_util::stream::pending()
    }

    fn who() -> Who {
        Who {
            session: SessionId::new_random(),
            participant: ParticipantId::new_random(),
            connection: 1,
        }
    }

    fn connected(updates: Updates) -> Connected {
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

    /// A connection of a silent client, as a task of its own.
    fn spawn(
        app: &AppState,
        updates: Updates,
        sink: impl Sink<Message> + Unpin + Send + 'static,
    ) -> tokio::task::JoinHandle<()> {
        let app = app.clone();
        tokio::spawn(async move {
            let mut stream = silent_client();
            run(
                Outbox::new(sink, STALL),
                &mut stream,
                connected(updates),
                &app,
                &who(),
            )
            .await;
        })
    }

    fn event(seq: u64) -> Arc<Outgoing> {
        Arc::new(Outgoing::Event {
            seq,
            public: Arc::from(format!(r#"{{"type":"event","seq":{seq}}}"#)),
            private: None,
            patch: None,
        })
    }

    fn close_code(m: &Message) -> Option<u16> {
        match m {
            Message::Close(Some(frame)) => Some(frame.code.into()),
            _ => None,
        }
    }

    #[tokio::test]
    async fn a_presence_change_made_before_the_connection_opened_is_not_sent_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir).await;
        let mut fanout = Fanout::new(8);
        let (sink, mut client) = slow_sink(16);
        let connection = spawn(&app, fanout.subscribe(), sink);
        // This connection is number 1: a change known from 1 on is its own arrival, in the
        // `presence` it started with; one known from 2 on came after it.
        let changes = vec![(Arc::from("before"), 1), (Arc::from("after"), 2)];
        fanout.send(Arc::new(Outgoing::Presence(changes.into())));
        fanout.send(Arc::new(Outgoing::Deleted));
        let mut texts = Vec::new();
        while let Some(m) = client.recv().await {
            if let Message::Text(t) = m {
                texts.push(t.to_string());
            }
        }
        connection.await.unwrap();
        assert!(texts.iter().any(|t| t == "after"), "{texts:?}");
        assert!(!texts.iter().any(|t| t == "before"), "{texts:?}");
    }

    #[tokio::test]
    async fn a_connection_that_falls_too_far_behind_is_told_to_resync() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir).await;
        let mut fanout = Fanout::new(4);
        let (sink, mut client) = slow_sink(1);
        let connection = spawn(&app, fanout.subscribe(), sink);
        // The client reads nothing while the session produces more than the fan-out holds.
        for seq in 1..=10 {
            fanout.send(event(seq));
        }
        let mut last = None;
        while let Some(m) = client.recv().await {
            last = Some(m);
        }
        connection.await.unwrap();
        assert_eq!(last.as_ref().and_then(close_code), Some(CLOSE_RESYNC));
    }

    #[tokio::test]
    async fn a_client_that_stops_reading_and_comes_back_finds_the_resync_close() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir).await;
        // The store is open: from here the clock moves only when every task waits.
        tokio::time::pause();
        let mut fanout = Fanout::new(64);
        // Room for two messages: the welcome and the presence; then the client stops reading.
        let (sink, mut client) = slow_sink(2);
        let connection = spawn(&app, fanout.subscribe(), sink);
        fanout.send(event(1));
        // Past the stall timeout the connection gives up on event 1 and queues the resync close.
        tokio::time::sleep(STALL + Duration::from_secs(1)).await;
        let mut seen = Vec::new();
        while let Some(m) = client.recv().await {
            seen.push(m);
        }
        connection.await.unwrap();
        assert_eq!(
            seen.last().and_then(close_code),
            Some(CLOSE_RESYNC),
            "{seen:?}"
        );
    }

    #[tokio::test]
    async fn a_client_that_never_reads_again_is_dropped_after_the_grace() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir).await;
        tokio::time::pause();
        let fanout = Fanout::new(4);
        // Room for nothing: the welcome already blocks, and nobody ever reads.
        let (sink, _client) = slow_sink(1);
        let mut stream = silent_client();
        let ended = tokio::time::timeout(
            Duration::from_secs(3600),
            run(
                Outbox::new(sink, STALL),
                &mut stream,
                connected(fanout.subscribe()),
                &app,
                &who(),
            ),
        )
        .await;
        assert!(ended.is_ok(), "the connection ends by itself");
    }
}
