//! What both backends do alike with a row: tell a lost race from a failure, and turn stored
//! columns back into events, commands and hashes.

use super::{AppendError, AppliedCommand, TokenHash};
use crate::session::{CommandId, Event, ParticipantId, Recorded};
use anyhow::Context;
use chrono::{DateTime, Utc};

/// A unique violation means another writer got there first; anything else is a failure.
pub(super) fn conflict_or(what: &'static str, e: sqlx::Error) -> AppendError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppendError::Conflict,
        _ => AppendError::Other(anyhow::Error::new(e).context(what)),
    }
}

/// A unique violation while reserving a join code means another open session has it.
pub(super) fn code_taken_or(e: sqlx::Error) -> AppendError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppendError::CodeTaken,
        _ => AppendError::Other(anyhow::Error::new(e).context("reserving the join code")),
    }
}

/// An event as stored: its seq, its time as RFC 3339 text, its author and its JSON body.
pub(super) fn recorded(
    seq: i64,
    at: &str,
    by: Option<ParticipantId>,
    body: &str,
) -> anyhow::Result<Recorded> {
    Ok(Recorded {
        seq: seq_from_db(seq)?,
        at: DateTime::parse_from_rfc3339(at)
            .with_context(|| format!("event {seq}: time"))?
            .with_timezone(&Utc),
        by,
        event: serde_json::from_str::<Event>(body).with_context(|| format!("event {seq}: body"))?,
    })
}

/// An applied command as stored.
pub(super) fn applied(
    participant: ParticipantId,
    command_id: &str,
    first_seq: i64,
    last_seq: i64,
) -> anyhow::Result<AppliedCommand> {
    Ok(AppliedCommand {
        participant,
        command_id: CommandId::parse(command_id)
            .with_context(|| format!("stored command id {command_id:?}"))?,
        first_seq: seq_from_db(first_seq)?,
        last_seq: seq_from_db(last_seq)?,
    })
}

/// A stored SHA-256 hash.
pub(super) fn hash(stored: Vec<u8>) -> anyhow::Result<TokenHash> {
    stored
        .try_into()
        .map_err(|_| anyhow::anyhow!("a stored hash has the wrong length"))
}

/// Refuses events that are not numbered one after another: the log's end is checked for the
/// first of them only.
pub(super) fn ensure_consecutive(events: &[Recorded]) -> Result<(), AppendError> {
    let Some(first) = events.first() else {
        return Ok(());
    };
    for (offset, recorded) in events.iter().enumerate() {
        if recorded.seq != first.seq + offset as u64 {
            return Err(AppendError::Other(anyhow::anyhow!(
                "events to append are not numbered consecutively from {}",
                first.seq
            )));
        }
    }
    Ok(())
}

/// Fails when a database lacks a migration this build expects. A newer schema is fine to read.
pub(super) fn ensure_migrated(
    migrator: &sqlx::migrate::Migrator,
    applied: &[i64],
) -> anyhow::Result<()> {
    let missing: Vec<i64> = migrator
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

/// A sequence number for a BIGINT / INTEGER column.
pub(super) fn seq_to_db(seq: u64) -> anyhow::Result<i64> {
    i64::try_from(seq).with_context(|| format!("sequence number {seq} is out of range"))
}

/// A sequence number from the database.
pub(super) fn seq_from_db(seq: i64) -> anyhow::Result<u64> {
    u64::try_from(seq).with_context(|| format!("stored sequence number {seq} is negative"))
}
