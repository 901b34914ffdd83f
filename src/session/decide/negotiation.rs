//! Proposals for a revealed aspect: put forward by a representative of a taking-part
//! organisation or by a facilitator, tagged by a facilitator, agreed on by a facilitator.

use super::Ctx;
use super::design::track;
use crate::model::{Aspect, Form, form_of_principle};
use crate::session::design::choice_key;
use crate::session::event::Event;
use crate::session::ids::OrgId;
use crate::session::input::FreeText;
use crate::session::negotiation::{
    Consent, ConsentRound, Outcome, ProposalText, RoundAnswer, Source,
};
use crate::session::rejection::Rejection;
use crate::session::state::{AspectState, AspectStatus, Track};
use crate::session::values::{Limits, Phase, Role};

/// An open round's answers per organisation, by the representative who gave each.
pub(super) type Answers =
    std::collections::BTreeMap<OrgId, (crate::session::ParticipantId, Consent)>;

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

// ---------------------------------------------------------------- consent rounds

/// Refuses while the aspect has an open consent round: it decides the aspect first.
pub(super) fn no_open_round(a: &AspectState) -> Result<(), Rejection> {
    if a.open_round().is_some() {
        return Err(Rejection::RoundOpen);
    }
    Ok(())
}

/// Refuses a decision without a round while the aspect's last round, in its current round of
/// responses, ended in an objection that was not overridden: the objection stands until a new
/// round, a parking or an override deals with it.
pub(super) fn not_blocked(a: &AspectState) -> Result<(), Rejection> {
    let blocked = a.rounds.last().is_some_and(|r| {
        r.closed.as_ref().is_some_and(|e| e.blocks())
            && a.proposal(r.proposal)
                .is_some_and(|p| p.proposal.round == a.round)
    });
    if blocked {
        return Err(Rejection::Blocked);
    }
    Ok(())
}

/// The organisations a round waits for: partners taking part in the track, with a
/// representative (as approvals count them).
fn expected(cx: &Ctx, t: &Track) -> Vec<OrgId> {
    cx.state
        .approving_organisations()
        .into_iter()
        .filter(|o| t.includes(*o))
        .collect()
}

/// Puts a proposal of the aspect's current round to a consent round.
pub(super) fn call(
    cx: &Ctx,
    index: usize,
    aspect: Aspect,
    id: u32,
) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let a = negotiable(track(cx, index)?, aspect)?;
    no_open_round(a)?;
    a.proposal(id)
        .filter(|p| p.proposal.round == a.round)
        .ok_or(Rejection::UnknownProposal)?;
    Ok(vec![Event::RoundCalled {
        track: index,
        aspect,
        round: a.rounds.len() as u32 + 1,
        proposal: id,
    }])
}

/// An organisation's answer; the round closes by itself once every organisation answered.
pub(super) fn answer(
    cx: &Ctx,
    index: usize,
    aspect: Aspect,
    consent: &Consent,
) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Representative)?;
    cx.in_phase(Phase::Design)?;
    let t = track(cx, index)?;
    let org = cx.sender.organisation.ok_or(Rejection::NotAParticipant)?;
    if !t.includes(org) {
        return Err(Rejection::NotInTrack);
    }
    if !cx.state.is_partner(org) {
        return Err(Rejection::AdvisorDoesNotConsent);
    }
    let a = t.aspect(aspect);
    let round = a.open_round().ok_or(Rejection::NoOpenRound)?;
    if a.consents.get(&org) == Some(&(cx.sender.id, consent.clone())) {
        return Ok(Vec::new());
    }
    let mut events = vec![Event::RoundAnswered {
        track: index,
        aspect,
        round: round.number,
        organisation: org,
        participant: cx.sender.id,
        consent: consent.clone(),
    }];
    let mut answers = a.consents.clone();
    answers.insert(org, (cx.sender.id, consent.clone()));
    if expected(cx, t).iter().all(|o| answers.contains_key(o)) {
        events.extend(close_with(cx, t, index, aspect, &answers, false)?);
    }
    Ok(events)
}

/// Closes the open round by the facilitator: forced when not every organisation answered.
pub(super) fn close(cx: &Ctx, index: usize, aspect: Aspect) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let t = track(cx, index)?;
    let a = t.aspect(aspect);
    a.open_round().ok_or(Rejection::NoOpenRound)?;
    let forced = !expected(cx, t).iter().all(|o| a.consents.contains_key(o));
    close_with(cx, t, index, aspect, &a.consents, forced)
}

/// The round's end: every answer revealed, and, without an objection, the agreement.
fn close_with(
    cx: &Ctx,
    t: &Track,
    index: usize,
    aspect: Aspect,
    answers: &Answers,
    forced: bool,
) -> Result<Vec<Event>, Rejection> {
    let a = t.aspect(aspect);
    let round = a.open_round().ok_or(Rejection::NoOpenRound)?;
    let answers = in_list_order(cx, answers);
    let outcome = Outcome::of(&answers);
    let mut events = vec![Event::RoundClosed {
        track: index,
        aspect,
        round: round.number,
        forced,
        answers,
        outcome,
    }];
    if matches!(outcome, Outcome::Consent | Outcome::ConsentWithConcerns) {
        events.push(agreed_on(a, index, aspect, round, Vec::new())?);
    }
    Ok(events)
}

/// A round's answers, in the organisations' list order, so every view and the record name
/// them alike.
pub(super) fn in_list_order(cx: &Ctx, answers: &Answers) -> Vec<RoundAnswer> {
    cx.state
        .organisations
        .iter()
        .filter_map(|o| {
            let (participant, consent) = answers.get(&o.id)?;
            Some(RoundAnswer {
                organisation: o.id,
                participant: *participant,
                consent: consent.clone(),
            })
        })
        .collect()
}

/// The agreement on a round's proposal: its text and form; `dissenting` those who objected.
fn agreed_on(
    a: &AspectState,
    index: usize,
    aspect: Aspect,
    round: &ConsentRound,
    dissenting: Vec<OrgId>,
) -> Result<Event, Rejection> {
    let p = &a
        .proposal(round.proposal)
        .ok_or(Rejection::UnknownProposal)?
        .proposal;
    Ok(Event::AspectAgreed {
        track: index,
        aspect,
        text: p.text.clone(),
        matches: p.matches,
        resembles: if p.matches.is_some() {
            None
        } else {
            p.resembles
        },
        dissenting,
        consent_round: Some(round.number),
    })
}

/// Agrees on a blocked round's proposal all the same; the objectors are the dissent.
pub(super) fn override_round(
    cx: &Ctx,
    index: usize,
    aspect: Aspect,
    rationale: &FreeText,
) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Design)?;
    let a = negotiable(track(cx, index)?, aspect)?;
    no_open_round(a)?;
    let round = a
        .rounds
        .last()
        .filter(|r| r.closed.as_ref().is_some_and(|e| e.blocks()))
        .ok_or(Rejection::NotBlocked)?;
    let objectors = round
        .closed
        .as_ref()
        .map(|e| e.objectors())
        .unwrap_or_default();
    Ok(vec![
        Event::RoundOverridden {
            track: index,
            aspect,
            round: round.number,
            rationale: rationale.as_str().to_owned(),
        },
        agreed_on(a, index, aspect, round, objectors)?,
    ])
}
