//! The diagnosis as the state keeps it: what it reads (practice or plan), and per aspect its
//! status, the current round's blind placements, every reveal, the facilitator's finding and
//! the improvement actions.

use super::super::diagnosis::{Action, PlacementReveal, Placing, Subject};
use super::super::ids::ParticipantId;
use crate::model::Aspect;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where an aspect of a diagnosis stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementStatus {
    /// Collecting placements (or none yet).
    Open,
    /// Placements revealed.
    Revealed,
}

/// One aspect of a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosisAspect {
    pub aspect: Aspect,
    pub status: PlacementStatus,
    /// The current round, from 1; a reopen starts the next.
    pub round: u32,
    /// The current round's placements, secret until revealed (a checkpoint keeps them beside
    /// the state).
    #[serde(skip)]
    pub placements: BTreeMap<ParticipantId, Placing>,
    /// Every reveal, oldest first.
    pub reveals: Vec<PlacementReveal>,
    /// What the facilitator found, in their words.
    pub finding: Option<String>,
    /// Improvement actions, in the order they were added.
    pub actions: Vec<Action>,
    /// The number the next action gets.
    pub next_action: u32,
}

impl DiagnosisAspect {
    fn new(aspect: Aspect) -> DiagnosisAspect {
        DiagnosisAspect {
            aspect,
            status: PlacementStatus::Open,
            round: 1,
            placements: BTreeMap::new(),
            reveals: Vec::new(),
            finding: None,
            actions: Vec::new(),
            next_action: 1,
        }
    }

    /// The last reveal, if the aspect was revealed in its current round or before.
    pub fn last_reveal(&self) -> Option<&PlacementReveal> {
        self.reveals.last()
    }
}

/// A diagnosis session's own part of the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub subject: Subject,
    /// The 13 aspects, in the model's order.
    pub aspects: Vec<DiagnosisAspect>,
}

impl Diagnosis {
    /// A diagnosis with every aspect open.
    pub fn new(subject: Subject) -> Diagnosis {
        Diagnosis {
            subject,
            aspects: Aspect::ALL
                .iter()
                .map(|&a| DiagnosisAspect::new(a))
                .collect(),
        }
    }

    pub fn aspect(&self, aspect: Aspect) -> &DiagnosisAspect {
        &self.aspects[aspect.index()]
    }

    pub fn aspect_mut(&mut self, aspect: Aspect) -> &mut DiagnosisAspect {
        &mut self.aspects[aspect.index()]
    }
}
