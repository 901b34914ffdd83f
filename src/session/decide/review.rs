//! Deciding the review: the draft record shown to all, each organisation's approval or
//! objection, and the closing.

use super::Ctx;
use crate::session::diagnosis::Mode;
use crate::session::event::Event;
use crate::session::ids::OrgId;
use crate::session::input::FreeText;
use crate::session::rejection::Rejection;
use crate::session::values::AspectRef;
use crate::session::values::{Phase, Role};

pub(super) fn open(cx: &Ctx) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(cx.state.work_phase())?;
    Ok(vec![Event::PhaseChanged {
        phase: Phase::Review,
        tracks: Vec::new(),
    }])
}

/// Back from review to design: the draft is to change, so the approvals so far go.
pub(super) fn back_to_design(cx: &Ctx) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Review)?;
    Ok(vec![Event::PhaseChanged {
        phase: cx.state.work_phase(),
        tracks: Vec::new(),
    }])
}

fn sender_organisation(cx: &Ctx) -> Result<OrgId, Rejection> {
    cx.need(Role::Representative)?;
    cx.in_phase(Phase::Review)?;
    cx.sender.organisation.ok_or(Rejection::NotAParticipant)
}

/// An organisation approves one track, or everything it has not approved yet. An advisor does
/// not approve: the record is the partners'.
pub(super) fn approve(cx: &Ctx, track: Option<usize>) -> Result<Vec<Event>, Rejection> {
    let organisation = sender_organisation(cx)?;
    if !cx.state.is_partner(organisation) {
        return Err(Rejection::AdvisorDoesNotApprove);
    }
    let approved = cx.state.approved_tracks(organisation);
    let tracks = match track {
        Some(i) => {
            let t = cx.state.tracks.get(i).ok_or(Rejection::UnknownTrack)?;
            if !t.includes(organisation) {
                return Err(Rejection::NotInTrack);
            }
            if approved.contains(&i) {
                return Err(Rejection::AlreadyApproved);
            }
            vec![i]
        }
        None => {
            if cx.state.has_approved(organisation) {
                return Err(Rejection::AlreadyApproved);
            }
            cx.state
                .tracks_of(organisation)
                .into_iter()
                .filter(|i| !approved.contains(i))
                .collect()
        }
    };
    Ok(vec![Event::Approved {
        organisation,
        tracks,
    }])
}

pub(super) fn object(
    cx: &Ctx,
    reason: &FreeText,
    aspects: &[AspectRef],
) -> Result<Vec<Event>, Rejection> {
    let organisation = sender_organisation(cx)?;
    // The record is the partners': an advisor neither approves nor objects.
    if !cx.state.is_partner(organisation) {
        return Err(Rejection::AdvisorDoesNotApprove);
    }
    let mut named: Vec<AspectRef> = Vec::new();
    for r in aspects {
        // A diagnosis has no tracks: its aspects are named as those of track 0.
        if cx.state.mode() == Mode::Diagnosis {
            if r.track != 0 {
                return Err(Rejection::UnknownTrack);
            }
        } else if !cx
            .state
            .tracks
            .get(r.track)
            .ok_or(Rejection::UnknownTrack)?
            .includes(organisation)
        {
            return Err(Rejection::NotInTrack);
        }
        if !named.contains(r) {
            named.push(*r);
        }
    }
    Ok(vec![Event::ObjectionRaised {
        organisation,
        reason: reason.as_str().to_owned(),
        aspects: named,
    }])
}

pub(super) fn close(cx: &Ctx, force: bool) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Review)?;
    let expected = cx.state.approving_organisations();
    let approved: Vec<OrgId> = expected
        .iter()
        .copied()
        .filter(|o| cx.state.has_approved(*o))
        .collect();
    let not_approved: Vec<OrgId> = expected
        .into_iter()
        .filter(|o| !approved.contains(o))
        .collect();
    if !not_approved.is_empty() && !force {
        return Err(Rejection::NotAllApproved(not_approved.len()));
    }
    Ok(vec![Event::SessionClosed {
        forced: !not_approved.is_empty(),
        approved,
        not_approved,
    }])
}
