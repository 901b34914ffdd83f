//! The rules of the design phase, the moderation of the board, and the review, each pinned by
//! a test on the pure core.

use super::tests::{Fixture, because, json_for, oid, pid};
use super::*;
use crate::model::{Aspect, Cluster, Form, Intent, Nature};

/// Three organisations, design started on one functional track.
pub(super) fn designing() -> Fixture {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 11, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::StartDesign).unwrap();
    f
}

/// The telecom case: split into ICT services (functional, everyone) and product development
/// (entrepreneurial, telecom and ICT provider only).
pub(super) fn split_telecom() -> Fixture {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(11, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();
    f.answer(30, Intent::Improve, Nature::Share).unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::Split {
        tracks: vec![
            TrackSpec {
                name: Name::parse("name", "ICT services").unwrap(),
                form: Form::Functional,
                organisations: vec![],
            },
            TrackSpec {
                name: Name::parse("name", "Product development").unwrap(),
                form: Form::Entrepreneurial,
                organisations: vec![oid(1), oid(2)],
            },
        ],
        rationale: because(),
    })
    .unwrap();
    f.fac(Command::StartDesign).unwrap();
    f
}

pub(super) fn respond(
    f: &mut Fixture,
    p: u128,
    track: usize,
    aspect: Aspect,
    choice: Choice,
) -> Result<Vec<Event>, Rejection> {
    f.run(
        Some(pid(p)),
        Command::Respond {
            track,
            aspect,
            response: Response {
                choice,
                comment: None,
            },
        },
    )
}

pub(super) fn reveal(
    f: &mut Fixture,
    track: usize,
    aspect: Aspect,
) -> Result<Vec<Event>, Rejection> {
    f.fac(Command::RevealAspects {
        track,
        aspects: vec![aspect],
        cluster: None,
    })
}

fn text(s: &str) -> FreeText {
    FreeText::parse("text", s).unwrap()
}

#[test]
fn every_aspect_starts_open_with_the_tracks_principle_as_proposal() {
    let f = designing();
    assert_eq!(f.state.phase, Phase::Design);
    let track = &f.state.tracks[0];
    assert_eq!(track.form, Form::Functional);
    assert_eq!(track.aspects.len(), 13);
    assert!(track.aspects.iter().all(|a| a.status == AspectStatus::Open));
}

#[test]
fn responses_are_blind_until_revealed_then_agreed_by_default_on_the_principle() {
    let mut f = designing();
    respond(&mut f, 10, 0, Aspect::Contracting, Choice::Accept).unwrap();
    respond(
        &mut f,
        20,
        0,
        Aspect::Contracting,
        Choice::Own {
            text: text("our-own-contract-idea"),
        },
    )
    .unwrap();
    assert!(json_for(&f, pid(20)).contains("our-own-contract-idea"));
    for viewer in [pid(10), pid(30), f.facilitator] {
        assert!(
            !json_for(&f, viewer).contains("our-own-contract-idea"),
            "{viewer} saw it"
        );
    }
    let view = snapshot(
        &f.state,
        Viewer {
            participant: pid(30),
            role: Role::Representative,
        },
    );
    let aspect = &view.tracks[0].aspects[5];
    assert_eq!(aspect.state.aspect, Aspect::Contracting);
    assert_eq!(aspect.responded, vec![pid(10), pid(20)]);
    assert!(aspect.my_response.is_none());

    assert_eq!(
        f.fac(Command::AgreeAspect {
            track: 0,
            aspect: Aspect::Contracting,
            text: None,
            resembles: None,
        })
        .unwrap_err()
        .code(),
        "aspect_not_revealed"
    );
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    assert!(
        json_for(&f, pid(30)).contains("our-own-contract-idea"),
        "revealed to all"
    );
    let a = f.state.tracks[0].aspect(Aspect::Contracting);
    assert_eq!(a.status, AspectStatus::Revealed);
    assert!(a.reveals[0].disagreement);
    assert_eq!(
        respond(&mut f, 30, 0, Aspect::Contracting, Choice::Accept)
            .unwrap_err()
            .code(),
        "aspect_not_open"
    );
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Contracting,
        text: None,
        resembles: None,
    })
    .unwrap();
    let agreed = f.state.tracks[0]
        .aspect(Aspect::Contracting)
        .agreement
        .clone()
        .unwrap();
    assert_eq!(
        agreed.text,
        Aspect::Contracting.principle(Form::Functional).en
    );
    assert_eq!(agreed.matches, Some(Form::Functional));
    assert_eq!(agreed.dissenting, vec![oid(2)]);
    // The facilitator may edit it; then it matches no form.
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Contracting,
        text: Some(text("An SLA plus a joint roadmap")),
        resembles: None,
    })
    .unwrap();
    let edited = f.state.tracks[0]
        .aspect(Aspect::Contracting)
        .agreement
        .clone()
        .unwrap();
    assert_eq!(edited.matches, None);
    assert_eq!(edited.dissenting, vec![oid(1), oid(2)]);
    // Everything else is still open: a partial design.
    let open = f.state.tracks[0]
        .aspects
        .iter()
        .filter(|a| a.status == AspectStatus::Open)
        .count();
    assert_eq!(open, 12);
}

