//! The rules of the core, each pinned by a test: phases, roles, blind answers (checked on the
//! views), reveal, alignment, the gate and its three resolutions.

use super::*;
use crate::model::{Form, Intent, Lang, Nature};
use chrono::{TimeZone, Utc};
use uuid::Uuid;

/// A session driven through the core the way the live layer drives it.
pub(super) struct Fixture {
    pub(super) state: State,
    pub(super) log: Vec<Recorded>,
    pub(super) facilitator: ParticipantId,
}

pub(super) fn pid(n: u128) -> ParticipantId {
    ParticipantId(Uuid::from_u128(n))
}
pub(super) fn oid(n: u128) -> OrgId {
    OrgId(Uuid::from_u128(100 + n))
}

impl Fixture {
    /// No session yet: the first command is to create it.
    pub(super) fn empty() -> Fixture {
        Fixture {
            state: State::default(),
            log: Vec::new(),
            facilitator: pid(1),
        }
    }

    pub(super) fn new() -> Fixture {
        Fixture::new_in(Mode::Design)
    }

    /// A new session of this mode.
    pub(super) fn new_in(mode: Mode) -> Fixture {
        let mut f = Fixture::empty();
        f.run(
            None,
            Command::Create(Create {
                title: Title::parse("Telecom").unwrap(),
                language: Lang::En,
                facilitator: pid(1),
                facilitator_name: Name::parse("name", "Fran").unwrap(),
                auto_reveal: false,
                join_code: None,
                time_zone: None,
                mode,
                subject: Default::default(),
                baseline: None,
            }),
        )
        .unwrap();
        f
    }

    pub(super) fn run(
        &mut self,
        by: Option<ParticipantId>,
        c: Command,
    ) -> Result<Vec<Event>, Rejection> {
        let at = Utc
            .timestamp_opt(1_700_000_000 + self.state.last_seq as i64, 0)
            .unwrap();
        let recorded = execute(&Limits::default(), &self.state, by, &c, at)?;
        let events = recorded.iter().map(|r| r.event.clone()).collect();
        for r in recorded {
            self.state.apply(&r);
            self.log.push(r);
        }
        Ok(events)
    }

    pub(super) fn fac(&mut self, c: Command) -> Result<Vec<Event>, Rejection> {
        self.run(Some(self.facilitator), c)
    }

    /// Joins person `p` for organisation `o` (new if not yet there).
    pub(super) fn join(&mut self, p: u128, name: &str, o: u128, org: &str) {
        let organisation = if self.state.organisation(oid(o)).is_some() {
            OrgChoice::Existing(oid(o))
        } else {
            OrgChoice::New {
                id: oid(o),
                name: Name::parse("organisation_name", org).unwrap(),
            }
        };
        self.run(
            None,
            Command::Join(Join {
                participant: pid(p),
                name: Name::parse("name", name).unwrap(),
                organisation,
            }),
        )
        .unwrap();
    }

    pub(super) fn answer(
        &mut self,
        p: u128,
        intent: Intent,
        nature: Nature,
    ) -> Result<(), Rejection> {
        self.run(Some(pid(p)), intent_answer(intent, "secret motive"))?;
        self.run(Some(pid(p)), nature_answer(nature))?;
        Ok(())
    }

    /// Telecom (1, 2) and the ICT provider (3) and a consultancy (4): three organisations.
    pub(super) fn three_orgs() -> Fixture {
        Fixture::three_orgs_in(Mode::Design)
    }

    /// The same people in a session of this mode.
    pub(super) fn three_orgs_in(mode: Mode) -> Fixture {
        let mut f = Fixture::new_in(mode);
        f.join(10, "Tess", 1, "Telecom supplier");
        f.join(11, "Tom", 1, "Telecom supplier");
        f.join(20, "Ivo", 2, "ICT service provider");
        f.join(30, "Carla", 3, "Consultancy");
        f
    }
}

pub(super) fn intent_answer(pole: Intent, motivation: &str) -> Command {
    Command::Answer(AxisAnswer::Intent {
        pole,
        strength: Strength::parse(2).unwrap(),
        motivation: FreeText::parse_optional("motivation", Some(motivation)).unwrap(),
    })
}

pub(super) fn nature_answer(pole: Nature) -> Command {
    Command::Answer(AxisAnswer::Nature {
        pole,
        strength: Strength::parse(3).unwrap(),
        motivation: None,
    })
}

pub(super) fn json_for(f: &Fixture, viewer: ParticipantId) -> String {
    let role = f.state.participant(viewer).unwrap().role;
    let mut out = serde_json::to_string(&snapshot(
        &f.state,
        Viewer {
            participant: viewer,
            role,
        },
    ))
    .unwrap();
    for r in &f.log {
        out.push_str(&serde_json::to_string(&EventMessage::new(r, Some(viewer))).unwrap());
    }
    out
}

#[test]
fn phases_start_in_the_lobby_and_only_the_facilitator_opens_positioning() {
    let mut f = Fixture::three_orgs();
    assert_eq!(f.state.phase, Phase::Lobby);
    assert_eq!(
        f.run(Some(pid(10)), Command::StartPositioning)
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        f.run(Some(pid(10)), intent_answer(Intent::Improve, "x"))
            .unwrap_err()
            .code(),
        "wrong_phase"
    );
    f.fac(Command::StartPositioning).unwrap();
    assert_eq!(f.state.phase, Phase::Positioning);
    assert_eq!(f.state.round, 1);
    assert_eq!(
        f.fac(Command::StartPositioning).unwrap_err().code(),
        "wrong_phase"
    );
}

