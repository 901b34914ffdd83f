//! The PostgreSQL store: one pool, shared by every node that serves sessions from the same
//! database. Nodes do not coordinate: an append checks where the log ends and lets the primary
//! key refuse the loser of a race, which then reloads and decides again.

use super::{Append, AppendError, AppliedCommand, Loaded, TokenHash, TokenOwner};
use crate::session::{CommandId, Event, ParticipantId, Recorded, SessionId};
use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Timelike, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{Row, types::Uuid};
use std::collections::BTreeSet;
use std::str::FromStr;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The NOTIFY channel on which every append rings, with "SESSION_ID:LAST_SEQ" as payload.
pub const DOORBELL: &str = "grondvorm_events";

/// A unique violation means another writer got there first; anything else is a failure.
fn conflict_or(what: &'static str, e: sqlx::Error) -> AppendError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppendError::Conflict,
        _ => AppendError::Other(anyhow::Error::new(e).context(what)),
    }
}

/// The PostgreSQL store.
#[derive(Clone, Debug)]
pub struct PostgresStore {
    pool: PgPool,
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
        let applied: BTreeSet<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await
                .context("reading the applied migrations")?
                .into_iter()
                .collect();
        // A newer schema is fine to read; an older one lacks tables this build expects.
        let missing: Vec<i64> = MIGRATOR
            .iter()
            .filter(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version))
            .map(|m| m.version)
            .collect();
        anyhow::ensure!(
            missing.is_empty(),
            "this database's schema lacks migrations {missing:?}; start the server on it once to \
             bring it up to date"
        );
        Ok(())
    }

    pub(super) async fn append(&self, append: Append<'_>) -> Result<(), AppendError> {
        let Some(first) = append.events.first() else {
            return Ok(());
        };
        // The log's end is checked once, for the first event; the rest must follow it.
        for (offset, recorded) in append.events.iter().enumerate() {
            if recorded.seq != first.seq + offset as u64 {
                return Err(AppendError::Other(anyhow::anyhow!(
                    "events to append are not numbered consecutively from {}",
                    first.seq
                )));
            }
        }
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
        let last: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = $1")
                .bind(session)
                .fetch_one(&mut *tx)
                .await
                .context("reading the log's end")?;
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
            .map_err(|e| conflict_or("remembering the command id", e))?;
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
        if let Some(hash) = append.invite {
            sqlx::query("INSERT INTO facilitator_invites (key_hash, session_id) VALUES ($1, $2)")
                .bind(hash.as_slice())
                .bind(session)
                .execute(&mut *tx)
                .await
                .context("storing the facilitator invite")?;
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
        // `at` comes back as RFC 3339 text with all six fractional digits, in UTC. Text, not a
        // float: `EXTRACT(EPOCH …)` was a double before PostgreSQL 14, a microsecond off at times.
        let rows = sqlx::query(
            r#"SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, by_participant, body::text AS body FROM events WHERE session_id = $1 AND seq > $2 ORDER BY seq"#,
        )
        .bind(session.0)
        .bind(seq_to_db(after)?)
        .fetch_all(&mut *tx)
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
            events.push(Recorded {
                seq: seq_from_db(seq)?,
                at: DateTime::parse_from_rfc3339(&at)
                    .with_context(|| format!("event {seq}: time"))?
                    .with_timezone(&Utc),
                by: by.map(ParticipantId),
                event: serde_json::from_str::<Event>(&body)
                    .with_context(|| format!("event {seq}: body"))?,
            });
        }
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
            commands.push(AppliedCommand {
                participant: ParticipantId(participant),
                command_id: CommandId::parse(&command_id)
                    .with_context(|| format!("stored command id {command_id:?}"))?,
                first_seq: seq_from_db(row.try_get("first_seq").context("reading first_seq")?)?,
                last_seq: seq_from_db(row.try_get("last_seq").context("reading last_seq")?)?,
            });
        }
        Ok(Loaded { events, commands })
    }

    pub(super) async fn token_owner(&self, hash: &TokenHash) -> anyhow::Result<Option<TokenOwner>> {
        let row = sqlx::query(
            "SELECT token_hash, session_id, participant_id FROM tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
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
            hash: stored
                .try_into()
                .map_err(|_| anyhow::anyhow!("a stored token hash has the wrong length"))?,
        }))
    }

    pub(super) async fn invite_session(
        &self,
        hash: &TokenHash,
    ) -> anyhow::Result<Option<(SessionId, TokenHash)>> {
        let row =
            sqlx::query("SELECT key_hash, session_id FROM facilitator_invites WHERE key_hash = $1")
                .bind(hash.as_slice())
                .fetch_optional(&self.pool)
                .await
                .context("looking up a facilitator invite")?;
        let Some(row) = row else { return Ok(None) };
        let stored: Vec<u8> = row.try_get("key_hash").context("reading an invite hash")?;
        let session: Uuid = row
            .try_get("session_id")
            .context("reading an invite's session")?;
        Ok(Some((
            SessionId(session),
            stored
                .try_into()
                .map_err(|_| anyhow::anyhow!("a stored invite hash has the wrong length"))?,
        )))
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

async fn insert_event(
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
    .map_err(|e| match &e {
        // The only unique key here is (session_id, seq): another node appended this seq first.
        sqlx::Error::Database(d) if d.is_unique_violation() => AppendError::Conflict,
        _ => AppendError::Other(anyhow::Error::new(e).context("inserting an event")),
    })?;
    Ok(())
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

fn seq_to_db(seq: u64) -> anyhow::Result<i64> {
    i64::try_from(seq).with_context(|| format!("sequence number {seq} is out of range"))
}

fn seq_from_db(seq: i64) -> anyhow::Result<u64> {
    u64::try_from(seq).with_context(|| format!("stored sequence number {seq} is negative"))
}

#[cfg(test)]
mod tests {
    //! These run against a real server named by `GRONDVORM_TEST_POSTGRES_URL` (any database on
    //! it; each test creates and drops its own), and skip when it is not set.

    use super::*;
    use crate::session::OrgId;
    use crate::store::Store;
    use chrono::{SubsecRound, TimeZone};
    use sqlx::AssertSqlSafe;
    use std::sync::Arc;
    use std::time::Duration;

    const ENV: &str = "GRONDVORM_TEST_POSTGRES_URL";

    /// A fresh database of its own for one test.
    struct TestDb {
        admin: PgPool,
        name: String,
        url: String,
    }

    impl TestDb {
        async fn create() -> Option<TestDb> {
            let Ok(base) = std::env::var(ENV) else {
                // Past the harness's output capture, so the skip is seen in a plain run.
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL store test skipped: {ENV} not set"
                );
                return None;
            };
            let admin = PgPool::connect(&base)
                .await
                .expect("connecting to the test server");
            let name = format!("grondvorm_test_{}", Uuid::new_v4().simple());
            sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await
                .unwrap();
            let url = with_database(&base, &name);
            Some(TestDb { admin, name, url })
        }

        /// A pool that bypasses the store, for what the store would never do.
        async fn raw(&self) -> PgPool {
            PgPool::connect(&self.url).await.unwrap()
        }

        async fn drop(self) {
            sqlx::query(AssertSqlSafe(format!(
                "DROP DATABASE {} WITH (FORCE)",
                self.name
            )))
            .execute(&self.admin)
            .await
            .unwrap();
            self.admin.close().await;
        }
    }

    /// `url` with its database replaced by `name`.
    fn with_database(url: &str, name: &str) -> String {
        let (base, query) = url
            .split_once('?')
            .map_or((url, None), |(b, q)| (b, Some(q)));
        let authority = base.find("://").map_or(0, |i| i + 3);
        let path = base[authority..]
            .find('/')
            .map_or(base.len(), |i| authority + i);
        let mut out = format!("{}/{name}", &base[..path]);
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        out
    }

    fn event(seq: u64, at: DateTime<Utc>, by: Option<ParticipantId>, name: &str) -> Recorded {
        Recorded {
            seq,
            at,
            by,
            event: Event::OrganisationAdded {
                organisation: OrgId::new_random(),
                name: name.to_owned(),
            },
        }
    }

    /// The time as the session's task stamps it.
    fn now_ms() -> DateTime<Utc> {
        Utc::now().trunc_subsecs(3)
    }

    fn events_only(session: SessionId, events: &[Recorded]) -> Append<'_> {
        Append {
            session,
            events,
            command: None,
            tokens: &[],
            revoke: &[],
            invite: None,
        }
    }

    async fn seqs(store: &PostgresStore, session: SessionId) -> Vec<u64> {
        store
            .load(session)
            .await
            .unwrap()
            .map(|l| l.events.iter().map(|e| e.seq).collect())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn appended_events_load_back_exactly_also_after_a_restart() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let store = PostgresStore::open(&db.url).await.unwrap();
        let session = SessionId::new_random();
        let author = ParticipantId::new_random();
        let appended = vec![
            event(1, now_ms(), None, "Acme \"quoted\" \u{0} ✓ \\ 'x'"),
            event(
                2,
                Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 59).unwrap()
                    + chrono::Duration::milliseconds(999),
                Some(author),
                "Leap day",
            ),
            // Whole seconds, and microseconds: the edges of what the column holds.
            event(
                3,
                Utc.with_ymd_and_hms(1999, 12, 31, 0, 0, 0).unwrap(),
                Some(author),
                "Y2K",
            ),
            event(
                4,
                Utc.with_ymd_and_hms(2030, 6, 1, 12, 0, 0).unwrap()
                    + chrono::Duration::microseconds(123_456),
                None,
                "µs",
            ),
        ];
        store
            .append(events_only(session, &appended[..1]))
            .await
            .unwrap();
        store
            .append(events_only(session, &appended[1..]))
            .await
            .unwrap();

        let check = |loaded: Loaded| {
            assert_eq!(loaded.events, appended);
            for (l, a) in loaded.events.iter().zip(&appended) {
                // The record serialises `at`; its bytes must not change.
                assert_eq!(
                    serde_json::to_string(l).unwrap(),
                    serde_json::to_string(a).unwrap()
                );
            }
        };
        check(store.load(session).await.unwrap().unwrap());
        assert!(store.load(SessionId::new_random()).await.unwrap().is_none());
        store.close().await;

        // A restart goes through the seam, by the URL's scheme; both spellings name PostgreSQL.
        let other_spelling = db.url.replacen("postgres://", "postgresql://", 1);
        for url in [&db.url, &other_spelling] {
            let reopened = Store::open(url).await.unwrap();
            assert!(matches!(reopened, Store::Postgres(_)));
            reopened.ping().await.unwrap();
            check(reopened.load(session).await.unwrap().unwrap());
            reopened.close().await;
        }
        db.drop().await;
    }

    #[tokio::test]
    async fn a_time_finer_than_microseconds_is_refused_not_rounded() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let store = PostgresStore::open(&db.url).await.unwrap();
        let session = SessionId::new_random();
        let at =
            Utc.with_ymd_and_hms(2030, 6, 1, 12, 0, 0).unwrap() + chrono::Duration::nanoseconds(1);
        let result = store
            .append(events_only(session, &[event(1, at, None, "ns")]))
            .await;
        assert!(matches!(result, Err(AppendError::Other(_))), "{result:?}");
        assert!(store.load(session).await.unwrap().is_none());
        store.close().await;
        db.drop().await;
    }

    #[tokio::test]
    async fn an_append_must_continue_the_log_exactly() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let store = PostgresStore::open(&db.url).await.unwrap();
        let session = SessionId::new_random();
        let append = |seq| [event(seq, now_ms(), None, "x")];

        let starts_late = store.append(events_only(session, &append(2))).await;
        assert!(matches!(starts_late, Err(AppendError::Conflict)));
        store
            .append(events_only(session, &append(1)))
            .await
            .unwrap();
        let gap = store.append(events_only(session, &append(3))).await;
        assert!(matches!(gap, Err(AppendError::Conflict)), "{gap:?}");
        let overlap = store.append(events_only(session, &append(1))).await;
        assert!(matches!(overlap, Err(AppendError::Conflict)));
        let holey = [event(2, now_ms(), None, "x"), event(4, now_ms(), None, "x")];
        let holey = store.append(events_only(session, &holey)).await;
        assert!(matches!(holey, Err(AppendError::Other(_))));
        assert_eq!(seqs(&store, session).await, [1]);
        store.close().await;
        db.drop().await;
    }

    /// Waits until some connection to this database is blocked on a lock.
    async fn someone_waits_on_a_lock(raw: &PgPool) {
        for _ in 0..1_000 {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .fetch_one(raw)
            .await
            .unwrap();
            if waiting > 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no append ever waited on the other's uncommitted seq");
    }

    /// The interleaving READ COMMITTED allows: both read the same end of the log, one inserts
    /// first; the other waits on that row and learns its fate from the first's outcome.
    #[tokio::test]
    async fn an_append_that_read_a_stale_end_waits_and_then_conflicts_or_succeeds() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let store = PostgresStore::open(&db.url).await.unwrap();
        let other_node = PostgresStore::open(&db.url).await.unwrap();
        let raw = db.raw().await;
        let session = SessionId::new_random();
        store
            .append(events_only(session, &[event(1, now_ms(), None, "first")]))
            .await
            .unwrap();

        for commit in [true, false] {
            let next = seqs(&store, session).await.len() as u64 + 1;
            let theirs = event(next, now_ms(), None, "theirs");
            let mut first_in = store.pool.begin().await.unwrap();
            insert_event(&mut first_in, session.0, &theirs)
                .await
                .unwrap();
            let ours = vec![event(next, now_ms(), None, "ours")];
            let racer = other_node.clone();
            let waiting = tokio::spawn(async move {
                racer
                    .append(events_only(session, &ours))
                    .await
                    .map(|()| ours)
            });
            someone_waits_on_a_lock(&raw).await;
            let stored = if commit {
                first_in.commit().await.unwrap();
                let result = waiting.await.unwrap();
                assert!(matches!(result, Err(AppendError::Conflict)), "{result:?}");
                theirs
            } else {
                first_in.rollback().await.unwrap();
                waiting.await.unwrap().unwrap().remove(0)
            };
            let loaded = store.load(session).await.unwrap().unwrap();
            assert_eq!(loaded.events.len() as u64, next);
            assert_eq!(loaded.events.last(), Some(&stored));
        }
        raw.close().await;
        store.close().await;
        other_node.close().await;
        db.drop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn racing_nodes_never_commit_a_gap_or_a_duplicate() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let nodes = [
            PostgresStore::open(&db.url).await.unwrap(),
            PostgresStore::open(&db.url).await.unwrap(),
        ];
        let session = SessionId::new_random();
        let mut expected = 0u64;
        for round in 0..30 {
            let start = Arc::new(tokio::sync::Barrier::new(2));
            let tasks: Vec<_> = nodes
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, node)| {
                    let start = start.clone();
                    // Batches of different lengths: one node appends two events, the other one.
                    let len = 1 + (round + i) % 2;
                    let events: Vec<Recorded> = (1..=len as u64)
                        .map(|i| event(expected + i, now_ms(), None, "race"))
                        .collect();
                    tokio::spawn(async move {
                        start.wait().await;
                        node.append(events_only(session, &events))
                            .await
                            .map(|()| events.len() as u64)
                    })
                })
                .collect();
            let mut won = Vec::new();
            for task in tasks {
                match task.await.unwrap() {
                    Ok(len) => won.push(len),
                    Err(AppendError::Conflict) => {}
                    Err(e) => panic!("round {round}: {e:?}"),
                }
            }
            assert_eq!(won.len(), 1, "round {round}: exactly one node wins");
            expected += won[0];
        }
        let stored = seqs(&nodes[0], session).await;
        assert_eq!(stored, (1..=expected).collect::<Vec<_>>());
        for node in &nodes {
            node.close().await;
        }
        db.drop().await;
    }

    #[tokio::test]
    async fn events_cannot_be_changed_or_removed() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let store = PostgresStore::open(&db.url).await.unwrap();
        let session = SessionId::new_random();
        let appended = [event(1, now_ms(), None, "kept")];
        store.append(events_only(session, &appended)).await.unwrap();
        let raw = db.raw().await;
        for sql in [
            "UPDATE events SET kind = 'changed'",
            "DELETE FROM events",
            "TRUNCATE events",
        ] {
            let refused = sqlx::query(sql).execute(&raw).await.unwrap_err();
            assert!(
                refused.to_string().contains("append-only"),
                "{sql}: {refused}"
            );
        }
        assert_eq!(store.load(session).await.unwrap().unwrap().events, appended);
        raw.close().await;
        store.close().await;
        db.drop().await;
    }

    #[tokio::test]
    async fn command_ids_tokens_revocations_and_invites_round_trip() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let store = PostgresStore::open(&db.url).await.unwrap();
        let session = SessionId::new_random();
        let (facilitator, representative) =
            (ParticipantId::new_random(), ParticipantId::new_random());
        let (f_token, r_token, invite) = ([1u8; 32], [2u8; 32], [3u8; 32]);
        let created = CommandId::parse("create-1").unwrap();
        store
            .append(Append {
                session,
                events: &[event(1, now_ms(), Some(facilitator), "a")],
                command: Some((facilitator, &created)),
                tokens: &[(f_token, facilitator), (r_token, representative)],
                revoke: &[],
                invite: Some(invite),
            })
            .await
            .unwrap();
        for (hash, participant) in [(f_token, facilitator), (r_token, representative)] {
            let owner = store.token_owner(&hash).await.unwrap();
            assert_eq!(
                owner,
                Some(TokenOwner {
                    session,
                    participant,
                    hash
                })
            );
        }
        assert_eq!(store.token_owner(&[9; 32]).await.unwrap(), None);
        assert_eq!(
            store.invite_session(&invite).await.unwrap(),
            Some((session, invite))
        );
        assert_eq!(store.invite_session(&f_token).await.unwrap(), None);

        let removed = CommandId::parse("remove-1").unwrap();
        let removal = [
            event(2, now_ms(), Some(facilitator), "b"),
            event(3, now_ms(), Some(facilitator), "c"),
        ];
        store
            .append(Append {
                session,
                events: &removal,
                command: Some((facilitator, &removed)),
                tokens: &[],
                revoke: &[representative],
                invite: None,
            })
            .await
            .unwrap();
        assert_eq!(store.token_owner(&r_token).await.unwrap(), None);
        assert!(store.token_owner(&f_token).await.unwrap().is_some());
        let raw = db.raw().await;
        let revoked_at_the_removal: bool = sqlx::query_scalar(
            "SELECT revoked_at = (SELECT at FROM events WHERE session_id = $1 AND seq = 2) FROM tokens WHERE token_hash = $2",
        )
        .bind(session.0)
        .bind(r_token.as_slice())
        .fetch_one(&raw)
        .await
        .unwrap();
        assert!(revoked_at_the_removal);

        // A command id already applied (by another node, say) refuses the whole append, events
        // too, as a conflict: the caller reloads and answers the retry as a duplicate.
        let again = store
            .append(Append {
                session,
                events: &[event(4, now_ms(), Some(facilitator), "d")],
                command: Some((facilitator, &created)),
                tokens: &[],
                revoke: &[],
                invite: None,
            })
            .await;
        assert!(matches!(again, Err(AppendError::Conflict)), "{again:?}");

        let mut commands = store.load(session).await.unwrap().unwrap().commands;
        commands.sort_by_key(|c| c.first_seq);
        assert_eq!(
            commands,
            [
                AppliedCommand {
                    participant: facilitator,
                    command_id: created,
                    first_seq: 1,
                    last_seq: 1
                },
                AppliedCommand {
                    participant: facilitator,
                    command_id: removed,
                    first_seq: 2,
                    last_seq: 3
                },
            ]
        );
        assert_eq!(seqs(&store, session).await, [1, 2, 3]);
        raw.close().await;
        store.close().await;
        db.drop().await;
    }

    #[tokio::test]
    async fn a_reading_tool_needs_the_schema_and_does_not_create_it() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let refused = PostgresStore::open_existing(&db.url).await.unwrap_err();
        assert!(
            format!("{refused:#}").contains("no Grondvorm schema"),
            "{refused:#}"
        );
        let raw = db.raw().await;
        let untouched: bool = sqlx::query_scalar("SELECT to_regclass('events') IS NULL")
            .fetch_one(&raw)
            .await
            .unwrap();
        assert!(untouched);

        PostgresStore::open(&db.url).await.unwrap().close().await;
        let existing = Store::open_existing(&db.url).await.unwrap();
        assert!(matches!(existing, Store::Postgres(_)));
        existing.close().await;

        let missing = with_database(&db.url, &format!("{}_missing", db.name));
        assert!(Store::open_existing(&missing).await.is_err());
        raw.close().await;
        db.drop().await;
    }

    #[tokio::test]
    async fn nodes_that_start_together_migrate_once() {
        let Some(db) = TestDb::create().await else {
            return;
        };
        let (a, b) = tokio::join!(PostgresStore::open(&db.url), PostgresStore::open(&db.url));
        let (a, b) = (a.unwrap(), b.unwrap());
        let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
            .fetch_one(&a.pool)
            .await
            .unwrap();
        assert_eq!(applied, MIGRATOR.iter().count() as i64);
        a.close().await;
        b.close().await;
        db.drop().await;
    }
}
