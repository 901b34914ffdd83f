//! The registry of active sessions: finds a session's task, loading it from the store when it
//! is not in memory. A sharded map, so looking up one session never waits on another.

use super::actor::Actor;
use super::handle::{LiveConfig, Request, SessionHandle, Sessions};
use super::outcome::{Ack, LiveError, Secrets};
use super::outgoing::Connected;
use crate::session::view::SyncMode;
use crate::session::{Command, CommandId, ParticipantId, SessionId, SessionInfo};
use crate::store::Store;
use dashmap::DashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio_util::task::TaskTracker;

/// How long a request waits for room in a session's queue before the sender is told "busy".
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The sessions in memory, each behind its task: cheap to clone, shared by every handler.
#[derive(Debug, Clone)]
pub struct Registry {
    sessions: Sessions,
    store: Store,
    config: LiveConfig,
    generations: Arc<AtomicU64>,
    tasks: TaskTracker,
}

impl Registry {
    /// A registry over `store`.
    pub fn new(store: Store, config: LiveConfig) -> Registry {
        Registry {
            sessions: Arc::new(DashMap::new()),
            store,
            config,
            generations: Arc::new(AtomicU64::new(0)),
            tasks: TaskTracker::new(),
        }
    }

    /// The store behind the sessions.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// How many sessions are in memory now.
    pub fn active_sessions(&self) -> usize {
        self.sessions.len()
    }

    /// Creates a session: `command` must be a `Command::Create`.
    pub async fn create(
        &self,
        id: SessionId,
        command: Command,
        secrets: Secrets,
    ) -> Result<Ack, LiveError> {
        let handle = self.spawn(id, Default::default());
        let (reply, rx) = oneshot::channel();
        let request = Request::Command {
            by: None,
            id: None,
            command: Box::new(command),
            secrets,
            reply,
        };
        handle.send(request).await.map_err(|_| LiveError::Busy)?;
        rx.await.map_err(|_| LiveError::Busy)?
    }

    /// Applies a command from `by` (none for an anonymous join).
    pub async fn command(
        &self,
        session: SessionId,
        by: Option<ParticipantId>,
        id: Option<CommandId>,
        command: Command,
        secrets: Secrets,
    ) -> Result<Ack, LiveError> {
        let (reply, rx) = oneshot::channel();
        self.send(
            session,
            Request::Command {
                by,
                id,
                command: Box::new(command),
                secrets,
                reply,
            },
        )
        .await?;
        rx.await.map_err(|_| LiveError::Busy)?
    }

    /// Opens a connection of `viewer`, who has seen events up to `last_seq`.
    pub async fn connect(
        &self,
        session: SessionId,
        viewer: ParticipantId,
        last_seq: Option<u64>,
        sync: SyncMode,
    ) -> Result<Connected, LiveError> {
        let (reply, rx) = oneshot::channel();
        self.send(
            session,
            Request::Connect {
                viewer,
                last_seq,
                sync,
                reply,
            },
        )
        .await?;
        rx.await.map_err(|_| LiveError::Busy)?
    }

    /// Marks a connection (its number from `Connected`) as closed.
    pub async fn disconnect(&self, session: SessionId, connection: u64) {
        if let Some(handle) = self.sessions.get(&session).map(|h| h.clone()) {
            let _ = handle.send(Request::Disconnect { connection }).await;
        }
    }

    /// Tells a session that one of its connections went quiet, or spoke again.
    pub async fn quiet(&self, session: SessionId, connection: u64, quiet: bool) {
        if let Some(handle) = self.sessions.get(&session).map(|h| h.clone()) {
            let _ = handle.send(Request::Quiet { connection, quiet }).await;
        }
    }

    /// A fresh `snapshot` message for `viewer`, with the sequence number it is current to.
    pub async fn snapshot(
        &self,
        session: SessionId,
        viewer: ParticipantId,
    ) -> Result<(u64, String), LiveError> {
        let (reply, rx) = oneshot::channel();
        self.send(session, Request::Snapshot { viewer, reply })
            .await?;
        rx.await.map_err(|_| LiveError::Busy)?
    }

    /// The record of a session as `viewer` may have it.
    pub async fn record(
        &self,
        session: SessionId,
        viewer: ParticipantId,
    ) -> Result<crate::record::Record, LiveError> {
        let (reply, rx) = oneshot::channel();
        self.send(session, Request::Record { viewer, reply })
            .await?;
        if let Some(record) = rx.await.map_err(|_| LiveError::Busy)?? {
            return Ok(record);
        }
        let log = self
            .store
            .events_after(session, 0)
            .await
            .map_err(LiveError::Internal)?;
        crate::record::build(session, &log).ok_or(LiveError::UnknownSession)
    }

