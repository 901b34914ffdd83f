//! Follow-up sessions, each rule pinned by a test on the pure core: the baseline a closed
//! session gives, the organisations that come back, the drift per organisation and per axis
//! (nothing of it before the reveal), the aspects carried over as proposals and their
//! re-check, and the series.

use super::baseline::Baseline;
use super::design_tests::{designing, respond, reveal};
use super::followup::{Verdict, baseline_for, drift};
use super::tests::{Fixture, oid, pid};
use super::*;
use crate::model::{Aspect, Axis, Form, Intent, Nature};

fn text(s: &str) -> FreeText {
    FreeText::parse("text", s).unwrap()
}

/// A design closed with two aspects agreed (Contracting on the principle, Key roles in own
/// words), everyone functional.
pub(super) fn closed_design() -> Fixture {
    let mut f = designing();
    for p in [10, 20, 30] {
        respond(&mut f, p, 0, Aspect::Contracting, Choice::Accept).unwrap();
        respond(&mut f, p, 0, Aspect::KeyRoles, Choice::Accept).unwrap();
    }
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    reveal(&mut f, 0, Aspect::KeyRoles).unwrap();
    for (aspect, agreed) in [
        (Aspect::Contracting, None),
        (Aspect::KeyRoles, Some(text("Telecom leads, ICT delivers"))),
    ] {
        f.fac(Command::AgreeAspect {
            track: 0,
            aspect,
            text: agreed,
            resembles: Some(Form::Functional),
        })
        .unwrap();
    }
    f.fac(Command::OpenReview).unwrap();
    for p in [10, 20] {
        f.run(Some(pid(p)), Command::Approve { track: None })
            .unwrap();
    }
    f.fac(Command::Close { force: true }).unwrap();
    assert_eq!(f.state.phase, Phase::Closed);
    f
}

fn baseline(f: &Fixture) -> Baseline {
    baseline_from(f, 50)
}

/// The baseline of `f`, its organisations numbered from `first + 1` in the follow-up.
pub(super) fn baseline_from(f: &Fixture, first: u128) -> Baseline {
    let mut n = first;
    baseline_for(
        &f.state,
        pid(1),
        "earlier".into(),
        || "hash".into(),
        || {
            n += 1;
            oid(n)
        },
    )
    .unwrap()
}

/// A new session of `mode` following up `earlier`, its organisations numbered from
/// `first + 1`; nobody has joined yet.
pub(super) fn follow_up_in(earlier: &Fixture, mode: Mode, first: u128) -> Fixture {
    let mut f = Fixture::empty();
    f.run(
        None,
        Command::Create(Create {
            title: Title::parse("Telecom, six months on").unwrap(),
            language: crate::model::Lang::En,
            facilitator: pid(1),
            facilitator_name: Name::parse("name", "Fran").unwrap(),
            auto_reveal: false,
            join_code: None,
            time_zone: None,
            mode,
            subject: Default::default(),
            baseline: Some(Box::new(baseline_from(earlier, first))),
        }),
    )
    .unwrap();
    f
}

/// A follow-up design of `earlier`; the organisations come back as 51, 52, 53.
fn follow_up(earlier: &Fixture) -> Fixture {
    let mut f = follow_up_in(earlier, Mode::Design, 50);
    f.join(10, "Tess", 51, "");
    f.join(20, "Ivo", 52, "");
    f.join(30, "Carla", 53, "");
    f
}

#[test]
fn only_a_facilitator_of_a_closed_session_gets_its_baseline() {
    let open = designing();
    let r = baseline_for(&open.state, pid(1), "s".into(), || "h".into(), || oid(9)).unwrap_err();
    assert_eq!(r.code(), "wrong_phase");
    let closed = closed_design();
    let r = baseline_for(&closed.state, pid(10), "s".into(), || "h".into(), || oid(9)).unwrap_err();
    assert_eq!(r.code(), "forbidden");
    let b = baseline(&closed);
    assert_eq!(b.intended, Some(Form::Functional));
    let names: Vec<_> = b
        .organisations
        .iter()
        .map(|o| (o.name.as_str(), o.form))
        .collect();
    assert_eq!(
        names,
        [
            ("Telecom supplier", Some(Form::Functional)),
            ("ICT service provider", Some(Form::Functional)),
            ("Consultancy", Some(Form::Functional))
        ]
    );
    let carried: Vec<_> = b.tracks[0]
        .aspects
        .iter()
        .map(|c| (c.aspect, c.text.as_str()))
        .collect();
    assert_eq!(
        carried[1],
        (Aspect::KeyRoles, "Telecom leads, ICT delivers")
    );
    assert_eq!(carried.len(), 2, "only agreed aspects are carried");
    assert_eq!(b.series.len(), 1);
}

