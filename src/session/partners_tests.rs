//! The partners and what the record needs of them, on the pure core: each organisation's goal
//! and the joint goal, advisors who speak but do not count, open items with an owner and a
//! due date, the form an own text resembles, approval per track, and the record's time zone.

use super::design_tests::{designing, respond, reveal, split_telecom};
use super::tests::{Fixture, because, oid, pid};
use super::*;
use crate::model::{Aspect, Form, Intent, Nature};

fn text(s: &str) -> FreeText {
    FreeText::parse("text", s).unwrap()
}

fn goal(
    f: &mut Fixture,
    by: u128,
    organisation: Option<u128>,
    s: Option<&str>,
) -> Result<Vec<Event>, Rejection> {
    f.run(
        Some(pid(by)),
        Command::StateGoal {
            organisation: organisation.map(oid),
            text: s.map(text),
        },
    )
}

#[test]
fn an_organisation_states_its_own_goal_and_the_facilitator_the_joint_one() {
    let mut f = Fixture::three_orgs();
    goal(&mut f, 10, Some(1), Some("Lower ICT costs")).unwrap();
    assert_eq!(
        f.state.organisation(oid(1)).unwrap().goal.as_deref(),
        Some("Lower ICT costs")
    );
    // Not another organisation's, and the joint goal is the facilitator's to write down.
    assert_eq!(
        goal(&mut f, 10, Some(2), Some("x")).unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(
        goal(&mut f, 10, None, Some("x")).unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(
        goal(&mut f, 1, Some(9), Some("x")).unwrap_err().code(),
        "unknown_organisation"
    );
    goal(&mut f, 1, None, Some("Better service to citizens")).unwrap();
    goal(&mut f, 1, Some(2), Some("New products")).unwrap();
    assert_eq!(
        f.state.joint_goal.as_deref(),
        Some("Better service to citizens")
    );
    // The same words again change nothing; none takes the goal back.
    assert!(
        goal(&mut f, 10, Some(1), Some("Lower ICT costs"))
            .unwrap()
            .is_empty()
    );
    goal(&mut f, 10, Some(1), None).unwrap();
    assert_eq!(f.state.organisation(oid(1)).unwrap().goal, None);
    let seen = super::tests::json_for(&f, pid(20));
    assert!(seen.contains("Better service to citizens") && seen.contains("New products"));
}

#[test]
fn an_advisor_speaks_but_counts_in_no_form_gate_or_approval() {
    let mut f = Fixture::three_orgs();
    let advise = |f: &mut Fixture, advisor| {
        f.fac(Command::SetAdvisor {
            organisation: oid(3),
            advisor,
        })
    };
    assert_eq!(
        f.run(
            Some(pid(10)),
            Command::SetAdvisor {
                organisation: oid(3),
                advisor: true
            }
        )
        .unwrap_err()
        .code(),
        "forbidden"
    );
    advise(&mut f, true).unwrap();
    assert!(advise(&mut f, true).unwrap().is_empty());
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 11, 20] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    // Nobody waits for the advisor; its answer, given, is shown but does not count.
    assert!(f.state.missing_answers().is_empty());
    f.answer(30, Intent::Improve, Nature::Exchange).unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
    let round = f.state.rounds.last().unwrap();
    assert!(!round.forced);
    assert_eq!(round.report.advisors, vec![oid(3)]);
    assert_eq!(round.report.agreed, Some(Form::Functional));
    assert!(round.report.form_pairs.is_empty());
    assert_eq!(round.positions.len(), 4, "the advisor's answer is shown");
    assert_eq!(advise(&mut f, false).unwrap_err().code(), "wrong_phase");
    f.fac(Command::StartDesign).unwrap();
    // In design its differing response is no dissent.
    for p in [10, 11, 20] {
        respond(&mut f, p, 0, Aspect::Finances, Choice::Accept).unwrap();
    }
    respond(
        &mut f,
        30,
        0,
        Aspect::Finances,
        Choice::OtherForm {
            form: Form::Transactional,
        },
    )
    .unwrap();
    reveal(&mut f, 0, Aspect::Finances).unwrap();
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Finances,
        text: None,
        resembles: None,
    })
    .unwrap();
    let agreed = f.state.tracks[0]
        .aspect(Aspect::Finances)
        .agreement
        .clone()
        .unwrap();
    assert!(agreed.dissenting.is_empty(), "{:?}", agreed.dissenting);
    f.fac(Command::OpenReview).unwrap();
    assert_eq!(f.state.approving_organisations(), vec![oid(1), oid(2)]);
    assert_eq!(
        f.run(Some(pid(30)), Command::Approve { track: None })
            .unwrap_err()
            .code(),
        "advisor_does_not_approve"
    );
    f.run(Some(pid(10)), Command::Approve { track: None })
        .unwrap();
    f.run(Some(pid(20)), Command::Approve { track: None })
        .unwrap();
    let closed = f.fac(Command::Close { force: false }).unwrap();
    assert!(
        matches!(&closed[0], Event::SessionClosed { forced: false, not_approved, .. } if not_approved.is_empty())
    );
}