#[test]
fn choosing_another_forms_principle_is_flagged_as_mixing() {
    let mut f = split_telecom();
    respond(&mut f, 10, 0, Aspect::Finances, Choice::Accept).unwrap();
    respond(
        &mut f,
        20,
        0,
        Aspect::Finances,
        Choice::OtherForm {
            form: Form::Entrepreneurial,
        },
    )
    .unwrap();
    reveal(&mut f, 0, Aspect::Finances).unwrap();
    let r = &f.state.tracks[0].aspect(Aspect::Finances).reveals[0];
    assert_eq!(r.mixing.len(), 1);
    assert_eq!(r.mixing[0].organisation, oid(2));
    assert_eq!(
        (r.mixing[0].track_form, r.mixing[0].chosen_form),
        (Form::Functional, Form::Entrepreneurial)
    );
}

#[test]
fn organisations_respond_only_in_their_tracks_and_only_in_design() {
    let mut f = split_telecom();
    assert_eq!(
        respond(&mut f, 30, 1, Aspect::Identity, Choice::Accept)
            .unwrap_err()
            .code(),
        "not_in_track"
    );
    assert_eq!(
        respond(&mut f, 10, 7, Aspect::Identity, Choice::Accept)
            .unwrap_err()
            .code(),
        "unknown_track"
    );
    respond(&mut f, 30, 0, Aspect::Identity, Choice::Accept).unwrap();
    assert_eq!(
        f.run(
            Some(f.facilitator),
            Command::Respond {
                track: 0,
                aspect: Aspect::Identity,
                response: Response {
                    choice: Choice::Accept,
                    comment: None
                }
            }
        )
        .unwrap_err()
        .code(),
        "forbidden"
    );
    let mut early = Fixture::three_orgs();
    assert_eq!(
        respond(&mut early, 10, 0, Aspect::Identity, Choice::Accept)
            .unwrap_err()
            .code(),
        "wrong_phase"
    );
}

#[test]
fn revealing_a_cluster_reveals_its_answered_aspects_and_nothing_empty() {
    let mut f = designing();
    assert_eq!(
        reveal(&mut f, 0, Aspect::Ict).unwrap_err().code(),
        "no_responses"
    );
    respond(&mut f, 10, 0, Aspect::KeyRoles, Choice::Accept).unwrap();
    respond(&mut f, 20, 0, Aspect::Identity, Choice::Accept).unwrap();
    let events = f
        .fac(Command::RevealAspects {
            track: 0,
            aspects: Cluster::Behaviour.aspects().to_vec(),
            cluster: Some(Cluster::Behaviour),
        })
        .unwrap();
    match &events[0] {
        Event::AspectsRevealed { reveals, .. } => {
            let aspects: Vec<Aspect> = reveals.iter().map(|r| r.aspect).collect();
            assert_eq!(aspects, vec![Aspect::KeyRoles, Aspect::Identity]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        f.state.tracks[0].aspect(Aspect::ManagementStyle).status,
        AspectStatus::Open
    );
}

#[test]
fn an_aspect_can_be_reopened_and_parked() {
    let mut f = designing();
    respond(&mut f, 10, 0, Aspect::Ict, Choice::Accept).unwrap();
    reveal(&mut f, 0, Aspect::Ict).unwrap();
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Ict,
        text: None,
        resembles: None,
    })
    .unwrap();
    f.fac(Command::ReopenAspect {
        track: 0,
        aspect: Aspect::Ict,
    })
    .unwrap();
    let a = f.state.tracks[0].aspect(Aspect::Ict);
    assert_eq!((a.status, a.round), (AspectStatus::Open, 2));
    assert_eq!(a.reveals.len(), 1, "the first round stays in the history");
    assert!(a.agreement.is_none());
    assert_eq!(
        f.fac(Command::ReopenAspect {
            track: 0,
            aspect: Aspect::Ict
        })
        .unwrap_err()
        .code(),
        "aspect_already_open"
    );
    f.fac(Command::ParkAspect {
        track: 0,
        aspect: Aspect::Ict,
        reason: text("needs the CIO"),
        owner: None,
        due: None,
    })
    .unwrap();
    let a = f.state.tracks[0].aspect(Aspect::Ict);
    assert_eq!(a.status, AspectStatus::Parked);
    assert_eq!(a.parked.as_deref(), Some("needs the CIO"));
    assert_eq!(
        f.fac(Command::ParkAspect {
            track: 0,
            aspect: Aspect::Ict,
            reason: text("x"),
            owner: None,
            due: None,
        })
        .unwrap_err()
        .code(),
        "aspect_already_parked"
    );
}

