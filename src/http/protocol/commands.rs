//! Each command's arguments: their shape (one struct per command, unknown keys refused) and the
//! one `match` in which a command's name selects them.

use crate::http::error::ApiError;
use crate::http::json::objects;
use crate::model::{Aspect, Axis, Cluster, Form, Intent, Nature};
use crate::session::{
    AspectRef, AxisAnswer, Choice, Command, FreeText, Name, OrgId, ParticipantId, RationaleTarget,
    Response, Step, Strength, TrackSpec,
};
use axum::http::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;

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
struct AxisArgs {
    axis: String,
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
    #[serde(deserialize_with = "objects")]
    tracks: Vec<TrackArgs>,
    rationale: String,
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
struct RationaleArgs {
    #[serde(default)]
    axis: Option<String>,
    #[serde(default)]
    track: Option<usize>,
    #[serde(default)]
    aspect: Option<Aspect>,
    text: String,
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
    #[serde(default, deserialize_with = "objects")]
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

fn axis(raw: &str) -> Result<Axis, ApiError> {
    Axis::parse(raw).ok_or_else(|| ApiError {
        field: Some("axis"),
        ..ApiError::invalid_arguments(format!("unknown axis '{raw}' (intent or nature)"))
    })
}

fn form(raw: &str) -> Result<Form, ApiError> {
    Form::parse(raw).ok_or_else(|| ApiError {
        field: Some("form"),
        ..ApiError::invalid_arguments(format!(
            "unknown form '{raw}' (transactional, functional, entrepreneurial or exploratory)"
        ))
    })
}

/// The aspects a reveal or preview names: one aspect, or one cluster's.
fn aspects_named(a: &RevealAspectsArgs) -> Result<Vec<Aspect>, ApiError> {
    match (a.aspect, a.cluster) {
        (Some(aspect), None) => Ok(vec![aspect]),
        (None, Some(cluster)) => Ok(cluster.aspects().to_vec()),
        _ => Err(ApiError::invalid_arguments(
            "name either one aspect or one cluster",
        )),
    }
}

/// The one place where a command's name selects its arguments.
pub(super) fn parse_command(name: &str, raw: &str) -> Result<Command, ApiError> {
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
            Command::Answer(match axis(&a.axis)? {
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
        "withdraw_answer" => {
            let a: AxisArgs = args(raw)?;
            Command::WithdrawAnswer {
                axis: axis(&a.axis)?,
            }
        }
        "withdraw_response" => {
            let a: AspectArgs = args(raw)?;
            Command::WithdrawResponse {
                track: a.track,
                aspect: a.aspect,
            }
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
            Command::Split {
                tracks,
                rationale: FreeText::parse("rationale", &a.rationale)?,
            }
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
            Command::RevealAspects {
                track: a.track,
                aspects: aspects_named(&a)?,
                cluster: a.cluster,
            }
        }
        "preview_aspects" => {
            let a: RevealAspectsArgs = args(raw)?;
            Command::PreviewAspects {
                track: a.track,
                aspects: aspects_named(&a)?,
            }
        }
        "preview_reveal" => {
            args::<NoArgs>(raw)?;
            Command::PreviewReveal
        }
        "give_rationale" => {
            let a: RationaleArgs = args(raw)?;
            let about = match (a.axis.as_deref(), a.track, a.aspect) {
                (Some(raw), None, None) => RationaleTarget::Axis(axis(raw)?),
                (None, Some(track), Some(aspect)) => RationaleTarget::Aspect { track, aspect },
                _ => {
                    return Err(ApiError::invalid_arguments(
                        "name either a question (axis) or an aspect (track and aspect)",
                    ));
                }
            };
            Command::GiveRationale {
                about,
                text: FreeText::parse("text", &a.text)?,
            }
        }
        "back_to_design" => {
            args::<NoArgs>(raw)?;
            Command::BackToDesign
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
