//! The pure core under any sequence of commands from anyone: `decide` never panics, a refusal
//! changes nothing, the state is always the fold of its log, and no blind answer or response
//! reaches another viewer before its reveal.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use chrono::{TimeZone, Utc};
use grondvorm::model::{Aspect, Axis, Cluster, Form, Intent, Lang, Nature};
use grondvorm::session::*;

/// A small cast, so that commands often come from someone who may send them.
const PEOPLE: u128 = 6;

fn id(n: u128) -> ParticipantId {
    ParticipantId(uuid_from(n))
}

fn uuid_from(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n + 1)
}

fn org(n: u8) -> OrgId {
    OrgId(uuid_from(100 + u128::from(n % 4)))
}

fn text(u: &mut Unstructured) -> String {
    let words = [
        "Acme",
        "Tess",
        "ICT",
        "x",
        "",
        " ",
        "A\u{200B}cme",
        "Ａcme",
        "secret motive",
    ];
    let mut s = String::new();
    for _ in 0..u.int_in_range(1..=3).unwrap_or(1) {
        s.push_str(words[u.int_in_range(0..=words.len() - 1).unwrap_or(0)]);
    }
    s
}

fn pick<T: Copy>(u: &mut Unstructured, all: &[T]) -> T {
    all[u.int_in_range(0..=all.len() - 1).unwrap_or(0)]
}

