//! Proposals for a revealed aspect, each rule pinned by a test on the pure core: the four
//! sources, amendments as new versions, the facilitator's tag, agreeing on a proposal, and the
//! refusals that change nothing.

use super::design_tests::{designing, respond, reveal};
use super::negotiation::Source;
use super::tests::{Fixture, pid};
use super::*;
use crate::model::{Aspect, Form};

fn text(s: &str) -> FreeText {
    FreeText::parse("text", s).unwrap()
}

fn propose(
    f: &mut Fixture,
    by: u128,
    source: Source,
    t: Option<&str>,
) -> Result<Vec<Event>, Rejection> {
    f.run(
        Some(pid(by)),
        Command::Propose {
            track: 0,
            aspect: Aspect::Contracting,
            source,
            text: t.map(text),
        },
    )
}

fn revealed() -> Fixture {
    let mut f = designing();
    respond(&mut f, 10, 0, Aspect::Contracting, Choice::Accept).unwrap();
    respond(
        &mut f,
        20,
        0,
        Aspect::Contracting,
        Choice::Own {
            text: text("A covenant"),
        },
    )
    .unwrap();
    f
}

#[test]
fn proposals_come_after_the_reveal_from_principles_responses_own_texts_and_amendments() {
    let mut f = revealed();
    let r = propose(&mut f, 10, Source::Own, Some("Too early")).unwrap_err();
    assert_eq!(r.code(), "aspect_not_revealed");
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    propose(
        &mut f,
        10,
        Source::Principle {
            form: Form::Entrepreneurial,
        },
        None,
    )
    .unwrap();
    propose(
        &mut f,
        1,
        Source::Response {
            participant: pid(20),
        },
        None,
    )
    .unwrap();
    propose(
        &mut f,
        30,
        Source::Own,
        Some("An SLA with a development annex"),
    )
    .unwrap();
    propose(
        &mut f,
        11,
        Source::Amendment { of: 3 },
        Some("An SLA with a joint development annex"),
    )
    .unwrap();
    // The same text again in the same round changes nothing.
    assert!(
        propose(&mut f, 20, Source::Own, Some("A covenant"))
            .unwrap()
            .is_empty()
    );
    let r = propose(
        &mut f,
        10,
        Source::Response {
            participant: pid(30),
        },
        None,
    )
    .unwrap_err();
    assert_eq!(r.code(), "no_such_response", "Carla did not respond");
    let r = propose(&mut f, 10, Source::Amendment { of: 9 }, Some("x")).unwrap_err();
    assert_eq!(r.code(), "unknown_proposal");
    let a = f.state.tracks[0].aspect(Aspect::Contracting);
    let list: Vec<_> = a
        .proposals
        .iter()
        .map(|p| (p.proposal.id, p.proposal.matches, p.by))
        .collect();
    assert_eq!(
        list,
        [
            (1, Some(Form::Entrepreneurial), Some(pid(10))),
            (2, None, Some(pid(1))),
            (3, None, Some(pid(30))),
            (4, None, Some(pid(11)))
        ]
    );
    assert_eq!(a.proposals[3].proposal.source, Source::Amendment { of: 3 });
    assert_eq!(
        a.proposals[2].proposal.text, "An SLA with a development annex",
        "the amended one stays"
    );
}

#[test]
fn a_facilitator_tags_and_agrees_on_a_proposal() {
    let mut f = revealed();
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    propose(
        &mut f,
        10,
        Source::Principle {
            form: Form::Entrepreneurial,
        },
        None,
    )
    .unwrap();
    propose(
        &mut f,
        30,
        Source::Own,
        Some("An SLA with a development annex"),
    )
    .unwrap();
    let tag = |form| Command::TagProposal {
        track: 0,
        aspect: Aspect::Contracting,
        proposal: 2,
        form,
    };
    let before = f.state.clone();
    let r = f
        .run(Some(pid(10)), tag(Some(Form::Functional)))
        .unwrap_err();
    assert_eq!(r.code(), "forbidden");
    assert_eq!(f.state, before, "a refusal changes nothing");
    let r = f
        .fac(Command::TagProposal {
            track: 0,
            aspect: Aspect::Contracting,
            proposal: 1,
            form: None,
        })
        .unwrap_err();
    assert_eq!(r.code(), "not_own_words", "a principle is its own form");
    f.fac(tag(Some(Form::Functional))).unwrap();
    assert!(
        f.fac(tag(Some(Form::Functional))).unwrap().is_empty(),
        "the same tag again"
    );
    f.fac(Command::AgreeProposal {
        track: 0,
        aspect: Aspect::Contracting,
        proposal: 2,
    })
    .unwrap();
    let ag = f.state.tracks[0]
        .aspect(Aspect::Contracting)
        .agreement
        .clone()
        .unwrap();
    assert_eq!(ag.text, "An SLA with a development annex");
    assert_eq!(ag.resembles, Some(Form::Functional));
    assert_eq!(
        ag.dissenting.len(),
        2,
        "both responses stood for something else"
    );
    // After a reopen, the earlier round's proposals are history, not choices.
    f.fac(Command::ReopenAspect {
        track: 0,
        aspect: Aspect::Contracting,
    })
    .unwrap();
    respond(&mut f, 10, 0, Aspect::Contracting, Choice::Accept).unwrap();
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    let r = f
        .fac(Command::AgreeProposal {
            track: 0,
            aspect: Aspect::Contracting,
            proposal: 1,
        })
        .unwrap_err();
    assert_eq!(r.code(), "unknown_proposal");
    assert_eq!(
        f.state.tracks[0]
            .aspect(Aspect::Contracting)
            .proposals
            .len(),
        2,
        "history stays"
    );
    assert_eq!(State::from_log(&f.log), f.state);
}

