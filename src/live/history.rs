//! What a session's task keeps of its log: the tail that catch-ups need, the ids of the commands
//! behind it, and when the state was last checkpointed; and loading all that from the store —
//! the latest checkpoint and the events after it, so that a session with a long log loads as
//! fast as a short one. Older events are read when a reconnecting client needs them; the whole
//! log only for the record, and when no checkpoint can be used.

use crate::session::state::{CHECKPOINT_VERSION, decode_checkpoint, encode_checkpoint};
use crate::session::{CommandId, ParticipantId, Recorded, SessionId, State};
use crate::store::{Checkpoint, Loaded, Store};
use std::collections::HashMap;

/// Events kept in memory once they are there: as many as a reconnecting client may catch up
/// on as events; trimmed back to this once twice as many have gathered.
pub(super) const KEEP: u64 = 1000;

/// A checkpoint goes with the first append after this many events since the last one: a load
/// then folds at most this many events onto it.
const CHECKPOINT_EVERY: u64 = 500;

/// A command's sender and id.
pub(super) type CommandKey = (ParticipantId, CommandId);

/// The tail of a session's log, and the commands behind it.
#[derive(Debug)]
pub(super) struct History {
    /// The last events, in order, without gaps, up to `end`.
    events: Vec<Recorded>,
    /// The last seq of the log (0: none).
    end: u64,
    /// The first and last seq of applied commands whose events end in the tail: all of them
    /// when the tail was loaded with the whole log, none of those before a checkpoint. Any
    /// other is in the store (`Store::command`, and the commands table's key at append).
    applied: HashMap<CommandKey, (u64, u64)>,
    /// The seq of the last checkpoint stored (0: none).
    checkpointed: u64,
    /// Whether `applied` holds every command the session ever applied: true for a session
    /// started here or loaded with its whole log, until its tail is trimmed.
    all_commands: bool,
}

impl Default for History {
    /// The history of a session that starts here: nothing yet, and every command known.
    fn default() -> Self {
        History {
            events: Vec::new(),
            end: 0,
            applied: HashMap::new(),
            checkpointed: 0,
            all_commands: true,
        }
    }
}

impl History {
    /// Whether the tail is the whole log (it starts at the session's first event).
    pub(super) fn is_whole(&self) -> bool {
        self.first() == 1
    }

    /// The seq of the first event in the tail (`end + 1` when it holds none).
    fn first(&self) -> u64 {
        self.events.first().map_or(self.end + 1, |r| r.seq)
    }

    /// The whole log, if the tail is all of it.
    pub(super) fn whole(&self) -> Option<&[Recorded]> {
        self.is_whole().then_some(&self.events[..])
    }

    /// The event with this seq, if it is in the tail.
    pub(super) fn get(&self, seq: u64) -> Option<&Recorded> {
        let first = self.events.first()?.seq;
        self.events
            .get(usize::try_from(seq.checked_sub(first)?).ok()?)
    }

    /// Every event after `seen`, if the tail holds them all.
    pub(super) fn after(&self, seen: u64) -> Option<&[Recorded]> {
        let skip = usize::try_from((seen + 1).checked_sub(self.first())?).ok()?;
        self.events.get(skip.min(self.events.len())..)
    }

    /// Reads the events a client that saw up to `seen` missed from the store, if the tail
    /// does not reach back to them (the session was loaded from its checkpoint since) and
    /// they are few enough to catch up on; they stay in the tail for the next client. A failed
    /// read only means that client gets a snapshot.
    pub(super) async fn reach_back(&mut self, store: &Store, session: SessionId, seen: u64) {
        if seen >= self.end || self.end - seen > KEEP || self.after(seen).is_some() {
            return;
        }
        match store.events_after(session, seen).await {
            Ok(older) => self.prepend(older),
            Err(e) => tracing::warn!(error = %e, "reading missed events failed"),
        }
    }

    /// Puts older events (read from the store) before the tail: those that continue it
    /// backwards, up to its first. Their commands stay in the store (`Store::command`).
    fn prepend(&mut self, older: Vec<Recorded>) {
        let first = self.first();
        let older: Vec<Recorded> = older.into_iter().filter(|r| r.seq < first).collect();
        let continues = older.last().is_some_and(|r| r.seq + 1 == first)
            && older.windows(2).all(|w| w[0].seq + 1 == w[1].seq);
        if !continues {
            return;
        }
        self.events.splice(0..0, older);
    }

    /// A command's events, if it was applied and its events end in the tail. One applied
    /// before that is only in the store (`Store::command`).
    pub(super) fn applied(&self, key: &CommandKey) -> Option<(u64, u64)> {
        self.applied.get(key).copied()
    }

    /// Whether every command the session applied is in `applied` (else the store has the
    /// older ones).
    pub(super) fn knows_all_commands(&self) -> bool {
        self.all_commands
    }

    pub(super) fn remember(&mut self, key: CommandKey, seqs: (u64, u64)) {
        self.applied.insert(key, seqs);
    }

    /// Adds the next event, and lets the oldest go once the tail is twice what it keeps.
    pub(super) fn push(&mut self, recorded: Recorded) {
        self.end = recorded.seq;
        // Grown by a quarter, not doubled: most sessions' tails are short, and a doubled one
        // would keep room for as many events again in every session in memory.
        if self.events.len() == self.events.capacity() {
            self.events.reserve_exact(8.max(self.events.len() / 4));
        }
        self.events.push(recorded);
        let keep = KEEP as usize;
        if self.events.len() > 2 * keep {
            self.events.drain(..self.events.len() - keep);
            let first = self.events[0].seq;
            self.applied.retain(|_, (_, last)| *last >= first);
            self.all_commands = false;
        }
    }

