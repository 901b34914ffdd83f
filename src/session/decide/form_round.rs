//! The form decision put to a consent round in alignment: the facilitator proposes a form,
//! each partner organisation consents, stands aside with a concern, or objects. Without an
//! objection the form is decided with no dissent; an objection blocks it until the facilitator
//! calls another round, decides otherwise, or overrides with a rationale (the objectors are
//! the dissent).

use super::Ctx;
use super::negotiation::{Answers, in_list_order};
use crate::model::Form;
use crate::session::event::Event;
use crate::session::input::FreeText;
use crate::session::negotiation::{Consent, FormRound, Outcome};
use crate::session::rejection::Rejection;
use crate::session::values::{Phase, Role};

/// Refuses while a form round is open: it decides the alignment first.
pub(super) fn no_open_form_round(cx: &Ctx) -> Result<(), Rejection> {
    if cx.state.open_form_round().is_some() {
        return Err(Rejection::RoundOpen);
    }
    Ok(())
}

pub(super) fn call(cx: &Ctx, form: Form, rationale: &FreeText) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Alignment)?;
    no_open_form_round(cx)?;
    Ok(vec![Event::FormRoundCalled {
        round: cx.state.form_rounds.len() as u32 + 1,
        form,
        rationale: rationale.as_str().to_owned(),
    }])
}

/// An organisation's answer; the round closes by itself once every partner answered.
pub(super) fn answer(cx: &Ctx, consent: &Consent) -> Result<Vec<Event>, Rejection> {
    cx.need(Role::Representative)?;
    cx.in_phase(Phase::Alignment)?;
    let org = cx.sender.organisation.ok_or(Rejection::NotAParticipant)?;
    if !cx.state.is_partner(org) {
        return Err(Rejection::AdvisorDoesNotConsent);
    }
    let round = cx.state.open_form_round().ok_or(Rejection::NoOpenRound)?;
    let answers = &cx.state.form_consents;
    if answers.get(&org) == Some(&(cx.sender.id, consent.clone())) {
        return Ok(Vec::new());
    }
    let mut events = vec![Event::FormRoundAnswered {
        round: round.number,
        organisation: org,
        participant: cx.sender.id,
        consent: consent.clone(),
    }];
    let mut answers = answers.clone();
    answers.insert(org, (cx.sender.id, consent.clone()));
    if everyone_answered(cx, &answers) {
        events.extend(close_with(cx, round, &answers, false));
    }
    Ok(events)
}

fn everyone_answered(cx: &Ctx, answers: &Answers) -> bool {
    cx.state
        .approving_organisations()
        .iter()
        .all(|o| answers.contains_key(o))
}

pub(super) fn close(cx: &Ctx) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Alignment)?;
    let round = cx.state.open_form_round().ok_or(Rejection::NoOpenRound)?;
    let answers = &cx.state.form_consents;
    Ok(close_with(
        cx,
        round,
        answers,
        !everyone_answered(cx, answers),
    ))
}

fn close_with(cx: &Ctx, round: &FormRound, answers: &Answers, forced: bool) -> Vec<Event> {
    let answers = in_list_order(cx, answers);
    let outcome = Outcome::of(&answers);
    let mut events = vec![Event::FormRoundClosed {
        round: round.number,
        forced,
        answers,
        outcome,
    }];
    if matches!(outcome, Outcome::Consent | Outcome::ConsentWithConcerns) {
        // Those who stood aside consented: nobody dissents from a form agreed by consent.
        events.push(Event::FormDecided {
            form: round.form,
            rationale: round.rationale.clone(),
            dissenting: Vec::new(),
        });
    }
    events
}

/// Decides a blocked round's form all the same; the objectors are the dissent.
pub(super) fn override_round(cx: &Ctx, rationale: &FreeText) -> Result<Vec<Event>, Rejection> {
    cx.facilitator_in(Phase::Alignment)?;
    no_open_form_round(cx)?;
    let round = cx
        .state
        .form_rounds
        .last()
        .filter(|r| r.positioning == cx.state.round)
        .filter(|r| r.closed.as_ref().is_some_and(|e| e.blocks()))
        .ok_or(Rejection::NotBlocked)?;
    let dissenting = round
        .closed
        .as_ref()
        .map(|e| e.objectors())
        .unwrap_or_default();
    Ok(vec![
        Event::FormRoundOverridden {
            round: round.number,
            rationale: rationale.as_str().to_owned(),
        },
        Event::FormDecided {
            form: round.form,
            rationale: round.rationale.clone(),
            dissenting,
        },
    ])
}
