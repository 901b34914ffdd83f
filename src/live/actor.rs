//! The task that owns one session: it applies the session's commands one at a time, stores
//! their events before anyone hears of them, and fans them out. Nothing else touches the
//! session's state, so no lock guards it.

use super::handle::{LiveConfig, Request, Sessions};
use super::history::{self, History, KEEP};
use super::outcome::{Ack, LiveError, Secrets};
use super::outgoing::{CatchUp, Connected, Outgoing, Patch};
use super::presence::Connections;
use super::writes;

mod presence_out;
mod retries;
use super::fanout::Fanout;
use crate::session::decide::may_delete;
use crate::session::view::{ServerMessage, SyncMode, Views, preview, record_reader, viewer};
use crate::session::{
    Audience, Command, CommandId, Event, EventMessage, ParticipantId, Recorded, SessionId, State,
    audience, execute, session_info, snapshot,
};
use crate::store::{Append, AppendError, Store};
use chrono::{DateTime, SubsecRound, Utc};
use presence_out::PresenceOut;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::mpsc;

/// More missed events than this are sent as a snapshot instead: cheaper for both sides. The
/// task keeps at least this many in memory.
const MAX_CATCH_UP_EVENTS: u64 = KEEP;

/// How often a conflicting append (another node got there first) is retried after reloading.
/// Under sustained contention from several nodes a few tries can all lose; the client then
/// gets `busy` and retries with the same command id.
const CONFLICT_RETRIES: usize = 8;

pub(super) struct Actor {
    id: SessionId,
    generation: u64,
    state: State,
    /// The tail of the log and the commands behind it.
    history: History,
    store: Store,
    /// The fan-out to connections; made when the first one opens and dropped when the last
    /// one closes, so that a session nobody is connected to costs little.
    updates: Option<Fanout<Arc<Outgoing>>>,
    connections: Connections,
    /// Presence changes held to go out together in a burst.
    presence_out: PresenceOut,
    /// The connections that sync by changes, and the views their changes are worked out
    /// from (kept only while there is one).
    patching: HashSet<u64>,
    views: Option<Views>,
    sessions: Sessions,
    config: LiveConfig,
    /// The session was deleted: every request from now on is refused.
    deleted: bool,
}

/// Now, as the session's events are stamped: milliseconds are all a person can use, and they
/// keep stored times short.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

impl Actor {
    pub(super) fn new(
        id: SessionId,
        generation: u64,
        (state, history): (State, History),
        store: Store,
        sessions: Sessions,
        config: LiveConfig,
    ) -> Actor {
        Actor {
            id,
            generation,
            state,
            history,
            store,
            updates: None,
            connections: Connections::default(),
            presence_out: PresenceOut::default(),
            patching: HashSet::new(),
            views: None,
            sessions,
            config,
            deleted: false,
        }
    }

    /// Runs until the session has been idle (no connection, no request) for the configured
    /// time, or until every handle is gone.
    #[tracing::instrument(name = "session", skip_all, fields(session_id = %self.id))]
    pub(super) async fn run(mut self, mut requests: mpsc::Receiver<Box<Request>>) {
        let idle = self.config.idle_timeout;
        loop {
            // A running timer ends by the live layer's clock (the core has none): at its end,
            // the task records `timer_ended` itself.
            let timer_end = self
                .state
                .timer
                .as_ref()
                .filter(|t| !t.ended)
                .map(|t| t.ends_at);
            let until_end = timer_end.map(|end| (end - Utc::now()).to_std().unwrap_or_default());
            let presence_due = self.presence_out.due();
            let request = tokio::select! {
                r = requests.recv() => r,
                _ = tokio::time::sleep_until(presence_due.unwrap_or_else(tokio::time::Instant::now)), if presence_due.is_some() => {
                    self.send_held_presence();
                    continue;
                }
                _ = tokio::time::sleep(until_end.unwrap_or(idle)), if until_end.is_some() => {
                    // Boxed, as a command is below.
                    if let Err(e) = Box::pin(self.end_timer()).await {
                        tracing::warn!(error = %e, "recording the end of the timer failed");
                    }
                    continue;
                }
                _ = tokio::time::sleep(idle), if self.connections.is_empty() => {
                    // Leave the registry first, so new requests load a fresh actor; then
                    // finish what is already queued.
                    self.leave_registry();
                    requests.close();
                    tracing::debug!("idle: leaving memory");
                    continue;
                }
            };
            let Some(request) = request else { break };
            if self.deleted {
                (*request).refuse();
                continue;
            }
            // Boxed: a command's work (deciding, storing) lives on the heap while it runs,
            // not in the state of every idle session's task.
            Box::pin(self.handle(*request)).await;
            if self.deleted {
                self.leave_registry();
                requests.close();
            }
        }
    }

