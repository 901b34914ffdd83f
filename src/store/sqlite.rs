//! The SQLite store: one file, WAL journal, one writer connection. A single writer serialises
//! appends without SQLITE_BUSY surprises; readers run beside it thanks to WAL.

use super::rows::{self, conflict_or, seq_to_db};
use super::{Append, AppendError, Loaded, TokenHash, TokenOwner};
use crate::session::{ParticipantId, Recorded, SessionId};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, SqliteConnection};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// The SQLite store: one writer connection and a few readers on one file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    /// The one connection that writes.
    writer: SqlitePool,
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
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .context("connecting the writer")?;
        if create {
            MIGRATOR.run(&writer).await.context("running migrations")?;
        } else {
            let has_table: bool = sqlx::query_scalar(
                "SELECT count(*) > 0 FROM sqlite_master WHERE name = '_sqlx_migrations'",
            )
            .fetch_one(&writer)
            .await
            .context("looking for the schema")?;
            anyhow::ensure!(
                has_table,
                "this database has no Grondvorm schema; start the server on it once to create it"
            );
            let applied: Vec<i64> =
                sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                    .fetch_all(&writer)
                    .await
                    .context("reading the applied migrations")?;
            rows::ensure_migrated(&MIGRATOR, &applied)?;
        }
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await
            .context("connecting the readers")?;
        Ok(SqliteStore { writer, readers })
    }

    pub(super) async fn append(&self, append: Append<'_>) -> Result<(), AppendError> {
        let Some(first) = append.events.first() else {
            return Ok(());
        };
        rows::ensure_consecutive(append.events)?;
        let mut tx = self
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("starting the append")?;
        let session = append.session.to_string();
        let (last, deleted): (i64, bool) = sqlx::query_as(
            "SELECT COALESCE(MAX(seq), 0), EXISTS (SELECT 1 FROM deleted_sessions WHERE session_id = ?1) FROM events WHERE session_id = ?1",
        )
        .bind(&session)
        .fetch_one(&mut *tx)
        .await
        .context("reading the log's end")?;
        if deleted {
            return Err(AppendError::Deleted);
        }
        if first.seq != last as u64 + 1 {
            return Err(AppendError::Conflict);
        }
        for recorded in append.events {
            insert_event(&mut tx, &session, recorded).await?;
        }
        if let Some((participant, id)) = append.command {
            let last_seq = append.events.last().map_or(first.seq, |e| e.seq);
            sqlx::query(
                "INSERT INTO commands (session_id, participant_id, command_id, first_seq, last_seq) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&session)
            .bind(participant.to_string())
            .bind(id.as_str().to_owned())
            .bind(seq_to_db(first.seq)?)
            .bind(seq_to_db(last_seq)?)
            .execute(&mut *tx)
            .await
            // Another task of this session (one leaving memory) applied it first.
            .map_err(|e| conflict_or("remembering the command id", e))?;
        }
        for participant in append.revoke {
            sqlx::query(
                "UPDATE tokens SET revoked_at = ? WHERE session_id = ? AND participant_id = ? AND revoked_at IS NULL",
            )
            .bind(first.at.to_rfc3339())
            .bind(&session)
            .bind(participant.to_string())
            .execute(&mut *tx)
            .await
            .context("revoking tokens")?;
        }
        if append.revoke_invites {
            sqlx::query(
                "UPDATE facilitator_invites SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL",
            )
            .bind(first.at.to_rfc3339())
            .bind(&session)
            .execute(&mut *tx)
            .await
            .context("revoking the facilitator key")?;
        }
        if let Some(hash) = append.invite {
            sqlx::query("INSERT INTO facilitator_invites (key_hash, session_id) VALUES (?, ?)")
                .bind(hash.to_vec())
                .bind(&session)
                .execute(&mut *tx)
                .await
                .context("storing the facilitator invite")?;
        }
        if let Some(code) = append.join_code {
            sqlx::query("INSERT INTO join_codes (code, session_id) VALUES (?, ?)")
                .bind(code)
                .bind(&session)
                .execute(&mut *tx)
                .await
                .map_err(rows::code_taken_or)?;
        }
        if append.release_code {
            sqlx::query("DELETE FROM join_codes WHERE session_id = ?")
                .bind(&session)
                .execute(&mut *tx)
                .await
                .context("freeing the join code")?;
        }
        for (hash, participant) in append.tokens {
            sqlx::query(
                "INSERT INTO tokens (token_hash, session_id, participant_id, created_at) VALUES (?, ?, ?, ?)",
            )
            .bind(hash.to_vec())
            .bind(&session)
            .bind(participant.to_string())
            .bind(first.at.to_rfc3339())
            .execute(&mut *tx)
            .await
            .context("storing a token hash")?;
        }
        tx.commit().await.context("committing the append")?;
        Ok(())
    }

    pub(super) async fn load(&self, session: SessionId) -> anyhow::Result<Option<Loaded>> {
        let loaded = self.load_after(session, 0).await?;
        Ok((!loaded.events.is_empty()).then_some(loaded))
    }

    /// The events after `after`, and the commands that caused them.
    pub(super) async fn load_after(
        &self,
        session: SessionId,
        after: u64,
    ) -> anyhow::Result<Loaded> {
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
        Ok(Loaded { events, commands })
    }

    pub(super) async fn token_owner(&self, hash: &TokenHash) -> anyhow::Result<Option<TokenOwner>> {
        let row = sqlx::query(
            "SELECT token_hash, session_id, participant_id FROM tokens WHERE token_hash = ? AND revoked_at IS NULL",
        )
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
        let id = session.to_string();
        let mut tx = self
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("starting the deletion")?;
        // The tombstone first: the trigger lets the events go only once it is there.
        let existed: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM events WHERE session_id = ?)")
                .bind(&id)
                .fetch_one(&mut *tx)
                .await
                .context("looking for the session")?;
        if !existed {
            return Ok(false);
        }
        sqlx::query(
            "INSERT OR IGNORE INTO deleted_sessions (session_id, deleted_at) VALUES (?, ?)",
        )
        .bind(&id)
        .bind(at.to_rfc3339())
        .execute(&mut *tx)
        .await
        .context("recording the deletion")?;
        for table in [
            "events",
            "commands",
            "tokens",
            "facilitator_invites",
            "join_codes",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE session_id = ?"
            )))
            .bind(&id)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("deleting the session's {table}"))?;
        }
        tx.commit().await.context("committing the deletion")?;
        // The write-ahead log still holds the pages as they were: copy the zeroed pages into the
        // database and empty the log, so that no copy of the data is left on disk.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await
            .context("checkpointing after the deletion")?;
        Ok(true)
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
        self.writer.close().await;
    }
}

async fn insert_event(
    conn: &mut SqliteConnection,
    session: &str,
    recorded: &Recorded,
) -> Result<(), AppendError> {
    let body = serde_json::to_string(&recorded.event).context("encoding an event")?;
    sqlx::query(
        "INSERT INTO events (session_id, seq, at, by_participant, kind, body) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(session.to_owned())
    .bind(seq_to_db(recorded.seq)?)
    .bind(recorded.at.to_rfc3339())
    .bind(recorded.by.map(|b| b.to_string()))
    .bind(recorded.event.name())
    .bind(body)
    .execute(conn)
    .await
    .map_err(|e| conflict_or("inserting an event", e))?;
    Ok(())
}