#[test]
fn the_facilitator_moderates_the_board_and_every_action_is_an_event() {
    let mut f = designing();
    let before = f.log.len();
    f.fac(Command::Focus {
        step: Some(Step {
            track: Some(0),
            cluster: Some(Cluster::Governance),
            aspect: None,
        }),
    })
    .unwrap();
    assert_eq!(
        f.fac(Command::Focus {
            step: Some(Step {
                track: Some(9),
                ..Default::default()
            })
        })
        .unwrap_err()
        .code(),
        "unknown_track"
    );
    f.fac(Command::StartTimer {
        seconds: 300,
        label: Some(Name::parse("label", "Governance").unwrap()),
    })
    .unwrap();
    let timer = f.state.timer.clone().unwrap();
    assert_eq!((timer.ends_at - timer.started_at).num_seconds(), 300);
    for bad in [0, 9, 4 * 3600 + 1] {
        assert_eq!(
            f.fac(Command::StartTimer {
                seconds: bad,
                label: None
            })
            .unwrap_err()
            .code(),
            "out_of_range"
        );
    }
    f.fac(Command::StopTimer).unwrap();
    assert!(f.state.timer.is_none());
    f.fac(Command::RenameOrganisation {
        organisation: oid(2),
        name: Name::parse("name", "ICT Partner").unwrap(),
    })
    .unwrap();
    assert_eq!(f.state.organisation(oid(2)).unwrap().name, "ICT Partner");
    assert_eq!(
        f.fac(Command::RenameOrganisation {
            organisation: oid(2),
            name: Name::parse("name", "consultancy").unwrap()
        })
        .unwrap_err()
        .code(),
        "organisation_taken"
    );
    f.fac(Command::AddNote {
        about: Step {
            track: Some(0),
            aspect: Some(Aspect::Contracting),
            cluster: None,
        },
        text: text("Legal joins at 14:00"),
    })
    .unwrap();
    assert_eq!(f.state.notes[0].phase, Phase::Design);
    // Representatives may do none of this.
    assert_eq!(
        f.run(Some(pid(10)), Command::StopTimer).unwrap_err().code(),
        "forbidden"
    );
    let moderation: Vec<_> = f.log[before..]
        .iter()
        .map(|r| (r.by, r.event.name()))
        .collect();
    assert!(
        moderation.iter().all(|(by, _)| *by == Some(f.facilitator)),
        "who did it is recorded"
    );
    assert_eq!(moderation.len(), 5);
}

