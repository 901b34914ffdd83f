//! The store's contract: what every backend promises the rest of the server. Each test runs
//! against SQLite always, and against PostgreSQL too when `GRONDVORM_TEST_POSTGRES_URL` names
//! a server (each test then makes a database of its own there and drops it).

use super::*;
use crate::session::{Event, OrgId};
use chrono::{DateTime, SubsecRound, TimeZone, Utc};
use sqlx::AssertSqlSafe;
use std::sync::Arc;

pub(super) const POSTGRES_ENV: &str = "GRONDVORM_TEST_POSTGRES_URL";

/// A fresh, empty database of one kind.
pub(super) enum TestDb {
    Sqlite {
        _dir: tempfile::TempDir,
        url: String,
    },
    Postgres {
        admin: sqlx::PgPool,
        name: String,
        url: String,
    },
}

impl TestDb {
    /// A fresh database of each kind this run can reach.
    pub(super) async fn all() -> Vec<TestDb> {
        let mut all = vec![TestDb::sqlite()];
        if let Some(pg) = TestDb::postgres().await {
            all.push(pg);
        }
        all
    }

    pub(super) fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDb::Sqlite { _dir: dir, url }
    }

    /// A fresh PostgreSQL database, if a server is given.
    pub(super) async fn postgres() -> Option<TestDb> {
        let Ok(base) = std::env::var(POSTGRES_ENV) else {
            // Past the harness's output capture, so the skip is seen in a plain run.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "PostgreSQL store test skipped: {POSTGRES_ENV} not set"
            );
            return None;
        };
        let admin = sqlx::PgPool::connect(&base)
            .await
            .expect("connecting to the test server");
        let name = format!("grondvorm_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .unwrap();
        let url = with_database(&base, &name);
        Some(TestDb::Postgres { admin, name, url })
    }

    pub(super) fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    pub(super) fn kind(&self) -> &'static str {
        match self {
            TestDb::Sqlite { .. } => "SQLite",
            TestDb::Postgres { .. } => "PostgreSQL",
        }
    }

    /// The store on this database, created and migrated.
    pub(super) async fn open(&self) -> Store {
        Store::open(self.url()).await.unwrap()
    }

    /// Runs SQL behind the store's back, for what the store itself would never do.
    pub(super) async fn raw(&self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            TestDb::Sqlite { url, .. } => {
                let pool = sqlx::SqlitePool::connect(url).await?;
                let outcome = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
                    .execute(&pool)
                    .await;
                pool.close().await;
                outcome.map(|_| ())
            }
            TestDb::Postgres { url, .. } => {
                let pool = sqlx::PgPool::connect(url).await?;
                let outcome = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
                    .execute(&pool)
                    .await;
                pool.close().await;
                outcome.map(|_| ())
            }
        }
    }

    /// Removes the database, so that test runs do not pile them up on the server.
    pub(super) async fn drop(self) {
        if let TestDb::Postgres { admin, name, .. } = self {
            sqlx::query(AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
        }
    }
}