fn round_cmd(c: &str, p: u32) -> Command {
    match c {
        "call" => Command::CallRound {
            track: 0,
            aspect: Aspect::Contracting,
            proposal: p,
        },
        _ => Command::CloseRound {
            track: 0,
            aspect: Aspect::Contracting,
        },
    }
}

fn answer(
    f: &mut Fixture,
    by: u128,
    consent: negotiation::Consent,
) -> Result<Vec<Event>, Rejection> {
    f.run(
        Some(pid(by)),
        Command::AnswerRound {
            track: 0,
            aspect: Aspect::Contracting,
            consent,
        },
    )
}

fn with_a_proposal() -> Fixture {
    let mut f = revealed();
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    propose(
        &mut f,
        30,
        Source::Own,
        Some("An SLA with a development annex"),
    )
    .unwrap();
    f
}

#[test]
fn a_consent_round_is_blind_until_every_organisation_answered_then_agrees() {
    use negotiation::{Consent, Outcome};
    let mut f = with_a_proposal();
    f.fac(round_cmd("call", 1)).unwrap();
    assert_eq!(
        f.fac(round_cmd("call", 1)).unwrap_err().code(),
        "round_open"
    );
    let agree = Command::AgreeProposal {
        track: 0,
        aspect: Aspect::Contracting,
        proposal: 1,
    };
    assert_eq!(
        f.fac(agree).unwrap_err().code(),
        "round_open",
        "the round decides first"
    );
    answer(&mut f, 10, Consent::Consent).unwrap();
    // Tom answers for the same organisation: his answer replaces Tess's.
    answer(
        &mut f,
        11,
        Consent::Concern {
            text: "Mind the costs".into(),
        },
    )
    .unwrap();
    answer(&mut f, 20, Consent::Consent).unwrap();
    let a = f.state.tracks[0].aspect(Aspect::Contracting);
    assert_eq!(
        a.rounds[0].answered.len(),
        2,
        "that they answered, publicly"
    );
    assert!(a.rounds[0].closed.is_none());
    let board = serde_json::to_string(&view::snapshot(
        &f.state,
        Viewer {
            participant: pid(20),
            role: Role::Representative,
        },
    ))
    .unwrap();
    assert!(
        !board.contains("Mind the costs"),
        "blind until the round closes"
    );
    let events = answer(&mut f, 30, Consent::Consent).unwrap();
    assert!(
        matches!(
            events[1],
            Event::RoundClosed {
                outcome: Outcome::ConsentWithConcerns,
                forced: false,
                ..
            }
        ),
        "{events:?}"
    );
    let a = f.state.tracks[0].aspect(Aspect::Contracting);
    assert_eq!(a.status, AspectStatus::Agreed);
    assert_eq!(
        a.agreement.as_ref().unwrap().text,
        "An SLA with a development annex"
    );
    assert_eq!(
        a.agreement.as_ref().unwrap().consent_round,
        Some(1),
        "agreed by the round, not typed by the facilitator"
    );
    let end = a.rounds[0].closed.as_ref().unwrap();
    assert_eq!(end.answers.len(), 3);
    assert_eq!(
        end.answers[0].participant,
        pid(11),
        "the organisation's last answer counts"
    );
    assert_eq!(State::from_log(&f.log), f.state);
}

