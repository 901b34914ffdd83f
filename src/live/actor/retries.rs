//! Answering a retry: a command whose id was applied before gets its first outcome again,
//! whether the task knows that id or only the store does.

use super::Actor;
use crate::live::history::CommandKey;
use crate::live::outcome::{Ack, LiveError};

impl Actor {
    /// The first outcome of a command applied before what this task knows, if `key` names one.
    /// Asked only on the paths that would otherwise refuse or ignore it, so that new commands
    /// never pay for the lookup.
    pub(super) async fn applied_before(
        &self,
        key: Option<&CommandKey>,
    ) -> Result<Option<Ack>, LiveError> {
        if self.history.knows_all_commands() {
            return Ok(None);
        }
        self.stored_outcome(key).await
    }

    /// The first outcome of a command the store holds, if `key` names one.
    pub(super) async fn stored_outcome(
        &self,
        key: Option<&CommandKey>,
    ) -> Result<Option<Ack>, LiveError> {
        let Some((participant, id)) = key else {
            return Ok(None);
        };
        let seqs = self.store.command(self.id, *participant, id).await;
        Ok(seqs
            .map_err(LiveError::Internal)?
            .map(|seqs| self.duplicate(key, seqs)))
    }

    /// A retry's answer; a retried preview's content again, from the state now, while in the tail.
    pub(super) fn duplicate(&self, key: Option<&CommandKey>, (first, last): (u64, u64)) -> Ack {
        let preview = self
            .history
            .get(first)
            .and_then(|r| self.preview(key.map(|k| &k.1), &r.event));
        Ack {
            seqs: Some((first, last)),
            duplicate: true,
            preview,
        }
    }
}
