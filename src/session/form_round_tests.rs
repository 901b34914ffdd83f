//! The form decision put to a consent round in alignment, pinned on the pure core: answers
//! blind until the round closes, standing aside instead of dissent, an objection that blocks,
//! a forced close, an override that names the objectors, and the refusals that change nothing.

use super::negotiation::{Consent, Outcome};
use super::tests::{Fixture, disagreeing_in, json_for, oid, pid};
use super::*;
use crate::model::Form;

fn because(s: &str) -> FreeText {
    FreeText::parse("rationale", s).unwrap()
}

fn call(f: &mut Fixture, form: Form) -> Result<Vec<Event>, Rejection> {
    f.fac(Command::CallFormRound {
        form,
        rationale: because("Service first"),
    })
}

fn answer(f: &mut Fixture, by: u128, consent: Consent) -> Result<Vec<Event>, Rejection> {
    f.run(Some(pid(by)), Command::AnswerFormRound { consent })
}

fn concern(s: &str) -> Consent {
    Consent::Concern { text: s.into() }
}

fn object(s: &str) -> Consent {
    Consent::Object { reason: s.into() }
}

fn decided(f: &Fixture) -> Option<(Form, Vec<OrgId>)> {
    match f.state.resolutions.last()? {
        state::Resolution::Decided {
            form, dissenting, ..
        } => Some((*form, dissenting.clone())),
        _ => None,
    }
}

#[test]
fn a_partner_that_stands_aside_is_not_recorded_as_dissent() {
    let mut f = disagreeing_in(diagnosis::Mode::Design);
    call(&mut f, Form::Functional).unwrap();
    answer(&mut f, 10, Consent::Consent).unwrap();
    answer(&mut f, 20, concern("We would rather innovate")).unwrap();
    // Blind: Tess's colleague and the other partners see only that the ICT provider answered.
    assert!(json_for(&f, pid(20)).contains("We would rather innovate"));
    for other in [1, 10, 11, 30] {
        assert!(
            !json_for(&f, pid(other)).contains("We would rather innovate"),
            "{other} sees an unrevealed answer"
        );
    }
    assert_eq!(decided(&f), None, "not decided before the last answer");
    let events = answer(&mut f, 30, Consent::Consent).unwrap();
    assert_eq!(events.len(), 3, "answered, closed, decided: {events:?}");
    let end = f.state.form_rounds[0].closed.clone().unwrap();
    assert_eq!(end.outcome, Outcome::ConsentWithConcerns);
    assert!(!end.forced);
    assert_eq!(
        end.answers
            .iter()
            .map(|a| a.organisation)
            .collect::<Vec<_>>(),
        vec![oid(1), oid(2), oid(3)],
        "in the list's order"
    );
    assert!(json_for(&f, pid(30)).contains("We would rather innovate"));
    assert_eq!(
        decided(&f),
        Some((Form::Functional, vec![])),
        "the ICT provider stood aside: no dissent, where decide_form would have named it"
    );
    f.fac(Command::StartDesign).unwrap();
    assert_eq!(f.state.tracks[0].form, Form::Functional);
}