#[test]
fn merging_moves_representatives_and_removing_a_person_revokes_them_but_keeps_history() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    f.answer(30, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Improve, Nature::Share).unwrap();
    assert_eq!(
        f.fac(Command::MergeOrganisations {
            from: oid(3),
            into: oid(3)
        })
        .unwrap_err()
        .code(),
        "same_organisation"
    );
    f.fac(Command::MergeOrganisations {
        from: oid(3),
        into: oid(2),
    })
    .unwrap();
    assert_eq!(
        f.state.participant(pid(30)).unwrap().organisation,
        Some(oid(2))
    );
    assert_eq!(f.state.active_organisations().count(), 2);
    assert_eq!(f.state.answers[&pid(30)].organisation, oid(2));
    let late = decide(
        &Limits::default(),
        &f.state,
        None,
        &Command::Join(Join {
            participant: pid(60),
            name: Name::parse("name", "Late").unwrap(),
            organisation: OrgChoice::Existing(oid(3)),
        }),
    );
    assert_eq!(
        late.unwrap_err().code(),
        "unknown_organisation",
        "merged away"
    );

    assert_eq!(
        f.fac(Command::RemoveParticipant {
            participant: f.facilitator
        })
        .unwrap_err()
        .code(),
        "cannot_remove_self"
    );
    f.fac(Command::RemoveParticipant {
        participant: pid(20),
    })
    .unwrap();
    assert!(
        !f.state.answers.contains_key(&pid(20)),
        "an unrevealed answer leaves with its author"
    );
    assert_eq!(
        f.run(
            Some(pid(20)),
            super::tests::intent_answer(Intent::Innovate, "x")
        )
        .unwrap_err()
        .code(),
        "not_a_participant"
    );
    assert_eq!(
        f.fac(Command::RemoveParticipant {
            participant: pid(20)
        })
        .unwrap_err()
        .code(),
        "unknown_participant"
    );
    assert_eq!(
        f.state.participant(pid(20)).unwrap().name,
        "Ivo",
        "still in the history"
    );
    // The plain reveal no longer waits for the removed person.
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(11, Intent::Improve, Nature::Share).unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
}

#[test]
fn a_second_facilitator_joins_with_a_name_of_their_own() {
    let mut f = Fixture::three_orgs();
    f.run(
        None,
        Command::JoinFacilitator {
            participant: pid(2),
            name: Name::parse("name", "Femke").unwrap(),
        },
    )
    .unwrap();
    assert_eq!(f.state.participant(pid(2)).unwrap().role, Role::Facilitator);
    f.run(Some(pid(2)), Command::StartPositioning).unwrap();
    assert_eq!(
        f.run(
            None,
            Command::JoinFacilitator {
                participant: pid(3),
                name: Name::parse("name", "femke").unwrap()
            }
        )
        .unwrap_err()
        .code(),
        "name_taken"
    );
}

#[test]
fn review_collects_approvals_objections_reopen_and_close_freezes_the_session() {
    let mut f = designing();
    respond(&mut f, 10, 0, Aspect::Ict, Choice::Accept).unwrap();
    reveal(&mut f, 0, Aspect::Ict).unwrap();
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Ict,
        text: None,
        resembles: None,
    })
    .unwrap();
    assert_eq!(
        f.run(Some(pid(10)), Command::Approve { track: None })
            .unwrap_err()
            .code(),
        "wrong_phase"
    );
    f.fac(Command::OpenReview).unwrap();
    assert_eq!(f.state.phase, Phase::Review);
    f.run(Some(pid(10)), Command::Approve { track: None })
        .unwrap();
    assert_eq!(
        f.run(Some(pid(11)), Command::Approve { track: None })
            .unwrap_err()
            .code(),
        "already_approved",
        "one approval per organisation"
    );
    assert_eq!(
        f.fac(Command::Close { force: false }).unwrap_err().code(),
        "not_all_approved"
    );
    // An objection that names an aspect reopens it and returns to design.
    f.run(
        Some(pid(20)),
        Command::Object {
            reason: text("ICT is not settled"),
            aspects: vec![AspectRef {
                track: 0,
                aspect: Aspect::Ict,
            }],
        },
    )
    .unwrap();
    assert_eq!(f.state.phase, Phase::Design);
    assert!(
        f.state.approvals.is_empty(),
        "the design changes, so approvals start over"
    );
    assert_eq!(f.state.tracks[0].aspect(Aspect::Ict).round, 2);
    f.fac(Command::OpenReview).unwrap();
    for p in [10, 20] {
        f.run(Some(pid(p)), Command::Approve { track: None })
            .unwrap();
    }
    // An objection without aspects stands recorded.
    f.run(
        Some(pid(30)),
        Command::Object {
            reason: text("We would rather wait"),
            aspects: vec![],
        },
    )
    .unwrap();
    assert_eq!(f.state.phase, Phase::Review);
    assert_eq!(
        f.fac(Command::Close { force: false }).unwrap_err(),
        Rejection::NotAllApproved(1)
    );
    f.fac(Command::Close { force: true }).unwrap();
    assert_eq!(f.state.phase, Phase::Closed);
    let closure = f.state.closure.clone().unwrap();
    assert!(closure.forced);
    assert_eq!(closure.not_approved, vec![oid(3)]);
    assert_eq!(f.state.objections.len(), 2);
    // Closed: every command gets the same clear refusal.
    for (by, c) in [
        (
            Some(f.facilitator),
            Command::StartTimer {
                seconds: 60,
                label: None,
            },
        ),
        (Some(pid(10)), Command::Approve { track: None }),
        (
            None,
            Command::Join(Join {
                participant: pid(70),
                name: Name::parse("name", "Late").unwrap(),
                organisation: OrgChoice::Existing(oid(1)),
            }),
        ),
    ] {
        assert_eq!(f.run(by, c).unwrap_err().code(), "session_closed");
    }
}

