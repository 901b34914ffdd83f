//! The room's rules on the pure core: board links that watch and cannot act, the preview that
//! reveals nothing to the log, who is asked for a rationale, going back from review to design,
//! a split's reason, and a join code that lasts while the session is open.

use super::tests::{Fixture, because, intent_answer, nature_answer, oid, pid};
use super::view::{preview, viewer};
use super::*;
use crate::model::{Aspect, Axis, Form, Intent, Nature};

fn label(s: &str) -> Name {
    Name::parse("label", s).unwrap()
}

fn text(s: &str) -> FreeText {
    FreeText::parse("text", s).unwrap()
}

/// A board link made by the facilitator, with id `n`.
fn board(f: &mut Fixture, n: u128) -> ParticipantId {
    f.fac(Command::CreateBoardLink {
        observer: pid(n),
        label: label("Projector"),
    })
    .unwrap();
    pid(n)
}

#[test]
fn a_board_link_watches_as_an_observer_and_can_do_nothing() {
    let mut f = Fixture::three_orgs();
    assert_eq!(
        f.run(
            Some(pid(10)),
            Command::CreateBoardLink {
                observer: pid(90),
                label: label("Mine")
            }
        )
        .unwrap_err()
        .code(),
        "forbidden"
    );
    let b = board(&mut f, 90);
    let v = viewer(&f.state, b).unwrap();
    assert_eq!(v.role, Role::Observer);
    assert_eq!(
        f.run(Some(b), Command::StartPositioning)
            .unwrap_err()
            .code(),
        "read_only"
    );
    // Not a participant: counted nowhere, not in the list of people.
    assert!(f.state.participants.iter().all(|p| p.id != b));
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    let seen = serde_json::to_string(&snapshot(&f.state, v)).unwrap();
    assert!(!seen.contains("secret motive"), "{seen}");
    assert!(seen.contains(r#""board_links":[]"#), "{seen}");
    let fac = viewer(&f.state, pid(1)).unwrap();
    let facs = serde_json::to_string(&snapshot(&f.state, fac)).unwrap();
    assert!(facs.contains("Projector"), "the facilitator sees the links");
    for r in &f.log {
        let e = EventMessage::render(r, Some(b));
        assert!(!e.contains("secret motive"), "{e}");
    }
    f.fac(Command::RevokeBoardLink { observer: b }).unwrap();
    assert_eq!(viewer(&f.state, b).unwrap_err().code(), "not_a_participant");
    assert_eq!(
        f.fac(Command::RevokeBoardLink { observer: b })
            .unwrap_err()
            .code(),
        "unknown_board_link"
    );
}

#[test]
fn board_links_are_limited_by_the_operators_setting() {
    let f = Fixture::three_orgs();
    let limits = Limits {
        max_board_links: 1,
        ..Limits::default()
    };
    let make = |state: &State, n| {
        decide(
            &limits,
            state,
            Some(pid(1)),
            &Command::CreateBoardLink {
                observer: pid(n),
                label: label("Sponsor"),
            },
        )
    };
    let mut state = f.state.clone();
    let events = make(&state, 90).unwrap();
    for r in stamp(state.last_seq, events, chrono::Utc::now(), Some(pid(1))) {
        state.apply(&r);
    }
    assert_eq!(make(&state, 91).unwrap_err().code(), "too_many_board_links");
}

#[test]
fn a_preview_records_that_it_happened_and_shows_no_words() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    assert_eq!(
        f.fac(Command::PreviewReveal).unwrap_err().code(),
        "no_answers"
    );
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();
    assert_eq!(
        f.run(Some(pid(10)), Command::PreviewReveal)
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let events = f.fac(Command::PreviewReveal).unwrap();
    assert_eq!(events, vec![Event::RevealPreviewed { round: 1 }]);
    let logged = serde_json::to_string(&f.log).unwrap();
    let p = serde_json::to_string(&preview(&f.state, &events[0]).unwrap()).unwrap();
    assert!(p.contains(r#""disagreement":true"#), "{p}");
    assert!(!p.contains("secret motive"), "no motivation in a preview");
    // Nothing was revealed: the session is still positioning, the answers still secret.
    assert_eq!(f.state.phase, Phase::Positioning);
    assert_eq!(
        logged.matches("secret motive").count(),
        2,
        "only the answers"
    );
}

#[test]
fn an_aspect_preview_groups_the_responses_without_their_texts() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 11, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::StartDesign).unwrap();
    let own = Response {
        choice: Choice::Own {
            text: text("our own secret plan"),
        },
        comment: Some(text("a secret comment")),
    };
    f.run(
        Some(pid(10)),
        Command::Respond {
            track: 0,
            aspect: Aspect::Ict,
            response: own,
        },
    )
    .unwrap();
    f.run(
        Some(pid(20)),
        Command::Respond {
            track: 0,
            aspect: Aspect::Ict,
            response: Response {
                choice: Choice::Accept,
                comment: None,
            },
        },
    )
    .unwrap();
    let events = f
        .fac(Command::PreviewAspects {
            track: 0,
            aspects: vec![Aspect::Ict],
        })
        .unwrap();
    let p = serde_json::to_string(&preview(&f.state, &events[0]).unwrap()).unwrap();
    assert!(!p.contains("secret"), "{p}");
    assert!(p.contains(r#""group":1"#), "two different texts: {p}");
    assert_eq!(
        f.state.tracks[0].aspect(Aspect::Ict).status,
        AspectStatus::Open
    );
}

/// Three for improve, one (Ivo) for innovate, with no motivation given by anyone.
fn aligned_but_one() -> Fixture {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    for (p, intent) in [
        (10, Intent::Improve),
        (11, Intent::Improve),
        (20, Intent::Innovate),
        (30, Intent::Improve),
    ] {
        f.run(
            Some(pid(p)),
            Command::Answer(AxisAnswer::Intent {
                pole: intent,
                strength: Strength::parse(2).unwrap(),
                motivation: None,
            }),
        )
        .unwrap();
        f.run(Some(pid(p)), nature_answer(Nature::Share)).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f
}

#[test]
fn only_who_differs_is_asked_for_a_rationale_and_it_is_public() {
    let mut f = aligned_but_one();
    let asked = rationale::requests(&f.state);
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].participant, pid(20));
    assert_eq!(
        asked[0].about,
        RationaleSubject::Axis {
            axis: Axis::Intent,
            round: 1
        }
    );
    let give = |axis| Command::GiveRationale {
        about: RationaleTarget::Axis(axis),
        text: text("We want new products"),
    };
    assert_eq!(
        f.run(Some(pid(10)), give(Axis::Intent)).unwrap_err().code(),
        "not_asked"
    );
    assert_eq!(
        f.run(Some(pid(20)), give(Axis::Nature)).unwrap_err().code(),
        "not_asked",
        "everyone agrees on the nature"
    );
    f.run(Some(pid(20)), give(Axis::Intent)).unwrap();
    assert!(rationale::requests(&f.state)[0].given);
    let rep = viewer(&f.state, pid(30)).unwrap();
    let seen = serde_json::to_string(&snapshot(&f.state, rep)).unwrap();
    assert!(seen.contains("We want new products"), "{seen}");
    // A new round ends the requests of the old one; what was said stays.
    f.fac(Command::NewRound).unwrap();
    assert!(rationale::requests(&f.state).is_empty());
    assert_eq!(f.state.rationales.len(), 1);
}

#[test]
fn an_even_split_asks_both_sides_and_a_motivation_already_given_counts() {
    let mut f = Fixture::new();
    f.join(10, "Tess", 1, "Telecom supplier");
    f.join(20, "Ivo", 2, "ICT service provider");
    f.fac(Command::StartPositioning).unwrap();
    f.run(Some(pid(10)), intent_answer(Intent::Improve, "we said why"))
        .unwrap();
    f.run(Some(pid(10)), nature_answer(Nature::Share)).unwrap();
    f.run(
        Some(pid(20)),
        Command::Answer(AxisAnswer::Intent {
            pole: Intent::Innovate,
            strength: Strength::parse(1).unwrap(),
            motivation: None,
        }),
    )
    .unwrap();
    f.run(Some(pid(20)), nature_answer(Nature::Exchange))
        .unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
    let asked: Vec<(ParticipantId, RationaleSubject)> = rationale::requests(&f.state)
        .into_iter()
        .map(|r| (r.participant, r.about))
        .collect();
    let axis = |axis| RationaleSubject::Axis { axis, round: 1 };
    assert_eq!(
        asked,
        vec![
            (pid(20), axis(Axis::Intent)),
            (pid(10), axis(Axis::Nature)),
            (pid(20), axis(Axis::Nature)),
        ],
        "per question, in join order: Tess explained her intent already; on the nature \
         each differs from the other"
    );
}

#[test]
fn in_design_the_differing_response_is_asked_until_the_aspect_is_agreed() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 11, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::StartDesign).unwrap();
    for (p, choice) in [
        (10, Choice::Accept),
        (20, Choice::Accept),
        (
            30,
            Choice::OtherForm {
                form: Form::Transactional,
            },
        ),
    ] {
        f.run(
            Some(pid(p)),
            Command::Respond {
                track: 0,
                aspect: Aspect::Contracting,
                response: Response {
                    choice,
                    comment: None,
                },
            },
        )
        .unwrap();
    }
    f.fac(Command::RevealAspects {
        track: 0,
        aspects: vec![Aspect::Contracting],
        cluster: None,
    })
    .unwrap();
    let asked = rationale::requests(&f.state);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].participant, pid(30));
    let about = RationaleTarget::Aspect {
        track: 0,
        aspect: Aspect::Contracting,
    };
    f.run(
        Some(pid(30)),
        Command::GiveRationale {
            about,
            text: text("A plain contract suits us"),
        },
    )
    .unwrap();
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Contracting,
        text: None,
        resembles: None,
    })
    .unwrap();
    assert!(rationale::requests(&f.state).is_empty());
    assert_eq!(
        f.run(
            Some(pid(30)),
            Command::GiveRationale {
                about,
                text: text("again")
            }
        )
        .unwrap_err()
        .code(),
        "not_asked"
    );
}

