//! Proposals for a revealed aspect: put forward by a representative of a taking-part
//! organisation or by a facilitator, tagged by a facilitator, agreed on by a facilitator.

use super::Ctx;
use crate::model::{Aspect, Form, form_of_principle};
use crate::session::design::choice_key;
use crate::session::event::Event;
use crate::session::input::FreeText;
use crate::session::negotiation::{ProposalText, Source};
use crate::session::rejection::Rejection;
use crate::session::state::{AspectState, AspectStatus, Track};
use crate::session::values::{Limits, Phase, Role};

fn track<'a>(cx: &Ctx<'a>, index: usize) -> Result<&'a Track, Rejection> {
    cx.state.tracks.get(index).ok_or(Rejection::UnknownTrack)
}

/// The aspect, once revealed and not yet agreed: what there is to negotiate.
fn negotiable(t: &Track, aspect: Aspect) -> Result<&AspectState, Rejection> {
    let a = t.aspect(aspect);
    if a.status != AspectStatus::Revealed {
        return Err(Rejection::AspectNotRevealed);
    }
    Ok(a)
}

/// Puts a text forward as a proposal. The same text again in the same round changes nothing.
pub(super) fn propose(
    cx: &Ctx,
    limits: &Limits,
    index: usize,
    aspect: Aspect,
    source: Source,
    text: Option<&FreeText>,
) -> Result<Vec<Event>, Rejection> {
    cx.in_phase(Phase::Design)?;
    let t = track(cx, index)?;
    if cx.sender.role == Role::Representative {
        let org = cx.sender.organisation.ok_or(Rejection::NotAParticipant)?;
        if !t.includes(org) {
            return Err(Rejection::NotInTrack);
        }
    } else {
        cx.need(Role::Facilitator)?;
    }
    let a = negotiable(t, aspect)?;
    let lang = cx.state.language;
    let own = |text: Option<&FreeText>| text.map(|x| x.as_str().to_owned()).unwrap_or_default();
    let (text, matches) = match source {
        Source::Principle { form } => (aspect.principle(form).get(lang).to_owned(), Some(form)),
        Source::Response { participant } => {
            let r = a
                .reveals
                .last()
                .filter(|r| r.round == a.round)
                .and_then(|r| r.responses.iter().find(|x| x.participant == participant))
                // "No longer true" stands for no text: there is nothing to put forward.
                .filter(|r| !r.text.is_empty())
                .ok_or(Rejection::NoSuchResponse)?;
            (r.text.clone(), r.form)
        }
        Source::Own => {
            let text = own(text);
            let m = form_of_principle(aspect, &text);
            (text, m)
        }
        Source::Amendment { of } => {
            a.proposal(of).ok_or(Rejection::UnknownProposal)?;
            let text = own(text);
            let m = form_of_principle(aspect, &text);
            (text, m)
        }
    };
    let key = choice_key(matches, &text);
    let same = a.proposals.iter().any(|p| {
        p.proposal.round == a.round && choice_key(p.proposal.matches, &p.proposal.text) == key
    });
    if same {
        return Ok(Vec::new());
    }
    if a.proposals.len() >= limits.max_proposals {
        return Err(Rejection::TooManyProposals(limits.max_proposals));
    }
    let id = a.proposals.iter().map(|p| p.proposal.id).max().unwrap_or(0) + 1;
    Ok(vec![Event::ProposalMade {
        track: index,
        aspect,
        proposal: ProposalText {
            id,
            round: a.round,
            source,
            text,
            matches,
            resembles: None,
        },
    }])
}

/// The facilitator's judgement of the form a proposal that is no principle resembles.
pub(super) fn tag(
    cx: &Ctx,
    index: usize,
    aspect: Aspect,
    id: u32,
    form: Option<Form>,
) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let a = track(cx, index)?.aspect(aspect);
    let p = a.proposal(id).ok_or(Rejection::UnknownProposal)?;
    if p.proposal.matches.is_some() {
        return Err(Rejection::NotOwnWords);
    }
    if p.proposal.resembles == form {
        return Ok(Vec::new());
    }
    Ok(vec![Event::ProposalTagged {
        track: index,
        aspect,
        proposal: id,
        form,
    }])
}

/// Agrees a revealed aspect on one of its proposals of this round: its text, and the form the
/// facilitator judged it to resemble.
pub(super) fn agree(
    cx: &Ctx,
    index: usize,
    aspect: Aspect,
    id: u32,
) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let t = track(cx, index)?;
    let a = t.aspect(aspect);
    if !matches!(a.status, AspectStatus::Revealed | AspectStatus::Agreed) {
        return Err(Rejection::AspectNotRevealed);
    }
    let p = a
        .proposal(id)
        .filter(|p| p.proposal.round == a.round)
        .ok_or(Rejection::UnknownProposal)?;
    let text = FreeText::parse("text", &p.proposal.text).map_err(|_| Rejection::UnknownProposal)?;
    super::design::agree(cx, index, aspect, Some(&text), p.proposal.resembles)
}
