//! What only PostgreSQL does: times finer than its microseconds, the READ COMMITTED race of
//! two nodes on one log, and migrating once when nodes start together. The contract both
//! backends keep is in `contract.rs`.

use super::contract::{TestDb, event, events_only, now_ms, seqs};
use super::postgres::{PostgresStore, insert_event};
use super::*;
use chrono::{TimeZone, Utc};
use sqlx::PgPool;
use std::time::Duration;

/// A fresh PostgreSQL database and its URL, or `None` (skipped) without a server.
async fn postgres() -> Option<(TestDb, String)> {
    let db = TestDb::postgres().await?;
    let url = db.url().to_owned();
    Some((db, url))
}

#[tokio::test]
async fn a_time_finer_than_microseconds_is_refused_not_rounded() {
    let Some((db, url)) = postgres().await else {
        return;
    };
    let store = PostgresStore::open(&url).await.unwrap();
    let session = SessionId::new_random();
    let at = Utc.with_ymd_and_hms(2030, 6, 1, 12, 0, 0).unwrap() + chrono::Duration::nanoseconds(1);
    let result = store
        .append(events_only(session, &[event(1, at, None, "ns")]))
        .await;
    assert!(matches!(result, Err(AppendError::Other(_))), "{result:?}");
    assert!(store.load(session).await.unwrap().is_none());
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
    let Some((db, url)) = postgres().await else {
        return;
    };
    let store = PostgresStore::open(&url).await.unwrap();
    let other_node = PostgresStore::open(&url).await.unwrap();
    let raw = PgPool::connect(&url).await.unwrap();
    let session = SessionId::new_random();
    store
        .append(events_only(session, &[event(1, now_ms(), None, "first")]))
        .await
        .unwrap();

    for commit in [true, false] {
        let next = seqs(&Store::Postgres(store.clone()), session).await.len() as u64 + 1;
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

#[tokio::test]
async fn nodes_that_start_together_migrate_once() {
    let Some((db, url)) = postgres().await else {
        return;
    };
    let (a, b) = tokio::join!(PostgresStore::open(&url), PostgresStore::open(&url));
    let (a, b) = (a.unwrap(), b.unwrap());
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&a.pool)
        .await
        .unwrap();
    assert_eq!(applied, super::postgres::MIGRATOR.iter().count() as i64);
    a.close().await;
    b.close().await;
    db.drop().await;
}
