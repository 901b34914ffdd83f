//! Deciding the commands of a diagnosis: the start (no form gate), blind placements per
//! aspect, their reveal, and what the facilitator records (tags, findings, actions).

use super::Ctx;
use crate::model::Aspect;
use crate::session::command::DiagnosisCommand;
use crate::session::diagnosis::{Action, Placed, PlacementReveal, RevealedPlacement};
use crate::session::event::Event;
use crate::session::rejection::Rejection;
use crate::session::state::{Diagnosis, PlacementStatus, State};
use crate::session::values::{Limits, Phase, Role};

/// Decides a diagnosis command.
pub(super) fn decide(
    cx: &Ctx,
    limits: &Limits,
    command: &DiagnosisCommand,
) -> Result<Vec<Event>, Rejection> {
    let Some(d) = cx.state.diagnosis.as_ref() else {
        return Err(Rejection::wrong_mode(cx.name, cx.state.mode()));
    };
    match command {
        DiagnosisCommand::Start => {
            cx.need(Role::Facilitator)?;
            // Positioning first is optional: the intended form is a reference, not a gate.
            if !matches!(cx.state.phase, Phase::Lobby | Phase::Alignment) {
                return Err(Rejection::wrong_phase(cx.name, cx.state.phase));
            }
            Ok(vec![Event::PhaseChanged {
                phase: Phase::Diagnosis,
                tracks: Vec::new(),
            }])
        }
        DiagnosisCommand::Place { aspect, placing } => {
            cx.need(Role::Representative)?;
            cx.in_phase(Phase::Diagnosis)?;
            let a = open(d, *aspect)?;
            Ok(vec![Event::AspectPlaced {
                participant: cx.sender.id,
                aspect: *aspect,
                round: a.round,
                placing: placing.clone(),
            }])
        }
        DiagnosisCommand::Withdraw { aspect } => {
            cx.need(Role::Representative)?;
            cx.in_phase(Phase::Diagnosis)?;
            let a = open(d, *aspect)?;
            if !a.placements.contains_key(&cx.sender.id) {
                return Err(Rejection::NothingToWithdraw);
            }
            Ok(vec![Event::PlacementWithdrawn {
                participant: cx.sender.id,
                aspect: *aspect,
                round: a.round,
            }])
        }
        DiagnosisCommand::Reveal { aspects, group } => {
            cx.facilitator_in(Phase::Diagnosis)?;
            Ok(vec![Event::PlacementsRevealed {
                reveals: reveals(cx.state, d, aspects, *group)?,
            }])
        }
        DiagnosisCommand::Tag {
            aspect,
            participant,
            form,
        } => {
            cx.facilitator_in(Phase::Diagnosis)?;
            let a = d.aspect(*aspect);
            let reveal = a
                .last_reveal()
                .filter(|_| a.status == PlacementStatus::Revealed)
                .ok_or(Rejection::PlacementsNotRevealed)?;
            let placement = reveal
                .placements
                .iter()
                .find(|p| p.participant == *participant)
                .ok_or(Rejection::NoSuchPlacement)?;
            if !matches!(placement.placing.placed, Placed::Own { .. }) {
                return Err(Rejection::NotOwnWords);
            }
            if placement.tag == *form {
                return Ok(Vec::new());
            }
            Ok(vec![Event::PlacementTagged {
                aspect: *aspect,
                round: reveal.round,
                participant: *participant,
                form: *form,
            }])
        }
        DiagnosisCommand::Reopen { aspect } => {
            cx.facilitator_in(Phase::Diagnosis)?;
            let a = d.aspect(*aspect);
            if a.status == PlacementStatus::Open {
                return Err(Rejection::AspectAlreadyOpen);
            }
            Ok(vec![Event::PlacementReopened {
                aspect: *aspect,
                round: a.round + 1,
            }])
        }
        DiagnosisCommand::Finding { aspect, text } => {
            cx.facilitator_in(Phase::Diagnosis)?;
            let text = text.as_ref().map(|t| t.as_str().to_owned());
            if d.aspect(*aspect).finding == text {
                return Ok(Vec::new());
            }
            Ok(vec![Event::FindingRecorded {
                aspect: *aspect,
                text,
            }])
        }
        DiagnosisCommand::SetAction {
            aspect,
            action,
            text,
            owner,
            due,
        } => {
            cx.facilitator_in(Phase::Diagnosis)?;
            super::design::check_owner(cx, *owner)?;
            let a = d.aspect(*aspect);
            let id = match action {
                Some(id) => {
                    if !a.actions.iter().any(|x| x.id == *id) {
                        return Err(Rejection::UnknownAction);
                    }
                    *id
                }
                None => {
                    if a.actions.len() >= limits.max_actions {
                        return Err(Rejection::TooManyActions(a.actions.len()));
                    }
                    a.next_action
                }
            };
            let action = Action {
                id,
                text: text.as_str().to_owned(),
                owner: *owner,
                due: due.map(|d| d.date()),
            };
            if a.actions.contains(&action) {
                return Ok(Vec::new());
            }
            Ok(vec![Event::ActionSet {
                aspect: *aspect,
                action,
            }])
        }
        DiagnosisCommand::RemoveAction { aspect, action } => {
            cx.facilitator_in(Phase::Diagnosis)?;
            if !d.aspect(*aspect).actions.iter().any(|x| x.id == *action) {
                return Err(Rejection::UnknownAction);
            }
            Ok(vec![Event::ActionRemoved {
                aspect: *aspect,
                action: *action,
            }])
        }
    }
}

/// An aspect that takes placements.
fn open(
    d: &Diagnosis,
    aspect: Aspect,
) -> Result<&crate::session::state::DiagnosisAspect, Rejection> {
    let a = d.aspect(aspect);
    if a.status != PlacementStatus::Open {
        return Err(Rejection::PlacementsNotOpen);
    }
    Ok(a)
}

/// The reveals of the named aspects. One aspect named asks for exactly that one; a group (a
/// cluster, or all) takes those of its aspects that are open and have placements.
fn reveals(
    state: &State,
    d: &Diagnosis,
    aspects: &[Aspect],
    group: bool,
) -> Result<Vec<PlacementReveal>, Rejection> {
    let mut reveals = Vec::new();
    for &aspect in aspects {
        let a = d.aspect(aspect);
        if a.status != PlacementStatus::Open {
            if group {
                continue;
            }
            return Err(Rejection::PlacementsNotOpen);
        }
        // In the order people joined, so every view and the record list them alike.
        let placements: Vec<RevealedPlacement> = state
            .representatives()
            .filter_map(|p| {
                Some(RevealedPlacement {
                    participant: p.id,
                    organisation: p.organisation?,
                    placing: a.placements.get(&p.id)?.clone(),
                    tag: None,
                })
            })
            .collect();
        if placements.is_empty() {
            if group {
                continue;
            }
            return Err(Rejection::NoPlacements);
        }
        reveals.push(PlacementReveal {
            aspect,
            round: a.round,
            placements,
        });
    }
    if reveals.is_empty() {
        return Err(Rejection::NoPlacements);
    }
    Ok(reveals)
}