    fn leave_registry(&self) {
        let generation = self.generation;
        self.sessions
            .remove_if(&self.id, |_, h| h.generation == generation);
    }

    async fn end_timer(&mut self) -> Result<Ack, LiveError> {
        let command = Command::EndTimer { at: now() };
        self.command(None, None, command, Secrets::default()).await
    }

    /// The session is gone from the store: its connections close, and the task ends once it
    /// has refused what is still queued.
    fn gone(&mut self) {
        tracing::info!("session deleted");
        self.deleted = true;
        if let Some(updates) = &mut self.updates {
            updates.send(Arc::new(Outgoing::Deleted));
        }
    }

    async fn delete(
        &mut self,
        by: Option<ParticipantId>,
        confirm: Option<String>,
    ) -> Result<(), LiveError> {
        if let Some(by) = by {
            may_delete(&self.state, by, confirm.as_deref().unwrap_or(""))?;
        }
        self.store
            .delete_session(self.id, now())
            .await
            .map_err(LiveError::Internal)?;
        self.gone();
        Ok(())
    }

    async fn handle(&mut self, request: Request) {
        match request {
            Request::Command {
                by,
                id,
                command,
                secrets,
                reply,
            } => {
                let outcome = self.command(by, id, *command, secrets).await;
                let _ = reply.send(outcome);
            }
            Request::Connect {
                viewer,
                last_seq,
                sync,
                reply,
            } => {
                let Ok(who) = viewer_of(&self.state, viewer) else {
                    let _ = reply.send(Err(LiveError::Rejected(
                        crate::session::Rejection::NotAParticipant,
                    )));
                    return;
                };
                // The new connection hears of itself once, in the `presence` after its
                // welcome: the change is stamped as known from its number on.
                let person = who.role != crate::session::Role::Observer;
                let (connection, change) = self.connections.open(viewer, person);
                self.publish_presence(change, connection);
                if sync == SyncMode::Events
                    && let Some(seen) = last_seq
                {
                    self.history.reach_back(&self.store, self.id, seen).await;
                }
                let outcome = self.connect(viewer, connection, last_seq, sync);
                let failed = outcome.is_err();
                if reply.send(outcome).is_err() || failed {
                    // Nobody will ever say this connection closed: undo it now.
                    self.disconnect(connection);
                }
            }
            Request::Disconnect { connection } => self.disconnect(connection),
            Request::Quiet { connection, quiet } => {
                let change = self.connections.quiet(connection, quiet);
                self.publish_presence(change, self.connections.next_number());
            }
            Request::Snapshot { viewer, reply } => {
                let _ = reply.send(
                    self.snapshot_message(viewer)
                        .map(|s| (self.state.last_seq, s)),
                );
            }
            Request::Poke { seq } => {
                let behind = match seq {
                    Some(s) => s > self.state.last_seq,
                    None => self.behind_the_store().await,
                };
                if behind && let Err(e) = self.catch_up().await {
                    tracing::warn!(error = %e, "catching up with another node failed");
                }
            }
            Request::Record { viewer, reply } => {
                let _ = reply.send(self.record(viewer));
            }
            Request::Delete { by, confirm, reply } => {
                let _ = reply.send(self.delete(by, confirm).await);
            }
            Request::Gone => {
                if self.store.is_deleted(self.id).await.unwrap_or(false) {
                    self.gone();
                }
            }
            Request::Info { reply } => {
                let _ = reply.send(Ok(session_info(self.id, &self.state)));
            }
        }
    }

