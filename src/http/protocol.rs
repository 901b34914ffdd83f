//! The client's WebSocket messages, parsed in two steps so that every failure gets its own
//! code: not JSON (`malformed_json`), an unknown `type` or `command`, then the arguments of
//! the one command named (`invalid_arguments` or a field's own code).

use super::error::ApiError;
use crate::model::{Aspect, Axis, Cluster, Form, Intent, Nature};
use crate::session::{
    AspectRef, AxisAnswer, Choice, Command, CommandId, FreeText, Name, OrgId, ParticipantId,
    Response, Step, Strength, TrackSpec,
};
use axum::http::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// A message from a client.
#[derive(Debug)]
pub enum ClientMessage {
    /// The first message: who is connecting, and what they have seen.
    Hello {
        /// Their secret token.
        token: String,
        /// The last sequence number they saw, if resuming.
        last_seq: Option<u64>,
    },
    /// A command to the session.
    Command {
        /// The client's id for it.
        id: CommandId,
        /// The command.
        command: Command,
    },
    /// Ask for a fresh snapshot.
    Snapshot,
    /// Keep-alive; answered with `pong`.
    Ping,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
    command: Option<String>,
    #[serde(borrow)]
    args: Option<&'a RawValue>,
    token: Option<String>,
    last_seq: Option<u64>,
}

/// A failed parse, with the command id when it was readable (so the client can match it).
#[derive(Debug)]
pub struct ParseError {
    /// The command id, if the envelope got that far.
    pub id: Option<String>,
    /// What was wrong.
    pub error: ApiError,
}

/// Parses one text message.
pub fn parse(text: &str) -> Result<ClientMessage, ParseError> {
    let envelope: Envelope = serde_json::from_str(text).map_err(|e| ParseError {
        id: None,
        error: if e.is_data() {
            ApiError::invalid_arguments(format!("the message is not a protocol message: {e}"))
        } else {
            ApiError::malformed_json(&e)
        },
    })?;
    let id = envelope.id.clone();
    let fail = |error: ApiError| ParseError {
        id: id.clone(),
        error,
    };
    match envelope.kind.as_deref() {
        Some("hello") => Ok(ClientMessage::Hello {
            token: envelope
                .token
                .ok_or_else(|| fail(ApiError::invalid_arguments("hello needs a token")))?,
            last_seq: envelope.last_seq,
        }),
        Some("snapshot") => Ok(ClientMessage::Snapshot),
        Some("ping") => Ok(ClientMessage::Ping),
        Some("command") => {
            let raw_id = envelope
                .id
                .as_deref()
                .ok_or_else(|| fail(ApiError::invalid_arguments("a command needs an id")))?;
            let id = CommandId::parse(raw_id).map_err(|e| fail(e.into()))?;
            let name = envelope
                .command
                .as_deref()
                .ok_or_else(|| fail(ApiError::invalid_arguments("a command needs a name")))?;
            let args = envelope.args.map(RawValue::get).unwrap_or("{}");
            let command = parse_command(name, args).map_err(fail)?;
            Ok(ClientMessage::Command { id, command })
        }
        Some(other) => Err(fail(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unknown_message_type",
            format!("unknown message type '{other}'"),
        ))),
        None => Err(fail(ApiError::invalid_arguments(
            "the message has no 'type'",
        ))),
    }
}