#[test]
fn a_principle_written_in_the_other_language_is_the_same_choice() {
    let mut f = designing();
    let dutch = Aspect::Contracting.principle(Form::Functional).nl;
    respond(&mut f, 10, 0, Aspect::Contracting, Choice::Accept).unwrap();
    respond(
        &mut f,
        20,
        0,
        Aspect::Contracting,
        Choice::Own { text: text(dutch) },
    )
    .unwrap();
    reveal(&mut f, 0, Aspect::Contracting).unwrap();
    assert!(!f.state.tracks[0].aspect(Aspect::Contracting).reveals[0].disagreement);
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Contracting,
        text: None,
        resembles: None,
    })
    .unwrap();
    let agreed = f.state.tracks[0]
        .aspect(Aspect::Contracting)
        .agreement
        .clone()
        .unwrap();
    assert!(agreed.dissenting.is_empty());
}

#[test]
fn parking_drops_an_agreement_and_objections_leave_open_aspects_alone() {
    let mut f = designing();
    respond(&mut f, 10, 0, Aspect::Identity, Choice::Accept).unwrap();
    reveal(&mut f, 0, Aspect::Identity).unwrap();
    f.fac(Command::AgreeAspect {
        track: 0,
        aspect: Aspect::Identity,
        text: None,
        resembles: None,
    })
    .unwrap();
    f.fac(Command::ParkAspect {
        track: 0,
        aspect: Aspect::Identity,
        reason: text("later"),
        owner: None,
        due: None,
    })
    .unwrap();
    assert!(
        f.state.tracks[0]
            .aspect(Aspect::Identity)
            .agreement
            .is_none()
    );
    respond(&mut f, 10, 0, Aspect::Ict, Choice::Accept).unwrap();
    f.fac(Command::OpenReview).unwrap();
    f.run(
        Some(pid(20)),
        Command::Object {
            reason: text("ICT"),
            aspects: vec![AspectRef {
                track: 0,
                aspect: Aspect::Ict,
            }],
        },
    )
    .unwrap();
    let ict = f.state.tracks[0].aspect(Aspect::Ict);
    assert_eq!(ict.round, 1, "an open aspect keeps its round");
    assert!(ict.responses.contains_key(&pid(10)), "and its responses");
}

#[test]
fn merging_an_organisation_carries_its_track_membership_over() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 11, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::Split {
        tracks: vec![
            TrackSpec {
                name: Name::parse("name", "A").unwrap(),
                form: Form::Functional,
                organisations: vec![oid(3)],
            },
            TrackSpec {
                name: Name::parse("name", "B").unwrap(),
                form: Form::Functional,
                organisations: vec![],
            },
        ],
        rationale: because(),
    })
    .unwrap();
    f.fac(Command::StartDesign).unwrap();
    f.fac(Command::MergeOrganisations {
        from: oid(3),
        into: oid(1),
    })
    .unwrap();
    assert_eq!(f.state.tracks[0].organisations, vec![oid(1)]);
    respond(&mut f, 10, 0, Aspect::Ict, Choice::Accept).unwrap();
    let unchanged = f
        .fac(Command::RenameOrganisation {
            organisation: oid(1),
            name: Name::parse("name", "Telecom supplier").unwrap(),
        })
        .unwrap();
    assert!(
        unchanged.is_empty(),
        "renaming to the same name changes nothing"
    );
}
