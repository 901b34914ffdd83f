//! What a command's events ask of the store besides being stored: links and keys that stop
//! working, and the join code a session reserves or frees — all in the same transaction as
//! the events that say so.

use crate::session::{Event, ParticipantId, Recorded};

/// Whose links stop working: a removed person's, a replaced link, a revoked board link.
pub(super) fn revoked(recorded: &[Recorded]) -> Vec<ParticipantId> {
    recorded
        .iter()
        .filter_map(|r| match r.event {
            Event::ParticipantRemoved { participant }
            | Event::LinkReissued { participant }
            | Event::BoardLinkRevoked {
                observer: participant,
            } => Some(participant),
            _ => None,
        })
        .collect()
}

/// The join code a new session reserves with its first event: unique among open sessions, by
/// the store's own constraint.
pub(super) fn join_code(recorded: &[Recorded]) -> Option<&str> {
    recorded.iter().find_map(|r| match &r.event {
        Event::SessionCreated { join_code, .. } => join_code.as_deref(),
        _ => None,
    })
}

/// Whether the session's join code is freed: it closed.
pub(super) fn releases_code(recorded: &[Recorded]) -> bool {
    recorded
        .iter()
        .any(|r| matches!(r.event, Event::SessionClosed { .. }))
}

/// Whether the co-facilitator keys stop working: replaced or withdrawn.
pub(super) fn revokes_invites(recorded: &[Recorded]) -> bool {
    recorded.iter().any(|r| {
        matches!(
            r.event,
            Event::FacilitatorKeyReplaced | Event::FacilitatorKeyRevoked
        )
    })
}
