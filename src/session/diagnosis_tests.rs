//! The diagnosis mode's rules, each pinned by a test: no form gate, blind placements (checked
//! on the views and the profile), the reveal, what the findings show, tags, findings, actions
//! and the review.

use super::tests::{Fixture, because, disagreeing_in, json_for, oid, pid};
use super::*;
use crate::model::{Aspect, Form, Intent, Nature};
use crate::session::findings::analyse;
use crate::session::state::{PlacementStatus, decode_checkpoint, encode_checkpoint};
use crate::session::view::{Viewer, snapshot};

/// Telecom (two representatives), the ICT provider and a consultancy, in a diagnosis.
fn diagnosis() -> Fixture {
    Fixture::three_orgs_in(Mode::Diagnosis)
}

fn d(c: DiagnosisCommand) -> Command {
    Command::Diagnosis(c)
}

fn place(
    f: &mut Fixture,
    p: u128,
    aspect: Aspect,
    placed: Placed,
) -> Result<Vec<Event>, Rejection> {
    f.run(
        Some(pid(p)),
        d(DiagnosisCommand::Place {
            aspect,
            placing: Placing {
                placed,
                example: Some(FreeText::parse("example", "secret motive").unwrap()),
            },
        }),
    )
}

fn form(form: Form) -> Placed {
    Placed::Form { form }
}

fn own(text: &str) -> Placed {
    Placed::Own {
        text: FreeText::parse("text", text).unwrap(),
    }
}

fn reveal_all(f: &mut Fixture) -> Result<Vec<Event>, Rejection> {
    f.fac(d(DiagnosisCommand::Reveal {
        aspects: Aspect::ALL.to_vec(),
        group: true,
    }))
}

/// A refusal with this code, and the state as it was.
fn refused(f: &mut Fixture, by: u128, c: Command, code: &str) {
    let before = f.state.clone();
    let r = f.run(Some(pid(by)), c).unwrap_err();
    assert_eq!(r.code(), code, "{r}");
    assert_eq!(f.state, before, "a refusal changes nothing");
}

#[test]
fn a_diagnosis_starts_without_a_form_gate_and_design_commands_are_not_part_of_it() {
    let mut f = diagnosis();
    assert_eq!(f.state.mode(), Mode::Diagnosis);
    refused(&mut f, 10, d(DiagnosisCommand::Start), "forbidden");
    // Partners who intend different forms: in a design the gate would hold them.
    let mut f = disagreeing_in(Mode::Diagnosis);
    refused(&mut f, 1, Command::StartDesign, "wrong_mode");
    f.fac(d(DiagnosisCommand::Start)).unwrap();
    assert_eq!(f.state.phase, Phase::Diagnosis);
    assert_eq!(f.state.intended_form(), None, "they do not agree");
    assert_eq!(f.state.intended_by(oid(1)), Some(Form::Functional));
    // And a design session has no diagnosis.
    let mut design = Fixture::new();
    let r = design.fac(d(DiagnosisCommand::Start)).unwrap_err();
    assert_eq!(r.code(), "wrong_mode");
}

#[test]
fn a_placement_is_blind_to_everyone_but_its_author_including_in_the_profile() {
    let mut f = diagnosis();
    f.fac(d(DiagnosisCommand::Start)).unwrap();
    place(&mut f, 10, Aspect::Ict, own("one shared service desk")).unwrap();
    for viewer in [pid(1), pid(11), pid(20)] {
        let seen = json_for(&f, viewer);
        assert!(!seen.contains("secret motive"), "{viewer:?} saw it");
        assert!(!seen.contains("one shared service desk"));
    }
    assert!(json_for(&f, pid(10)).contains("secret motive"));
    let a = analyse(&f.state).unwrap();
    assert!(a.revealed.is_empty());
    assert!(a.overall.profile.iter().all(|r| r.counts == [0; 4]));
    assert!(a.representatives.is_empty() && a.organisations.is_empty());
    let board = snapshot(
        &f.state,
        Viewer {
            participant: pid(1),
            role: Role::Facilitator,
        },
    );
    let ict = &board.diagnosis.as_ref().unwrap().aspects[Aspect::Ict.index()];
    assert_eq!(ict.placed, vec![pid(10)], "that it was placed, not where");
    assert!(ict.my_placement.is_none());
    // A checkpoint keeps the blind placement beside the state.
    let back = decode_checkpoint(&encode_checkpoint(&f.state)).unwrap();
    assert_eq!(back, f.state);
}