#[test]
fn an_objection_blocks_until_the_facilitator_amends_or_overrides() {
    use negotiation::{Consent, Outcome};
    let mut f = with_a_proposal();
    assert_eq!(
        answer(&mut f, 10, Consent::Consent).unwrap_err().code(),
        "no_open_round"
    );
    f.fac(round_cmd("call", 1)).unwrap();
    answer(
        &mut f,
        20,
        Consent::Object {
            reason: "No development in an SLA".into(),
        },
    )
    .unwrap();
    // A checkpoint keeps the blind answer beside the state.
    let back = state::decode_checkpoint(&state::encode_checkpoint(&f.state)).unwrap();
    assert_eq!(back, f.state);
    let events = f.fac(round_cmd("close", 0)).unwrap();
    assert!(matches!(
        events[0],
        Event::RoundClosed {
            outcome: Outcome::Blocked,
            forced: true,
            ..
        }
    ));
    assert_eq!(
        f.state.tracks[0].aspect(Aspect::Contracting).status,
        AspectStatus::Revealed
    );
    // The objection is not typed away: a decision without a round is refused.
    for c in [
        Command::AgreeProposal {
            track: 0,
            aspect: Aspect::Contracting,
            proposal: 1,
        },
        Command::AgreeAspect {
            track: 0,
            aspect: Aspect::Contracting,
            text: Some(text("Something else")),
            resembles: None,
        },
    ] {
        assert_eq!(f.fac(c).unwrap_err().code(), "blocked");
    }
    let over = |why: &str| Command::OverrideRound {
        track: 0,
        aspect: Aspect::Contracting,
        rationale: text(why),
    };
    // Amend and call a new round; or override with a reason, which the dissent shows.
    propose(
        &mut f,
        1,
        Source::Amendment { of: 1 },
        Some("An SLA with a joint development annex"),
    )
    .unwrap();
    f.fac(round_cmd("call", 2)).unwrap();
    assert_eq!(f.fac(over("x")).unwrap_err().code(), "round_open");
    f.fac(round_cmd("close", 0)).unwrap();
    let a = f.state.tracks[0].aspect(Aspect::Contracting);
    assert_eq!(
        a.rounds[1].closed.as_ref().unwrap().outcome,
        Outcome::NoAnswers
    );
    assert_eq!(
        f.fac(over("x")).unwrap_err().code(),
        "not_blocked",
        "the last round was not blocked"
    );
    f.fac(round_cmd("call", 1)).unwrap();
    answer(
        &mut f,
        20,
        Consent::Object {
            reason: "Still no".into(),
        },
    )
    .unwrap();
    f.fac(round_cmd("close", 0)).unwrap();
    f.fac(over("The board decided")).unwrap();
    let a = f.state.tracks[0].aspect(Aspect::Contracting);
    assert_eq!(a.status, AspectStatus::Agreed);
    assert_eq!(
        a.agreement.as_ref().unwrap().dissenting,
        vec![super::tests::oid(2)]
    );
    assert_eq!(
        a.rounds[2].closed.as_ref().unwrap().overridden.as_deref(),
        Some("The board decided")
    );
}

#[test]
fn an_advisor_speaks_but_does_not_answer_and_a_removed_answer_leaves() {
    use crate::model::{Intent, Nature};
    use negotiation::Consent;
    // The consultancy advises from the start.
    let mut f = Fixture::three_orgs();
    f.fac(Command::SetAdvisor {
        organisation: super::tests::oid(3),
        advisor: true,
    })
    .unwrap();
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 11, 20] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::StartDesign).unwrap();
    respond(&mut f, 10, 0, Aspect::Contracting, Choice::Accept).unwrap();
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    propose(
        &mut f,
        30,
        Source::Own,
        Some("An SLA with a development annex"),
    )
    .unwrap();
    f.fac(round_cmd("call", 1)).unwrap();
    assert_eq!(
        answer(&mut f, 30, Consent::Consent).unwrap_err().code(),
        "advisor_does_not_consent"
    );
    answer(&mut f, 20, Consent::Consent).unwrap();
    f.fac(Command::RemoveParticipant {
        participant: pid(20),
    })
    .unwrap();
    let a = f.state.tracks[0].aspect(Aspect::Contracting);
    assert!(
        a.consents.is_empty() && a.rounds[0].answered.is_empty(),
        "their answer left with them"
    );
    // Telecom is the only partner left with people: its answer closes the round.
    let events = answer(&mut f, 10, Consent::Consent).unwrap();
    assert_eq!(events.len(), 3, "answered, closed, agreed: {events:?}");
}
