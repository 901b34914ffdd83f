//! The persistence seam: an append-only event log per session, the ids of applied commands,
//! and token hashes. The rest of the server talks to `Store` only; which database is behind it
//! is chosen once, from the URL's scheme.

#[cfg(test)]
mod contract;
mod postgres;
#[cfg(test)]
mod postgres_tests;
mod rows;
mod sqlite;
mod sqlite_writer;

use crate::session::{CommandId, ParticipantId, Recorded, SessionId};
use anyhow::Context;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// Which tokens a lookup finds.
#[derive(Debug, Clone, Copy)]
enum Tokens {
    /// Those that open a session now.
    Live,
    /// Revoked ones whose participant has a live token: a link that was replaced.
    Replaced,
}

/// A token's SHA-256 hash: the only form in which a token is stored.
pub type TokenHash = [u8; 32];

/// The store behind the server.
#[derive(Clone, Debug)]
pub enum Store {
    /// The embedded default: one SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database, which several nodes can share.
    Postgres(PostgresStore),
}

/// A failed append; nothing of it was stored.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The log moved on since the caller read it (another writer appended first): reload the
    /// session and decide again.
    #[error("the session's log changed underneath this append")]
    Conflict,
    /// The session was deleted (by another node, or by the purge): it takes nothing more.
    #[error("the session was deleted")]
    Deleted,
    /// The join code is another open session's: nothing was stored; choose another.
    #[error("the join code is taken")]
    CodeTaken,
    /// The sender's command id is already stored: the command was applied before (its
    /// outcome is `Store::command`), and nothing of this append was stored.
    #[error("the command was applied before")]
    Duplicate,
    /// Anything else: the database is unreachable, full, corrupt, …
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// What one command adds to the store, written in one transaction.
#[derive(Debug)]
pub struct Append<'a> {
    pub session: SessionId,
    /// The events, numbered from the log's last sequence number + 1.
    pub events: &'a [Recorded],
    /// The command's sender and id, remembered so that a retry is applied once.
    pub command: Option<(ParticipantId, &'a CommandId)>,
    /// Tokens created by this command (a join), as hashes.
    pub tokens: &'a [(TokenHash, ParticipantId)],
    /// Participants whose tokens stop working (they were removed, or got a new link); the
    /// new tokens in `tokens` are stored after these are revoked.
    pub revoke: &'a [ParticipantId],
    /// Whether the session's co-facilitator keys stop working (replaced or withdrawn); a new
    /// one in `invite` is stored after.
    pub revoke_invites: bool,
    /// A facilitator invite created by this command (creating a session, or replacing its
    /// key), as a hash.
    pub invite: Option<TokenHash>,
    /// The join code a new session reserves.
    pub join_code: Option<&'a str>,
    /// Whether the session's join code is freed (it closed).
    pub release_code: bool,
    /// The folded state to keep as the session's checkpoint, written with these events.
    pub checkpoint: Option<Checkpoint>,
}

/// A session's folded state at one sequence number, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The last event folded into it.
    pub seq: u64,
    /// The format (`session::state::CHECKPOINT_VERSION` when it was written).
    pub version: u32,
    /// The state, as `encode_checkpoint` wrote it.
    pub state: String,
}

/// A command that was applied, and the events it caused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedCommand {
    pub participant: ParticipantId,
    /// The id they gave it.
    pub command_id: CommandId,
    pub first_seq: u64,
    pub last_seq: u64,
}

/// A session as stored: all of it, or its latest checkpoint and what follows.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The checkpoint the events continue, if this is a recent load that found one.
    pub checkpoint: Option<Checkpoint>,
    /// Its events, in order: the whole log, or the tail a recent load asked for.
    pub events: Vec<Recorded>,
    /// The commands that caused these events.
    pub commands: Vec<AppliedCommand>,
}

/// Whom a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenOwner {
    /// The session it opens.
    pub session: SessionId,
    /// The participant it identifies.
    pub participant: ParticipantId,
    /// The stored hash, for the constant-time comparison.
    pub hash: TokenHash,
}

impl Store {
    /// Opens the store a URL names, creating and migrating it as needed: `sqlite://FILE`
    /// (created if missing) or `postgres://…` / `postgresql://…` (the database must exist; its
    /// tables are created or migrated).
    pub async fn open(url: &str) -> anyhow::Result<Store> {
        Self::open_with(url, true).await
    }