/// One command, built through the same validating constructors the edge uses.
fn command(u: &mut Unstructured, at: chrono::DateTime<Utc>) -> Option<Command> {
    let name = |u: &mut Unstructured| Name::parse("name", &text(u)).ok();
    let free = |u: &mut Unstructured| FreeText::parse("text", &text(u)).ok();
    let track = u.int_in_range(0..=2).ok()?;
    let aspect = pick(u, &Aspect::ALL);
    Some(match u.int_in_range(0..=54).ok()? {
        0 => Command::Join(Join {
            participant: id(u.int_in_range(1..=PEOPLE - 1).ok()?),
            name: name(u)?,
            organisation: if bool::arbitrary(u).ok()? {
                OrgChoice::Existing(org(u8::arbitrary(u).ok()?))
            } else {
                OrgChoice::New {
                    id: org(u8::arbitrary(u).ok()?),
                    name: name(u)?,
                }
            },
        }),
        1 => Command::StartPositioning,
        2 => Command::Answer(if bool::arbitrary(u).ok()? {
            AxisAnswer::Intent {
                pole: pick(u, &Intent::ALL),
                strength: Strength::parse(u.int_in_range(1..=3).ok()?).ok()?,
                motivation: free(u),
            }
        } else {
            AxisAnswer::Nature {
                pole: pick(u, &Nature::ALL),
                strength: Strength::parse(u.int_in_range(1..=3).ok()?).ok()?,
                motivation: free(u),
            }
        }),
        3 => Command::Reveal {
            force: bool::arbitrary(u).ok()?,
        },
        4 => Command::NewRound,
        5 => Command::DecideForm {
            form: pick(u, &Form::ALL),
            rationale: free(u)?,
        },
        6 => Command::Split {
            tracks: (0..u.int_in_range(0..=3).ok()?)
                .filter_map(|_| {
                    Some(TrackSpec {
                        name: name(u)?,
                        form: pick(u, &Form::ALL),
                        organisations: vec![],
                    })
                })
                .collect(),
            rationale: free(u)?,
        },
        7 => Command::StartDesign,
        8 => Command::Respond {
            track,
            aspect,
            response: Response {
                choice: match u.int_in_range(0..=3).ok()? {
                    0 => Choice::Accept,
                    3 => Choice::NoLonger,
                    1 => Choice::OtherForm {
                        form: pick(u, &Form::ALL),
                    },
                    _ => Choice::Own { text: free(u)? },
                },
                comment: free(u),
            },
        },
        9 => Command::RevealAspects {
            track,
            aspects: if bool::arbitrary(u).ok()? {
                vec![aspect]
            } else {
                pick(u, &Cluster::ALL).aspects().to_vec()
            },
            cluster: None,
        },
        10 => Command::AgreeAspect {
            track,
            aspect,
            text: free(u), resembles: None, },
        11 => Command::ReopenAspect { track, aspect },
        12 => Command::ParkAspect {
            track,
            aspect,
            reason: free(u)?, owner: None, due: None, },
        13 => Command::StartTimer {
            seconds: u.int_in_range(0..=20_000).ok()?,
            label: name(u),
        },
        14 => Command::StopTimer,
        15 => Command::EndTimer {
            at: at + chrono::Duration::seconds(u.int_in_range(0..=20_000).ok()?),
        },
        16 => Command::MergeOrganisations {
            from: org(u8::arbitrary(u).ok()?),
            into: org(u8::arbitrary(u).ok()?),
        },
        17 => Command::RemoveParticipant {
            participant: id(u.int_in_range(0..=PEOPLE - 1).ok()?),
        },
        18 => Command::OpenReview,
        19 => Command::Approve { track: None },
        20 => Command::Object {
            reason: free(u)?,
            aspects: vec![AspectRef { track, aspect }],
        },
        21 => Command::Close {
            force: bool::arbitrary(u).ok()?,
        },
        22 => Command::WithdrawAnswer {
            axis: pick(u, &[Axis::Intent, Axis::Nature]),
        },
        23 => Command::WithdrawResponse { track, aspect },
        24 => Command::PreviewReveal,
        25 => Command::PreviewAspects {
            track,
            aspects: vec![aspect],
        },
        26 => Command::GiveRationale {
            about: if bool::arbitrary(u).ok()? {
                RationaleTarget::Axis(pick(u, &[Axis::Intent, Axis::Nature]))
            } else {
                RationaleTarget::Aspect { track, aspect }
            },
            text: free(u)?,
        },
        27 => Command::BackToDesign,
        28 => Command::CreateBoardLink {
            observer: id(u.int_in_range(PEOPLE..=PEOPLE + 2).ok()?),
            label: name(u)?,
        },
        29 => Command::RevokeBoardLink {
            observer: id(u.int_in_range(PEOPLE..=PEOPLE + 2).ok()?),
        },
        30 => Command::Approve {
            track: Some(track),
        },
        31 => Command::SetAdvisor {
            organisation: org(u.int_in_range(0..=3).ok()?),
            advisor: bool::arbitrary(u).ok()?,
        },
        32 => Command::StateGoal {
            organisation: if bool::arbitrary(u).ok()? {
                Some(org(u.int_in_range(0..=3).ok()?))
            } else {
                None
            },
            text: free(u),
        },
        33 => Command::AssignOpenItem {
            track,
            aspect,
            owner: if bool::arbitrary(u).ok()? {
                Some(Owner::Organisation(org(u.int_in_range(0..=3).ok()?)))
            } else {
                Some(Owner::Participant(id(u.int_in_range(0..=PEOPLE - 1).ok()?)))
            },
            due: DueDate::parse("2027-01-31").ok(),
        },
        35 => Command::Diagnosis(DiagnosisCommand::Start),
        36 | 37 => Command::Diagnosis(DiagnosisCommand::Place {
            aspect,
            placing: Placing {
                placed: match u.int_in_range(0..=2).ok()? {
                    0 => Placed::Form { form: pick(u, &Form::ALL) },
                    1 => Placed::None,
                    _ => Placed::Own { text: free(u)? },
                },
                example: free(u),
            },
        }),
        38 => Command::Diagnosis(DiagnosisCommand::Withdraw { aspect }),
        39 => Command::Diagnosis(DiagnosisCommand::Reveal {
            aspects: if bool::arbitrary(u).ok()? { vec![aspect] } else { Aspect::ALL.to_vec() },
            group: bool::arbitrary(u).ok()?,
        }),
        40 => Command::Diagnosis(DiagnosisCommand::Tag {
            aspect,
            participant: id(u.int_in_range(0..=PEOPLE - 1).ok()?),
            form: bool::arbitrary(u).ok()?.then(|| pick(u, &Form::ALL)),
        }),
        41 => Command::Diagnosis(DiagnosisCommand::Reopen { aspect }),
        42 => Command::Diagnosis(DiagnosisCommand::Finding { aspect, text: free(u) }),
        43 => Command::Diagnosis(if bool::arbitrary(u).ok()? {
            DiagnosisCommand::SetAction {
                aspect,
                action: bool::arbitrary(u).ok()?.then_some(u.int_in_range(0..=3).ok()?),
                text: free(u)?,
                owner: None,
                due: None,
            }
        } else {
            DiagnosisCommand::RemoveAction { aspect, action: u.int_in_range(0..=3).ok()? }
        }),
        44 => Command::Propose {
            track,
            aspect,
            source: match u.int_in_range(0..=3).ok()? {
                0 => negotiation::Source::Principle { form: pick(u, &Form::ALL) },
                1 => negotiation::Source::Response { participant: id(u.int_in_range(0..=PEOPLE - 1).ok()?) },
                2 => negotiation::Source::Own,
                _ => negotiation::Source::Amendment { of: u.int_in_range(0..=4).ok()? },
            },
            text: free(u),
        },
        45 => Command::TagProposal {
            track,
            aspect,
            proposal: u.int_in_range(0..=4).ok()?,
            form: bool::arbitrary(u).ok()?.then(|| pick(u, &Form::ALL)),
        },
        46 => Command::AgreeProposal { track, aspect, proposal: u.int_in_range(0..=4).ok()? },
        47 => Command::CallRound { track, aspect, proposal: u.int_in_range(0..=4).ok()? },
        48 => Command::AnswerRound {
            track,
            aspect,
            consent: match u.int_in_range(0..=2).ok()? {
                0 => negotiation::Consent::Consent,
                1 => negotiation::Consent::Concern { text: text(u) },
                _ => negotiation::Consent::Object { reason: text(u) },
            },
        },
        49 => Command::CloseRound { track, aspect },
        50 => Command::OverrideRound { track, aspect, rationale: free(u)? },
        51 => Command::CallFormRound { form: pick(u, &Form::ALL), rationale: free(u)? },
        52 => Command::AnswerFormRound {
            consent: match u.int_in_range(0..=2).ok()? {
                0 => negotiation::Consent::Consent,
                1 => negotiation::Consent::Concern { text: text(u) },
                _ => negotiation::Consent::Object { reason: text(u) },
            },
        },
        53 => Command::CloseFormRound,
        54 => Command::OverrideFormRound { rationale: free(u)? },
        _ => Command::ReissueLink {
            participant: id(u.int_in_range(0..=PEOPLE - 1).ok()?),
        },
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let limits = Limits {
        max_participants: 5,
        max_organisations: 3,
        max_board_links: 2,
        max_actions: 2,
        max_proposals: 3,
    };
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    let mut state = State::default();
    let mut log: Vec<Recorded> = Vec::new();
    let create = Command::Create(Create {
        title: Title::parse("Fuzz").unwrap(),
        language: Lang::Nl,
        facilitator: id(0),
        facilitator_name: Name::parse("name", "Fran").unwrap(),
        auto_reveal: false,
        join_code: Some("ACEFHJ".into()), time_zone: None,
        mode: if bool::arbitrary(&mut u).unwrap_or(false) { Mode::Diagnosis } else { Mode::Design },
        subject: Default::default(), baseline: None, });
    for r in execute(&limits, &state, None, &create, start).unwrap() {
        state.apply(&r);
        log.push(r);
    }
    while !u.is_empty() {
        let at = start + chrono::Duration::seconds(log.len() as i64);
        let Some(c) = command(&mut u, at) else { break };
        // People, the board links' ids, or nobody.
        let by = match u.int_in_range(0..=PEOPLE + 3).unwrap_or(0) {
            n if n == PEOPLE + 3 => None,
            n => Some(id(n)),
        };
        let before = state.clone();
        match execute(&limits, &state, by, &c, at) {
            Ok(recorded) => {
                for r in recorded {
                    assert_eq!(r.seq, state.last_seq + 1);
                    state.apply(&r);
                    // A preview shows where people stand, never what they wrote.
                    if let Some(p) = view::preview(&state, &r.event) {
                        let shown = serde_json::to_string(&p).unwrap();
                        assert!(!shown.contains("secret motive"), "{shown}");
                    }
                    log.push(r);
                }
            }
            Err(rejection) => {
                assert!(!rejection.code().is_empty());
                assert_eq!(state, before, "a refusal changes nothing");
            }
        }
    }
    assert_eq!(
        State::from_log(&log),
        state,
        "the state is the fold of its log"
    );
    // A board link sees only what everyone may: never an unrevealed answer or response.
    for board in (PEOPLE..PEOPLE + 3).map(id) {
        if let Ok(v) = view::viewer(&state, board) {
            let seen = snapshot(&state, v);
            assert!(seen.my_answers.is_none());
            assert!(seen.board_links.is_empty(), "only facilitators see the links");
            for t in &seen.tracks {
                assert!(t.aspects.iter().all(|a| a.my_response.is_none()));
            }
            for a in seen.diagnosis.iter().flat_map(|d| &d.aspects) {
                assert!(a.my_placement.is_none());
            }
        }
    }
    // Nobody but the author sees an answer or a response before its reveal.
    for r in &log {
        if let Audience::Author(author) = audience(&r.event) {
            for viewer in (0..PEOPLE + 3).map(id).filter(|v| *v != author) {
                let seen = EventMessage::render(r, Some(viewer));
                assert!(!seen.contains("secret motive"), "{seen}");
            }
        }
    }
});
