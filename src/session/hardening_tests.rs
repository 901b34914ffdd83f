//! The core's rules for what the hardening added: taking answers and responses back, the end of
//! the timer, new links and co-facilitator keys, deleting a session, and the limits on a
//! session's size.

use super::tests::{Fixture, json_for, oid, pid};
use super::*;
use crate::model::{Aspect, Axis, Intent, Nature};
use chrono::{TimeZone, Utc};

fn positioning() -> Fixture {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    f
}

#[test]
fn an_answer_can_be_taken_back_before_the_reveal_and_only_by_its_author() {
    let mut f = positioning();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    let withdraw = |axis| Command::WithdrawAnswer { axis };
    // Someone else's answer, or one never given, is not theirs to take back.
    assert_eq!(
        f.run(Some(pid(20)), withdraw(Axis::Intent))
            .unwrap_err()
            .code(),
        "nothing_to_withdraw"
    );
    assert_eq!(
        f.fac(withdraw(Axis::Intent)).unwrap_err().code(),
        "forbidden"
    );
    let events = f.run(Some(pid(10)), withdraw(Axis::Intent)).unwrap();
    assert_eq!(
        events,
        vec![Event::AnswerWithdrawn {
            participant: pid(10),
            round: 1,
            axis: Axis::Intent
        }]
    );
    let left = &f.state.answers[&pid(10)];
    assert!(left.intent.is_none() && left.nature.is_some());
    assert_eq!(
        f.run(Some(pid(10)), withdraw(Axis::Intent))
            .unwrap_err()
            .code(),
        "nothing_to_withdraw"
    );
    f.run(Some(pid(10)), withdraw(Axis::Nature)).unwrap();
    assert!(
        !f.state.answers.contains_key(&pid(10)),
        "nothing left of it"
    );
    // Others see that something was taken back, never what.
    assert!(!json_for(&f, pid(20)).contains("secret motive"));
    // A withdrawn answer counts as missing: a plain reveal waits.
    for p in [11, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    assert_eq!(
        f.fac(Command::Reveal { force: false }).unwrap_err().code(),
        "not_all_answered"
    );
}

#[test]
fn a_response_can_be_taken_back_while_the_aspect_is_open() {
    let mut f = positioning();
    for p in [10, 11, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::StartDesign).unwrap();
    let respond = Command::Respond {
        track: 0,
        aspect: Aspect::Contracting,
        response: Response {
            choice: Choice::Accept,
            comment: None,
        },
    };
    let withdraw = Command::WithdrawResponse {
        track: 0,
        aspect: Aspect::Contracting,
    };
    assert_eq!(
        f.run(Some(pid(10)), withdraw.clone()).unwrap_err().code(),
        "nothing_to_withdraw"
    );
    f.run(Some(pid(10)), respond.clone()).unwrap();
    f.run(Some(pid(10)), withdraw.clone()).unwrap();
    assert!(
        f.state.tracks[0]
            .aspect(Aspect::Contracting)
            .responses
            .is_empty()
    );
    f.run(Some(pid(10)), respond).unwrap();
    f.fac(Command::RevealAspects {
        track: 0,
        aspects: vec![Aspect::Contracting],
        cluster: None,
    })
    .unwrap();
    assert_eq!(
        f.run(Some(pid(10)), withdraw).unwrap_err().code(),
        "aspect_not_open"
    );
}

#[test]
fn the_timer_ends_once_at_its_end_by_the_clock_it_is_given() {
    let mut f = positioning();
    f.fac(Command::StartTimer {
        seconds: 60,
        label: None,
    })
    .unwrap();
    let ends = f.state.timer.as_ref().unwrap().ends_at;
    let early = Command::EndTimer {
        at: ends - chrono::Duration::seconds(1),
    };
    assert!(f.run(None, early).unwrap().is_empty(), "not before its end");
    let on_time = Command::EndTimer { at: ends };
    assert_eq!(
        f.run(None, on_time.clone()).unwrap(),
        vec![Event::TimerEnded]
    );
    assert!(f.state.timer.as_ref().unwrap().ended);
    assert!(f.run(None, on_time).unwrap().is_empty(), "and only once");
    // Without a timer there is nothing to end.
    f.fac(Command::StopTimer).unwrap();
    let later = Command::EndTimer {
        at: Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap(),
    };
    assert!(f.run(None, later).unwrap().is_empty());
}

#[test]
fn a_new_link_and_the_keys_are_the_facilitators_and_removing_a_facilitator_withdraws_the_key() {
    let mut f = positioning();
    assert_eq!(
        f.run(
            Some(pid(10)),
            Command::ReissueLink {
                participant: pid(11)
            }
        )
        .unwrap_err()
        .code(),
        "forbidden"
    );
    assert_eq!(
        f.fac(Command::ReissueLink {
            participant: pid(99)
        })
        .unwrap_err()
        .code(),
        "unknown_participant"
    );
    assert_eq!(
        f.fac(Command::ReissueLink {
            participant: pid(11)
        })
        .unwrap(),
        vec![Event::LinkReissued {
            participant: pid(11)
        }]
    );
    assert_eq!(
        f.run(Some(pid(10)), Command::ReplaceFacilitatorKey)
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        f.fac(Command::RevokeFacilitatorKey).unwrap(),
        vec![Event::FacilitatorKeyRevoked]
    );
    f.run(
        None,
        Command::JoinFacilitator {
            participant: pid(2),
            name: Name::parse("name", "Joost").unwrap(),
        },
    )
    .unwrap();
    assert_eq!(
        f.fac(Command::RemoveParticipant {
            participant: pid(2)
        })
        .unwrap(),
        vec![
            Event::ParticipantRemoved {
                participant: pid(2)
            },
            Event::FacilitatorKeyRevoked
        ]
    );
    // A representative's removal leaves the key alone.
    assert_eq!(
        f.fac(Command::RemoveParticipant {
            participant: pid(30)
        })
        .unwrap(),
        vec![Event::ParticipantRemoved {
            participant: pid(30)
        }]
    );
}

#[test]
fn only_a_facilitator_who_types_the_title_may_delete() {
    let f = positioning();
    assert_eq!(
        decide::may_delete(&f.state, pid(10), "Telecom")
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        decide::may_delete(&f.state, f.facilitator, "telecom")
            .unwrap_err()
            .code(),
        "not_confirmed"
    );
    decide::may_delete(&f.state, f.facilitator, " Telecom ").unwrap();
}

#[test]
fn a_session_takes_no_more_people_and_organisations_than_its_limits() {
    let f = Fixture::three_orgs(); // 1 facilitator and 4 representatives, 3 organisations
    let limits = Limits {
        max_participants: 5,
        max_organisations: 3,
        ..Limits::default()
    };
    let join = |name: &str, organisation| {
        Command::Join(Join {
            participant: pid(77),
            name: Name::parse("name", name).unwrap(),
            organisation,
        })
    };
    let full = decide(
        &limits,
        &f.state,
        None,
        &join("Noor", OrgChoice::Existing(oid(1))),
    );
    assert_eq!(full.unwrap_err().code(), "session_full");
    let roomier = Limits {
        max_participants: 6,
        ..limits
    };
    let new_org = OrgChoice::New {
        id: oid(9),
        name: Name::parse("organisation_name", "Bank").unwrap(),
    };
    let too_many = decide(&roomier, &f.state, None, &join("Noor", new_org));
    assert_eq!(too_many.unwrap_err().code(), "too_many_organisations");
    assert!(
        decide(
            &roomier,
            &f.state,
            None,
            &join("Noor", OrgChoice::Existing(oid(1)))
        )
        .is_ok()
    );
    let cofac = Command::JoinFacilitator {
        participant: pid(3),
        name: Name::parse("name", "Joost").unwrap(),
    };
    assert_eq!(
        decide(&limits, &f.state, None, &cofac).unwrap_err().code(),
        "session_full"
    );
}

#[test]
fn look_alike_names_are_taken_and_the_refusal_names_who_has_it() {
    let mut f = Fixture::three_orgs();
    for look_alike in ["T\u{0435}ss", "TESS", "Tess\u{FE0F}"] {
        let refused = f
            .run(
                None,
                Command::Join(Join {
                    participant: pid(60),
                    name: Name::parse("name", look_alike).unwrap(),
                    organisation: OrgChoice::Existing(oid(1)),
                }),
            )
            .unwrap_err();
        assert_eq!(
            refused,
            Rejection::NameTaken("Tess".into()),
            "{look_alike:?}"
        );
    }
    let org = f.run(
        None,
        Command::Join(Join {
            participant: pid(61),
            name: Name::parse("name", "Noor").unwrap(),
            organisation: OrgChoice::New {
                id: oid(8),
                name: Name::parse("organisation_name", "Сonsultancy").unwrap(), // Cyrillic С
            },
        }),
    );
    assert_eq!(
        org.unwrap_err(),
        Rejection::OrganisationTaken("Consultancy".into())
    );
}
