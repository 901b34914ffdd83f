//! The PostgreSQL store: one pool, shared by every node that serves sessions from the same
//! database. Nodes do not coordinate: an append checks where the log ends and lets the primary
//! key refuse the loser of a race, which then reloads and decides again.

use super::rows::{self, conflict_or, seq_from_db, seq_to_db};
use super::{Append, AppendError, Checkpoint, Loaded, TokenHash, TokenOwner};
use crate::session::{CommandId, ParticipantId, Recorded, SessionId};
use anyhow::Context;
use chrono::{DateTime, SecondsFormat, SubsecRound, Timelike, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{Row, types::Uuid};
use std::str::FromStr;

pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The NOTIFY channel on which every append rings, with "SESSION_ID:LAST_SEQ" as payload.
pub const DOORBELL: &str = "grondvorm_events";

/// The PostgreSQL store: one pool per node, any number of nodes on one database.
#[derive(Clone, Debug)]
pub struct PostgresStore {
    pub(super) pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database at `url` and brings its schema up to date. The database itself
    /// must exist: creating one is the operator's choice (owner, encoding, rights), and a
    /// mistyped name should fail rather than start an empty server.
    pub async fn open(url: &str) -> anyhow::Result<PostgresStore> {
        let pool = Self::connect(url).await?;
        // sqlx holds an advisory lock while it migrates, so nodes that start together take
        // turns instead of racing on the schema.
        MIGRATOR.run(&pool).await.context("running migrations")?;
        Ok(PostgresStore { pool })
    }

    /// Connects to the database at `url` without changing it: its schema must already be there.
    /// A reading tool must not create tables in a database it was wrongly pointed at, and
    /// should work on a read-only role or a standby, where migrating would fail.
    pub async fn open_existing(url: &str) -> anyhow::Result<PostgresStore> {
        let pool = Self::connect(url).await?;
        let store = PostgresStore { pool };
        if let Err(e) = store.check_schema().await {
            store.close().await;
            return Err(e);
        }
        Ok(store)
    }

    async fn connect(url: &str) -> anyhow::Result<PgPool> {
        let options = PgConnectOptions::from_str(url).context("parsing the PostgreSQL URL")?;
        PgPoolOptions::new()
            .connect_with(options)
            .await
            .context("connecting to PostgreSQL")
    }

    async fn check_schema(&self) -> anyhow::Result<()> {
        let has_table: bool =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(&self.pool)
                .await
                .context("looking for the schema")?;
        anyhow::ensure!(
            has_table,
            "this database has no Grondvorm schema; start the server on it once to create it"
        );
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await
                .context("reading the applied migrations")?;
        rows::ensure_migrated(&MIGRATOR, &applied)
    }

    pub(super) async fn append(&self, append: Append<'_>) -> Result<(), AppendError> {
        let Some(first) = append.events.first() else {
            return Ok(());
        };
        // The log's end is checked once, for the first event; the rest must follow it.
        rows::ensure_consecutive(append.events)?;
        let first_at = pg_time(&first.at)?;
        // READ COMMITTED, spelled out in case the server's default is stricter: a racing
        // append must end in the primary key's unique violation (our Conflict), not in a
        // serialisation failure.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
            .await
            .context("starting the append")?;
        let session = append.session.0;
        // Shared with every other append of the session, exclusive with its deletion: an append
        // that started before a deletion ends before the deletion begins, and one that starts
        // after it sees the tombstone. Taken before the reads below, so that their snapshot is
        // after any deletion that held it.
        sqlx::query("SELECT pg_advisory_xact_lock_shared($1)")
            .bind(lock_key(session))
            .execute(&mut *tx)
            .await
            .context("locking the session against its deletion")?;
        let (last, deleted): (i64, bool) = sqlx::query_as(
            "SELECT COALESCE(MAX(seq), 0), EXISTS (SELECT 1 FROM deleted_sessions WHERE session_id = $1) FROM events WHERE session_id = $1",
        )
        .bind(session)
        .fetch_one(&mut *tx)
        .await
        .context("reading the log's end")?;
        if deleted {
            return Err(AppendError::Deleted);
        }
        // Under READ COMMITTED two appends can both see the same end and both pass this check.
        // They then insert the same (session_id, seq): the second waits for the first, and
        // fails with a unique violation once the first commits. The log is never shortened (a
        // trigger refuses it), so whatever we read as the end only grows: a first seq of
        // end + 1 either extends the log or collides.
        if first.seq != seq_from_db(last)? + 1 {
            return Err(AppendError::Conflict);
        }
        for recorded in append.events {
            insert_event(&mut tx, session, recorded).await?;
        }
        if let Some((participant, id)) = append.command {
            let last_seq = append.events.last().map_or(first.seq, |e| e.seq);
            sqlx::query(
                "INSERT INTO commands (session_id, participant_id, command_id, first_seq, last_seq) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(session)
            .bind(participant.0)
            .bind(id.as_str())
            .bind(seq_to_db(first.seq)?)
            .bind(seq_to_db(last_seq)?)
            .execute(&mut *tx)
            .await
            .map_err(|e| match conflict_or("remembering the command id", e) {
                // Applied before: a retry older than what the session's task keeps in memory.
                AppendError::Conflict => AppendError::Duplicate,
                other => other,
            })?;
        }
        if let Some(c) = append.checkpoint {
            // A cache, in a savepoint: if it cannot be kept, the next append tries again.
            sqlx::query("SAVEPOINT checkpoint")
                .execute(&mut *tx)
                .await
                .context("starting the checkpoint")?;
            let kept = sqlx::query(
                "INSERT INTO checkpoints (session_id, seq, version, state) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (session_id) DO UPDATE SET seq = $2, version = $3, state = $4",
            )
            .bind(session)
            .bind(seq_to_db(c.seq)?)
            .bind(i64::from(c.version))
            .bind(c.state)
            .execute(&mut *tx)
            .await;
            let end = match kept {
                Ok(_) => "RELEASE SAVEPOINT checkpoint",
                Err(e) => {
                    tracing::warn!(error = %e, "keeping a checkpoint failed");
                    "ROLLBACK TO SAVEPOINT checkpoint"
                }
            };
            let ended = sqlx::query(end).execute(&mut *tx).await;
            ended.context("ending the checkpoint")?;
        }
        for participant in append.revoke {
            sqlx::query(
                "UPDATE tokens SET revoked_at = $1::timestamptz WHERE session_id = $2 AND participant_id = $3 AND revoked_at IS NULL",
            )
            .bind(&first_at)
            .bind(session)
            .bind(participant.0)
            .execute(&mut *tx)
            .await
            .context("revoking tokens")?;
        }
        if append.revoke_invites {
            sqlx::query(
                "UPDATE facilitator_invites SET revoked_at = $1::timestamptz WHERE session_id = $2 AND revoked_at IS NULL",
            )
            .bind(&first_at)
            .bind(session)
            .execute(&mut *tx)
            .await
            .context("revoking the facilitator key")?;
        }
        if let Some(hash) = append.invite {
            sqlx::query("INSERT INTO facilitator_invites (key_hash, session_id) VALUES ($1, $2)")
                .bind(hash.as_slice())
                .bind(session)
                .execute(&mut *tx)
                .await
                .context("storing the facilitator invite")?;
        }
        if let Some(code) = append.join_code {
            sqlx::query("INSERT INTO join_codes (code, session_id) VALUES ($1, $2)")
                .bind(code)
                .bind(session)
                .execute(&mut *tx)
                .await
                .map_err(rows::code_taken_or)?;
        }
        if append.release_code {
            sqlx::query("DELETE FROM join_codes WHERE session_id = $1")
                .bind(session)
                .execute(&mut *tx)
                .await
                .context("freeing the join code")?;
        }
        for (hash, participant) in append.tokens {
            sqlx::query(
                "INSERT INTO tokens (token_hash, session_id, participant_id, created_at) VALUES ($1, $2, $3, $4::timestamptz)",
            )
            .bind(hash.as_slice())
            .bind(session)
            .bind(participant.0)
            .bind(&first_at)
            .execute(&mut *tx)
            .await
            .context("storing a token hash")?;
        }
        // The doorbell for other nodes: which session, and how far its log now goes. Delivered
        // on commit only, and well under NOTIFY's 8000-byte limit; the events themselves are
        // read from the table, so a lost ring costs latency, never events.
        let last_seq = append.events.last().map_or(first.seq, |e| e.seq);
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(DOORBELL)
            .bind(format!("{session}:{last_seq}"))
            .execute(&mut *tx)
            .await
            .context("ringing the doorbell")?;
        tx.commit().await.context("committing the append")?;
        Ok(())
    }

    /// A listener on the doorbell that every append rings.
    pub(super) async fn doorbell(&self) -> anyhow::Result<sqlx::postgres::PgListener> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.pool)
            .await
            .context("connecting the doorbell listener")?;
        listener
            .listen(DOORBELL)
            .await
            .context("listening for appends")?;
        Ok(listener)
    }

    pub(super) async fn delete_session(
        &self,
        session: SessionId,
        at: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await.context("starting the deletion")?;
        // Exclusive: waits for the appends in flight, and keeps new ones out until the
        // tombstone is committed.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(lock_key(session.0))
            .execute(&mut *tx)
            .await
            .context("locking the session for its deletion")?;
        let existed: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM events WHERE session_id = $1)")
                .bind(session.0)
                .fetch_one(&mut *tx)
                .await
                .context("looking for the session")?;
        if !existed {
            return Ok(false);
        }
        // The tombstone first: the trigger lets the events go only once it is there.
        sqlx::query(
            "INSERT INTO deleted_sessions (session_id, deleted_at) VALUES ($1, $2::timestamptz) ON CONFLICT DO NOTHING",
        )
        .bind(session.0)
        .bind(pg_time(&at.trunc_subsecs(3))?)
        .execute(&mut *tx)
        .await
        .context("recording the deletion")?;
        for table in [
            "events",
            "checkpoints",
            "commands",
            "tokens",
            "facilitator_invites",
            "join_codes",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE session_id = $1"
            )))
            .bind(session.0)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("deleting the session's {table}"))?;
        }
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(DOORBELL)
            .bind(format!("{session}:deleted"))
            .execute(&mut *tx)
            .await
            .context("ringing the doorbell")?;
        tx.commit().await.context("committing the deletion")?;
        Ok(true)
    }

    pub(super) async fn is_deleted(&self, session: SessionId) -> anyhow::Result<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM deleted_sessions WHERE session_id = $1)")
            .bind(session.0)
            .fetch_one(&self.pool)
            .await
            .context("looking for a deletion")
    }

    pub(super) async fn closed_before(
        &self,
        cutoff: DateTime<Utc>,
    ) -> anyhow::Result<Vec<SessionId>> {
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "SELECT session_id FROM events WHERE kind = 'session_closed' AND at < $1::timestamptz",
        )
        .bind(pg_time(&cutoff.trunc_subsecs(3))?)
        .fetch_all(&self.pool)
        .await
        .context("finding closed sessions")?;
        Ok(ids.into_iter().map(SessionId).collect())
    }

    /// How far a session's log goes (0 when it has none).
    pub(super) async fn last_seq(&self, session: SessionId) -> anyhow::Result<u64> {
        let last: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = $1")
                .bind(session.0)
                .fetch_one(&self.pool)
                .await
                .context("reading the log's end")?;
        seq_from_db(last)
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
        // One snapshot for both reads: another node may append in between, and the commands
        // must not name events this load does not hold.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .context("starting to load a session")?;
        let events = read_events(&mut *tx, session, after).await?;
        let rows = sqlx::query(
            "SELECT participant_id, command_id, first_seq, last_seq FROM commands WHERE session_id = $1 AND last_seq > $2",
        )
        .bind(session.0)
        .bind(seq_to_db(after)?)
        .fetch_all(&mut *tx)
        .await
        .context("reading applied commands")?;
        tx.commit().await.context("ending the load")?;
        let mut commands = Vec::with_capacity(rows.len());
        for row in rows {
            let participant: Uuid = row
                .try_get("participant_id")
                .context("reading a command's participant")?;
            let command_id: String = row
                .try_get("command_id")
                .context("reading a command's id")?;
            commands.push(rows::applied(
                ParticipantId(participant),
                &command_id,
                row.try_get("first_seq").context("reading first_seq")?,
                row.try_get("last_seq").context("reading last_seq")?,
            )?);
        }
        Ok(Loaded {
            checkpoint: None,
            events,
            commands,
        })
    }

    pub(super) async fn latest_checkpoint(
        &self,
        session: SessionId,
        version: u32,
    ) -> anyhow::Result<Option<Checkpoint>> {
        let found: Option<(i64, String)> = sqlx::query_as(
            "SELECT seq, state FROM checkpoints WHERE session_id = $1 AND version = $2",
        )
        .bind(session.0)
        .bind(i64::from(version))
        .fetch_optional(&self.pool)
        .await
        .context("reading the checkpoint")?;
        let Some((seq, state)) = found else {
            return Ok(None);
        };
        Ok(Some(Checkpoint {
            seq: seq_from_db(seq)?,
            version,
            state,
        }))
    }

    /// The events after `after`, without the commands behind them.
    pub(super) async fn events_after(
        &self,
        session: SessionId,
        after: u64,
    ) -> anyhow::Result<Vec<Recorded>> {
        read_events(&self.pool, session, after).await
    }

    pub(super) async fn command(
        &self,
        session: SessionId,
        participant: ParticipantId,
        id: &CommandId,
    ) -> anyhow::Result<Option<(u64, u64)>> {
        let found: Option<(i64, i64)> = sqlx::query_as(
            "SELECT first_seq, last_seq FROM commands WHERE session_id = $1 AND participant_id = $2 AND command_id = $3",
        )
        .bind(session.0)
        .bind(participant.0)
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await
        .context("looking up a command")?;
        let Some((first, last)) = found else {
            return Ok(None);
        };
        Ok(Some((seq_from_db(first)?, seq_from_db(last)?)))
    }

    pub(super) async fn token_owner(
        &self,
        hash: &TokenHash,
        which: super::Tokens,
    ) -> anyhow::Result<Option<TokenOwner>> {
        let sql = match which {
            super::Tokens::Live => {
                "SELECT token_hash, session_id, participant_id FROM tokens WHERE token_hash = $1 AND revoked_at IS NULL"
            }
            super::Tokens::Replaced => {
                "SELECT token_hash, session_id, participant_id FROM tokens t WHERE token_hash = $1 AND revoked_at IS NOT NULL AND EXISTS (SELECT 1 FROM tokens n WHERE n.session_id = t.session_id AND n.participant_id = t.participant_id AND n.revoked_at IS NULL)"
            }
        };
        let row = sqlx::query(sql)
            .bind(hash.as_slice())
            .fetch_optional(&self.pool)
            .await
            .context("looking up a token")?;
        let Some(row) = row else { return Ok(None) };
        let stored: Vec<u8> = row.try_get("token_hash").context("reading a token hash")?;
        let session: Uuid = row
            .try_get("session_id")
            .context("reading a token's session")?;
        let participant: Uuid = row
            .try_get("participant_id")
            .context("reading a token's participant")?;
        Ok(Some(TokenOwner {
            session: SessionId(session),
            participant: ParticipantId(participant),
            hash: rows::hash(stored)?,
        }))
    }

    pub(super) async fn session_by_code(&self, code: &str) -> anyhow::Result<Option<SessionId>> {
        let found: Option<Uuid> =
            sqlx::query_scalar("SELECT session_id FROM join_codes WHERE code = $1")
                .bind(code)
                .fetch_optional(&self.pool)
                .await
                .context("looking up a join code")?;
        Ok(found.map(SessionId))
    }

    pub(super) async fn invite_session(
        &self,
        hash: &TokenHash,
    ) -> anyhow::Result<Option<(SessionId, TokenHash)>> {
        let row = sqlx::query(
            "SELECT key_hash, session_id FROM facilitator_invites WHERE key_hash = $1 AND revoked_at IS NULL",
        )
                .bind(hash.as_slice())
                .fetch_optional(&self.pool)
                .await
                .context("looking up a facilitator invite")?;
        let Some(row) = row else { return Ok(None) };
        let stored: Vec<u8> = row.try_get("key_hash").context("reading an invite hash")?;
        let session: Uuid = row
            .try_get("session_id")
            .context("reading an invite's session")?;
        Ok(Some((SessionId(session), rows::hash(stored)?)))
    }

    pub(super) async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .context("pinging PostgreSQL")?;
        Ok(())
    }

    pub(super) async fn close(&self) {
        self.pool.close().await;
    }
}

