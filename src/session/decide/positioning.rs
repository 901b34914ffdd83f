//! Deciding the commands of the lobby, positioning and alignment.

use super::super::alignment::analyse;
use super::super::command::{Join, OrgChoice};
use super::super::event::Event;
use super::super::ids::{OrgId, ParticipantId};
use super::super::rejection::Rejection;
use super::super::state::{Participant, State};
use super::super::values::{AxisAnswer, Position, Role, TrackSpec};
use super::MAX_TRACKS;
use crate::model::Form;

pub(super) fn decide_join(state: &State, join: &Join) -> Result<Vec<Event>, Rejection> {
    if state
        .participants
        .iter()
        .any(|p| p.name.to_lowercase() == join.name.key())
    {
        return Err(Rejection::NameTaken(join.name.as_str().to_owned()));
    }
    let mut events = Vec::with_capacity(2);
    let organisation = match &join.organisation {
        // A merged-away organisation is history, not a choice.
        OrgChoice::Existing(id) => {
            state
                .active_organisations()
                .find(|o| o.id == *id)
                .ok_or(Rejection::UnknownOrganisation)?
                .id
        }
        OrgChoice::New { id, name } => {
            if let Some(existing) = state
                .organisations
                .iter()
                .find(|o| o.name.to_lowercase() == name.key())
            {
                return Err(Rejection::OrganisationTaken(existing.name.clone()));
            }
            if !state.settings.new_organisations_allowed {
                return Err(Rejection::NewOrganisationsClosed);
            }
            events.push(Event::OrganisationAdded {
                organisation: *id,
                name: name.as_str().to_owned(),
            });
            *id
        }
    };
    events.push(Event::ParticipantJoined {
        participant: join.participant,
        name: join.name.as_str().to_owned(),
        role: Role::Representative,
        organisation: Some(organisation),
    });
    Ok(events)
}

pub(super) fn decide_answer(
    state: &State,
    sender: &Participant,
    answer: &AxisAnswer,
) -> Result<Vec<Event>, Rejection> {
    let organisation = sender.organisation.ok_or(Rejection::NotAParticipant)?;
    let mut events = vec![Event::AnswerGiven {
        participant: sender.id,
        round: state.round,
        answer: answer.clone(),
    }];
    if state.settings.auto_reveal {
        // Look at the answers as they will be after this one, to see whether it was the last.
        let mut after = state.answers.clone();
        after
            .entry(sender.id)
            .or_insert_with(|| Position::empty(sender.id, organisation))
            .record(answer);
        let all_answered = state
            .representatives()
            .all(|p| after.get(&p.id).is_some_and(Position::complete));
        if all_answered {
            events.push(reveal(state, &after, true));
        }
    }
    Ok(events)
}

/// The reveal of `answers` (the current round's, possibly including an answer being given now).
pub(super) fn reveal(
    state: &State,
    answers: &std::collections::BTreeMap<ParticipantId, Position>,
    automatic: bool,
) -> Event {
    // Positions in the order people joined, so every view and the record list them alike.
    let positions: Vec<Position> = state
        .representatives()
        .filter_map(|p| answers.get(&p.id).cloned())
        .collect();
    let missing: Vec<ParticipantId> = state
        .representatives()
        .filter(|p| !answers.get(&p.id).is_some_and(Position::complete))
        .map(|p| p.id)
        .collect();
    let orgs: Vec<OrgId> = state.organisations.iter().map(|o| o.id).collect();
    Event::Revealed {
        round: state.round,
        forced: !missing.is_empty(),
        automatic,
        report: analyse(&orgs, &positions),
        missing,
        positions,
    }
}

/// Organisations whose own standing in the current round differs from `form`: another form,
/// or split inside. Organisations that gave no complete answer take no position to dissent from.
pub(super) fn dissenting(state: &State, form: Form) -> Vec<OrgId> {
    state
        .current_reveal()
        .map(|r| {
            r.report
                .organisations
                .iter()
                .filter(|o| !o.forms.is_empty() && o.form != Some(form))
                .map(|o| o.organisation)
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn check_tracks(state: &State, tracks: &[TrackSpec]) -> Result<(), Rejection> {
    if tracks.len() < 2 {
        return Err(Rejection::InvalidTracks(
            "a split needs at least two tracks",
        ));
    }
    if tracks.len() > MAX_TRACKS {
        return Err(Rejection::InvalidTracks(
            "a split may have at most 8 tracks",
        ));
    }
    for (i, t) in tracks.iter().enumerate() {
        if tracks[..i].iter().any(|o| o.name.key() == t.name.key()) {
            return Err(Rejection::InvalidTracks("every track needs its own name"));
        }
        let known = |o: &OrgId| state.active_organisations().any(|a| a.id == *o);
        if !t.organisations.iter().all(known) {
            return Err(Rejection::InvalidTracks(
                "a track names an organisation that is not in the session",
            ));
        }
    }
    Ok(())
}
