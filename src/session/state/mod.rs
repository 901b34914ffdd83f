//! The state of one session: the fold of its events (`apply.rs`), and the questions the rest
//! of the core asks of it.

mod apply;
mod checkpoint;
mod diagnosis;
mod negotiation;
mod records;
mod tracks;

pub use checkpoint::{CHECKPOINT_VERSION, decode_checkpoint, encode_checkpoint};
pub use diagnosis::{Diagnosis, DiagnosisAspect, PlacementStatus};
pub use records::{
    Approval, Closure, Note, Objection, Observer, Organisation, Participant, Rationale, Resolution,
    RevealedRound, Timer,
};
pub use tracks::{Agreement, AspectState, AspectStatus, Track};

use super::baseline::Baseline;
use super::diagnosis::Mode;
use super::event::Recorded;
use super::ids::{OrgId, ParticipantId};
use super::negotiation::{Consent, FormRound};
use super::values::{Phase, Position, Role, Settings, Step, TrackSpec};
use crate::model::{Form, Lang};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything the core knows about one session. Serialised only as a checkpoint
/// (`checkpoint.rs`); views have their own shapes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Whether the session exists (its first event was applied).
    pub created: bool,
    pub title: String,
    /// Language of the model texts and the record.
    pub language: Lang,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    pub settings: Settings,
    pub phase: Phase,
    /// Organisations, in the order they were added.
    pub organisations: Vec<Organisation>,
    /// People, in the order they joined.
    pub participants: Vec<Participant>,
    /// Board links, in the order they were made: not participants, and counted nowhere.
    pub observers: Vec<Observer>,
    /// The short code people type to join, while the session is open.
    pub join_code: Option<String>,
    /// The current (or last) positioning round; 0 before positioning started.
    pub round: u32,
    /// The current round's answers, secret until the reveal.
    pub answers: BTreeMap<ParticipantId, Position>,
    /// Every revealed round, oldest first.
    pub rounds: Vec<RevealedRound>,
    /// Every resolution, oldest first.
    pub resolutions: Vec<Resolution>,
    /// Every rationale given, oldest first; a later one on the same subject replaces the
    /// earlier in what people see.
    pub rationales: Vec<Rationale>,
    /// The tracks being designed, once design started.
    pub tracks: Vec<Track>,
    /// The step everyone is pointed at.
    pub focus: Option<Step>,
    pub timer: Option<Timer>,
    /// Facilitator notes, oldest first.
    pub notes: Vec<Note>,
    /// The partners' joint goal for the collaboration, as stated.
    pub joint_goal: Option<String>,
    /// The IANA time zone the record shows times in; none: UTC.
    pub time_zone: Option<String>,
    /// Approvals in the current review.
    pub approvals: Vec<Approval>,
    /// Every objection, oldest first.
    pub objections: Vec<Objection>,
    /// How the session was closed, once closed.
    pub closure: Option<Closure>,
    /// A diagnosis session's own part; none for a design session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Diagnosis>,
    /// A follow-up's baseline: the closed session it started from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// Every form decision put to a consent round, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form_rounds: Vec<FormRound>,
    /// The open form round's answers per organisation, secret until it closes (a checkpoint
    /// keeps them beside the state).
    #[serde(skip)]
    pub form_consents: BTreeMap<OrgId, (ParticipantId, Consent)>,
    /// The sequence number of the last applied event.
    pub last_seq: u64,
}