    /// Opens an existing store only: for tools that read, where creating an empty database
    /// would hide a mistyped path. A PostgreSQL database is not changed at all: its schema must
    /// be there already.
    pub async fn open_existing(url: &str) -> anyhow::Result<Store> {
        Self::open_with(url, false).await
    }

    async fn open_with(url: &str, create: bool) -> anyhow::Result<Store> {
        if url.starts_with("sqlite:") {
            if !create {
                return Ok(Store::Sqlite(
                    SqliteStore::open_existing(url)
                        .await
                        .context("opening SQLite")?,
                ));
            }
            Ok(Store::Sqlite(
                SqliteStore::open(url).await.context("opening SQLite")?,
            ))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let store = if create {
                PostgresStore::open(url).await
            } else {
                PostgresStore::open_existing(url).await
            };
            Ok(Store::Postgres(store.context("opening PostgreSQL")?))
        } else {
            anyhow::bail!(
                "unsupported database URL (expected sqlite://FILE or postgres://HOST/DATABASE)"
            )
        }
    }

    /// Appends one command's events atomically; checks that they continue the log without a
    /// gap or overlap.
    pub async fn append(&self, append: Append<'_>) -> Result<(), AppendError> {
        match self {
            Store::Sqlite(s) => s.append(append).await,
            Store::Postgres(p) => p.append(append).await,
        }
    }

    /// Loads a session's log; `None` when it has no events.
    pub async fn load(&self, session: SessionId) -> anyhow::Result<Option<Loaded>> {
        match self {
            Store::Sqlite(s) => s.load(session).await,
            Store::Postgres(p) => p.load(session).await,
        }
    }

    /// A session without its whole log: its latest checkpoint of `version`, and at least the
    /// last `keep` events and every event after the checkpoint, without their commands (a
    /// retried one is looked up with `command`). Without such a checkpoint, the whole log with
    /// its commands. `None` when it has no events.
    pub async fn load_recent(
        &self,
        session: SessionId,
        version: u32,
        keep: u64,
    ) -> anyhow::Result<Option<Loaded>> {
        let found = match self {
            Store::Sqlite(s) => s.latest_checkpoint(session, version).await?,
            Store::Postgres(p) => p.latest_checkpoint(session, version).await?,
        };
        let loaded = match found {
            None => self.load_after(session, 0).await?,
            Some(checkpoint) => {
                // Events are only ever added: whatever came after the checkpoint is read
                // below. No commands: reading those of a long session costs what the
                // checkpoint saves; the task asks about an old one when it meets a retry.
                let last = self.last_seq(session).await?;
                let from = checkpoint.seq.min(last.saturating_sub(keep));
                Loaded {
                    events: self.events_after(session, from).await?,
                    commands: Vec::new(),
                    checkpoint: Some(checkpoint),
                }
            }
        };
        Ok((!loaded.events.is_empty()).then_some(loaded))
    }

    /// The events a command caused (first and last seq), if `participant` applied one with
    /// this id in this session.
    pub async fn command(
        &self,
        session: SessionId,
        participant: ParticipantId,
        id: &CommandId,
    ) -> anyhow::Result<Option<(u64, u64)>> {
        match self {
            Store::Sqlite(s) => s.command(session, participant, id).await,
            Store::Postgres(p) => p.command(session, participant, id).await,
        }
    }

    /// A session's events after `after`, without the commands behind them.
    pub async fn events_after(
        &self,
        session: SessionId,
        after: u64,
    ) -> anyhow::Result<Vec<Recorded>> {
        match self {
            Store::Sqlite(s) => s.events_after(session, after).await,
            Store::Postgres(p) => p.events_after(session, after).await,
        }
    }

    /// A session's events after `after`, and the commands that caused them (all of them, in
    /// one consistent read).
    pub async fn load_after(&self, session: SessionId, after: u64) -> anyhow::Result<Loaded> {
        match self {
            Store::Sqlite(s) => s.load_after(session, after).await,
            Store::Postgres(s) => s.load_after(session, after).await,
        }
    }

    /// Finds who a token hash belongs to (unless revoked).
    pub async fn token_owner(&self, hash: &TokenHash) -> anyhow::Result<Option<TokenOwner>> {
        match self {
            Store::Sqlite(s) => s.token_owner(hash, Tokens::Live).await,
            Store::Postgres(p) => p.token_owner(hash, Tokens::Live).await,
        }
    }

