//! Running a command: decide, then stamp each event with its place in the log, its time and
//! its author. The live layer, the core's tests and the example session all go through here,
//! so a log is numbered the same way wherever it is made.

use super::command::Command;
use super::decide::decide;
use super::event::{Event, Recorded};
use super::ids::ParticipantId;
use super::rejection::Rejection;
use super::state::State;
use super::values::Limits;
use chrono::{DateTime, Utc};

/// The log entries `command` from `by` would add to `state` at time `at`, within `limits`, or
/// why it may not. Nothing is applied: the caller applies the entries once they are stored.
pub fn execute(
    limits: &Limits,
    state: &State,
    by: Option<ParticipantId>,
    command: &Command,
    at: DateTime<Utc>,
) -> Result<Vec<Recorded>, Rejection> {
    Ok(stamp(
        state.last_seq,
        decide(limits, state, by, command)?,
        at,
        by,
    ))
}

/// Numbers `events` on from `after`, all at `at` and by `by`.
pub fn stamp(
    after: u64,
    events: Vec<Event>,
    at: DateTime<Utc>,
    by: Option<ParticipantId>,
) -> Vec<Recorded> {
    events
        .into_iter()
        .enumerate()
        .map(|(i, event)| Recorded {
            seq: after + 1 + i as u64,
            at,
            by,
            event,
        })
        .collect()
}
