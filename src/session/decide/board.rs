//! Deciding the facilitator's moderation of the shared board: focus, timer, organisations,
//! people and notes. Every one of them is an event, so the history shows who did what, when.

use super::Ctx;
use crate::session::event::Event;
use crate::session::ids::{OrgId, ParticipantId};
use crate::session::input::{FreeText, InputError, Name};
use crate::session::rejection::Rejection;
use crate::session::state::State;
use crate::session::values::Step;
use crate::session::values::{Limits, Role};
use chrono::{DateTime, Utc};

/// Shortest timer, in seconds.
pub const MIN_TIMER_SECONDS: u32 = 10;
/// Longest timer, in seconds: a long morning.
pub const MAX_TIMER_SECONDS: u32 = 4 * 60 * 60;

pub(super) fn join_facilitator(
    limits: &Limits,
    state: &State,
    participant: ParticipantId,
    name: &Name,
) -> Result<Vec<Event>, Rejection> {
    super::positioning::room_for_one_more(limits, state)?;
    super::positioning::name_free(state, name)?;
    Ok(vec![Event::ParticipantJoined {
        participant,
        name: name.as_str().to_owned(),
        role: Role::Facilitator,
        organisation: None,
    }])
}

fn check_step(cx: &Ctx, step: &Step) -> Result<(), Rejection> {
    match step.track {
        Some(t) if t >= cx.state.tracks.len() => Err(Rejection::UnknownTrack),
        _ => Ok(()),
    }
}

pub(super) fn focus(cx: &Ctx, step: Option<Step>) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    if let Some(s) = &step {
        check_step(cx, s)?;
    }
    if step == cx.state.focus {
        return Ok(Vec::new());
    }
    Ok(vec![Event::FocusChanged { step }])
}

pub(super) fn start_timer(
    cx: &Ctx,
    seconds: u32,
    label: Option<&Name>,
) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    if !(MIN_TIMER_SECONDS..=MAX_TIMER_SECONDS).contains(&seconds) {
        return Err(InputError::OutOfRange {
            field: "seconds",
            min: i64::from(MIN_TIMER_SECONDS),
            max: i64::from(MAX_TIMER_SECONDS),
        }
        .into());
    }
    Ok(vec![Event::TimerStarted {
        seconds,
        label: label.map(|l| l.as_str().to_owned()),
    }])
}

pub(super) fn stop_timer(cx: &Ctx) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    Ok(if cx.state.timer.is_some() {
        vec![Event::TimerStopped]
    } else {
        Vec::new()
    })
}

/// The timer ran out: recorded once, when the live layer's clock says so.
pub(super) fn end_timer(state: &State, at: DateTime<Utc>) -> Vec<Event> {
    match &state.timer {
        Some(t) if !t.ended && at >= t.ends_at => vec![Event::TimerEnded],
        _ => Vec::new(),
    }
}

pub(super) fn reissue_link(cx: &Ctx, participant: ParticipantId) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    cx.state
        .active_participant(participant)
        .ok_or(Rejection::UnknownParticipant)?;
    Ok(vec![Event::LinkReissued { participant }])
}

pub(super) fn facilitator_key(cx: &Ctx, replace: bool) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    Ok(vec![if replace {
        Event::FacilitatorKeyReplaced
    } else {
        Event::FacilitatorKeyRevoked
    }])
}

/// Whether `by` may delete the session, having typed `confirm`: a facilitator, confirming with
/// the session's title, so that a slip of the mouse deletes nothing.
pub fn may_delete(state: &State, by: ParticipantId, confirm: &str) -> Result<(), Rejection> {
    let sender = state
        .active_participant(by)
        .ok_or(Rejection::NotAParticipant)?;
    if sender.role != Role::Facilitator {
        return Err(Rejection::forbidden("delete_session", Role::Facilitator));
    }
    if confirm.trim() != state.title {
        return Err(Rejection::NotConfirmed);
    }
    Ok(())
}

fn active_org(cx: &Ctx, id: OrgId) -> Result<(), Rejection> {
    cx.state
        .active_organisations()
        .any(|o| o.id == id)
        .then_some(())
        .ok_or(Rejection::UnknownOrganisation)
}

pub(super) fn rename(cx: &Ctx, organisation: OrgId, name: &Name) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    active_org(cx, organisation)?;
    if cx
        .state
        .organisation(organisation)
        .is_some_and(|o| o.name == name.as_str())
    {
        return Ok(Vec::new());
    }
    if let Some(other) = cx
        .state
        .organisations
        .iter()
        .find(|o| o.id != organisation && o.key == name.key())
    {
        return Err(Rejection::OrganisationTaken(other.name.clone()));
    }
    Ok(vec![Event::OrganisationRenamed {
        organisation,
        name: name.as_str().to_owned(),
    }])
}

pub(super) fn merge(cx: &Ctx, from: OrgId, into: OrgId) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    active_org(cx, from)?;
    active_org(cx, into)?;
    if from == into {
        return Err(Rejection::SameOrganisation);
    }
    // An advisor and a partner are not one organisation: merging them would change, after the
    // reveal, who counts in the form and who approves.
    if cx.state.is_partner(from) != cx.state.is_partner(into) {
        return Err(Rejection::AdvisorAndPartner);
    }
    Ok(vec![Event::OrganisationsMerged { from, into }])
}

pub(super) fn remove(cx: &Ctx, participant: ParticipantId) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    if participant == cx.sender.id {
        return Err(Rejection::CannotRemoveSelf);
    }
    let removed = cx
        .state
        .active_participant(participant)
        .ok_or(Rejection::UnknownParticipant)?;
    let mut events = vec![Event::ParticipantRemoved { participant }];
    // A removed facilitator knows the co-facilitator key: it must not let them back in.
    if removed.role == Role::Facilitator {
        events.push(Event::FacilitatorKeyRevoked);
    }
    Ok(events)
}

pub(super) fn note(cx: &Ctx, about: Step, text: &FreeText) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    check_step(cx, &about)?;
    Ok(vec![Event::NoteAdded {
        about,
        phase: cx.state.phase,
        text: text.as_str().to_owned(),
    }])
}

pub(super) fn create_board_link(
    cx: &Ctx,
    limits: &Limits,
    observer: ParticipantId,
    label: &Name,
) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    if cx.state.observers.len() >= limits.max_board_links {
        return Err(Rejection::TooManyBoardLinks(cx.state.observers.len()));
    }
    Ok(vec![Event::BoardLinkCreated {
        observer,
        label: label.as_str().to_owned(),
    }])
}

pub(super) fn revoke_board_link(
    cx: &Ctx,
    observer: ParticipantId,
) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Facilitator)?;
    cx.state
        .active_observer(observer)
        .ok_or(Rejection::UnknownBoardLink)?;
    Ok(vec![Event::BoardLinkRevoked { observer }])
}
