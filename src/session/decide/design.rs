//! Deciding the commands of the design phase: blind responses per aspect, their reveal, and
//! what the facilitator records (agreed, reopened, parked).

use super::Ctx;
use crate::model::{Aspect, Form, form_of_principle};
use crate::session::design::{Choice, Response, choice_key};
use crate::session::event::Event;
use crate::session::ids::OrgId;
use crate::session::input::{DueDate, FreeText};
use crate::session::rejection::Rejection;
use crate::session::reveal::{aspects_revealed, status_name};
use crate::session::state::{AspectStatus, Track};
use crate::session::values::{Owner, Phase, Role};

pub(super) fn track<'a>(cx: &Ctx<'a>, index: usize) -> Result<&'a Track, Rejection> {
    cx.state.tracks.get(index).ok_or(Rejection::UnknownTrack)
}

pub(super) fn respond(
    cx: &Ctx,
    index: usize,
    aspect: Aspect,
    response: &Response,
) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Representative)?;
    cx.in_phase(Phase::Design)?;
    let t = track(cx, index)?;
    let organisation = cx.sender.organisation.ok_or(Rejection::NotAParticipant)?;
    if !t.includes(organisation) {
        return Err(Rejection::NotInTrack);
    }
    let a = t.aspect(aspect);
    if a.status != AspectStatus::Open {
        return Err(Rejection::AspectNotOpen(status_name(a.status)));
    }
    if response.choice == Choice::NoLonger && t.carried(aspect).is_none() {
        return Err(Rejection::NotCarried);
    }
    Ok(vec![Event::AspectResponded {
        participant: cx.sender.id,
        track: index,
        aspect,
        round: a.round,
        response: response.clone(),
    }])
}

/// Takes back the sender's response to an open aspect.
pub(super) fn withdraw(cx: &Ctx, index: usize, aspect: Aspect) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Representative)?;
    cx.in_phase(Phase::Design)?;
    let a = track(cx, index)?.aspect(aspect);
    if a.status != AspectStatus::Open {
        return Err(Rejection::AspectNotOpen(status_name(a.status)));
    }
    if !a.responses.contains_key(&cx.sender.id) {
        return Err(Rejection::NothingToWithdraw);
    }
    Ok(vec![Event::ResponseWithdrawn {
        participant: cx.sender.id,
        track: index,
        aspect,
        round: a.round,
    }])
}

/// Reveals the named aspects (one, or a cluster's open ones with responses).
pub(super) fn reveal(
    cx: &Ctx,
    index: usize,
    aspects: &[Aspect],
    whole_cluster: bool,
) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let reveals = aspects_revealed(cx.state, index, aspects, whole_cluster)?;
    Ok(vec![Event::AspectsRevealed {
        track: index,
        reveals,
    }])
}

/// Shows the facilitator what revealing these aspects would show; the event says only that.
pub(super) fn preview(cx: &Ctx, index: usize, aspects: &[Aspect]) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let reveals = aspects_revealed(cx.state, index, aspects, aspects.len() > 1)?;
    Ok(vec![Event::AspectsPreviewed {
        track: index,
        aspects: reveals.iter().map(|r| r.aspect).collect(),
    }])
}

/// Records (or edits) the agreed text of a revealed aspect.
pub(super) fn agree(
    cx: &Ctx,
    index: usize,
    aspect: Aspect,
    text: Option<&FreeText>,
    resembles: Option<Form>,
) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let t = track(cx, index)?;
    let a = t.aspect(aspect);
    if !matches!(a.status, AspectStatus::Revealed | AspectStatus::Agreed) {
        return Err(Rejection::AspectNotRevealed);
    }
    super::negotiation::no_open_round(a)?;
    super::negotiation::not_blocked(a)?;
    // Without a text, the proposal: in a follow-up the earlier agreement, with the form it was
    // judged to resemble then unless the facilitator judges again.
    let (text, resembles) = match text {
        Some(t) => (t.as_str().to_owned(), resembles),
        None => (
            t.proposal(aspect, cx.state.language).0,
            resembles.or_else(|| t.carried(aspect).and_then(|c| c.form)),
        ),
    };
    let matches = form_of_principle(aspect, &text);
    let agreed = choice_key(matches, &text);
    let mut dissenting: Vec<OrgId> = Vec::new();
    if let Some(last) = a.reveals.last() {
        for r in &last.responses {
            // An advisor speaks, but does not dissent: it is not a partner to the agreement.
            if r.key() != agreed
                && !dissenting.contains(&r.organisation)
                && cx.state.is_partner(r.organisation)
            {
                dissenting.push(r.organisation);
            }
        }
    }
    Ok(vec![Event::AspectAgreed {
        track: index,
        aspect,
        // A principle of the model is its own form; only a text of the facilitator's own
        // takes their judgement of what it resembles.
        resembles: if matches.is_some() { None } else { resembles },
        matches,
        text,
        dissenting,
        consent_round: None,
    }])
}

pub(super) fn reopen(cx: &Ctx, index: usize, aspect: Aspect) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let a = track(cx, index)?.aspect(aspect);
    if a.status == AspectStatus::Open {
        return Err(Rejection::AspectAlreadyOpen);
    }
    super::negotiation::no_open_round(a)?;
    Ok(vec![Event::AspectReopened {
        track: index,
        aspect,
        round: a.round + 1,
    }])
}

pub(super) fn park(
    cx: &Ctx,
    index: usize,
    aspect: Aspect,
    reason: &FreeText,
    owner: Option<Owner>,
    due: Option<DueDate>,
) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let a = track(cx, index)?.aspect(aspect);
    if a.status == AspectStatus::Parked {
        return Err(Rejection::AspectAlreadyParked);
    }
    super::negotiation::no_open_round(a)?;
    check_owner(cx, owner)?;
    let mut events = vec![Event::AspectParked {
        track: index,
        aspect,
        reason: reason.as_str().to_owned(),
    }];
    let due = due.map(|d| d.date());
    if (owner, due) != (a.owner, a.due) {
        events.push(Event::OpenItemAssigned {
            track: index,
            aspect,
            owner,
            due,
        });
    }
    Ok(events)
}

/// An owner must be in the session: an organisation on the list, or a person not removed.
pub(super) fn check_owner(cx: &Ctx, owner: Option<Owner>) -> Result<(), Rejection> {
    match owner {
        Some(Owner::Organisation(o)) if !cx.state.active_organisations().any(|x| x.id == o) => {
            Err(Rejection::UnknownOrganisation)
        }
        Some(Owner::Participant(p)) if cx.state.active_participant(p).is_none() => {
            Err(Rejection::UnknownParticipant)
        }
        _ => Ok(()),
    }
}

/// Gives an aspect that is not agreed (open, revealed or parked) an owner and a due date, so
/// that the record shows who takes it up and by when.
pub(super) fn assign_open_item(
    cx: &Ctx,
    index: usize,
    aspect: Aspect,
    owner: Option<Owner>,
    due: Option<DueDate>,
) -> Result<Vec<Event>, Rejection> {
    // In review the partners approve a draft: it does not change under them.
    cx.facilitator_in(Phase::Design)?;
    let a = track(cx, index)?.aspect(aspect);
    if a.status == AspectStatus::Agreed {
        return Err(Rejection::AspectAgreed);
    }
    check_owner(cx, owner)?;
    let due = due.map(|d| d.date());
    if (owner, due) == (a.owner, a.due) {
        return Ok(Vec::new());
    }
    Ok(vec![Event::OpenItemAssigned {
        track: index,
        aspect,
        owner,
        due,
    }])
}
