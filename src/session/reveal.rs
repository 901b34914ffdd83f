//! What a reveal shows, worked out from the state: the reveal itself is made of it, and so is
//! the facilitator's preview of it (which shows it to them alone, before anyone else).

use super::alignment::analyse;
use super::design::{AspectReveal, reveal_aspect};
use super::event::Event;
use super::ids::{OrgId, ParticipantId};
use super::rejection::Rejection;
use super::state::{AspectStatus, State};
use super::values::Position;
use crate::model::Aspect;
use std::collections::BTreeMap;

/// The reveal of `answers` (the current round's, possibly including an answer being given now).
pub fn answers_revealed(
    state: &State,
    answers: &BTreeMap<ParticipantId, Position>,
    automatic: bool,
) -> Event {
    // Positions in the order people joined, so every view and the record list them alike.
    let positions: Vec<Position> = state
        .representatives()
        .filter_map(|p| answers.get(&p.id).cloned())
        .collect();
    // Nobody waits for an advisor's answer, and a reveal without one is not forced.
    let missing: Vec<ParticipantId> = state
        .representatives()
        .filter(|p| p.organisation.is_some_and(|o| state.is_partner(o)))
        .filter(|p| !answers.get(&p.id).is_some_and(Position::complete))
        .map(|p| p.id)
        .collect();
    let orgs: Vec<OrgId> = state.organisations.iter().map(|o| o.id).collect();
    let advisors: Vec<OrgId> = state
        .organisations
        .iter()
        .filter(|o| o.advisor)
        .map(|o| o.id)
        .collect();
    Event::Revealed {
        round: state.round,
        forced: !missing.is_empty(),
        automatic,
        report: analyse(&orgs, &advisors, &positions),
        missing,
        positions,
    }
}

/// The name of an aspect's status, for refusals.
pub fn status_name(status: AspectStatus) -> &'static str {
    match status {
        AspectStatus::Open => "open",
        AspectStatus::Revealed => "revealed",
        AspectStatus::Agreed => "agreed",
        AspectStatus::Parked => "parked",
    }
}

/// The reveals of the named aspects of track `index`. Naming one aspect asks for exactly that
/// one; naming a cluster (`whole_cluster`) takes those of its aspects that are open and have
/// responses.
pub fn aspects_revealed(
    state: &State,
    index: usize,
    aspects: &[Aspect],
    whole_cluster: bool,
) -> Result<Vec<AspectReveal>, Rejection> {
    let t = state.tracks.get(index).ok_or(Rejection::UnknownTrack)?;
    let mut reveals = Vec::new();
    for &aspect in aspects {
        let a = t.aspect(aspect);
        if a.status != AspectStatus::Open {
            if whole_cluster {
                continue;
            }
            return Err(Rejection::AspectNotOpen(status_name(a.status)));
        }
        // In the order people joined, so every view and the record list them alike.
        let responses: Vec<_> = state
            .representatives()
            .filter_map(|p| Some((p.id, p.organisation?, a.responses.get(&p.id)?.clone())))
            .collect();
        if responses.is_empty() {
            if whole_cluster {
                continue;
            }
            return Err(Rejection::NoResponses);
        }
        reveals.push(reveal_aspect(
            aspect,
            a.round,
            t.form,
            &t.proposal(aspect, state.language),
            state.language,
            responses,
            |o| state.is_partner(o),
        ));
    }
    if reveals.is_empty() {
        return Err(Rejection::NoResponses);
    }
    Ok(reveals)
}