    async fn command(
        &mut self,
        by: Option<ParticipantId>,
        id: Option<CommandId>,
        command: Command,
        secrets: Secrets,
    ) -> Result<Ack, LiveError> {
        let key = by.zip(id);
        for attempt in 0..=CONFLICT_RETRIES {
            if let Some(seqs) = key.as_ref().and_then(|k| self.history.applied(k)) {
                return Ok(self.duplicate(key.as_ref(), seqs));
            }
            let recorded = match execute(&self.config.limits, &self.state, by, &command, now()) {
                Ok(recorded) => recorded,
                // Another node may have moved the session on (a phase our view has not seen
                // yet): before refusing, make sure the refusal is not based on a stale view.
                Err(rejection) => {
                    if attempt < CONFLICT_RETRIES && self.behind_the_store().await {
                        self.catch_up().await?;
                        continue;
                    }
                    // A retry of a command applied before the tail would be refused now, as
                    // the session moved on: it gets its first outcome, as any retry does.
                    if let Some(ack) = self.applied_before(key.as_ref()).await? {
                        return Ok(ack);
                    }
                    return Err(rejection.into());
                }
            };
            if recorded.is_empty() {
                if let Some(ack) = self.applied_before(key.as_ref()).await? {
                    return Ok(ack);
                }
                return Ok(Ack {
                    seqs: None,
                    duplicate: false,
                    preview: None,
                });
            }
            // Links and keys that stop working stop in the same transaction as the events.
            let revoke = writes::revoked(&recorded);
            let append = Append {
                session: self.id,
                events: &recorded,
                command: key.as_ref().map(|(p, c)| (*p, c)),
                tokens: &secrets.tokens,
                revoke: &revoke,
                revoke_invites: writes::revokes_invites(&recorded),
                invite: secrets.invite,
                join_code: writes::join_code(&recorded),
                release_code: writes::releases_code(&recorded),
                // Written with the events, so that a checkpoint costs no commit of its own.
                checkpoint: self.history.checkpoint_due(&self.state),
            };
            let checkpoint = append.checkpoint.as_ref().map(|c| c.seq);
            match self.store.append(append).await {
                Ok(()) => {
                    let first = recorded[0].seq;
                    let last = first + recorded.len() as u64 - 1;
                    if let Some(k) = &key {
                        self.history.remember(k.clone(), (first, last));
                    }
                    if let Some(seq) = checkpoint {
                        self.history.checkpointed(seq);
                    }
                    for r in recorded {
                        self.state.apply(&r);
                        self.publish(&r, true);
                        self.history.push(r);
                    }
                    let preview = self
                        .history
                        .get(last)
                        .and_then(|r| self.preview(key.as_ref().map(|k| &k.1), &r.event));
                    return Ok(Ack {
                        seqs: Some((first, last)),
                        duplicate: false,
                        preview,
                    });
                }
                Err(AppendError::Conflict) if attempt < CONFLICT_RETRIES => {
                    // Another writer appended first; our view is stale. Catch up and decide
                    // again on the state as it really is.
                    tracing::debug!(attempt, "append conflict; reloading the session");
                    // A short random pause, so that two nodes that collided do not collide
                    // again in lockstep.
                    let pause = rand::random_range(0..=(1u64 << attempt.min(4)));
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                    self.catch_up().await?;
                }
                Err(AppendError::Conflict) => return Err(LiveError::Busy),
                // Applied before, by a task that has since left memory or before the tail:
                // catch up with whatever it added, then answer with its first outcome.
                Err(AppendError::Duplicate) => {
                    self.catch_up().await?;
                    return self
                        .stored_outcome(key.as_ref())
                        .await?
                        .ok_or(LiveError::Busy);
                }
                Err(AppendError::CodeTaken) => return Err(LiveError::CodeTaken),
                Err(AppendError::Deleted) => {
                    self.gone();
                    return Err(LiveError::UnknownSession);
                }
                Err(AppendError::Other(e)) => {
                    tracing::error!(error = ?e, "append failed");
                    return Err(LiveError::Internal(e));
                }
            }
        }
        Err(LiveError::Busy)
    }

    /// Whether another node has appended what this task has not seen; always false for a store
    /// that only this node writes.
    async fn behind_the_store(&self) -> bool {
        self.store.is_shared()
            && self
                .store
                .last_seq(self.id)
                .await
                .is_ok_and(|s| s > self.state.last_seq)
    }

    /// Reads and applies what other writers appended since our last event; falls back to a
    /// whole reload if what comes back does not continue our log.
    async fn catch_up(&mut self) -> Result<(), LiveError> {
        let known = self.state.last_seq;
        let newer = self
            .store
            .load_after(self.id, known)
            .await
            .map_err(LiveError::Internal)?;
        let continues = newer
            .events
            .iter()
            .enumerate()
            .all(|(i, r)| r.seq == known + 1 + i as u64);
        if !continues {
            return self.reload().await;
        }
        for c in newer.commands {
            self.history
                .remember((c.participant, c.command_id), (c.first_seq, c.last_seq));
        }
        for r in newer.events {
            self.state.apply(&r);
            self.publish(&r, true);
            self.history.push(r);
        }
        Ok(())
    }

    async fn reload(&mut self) -> Result<(), LiveError> {
        let (state, history) = history::load(&self.store, self.id)
            .await
            .map_err(LiveError::Internal)?
            .ok_or(LiveError::UnknownSession)?;
        let known = self.state.last_seq;
        self.state = state;
        self.history = history;
        // Tell connections about what the other writer added. What each event changed in a
        // view cannot be worked out from a whole new state: connections that sync by changes
        // resync instead. If the tail does not reach back to what they have, they all do: the
        // fan-out closes, and they reconnect.
        match self.history.after(known) {
            Some(new) => {
                let new = new.to_vec();
                for r in &new {
                    self.publish(r, false);
                }
            }
            None => self.updates = None,
        }
        if let Some(views) = &mut self.views {
            *views = Views::of(&self.state);
        }
        Ok(())
    }