    /// The baseline a follow-up of closed session `session` starts from, for `viewer`, a
    /// facilitator of it. Read from the store: a closed session's log no longer changes.
    pub async fn baseline(
        &self,
        session: SessionId,
        viewer: ParticipantId,
    ) -> Result<crate::session::baseline::Baseline, LiveError> {
        let log = self
            .store
            .events_after(session, 0)
            .await
            .map_err(LiveError::Internal)?;
        let state = crate::session::State::from_log(&log);
        if !state.created {
            return Err(LiveError::UnknownSession);
        }
        // The record (for its hash) only once the facilitator and the phase are checked.
        let hash = || {
            crate::record::build(session, &log)
                .map(|r| r.content_hash)
                .unwrap_or_default()
        };
        Ok(crate::session::followup::baseline_for(
            &state,
            viewer,
            session.to_string(),
            hash,
            crate::session::OrgId::new_random,
        )?)
    }

    /// The public facts of a session (title, organisations, …) for the join page.
    pub async fn info(&self, session: SessionId) -> Result<SessionInfo, LiveError> {
        let (reply, rx) = oneshot::channel();
        self.send(session, Request::Info { reply }).await?;
        rx.await.map_err(|_| LiveError::Busy)?
    }

    /// Deletes a session with all its data: for a facilitator `by` who confirmed with the
    /// session's title, or (with `by` none) for the operator's purge.
    pub async fn delete(
        &self,
        session: SessionId,
        by: Option<ParticipantId>,
        confirm: Option<String>,
    ) -> Result<(), LiveError> {
        let (reply, rx) = oneshot::channel();
        self.send(session, Request::Delete { by, confirm, reply })
            .await?;
        rx.await.map_err(|_| LiveError::Busy)?
    }

    /// Tells a session in memory that another node may have deleted it.
    pub fn gone(&self, session: SessionId) {
        if let Some(h) = self.sessions.get(&session) {
            h.try_send(Request::Gone);
        }
    }

    /// Tells a session in memory that another node appended up to `seq` (or, with `None`,
    /// that it should check). Sessions not in memory load fresh when next needed anyway.
    pub fn poke(&self, session: SessionId, seq: Option<u64>) {
        if let Some(h) = self.sessions.get(&session) {
            // Never wait here: a full queue means the session is busy and will be checked again.
            h.try_send(Request::Poke { seq });
        }
    }

    /// The sessions in memory.
    pub fn active(&self) -> Vec<SessionId> {
        self.sessions.iter().map(|e| *e.key()).collect()
    }

    /// Lets every session task finish what it has queued, and waits for them.
    pub async fn shutdown(&self) {
        self.sessions.clear();
        self.tasks.close();
        self.tasks.wait().await;
    }

    async fn send(&self, session: SessionId, request: Request) -> Result<(), LiveError> {
        let mut request = Box::new(request);
        // A task that is leaving memory refuses new requests; the second try loads a fresh one.
        for _ in 0..3 {
            let handle = self.handle(session).await?;
            match handle.tx.send_timeout(request, SEND_TIMEOUT).await {
                Ok(()) => return Ok(()),
                Err(mpsc::error::SendTimeoutError::Timeout(_)) => return Err(LiveError::Busy),
                Err(mpsc::error::SendTimeoutError::Closed(r)) => {
                    self.sessions
                        .remove_if(&session, |_, h| h.generation == handle.generation);
                    request = r;
                }
            }
        }
        Err(LiveError::Busy)
    }

    async fn handle(&self, session: SessionId) -> Result<SessionHandle, LiveError> {
        if let Some(h) = self.sessions.get(&session) {
            return Ok(h.clone());
        }
        let loaded = super::history::load(&self.store, session)
            .await
            .map_err(LiveError::Internal)?
            .ok_or(LiveError::UnknownSession)?;
        // Another request may have loaded it meanwhile; then theirs wins and ours is dropped.
        if let Some(h) = self.sessions.get(&session) {
            return Ok(h.clone());
        }
        Ok(self.spawn(session, loaded))
    }

    fn spawn(
        &self,
        session: SessionId,
        loaded: (crate::session::State, super::history::History),
    ) -> SessionHandle {
        let entry = self.sessions.entry(session);
        if let dashmap::Entry::Occupied(o) = &entry {
            return o.get().clone();
        }
        let (tx, rx) = mpsc::channel(self.config.queue_capacity);
        let generation = self.generations.fetch_add(1, Ordering::Relaxed);
        let handle = SessionHandle { tx, generation };
        let actor = Actor::new(
            session,
            generation,
            loaded,
            self.store.clone(),
            self.sessions.clone(),
            self.config.clone(),
        );
        entry.or_insert(handle.clone());
        self.tasks.spawn(actor.run(rx));
        handle
    }
}