#[test]
fn a_follow_up_brings_the_organisations_back_without_their_people() {
    let f = follow_up(&closed_design());
    let orgs: Vec<_> = f
        .state
        .organisations
        .iter()
        .map(|o| (o.id, o.name.as_str()))
        .collect();
    assert_eq!(orgs[0], (oid(51), "Telecom supplier"));
    assert_eq!(orgs.len(), 3);
    assert_eq!(
        f.state.representatives().count(),
        3,
        "only those who joined anew"
    );
    // Before any reveal the drift has the baseline's side only.
    let d = drift(&f.state).unwrap();
    assert!(!d.revealed);
    assert!(
        d.organisations
            .iter()
            .all(|o| o.form.now.is_none() && o.in_baseline)
    );
    // A session without a baseline has no drift.
    assert!(drift(&designing().state).is_none());
}

#[test]
fn drift_shows_who_moved_on_which_axis_and_nothing_before_the_reveal() {
    let mut f = follow_up(&closed_design());
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();
    f.answer(30, Intent::Improve, Nature::Share).unwrap();
    let blind = drift(&f.state).unwrap();
    assert!(
        blind.moved.is_empty() && blind.organisations.iter().all(|o| o.form.now.is_none()),
        "answers are blind"
    );
    let board = view::snapshot(
        &f.state,
        Viewer {
            participant: pid(1),
            role: Role::Facilitator,
        },
    );
    let seen = serde_json::to_string(&board.drift).unwrap();
    assert!(
        !seen.contains("entrepreneurial"),
        "no answer reaches the drift before the reveal: {seen}"
    );
    f.fac(Command::Reveal { force: false }).unwrap();
    let d = drift(&f.state).unwrap();
    assert!(d.revealed);
    assert_eq!(d.moved, vec![oid(52)]);
    let ict = d
        .organisations
        .iter()
        .find(|o| o.organisation == oid(52))
        .unwrap();
    assert_eq!(
        (ict.form.before, ict.form.now),
        (Some(Form::Functional), Some(Form::Entrepreneurial))
    );
    assert_eq!(ict.axes, vec![Axis::Intent]);
    assert_eq!(d.intended.before, Some(Form::Functional));
    assert_eq!(d.intended.now, None, "they no longer share a form");
}

#[test]
fn the_agreed_aspects_are_the_proposals_and_are_re_checked() {
    let mut f = follow_up(&closed_design());
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::StartDesign).unwrap();
    let t = &f.state.tracks[0];
    assert_eq!(t.carried.len(), 2);
    assert_eq!(
        t.proposal(Aspect::KeyRoles, crate::model::Lang::En).0,
        "Telecom leads, ICT delivers"
    );
    // "No longer true" is for carried aspects only.
    let r = respond(&mut f, 10, 0, Aspect::Identity, Choice::NoLonger).unwrap_err();
    assert_eq!(r.code(), "not_carried");
    respond(&mut f, 10, 0, Aspect::KeyRoles, Choice::Accept).unwrap();
    respond(&mut f, 20, 0, Aspect::KeyRoles, Choice::NoLonger).unwrap();
    respond(&mut f, 10, 0, Aspect::Contracting, Choice::Accept).unwrap();
    respond(&mut f, 20, 0, Aspect::Contracting, Choice::Accept).unwrap();
    // Taking the same principle another way is still as agreed: what counts is the text.
    respond(
        &mut f,
        30,
        0,
        Aspect::Contracting,
        Choice::OtherForm {
            form: Form::Functional,
        },
    )
    .unwrap();
    // Blind until revealed: no verdict yet.
    assert!(
        drift(&f.state)
            .unwrap()
            .aspects
            .iter()
            .all(|r| r.verdict.is_none())
    );
    reveal(&mut f, 0, Aspect::KeyRoles).unwrap();
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    let d = drift(&f.state).unwrap();
    let key = d
        .aspects
        .iter()
        .find(|r| r.aspect == Aspect::KeyRoles)
        .unwrap();
    assert_eq!(key.verdict, Some(Verdict::NoLonger));
    assert_eq!(
        (key.still.clone(), key.no_longer.clone()),
        (vec![oid(51)], vec![oid(52)])
    );
    let rv = f.state.tracks[0]
        .aspect(Aspect::KeyRoles)
        .reveals
        .last()
        .unwrap();
    assert_eq!(
        rv.responses[0].text, "Telecom leads, ICT delivers",
        "accepting takes the carried text"
    );
    assert!(rv.disagreement);
    let contracting = d
        .aspects
        .iter()
        .find(|r| r.aspect == Aspect::Contracting)
        .unwrap();
    assert_eq!(contracting.verdict, Some(Verdict::Still));
    assert_eq!(d.contested.len(), 1);
    // Agreeing with no text keeps the earlier agreement.
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Contracting,
        text: None,
        resembles: None,
    })
    .unwrap();
    let ag = f.state.tracks[0]
        .aspect(Aspect::Contracting)
        .agreement
        .clone()
        .unwrap();
    assert_eq!(ag.text, Aspect::Contracting.principle(Form::Functional).en);
}