/// `url` with its database replaced by `name`.
pub(super) fn with_database(url: &str, name: &str) -> String {
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

pub(super) fn event(
    seq: u64,
    at: DateTime<Utc>,
    by: Option<ParticipantId>,
    name: &str,
) -> Recorded {
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
pub(super) fn now_ms() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

pub(super) fn events_only(session: SessionId, events: &[Recorded]) -> Append<'_> {
    Append {
        session,
        events,
        command: None,
        tokens: &[],
        revoke: &[],
        revoke_invites: false,
        invite: None,
        join_code: None,
        release_code: false,
        checkpoint: None,
    }
}

pub(super) async fn seqs(store: &Store, session: SessionId) -> Vec<u64> {
    store
        .load(session)
        .await
        .unwrap()
        .map(|l| l.events.iter().map(|e| e.seq).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn appended_events_load_back_exactly_also_after_a_restart() {
    for db in TestDb::all().await {
        let store = db.open().await;
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
            // Whole seconds, and microseconds: the edges of what PostgreSQL's column holds.
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
            assert_eq!(loaded.events, appended, "{}", db.kind());
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
        assert_eq!(store.last_seq(session).await.unwrap(), 4);
        let after = store.load_after(session, 2).await.unwrap();
        assert_eq!(after.events, appended[2..]);
        store.close().await;
        let reopened = db.open().await;
        check(reopened.load(session).await.unwrap().unwrap());
        reopened.close().await;
        db.drop().await;
    }
}

#[tokio::test]
async fn an_append_must_continue_the_log_exactly() {
    for db in TestDb::all().await {
        let store = db.open().await;
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
        assert!(matches!(holey, Err(AppendError::Other(_))), "{}", db.kind());
        assert_eq!(seqs(&store, session).await, [1]);
        store.close().await;
        db.drop().await;
    }
}

#[tokio::test]
async fn events_cannot_be_changed_or_removed() {
    for db in TestDb::all().await {
        let store = db.open().await;
        let session = SessionId::new_random();
        let appended = [event(1, now_ms(), None, "kept")];
        store.append(events_only(session, &appended)).await.unwrap();
        let mut attempts = vec!["UPDATE events SET kind = 'changed'", "DELETE FROM events"];
        if let TestDb::Postgres { .. } = db {
            attempts.push("TRUNCATE events");
        }
        for sql in attempts {
            let refused = db.raw(sql).await.unwrap_err();
            assert!(
                refused.to_string().contains("append-only"),
                "{}: {sql}: {refused}",
                db.kind()
            );
        }
        assert_eq!(store.load(session).await.unwrap().unwrap().events, appended);
        store.close().await;
        db.drop().await;
    }
}

#[tokio::test]
async fn command_ids_tokens_revocations_and_invites_round_trip() {
    for db in TestDb::all().await {
        let store = db.open().await;
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
                revoke_invites: false,
                invite: Some(invite),
                join_code: None,
                release_code: false,
                checkpoint: None,
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
                revoke_invites: false,
                invite: None,
                join_code: None,
                release_code: false,
                checkpoint: None,
            })
            .await
            .unwrap();
        assert_eq!(store.token_owner(&r_token).await.unwrap(), None);
        assert!(store.token_owner(&f_token).await.unwrap().is_some());

        // A command id already applied (before the tail a task keeps, by another node, or by a
        // task leaving memory) refuses the whole append, events too: the caller answers the
        // retry with the command's first outcome, which the store still knows.
        let again = store
            .append(Append {
                session,
                events: &[event(4, now_ms(), Some(facilitator), "d")],
                command: Some((facilitator, &created)),
                tokens: &[],
                revoke: &[],
                revoke_invites: false,
                invite: None,
                join_code: None,
                release_code: false,
                checkpoint: None,
            })
            .await;
        assert!(matches!(again, Err(AppendError::Duplicate)), "{again:?}");
        assert_eq!(
            store.command(session, facilitator, &created).await.unwrap(),
            Some((1, 1))
        );
        let unknown = CommandId::parse("never-sent").unwrap();
        assert_eq!(
            store.command(session, facilitator, &unknown).await.unwrap(),
            None
        );

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
        store.close().await;
        db.drop().await;
    }
}

#[tokio::test]
async fn a_join_code_belongs_to_one_open_session_until_it_closes_or_goes() {
    for db in TestDb::all().await {
        let store = db.open().await;
        let (a, b) = (SessionId::new_random(), SessionId::new_random());
        let reserve = |session, seq| {
            let events = vec![event(seq, now_ms(), None, "x")];
            (session, events)
        };
        let (s, events) = reserve(a, 1);
        store
            .append(Append {
                join_code: Some("ACEFHJ"),
                ..events_only(s, &events)
            })
            .await
            .unwrap();
        assert_eq!(store.session_by_code("ACEFHJ").await.unwrap(), Some(a));
        // The same code for another open session: refused, and nothing of it stored.
        let (s, events) = reserve(b, 1);
        let taken = store
            .append(Append {
                join_code: Some("ACEFHJ"),
                ..events_only(s, &events)
            })
            .await;
        assert!(matches!(taken, Err(AppendError::CodeTaken)), "{taken:?}");
        assert!(store.load(b).await.unwrap().is_none(), "{}", db.kind());
        // Closing frees it; then another session may have it.
        let (s, events) = reserve(a, 2);
        store
            .append(Append {
                release_code: true,
                ..events_only(s, &events)
            })
            .await
            .unwrap();
        assert_eq!(store.session_by_code("ACEFHJ").await.unwrap(), None);
        let (s, events) = reserve(b, 1);
        store
            .append(Append {
                join_code: Some("ACEFHJ"),
                ..events_only(s, &events)
            })
            .await
            .unwrap();
        assert_eq!(store.session_by_code("ACEFHJ").await.unwrap(), Some(b));
        // Deleting a session takes its code too.
        assert!(store.delete_session(b, now_ms()).await.unwrap());
        assert_eq!(store.session_by_code("ACEFHJ").await.unwrap(), None);
        store.close().await;
        db.drop().await;
    }
}

#[tokio::test]
async fn a_reading_tool_needs_the_schema_and_does_not_create_it() {
    for db in TestDb::all().await {
        // A database that exists but was never served: the tool refuses it and leaves it be.
        if let TestDb::Sqlite { url, .. } = &db {
            let pool = sqlx::SqlitePool::connect_with(
                std::str::FromStr::from_str(url)
                    .map(|o: sqlx::sqlite::SqliteConnectOptions| o.create_if_missing(true))
                    .unwrap(),
            )
            .await
            .unwrap();
            pool.close().await;
        }
        let refused = Store::open_existing(db.url()).await.unwrap_err();
        assert!(
            format!("{refused:#}").contains("no Grondvorm schema"),
            "{}: {refused:#}",
            db.kind()
        );
        let untouched = db.raw("SELECT seq FROM events").await;
        assert!(untouched.is_err(), "{}: no tables were created", db.kind());

        db.open().await.close().await;
        let existing = Store::open_existing(db.url()).await.unwrap();
        existing.ping().await.unwrap();
        existing.close().await;
        let missing = match &db {
            TestDb::Sqlite { url, .. } => format!("{url}.missing"),
            TestDb::Postgres { name, url, .. } => with_database(url, &format!("{name}_missing")),
        };
        assert!(
            Store::open_existing(&missing).await.is_err(),
            "{}",
            db.kind()
        );
        db.drop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_writers_never_commit_a_gap_or_a_duplicate() {
    for db in TestDb::all().await {
        // Two stores on one database: two nodes on PostgreSQL, or a session's task leaving
        // memory beside its successor on SQLite.
        let writers = [db.open().await, db.open().await];
        let session = SessionId::new_random();
        let mut expected = 0u64;
        for round in 0..30 {
            let start = Arc::new(tokio::sync::Barrier::new(2));
            let tasks: Vec<_> = writers
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, writer)| {
                    let start = start.clone();
                    // Batches of different lengths: one writer appends two events, the other one.
                    let len = 1 + (round + i) % 2;
                    let events: Vec<Recorded> = (1..=len as u64)
                        .map(|i| event(expected + i, now_ms(), None, "race"))
                        .collect();
                    tokio::spawn(async move {
                        start.wait().await;
                        writer
                            .append(events_only(session, &events))
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
                    Err(e) => panic!("{} round {round}: {e:?}", db.kind()),
                }
            }
            assert_eq!(
                won.len(),
                1,
                "{} round {round}: exactly one wins",
                db.kind()
            );
            expected += won[0];
        }
        let stored = seqs(&writers[0], session).await;
        assert_eq!(stored, (1..=expected).collect::<Vec<_>>());
        for w in &writers {
            w.close().await;
        }
        db.drop().await;
    }
}

/// Appends from many sessions at once (SQLite commits them together): each that cannot be
/// stored fails alone, with nothing of it written, and every other is stored whole.
#[tokio::test]
async fn appends_at_once_fail_alone_and_store_whole() {
    for db in TestDb::all().await {
        let store = db.open().await;
        let code_owner = SessionId::new_random();
        let at = now_ms();
        let mut first = events_only(code_owner, &[]);
        let one = [event(1, at, None, "holds the code")];
        first.events = &one;
        first.join_code = Some("SAMECODE");
        store.append(first).await.unwrap();
        let sessions: Vec<SessionId> = (0..60).map(|_| SessionId::new_random()).collect();
        // Every session gets two events in one append; every third also asks for a join code
        // that is taken, every fifth starts at the wrong seq: those two kinds must fail.
        let mut tasks = Vec::new();
        for (i, &session) in sessions.iter().enumerate() {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let start = if i % 5 == 4 { 2 } else { 1 };
                let events = [event(start, at, None, "a"), event(start + 1, at, None, "b")];
                let mut append = events_only(session, &events);
                let tokens = [([i as u8; 32], ParticipantId::new_random())];
                append.tokens = &tokens;
                if i % 3 == 2 {
                    append.join_code = Some("SAMECODE");
                }
                (i, store.append(append).await)
            }));
        }
        for task in tasks {
            let (i, outcome) = task.await.unwrap();
            let session = sessions[i];
            let stored = seqs(&store, session).await;
            // A wrong seq is found before the taken code.
            if i % 5 == 4 {
                assert!(
                    matches!(outcome, Err(AppendError::Conflict)),
                    "{}: {i}: {outcome:?}",
                    db.kind()
                );
            } else if i % 3 == 2 {
                assert!(
                    matches!(outcome, Err(AppendError::CodeTaken)),
                    "{}: {i}: {outcome:?}",
                    db.kind()
                );
            } else {
                assert!(outcome.is_ok(), "{}: {i}: {outcome:?}", db.kind());
                assert_eq!(stored, vec![1, 2], "{}: {i}", db.kind());
                let owner = store.token_owner(&[i as u8; 32]).await.unwrap();
                assert_eq!(owner.map(|o| o.session), Some(session));
                continue;
            }
            assert!(
                stored.is_empty(),
                "{}: {i}: half-written {stored:?}",
                db.kind()
            );
            assert!(
                store.token_owner(&[i as u8; 32]).await.unwrap().is_none(),
                "{}: {i}: a token of a failed append",
                db.kind()
            );
        }
        db.drop().await;
    }
}

