//! The arguments of a diagnosis session's commands, and their parsers.

use super::args::{OwnerArgs, due, owner};
use crate::http::error::ApiError;
use crate::model::{Aspect, Cluster, Form};
use crate::session::{DiagnosisCommand, FreeText, ParticipantId, Placed, Placing};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlaceArgs {
    aspect: Aspect,
    /// "form", "none" or "own".
    placed: String,
    #[serde(default)]
    form: Option<Form>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    example: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DiagnosisAspectArgs {
    aspect: Aspect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RevealPlacementsArgs {
    #[serde(default)]
    aspect: Option<Aspect>,
    #[serde(default)]
    cluster: Option<Cluster>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TagArgs {
    aspect: Aspect,
    participant: ParticipantId,
    #[serde(default)]
    form: Option<Form>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FindingArgs {
    aspect: Aspect,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SetActionArgs {
    aspect: Aspect,
    #[serde(default)]
    action: Option<u32>,
    text: String,
    #[serde(default)]
    owner: Option<OwnerArgs>,
    #[serde(default)]
    due: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RemoveActionArgs {
    aspect: Aspect,
    action: u32,
}

fn with_field(field: &'static str, message: &str) -> ApiError {
    ApiError {
        field: Some(field),
        ..ApiError::invalid_arguments(message)
    }
}

pub(super) fn place(a: PlaceArgs) -> Result<DiagnosisCommand, ApiError> {
    let placed = match (a.placed.as_str(), a.form, a.text.as_deref()) {
        ("form", Some(form), None) => Placed::Form { form },
        ("none", None, None) => Placed::None,
        ("own", None, Some(text)) => Placed::Own {
            text: FreeText::parse("text", text)?,
        },
        ("form", None, _) => {
            return Err(with_field(
                "form",
                "choose the form whose principle describes it",
            ));
        }
        ("own", _, None) => return Err(with_field("text", "describe it in your own words")),
        ("form" | "none" | "own", _, _) => {
            return Err(with_field(
                "placed",
                "form takes a form, none takes nothing, own takes a text",
            ));
        }
        _ => return Err(with_field("placed", "choose form, none or own")),
    };
    Ok(DiagnosisCommand::Place {
        aspect: a.aspect,
        placing: Placing {
            placed,
            example: FreeText::parse_optional("example", a.example.as_deref())?,
        },
    })
}

pub(super) fn withdraw(a: DiagnosisAspectArgs) -> DiagnosisCommand {
    DiagnosisCommand::Withdraw { aspect: a.aspect }
}

pub(super) fn reopen(a: DiagnosisAspectArgs) -> DiagnosisCommand {
    DiagnosisCommand::Reopen { aspect: a.aspect }
}

/// One aspect, one cluster's, or (neither named) all of them.
pub(super) fn reveal(a: RevealPlacementsArgs) -> Result<DiagnosisCommand, ApiError> {
    Ok(match (a.aspect, a.cluster) {
        (Some(aspect), None) => DiagnosisCommand::Reveal {
            aspects: vec![aspect],
            group: false,
        },
        (None, Some(cluster)) => DiagnosisCommand::Reveal {
            aspects: cluster.aspects().to_vec(),
            group: true,
        },
        (None, None) => DiagnosisCommand::Reveal {
            aspects: Aspect::ALL.to_vec(),
            group: true,
        },
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_arguments(
                "name one aspect, one cluster, or neither (all aspects)",
            ));
        }
    })
}

pub(super) fn tag(a: TagArgs) -> DiagnosisCommand {
    DiagnosisCommand::Tag {
        aspect: a.aspect,
        participant: a.participant,
        form: a.form,
    }
}

pub(super) fn finding(a: FindingArgs) -> Result<DiagnosisCommand, ApiError> {
    Ok(DiagnosisCommand::Finding {
        aspect: a.aspect,
        text: FreeText::parse_optional("text", a.text.as_deref())?,
    })
}

pub(super) fn set_action(a: SetActionArgs) -> Result<DiagnosisCommand, ApiError> {
    Ok(DiagnosisCommand::SetAction {
        aspect: a.aspect,
        action: a.action,
        text: FreeText::parse("text", &a.text)?,
        owner: owner(a.owner)?,
        due: due(a.due.as_deref())?,
    })
}

pub(super) fn remove_action(a: RemoveActionArgs) -> DiagnosisCommand {
    DiagnosisCommand::RemoveAction {
        aspect: a.aspect,
        action: a.action,
    }
}