#[test]
fn a_follow_up_of_a_follow_up_extends_the_series() {
    let mut f = follow_up(&closed_design());
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Exchange).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::StartDesign).unwrap();
    f.fac(Command::OpenReview).unwrap();
    f.fac(Command::Close { force: true }).unwrap();
    let b = baseline(&f);
    assert_eq!(b.series.len(), 2);
    assert_eq!(b.series[1].organisations[0].form, Some(Form::Transactional));
    assert_eq!(b.series[0].organisations[0].form, Some(Form::Functional));
    // The state folds from its log, baseline and all, and survives a checkpoint.
    let again = State::from_log(&f.log);
    assert_eq!(again, f.state);
    let cp = state::encode_checkpoint(&f.state);
    assert_eq!(state::decode_checkpoint(&cp).unwrap(), f.state);
}

#[test]
fn a_diagnosis_after_a_design_measures_practice_against_what_was_agreed() {
    let earlier = closed_design();
    let mut f = follow_up_in(&earlier, Mode::Diagnosis, 50);
    f.join(10, "Tess", 51, "");
    f.join(20, "Ivo", 52, "");
    f.fac(Command::Diagnosis(DiagnosisCommand::Start)).unwrap();
    for p in [10, 20] {
        f.run(
            Some(pid(p)),
            Command::Diagnosis(DiagnosisCommand::Place {
                aspect: Aspect::Contracting,
                placing: Placing {
                    placed: Placed::Form {
                        form: Form::Transactional,
                    },
                    example: None,
                },
            }),
        )
        .unwrap();
    }
    // Blind: the agreed side only.
    let d = drift(&f.state).unwrap();
    let c = d
        .profile
        .iter()
        .find(|p| p.aspect == Aspect::Contracting)
        .unwrap();
    assert_eq!((c.form.before, c.form.now), (Some(Form::Functional), None));
    f.fac(Command::Diagnosis(DiagnosisCommand::Reveal {
        aspects: vec![Aspect::Contracting],
        group: false,
    }))
    .unwrap();
    let d = drift(&f.state).unwrap();
    let c = d
        .profile
        .iter()
        .find(|p| p.aspect == Aspect::Contracting)
        .unwrap();
    assert_eq!(c.form.now, Some(Form::Transactional));
    assert!(c.form.moved, "practice left what was agreed");
    assert_eq!(d.profile.len(), 2, "the aspects agreed, and those revealed");
}

#[test]
fn a_later_entrant_joins_the_agreed_design_aspect_by_aspect_without_reopening_it() {
    let mut f = follow_up(&closed_design());
    f.join(40, "Nora", 60, "New partner");
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 20, 30, 40] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    let d = drift(&f.state).unwrap();
    let nora = d
        .organisations
        .iter()
        .find(|o| o.organisation == oid(60))
        .unwrap();
    assert!(!nora.in_baseline && nora.form.before.is_none());
    assert_eq!(
        d.organisations.last().unwrap().organisation,
        oid(60),
        "the baseline's first"
    );
    f.fac(Command::StartDesign).unwrap();
    // Only the entrant answers: it accepts one agreement and objects to the other.
    respond(&mut f, 40, 0, Aspect::Contracting, Choice::Accept).unwrap();
    respond(
        &mut f,
        40,
        0,
        Aspect::KeyRoles,
        Choice::Own {
            text: text("We lead the roles"),
        },
    )
    .unwrap();
    let before = drift(&f.state).unwrap();
    assert_eq!(before.entrants[0].pending.len(), 2, "blind until revealed");
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    reveal(&mut f, 0, Aspect::KeyRoles).unwrap();
    let d = drift(&f.state).unwrap();
    let e = &d.entrants[0];
    assert_eq!(e.organisation, oid(60));
    assert_eq!(
        e.accepted.iter().map(|a| a.aspect).collect::<Vec<_>>(),
        [Aspect::Contracting]
    );
    assert_eq!(
        e.objected.iter().map(|a| a.aspect).collect::<Vec<_>>(),
        [Aspect::KeyRoles]
    );
    // The facilitator keeps what the others agreed: the entrant's objection is its dissent.
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::KeyRoles,
        text: None,
        resembles: None,
    })
    .unwrap();
    let ag = f.state.tracks[0]
        .aspect(Aspect::KeyRoles)
        .agreement
        .clone()
        .unwrap();
    assert_eq!(ag.text, "Telecom leads, ICT delivers");
    assert_eq!(ag.dissenting, vec![oid(60)]);
    assert_eq!(
        ag.resembles,
        Some(Form::Functional),
        "the form judged then is kept"
    );
}