fn args<T: DeserializeOwned>(raw: &str) -> Result<T, ApiError> {
    ApiError::parse(raw.as_bytes())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoArgs {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerArgs {
    axis: String,
    pole: String,
    strength: i64,
    #[serde(default)]
    motivation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevealArgs {
    #[serde(default)]
    force: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsArgs {
    auto_reveal: Option<bool>,
    new_organisations_allowed: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecideArgs {
    form: String,
    rationale: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SplitArgs {
    tracks: Vec<TrackArgs>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackArgs {
    name: String,
    form: String,
    #[serde(default)]
    organisations: Vec<OrgId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RespondArgs {
    track: usize,
    aspect: Aspect,
    choice: String,
    #[serde(default)]
    form: Option<Form>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevealAspectsArgs {
    track: usize,
    #[serde(default)]
    aspect: Option<Aspect>,
    #[serde(default)]
    cluster: Option<Cluster>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AspectArgs {
    track: usize,
    aspect: Aspect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgreeArgs {
    track: usize,
    aspect: Aspect,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParkArgs {
    track: usize,
    aspect: Aspect,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimerArgs {
    seconds: i64,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenameArgs {
    organisation: OrgId,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MergeArgs {
    from: OrgId,
    into: OrgId,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveArgs {
    participant: ParticipantId,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteArgs {
    #[serde(default)]
    track: Option<usize>,
    #[serde(default)]
    cluster: Option<Cluster>,
    #[serde(default)]
    aspect: Option<Aspect>,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FocusArgs {
    #[serde(default)]
    track: Option<usize>,
    #[serde(default)]
    cluster: Option<Cluster>,
    #[serde(default)]
    aspect: Option<Aspect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObjectArgs {
    reason: String,
    #[serde(default)]
    aspects: Vec<AspectRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CloseArgs {
    #[serde(default)]
    force: bool,
}

fn choice(a: &RespondArgs) -> Result<Choice, ApiError> {
    let with_field = |field: &'static str, message: &str| ApiError {
        field: Some(field),
        ..ApiError::invalid_arguments(message)
    };
    match (a.choice.as_str(), a.form, a.text.as_deref()) {
        ("accept", None, None) => Ok(Choice::Accept),
        ("other_form", Some(form), None) => Ok(Choice::OtherForm { form }),
        ("own", None, Some(text)) => Ok(Choice::Own {
            text: FreeText::parse("text", text)?,
        }),
        ("other_form", None, _) => Err(with_field(
            "form",
            "choose the form whose principle you take",
        )),
        ("own", _, None) => Err(with_field("text", "write your own text")),
        ("accept" | "other_form" | "own", _, _) => Err(with_field(
            "choice",
            "accept takes no form or text, other_form a form, own a text",
        )),
        _ => Err(with_field("choice", "choose accept, other_form or own")),
    }
}

fn form(raw: &str) -> Result<Form, ApiError> {
    Form::parse(raw).ok_or_else(|| ApiError {
        field: Some("form"),
        ..ApiError::invalid_arguments(format!(
            "unknown form '{raw}' (transactional, functional, entrepreneurial or exploratory)"
        ))
    })
}

/// The one place where a command's name selects its arguments.
fn parse_command(name: &str, raw: &str) -> Result<Command, ApiError> {
    Ok(match name {
        "start_positioning" => {
            args::<NoArgs>(raw)?;
            Command::StartPositioning
        }
        "answer" => {
            let a: AnswerArgs = args(raw)?;
            let strength = Strength::parse(a.strength)?;
            let motivation = FreeText::parse_optional("motivation", a.motivation.as_deref())?;
            let bad_pole = |axis: &str, poles: &str| ApiError {
                field: Some("pole"),
                ..ApiError::invalid_arguments(format!(
                    "'{}' is not a pole of {axis} ({poles})",
                    a.pole
                ))
            };
            let axis = Axis::parse(&a.axis).ok_or_else(|| ApiError {
                field: Some("axis"),
                ..ApiError::invalid_arguments(format!(
                    "unknown axis '{}' (intent or nature)",
                    a.axis
                ))
            })?;
            Command::Answer(match axis {
                Axis::Intent => AxisAnswer::Intent {
                    pole: Intent::parse(&a.pole)
                        .ok_or_else(|| bad_pole("intent", "improve or innovate"))?,
                    strength,
                    motivation,
                },
                Axis::Nature => AxisAnswer::Nature {
                    pole: Nature::parse(&a.pole)
                        .ok_or_else(|| bad_pole("nature", "exchange or share"))?,
                    strength,
                    motivation,
                },
            })
        }
        "reveal" => {
            let a: RevealArgs = args(raw)?;
            Command::Reveal { force: a.force }
        }
        "update_settings" => {
            let a: SettingsArgs = args(raw)?;
            Command::UpdateSettings {
                auto_reveal: a.auto_reveal,
                new_organisations_allowed: a.new_organisations_allowed,
            }
        }
        "new_round" => {
            args::<NoArgs>(raw)?;
            Command::NewRound
        }
        "decide_form" => {
            let a: DecideArgs = args(raw)?;
            Command::DecideForm {
                form: form(&a.form)?,
                rationale: FreeText::parse("rationale", &a.rationale)?,
            }
        }
        "split" => {
            let a: SplitArgs = args(raw)?;
            let tracks = a
                .tracks
                .iter()
                .map(|t| {
                    Ok(TrackSpec {
                        name: Name::parse("name", &t.name)?,
                        form: form(&t.form)?,
                        organisations: t.organisations.clone(),
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Command::Split { tracks }
        }
        "start_design" => {
            args::<NoArgs>(raw)?;
            Command::StartDesign
        }
        "respond" => {
            let a: RespondArgs = args(raw)?;
            Command::Respond {
                track: a.track,
                aspect: a.aspect,
                response: Response {
                    choice: choice(&a)?,
                    comment: FreeText::parse_optional("comment", a.comment.as_deref())?,
                },
            }
        }
        "reveal_aspects" => {
            let a: RevealAspectsArgs = args(raw)?;
            let aspects = match (a.aspect, a.cluster) {
                (Some(aspect), None) => vec![aspect],
                (None, Some(cluster)) => cluster.aspects().to_vec(),
                _ => {
                    return Err(ApiError::invalid_arguments(
                        "name either one aspect or one cluster",
                    ));
                }
            };
            Command::RevealAspects {
                track: a.track,
                aspects,
                cluster: a.cluster,
            }
        }
        "agree_aspect" => {
            let a: AgreeArgs = args(raw)?;
            Command::AgreeAspect {
                track: a.track,
                aspect: a.aspect,
                text: FreeText::parse_optional("text", a.text.as_deref())?,
            }
        }
        "reopen_aspect" => {
            let a: AspectArgs = args(raw)?;
            Command::ReopenAspect {
                track: a.track,
                aspect: a.aspect,
            }
        }
        "park_aspect" => {
            let a: ParkArgs = args(raw)?;
            Command::ParkAspect {
                track: a.track,
                aspect: a.aspect,
                reason: FreeText::parse("reason", &a.reason)?,
            }
        }
        "focus" => {
            let a: FocusArgs = args(raw)?;
            let step = Step {
                track: a.track,
                cluster: a.cluster,
                aspect: a.aspect,
            };
            Command::Focus {
                step: (step != Step::default()).then_some(step),
            }
        }
        "start_timer" => {
            let a: TimerArgs = args(raw)?;
            let seconds = u32::try_from(a.seconds).map_err(|_| ApiError {
                field: Some("seconds"),
                ..ApiError::invalid_arguments("seconds must be a positive number")
            })?;
            Command::StartTimer {
                seconds,
                label: a
                    .label
                    .as_deref()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| Name::parse("label", l))
                    .transpose()?,
            }
        }
        "stop_timer" => {
            args::<NoArgs>(raw)?;
            Command::StopTimer
        }
        "rename_organisation" => {
            let a: RenameArgs = args(raw)?;
            Command::RenameOrganisation {
                organisation: a.organisation,
                name: Name::parse("name", &a.name)?,
            }
        }
        "merge_organisations" => {
            let a: MergeArgs = args(raw)?;
            Command::MergeOrganisations {
                from: a.from,
                into: a.into,
            }
        }
        "remove_participant" => {
            let a: RemoveArgs = args(raw)?;
            Command::RemoveParticipant {
                participant: a.participant,
            }
        }
        "add_note" => {
            let a: NoteArgs = args(raw)?;
            Command::AddNote {
                about: Step {
                    track: a.track,
                    cluster: a.cluster,
                    aspect: a.aspect,
                },
                text: FreeText::parse("text", &a.text)?,
            }
        }
        "open_review" => {
            args::<NoArgs>(raw)?;
            Command::OpenReview
        }
        "approve" => {
            args::<NoArgs>(raw)?;
            Command::Approve
        }
        "object" => {
            let a: ObjectArgs = args(raw)?;
            Command::Object {
                reason: FreeText::parse("reason", &a.reason)?,
                aspects: a.aspects,
            }
        }
        "close" => {
            let a: CloseArgs = args(raw)?;
            Command::Close { force: a.force }
        }
        other => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "unknown_command",
                format!("unknown command '{other}'"),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        parse(text).unwrap_err().error.code
    }

    #[test]
    fn each_kind_of_bad_message_has_its_own_code() {
        assert_eq!(code("{not json"), "malformed_json");
        assert_eq!(code("[1,2]"), "invalid_arguments");
        assert_eq!(code(r#"{"type":"dance"}"#), "unknown_message_type");
        assert_eq!(
            code(r#"{"type":"command","id":"1","command":"dance"}"#),
            "unknown_command"
        );
        assert_eq!(
            code(r#"{"type":"command","id":"1","command":"answer","args":{"axis":"intent"}}"#),
            "invalid_arguments"
        );
        assert_eq!(
            code(
                r#"{"type":"command","id":"1","command":"answer","args":{"axis":"intent","pole":"share","strength":2}}"#
            ),
            "invalid_arguments"
        );
        assert_eq!(
            code(
                r#"{"type":"command","id":"1","command":"answer","args":{"axis":"intent","pole":"improve","strength":7}}"#
            ),
            "out_of_range"
        );
        assert_eq!(
            code(r#"{"type":"command","id":"has space","command":"reveal"}"#),
            "invalid_characters"
        );
    }

    #[test]
    fn the_command_id_comes_back_with_the_error() {
        let e = parse(r#"{"type":"command","id":"c7","command":"dance"}"#).unwrap_err();
        assert_eq!(e.id.as_deref(), Some("c7"));
    }

    #[test]
    fn a_good_answer_parses() {
        match parse(r#"{"type":"command","id":"c1","command":"answer","args":{"axis":"nature","pole":"share","strength":3,"motivation":"we pool our IT"}}"#).unwrap() {
            ClientMessage::Command { id, command: Command::Answer(AxisAnswer::Nature { pole, strength, motivation }) } => {
                assert_eq!(id.as_str(), "c1");
                assert_eq!(pole, Nature::Share);
                assert_eq!(strength.get(), 3);
                assert_eq!(motivation.unwrap().as_str(), "we pool our IT");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(|f| serde_json::json!(f)),
            ".{0,20}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("axis".to_owned()),
                        Just("pole".to_owned()),
                        Just("strength".to_owned()),
                        Just("form".to_owned()),
                        Just("tracks".to_owned()),
                        Just("name".to_owned()),
                        ".{0,6}"
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn no_text_makes_the_parser_panic(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }

        #[test]
        fn no_envelope_makes_the_parser_panic(
            kind in prop_oneof![Just("command"), Just("hello"), Just("snapshot"), Just("x")],
            name in prop_oneof![
                Just("answer"), Just("reveal"), Just("split"), Just("decide_form"),
                Just("update_settings"), Just("start_design"), Just("new_round"), Just("zzz")
            ],
            id in ".{0,70}",
            args in json_value(),
        ) {
            let message = serde_json::json!({ "type": kind, "id": id, "command": name, "args": args });
            match parse(&message.to_string()) {
                Ok(_) => {}
                Err(e) => prop_assert!(!e.error.code.is_empty() && !e.error.message.is_empty()),
            }
        }
    }
}
