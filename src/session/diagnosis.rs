//! The diagnosis mode's own values: a session that reads an existing collaboration (or a plan)
//! against the model instead of designing a new one. Per aspect each representative places,
//! blind, how it works today with one form's principle, with none of them, or in their own
//! words, with an example from practice; after the reveal the facilitator may tag own words
//! with the form they resemble, and records findings and improvement actions.

use super::ids::{OrgId, ParticipantId};
use super::input::FreeText;
use super::values::Owner;
use crate::model::diagnosis::Placement;
use crate::model::{Aspect, Form};
use serde::{Deserialize, Serialize};

/// What a session is for: designing a collaboration, or diagnosing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Design,
    Diagnosis,
}

impl Mode {
    /// The mode's name in the protocol.
    pub fn id(self) -> &'static str {
        match self {
            Mode::Design => "design",
            Mode::Diagnosis => "diagnosis",
        }
    }
}

/// What a diagnosis reads: the collaboration as it works, or a plan as it says it will.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    #[default]
    Practice,
    Plan,
}

impl Subject {
    /// The subject's name in the protocol.
    pub fn id(self) -> &'static str {
        match self {
            Subject::Practice => "practice",
            Subject::Plan => "plan",
        }
    }
}

/// Where a representative places one aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Placed {
    /// It works as this form's principle says.
    Form { form: Form },
    /// None of the four principles describes it.
    None,
    /// In the representative's own words.
    Own { text: FreeText },
}

/// A representative's placement of one aspect, with an example from practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placing {
    pub placed: Placed,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<FreeText>,
}

/// One placement as revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedPlacement {
    pub participant: ParticipantId,
    pub organisation: OrgId,
    #[serde(flatten)]
    pub placing: Placing,
    /// For own words: the form a facilitator judged them to resemble.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Form>,
}

impl RevealedPlacement {
    /// The placement as the model's analysis counts it.
    pub fn placement(&self) -> Placement {
        match &self.placing.placed {
            Placed::Form { form } => Placement::Form(*form),
            Placed::None => Placement::NoneOfThese,
            Placed::Own { .. } => Placement::OwnWords(self.tag),
        }
    }
}

/// The reveal of one aspect's placements in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementReveal {
    pub aspect: Aspect,
    /// Which round of this aspect (a reopened aspect starts a new round).
    pub round: u32,
    /// Every placement, in the order people joined.
    pub placements: Vec<RevealedPlacement>,
}

/// An improvement action the facilitator recorded for an aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Its number within the aspect, from 1; never reused.
    pub id: u32,
    pub text: String,
    pub owner: Option<Owner>,
    pub due: Option<chrono::NaiveDate>,
}
