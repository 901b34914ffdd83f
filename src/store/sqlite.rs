//! The SQLite store: one file, WAL journal, one writer (a thread of its own that commits the
//! appends of all sessions in groups, see sqlite_writer.rs). A single writer serialises appends
//! without SQLITE_BUSY surprises; readers run beside it thanks to WAL.

use super::rows::{self, seq_to_db};
use super::sqlite_writer::{AppendRows, EventRow, Writer};
use super::{Append, AppendError, Checkpoint, Loaded, TokenHash, TokenOwner};
use crate::session::{CommandId, ParticipantId, Recorded, SessionId};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// The SQLite store: one writer connection and a few readers on one file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    /// The one connection that writes, on its own thread.
    writer: Writer,
    /// Connections that only read.
    readers: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) and migrates the database at `url`.
    pub async fn open(url: &str) -> anyhow::Result<SqliteStore> {
        Self::connect(url, true).await
    }

    /// Opens the database at `url` without changing it: it must exist and have our schema. A
    /// reading tool must not create tables in a file it was wrongly pointed at.
    pub async fn open_existing(url: &str) -> anyhow::Result<SqliteStore> {
        Self::connect(url, false).await
    }

    async fn connect(url: &str, create: bool) -> anyhow::Result<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)
            .context("parsing the SQLite URL")?
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged command survives a power cut, not only a crash.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Deleted rows are overwritten, not just unlinked: deleting a session must take
            // its personal data out of the file itself.
            .pragma("secure_delete", "on")
            .busy_timeout(Duration::from_secs(5));
        // Migrations run through sqlx (its migrator), on a connection closed before the writer
        // opens its own.
        let setup = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .context("connecting to the database")?;
        if create {
            MIGRATOR.run(&setup).await.context("running migrations")?;
        } else {
            let has_table: bool = sqlx::query_scalar(
                "SELECT count(*) > 0 FROM sqlite_master WHERE name = '_sqlx_migrations'",
            )
            .fetch_one(&setup)
            .await
            .context("looking for the schema")?;
            anyhow::ensure!(
                has_table,
                "this database has no Grondvorm schema; start the server on it once to create it"
            );
            let applied: Vec<i64> =
                sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                    .fetch_all(&setup)
                    .await
                    .context("reading the applied migrations")?;
            rows::ensure_migrated(&MIGRATOR, &applied)?;
        }
        setup.close().await;
        let writer = Writer::start(options.get_filename())?;
        // The readers' page caches are small (SQLite's default is 2 MB each): they look up
        // tokens and load sessions, and the file's pages are in the system's cache anyway.
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true).pragma("cache_size", "-512"))
            .await
            .context("connecting the readers")?;
        Ok(SqliteStore { writer, readers })
    }

    pub(super) async fn append(&self, append: Append<'_>) -> Result<(), AppendError> {
        let Some(first) = append.events.first() else {
            return Ok(());
        };
        rows::ensure_consecutive(append.events)?;
        // Encoded here, on the caller's task: the writer's thread only writes.
        let mut events = Vec::with_capacity(append.events.len());
        for r in append.events {
            events.push(EventRow {
                seq: seq_to_db(r.seq)?,
                at: r.at.to_rfc3339(),
                by: r.by.map(|b| b.to_string()),
                kind: r.event.name(),
                body: serde_json::to_string(&r.event).context("encoding an event")?,
            });
        }
        let command = match append.command {
            Some((participant, id)) => {
                let last = append.events.last().map_or(first.seq, |e| e.seq);
                Some((
                    participant.to_string(),
                    id.as_str().to_owned(),
                    seq_to_db(first.seq)?,
                    seq_to_db(last)?,
                ))
            }
            None => None,
        };
        self.writer
            .append(AppendRows {
                session: append.session.to_string(),
                events,
                command,
                tokens: append
                    .tokens
                    .iter()
                    .map(|(h, p)| (h.to_vec(), p.to_string()))
                    .collect(),
                revoke: append.revoke.iter().map(|p| p.to_string()).collect(),
                revoke_invites: append.revoke_invites,
                invite: append.invite.map(|h| h.to_vec()),
                join_code: append.join_code.map(str::to_owned),
                release_code: append.release_code,
                at: first.at.to_rfc3339(),
                checkpoint: match append.checkpoint {
                    Some(c) => Some((seq_to_db(c.seq)?, i64::from(c.version), c.state)),
                    None => None,
                },
            })
            .await
    }

    pub(super) async fn load(&self, session: SessionId) -> anyhow::Result<Option<Loaded>> {
        let loaded = self.load_after(session, 0).await?;
        Ok((!loaded.events.is_empty()).then_some(loaded))
    }

    pub(super) async fn latest_checkpoint(
        &self,
        session: SessionId,
        version: u32,
    ) -> anyhow::Result<Option<Checkpoint>> {
        let found: Option<(i64, String)> = sqlx::query_as(
            "SELECT seq, state FROM checkpoints WHERE session_id = ? AND version = ?",
        )
        .bind(session.to_string())
        .bind(i64::from(version))
        .fetch_optional(&self.readers)
        .await
        .context("reading the checkpoint")?;
        let Some((seq, state)) = found else {
            return Ok(None);
        };
        Ok(Some(Checkpoint {
            seq: u64::try_from(seq).context("a checkpoint's seq")?,
            version,
            state,
        }))
    }

    pub(super) async fn command(
        &self,
        session: SessionId,
        participant: ParticipantId,
        id: &CommandId,
    ) -> anyhow::Result<Option<(u64, u64)>> {
        let found: Option<(i64, i64)> = sqlx::query_as(
            "SELECT first_seq, last_seq FROM commands WHERE session_id = ? AND participant_id = ? AND command_id = ?",
        )
        .bind(session.to_string())
        .bind(participant.to_string())
        .bind(id.as_str())
        .fetch_optional(&self.readers)
        .await
        .context("looking up a command")?;
        let Some((first, last)) = found else {
            return Ok(None);
        };
        Ok(Some((u64::try_from(first)?, u64::try_from(last)?)))
    }

    /// The events after `after`, without the commands behind them.
    pub(super) async fn events_after(
        &self,
        session: SessionId,
        after: u64,
    ) -> anyhow::Result<Vec<Recorded>> {
        let id = session.to_string();
        let rows = sqlx::query(
            "SELECT seq, at, by_participant, body FROM events WHERE session_id = ? AND seq > ? ORDER BY seq",
        )
        .bind(&id)
        .bind(seq_to_db(after)?)
        .fetch_all(&self.readers)
        .await
        .context("reading events")?;
        let mut events = Vec::with_capacity(rows.len());
        for row in rows {
            let seq: i64 = row.try_get("seq")?;
            let at: String = row.try_get("at")?;
            let by: Option<String> = row.try_get("by_participant")?;
            let body: String = row.try_get("body")?;
            let by = by
                .map(|b| ParticipantId::from_str(&b))
                .transpose()
                .with_context(|| format!("event {seq}: author"))?;
            events.push(rows::recorded(seq, &at, by, &body)?);
        }
        Ok(events)
    }

    /// The events after `after`, and the commands that caused them.
    pub(super) async fn load_after(
        &self,
        session: SessionId,
        after: u64,
    ) -> anyhow::Result<Loaded> {
        let events = self.events_after(session, after).await?;
        let id = session.to_string();
        let rows = sqlx::query(
            "SELECT participant_id, command_id, first_seq, last_seq FROM commands WHERE session_id = ? AND last_seq > ?",
        )
        .bind(&id)
        .bind(seq_to_db(after)?)
        .fetch_all(&self.readers)
        .await
        .context("reading applied commands")?;
        let mut commands = Vec::with_capacity(rows.len());
        for row in rows {
            let participant: String = row.try_get("participant_id")?;
            let command_id: String = row.try_get("command_id")?;
            commands.push(rows::applied(
                ParticipantId::from_str(&participant)?,
                &command_id,
                row.try_get("first_seq")?,
                row.try_get("last_seq")?,
            )?);
        }
        Ok(Loaded {
            checkpoint: None,
            events,
            commands,
        })
    }

    pub(super) async fn token_owner(
        &self,
        hash: &TokenHash,
        which: super::Tokens,
    ) -> anyhow::Result<Option<TokenOwner>> {
        let sql = match which {
            super::Tokens::Live => {
                "SELECT token_hash, session_id, participant_id FROM tokens WHERE token_hash = ? AND revoked_at IS NULL"
            }
            super::Tokens::Replaced => {
                "SELECT token_hash, session_id, participant_id FROM tokens t WHERE token_hash = ? AND revoked_at IS NOT NULL AND EXISTS (SELECT 1 FROM tokens n WHERE n.session_id = t.session_id AND n.participant_id = t.participant_id AND n.revoked_at IS NULL)"
            }
        };
        let row = sqlx::query(sql)
            .bind(hash.to_vec())
            .fetch_optional(&self.readers)
            .await
            .context("looking up a token")?;
        let Some(row) = row else { return Ok(None) };
        let stored: Vec<u8> = row.try_get("token_hash")?;
        let session: String = row.try_get("session_id")?;
        let participant: String = row.try_get("participant_id")?;
        Ok(Some(TokenOwner {
            session: SessionId::from_str(&session)?,
            participant: ParticipantId::from_str(&participant)?,
            hash: rows::hash(stored)?,
        }))
    }

    pub(super) async fn session_by_code(&self, code: &str) -> anyhow::Result<Option<SessionId>> {
        let found: Option<String> =
            sqlx::query_scalar("SELECT session_id FROM join_codes WHERE code = ?")
                .bind(code)
                .fetch_optional(&self.readers)
                .await
                .context("looking up a join code")?;
        Ok(found.map(|s| SessionId::from_str(&s)).transpose()?)
    }

    pub(super) async fn invite_session(
        &self,
        hash: &TokenHash,
    ) -> anyhow::Result<Option<(SessionId, TokenHash)>> {
        let row = sqlx::query(
            "SELECT key_hash, session_id FROM facilitator_invites WHERE key_hash = ? AND revoked_at IS NULL",
        )
                .bind(hash.to_vec())
                .fetch_optional(&self.readers)
                .await
                .context("looking up a facilitator invite")?;
        let Some(row) = row else { return Ok(None) };
        let stored: Vec<u8> = row.try_get("key_hash")?;
        let session: String = row.try_get("session_id")?;
        Ok(Some((SessionId::from_str(&session)?, rows::hash(stored)?)))
    }

    pub(super) async fn delete_session(
        &self,
        session: SessionId,
        at: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        self.writer
            .delete(session.to_string(), at.to_rfc3339())
            .await
    }

    pub(super) async fn is_deleted(&self, session: SessionId) -> anyhow::Result<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM deleted_sessions WHERE session_id = ?)")
            .bind(session.to_string())
            .fetch_one(&self.readers)
            .await
            .context("looking for a deletion")
    }

    pub(super) async fn closed_before(
        &self,
        cutoff: DateTime<Utc>,
    ) -> anyhow::Result<Vec<SessionId>> {
        // Times are stored as RFC 3339 in UTC, so text order is time order to the second.
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT session_id FROM events WHERE kind = 'session_closed' AND at < ?",
        )
        .bind(cutoff.to_rfc3339())
        .fetch_all(&self.readers)
        .await
        .context("finding closed sessions")?;
        ids.iter()
            .map(|i| SessionId::from_str(i).context("a stored session id"))
            .collect()
    }

    pub(super) async fn last_seq(&self, session: SessionId) -> anyhow::Result<u64> {
        let last: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = ?")
                .bind(session.to_string())
                .fetch_one(&self.readers)
                .await
                .context("reading the log's end")?;
        Ok(last as u64)
    }

    pub(super) async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.readers)
            .await
            .context("pinging SQLite")?;
        Ok(())
    }

    pub(super) async fn close(&self) {
        self.readers.close().await;
        self.writer.checkpoint().await;
    }
}