#[test]
fn an_objection_blocks_until_another_round_or_an_override_naming_the_objectors() {
    let mut f = disagreeing_in(diagnosis::Mode::Design);
    call(&mut f, Form::Functional).unwrap();
    answer(&mut f, 10, Consent::Consent).unwrap();
    answer(&mut f, 20, object("This stops the new products")).unwrap();
    answer(&mut f, 30, Consent::Consent).unwrap();
    assert_eq!(
        f.state.form_rounds[0].closed.as_ref().unwrap().outcome,
        Outcome::Blocked
    );
    assert_eq!(decided(&f), None);
    assert_eq!(
        f.fac(Command::StartDesign).unwrap_err().code(),
        "gate_closed"
    );
    // Another round on another form; the facilitator closes it with one answer (forced).
    call(&mut f, Form::Entrepreneurial).unwrap();
    answer(&mut f, 30, object("Too risky for us")).unwrap();
    f.fac(Command::CloseFormRound).unwrap();
    let second = f.state.form_rounds[1].closed.clone().unwrap();
    assert!(second.forced);
    assert_eq!(second.outcome, Outcome::Blocked);
    f.fac(Command::OverrideFormRound {
        rationale: because("The steering group chose innovation"),
    })
    .unwrap();
    assert_eq!(decided(&f), Some((Form::Entrepreneurial, vec![oid(3)])));
    assert_eq!(
        f.state.form_rounds[1]
            .closed
            .as_ref()
            .unwrap()
            .overridden
            .as_deref(),
        Some("The steering group chose innovation")
    );
    let again = f.fac(Command::OverrideFormRound {
        rationale: because("Again"),
    });
    assert_eq!(again.unwrap_err().code(), "not_blocked");
}

#[test]
fn while_a_form_round_is_open_nothing_else_resolves_the_alignment() {
    let mut f = disagreeing_in(diagnosis::Mode::Design);
    assert_eq!(
        answer(&mut f, 10, Consent::Consent).unwrap_err().code(),
        "no_open_round"
    );
    assert_eq!(
        f.fac(Command::CloseFormRound).unwrap_err().code(),
        "no_open_round"
    );
    assert_eq!(
        f.fac(Command::OverrideFormRound {
            rationale: because("x")
        })
        .unwrap_err()
        .code(),
        "not_blocked"
    );
    call(&mut f, Form::Functional).unwrap();
    answer(&mut f, 10, Consent::Consent).unwrap();
    let before = f.state.clone();
    for c in [
        Command::DecideForm {
            form: Form::Functional,
            rationale: because("x"),
        },
        Command::NewRound,
        Command::StartDesign,
        Command::CallFormRound {
            form: Form::Functional,
            rationale: because("x"),
        },
        Command::OverrideFormRound {
            rationale: because("x"),
        },
    ] {
        let name = c.name();
        assert_eq!(f.fac(c).unwrap_err().code(), "round_open", "{name}");
    }
    assert_eq!(
        f.run(
            Some(pid(20)),
            Command::CallFormRound {
                form: Form::Functional,
                rationale: because("x"),
            },
        )
        .unwrap_err()
        .code(),
        "forbidden"
    );
    assert_eq!(f.state, before, "refusals change nothing");
    // Tom's answer for Telecom replaces Tess's; the same answer again changes nothing.
    answer(&mut f, 11, concern("Costs")).unwrap();
    assert_eq!(f.state.form_consents[&oid(1)].0, pid(11));
    assert!(answer(&mut f, 11, concern("Costs")).unwrap().is_empty());
    assert_eq!(f.state.form_rounds[0].answered, vec![oid(1)]);
    // A removed representative's answer leaves with them.
    f.fac(Command::RemoveParticipant {
        participant: pid(11),
    })
    .unwrap();
    assert!(f.state.form_consents.is_empty());
    assert!(f.state.form_rounds[0].answered.is_empty());
}

#[test]
fn an_advisor_does_not_answer_a_form_round() {
    use crate::model::{Intent, Nature};
    let mut f = Fixture::three_orgs();
    f.fac(Command::SetAdvisor {
        organisation: oid(3),
        advisor: true,
    })
    .unwrap();
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(11, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
    call(&mut f, Form::Functional).unwrap();
    assert_eq!(
        answer(&mut f, 30, Consent::Consent).unwrap_err().code(),
        "advisor_does_not_consent"
    );
    answer(&mut f, 10, Consent::Consent).unwrap();
    let events = answer(&mut f, 20, Consent::Consent).unwrap();
    assert_eq!(events.len(), 3, "the two partners decide: {events:?}");
    assert_eq!(decided(&f), Some((Form::Functional, vec![])));
}
