//! Deciding the commands of the design phase: blind responses per aspect, their reveal, and
//! what the facilitator records (agreed, reopened, parked).

use super::Ctx;
use crate::model::{Aspect, form_of_principle};
use crate::session::design::{Response, choice_key};
use crate::session::event::Event;
use crate::session::ids::OrgId;
use crate::session::input::FreeText;
use crate::session::rejection::Rejection;
use crate::session::reveal::{aspects_revealed, status_name};
use crate::session::state::{AspectStatus, Track};
use crate::session::values::{Phase, Role};

fn track<'a>(cx: &Ctx<'a>, index: usize) -> Result<&'a Track, Rejection> {
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
) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let t = track(cx, index)?;
    let a = t.aspect(aspect);
    if !matches!(a.status, AspectStatus::Revealed | AspectStatus::Agreed) {
        return Err(Rejection::AspectNotRevealed);
    }
    let text = match text {
        Some(t) => t.as_str().to_owned(),
        None => aspect.principle(t.form).get(cx.state.language).to_owned(),
    };
    let matches = form_of_principle(aspect, &text);
    let agreed = choice_key(matches, &text);
    let mut dissenting: Vec<OrgId> = Vec::new();
    if let Some(last) = a.reveals.last() {
        for r in &last.responses {
            if r.key() != agreed && !dissenting.contains(&r.organisation) {
                dissenting.push(r.organisation);
            }
        }
    }
    Ok(vec![Event::AspectAgreed {
        track: index,
        aspect,
        matches,
        text,
        dissenting,
    }])
}

pub(super) fn reopen(cx: &Ctx, index: usize, aspect: Aspect) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let a = track(cx, index)?.aspect(aspect);
    if a.status == AspectStatus::Open {
        return Err(Rejection::AspectAlreadyOpen);
    }
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
) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let a = track(cx, index)?.aspect(aspect);
    if a.status == AspectStatus::Parked {
        return Err(Rejection::AspectAlreadyParked);
    }
    Ok(vec![Event::AspectParked {
        track: index,
        aspect,
        reason: reason.as_str().to_owned(),
    }])
}
