//! Deciding the commands of the lobby, positioning and alignment.

use super::super::command::{Join, OrgChoice};
use super::super::event::Event;
use super::super::ids::OrgId;
use super::super::input::Name;
use super::super::rejection::Rejection;
use super::super::reveal::answers_revealed;
use super::super::state::{Participant, State};
use super::super::values::{AxisAnswer, Limits, Position, Role, TrackSpec};
use super::MAX_TRACKS;
use crate::model::Form;

/// Refuses a name that someone in the session has already, or one that looks the same; the
/// refusal names the person who has it, so that the newcomer sees why.
pub(super) fn name_free(state: &State, name: &Name) -> Result<(), Rejection> {
    let key = name.key();
    match state.participants.iter().find(|p| p.key == key) {
        Some(taken) => Err(Rejection::NameTaken(taken.name.clone())),
        None => Ok(()),
    }
}

/// Refuses a newcomer to a session that is full.
pub(super) fn room_for_one_more(limits: &Limits, state: &State) -> Result<(), Rejection> {
    if state.participants.len() >= limits.max_participants {
        return Err(Rejection::SessionFull(state.participants.len()));
    }
    Ok(())
}

pub(super) fn decide_join(
    limits: &Limits,
    state: &State,
    join: &Join,
) -> Result<Vec<Event>, Rejection> {
    room_for_one_more(limits, state)?;
    name_free(state, &join.name)?;
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
            if let Some(existing) = state.organisations.iter().find(|o| o.key == name.key()) {
                return Err(Rejection::OrganisationTaken(existing.name.clone()));
            }
            if !state.settings.new_organisations_allowed {
                return Err(Rejection::NewOrganisationsClosed);
            }
            if state.organisations.len() >= limits.max_organisations {
                return Err(Rejection::TooManyOrganisations(state.organisations.len()));
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
        // Nobody waits for an advisor, here as in a plain reveal.
        let all_answered = state
            .representatives()
            .filter(|p| p.organisation.is_some_and(|o| state.is_partner(o)))
            .all(|p| after.get(&p.id).is_some_and(Position::complete));
        if all_answered {
            events.push(answers_revealed(state, &after, true));
        }
    }
    Ok(events)
}

/// Takes back the sender's answer to one question, if they gave one in this round.
pub(super) fn withdraw(
    state: &State,
    sender: &Participant,
    axis: crate::model::Axis,
) -> Result<Vec<Event>, Rejection> {
    let given = state.answers.get(&sender.id).is_some_and(|p| match axis {
        crate::model::Axis::Intent => p.intent.is_some(),
        crate::model::Axis::Nature => p.nature.is_some(),
    });
    if !given {
        return Err(Rejection::NothingToWithdraw);
    }
    Ok(vec![Event::AnswerWithdrawn {
        participant: sender.id,
        round: state.round,
        axis,
    }])
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
                .filter(|o| !r.report.advisors.contains(&o.organisation))
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