#[test]
fn the_facilitator_does_not_answer_and_strangers_do_nothing() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    assert_eq!(
        f.fac(intent_answer(Intent::Improve, "x"))
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        f.run(Some(pid(999)), Command::Reveal { force: true })
            .unwrap_err()
            .code(),
        "not_a_participant"
    );
    assert_eq!(
        f.run(None, Command::Reveal { force: true })
            .unwrap_err()
            .code(),
        "not_a_participant"
    );
}

#[test]
fn joining_names_are_unique_and_new_organisations_need_permission() {
    let mut f = Fixture::three_orgs();
    let dup = decide(
        &Limits::default(),
        &f.state,
        None,
        &Command::Join(Join {
            participant: pid(50),
            name: Name::parse("name", "TESS").unwrap(),
            organisation: OrgChoice::Existing(oid(1)),
        }),
    );
    assert_eq!(dup.unwrap_err().code(), "name_taken");
    let same_org = decide(
        &Limits::default(),
        &f.state,
        None,
        &Command::Join(Join {
            participant: pid(50),
            name: Name::parse("name", "Nina").unwrap(),
            organisation: OrgChoice::New {
                id: oid(9),
                name: Name::parse("organisation_name", "telecom SUPPLIER").unwrap(),
            },
        }),
    );
    assert_eq!(same_org.unwrap_err().code(), "organisation_taken");
    let unknown = decide(
        &Limits::default(),
        &f.state,
        None,
        &Command::Join(Join {
            participant: pid(50),
            name: Name::parse("name", "Nina").unwrap(),
            organisation: OrgChoice::Existing(oid(77)),
        }),
    );
    assert_eq!(unknown.unwrap_err().code(), "unknown_organisation");

    f.fac(Command::UpdateSettings {
        auto_reveal: None,
        new_organisations_allowed: Some(false),
        time_zone: None,
    })
    .unwrap();
    let closed = decide(
        &Limits::default(),
        &f.state,
        None,
        &Command::Join(Join {
            participant: pid(50),
            name: Name::parse("name", "Nina").unwrap(),
            organisation: OrgChoice::New {
                id: oid(9),
                name: Name::parse("organisation_name", "Newcomer").unwrap(),
            },
        }),
    );
    assert_eq!(closed.unwrap_err().code(), "new_organisations_closed");
    // Joining an organisation already on the list is still possible.
    f.join(50, "Nina", 2, "");
    assert_eq!(
        f.state.participant(pid(50)).unwrap().organisation,
        Some(oid(2))
    );
}

#[test]
fn before_the_reveal_nobody_but_the_answerer_sees_an_answer() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();

    // The answerer sees their own answer, in the snapshot and in the events.
    let own = json_for(&f, pid(10));
    assert!(own.contains("secret motive"));
    assert!(own.contains("\"improve\""));

    // Everyone else — other representatives, their own colleague, the facilitator — sees only
    // that an answer was given, not a pole, strength or motivation.
    for viewer in [pid(11), pid(20), pid(30), f.facilitator] {
        let seen = json_for(&f, viewer);
        if viewer == pid(20) {
            assert!(seen.contains("\"innovate\""), "20 sees their own answer");
            assert!(!seen.contains("\"improve\""), "20 must not see 10's pole");
        } else {
            for secret in [
                "secret motive",
                "\"improve\"",
                "\"innovate\"",
                "\"share\"",
                "strength",
            ] {
                assert!(
                    !seen.contains(secret),
                    "viewer {viewer} sees {secret}: {seen}"
                );
            }
        }
        assert!(
            seen.contains("answer_given"),
            "that an answer was given is visible"
        );
    }
    let view = snapshot(
        &f.state,
        Viewer {
            participant: pid(30),
            role: Role::Representative,
        },
    );
    let p10 = view.participants.iter().find(|p| p.id == pid(10)).unwrap();
    assert!(p10.answered.intent && p10.answered.nature);
    assert!(view.my_answers.is_none());
}

#[test]
fn answers_can_change_until_the_reveal() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.run(
        Some(pid(10)),
        intent_answer(Intent::Innovate, "changed my mind"),
    )
    .unwrap();
    let pos = &f.state.answers[&pid(10)];
    assert_eq!(pos.intent.as_ref().unwrap().pole, Intent::Innovate);
    assert_eq!(pos.form(), Some(Form::Entrepreneurial));
}

#[test]
fn a_plain_reveal_waits_for_everyone_and_a_forced_one_records_who_was_missing() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    assert_eq!(
        f.fac(Command::Reveal { force: true }).unwrap_err().code(),
        "no_answers"
    );
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();
    let refused = f.fac(Command::Reveal { force: false }).unwrap_err();
    assert_eq!(refused, Rejection::NotAllAnswered(2));
    let before = f.state.clone();
    assert_eq!(before, f.state, "a refusal changes nothing");
    f.fac(Command::Reveal { force: true }).unwrap();
    assert_eq!(f.state.phase, Phase::Alignment);
    let round = f.state.rounds.last().unwrap();
    assert!(round.forced);
    assert_eq!(round.missing, vec![pid(11), pid(30)]);
    assert_eq!(round.positions.len(), 2);
    // After the reveal, everyone sees every answer.
    assert!(json_for(&f, pid(30)).contains("secret motive"));
    // No more answers to the revealed round.
    assert_eq!(
        f.run(Some(pid(30)), intent_answer(Intent::Improve, "late"))
            .unwrap_err()
            .code(),
        "wrong_phase"
    );
}

