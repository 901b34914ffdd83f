//! What the state keeps besides its values: the people and organisations, the revealed rounds
//! and resolutions, the rationales, and the board's links, timer, notes, approvals, objections
//! and closure.

use super::super::alignment::AlignmentReport;
use super::super::ids::{OrgId, ParticipantId};
use super::super::values::{AspectRef, Phase, Position, RationaleSubject, Role, Step, TrackSpec};
use crate::model::Form;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A partner organisation, as the session knows it now (renamed or merged, it keeps its id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrgId,
    pub name: String,
    /// What the name is compared by (`unicode::name_key`), kept so that a join does not work
    /// it out again for every organisation.
    #[serde(skip)]
    pub key: String,
    /// The organisation it was merged into, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<OrgId>,
    /// An advisor (the facilitator's consultancy, say) takes part in the conversation but is
    /// not a partner: it does not count in the forms, the gate or the approvals.
    pub advisor: bool,
    /// Its own goal for the collaboration, as it stated it.
    pub goal: Option<String>,
}

/// A person in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    pub name: String,
    /// What the name is compared by (`unicode::name_key`).
    #[serde(skip)]
    pub key: String,
    pub role: Role,
    /// The organisation they represent; none for a facilitator.
    pub organisation: Option<OrgId>,
    /// Removed by a facilitator: no longer in the session, still in its history.
    pub removed: bool,
}

/// A board link: a read-only view of the session for the projector or an observer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observer {
    /// The id its token names.
    pub id: ParticipantId,
    /// What it is for ("Projector", "Sponsor"), so that a facilitator knows which to revoke.
    pub label: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Revoked: its token no longer opens anything.
    pub revoked: bool,
}

/// A round whose answers were revealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevealedRound {
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
    pub positions: Vec<Position>,
    /// The analysis shown at the reveal.
    pub report: AlignmentReport,
}

/// How a disagreement in alignment was resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolution {
    /// Answers reopened for another round.
    NewRound {
        /// The round that was not agreed.
        after_round: u32,
        at: DateTime<Utc>,
        by: Option<ParticipantId>,
    },
    Decided {
        /// In which round's alignment.
        round: u32,
        form: Form,
        rationale: String,
        /// Organisations whose position differed.
        dissenting: Vec<OrgId>,
        at: DateTime<Utc>,
        by: Option<ParticipantId>,
    },
    Split {
        /// In which round's alignment.
        round: u32,
        tracks: Vec<TrackSpec>,
        /// Why (empty for splits made before a reason was asked).
        rationale: String,
        at: DateTime<Utc>,
        by: Option<ParticipantId>,
    },
}

/// The reason a representative gave, when asked, for a position that differs from the others'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rationale {
    pub participant: ParticipantId,
    /// Their organisation when they gave it.
    pub organisation: Option<OrgId>,
    pub about: RationaleSubject,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// The timer everyone sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    /// What it is for.
    pub label: Option<String>,
    pub seconds: u32,
    pub started_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The server recorded that it ran out (`timer_ended`); it shows as over until stopped or
    /// started again.
    pub ended: bool,
}

/// A facilitator's note on a step of the board, kept for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The step it is about.
    pub about: Step,
    /// The phase the session was in.
    pub phase: Phase,
    pub text: String,
    pub at: DateTime<Utc>,
    pub by: Option<ParticipantId>,
}

/// An organisation's approval of the draft record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub organisation: OrgId,
    /// The tracks it approved with this (those it takes part in, for an approval of all).
    pub tracks: Vec<usize>,
    pub at: DateTime<Utc>,
    /// Which of its representatives.
    pub by: Option<ParticipantId>,
}

/// An organisation's objection to the draft record; it stays in the history even once dealt with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub organisation: OrgId,
    pub reason: String,
    /// The aspects it reopened.
    pub aspects: Vec<AspectRef>,
    pub at: DateTime<Utc>,
    /// Which of its representatives.
    pub by: Option<ParticipantId>,
}

/// How the session was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    /// Closed without every organisation's approval.
    pub forced: bool,
    /// Organisations that had not approved.
    pub not_approved: Vec<OrgId>,
    pub at: DateTime<Utc>,
    pub by: Option<ParticipantId>,
}