#[test]
fn the_facilitator_can_go_back_from_review_to_design_and_approvals_go() {
    let mut f = aligned_but_one();
    f.fac(Command::DecideForm {
        form: Form::Functional,
        rationale: because(),
    })
    .unwrap();
    f.fac(Command::StartDesign).unwrap();
    assert_eq!(
        f.fac(Command::BackToDesign).unwrap_err().code(),
        "wrong_phase"
    );
    f.fac(Command::OpenReview).unwrap();
    f.run(Some(pid(30)), Command::Approve { track: None })
        .unwrap();
    assert_eq!(f.state.approvals.len(), 1);
    assert_eq!(
        f.run(Some(pid(30)), Command::BackToDesign)
            .unwrap_err()
            .code(),
        "forbidden"
    );
    f.fac(Command::BackToDesign).unwrap();
    assert_eq!(f.state.phase, Phase::Design);
    assert!(f.state.approvals.is_empty());
    assert_eq!(f.state.tracks.len(), 1, "the design is kept");
}

#[test]
fn a_split_keeps_its_reason() {
    let mut f = aligned_but_one();
    f.fac(Command::Split {
        tracks: vec![
            TrackSpec {
                name: Name::parse("name", "Services").unwrap(),
                form: Form::Functional,
                organisations: vec![],
            },
            TrackSpec {
                name: Name::parse("name", "Products").unwrap(),
                form: Form::Entrepreneurial,
                organisations: vec![oid(1), oid(2)],
            },
        ],
        rationale: text("Two businesses, two forms"),
    })
    .unwrap();
    assert!(matches!(
        f.state.resolutions.last(),
        Some(Resolution::Split { rationale, .. }) if rationale == "Two businesses, two forms"
    ));
}

