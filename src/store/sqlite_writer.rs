//! SQLite's one writer: a thread of its own with its own connection. It takes the appends of
//! every session as they arrive and commits all that are waiting in one transaction, so that
//! one fsync serves many commands (group commit). Each append runs inside a savepoint: one that
//! fails (a lost race, a taken join code) is rolled back alone and the others commit; if the
//! commit itself fails, none of them is stored and every one of them hears so. Nothing is
//! acknowledged before the commit that holds it has returned, so an ack still means the events
//! are on disk (`synchronous = FULL`).
//!
//! Why a thread and not the async pool: through the pool every statement is a round trip to the
//! database's thread, five or more per command while the single writer is held. Here a command
//! costs one message to this thread and one reply, whatever it writes.

use super::AppendError;
use anyhow::Context;
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::mpsc;
use tokio::sync::oneshot;

/// The most appends committed together: enough to soak up every session's command at once,
/// few enough that one transaction never holds the file for long.
const MAX_BATCH: usize = 512;

/// An event row, encoded by the caller.
#[derive(Debug)]
pub(super) struct EventRow {
    pub seq: i64,
    pub at: String,
    pub by: Option<String>,
    pub kind: &'static str,
    pub body: String,
}

/// Everything one command writes, owned, so that it can cross to the writer's thread.
#[derive(Debug)]
pub(super) struct AppendRows {
    pub session: String,
    pub events: Vec<EventRow>,
    /// participant, command id, first and last seq.
    pub command: Option<(String, String, i64, i64)>,
    pub tokens: Vec<(Vec<u8>, String)>,
    pub revoke: Vec<String>,
    pub revoke_invites: bool,
    pub invite: Option<Vec<u8>>,
    pub join_code: Option<String>,
    pub release_code: bool,
    /// The first event's time: when revocations and tokens take effect.
    pub at: String,
    /// The session's checkpoint to keep: seq, format version, state.
    pub checkpoint: Option<(i64, i64, String)>,
}

/// Where an append hears how it went.
type Reply = oneshot::Sender<Result<(), AppendError>>;

enum Job {
    /// Boxed: a job waits in the queue, and most of them are small.
    Append(Box<AppendRows>, Reply),
    Delete {
        session: String,
        at: String,
        reply: oneshot::Sender<anyhow::Result<bool>>,
    },
    /// Copies the write-ahead log into the database file and empties it (at shutdown).
    Checkpoint(oneshot::Sender<()>),
}

/// The handle to the writer's thread; the thread ends when the last handle is dropped.
#[derive(Clone, Debug)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writer's connection on `path` and starts its thread.
    pub(super) fn start(path: &Path) -> anyhow::Result<Writer> {
        let conn = Connection::open(path)
            .with_context(|| format!("opening {} for writing", path.display()))?;
        conn.execute_batch(
            // FULL: an acknowledged command survives a power cut, not only a crash. Deleted
            // rows are overwritten, not just unlinked: deleting a session must take its personal
            // data out of the file itself.
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA secure_delete = ON;
             PRAGMA busy_timeout = 5000;",
        )
        .context("setting up the writer's connection")?;
        let (jobs, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(conn, queue))
            .context("starting the writer's thread")?;
        Ok(Writer { jobs })
    }

    pub(super) async fn append(&self, rows: AppendRows) -> Result<(), AppendError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job::Append(Box::new(rows), reply))
            .map_err(|_| AppendError::Other(anyhow::anyhow!("the database writer has stopped")))?;
        answer
            .await
            .map_err(|_| AppendError::Other(anyhow::anyhow!("the database writer has stopped")))?
    }

    pub(super) async fn delete(&self, session: String, at: String) -> anyhow::Result<bool> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job::Delete { session, at, reply })
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?
    }
}

impl Writer {
    /// Checkpoints the write-ahead log, after everything sent before.
    pub(super) async fn checkpoint(&self) {
        let (reply, answer) = oneshot::channel();
        if self.jobs.send(Job::Checkpoint(reply)).is_ok() {
            let _ = answer.await;
        }
    }
}