#[test]
fn auto_reveal_reveals_when_the_last_answer_comes_in() {
    let mut f = Fixture::new();
    f.join(10, "Tess", 1, "Telecom supplier");
    f.join(20, "Ivo", 2, "ICT service provider");
    f.fac(Command::UpdateSettings {
        auto_reveal: Some(true),
        new_organisations_allowed: None,
        time_zone: None,
    })
    .unwrap();
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    assert_eq!(f.state.phase, Phase::Positioning);
    f.run(Some(pid(20)), intent_answer(Intent::Innovate, "x"))
        .unwrap();
    assert_eq!(
        f.state.phase,
        Phase::Positioning,
        "half an answer is not an answer"
    );
    let events = f.run(Some(pid(20)), nature_answer(Nature::Share)).unwrap();
    assert!(matches!(
        events.last(),
        Some(Event::Revealed {
            automatic: true,
            forced: false,
            ..
        })
    ));
    assert_eq!(f.state.phase, Phase::Alignment);
    assert_eq!(
        f.state.rounds[0].by,
        Some(pid(20)),
        "caused by the last answer"
    );
}

#[test]
fn telecom_disagreement_names_both_organisations_and_holds_the_gate() {
    let mut f = Fixture::new();
    f.join(10, "Tess", 1, "Telecom supplier");
    f.join(20, "Ivo", 2, "ICT service provider");
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
    let report = &f.state.rounds[0].report;
    let pair = &report.form_pairs[0];
    assert_eq!((pair.a, pair.b), (Form::Functional, Form::Entrepreneurial));
    assert_eq!(pair.a_organisations, vec![oid(1)]);
    assert_eq!(pair.b_organisations, vec![oid(2)]);
    let view = serde_json::to_string(&snapshot(
        &f.state,
        Viewer {
            participant: pid(10),
            role: Role::Representative,
        },
    ))
    .unwrap();
    assert!(
        view.contains("telecom") || view.contains("Telecom"),
        "the model's explanation names the case"
    );
    assert_eq!(
        f.fac(Command::StartDesign).unwrap_err().code(),
        "gate_closed"
    );
    assert_eq!(f.state.phase, Phase::Alignment);
}

fn disagreeing() -> Fixture {
    disagreeing_in(Mode::Design)
}

