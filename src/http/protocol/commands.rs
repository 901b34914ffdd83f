//! The one `match` in which a command's name selects its arguments (their shapes are in
//! args.rs) and turns them into a core command.

use super::args::*;
use super::diagnosis_args as diagnosis;
use super::negotiation_args as negotiation;
use crate::http::error::ApiError;
use crate::model::{Axis, Intent, Nature};
use crate::session::{
    AxisAnswer, Command, DiagnosisCommand, FreeText, Name, RationaleTarget, Response, Step,
    Strength, TimeZoneName, TrackSpec,
};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

fn args<T: DeserializeOwned>(raw: &str) -> Result<T, ApiError> {
    ApiError::parse(raw.as_bytes())
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
                time_zone: a
                    .time_zone
                    .as_deref()
                    .map(TimeZoneName::parse)
                    .transpose()?,
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
            match a.proposal {
                // A proposal brings its own text and form.
                Some(_) if a.text.is_some() || a.resembles.is_some() => {
                    return Err(ApiError {
                        field: Some("proposal"),
                        ..ApiError::invalid_arguments(
                            "agree on a proposal, or on a text with what it resembles, not both",
                        )
                    });
                }
                Some(proposal) => Command::AgreeProposal {
                    track: a.track,
                    aspect: a.aspect,
                    proposal,
                },
                None => Command::AgreeAspect {
                    track: a.track,
                    aspect: a.aspect,
                    text: FreeText::parse_optional("text", a.text.as_deref())?,
                    resembles: a.resembles.as_deref().map(form).transpose()?,
                },
            }
        }
        "propose" => negotiation::propose(args(raw)?)?,
        "tag_proposal" => negotiation::tag(args(raw)?),
        "call_round" => negotiation::call(args(raw)?),
        "answer_round" => negotiation::answer(args(raw)?)?,
        "close_round" => negotiation::close(args(raw)?),
        "override_round" => negotiation::override_round(args(raw)?)?,
        "call_form_round" => negotiation::call_form(args(raw)?)?,
        "answer_form_round" => negotiation::answer_form(args(raw)?)?,
        "close_form_round" => {
            args::<NoArgs>(raw)?;
            Command::CloseFormRound
        }
        "override_form_round" => negotiation::override_form(args(raw)?)?,
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
                owner: owner(a.owner)?,
                due: due(a.due.as_deref())?,
            }
        }
        "assign_open_item" => {
            let a: OpenItemArgs = args(raw)?;
            Command::AssignOpenItem {
                track: a.track,
                aspect: a.aspect,
                owner: owner(a.owner)?,
                due: due(a.due.as_deref())?,
            }
        }
        "state_goal" => {
            let a: GoalArgs = args(raw)?;
            Command::StateGoal {
                organisation: a.organisation,
                text: FreeText::parse_optional("text", a.text.as_deref())?,
            }
        }
        "set_advisor" => {
            let a: AdvisorArgs = args(raw)?;
            Command::SetAdvisor {
                organisation: a.organisation,
                advisor: a.advisor,
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
            let a: ApproveArgs = args(raw)?;
            Command::Approve { track: a.track }
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
        "start_diagnosis" => {
            args::<NoArgs>(raw)?;
            Command::Diagnosis(DiagnosisCommand::Start)
        }
        "place" => Command::Diagnosis(diagnosis::place(args(raw)?)?),
        "withdraw_placement" => Command::Diagnosis(diagnosis::withdraw(args(raw)?)),
        "reveal_placements" => Command::Diagnosis(diagnosis::reveal(args(raw)?)?),
        "tag_placement" => Command::Diagnosis(diagnosis::tag(args(raw)?)),
        "reopen_placement" => Command::Diagnosis(diagnosis::reopen(args(raw)?)),
        "record_finding" => Command::Diagnosis(diagnosis::finding(args(raw)?)?),
        "set_action" => Command::Diagnosis(diagnosis::set_action(args(raw)?)?),
        "remove_action" => Command::Diagnosis(diagnosis::remove_action(args(raw)?)),
        other => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "unknown_command",
                format!("unknown command '{other}'"),
            ));
        }
    })
}
