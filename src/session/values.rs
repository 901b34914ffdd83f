//! The plain values a session is made of, shared by its commands, its events and its state:
//! the phases and roles, the settings, a representative's position, a step of the board, a
//! track's specification. They depend on nothing else in the session, so every other module
//! can build on them.

use super::ids::{OrgId, ParticipantId};
use super::input::{FreeText, Name, Strength};
use crate::model::{Aspect, Axis, Cluster, Form, Intent, Lang, Nature, classify};
use serde::{Deserialize, Serialize};

/// The phases of a session, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    #[default]
    Lobby,
    /// Blind answers to the two positioning questions.
    Positioning,
    /// The answers are revealed; disagreements are resolved here.
    Alignment,
    /// A diagnosis session's blind placements per aspect, their reveal and the findings.
    Diagnosis,
    /// The 13 design questions, per track.
    Design,
    /// The draft record is reviewed and approved.
    Review,
    Closed,
}

impl Phase {
    /// The phase's name in the protocol.
    pub fn id(self) -> &'static str {
        match self {
            Phase::Lobby => "lobby",
            Phase::Positioning => "positioning",
            Phase::Alignment => "alignment",
            Phase::Diagnosis => "diagnosis",
            Phase::Design => "design",
            Phase::Review => "review",
            Phase::Closed => "closed",
        }
    }
}

/// What a person may do in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Facilitator,
    /// Speaks for one partner organisation.
    Representative,
    /// Watches through a board link (the projector, a sponsor): sees what everyone may see,
    /// sends nothing, and is not a participant.
    Observer,
}

/// How big a session may grow: the operator's settings, so that one person or one script
/// cannot fill the server. The defaults leave room for a workshop of a thousand people twice
/// over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// People who may ever join one session, facilitators and removed people included.
    pub max_participants: usize,
    /// Organisations one session may have, merged-away ones included.
    pub max_organisations: usize,
    /// Board links one session may have made, revoked ones included.
    pub max_board_links: usize,
    /// Improvement actions one aspect of a diagnosis may have at a time.
    pub max_actions: usize,
    /// Proposals one aspect of a track may have had, over all its rounds.
    pub max_proposals: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_participants: 2000,
            max_organisations: 2000,
            max_board_links: 200,
            max_actions: 100,
            max_proposals: 100,
        }
    }
}

/// Settings the facilitator can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Reveal by itself as soon as every representative has answered both questions.
    pub auto_reveal: bool,
    /// Whether a joining person may add an organisation that is not on the list yet.
    pub new_organisations_allowed: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_reveal: false,
            new_organisations_allowed: true,
        }
    }
}

/// One answer on an axis, as stored in a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoleAnswer<P> {
    pub pole: P,
    /// How sure the representative is, 1–3.
    pub strength: Strength,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motivation: Option<FreeText>,
}

/// A representative's answers in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub participant: ParticipantId,
    pub organisation: OrgId,
    /// Improve or innovate, if answered.
    pub intent: Option<PoleAnswer<Intent>>,
    /// Exchange or share, if answered.
    pub nature: Option<PoleAnswer<Nature>>,
}

impl Position {
    /// The basic form these answers place the representative in; none until both are answered.
    pub fn form(&self) -> Option<Form> {
        Some(classify(
            self.intent.as_ref()?.pole,
            self.nature.as_ref()?.pole,
        ))
    }

    /// Whether both questions are answered.
    pub fn complete(&self) -> bool {
        self.intent.is_some() && self.nature.is_some()
    }

    /// A position with no answer yet.
    pub fn empty(participant: ParticipantId, organisation: OrgId) -> Position {
        Position {
            participant,
            organisation,
            intent: None,
            nature: None,
        }
    }

    /// Takes back the answer on one axis.
    pub fn withdraw(&mut self, axis: crate::model::Axis) {
        match axis {
            crate::model::Axis::Intent => self.intent = None,
            crate::model::Axis::Nature => self.nature = None,
        }
    }

    /// Records (or replaces) the answer on one axis.
    pub fn record(&mut self, answer: &AxisAnswer) {
        match answer.clone() {
            AxisAnswer::Intent {
                pole,
                strength,
                motivation,
            } => {
                self.intent = Some(PoleAnswer {
                    pole,
                    strength,
                    motivation,
                })
            }
            AxisAnswer::Nature {
                pole,
                strength,
                motivation,
            } => {
                self.nature = Some(PoleAnswer {
                    pole,
                    strength,
                    motivation,
                })
            }
        }
    }
}

/// A step of the session a focus or note can point at: a track, a cluster, an aspect, or
/// (all absent) the session's current phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Step {
    /// The track, by its index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect: Option<Aspect>,
}

/// What a rationale is asked for: one positioning question of a round, or one aspect of a
/// track in one of its rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RationaleSubject {
    /// A positioning question, in a revealed round.
    Axis { axis: Axis, round: u32 },
    /// An aspect of a track, in one round of that aspect.
    Aspect {
        track: usize,
        aspect: Aspect,
        round: u32,
    },
}

/// One aspect of one track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AspectRef {
    /// The track, by its index (0 in a diagnosis, which has no tracks).
    pub track: usize,
    pub aspect: Aspect,
}

/// An answer to one positioning question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "axis", rename_all = "snake_case")]
pub enum AxisAnswer {
    Intent {
        pole: Intent,
        strength: Strength,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        motivation: Option<FreeText>,
    },
    Nature {
        pole: Nature,
        strength: Strength,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        motivation: Option<FreeText>,
    },
}

impl AxisAnswer {
    /// Which question this answers.
    pub fn axis(&self) -> crate::model::Axis {
        match self {
            AxisAnswer::Intent { .. } => crate::model::Axis::Intent,
            AxisAnswer::Nature { .. } => crate::model::Axis::Nature,
        }
    }
}

impl TrackSpec {
    /// The one track of a session that was not split, named for the whole collaboration.
    pub fn whole(language: Lang, form: Form) -> TrackSpec {
        let name = match language {
            Lang::En => "Collaboration",
            Lang::Nl => "Samenwerking",
        };
        TrackSpec {
            name: Name::constant(name),
            form,
            organisations: Vec::new(),
        }
    }
}

/// One track of a split: a part of the collaboration with its own form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackSpec {
    /// The track's name, e.g. "ICT services".
    pub name: Name,
    /// The form this track is designed for.
    pub form: Form,
    /// The organisations taking part in it; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<OrgId>,
}

/// Who owns an open item: an organisation or a person of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    Organisation(super::ids::OrgId),
    Participant(super::ids::ParticipantId),
}