#[test]
fn the_join_code_lasts_while_the_session_is_open() {
    let mut f = Fixture::new();
    assert_eq!(f.state.join_code, None, "the fixture made none");
    let mut g = Fixture::new();
    g.state = State::default();
    g.log.clear();
    g.run(
        None,
        Command::Create(Create {
            title: Title::parse("Coded").unwrap(),
            language: crate::model::Lang::En,
            facilitator: pid(1),
            facilitator_name: Name::parse("name", "Fran").unwrap(),
            auto_reveal: false,
            join_code: Some("ACEFHJ".into()),
            time_zone: None,
            mode: Default::default(),
            subject: Default::default(),
            baseline: None,
        }),
    )
    .unwrap();
    assert_eq!(g.state.join_code.as_deref(), Some("ACEFHJ"));
    assert_eq!(
        session_info(SessionId::new_random(), &g.state)
            .join_code
            .as_deref(),
        Some("ACEFHJ")
    );
    f.join(10, "Tess", 1, "Telecom supplier");
    let closing = stamp(
        g.state.last_seq,
        vec![Event::SessionClosed {
            forced: true,
            approved: vec![],
            not_approved: vec![],
        }],
        chrono::Utc::now(),
        Some(pid(1)),
    );
    g.state.apply(&closing[0]);
    assert_eq!(g.state.join_code, None);
}