    /// The checkpoint to store with the next append, if one is due: the state as it is now.
    pub(super) fn checkpoint_due(&self, state: &State) -> Option<Checkpoint> {
        (state.last_seq >= self.checkpointed + CHECKPOINT_EVERY).then(|| Checkpoint {
            seq: state.last_seq,
            version: CHECKPOINT_VERSION,
            state: encode_checkpoint(state),
        })
    }

    /// A checkpoint at `seq` was stored.
    pub(super) fn checkpointed(&mut self, seq: u64) {
        self.checkpointed = seq;
    }
}

/// A session from the store: its state and the tail of its log. `None` when it has no events.
pub(super) async fn load(
    store: &Store,
    session: SessionId,
) -> anyhow::Result<Option<(State, History)>> {
    // Only what follows the checkpoint: older events are read when someone needs them.
    let Some(mut loaded) = store.load_recent(session, CHECKPOINT_VERSION, 0).await? else {
        return Ok(None);
    };
    if let Some(c) = loaded.checkpoint.take() {
        if let Some(mut state) = decode_checkpoint(&c.state).filter(|s| s.last_seq == c.seq) {
            for r in loaded.events.iter().filter(|r| r.seq > c.seq) {
                state.apply(r);
            }
            let history = history(loaded, &state, c.seq, false);
            return Ok(Some((state, history)));
        }
        tracing::warn!(%session, "the checkpoint cannot be read; loading the whole log");
        let Some(whole) = store.load(session).await? else {
            return Ok(None);
        };
        loaded = whole;
    }
    let state = State::from_log(&loaded.events);
    let history = history(loaded, &state, 0, true);
    Ok(Some((state, history)))
}

/// The history of what was loaded for `state`, trimmed to what the task keeps. `whole`: the
/// load was the whole log with all its commands.
fn history(loaded: Loaded, state: &State, checkpointed: u64, whole: bool) -> History {
    let mut history = History {
        events: Vec::with_capacity(loaded.events.len().min(2 * KEEP as usize)),
        end: state.last_seq,
        applied: loaded
            .commands
            .into_iter()
            .map(|c| ((c.participant, c.command_id), (c.first_seq, c.last_seq)))
            .collect(),
        checkpointed,
        all_commands: whole,
    };
    for r in loaded.events {
        history.push(r);
    }
    history
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Event;
    use chrono::Utc;

    fn event(seq: u64) -> Recorded {
        Recorded {
            seq,
            at: Utc::now(),
            by: None,
            event: Event::TimerStopped,
        }
    }

    #[test]
    fn the_tail_keeps_what_catch_ups_need_and_forgets_older_commands() {
        let mut h = History::default();
        let old = (
            ParticipantId::new_random(),
            CommandId::parse("old").unwrap(),
        );
        h.remember(old.clone(), (1, 1));
        for seq in 1..=2 * KEEP {
            h.push(event(seq));
        }
        assert!(h.is_whole());
        assert_eq!(h.after(0).map(<[_]>::len), Some(2 * KEEP as usize));
        h.push(event(2 * KEEP + 1));
        assert!(!h.is_whole(), "trimmed");
        assert!(h.whole().is_none());
        assert_eq!(h.get(2 * KEEP + 1).map(|r| r.seq), Some(2 * KEEP + 1));
        assert_eq!(h.get(1).map(|r| r.seq), None);
        assert_eq!(h.after(KEEP + 1).map(<[_]>::len), Some(KEEP as usize));
        assert!(h.after(KEEP).is_none(), "event KEEP + 1 is gone");
        assert_eq!(h.after(2 * KEEP + 1).map(<[_]>::len), Some(0));
        assert_eq!(h.applied(&old), None, "its events left the tail");
    }

    #[test]
    fn a_tail_loaded_from_a_checkpoint_knows_where_the_log_ends() {
        // Loaded from a checkpoint at 500 with nothing after it: no event in memory.
        let h = History {
            end: 500,
            all_commands: false,
            ..History::default()
        };
        assert!(!h.is_whole());
        assert_eq!(h.after(500).map(<[_]>::len), Some(0), "up to date");
        assert!(
            h.after(499).is_none(),
            "event 500 must be read from the store"
        );
        let mut h = h;
        h.prepend((400..=500).map(event).collect());
        assert_eq!(h.after(399).map(<[_]>::len), Some(101));
        // Older events that do not end where the tail begins are not taken.
        h.prepend((100..=200).map(event).collect());
        assert!(h.after(99).is_none());
    }

    #[test]
    fn a_checkpoint_is_due_every_so_many_events() {
        let mut h = History::default();
        let mut state = State {
            last_seq: CHECKPOINT_EVERY - 1,
            ..State::default()
        };
        assert!(h.checkpoint_due(&state).is_none());
        state.last_seq = CHECKPOINT_EVERY;
        let c = h.checkpoint_due(&state).unwrap();
        assert_eq!((c.seq, c.version), (CHECKPOINT_EVERY, CHECKPOINT_VERSION));
        h.checkpointed(c.seq);
        assert!(h.checkpoint_due(&state).is_none());
    }
}