impl State {
    /// Folds a log into a state.
    pub fn from_log<'a>(events: impl IntoIterator<Item = &'a Recorded>) -> State {
        let mut state = State::default();
        for e in events {
            state.apply(e);
        }
        state
    }

    /// What the session is for.
    pub fn mode(&self) -> Mode {
        if self.diagnosis.is_some() {
            Mode::Diagnosis
        } else {
            Mode::Design
        }
    }

    /// The phase the partners work in before the review: the design, or the diagnosis.
    pub fn work_phase(&self) -> Phase {
        match self.mode() {
            Mode::Design => Phase::Design,
            Mode::Diagnosis => Phase::Diagnosis,
        }
    }

    /// Looks up a participant, removed or not (the history needs their names).
    pub fn participant(&self, id: ParticipantId) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// Looks up a board link that still works.
    pub fn active_observer(&self, id: ParticipantId) -> Option<&Observer> {
        self.observers.iter().find(|o| o.id == id && !o.revoked)
    }

    /// Looks up a participant who is still in the session.
    pub fn active_participant(&self, id: ParticipantId) -> Option<&Participant> {
        self.participant(id).filter(|p| !p.removed)
    }

    /// Organisations that are still on the list (not merged away).
    pub fn active_organisations(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations
            .iter()
            .filter(|o| o.merged_into.is_none())
    }

    /// Organisations expected to approve the record: the partners (not the advisors) on the
    /// list with a representative.
    pub fn approving_organisations(&self) -> Vec<OrgId> {
        self.active_organisations()
            .filter(|o| !o.advisor)
            .filter(|o| self.representatives().any(|p| p.organisation == Some(o.id)))
            .map(|o| o.id)
            .collect()
    }

    /// Whether an organisation is a partner: on the list and not an advisor.
    pub fn is_partner(&self, id: OrgId) -> bool {
        self.organisation(id).is_some_and(|o| !o.advisor)
    }

    /// The tracks an organisation takes part in, by index.
    pub fn tracks_of(&self, organisation: OrgId) -> Vec<usize> {
        (0..self.tracks.len())
            .filter(|&i| self.tracks[i].includes(organisation))
            .collect()
    }

    /// The tracks an organisation has approved in this review.
    pub fn approved_tracks(&self, organisation: OrgId) -> Vec<usize> {
        let mut tracks: Vec<usize> = self
            .approvals
            .iter()
            .filter(|a| a.organisation == organisation)
            .flat_map(|a| a.tracks.iter().copied())
            .collect();
        tracks.sort_unstable();
        tracks.dedup();
        tracks
    }

    /// Whether an organisation has approved everything it takes part in.
    pub fn has_approved(&self, organisation: OrgId) -> bool {
        let approved = self.approved_tracks(organisation);
        self.approvals
            .iter()
            .any(|a| a.organisation == organisation)
            && self
                .tracks_of(organisation)
                .iter()
                .all(|t| approved.contains(t))
    }

    /// Looks up an organisation.
    pub fn organisation(&self, id: OrgId) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.id == id)
    }

    /// The representatives still in the session, in join order.
    pub fn representatives(&self) -> impl Iterator<Item = &Participant> {
        self.participants
            .iter()
            .filter(|p| p.role == Role::Representative && !p.removed)
    }

    /// Partners' representatives who have not answered both questions in the current round
    /// (an advisor's representatives may answer, but nobody waits for them).
    pub fn missing_answers(&self) -> Vec<ParticipantId> {
        self.representatives()
            .filter(|p| p.organisation.is_some_and(|o| self.is_partner(o)))
            .filter(|p| !self.answers.get(&p.id).is_some_and(Position::complete))
            .map(|p| p.id)
            .collect()
    }

    /// The revealed round the session is aligning on, if in alignment.
    pub fn open_form_round(&self) -> Option<&FormRound> {
        self.form_rounds.last().filter(|r| r.closed.is_none())
    }

    pub fn current_reveal(&self) -> Option<&RevealedRound> {
        self.rounds.last().filter(|r| r.round == self.round)
    }

    /// The tracks the design would start with, if the gate out of alignment is open: one track
    /// of the decided form, the tracks of a split, or one track of the form every placed
    /// representative shares — each only as the outcome of this round's alignment. `None`
    /// while the partners disagree and nothing resolved it.
    pub fn design_tracks(&self) -> Option<Vec<TrackSpec>> {
        match self.current_resolution() {
            Some(Resolution::Decided { form, .. }) => {
                Some(vec![TrackSpec::whole(self.language, *form)])
            }
            Some(Resolution::Split { tracks, .. }) => Some(tracks.clone()),
            _ => self
                .current_reveal()
                .and_then(|r| r.report.agreed)
                .map(|form| vec![TrackSpec::whole(self.language, form)]),
        }
    }

    /// The form the partners intend, as the current round's alignment says: the form decided
    /// on, or the one every placed partner shares.
    pub fn intended_form(&self) -> Option<Form> {
        match self.current_resolution() {
            Some(Resolution::Decided { form, .. }) => Some(*form),
            _ => self.current_reveal().and_then(|r| r.report.agreed),
        }
    }

    /// The form one organisation intends, by its representatives' positions in the current
    /// round (none where they differ, or it did not answer).
    pub fn intended_by(&self, organisation: OrgId) -> Option<Form> {
        self.current_reveal()?
            .report
            .organisations
            .iter()
            .find(|o| o.organisation == organisation)?
            .form
    }

    /// The resolution taken in the current round's alignment, if any (a decision or a split).
    pub fn current_resolution(&self) -> Option<&Resolution> {
        self.resolutions.last().filter(|r| match r {
            Resolution::Decided { round, .. } | Resolution::Split { round, .. } => {
                *round == self.round
            }
            Resolution::NewRound { .. } => false,
        })
    }
}