    /// Finds who a token hash belonged to, if it was replaced: revoked, while its participant
    /// has a live token (a new link). A removed participant's tokens are all revoked, so theirs
    /// are not found here.
    pub async fn replaced_token_owner(
        &self,
        hash: &TokenHash,
    ) -> anyhow::Result<Option<TokenOwner>> {
        match self {
            Store::Sqlite(s) => s.token_owner(hash, Tokens::Replaced).await,
            Store::Postgres(p) => p.token_owner(hash, Tokens::Replaced).await,
        }
    }

    /// The session a facilitator invite opens, if the hash is one.
    pub async fn invite_session(
        &self,
        hash: &TokenHash,
    ) -> anyhow::Result<Option<(SessionId, TokenHash)>> {
        match self {
            Store::Sqlite(s) => s.invite_session(hash).await,
            Store::Postgres(p) => p.invite_session(hash).await,
        }
    }

    /// The open session a join code names, if one does.
    pub async fn session_by_code(&self, code: &str) -> anyhow::Result<Option<SessionId>> {
        match self {
            Store::Sqlite(s) => s.session_by_code(code).await,
            Store::Postgres(p) => p.session_by_code(code).await,
        }
    }

    /// Deletes a session and everything of it (events, checkpoint, command ids, tokens, keys) in one
    /// transaction, leaving only the note that it was deleted, at `at`. The one time events are
    /// removed. `false` when there was no such session.
    pub async fn delete_session(
        &self,
        session: SessionId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<bool> {
        match self {
            Store::Sqlite(s) => s.delete_session(session, at).await,
            Store::Postgres(p) => p.delete_session(session, at).await,
        }
    }

    /// Whether a session was deleted.
    pub async fn is_deleted(&self, session: SessionId) -> anyhow::Result<bool> {
        match self {
            Store::Sqlite(s) => s.is_deleted(session).await,
            Store::Postgres(p) => p.is_deleted(session).await,
        }
    }

    /// The sessions that were closed before `cutoff`, for the purge.
    pub async fn closed_before(
        &self,
        cutoff: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<Vec<SessionId>> {
        match self {
            Store::Sqlite(s) => s.closed_before(cutoff).await,
            Store::Postgres(p) => p.closed_before(cutoff).await,
        }
    }

    /// Whether other nodes may write to this store too.
    pub fn is_shared(&self) -> bool {
        matches!(self, Store::Postgres(_))
    }

    /// How far a session's log goes (0 when it has none).
    pub async fn last_seq(&self, session: SessionId) -> anyhow::Result<u64> {
        match self {
            Store::Sqlite(s) => s.last_seq(session).await,
            Store::Postgres(s) => s.last_seq(session).await,
        }
    }

    /// A doorbell that rings when any node appends to any session, for stores that several
    /// nodes share; `None` for the embedded SQLite file, which one node has to itself.
    pub async fn doorbell(&self) -> anyhow::Result<Option<Doorbell>> {
        match self {
            Store::Sqlite(_) => Ok(None),
            Store::Postgres(s) => Ok(Some(Doorbell(s.doorbell().await?))),
        }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> anyhow::Result<()> {
        match self {
            Store::Sqlite(s) => s.ping().await,
            Store::Postgres(p) => p.ping().await,
        }
    }

    /// Closes the database cleanly (checkpoints SQLite's WAL, ends PostgreSQL's connections).
    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(p) => p.close().await,
        }
    }
}

/// Rings after every append and every deletion, from any node.
pub struct Doorbell(sqlx::postgres::PgListener);

/// What a ring of the doorbell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ring {
    /// A session's log now goes up to this sequence number.
    Appended(SessionId, u64),
    /// A session was deleted.
    Deleted(SessionId),
}

impl Ring {
    /// The payload of a NOTIFY: "SESSION:LAST_SEQ" or "SESSION:deleted".
    pub fn parse(payload: &str) -> Option<Ring> {
        let (session, rest) = payload.split_once(':')?;
        let session = session.parse::<SessionId>().ok()?;
        match rest {
            "deleted" => Some(Ring::Deleted(session)),
            seq => Some(Ring::Appended(session, seq.parse().ok()?)),
        }
    }
}

impl Doorbell {
    /// The next ring. A payload that is not ours is skipped. An error means the listener's
    /// connection failed; rings may have been missed, so the caller catches up by reading.
    pub async fn next(&mut self) -> anyhow::Result<Ring> {
        loop {
            let n = self.0.recv().await.context("waiting for the doorbell")?;
            if let Some(ring) = Ring::parse(n.payload()) {
                return Ok(ring);
            }
        }
    }
}