#[test]
fn the_reveal_shows_profile_dominant_form_mixing_gaps_and_differing_views() {
    let mut f = diagnosis();
    // The partners intend the functional form.
    f.fac(Command::StartPositioning).unwrap();
    for p in [10, 11, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(d(DiagnosisCommand::Start)).unwrap();
    refused(
        &mut f,
        10,
        d(DiagnosisCommand::Withdraw {
            aspect: Aspect::Ict,
        }),
        "nothing_to_withdraw",
    );
    for aspect in Aspect::ALL {
        for p in [10, 11, 20, 30] {
            let placed = match aspect {
                // The telecom case: the work process runs as joint product development.
                Aspect::WorkProcess => form(Form::Entrepreneurial),
                // Nobody can place ICT.
                Aspect::Ict => Placed::None,
                // The provider sees decision making differently.
                Aspect::DecisionMaking if p == 20 => form(Form::Transactional),
                _ => form(Form::Functional),
            };
            place(&mut f, p, aspect, placed).unwrap();
        }
    }
    reveal_all(&mut f).unwrap();
    let a = analyse(&f.state).unwrap();
    assert_eq!(a.revealed.len(), 13);
    assert_eq!(a.intended, Some(Form::Functional));
    assert_eq!(a.overall.dominant, Some(Form::Functional));
    assert_eq!(
        a.overall
            .mixing
            .iter()
            .map(|m| (m.aspect, m.form))
            .collect::<Vec<_>>(),
        vec![(Aspect::WorkProcess, Form::Entrepreneurial)]
    );
    assert_eq!(a.overall.gaps, vec![Aspect::Ict]);
    assert_eq!(a.overall.differing, vec![Aspect::DecisionMaking]);
    // Telecom's two representatives count together as one organisation.
    let telecom = &a.organisations[0];
    assert_eq!(telecom.organisation, oid(1));
    assert_eq!(
        telecom.summary.profile[Aspect::ALL
            .iter()
            .position(|x| *x == Aspect::WorkProcess)
            .unwrap()]
        .counts,
        [0, 0, 2, 0]
    );
    assert_eq!(a.representatives.len(), 4);
    assert_eq!(
        a.representatives[2].forms[Aspect::DecisionMaking.index()],
        Some(Form::Transactional)
    );
    // Revealed aspects take no more placements until reopened.
    refused(&mut f, 10, place_cmd(Aspect::Ict), "aspect_not_open");
    f.fac(d(DiagnosisCommand::Reopen {
        aspect: Aspect::Ict,
    }))
    .unwrap();
    assert_eq!(
        f.state
            .diagnosis
            .as_ref()
            .unwrap()
            .aspect(Aspect::Ict)
            .status,
        PlacementStatus::Open
    );
    f.run(Some(pid(10)), place_cmd(Aspect::Ict)).unwrap();
}

fn place_cmd(aspect: Aspect) -> Command {
    d(DiagnosisCommand::Place {
        aspect,
        placing: Placing {
            placed: Placed::None,
            example: None,
        },
    })
}

#[test]
fn own_words_count_for_no_form_until_the_facilitator_tags_them() {
    let mut f = diagnosis();
    f.fac(d(DiagnosisCommand::Start)).unwrap();
    refused(
        &mut f,
        1,
        d(DiagnosisCommand::Reveal {
            aspects: vec![Aspect::Identity],
            group: false,
        }),
        "no_placements",
    );
    place(
        &mut f,
        10,
        Aspect::Identity,
        own("we each keep our own brand"),
    )
    .unwrap();
    place(&mut f, 20, Aspect::Identity, form(Form::Transactional)).unwrap();
    f.fac(d(DiagnosisCommand::Reveal {
        aspects: vec![Aspect::Identity],
        group: false,
    }))
    .unwrap();
    let a = analyse(&f.state).unwrap();
    // Untagged own words count for no form: only the provider's placement counts so far.
    assert!(a.overall.differing.is_empty() && a.overall.gaps.is_empty());
    assert_eq!(a.organisations[0].summary.gaps, vec![Aspect::Identity]);
    let tag = |p: u128, form: Option<Form>| {
        d(DiagnosisCommand::Tag {
            aspect: Aspect::Identity,
            participant: pid(p),
            form,
        })
    };
    refused(&mut f, 1, tag(20, Some(Form::Functional)), "not_own_words");
    refused(
        &mut f,
        1,
        tag(30, Some(Form::Functional)),
        "no_such_placement",
    );
    refused(&mut f, 10, tag(10, Some(Form::Functional)), "forbidden");
    f.fac(tag(10, Some(Form::Functional))).unwrap();
    assert_eq!(
        analyse(&f.state).unwrap().overall.differing,
        vec![Aspect::Identity]
    );
    f.fac(tag(10, Some(Form::Transactional))).unwrap();
    let a = analyse(&f.state).unwrap();
    assert!(a.overall.differing.is_empty(), "both transactional now");
    assert_eq!(a.overall.dominant, Some(Form::Transactional));
    assert!(
        f.fac(tag(10, Some(Form::Transactional)))
            .unwrap()
            .is_empty(),
        "nothing new"
    );
}

#[test]
fn findings_and_actions_are_recorded_changed_and_removed_within_their_limits() {
    let mut f = diagnosis();
    f.fac(d(DiagnosisCommand::Start)).unwrap();
    let text = |s: &str| FreeText::parse("text", s).unwrap();
    f.fac(d(DiagnosisCommand::Finding {
        aspect: Aspect::Contracting,
        text: Some(text("The SLA prices outcomes nobody can yet define")),
    }))
    .unwrap();
    let set = |action: Option<u32>, t: &str| {
        d(DiagnosisCommand::SetAction {
            aspect: Aspect::Contracting,
            action,
            text: text(t),
            owner: Some(Owner::Organisation(oid(2))),
            due: Some(DueDate::parse("2027-03-31").unwrap()),
        })
    };
    f.fac(set(None, "Draft a development agreement")).unwrap();
    f.fac(set(None, "Take product work out of the SLA"))
        .unwrap();
    f.fac(set(Some(1), "Draft a joint development agreement"))
        .unwrap();
    f.fac(d(DiagnosisCommand::RemoveAction {
        aspect: Aspect::Contracting,
        action: 2,
    }))
    .unwrap();
    f.fac(set(None, "Agree a review date")).unwrap();
    let a = f
        .state
        .diagnosis
        .as_ref()
        .unwrap()
        .aspect(Aspect::Contracting);
    assert_eq!(
        a.actions.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![1, 3],
        "a number is never reused"
    );
    assert_eq!(a.actions[0].text, "Draft a joint development agreement");
    refused(&mut f, 1, set(Some(2), "gone"), "unknown_action");
    refused(
        &mut f,
        1,
        d(DiagnosisCommand::RemoveAction {
            aspect: Aspect::Contracting,
            action: 9,
        }),
        "unknown_action",
    );
    refused(&mut f, 10, set(None, "mine"), "forbidden");
    // The limit holds (the default is far above what a workshop needs; a small one here).
    let limits = Limits {
        max_actions: 2,
        ..Limits::default()
    };
    let r = decide(&limits, &f.state, Some(pid(1)), &set(None, "a third")).unwrap_err();
    assert_eq!(r.code(), "too_many_actions");
    let owner_gone = d(DiagnosisCommand::SetAction {
        aspect: Aspect::Ict,
        action: None,
        text: text("x"),
        owner: Some(Owner::Organisation(oid(9))),
        due: None,
    });
    refused(&mut f, 1, owner_gone, "unknown_organisation");
}

#[test]
fn the_partners_approve_a_diagnosis_and_an_objection_returns_it_to_the_diagnosis() {
    let mut f = diagnosis();
    refused(&mut f, 1, Command::OpenReview, "wrong_phase");
    f.fac(d(DiagnosisCommand::Start)).unwrap();
    place(&mut f, 10, Aspect::Ict, form(Form::Functional)).unwrap();
    reveal_all(&mut f).unwrap();
    f.fac(Command::OpenReview).unwrap();
    f.run(Some(pid(10)), Command::Approve { track: None })
        .unwrap();
    f.run(
        Some(pid(20)),
        Command::Object {
            reason: because(),
            aspects: vec![AspectRef {
                track: 0,
                aspect: Aspect::Ict,
            }],
        },
    )
    .unwrap();
    assert_eq!(f.state.phase, Phase::Diagnosis);
    assert!(f.state.approvals.is_empty());
    f.fac(Command::OpenReview).unwrap();
    for p in [10, 20, 30] {
        f.run(Some(pid(p)), Command::Approve { track: None })
            .unwrap();
    }
    f.fac(Command::Close { force: false }).unwrap();
    assert_eq!(f.state.phase, Phase::Closed);
    assert_eq!(f.state.closure.as_ref().map(|c| c.forced), Some(false));
}

#[test]
fn a_removed_representatives_blind_placements_leave_with_them() {
    let mut f = diagnosis();
    f.fac(d(DiagnosisCommand::Start)).unwrap();
    place(&mut f, 20, Aspect::Ict, form(Form::Functional)).unwrap();
    f.fac(Command::RemoveParticipant {
        participant: pid(20),
    })
    .unwrap();
    let a = f.state.diagnosis.as_ref().unwrap().aspect(Aspect::Ict);
    assert!(a.placements.is_empty());
    let board = snapshot(
        &f.state,
        Viewer {
            participant: pid(1),
            role: Role::Facilitator,
        },
    );
    assert!(
        board.diagnosis.unwrap().aspects[Aspect::Ict.index()]
            .placed
            .is_empty()
    );
    refused(
        &mut f,
        1,
        d(DiagnosisCommand::Reveal {
            aspects: vec![Aspect::Ict],
            group: false,
        }),
        "no_placements",
    );
}

#[test]
fn a_diagnosis_may_start_straight_from_the_lobby_and_reads_a_plan_when_asked() {
    let mut f = diagnosis();
    f.fac(d(DiagnosisCommand::Start)).unwrap();
    assert_eq!(f.state.phase, Phase::Diagnosis);
    refused(&mut f, 1, d(DiagnosisCommand::Start), "wrong_phase");
    refused(&mut f, 1, Command::StartPositioning, "wrong_phase");
    let mut plan = Fixture::empty();
    plan.run(
        None,
        Command::Create(Create {
            title: Title::parse("A plan").unwrap(),
            language: crate::model::Lang::En,
            facilitator: pid(1),
            facilitator_name: Name::parse("name", "Fran").unwrap(),
            auto_reveal: false,
            join_code: None,
            time_zone: None,
            mode: Mode::Diagnosis,
            subject: Subject::Plan,
            baseline: None,
        }),
    )
    .unwrap();
    assert_eq!(
        plan.state.diagnosis.as_ref().unwrap().subject,
        Subject::Plan
    );
    assert!(json_for(&plan, pid(1)).contains(r#""subject":"plan""#));
}