#[tokio::test]
async fn a_checkpoint_comes_back_with_the_events_after_it_and_goes_with_its_session() {
    for db in TestDb::all().await {
        let store = db.open().await;
        let session = SessionId::new_random();
        let all: Vec<Recorded> = (1..=11)
            .map(|seq| event(seq, now_ms(), None, &format!("org {seq}")))
            .collect();
        let checkpoint = |seq: u64| Checkpoint {
            seq,
            version: 1,
            state: format!("the state at {seq}"),
        };
        store.append(events_only(session, &all[..5])).await.unwrap();
        // The state at 5 goes with event 6.
        store
            .append(Append {
                checkpoint: Some(checkpoint(5)),
                ..events_only(session, &all[5..10])
            })
            .await
            .unwrap();
        let recent = |version, keep| {
            let store = store.clone();
            async move {
                let loaded = store
                    .load_recent(session, version, keep)
                    .await
                    .unwrap()
                    .unwrap();
                let seqs: Vec<u64> = loaded.events.iter().map(|e| e.seq).collect();
                (loaded.checkpoint, seqs)
            }
        };
        let kind = db.kind();
        // Every event after the checkpoint, and at least the last `keep`.
        assert_eq!(
            recent(1, 2).await,
            (Some(checkpoint(5)), (6..=10).collect()),
            "{kind}"
        );
        assert_eq!(
            recent(1, 7).await,
            (Some(checkpoint(5)), (4..=10).collect()),
            "{kind}"
        );
        // A checkpoint of another format is not there for this server: the whole log is.
        assert_eq!(recent(2, 2).await, (None, (1..=10).collect()), "{kind}");
        // A later checkpoint replaces the earlier one.
        store
            .append(Append {
                checkpoint: Some(checkpoint(10)),
                ..events_only(session, &all[10..])
            })
            .await
            .unwrap();
        assert_eq!(
            recent(1, 0).await,
            (Some(checkpoint(10)), vec![11]),
            "{kind}"
        );
        assert!(
            store
                .load_recent(SessionId::new_random(), 1, 10)
                .await
                .unwrap()
                .is_none()
        );
        // Deleting the session takes its checkpoint too: a row of the same key fits again.
        assert!(store.delete_session(session, now_ms()).await.unwrap());
        db.raw(&format!(
            "INSERT INTO checkpoints (session_id, seq, version, state) VALUES ('{session}', 1, 1, 'x')"
        ))
        .await
        .unwrap_or_else(|e| panic!("{kind}: the checkpoint outlived its session: {e}"));
        store.close().await;
        db.drop().await;
    }
}
