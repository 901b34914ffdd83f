//! What the state keeps besides its values: the people and organisations, the revealed rounds
//! and resolutions, and the board's timer, notes, approvals, objections and closure.

use super::super::alignment::AlignmentReport;
use super::super::ids::{OrgId, ParticipantId};
use super::super::values::{AspectRef, Phase, Position, Role, Step, TrackSpec};
use crate::model::Form;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A partner organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    /// Its id.
    pub id: OrgId,
    /// Its name.
    pub name: String,
    /// The organisation it was merged into, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<OrgId>,
}

/// A person in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// Their id.
    pub id: ParticipantId,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// The organisation they represent; none for a facilitator.
    pub organisation: Option<OrgId>,
    /// Removed by a facilitator: no longer in the session, still in its history.
    pub removed: bool,
}

/// A round whose answers were revealed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevealedRound {
    /// Its number.
    pub round: u32,
    /// When it was revealed.
    pub at: DateTime<Utc>,
    /// Whose command revealed it (for an automatic reveal, the command that completed it).
    pub by: Option<ParticipantId>,
    /// Revealed before everyone answered.
    pub forced: bool,
    /// Revealed by the server itself.
    pub automatic: bool,
    /// Who had not answered both questions.
    pub missing: Vec<ParticipantId>,
    /// The answers.
    pub positions: Vec<Position>,
    /// The analysis shown at the reveal.
    pub report: AlignmentReport,
}

/// How a disagreement in alignment was resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolution {
    /// Answers reopened for another round.
    NewRound {
        /// The round that was not agreed.
        after_round: u32,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Option<ParticipantId>,
    },
    /// One form chosen.
    Decided {
        /// In which round's alignment.
        round: u32,
        /// The form.
        form: Form,
        /// Why.
        rationale: String,
        /// Organisations whose position differed.
        dissenting: Vec<OrgId>,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Option<ParticipantId>,
    },
    /// Split into tracks.
    Split {
        /// In which round's alignment.
        round: u32,
        /// The tracks.
        tracks: Vec<TrackSpec>,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Option<ParticipantId>,
    },
}

/// The timer everyone sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timer {
    /// What it is for.
    pub label: Option<String>,
    /// Its length.
    pub seconds: u32,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
}

/// A facilitator's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The step it is about.
    pub about: Step,
    /// The phase the session was in.
    pub phase: Phase,
    /// The note.
    pub text: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: Option<ParticipantId>,
}

/// An organisation's approval of the draft record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    /// Which organisation.
    pub organisation: OrgId,
    /// When.
    pub at: DateTime<Utc>,
    /// Which of its representatives.
    pub by: Option<ParticipantId>,
}

/// An organisation's objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Objection {
    /// Which organisation.
    pub organisation: OrgId,
    /// Why.
    pub reason: String,
    /// The aspects it reopened.
    pub aspects: Vec<AspectRef>,
    /// When.
    pub at: DateTime<Utc>,
    /// Which of its representatives.
    pub by: Option<ParticipantId>,
}

/// How the session was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closure {
    /// Closed without every organisation's approval.
    pub forced: bool,
    /// Organisations that had not approved.
    pub not_approved: Vec<OrgId>,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: Option<ParticipantId>,
}
