//! What happened in a session. Events are the stored truth: the state is their fold, the views
//! and the record are rendered from them. Their JSON is the stored format, so a change here is
//! a change of the database's contents: add fields with defaults, never rename.

use super::alignment::AlignmentReport;
use super::command::{AxisAnswer, TrackSpec};
use super::ids::{OrgId, ParticipantId};
use super::state::{Phase, Position, Role, Settings};
use crate::model::{Form, Lang};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An event with its place in the session's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// Position in the session's log: 1, 2, 3, … with no gaps.
    pub seq: u64,
    /// When the server accepted the command that caused it.
    pub at: DateTime<Utc>,
    /// Who sent the command that caused it (for an automatic reveal: the last answerer, or the
    /// facilitator who switched auto-reveal on); `None` for anonymous requests (creating a
    /// session, joining).
    pub by: Option<ParticipantId>,
    /// What happened.
    pub event: Event,
}

/// Something that happened in a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The session was created, with its first facilitator.
    SessionCreated {
        /// Title.
        title: String,
        /// Language of the model texts and the record.
        language: Lang,
        /// The first facilitator.
        facilitator: ParticipantId,
        /// Their name.
        facilitator_name: String,
        /// Initial settings.
        settings: Settings,
    },
    /// An organisation was added to the session's list.
    OrganisationAdded {
        /// Its id.
        organisation: OrgId,
        /// Its name.
        name: String,
    },
    /// A person joined.
    ParticipantJoined {
        /// Their id.
        participant: ParticipantId,
        /// Their name.
        name: String,
        /// Their role.
        role: Role,
        /// The organisation they represent (none for a facilitator).
        organisation: Option<OrgId>,
    },
    /// The session's settings changed.
    SettingsChanged {
        /// The settings now.
        settings: Settings,
    },
    /// A positioning round opened.
    PositioningStarted {
        /// The round's number, from 1.
        round: u32,
    },
    /// A representative answered one question. Secret until the reveal: only the answerer's
    /// own view carries the answer.
    AnswerGiven {
        /// Who answered.
        participant: ParticipantId,
        /// In which round.
        round: u32,
        /// The answer.
        answer: AxisAnswer,
    },
    /// The round's answers were revealed; the session is now in alignment.
    Revealed {
        /// Which round.
        round: u32,
        /// Whether the facilitator revealed before everyone had answered.
        forced: bool,
        /// Whether the server revealed by itself (the auto-reveal setting).
        automatic: bool,
        /// Representatives who had not answered both questions.
        missing: Vec<ParticipantId>,
        /// Every answer of the round, now public.
        positions: Vec<Position>,
        /// Where the partners stand and where they differ.
        report: AlignmentReport,
    },
    /// Resolution: the answers reopen for a new round; the earlier rounds stay in the history.
    NewRoundStarted {
        /// The new round's number.
        round: u32,
    },
    /// Resolution: the facilitator settled on one form.
    FormDecided {
        /// The form.
        form: Form,
        /// Why.
        rationale: String,
        /// Organisations whose own position differed from the decision.
        dissenting: Vec<OrgId>,
    },
    /// Resolution: the collaboration is split into tracks, each with its own form.
    SplitIntoTracks {
        /// The tracks.
        tracks: Vec<TrackSpec>,
    },
    /// The session moved on to another phase through a gate (e.g. alignment → design).
    PhaseChanged {
        /// The phase now.
        phase: Phase,
        /// For design: the tracks to design, each with its form (one when not split).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tracks: Vec<TrackSpec>,
    },
}

impl Event {
    /// The event's name in the protocol (the `type` field).
    pub fn name(&self) -> &'static str {
        match self {
            Event::SessionCreated { .. } => "session_created",
            Event::OrganisationAdded { .. } => "organisation_added",
            Event::ParticipantJoined { .. } => "participant_joined",
            Event::SettingsChanged { .. } => "settings_changed",
            Event::PositioningStarted { .. } => "positioning_started",
            Event::AnswerGiven { .. } => "answer_given",
            Event::Revealed { .. } => "revealed",
            Event::NewRoundStarted { .. } => "new_round_started",
            Event::FormDecided { .. } => "form_decided",
            Event::SplitIntoTracks { .. } => "split_into_tracks",
            Event::PhaseChanged { .. } => "phase_changed",
        }
    }
}