    /// Fans out `recorded`, which the state has just applied; with `patch`, what it changed in
    /// each view too, for the connections that sync by changes.
    fn publish(&mut self, recorded: &Recorded, patch: bool) {
        let patch = match &mut self.views {
            Some(views) if patch => Some(Arc::new(Patch::new(&views.advance(&self.state)))),
            _ => None,
        };
        // Nobody connected: nothing to render.
        let Some(updates) = &mut self.updates else {
            return;
        };
        let public: Arc<str> = render(recorded, None).into();
        let private = match audience(&recorded.event) {
            Audience::Everyone => None,
            Audience::Author(p) => Some((p, render(recorded, Some(p)).into())),
        };
        updates.send(Arc::new(Outgoing::Event {
            seq: recorded.seq,
            public,
            private,
            patch,
        }));
        match recorded.event {
            Event::ParticipantRemoved { participant } => {
                updates.send(Arc::new(Outgoing::Removed(participant)));
            }
            Event::LinkReissued { participant } => {
                updates.send(Arc::new(Outgoing::LinkReplaced(participant)));
            }
            Event::BoardLinkRevoked { observer } => {
                updates.send(Arc::new(Outgoing::BoardLinkRevoked(observer)));
            }
            _ => {}
        }
    }

    /// The `preview` message a preview event stands for, for the command `id` that asked.
    fn preview(&self, id: Option<&CommandId>, event: &Event) -> Option<Arc<str>> {
        let content = preview(&self.state, event)?;
        let id = id.map_or("", |i| i.as_str());
        Some(
            ServerMessage::Preview {
                id,
                preview: content,
            }
            .to_json()
            .into(),
        )
    }

    /// A connection closed; once none is left, the fan-out goes too.
    fn disconnect(&mut self, connection: u64) {
        let change = self.connections.close(connection);
        self.publish_presence(change, self.connections.next_number());
        if self.patching.remove(&connection) && self.patching.is_empty() {
            self.views = None;
        }
        if self.connections.is_empty() {
            self.updates = None;
            self.presence_out.clear();
        }
    }

    /// The record, if `participant` may read it: built here when the tail is the whole log;
    /// `None` when the whole log is to be read from the store, which the registry does outside
    /// this task, so that a long read does not hold up the session.
    fn record(
        &self,
        participant: ParticipantId,
    ) -> Result<Option<crate::record::Record>, LiveError> {
        record_reader(&self.state, participant)?;
        self.history
            .whole()
            .map(|log| crate::record::build(self.id, log).ok_or(LiveError::UnknownSession))
            .transpose()
    }

    fn snapshot_message(&self, participant: ParticipantId) -> Result<String, LiveError> {
        let viewer = viewer_of(&self.state, participant)?;
        let state = Box::new(snapshot(&self.state, viewer));
        Ok(ServerMessage::Snapshot { state }.to_json())
    }

    fn connect(
        &mut self,
        participant: ParticipantId,
        connection: u64,
        last_seq: Option<u64>,
        sync: SyncMode,
    ) -> Result<Connected, LiveError> {
        let viewer = viewer_of(&self.state, participant)?;
        let current = self.state.last_seq;
        // Changes are not kept: a connection that syncs by them starts from a snapshot.
        let missed = last_seq
            .filter(|seen| {
                sync == SyncMode::Events
                    && *seen <= current
                    && current - seen <= MAX_CATCH_UP_EVENTS
            })
            .and_then(|seen| self.history.after(seen));
        let catch_up = match missed {
            Some(missed) => CatchUp::Events(
                missed
                    .iter()
                    .map(|r| render(r, Some(participant)).into())
                    .collect(),
            ),
            None => CatchUp::Snapshot(self.snapshot_message(participant)?),
        };
        let capacity = self.config.fan_out_capacity;
        let updates = self
            .updates
            .get_or_insert_with(|| Fanout::new(capacity))
            .subscribe();
        if sync == SyncMode::Patches {
            self.patching.insert(connection);
            if self.views.is_none() {
                self.views = Some(Views::of(&self.state));
            }
        }
        Ok(Connected {
            connection,
            role: viewer.role,
            sync,
            seq: current,
            catch_up,
            presence: self.connections.message(),
            updates,
        })
    }
}

/// The `event` message for `recorded` as `viewer` may see it.
fn render(recorded: &Recorded, viewer: Option<ParticipantId>) -> String {
    EventMessage::render(recorded, viewer)
}

/// Who is looking, if they may.
fn viewer_of(
    state: &State,
    participant: ParticipantId,
) -> Result<crate::session::Viewer, LiveError> {
    Ok(viewer(state, participant)?)
}