fn run(mut conn: Connection, queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::new();
    while let Ok(job) = queue.recv() {
        let mut next = Some(job);
        while let Some(job) = next.take() {
            match job {
                Job::Append(rows, reply) => {
                    batch.push((rows, reply));
                    if batch.len() < MAX_BATCH {
                        next = queue.try_recv().ok();
                    }
                }
                // A deletion runs alone, after the appends that came before it.
                Job::Delete { session, at, reply } => {
                    commit(&mut conn, std::mem::take(&mut batch));
                    let _ = reply.send(delete(&mut conn, &session, &at));
                    next = queue.try_recv().ok();
                }
                Job::Checkpoint(reply) => {
                    commit(&mut conn, std::mem::take(&mut batch));
                    if let Err(e) =
                        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                    {
                        tracing::warn!(error = %e, "checkpointing the write-ahead log failed");
                    }
                    let _ = reply.send(());
                    next = queue.try_recv().ok();
                }
            }
        }
        commit(&mut conn, std::mem::take(&mut batch));
    }
}

/// Commits a batch of appends in one transaction and answers each.
fn commit(conn: &mut Connection, batch: Vec<(Box<AppendRows>, Reply)>) {
    if batch.is_empty() {
        return;
    }
    let outcome = (|| -> rusqlite::Result<Vec<Result<(), AppendError>>> {
        let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut results = Vec::with_capacity(batch.len());
        for (rows, _) in &batch {
            let sp = tx.savepoint()?;
            let result = write(&sp, rows);
            // A savepoint dropped without its commit is rolled back, and only its own rows.
            if result.is_ok() {
                sp.commit()?;
            } else {
                sp.finish()?;
            }
            results.push(result);
        }
        tx.commit()?;
        Ok(results)
    })();
    match outcome {
        Ok(results) => {
            for ((_, reply), result) in batch.into_iter().zip(results) {
                let _ = reply.send(result);
            }
        }
        // The transaction did not commit: nothing of the batch is stored.
        Err(e) => {
            tracing::error!(error = %e, appends = batch.len(), "committing a batch failed");
            for (_, reply) in batch {
                let _ = reply.send(Err(AppendError::Other(anyhow::anyhow!(
                    "committing the append: {e}"
                ))));
            }
        }
    }
}

/// A constraint on a key means another writer got there first.
fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation)
}

fn failed(what: &'static str) -> impl Fn(rusqlite::Error) -> AppendError {
    move |e| AppendError::Other(anyhow::Error::new(e).context(what))
}

/// A violated key means `taken` (another writer got there first, or the code is another
/// session's); anything else is a failure.
fn taken_or(
    taken: fn() -> AppendError,
    what: &'static str,
) -> impl Fn(rusqlite::Error) -> AppendError {
    move |err| {
        if is_unique_violation(&err) {
            taken()
        } else {
            failed(what)(err)
        }
    }
}

