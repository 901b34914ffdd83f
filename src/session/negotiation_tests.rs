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