pub(super) async fn insert_event(
    conn: &mut PgConnection,
    session: Uuid,
    recorded: &Recorded,
) -> Result<(), AppendError> {
    let body = serde_json::to_string(&recorded.event).context("encoding an event")?;
    sqlx::query(
        "INSERT INTO events (session_id, seq, at, by_participant, kind, body) VALUES ($1, $2, $3::timestamptz, $4, $5, $6::json)",
    )
    .bind(session)
    .bind(seq_to_db(recorded.seq)?)
    .bind(pg_time(&recorded.at)?)
    .bind(recorded.by.map(|b| b.0))
    .bind(recorded.event.name())
    .bind(body)
    .execute(conn)
    .await
    // The only unique key here is (session_id, seq): another node appended this seq first.
    .map_err(|e| conflict_or("inserting an event", e))?;
    Ok(())
}

/// The advisory lock that keeps a session's appends and its deletion apart: 64 bits of its id.
fn lock_key(session: Uuid) -> i64 {
    let bytes = session.as_u64_pair().0;
    i64::from_ne_bytes(bytes.to_ne_bytes())
}

/// A time as text for a `timestamptz` parameter. PostgreSQL keeps microseconds and would round
/// anything finer, so such a time is refused rather than stored as something else: what is
/// loaded must equal what was appended, or the record would change after a restart.
fn pg_time(at: &DateTime<Utc>) -> anyhow::Result<String> {
    let nanos = at.nanosecond();
    // Past 999_999_999 chrono marks a leap second, which PostgreSQL turns into the next minute.
    anyhow::ensure!(
        nanos.is_multiple_of(1_000) && nanos < 1_000_000_000,
        "the time {at:?} is finer than PostgreSQL's microseconds"
    );
    Ok(at.to_rfc3339_opts(SecondsFormat::Micros, true))
}

/// The events after `after`, read through `db` (the pool, or a transaction).
async fn read_events<'e>(
    db: impl sqlx::PgExecutor<'e>,
    session: SessionId,
    after: u64,
) -> anyhow::Result<Vec<Recorded>> {
    // `at` comes back as RFC 3339 text with all six fractional digits, in UTC. Text, not a
    // float: `EXTRACT(EPOCH …)` was a double before PostgreSQL 14, a microsecond off at times.
    let rows = sqlx::query(
            r#"SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, by_participant, body::text AS body FROM events WHERE session_id = $1 AND seq > $2 ORDER BY seq"#,
        )
        .bind(session.0)
        .bind(seq_to_db(after)?)
        .fetch_all(db)
        .await
        .context("reading events")?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        let seq: i64 = row.try_get("seq").context("reading an event's seq")?;
        let at: String = row
            .try_get("at")
            .with_context(|| format!("event {seq}: time"))?;
        let by: Option<Uuid> = row
            .try_get("by_participant")
            .with_context(|| format!("event {seq}: author"))?;
        let body: String = row
            .try_get("body")
            .with_context(|| format!("event {seq}: body"))?;
        events.push(rows::recorded(seq, &at, by.map(ParticipantId), &body)?);
    }
    Ok(events)
}