/// One command's rows, inside its savepoint.
fn write(conn: &Connection, rows: &AppendRows) -> Result<(), AppendError> {
    let Some(first) = rows.events.first() else {
        return Ok(());
    };
    let (last, deleted): (i64, bool) = conn
        .prepare_cached(
            "SELECT COALESCE(MAX(seq), 0), EXISTS (SELECT 1 FROM deleted_sessions WHERE session_id = ?1) FROM events WHERE session_id = ?1",
        )
        .and_then(|mut s| s.query_row(params![rows.session], |r| Ok((r.get(0)?, r.get(1)?))))
        .map_err(failed("reading the log's end"))?;
    if deleted {
        return Err(AppendError::Deleted);
    }
    if first.seq != last + 1 {
        return Err(AppendError::Conflict);
    }
    {
        let mut insert = conn
            .prepare_cached(
                "INSERT INTO events (session_id, seq, at, by_participant, kind, body) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .map_err(failed("inserting an event"))?;
        for e in &rows.events {
            insert
                .execute(params![rows.session, e.seq, e.at, e.by, e.kind, e.body])
                .map_err(taken_or(|| AppendError::Conflict, "inserting an event"))?;
        }
    }
    if let Some((participant, id, first_seq, last_seq)) = &rows.command {
        conn.prepare_cached(
            "INSERT INTO commands (session_id, participant_id, command_id, first_seq, last_seq) VALUES (?, ?, ?, ?, ?)",
        )
        .and_then(|mut s| s.execute(params![rows.session, participant, id, first_seq, last_seq]))
        // Applied before: a retry older than what the session's task keeps in memory, or
        // another task of this session (one leaving memory) got there first.
        .map_err(taken_or(|| AppendError::Duplicate, "remembering the command id"))?;
    }
    if let Some((seq, version, state)) = &rows.checkpoint {
        // A cache: if it cannot be kept, the events still are, and the next append tries again.
        if let Err(e) = conn
            .prepare_cached(
                "INSERT INTO checkpoints (session_id, seq, version, state) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (session_id) DO UPDATE SET seq = ?2, version = ?3, state = ?4",
            )
            .and_then(|mut s| s.execute(params![rows.session, seq, version, state]))
        {
            tracing::warn!(error = %e, "keeping a checkpoint failed");
        }
    }
    for participant in &rows.revoke {
        conn.prepare_cached(
            "UPDATE tokens SET revoked_at = ? WHERE session_id = ? AND participant_id = ? AND revoked_at IS NULL",
        )
        .and_then(|mut s| s.execute(params![rows.at, rows.session, participant]))
        .map_err(failed("revoking tokens"))?;
    }
    if rows.revoke_invites {
        conn.prepare_cached(
            "UPDATE facilitator_invites SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL",
        )
        .and_then(|mut s| s.execute(params![rows.at, rows.session]))
        .map_err(failed("revoking the facilitator key"))?;
    }
    if let Some(hash) = &rows.invite {
        conn.prepare_cached("INSERT INTO facilitator_invites (key_hash, session_id) VALUES (?, ?)")
            .and_then(|mut s| s.execute(params![hash, rows.session]))
            .map_err(failed("storing the facilitator invite"))?;
    }
    if let Some(code) = &rows.join_code {
        conn.prepare_cached("INSERT INTO join_codes (code, session_id) VALUES (?, ?)")
            .and_then(|mut s| s.execute(params![code, rows.session]))
            .map_err(taken_or(
                || AppendError::CodeTaken,
                "reserving the join code",
            ))?;
    }
    if rows.release_code {
        conn.prepare_cached("DELETE FROM join_codes WHERE session_id = ?")
            .and_then(|mut s| s.execute(params![rows.session]))
            .map_err(failed("freeing the join code"))?;
    }
    for (hash, participant) in &rows.tokens {
        conn.prepare_cached(
            "INSERT INTO tokens (token_hash, session_id, participant_id, created_at) VALUES (?, ?, ?, ?)",
        )
        .and_then(|mut s| s.execute(params![hash, rows.session, participant, rows.at]))
        .map_err(failed("storing a token hash"))?;
    }
    Ok(())
}

/// Deletes a session and everything of it in one transaction, leaving the tombstone.
fn delete(conn: &mut Connection, session: &str, at: &str) -> anyhow::Result<bool> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting the deletion")?;
    let existed = tx
        .query_row(
            "SELECT 1 FROM events WHERE session_id = ? LIMIT 1",
            params![session],
            |_| Ok(()),
        )
        .optional()
        .context("looking for the session")?
        .is_some();
    if !existed {
        return Ok(false);
    }
    // The tombstone first: the trigger lets the events go only once it is there.
    tx.execute(
        "INSERT OR IGNORE INTO deleted_sessions (session_id, deleted_at) VALUES (?, ?)",
        params![session, at],
    )
    .context("recording the deletion")?;
    for table in [
        "events",
        "checkpoints",
        "commands",
        "tokens",
        "facilitator_invites",
        "join_codes",
    ] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE session_id = ?"),
            params![session],
        )
        .with_context(|| format!("deleting the session's {table}"))?;
    }
    tx.commit().context("committing the deletion")?;
    // The write-ahead log still holds the pages as they were: copy the zeroed pages into the
    // database and empty the log, so that no copy of the data is left on disk.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .context("checkpointing after the deletion")?;
    Ok(true)
}