/// The telecom case's positions, revealed: Telecom functional, the provider entrepreneurial,
/// the consultancy transactional.
pub(super) fn disagreeing_in(mode: Mode) -> Fixture {
    let mut f = Fixture::three_orgs_in(mode);
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(11, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();
    f.answer(30, Intent::Improve, Nature::Exchange).unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
    f
}

#[test]
fn resolution_by_a_new_round_reopens_answers_and_keeps_the_old_round() {
    let mut f = disagreeing();
    f.fac(Command::NewRound).unwrap();
    assert_eq!(f.state.phase, Phase::Positioning);
    assert_eq!(f.state.round, 2);
    assert!(f.state.answers.is_empty());
    assert_eq!(f.state.rounds.len(), 1, "round 1 stays in the history");
    for p in [10, 11, 20, 30] {
        f.answer(p, Intent::Improve, Nature::Share).unwrap();
    }
    f.fac(Command::Reveal { force: false }).unwrap();
    assert_eq!(f.state.rounds[1].report.agreed, Some(Form::Functional));
    f.fac(Command::StartDesign).unwrap();
    assert_eq!(f.state.phase, Phase::Design);
    assert_eq!(f.state.tracks.len(), 1);
    assert_eq!(f.state.tracks[0].form, Form::Functional);
}

#[test]
fn resolution_by_decision_records_rationale_and_each_dissenter() {
    let mut f = disagreeing();
    assert_eq!(
        f.run(
            Some(pid(10)),
            Command::DecideForm {
                form: Form::Functional,
                rationale: FreeText::parse("rationale", "x").unwrap()
            }
        )
        .unwrap_err()
        .code(),
        "forbidden"
    );
    f.fac(Command::DecideForm {
        form: Form::Functional,
        rationale: FreeText::parse("rationale", "the ICT services are what we buy").unwrap(),
    })
    .unwrap();
    match f.state.resolutions.last().unwrap() {
        Resolution::Decided {
            form,
            rationale,
            dissenting,
            ..
        } => {
            assert_eq!(*form, Form::Functional);
            assert_eq!(rationale, "the ICT services are what we buy");
            assert_eq!(dissenting, &vec![oid(2), oid(3)]);
        }
        other => panic!("{other:?}"),
    }
    f.fac(Command::StartDesign).unwrap();
    assert_eq!(f.state.tracks[0].form, Form::Functional);
}

#[test]
fn resolution_by_split_gives_each_track_its_form() {
    let mut f = disagreeing();
    let one = vec![TrackSpec {
        name: Name::parse("name", "ICT services").unwrap(),
        form: Form::Functional,
        organisations: vec![],
    }];
    assert_eq!(
        f.fac(Command::Split {
            tracks: one.clone(),
            rationale: because()
        })
        .unwrap_err()
        .code(),
        "invalid_tracks"
    );
    let mut same = one.clone();
    same.push(TrackSpec {
        name: Name::parse("name", "ict SERVICES").unwrap(),
        form: Form::Entrepreneurial,
        organisations: vec![],
    });
    assert_eq!(
        f.fac(Command::Split {
            tracks: same,
            rationale: because()
        })
        .unwrap_err()
        .code(),
        "invalid_tracks"
    );
    let mut two = one;
    two.push(TrackSpec {
        name: Name::parse("name", "Product development").unwrap(),
        form: Form::Entrepreneurial,
        organisations: vec![],
    });
    f.fac(Command::Split {
        tracks: two.clone(),
        rationale: because(),
    })
    .unwrap();
    f.fac(Command::StartDesign).unwrap();
    let names: Vec<(&str, Form)> = f
        .state
        .tracks
        .iter()
        .map(|t| (t.name.as_str(), t.form))
        .collect();
    assert_eq!(
        names,
        vec![
            ("ICT services", Form::Functional),
            ("Product development", Form::Entrepreneurial)
        ]
    );
}

#[test]
fn a_resolution_from_an_earlier_round_does_not_open_the_gate() {
    let mut f = disagreeing();
    f.fac(Command::DecideForm {
        form: Form::Functional,
        rationale: FreeText::parse("rationale", "for now").unwrap(),
    })
    .unwrap();
    f.fac(Command::NewRound).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(11, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();
    f.answer(30, Intent::Improve, Nature::Share).unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
    assert_eq!(
        f.fac(Command::StartDesign).unwrap_err().code(),
        "gate_closed"
    );
}

#[test]
fn a_split_inside_an_organisation_is_a_disagreement() {
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(11, Intent::Improve, Nature::Exchange).unwrap();
    f.answer(20, Intent::Improve, Nature::Share).unwrap();
    f.answer(30, Intent::Improve, Nature::Share).unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
    let org = &f.state.rounds[0].report.organisations[0];
    assert!(org.split);
    assert_eq!(
        f.fac(Command::StartDesign).unwrap_err().code(),
        "gate_closed"
    );
}

#[test]
fn the_state_is_the_fold_of_its_log() {
    let f = disagreeing();
    assert_eq!(State::from_log(&f.log), f.state);
    // And the log survives its stored form.
    let json = serde_json::to_string(&f.log).unwrap();
    let back: Vec<Recorded> = serde_json::from_str(&json).unwrap();
    assert_eq!(State::from_log(&back), f.state);
}

#[test]
fn settings_that_change_nothing_cause_no_event() {
    let mut f = Fixture::new();
    let events = f
        .fac(Command::UpdateSettings {
            auto_reveal: Some(false),
            new_organisations_allowed: Some(true),
            time_zone: None,
        })
        .unwrap();
    assert!(events.is_empty());
}

#[test]
fn a_session_is_created_once_and_unknown_before() {
    let f = Fixture::new();
    let again = decide(
        &Limits::default(),
        &f.state,
        None,
        &Command::Create(Create {
            title: Title::parse("x").unwrap(),
            language: Lang::Nl,
            facilitator: pid(2),
            facilitator_name: Name::parse("name", "y").unwrap(),
            auto_reveal: false,
            join_code: None,
            time_zone: None,
            mode: Default::default(),
            subject: Default::default(),
            baseline: None,
        }),
    );
    assert_eq!(again.unwrap_err().code(), "already_created");
    assert_eq!(
        decide(
            &Limits::default(),
            &State::default(),
            Some(pid(1)),
            &Command::StartPositioning
        )
        .unwrap_err()
        .code(),
        "unknown_session"
    );
}

mod properties {
    use super::*;
    use crate::model::{Aspect, Cluster};
    use proptest::prelude::*;

    /// Who sends: the facilitator, four representatives, a stranger, or nobody.
    fn sender() -> impl Strategy<Value = Option<ParticipantId>> {
        prop_oneof![
            Just(Some(pid(1))),
            Just(Some(pid(10))),
            Just(Some(pid(11))),
            Just(Some(pid(20))),
            Just(Some(pid(30))),
            Just(Some(pid(99))),
            Just(None),
        ]
    }

    fn form() -> impl Strategy<Value = Form> {
        prop::sample::select(Form::ALL.to_vec())
    }

    fn command() -> impl Strategy<Value = Command> {
        prop_oneof![
            Just(Command::StartPositioning),
            (any::<bool>(), 1i64..=3).prop_map(|(i, s)| Command::Answer(AxisAnswer::Intent {
                pole: if i { Intent::Improve } else { Intent::Innovate },
                strength: Strength::parse(s).unwrap(),
                motivation: None,
            })),
            (any::<bool>(), 1i64..=3).prop_map(|(n, s)| Command::Answer(AxisAnswer::Nature {
                pole: if n { Nature::Exchange } else { Nature::Share },
                strength: Strength::parse(s).unwrap(),
                motivation: None,
            })),
            any::<bool>().prop_map(|force| Command::Reveal { force }),
            (any::<Option<bool>>(), any::<Option<bool>>()).prop_map(|(a, n)| {
                Command::UpdateSettings {
                    auto_reveal: a,
                    new_organisations_allowed: n,
                    time_zone: None,
                }
            }),
            Just(Command::NewRound),
            // The form decision put to a consent round.
            form().prop_map(|form| Command::CallFormRound {
                form,
                rationale: FreeText::parse("rationale", "because").unwrap(),
            }),
            (0u8..3).prop_map(|kind| Command::AnswerFormRound {
                consent: secret_consent(kind),
            }),
            Just(Command::CloseFormRound),
            Just(Command::OverrideFormRound {
                rationale: FreeText::parse("rationale", "because").unwrap(),
            }),
            form().prop_map(|form| Command::DecideForm {
                form,
                rationale: FreeText::parse("rationale", "because").unwrap(),
            }),
            (form(), form(), any::<bool>()).prop_map(|(a, b, same)| Command::Split {
                tracks: vec![
                    TrackSpec {
                        name: Name::parse("name", "One").unwrap(),
                        form: a,
                        organisations: vec![]
                    },
                    TrackSpec {
                        name: Name::parse("name", if same { "one" } else { "Two" }).unwrap(),
                        form: b,
                        organisations: vec![],
                    },
                ],
                rationale: because(),
            }),
            Just(Command::StartDesign),
            (
                0usize..3,
                prop::sample::select(Aspect::ALL.to_vec()),
                form(),
                0u8..4
            )
                .prop_map(|(track, aspect, f, kind)| Command::Respond {
                    track,
                    aspect,
                    response: crate::session::design::Response {
                        choice: match kind {
                            0 => crate::session::design::Choice::Accept,
                            3 => crate::session::design::Choice::NoLonger,
                            1 => crate::session::design::Choice::OtherForm { form: f },
                            _ => crate::session::design::Choice::Own {
                                text: FreeText::parse("text", "our own way").unwrap(),
                            },
                        },
                        comment: None,
                    },
                }),
            (0usize..3, prop::sample::select(Cluster::ALL.to_vec())).prop_map(|(track, c)| {
                Command::RevealAspects {
                    track,
                    aspects: c.aspects().to_vec(),
                    cluster: Some(c),
                }
            }),
            (0usize..3, prop::sample::select(Aspect::ALL.to_vec())).prop_map(|(track, aspect)| {
                Command::AgreeAspect {
                    track,
                    aspect,
                    text: None,
                    resembles: None,
                }
            }),
            (0usize..3, prop::sample::select(Aspect::ALL.to_vec()))
                .prop_map(|(track, aspect)| Command::ReopenAspect { track, aspect }),
            // Negotiating an aspect: proposals of every source, tags, and agreeing on one.
            (
                0usize..2,
                prop::sample::select(Aspect::ALL.to_vec()),
                form(),
                0u8..4,
                prop::sample::select(vec![10u128, 20, 30]),
                1u32..4
            )
                .prop_map(|(track, aspect, f, kind, p, of)| {
                    use crate::session::negotiation::Source;
                    let (source, text) = match kind {
                        0 => (Source::Principle { form: f }, None),
                        1 => (
                            Source::Response {
                                participant: pid(p),
                            },
                            None,
                        ),
                        2 => (Source::Own, Some("a text of our own")),
                        _ => (Source::Amendment { of }, Some("a better text")),
                    };
                    Command::Propose {
                        track,
                        aspect,
                        source,
                        text: text.map(|t| FreeText::parse("text", t).unwrap()),
                    }
                }),
            (
                0usize..2,
                prop::sample::select(Aspect::ALL.to_vec()),
                1u32..4,
                form()
            )
                .prop_map(|(track, aspect, proposal, f)| Command::TagProposal {
                    track,
                    aspect,
                    proposal,
                    form: Some(f),
                }),
            (
                0usize..2,
                prop::sample::select(Aspect::ALL.to_vec()),
                1u32..4
            )
                .prop_map(|(track, aspect, proposal)| Command::AgreeProposal {
                    track,
                    aspect,
                    proposal,
                }),
            // Consent rounds: called, answered three ways, closed, overridden.
            (
                0usize..2,
                prop::sample::select(Aspect::ALL.to_vec()),
                1u32..4
            )
                .prop_map(|(track, aspect, proposal)| Command::CallRound {
                    track,
                    aspect,
                    proposal,
                }),
            (
                0usize..2,
                prop::sample::select(Aspect::ALL.to_vec()),
                0u8..3
            )
                .prop_map(|(track, aspect, kind)| {
                    Command::AnswerRound {
                        track,
                        aspect,
                        consent: secret_consent(kind),
                    }
                }),
            (0usize..2, prop::sample::select(Aspect::ALL.to_vec()))
                .prop_map(|(track, aspect)| Command::CloseRound { track, aspect }),
            (0usize..2, prop::sample::select(Aspect::ALL.to_vec())).prop_map(|(track, aspect)| {
                Command::OverrideRound {
                    track,
                    aspect,
                    rationale: FreeText::parse("rationale", "because").unwrap(),
                }
            }),
            Just(Command::OpenReview),
            Just(Command::Approve { track: None }),
            (0usize..3).prop_map(|t| Command::Approve { track: Some(t) }),
            (1u128..4, any::<bool>()).prop_map(|(o, advisor)| Command::SetAdvisor {
                organisation: oid(o),
                advisor
            }),
            (
                0usize..3,
                prop::sample::select(Aspect::ALL.to_vec()),
                1u128..4
            )
                .prop_map(|(track, aspect, o)| Command::AssignOpenItem {
                    track,
                    aspect,
                    owner: Some(crate::session::values::Owner::Organisation(oid(o))),
                    due: None,
                }),
            (0usize..3, prop::sample::select(Aspect::ALL.to_vec())).prop_map(|(track, aspect)| {
                Command::Object {
                    reason: FreeText::parse("reason", "not yet").unwrap(),
                    aspects: vec![AspectRef { track, aspect }],
                }
            }),
            any::<bool>().prop_map(|force| Command::Close { force }),
            (10u128..31).prop_map(|n| Command::RemoveParticipant {
                participant: pid(n)
            }),
            (1u128..4, 1u128..4).prop_map(|(a, b)| Command::MergeOrganisations {
                from: oid(a),
                into: oid(b)
            }),
            Just(Command::Diagnosis(DiagnosisCommand::Start)),
            (prop::sample::select(Aspect::ALL.to_vec()), form(), 0u8..3).prop_map(
                |(aspect, f, kind)| Command::Diagnosis(DiagnosisCommand::Place {
                    aspect,
                    placing: Placing {
                        placed: match kind {
                            0 => Placed::Form { form: f },
                            1 => Placed::None,
                            _ => Placed::Own {
                                text: FreeText::parse("text", "our own way").unwrap(),
                            },
                        },
                        example: FreeText::parse_optional("example", Some("secret motive"))
                            .unwrap(),
                    },
                })
            ),
            prop::sample::select(Aspect::ALL.to_vec())
                .prop_map(|aspect| Command::Diagnosis(DiagnosisCommand::Withdraw { aspect })),
            prop::sample::select(Cluster::ALL.to_vec()).prop_map(|c| Command::Diagnosis(
                DiagnosisCommand::Reveal {
                    aspects: c.aspects().to_vec(),
                    group: true,
                }
            )),
            (
                prop::sample::select(Aspect::ALL.to_vec()),
                10u128..31,
                form()
            )
                .prop_map(|(aspect, p, f)| Command::Diagnosis(DiagnosisCommand::Tag {
                    aspect,
                    participant: pid(p),
                    form: Some(f),
                })),
            prop::sample::select(Aspect::ALL.to_vec())
                .prop_map(|aspect| Command::Diagnosis(DiagnosisCommand::Reopen { aspect })),
            prop::sample::select(Aspect::ALL.to_vec()).prop_map(|aspect| Command::Diagnosis(
                DiagnosisCommand::SetAction {
                    aspect,
                    action: None,
                    text: because(),
                    owner: None,
                    due: None,
                }
            )),
            (40u128..44, 0u128..4).prop_map(|(p, o)| Command::Join(Join {
                participant: pid(p),
                name: Name::parse("name", &format!("Person {p}")).unwrap(),
                organisation: OrgChoice::New {
                    id: oid(o),
                    name: Name::parse("organisation_name", &format!("Org {o}")).unwrap(),
                },
            })),
        ]
    }

    /// Three organisations in the lobby, already in design (where random sequences rarely
    /// arrive alone), in a diagnosis session's diagnosis phase, or in a follow-up of a closed
    /// design: in its lobby, or in design with the earlier agreements carried.
    fn start(at: u8) -> Fixture {
        if at >= 3 {
            let mut f = follow_up();
            if at == 4 {
                f.fac(Command::StartPositioning).unwrap();
                for p in [10, 11, 20, 30] {
                    f.answer(p, Intent::Improve, Nature::Share).unwrap();
                }
                f.fac(Command::Reveal { force: false }).unwrap();
                f.fac(Command::StartDesign).unwrap();
            }
            return f;
        }
        if at == 2 {
            let mut f = Fixture::three_orgs_in(Mode::Diagnosis);
            f.fac(Command::Diagnosis(DiagnosisCommand::Start)).unwrap();
            return f;
        }
        let mut f = Fixture::three_orgs();
        if at == 1 {
            f.fac(Command::StartPositioning).unwrap();
            for p in [10, 11, 20, 30] {
                f.answer(p, Intent::Improve, Nature::Share).unwrap();
            }
            f.fac(Command::Reveal { force: false }).unwrap();
            f.fac(Command::StartDesign).unwrap();
        }
        f
    }

    /// A follow-up of a closed design, in its lobby; its organisations are 1, 2 and 3 again,
    /// with the same people.
    fn follow_up() -> Fixture {
        let earlier = crate::session::followup_tests::closed_design();
        let mut f = crate::session::followup_tests::follow_up_in(&earlier, Mode::Design, 0);
        for (p, name, o) in [
            (10, "Tess", 1),
            (11, "Tom", 1),
            (20, "Ivo", 2),
            (30, "Carla", 3),
        ] {
            f.join(p, name, o, "");
        }
        f
    }

    /// `viewer`'s snapshot as JSON, if they may still look.
    fn snapshot_of(state: &State, p: ParticipantId) -> Option<(Viewer, serde_json::Value)> {
        let viewer = crate::session::view::viewer(state, p).ok()?;
        Some((
            viewer,
            serde_json::to_value(snapshot(state, viewer)).unwrap(),
        ))
    }

    /// A snapshot with the viewer's own answers and responses taken out: what the operations
    /// everyone gets may show.
    fn without_own(mut doc: serde_json::Value) -> serde_json::Value {
        doc["my_answers"] = serde_json::Value::Null;
        doc["my_form_consent"] = serde_json::Value::Null;
        for track in doc["tracks"].as_array_mut().unwrap() {
            for aspect in track["aspects"].as_array_mut().unwrap() {
                aspect["my_response"] = serde_json::Value::Null;
                aspect["my_consent"] = serde_json::Value::Null;
            }
        }
        if let Some(aspects) = doc["diagnosis"]["aspects"].as_array_mut() {
            for aspect in aspects {
                aspect["my_placement"] = serde_json::Value::Null;
            }
        }
        doc
    }

    /// Whether `author` sees `full_event` (so the check looks for the right thing) and
    /// nobody else among the cast does.
    fn only_its_author_sees(f: &Fixture, author: ParticipantId, full_event: &str) -> bool {
        json_for(f, author).contains(full_event)
            && [pid(1), pid(10), pid(11), pid(20), pid(30)]
                .into_iter()
                .filter(|v| *v != author)
                .all(|v| !json_for(f, v).contains(full_event))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// A checkpoint holds the state exactly, unrevealed responses and name keys included:
        /// a checkpoint taken anywhere, with the events after it applied, is the fold of the
        /// whole log.
        #[test]
        fn a_checkpoint_and_the_events_after_it_are_the_whole_fold(
            start_at in 0u8..5,
            steps in prop::collection::vec((sender(), command()), 0..60),
            cut in any::<prop::sample::Index>(),
        ) {
            use crate::session::state::{decode_checkpoint, encode_checkpoint};
            let mut f = start(start_at);
            for (by, c) in steps {
                let _ = f.run(by, c);
            }
            let at = cut.index(f.log.len() + 1);
            let mut state = decode_checkpoint(&encode_checkpoint(&State::from_log(&f.log[..at])))
                .expect("a checkpoint reads back");
            for r in &f.log[at..] {
                state.apply(r);
            }
            prop_assert_eq!(&state, &f.state);
        }

        /// Sync by changes: whatever happens, a viewer who applies their operations by the
        /// standard, as a page does, holds exactly their snapshot after every command; and
        /// every value an operation carries is a piece of that snapshot (the shared ones of it
        /// without the viewer's own answers), so a patch never shows what the snapshot hides.
        #[test]
        fn patches_bring_each_viewer_to_their_snapshot_and_carry_nothing_else(
            start_at in 0u8..5,
            steps in prop::collection::vec((sender(), command()), 0..60)
        ) {
            use crate::session::view::{Op, Views};
            let mut f = start(start_at);
            let mut views = Views::of(&f.state);
            let mut docs = std::collections::BTreeMap::new();
            for p in &f.state.participants {
                docs.insert(p.id, snapshot_of(&f.state, p.id).unwrap().1);
            }
            for (by, c) in steps {
                if f.run(by, c).is_err() {
                    continue;
                }
                let changes = views.advance(&f.state);
                let mut left = Vec::new();
                for (p, doc) in docs.iter_mut() {
                    let Some((viewer, expected)) = snapshot_of(&f.state, *p) else {
                        left.push(*p);
                        continue;
                    };
                    let shared = without_own(expected.clone());
                    let own = changes.own.get(p).map_or(&[][..], |o| o);
                    for op in changes.for_viewer(viewer) {
                        let whole = if own.contains(op) { &expected } else { &shared };
                        if let Op::Add { path, value } | Op::Replace { path, value } = op {
                            prop_assert_eq!(whole.pointer(path), Some(value), "{}: {:?}", p, op);
                        }
                    }
                    let ops: Vec<&Op> = changes.for_viewer(viewer).collect();
                    let patch: json_patch::Patch =
                        serde_json::from_value(serde_json::to_value(&ops).unwrap()).unwrap();
                    json_patch::patch(doc, &patch).unwrap();
                    prop_assert_eq!(&*doc, &expected, "{}", p);
                }
                for p in left {
                    docs.remove(&p);
                }
                // Someone who just joined starts from their snapshot, as a new connection does.
                for p in &f.state.participants {
                    if !docs.contains_key(&p.id) && !p.removed {
                        docs.insert(p.id, snapshot_of(&f.state, p.id).unwrap().1);
                    }
                }
            }
        }

        /// Whatever anyone sends, in any order: no panic, a refusal changes nothing, the state
        /// is always the fold of the log, and no one ever sees another's unrevealed answer.
        #[test]
        fn any_sequence_of_commands_keeps_the_rules(
            start_at in 0u8..5,
            steps in prop::collection::vec((sender(), command()), 0..60)
        ) {
            let mut f = start(start_at);
            for (by, c) in steps {
                let before = f.state.clone();
                if f.run(by, c).is_err() {
                    prop_assert_eq!(&before, &f.state);
                }
                prop_assert_eq!(&State::from_log(&f.log), &f.state);
                // A follow-up's drift shows nothing of a round before its reveal.
                if f.state.phase == Phase::Positioning
                    && let Some(d) = crate::session::followup::drift(&f.state)
                {
                    prop_assert!(d.organisations.iter().all(|o| o.form.now.is_none()));
                    prop_assert!(d.intended.now.is_none());
                }
                if f.state.phase == Phase::Positioning {
                    for (author, position) in &f.state.answers.clone() {
                        if position.intent.is_none() && position.nature.is_none() {
                            continue;
                        }
                        // An answer event of this round in full, as only its author may see it.
                        let full_event = format!(
                            "\"participant\":\"{author}\",\"round\":{},\"answer\"",
                            f.state.round
                        );
                        prop_assert!(only_its_author_sees(&f, *author, &full_event));
                    }
                }
            }
            // The same for placements in a diagnosis.
            for aspect in f.state.diagnosis.iter().flat_map(|d| &d.aspects) {
                for author in aspect.placements.keys() {
                    let full_event = format!(
                        "\"participant\":\"{author}\",\"aspect\":\"{}\",\"round\":{},\"placing\"",
                        aspect.aspect.id(),
                        aspect.round
                    );
                    prop_assert!(only_its_author_sees(&f, *author, &full_event));
                }
            }
            // The same for consent rounds: only its author sees an answer before the round closes.
            for track in &f.state.tracks {
                for aspect in &track.aspects {
                    for (author, _) in aspect.consents.values() {
                        let full_event = format!("\"participant\":\"{author}\",\"consent\"");
                        prop_assert!(only_its_author_sees(&f, *author, &full_event));
                    }
                }
            }
            for (author, _) in f.state.form_consents.values() {
                let full_event = format!("\"participant\":\"{author}\",\"consent\"");
                prop_assert!(only_its_author_sees(&f, *author, &full_event));
            }
            // The same for design responses: only their author sees one before its reveal.
            for (t, track) in f.state.tracks.iter().enumerate() {
                for aspect in &track.aspects {
                    for author in aspect.responses.keys() {
                        let full_event = format!(
                            "\"participant\":\"{author}\",\"track\":{t},\"aspect\":\"{}\",\"round\":{},\"response\"",
                            aspect.aspect.id(),
                            aspect.round
                        );
                        prop_assert!(only_its_author_sees(&f, *author, &full_event));
                    }
                }
            }
            let seqs: Vec<u64> = f.log.iter().map(|r| r.seq).collect();
            prop_assert_eq!(seqs, (1..=f.log.len() as u64).collect::<Vec<_>>());
        }
    }
}

/// A reason, for the commands that need one.
/// A round answer of each kind, with texts the leak checks look for.
fn secret_consent(kind: u8) -> crate::session::negotiation::Consent {
    use crate::session::negotiation::Consent;
    match kind {
        0 => Consent::Consent,
        1 => Consent::Concern {
            text: "a secret concern".into(),
        },
        _ => Consent::Object {
            reason: "a secret objection".into(),
        },
    }
}

pub(super) fn because() -> FreeText {
    FreeText::parse("rationale", "because").unwrap()
}

/// The checkpoint format is pinned: a change to the state's serialised shape must raise
/// `CHECKPOINT_VERSION`, or old checkpoints would be read as something they are not.
#[test]
fn the_checkpoint_format_is_pinned_to_its_version() {
    use crate::session::design::{Choice, Response};
    use crate::session::state::{CHECKPOINT_VERSION, encode_checkpoint};
    let mut f = Fixture::three_orgs();
    f.fac(Command::StartPositioning).unwrap();
    f.answer(10, Intent::Improve, Nature::Share).unwrap();
    f.answer(11, Intent::Improve, Nature::Share).unwrap();
    f.answer(20, Intent::Innovate, Nature::Share).unwrap();
    f.answer(30, Intent::Improve, Nature::Exchange).unwrap();
    f.fac(Command::Reveal { force: false }).unwrap();
    f.fac(Command::DecideForm {
        form: Form::Functional,
        rationale: because(),
    })
    .unwrap();
    f.fac(Command::StartDesign).unwrap();
    // More of the state filled in, so that a change to more of its shape shows here.
    f.fac(Command::StartTimer {
        seconds: 300,
        label: Some(Name::parse("label", "Round of responses").unwrap()),
    })
    .unwrap();
    f.fac(Command::ParkAspect {
        track: 0,
        aspect: crate::model::Aspect::ALL[5],
        reason: because(),
        owner: Some(crate::session::values::Owner::Organisation(oid(2))),
        due: None,
    })
    .unwrap();
    f.run(
        Some(pid(20)),
        Command::Respond {
            track: 0,
            aspect: crate::model::Aspect::ALL[2],
            response: Response {
                choice: Choice::Own {
                    text: FreeText::parse("text", "one service desk").unwrap(),
                },
                comment: None,
            },
        },
    )
    .unwrap();
    let text = encode_checkpoint(&f.state);
    let pinned_path = format!(
        "{}/src/session/state/checkpoint_v{CHECKPOINT_VERSION}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&text).unwrap())
            .unwrap()
            + "\n";
    if std::env::var_os("GRONDVORM_UPDATE_EXAMPLES").is_some() {
        std::fs::write(&pinned_path, &pretty).unwrap();
    }
    let pinned = std::fs::read_to_string(&pinned_path).unwrap_or_default();
    assert!(
        pretty == pinned,
        "the checkpoint's shape changed: raise CHECKPOINT_VERSION, then pin the new shape with \
         GRONDVORM_UPDATE_EXAMPLES=1 (checkpoints of the old version are then ignored)"
    );
}