#[test]
fn an_aspect_left_open_or_parked_gets_an_owner_and_a_due_date_until_it_is_agreed() {
    let mut f = designing();
    let due = DueDate::parse("2027-03-01").unwrap();
    let events = f
        .fac(Command::ParkAspect {
            track: 0,
            aspect: Aspect::Ict,
            reason: because(),
            owner: Some(Owner::Organisation(oid(2))),
            due: Some(due),
        })
        .unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    let a = f.state.tracks[0].aspect(Aspect::Ict);
    assert_eq!(a.owner, Some(Owner::Organisation(oid(2))));
    assert_eq!(a.due, Some(due.date()));
    let assign = |owner, due| Command::AssignOpenItem {
        track: 0,
        aspect: Aspect::Contracting,
        owner,
        due,
    };
    f.fac(assign(Some(Owner::Participant(pid(10))), None))
        .unwrap();
    assert!(
        f.fac(assign(Some(Owner::Participant(pid(10))), None))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        f.fac(assign(Some(Owner::Organisation(oid(9))), None))
            .unwrap_err()
            .code(),
        "unknown_organisation"
    );
    assert_eq!(
        f.fac(assign(Some(Owner::Participant(pid(99))), None))
            .unwrap_err()
            .code(),
        "unknown_participant"
    );
    assert_eq!(
        f.run(Some(pid(10)), assign(None, Some(due)))
            .unwrap_err()
            .code(),
        "forbidden"
    );
    // Agreed, it is no open item: the owner goes, and none can be given.
    for p in [10, 11, 20, 30] {
        respond(&mut f, p, 0, Aspect::Contracting, Choice::Accept).unwrap();
    }
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Contracting,
        text: None,
        resembles: None,
    })
    .unwrap();
    assert_eq!(f.state.tracks[0].aspect(Aspect::Contracting).owner, None);
    assert_eq!(
        f.fac(assign(None, Some(due))).unwrap_err().code(),
        "aspect_agreed"
    );
    assert!(DueDate::parse("1 March").is_err() && DueDate::parse("20270301").is_err());
}

#[test]
fn an_own_text_mixes_forms_only_where_the_facilitator_says_it_resembles_another() {
    let mut f = designing();
    for (aspect, resembles) in [
        (Aspect::Finances, Some(Form::Functional)),
        (Aspect::Identity, Some(Form::Entrepreneurial)),
    ] {
        for p in [10, 11, 20, 30] {
            respond(&mut f, p, 0, aspect, Choice::Accept).unwrap();
        }
        reveal(&mut f, 0, aspect).unwrap();
        f.fac(Command::AgreeAspect {
            track: 0,
            aspect,
            text: Some(text("Our own words")),
            resembles,
        })
        .unwrap();
    }
    let track = &f.state.tracks[0];
    let own = |a| track.aspect(a).agreement.clone().unwrap();
    assert!(
        !own(Aspect::Finances).mixes(track.form),
        "written in the track's own form"
    );
    assert!(
        own(Aspect::Identity).mixes(track.form),
        "resembles another form"
    );
    // A principle of the model is its own form, whatever the facilitator says.
    let principle = Aspect::Finances.principle(Form::Entrepreneurial).en;
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Finances,
        text: Some(text(principle)),
        resembles: Some(Form::Functional),
    })
    .unwrap();
    let g = f.state.tracks[0]
        .aspect(Aspect::Finances)
        .agreement
        .clone()
        .unwrap();
    assert_eq!(
        (g.matches, g.resembles),
        (Some(Form::Entrepreneurial), None)
    );
    assert!(g.mixes(Form::Functional));
}

#[test]
fn an_organisation_approves_track_by_track() {
    let mut f = split_telecom();
    f.fac(Command::OpenReview).unwrap();
    let approve = |f: &mut Fixture, p, track| f.run(Some(pid(p)), Command::Approve { track });
    approve(&mut f, 10, Some(1)).unwrap();
    assert!(!f.state.has_approved(oid(1)), "one of its two tracks");
    assert_eq!(
        approve(&mut f, 11, Some(1)).unwrap_err().code(),
        "already_approved"
    );
    assert_eq!(
        approve(&mut f, 30, Some(1)).unwrap_err().code(),
        "not_in_track"
    );
    assert_eq!(
        approve(&mut f, 30, Some(7)).unwrap_err().code(),
        "unknown_track"
    );
    let rest = approve(&mut f, 11, None).unwrap();
    assert!(
        matches!(&rest[0], Event::Approved { tracks, .. } if tracks == &vec![0]),
        "{rest:?}"
    );
    assert!(f.state.has_approved(oid(1)));
    assert_eq!(
        approve(&mut f, 10, None).unwrap_err().code(),
        "already_approved"
    );
    approve(&mut f, 20, None).unwrap();
    assert_eq!(
        f.fac(Command::Close { force: false }).unwrap_err().code(),
        "not_all_approved"
    );
    approve(&mut f, 30, Some(0)).unwrap();
    f.fac(Command::Close { force: false }).unwrap();
}

#[test]
fn the_records_time_zone_is_a_setting_of_the_session() {
    let mut f = Fixture::new();
    let set = |z: &str| Command::UpdateSettings {
        auto_reveal: None,
        new_organisations_allowed: None,
        time_zone: Some(TimeZoneName::parse(z).unwrap()),
    };
    f.fac(set("Europe/Amsterdam")).unwrap();
    assert_eq!(f.state.time_zone.as_deref(), Some("Europe/Amsterdam"));
    assert!(f.fac(set("Europe/Amsterdam")).unwrap().is_empty());
    assert_eq!(
        TimeZoneName::parse("Mars/Olympus").unwrap_err().code(),
        "invalid_value"
    );
}

#[test]
fn an_advisor_neither_objects_nor_merges_with_a_partner_and_auto_reveal_does_not_wait_for_it() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::SetAdvisor {
        organisation: oid(3),
        advisor: true,
    })
    .unwrap();
    assert_eq!(
        f.fac(Command::MergeOrganisations {
            from: oid(3),
            into: oid(1)
        })
        .unwrap_err()
        .code(),
        "advisor_and_partner"
    );
    f.fac(Command::UpdateSettings {
        auto_reveal: Some(true),
        new_organisations_allowed: None,
        time_zone: None,
    })
    .unwrap();
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 11, 20] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    assert_eq!(
        f.state.phase,
        Phase::Alignment,
        "revealed without the advisor"
    );
    f.fac(Command::StartDesign).unwrap();
    f.fac(Command::OpenReview).unwrap();
    let objection = Command::Object {
        reason: because(),
        aspects: vec![AspectRef {
            track: 0,
            aspect: Aspect::Ict,
        }],
    };
    assert_eq!(
        f.run(Some(pid(30)), objection).unwrap_err().code(),
        "advisor_does_not_approve"
    );
    assert_eq!(f.state.phase, Phase::Review);
    // The draft being approved does not change under the partners.
    let assign = Command::AssignOpenItem {
        track: 0,
        aspect: Aspect::Ict,
        owner: None,
        due: Some(DueDate::parse("2027-01-01").unwrap()),
    };
    assert_eq!(f.fac(assign).unwrap_err().code(), "wrong_phase");
    let zone = Command::UpdateSettings {
        auto_reveal: None,
        new_organisations_allowed: None,
        time_zone: Some(TimeZoneName::parse("Asia/Tokyo").unwrap()),
    };
    assert_eq!(f.fac(zone).unwrap_err().code(), "wrong_phase");
}
