//! What happened in a session. Events are the stored truth: the state is their fold, the views
//! and the record are rendered from them. Their JSON is the stored format, so a change here is
//! a change of the database's contents: add fields with defaults, never rename.

use super::alignment::AlignmentReport;
use super::baseline::Baseline;
use super::design::{AspectReveal, Response};
use super::diagnosis::{Action, Mode, PlacementReveal, Placing, Subject};
use super::ids::{OrgId, ParticipantId};
use super::negotiation::{Consent, Outcome, ProposalText, RoundAnswer};
use super::values::{
    AspectRef, AxisAnswer, Owner, Phase, Position, RationaleSubject, Role, Settings, Step,
    TrackSpec,
};
use crate::model::{Aspect, Axis, Form, Lang};
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
    pub event: Event,
}

/// Something that happened in a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The session was created, with its first facilitator.
    SessionCreated {
        title: String,
        /// Language of the model texts and the record.
        language: Lang,
        facilitator: ParticipantId,
        facilitator_name: String,
        settings: Settings,
        /// The short code people type to join, while the session is open (sessions made
        /// before codes existed have none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        join_code: Option<String>,
        /// The IANA time zone the record shows times in (sessions made before this setting
        /// have none, and show UTC).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_zone: Option<String>,
        /// Designing a collaboration (the default, and every session made before diagnoses
        /// existed), or diagnosing one.
        #[serde(default, skip_serializing_if = "is_design")]
        mode: Mode,
        /// For a diagnosis: whether it reads the practice or a plan.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<Subject>,
        /// For a follow-up: the closed session it starts from. Its organisations are added by
        /// the events that follow this one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        baseline: Option<Box<Baseline>>,
    },
    /// A proposal was put forward for a revealed aspect.
    ProposalMade {
        track: usize,
        aspect: Aspect,
        proposal: ProposalText,
    },
    /// A facilitator judged which form a proposal resembles (none: the tag taken back).
    ProposalTagged {
        track: usize,
        aspect: Aspect,
        proposal: u32,
        form: Option<Form>,
    },
    /// A proposal was put to a consent round.
    RoundCalled {
        track: usize,
        aspect: Aspect,
        round: u32,
        proposal: u32,
    },
    /// An organisation answered the open round (a later answer of it replaces this one). Only
    /// its author sees the answer before the round closes.
    RoundAnswered {
        track: usize,
        aspect: Aspect,
        round: u32,
        organisation: OrgId,
        participant: ParticipantId,
        consent: Consent,
    },
    /// The round closed: every answer, and what came of it.
    RoundClosed {
        track: usize,
        aspect: Aspect,
        round: u32,
        forced: bool,
        answers: Vec<RoundAnswer>,
        outcome: Outcome,
    },
    /// A blocked round agreed all the same.
    RoundOverridden {
        track: usize,
        aspect: Aspect,
        round: u32,
        rationale: String,
    },
    /// The facilitator put a form decision to a consent round.
    FormRoundCalled {
        round: u32,
        form: Form,
        rationale: String,
    },
    /// An organisation answered the open form round, blind as for an aspect.
    FormRoundAnswered {
        round: u32,
        organisation: OrgId,
        participant: ParticipantId,
        consent: Consent,
    },
    /// The form round closed: every answer, and what came of it.
    FormRoundClosed {
        round: u32,
        forced: bool,
        answers: Vec<RoundAnswer>,
        outcome: Outcome,
    },
    /// A blocked form round decided all the same.
    FormRoundOverridden { round: u32, rationale: String },
    /// An organisation was added to the session's list.
    OrganisationAdded { organisation: OrgId, name: String },
    ParticipantJoined {
        participant: ParticipantId,
        name: String,
        role: Role,
        /// The organisation they represent (none for a facilitator).
        organisation: Option<OrgId>,
    },
    /// The session's settings changed.
    SettingsChanged { settings: Settings },
    /// The time zone the record shows times in changed.
    TimeZoneSet { time_zone: String },
    /// An organisation's own goal for the collaboration (`organisation`), or the partners'
    /// joint goal (no `organisation`), was stated; `None` takes it back.
    GoalStated {
        organisation: Option<OrgId>,
        text: Option<String>,
    },
    /// An organisation was marked as an advisor (it takes part in the conversation, but does
    /// not count in the forms, the gate or the approvals), or as a partner again.
    AdvisorSet { organisation: OrgId, advisor: bool },
    /// A positioning round opened.
    PositioningStarted {
        /// The round's number, from 1.
        round: u32,
    },
    /// A representative answered one question. Secret until the reveal: only the answerer's
    /// own view carries the answer.
    AnswerGiven {
        participant: ParticipantId,
        round: u32,
        answer: AxisAnswer,
    },
    /// The round's answers were revealed; the session is now in alignment.
    Revealed {
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
        form: Form,
        rationale: String,
        /// Organisations whose own position differed from the decision.
        dissenting: Vec<OrgId>,
    },
    /// Resolution: the collaboration is split into tracks, each with its own form.
    SplitIntoTracks {
        tracks: Vec<TrackSpec>,
        /// Why, as for a decision (splits made before this was asked have none).
        #[serde(default)]
        rationale: String,
    },
    /// The session moved on to another phase through a gate (e.g. alignment → design).
    PhaseChanged {
        phase: Phase,
        /// For design: the tracks to design, each with its form (one when not split).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tracks: Vec<TrackSpec>,
    },
    /// A representative responded to an aspect. Secret until the aspect is revealed.
    AspectResponded {
        participant: ParticipantId,
        track: usize,
        aspect: Aspect,
        /// In which round of the aspect.
        round: u32,
        response: Response,
    },
    /// Aspects of a track were revealed.
    AspectsRevealed {
        track: usize,
        /// Per aspect, the responses and their flags.
        reveals: Vec<AspectReveal>,
    },
    /// The facilitator recorded an aspect's agreed text.
    AspectAgreed {
        track: usize,
        aspect: Aspect,
        text: String,
        /// The form it matches, if one of the model's principles.
        matches: Option<Form>,
        /// Organisations whose revealed responses differ from it.
        dissenting: Vec<OrgId>,
        /// For a text of the facilitator's own: the form it resembles, by their judgement.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resembles: Option<Form>,
        /// The consent round it came from; none when the facilitator decided without one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        consent_round: Option<u32>,
    },
    /// An aspect was opened again for a new round.
    AspectReopened {
        track: usize,
        aspect: Aspect,
        round: u32,
    },
    /// An aspect was set aside.
    AspectParked {
        track: usize,
        aspect: Aspect,
        reason: String,
    },
    /// An aspect that is not agreed got an owner and a due date (either may be none).
    OpenItemAssigned {
        track: usize,
        aspect: Aspect,
        owner: Option<Owner>,
        due: Option<chrono::NaiveDate>,
    },
    /// The facilitator pointed everyone at a step (or at nothing).
    FocusChanged { step: Option<Step> },
    /// A timer started; it ends `seconds` after the event's time.
    TimerStarted {
        seconds: u32,
        /// What it is for.
        label: Option<String>,
    },
    /// The timer was stopped.
    TimerStopped,
    /// The timer ran out; recorded by the server at the moment it did, so that every page
    /// shows the end at once.
    TimerEnded,
    /// A representative took back their answer to one question, before the reveal.
    AnswerWithdrawn {
        /// Whose answer.
        participant: ParticipantId,
        /// In which round.
        round: u32,
        /// Which question.
        axis: Axis,
    },
    /// A representative took back their response to an open aspect.
    ResponseWithdrawn {
        /// Whose response.
        participant: ParticipantId,
        /// Which track.
        track: usize,
        /// Which aspect.
        aspect: Aspect,
        /// In which round of the aspect.
        round: u32,
    },
    /// A person got a new link; the old one no longer opens the session.
    LinkReissued {
        /// Whose link.
        participant: ParticipantId,
    },
    /// The co-facilitator key was replaced by a new one.
    FacilitatorKeyReplaced,
    /// The co-facilitator key was withdrawn: nobody can join as a facilitator until a new one
    /// is made. Removing a facilitator does this too, so that they cannot come back with it.
    FacilitatorKeyRevoked,
    /// An organisation was renamed.
    OrganisationRenamed { organisation: OrgId, name: String },
    /// One organisation was merged into another.
    OrganisationsMerged {
        /// The one that went.
        from: OrgId,
        /// The one that stays, with the representatives of both.
        into: OrgId,
    },
    /// A person was removed; their link stops working, their earlier answers stay.
    ParticipantRemoved { participant: ParticipantId },
    /// A facilitator's note on a step.
    NoteAdded {
        about: Step,
        /// The phase the session was in.
        phase: Phase,
        text: String,
    },
    /// An organisation approved the draft record: the tracks named, or (none named, as every
    /// approval before tracks could be named) all the tracks it takes part in.
    Approved {
        organisation: OrgId,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tracks: Vec<usize>,
    },
    /// An organisation objected; the aspects it names reopen and the session returns to
    /// design.
    ObjectionRaised {
        organisation: OrgId,
        reason: String,
        /// The aspects it is about.
        aspects: Vec<AspectRef>,
    },
    /// A facilitator made a board link: a read-only view for the projector or an observer.
    BoardLinkCreated {
        /// The id its token names; never a participant's.
        observer: ParticipantId,
        /// What it is for ("Projector", "Sponsor").
        label: String,
    },
    /// A board link was revoked; its token opens nothing any more.
    BoardLinkRevoked { observer: ParticipantId },
    /// A facilitator previewed the answers before revealing them, on their own device. The
    /// preview's content went to that device only; the log keeps that it happened.
    RevealPreviewed { round: u32 },
    /// A facilitator previewed aspects' responses before revealing them (as above).
    AspectsPreviewed { track: usize, aspects: Vec<Aspect> },
    /// A representative who was asked gave the reason for their position; public.
    RationaleGiven {
        participant: ParticipantId,
        about: RationaleSubject,
        text: String,
    },
    /// A representative placed an aspect of a diagnosis. Secret until the aspect is revealed.
    AspectPlaced {
        participant: ParticipantId,
        aspect: Aspect,
        /// In which round of the aspect.
        round: u32,
        placing: Placing,
    },
    /// A representative took back their placement of an open aspect.
    PlacementWithdrawn {
        participant: ParticipantId,
        aspect: Aspect,
        round: u32,
    },
    /// Aspects' placements were revealed.
    PlacementsRevealed { reveals: Vec<PlacementReveal> },
    /// A facilitator tagged a revealed placement in own words with the form it resembles
    /// (none: the tag was taken back).
    PlacementTagged {
        aspect: Aspect,
        round: u32,
        participant: ParticipantId,
        form: Option<Form>,
    },
    /// An aspect of a diagnosis was opened again for a new round.
    PlacementReopened { aspect: Aspect, round: u32 },
    /// The facilitator's finding on an aspect (none: taken back).
    FindingRecorded {
        aspect: Aspect,
        text: Option<String>,
    },
    /// An improvement action was added to an aspect, or changed (the same id).
    ActionSet { aspect: Aspect, action: Action },
    /// An improvement action was removed.
    ActionRemoved { aspect: Aspect, action: u32 },
    /// The session was closed; nothing changes it any more.
    SessionClosed {
        /// Closed without every organisation's approval.
        forced: bool,
        /// Organisations that had approved.
        approved: Vec<OrgId>,
        /// Organisations that had not.
        not_approved: Vec<OrgId>,
    },
}

impl Event {
    /// The event's name in the protocol (the `type` field).
    pub fn name(&self) -> &'static str {
        match self {
            Event::SessionCreated { .. } => "session_created",
            Event::RoundCalled { .. } => "round_called",
            Event::RoundAnswered { .. } => "round_answered",
            Event::RoundClosed { .. } => "round_closed",
            Event::RoundOverridden { .. } => "round_overridden",
            Event::FormRoundCalled { .. } => "form_round_called",
            Event::FormRoundAnswered { .. } => "form_round_answered",
            Event::FormRoundClosed { .. } => "form_round_closed",
            Event::FormRoundOverridden { .. } => "form_round_overridden",
            Event::ProposalMade { .. } => "proposal_made",
            Event::ProposalTagged { .. } => "proposal_tagged",
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
            Event::AspectResponded { .. } => "aspect_responded",
            Event::AspectsRevealed { .. } => "aspects_revealed",
            Event::AspectAgreed { .. } => "aspect_agreed",
            Event::AspectReopened { .. } => "aspect_reopened",
            Event::AspectParked { .. } => "aspect_parked",
            Event::OpenItemAssigned { .. } => "open_item_assigned",
            Event::TimeZoneSet { .. } => "time_zone_set",
            Event::GoalStated { .. } => "goal_stated",
            Event::AdvisorSet { .. } => "advisor_set",
            Event::FocusChanged { .. } => "focus_changed",
            Event::TimerStarted { .. } => "timer_started",
            Event::TimerStopped => "timer_stopped",
            Event::TimerEnded => "timer_ended",
            Event::AnswerWithdrawn { .. } => "answer_withdrawn",
            Event::ResponseWithdrawn { .. } => "response_withdrawn",
            Event::LinkReissued { .. } => "link_reissued",
            Event::FacilitatorKeyReplaced => "facilitator_key_replaced",
            Event::FacilitatorKeyRevoked => "facilitator_key_revoked",
            Event::OrganisationRenamed { .. } => "organisation_renamed",
            Event::OrganisationsMerged { .. } => "organisations_merged",
            Event::ParticipantRemoved { .. } => "participant_removed",
            Event::NoteAdded { .. } => "note_added",
            Event::Approved { .. } => "approved",
            Event::ObjectionRaised { .. } => "objection_raised",
            Event::BoardLinkCreated { .. } => "board_link_created",
            Event::BoardLinkRevoked { .. } => "board_link_revoked",
            Event::RevealPreviewed { .. } => "reveal_previewed",
            Event::AspectsPreviewed { .. } => "aspects_previewed",
            Event::RationaleGiven { .. } => "rationale_given",
            Event::SessionClosed { .. } => "session_closed",
            Event::AspectPlaced { .. } => "aspect_placed",
            Event::PlacementWithdrawn { .. } => "placement_withdrawn",
            Event::PlacementsRevealed { .. } => "placements_revealed",
            Event::PlacementTagged { .. } => "placement_tagged",
            Event::PlacementReopened { .. } => "placement_reopened",
            Event::FindingRecorded { .. } => "finding_recorded",
            Event::ActionSet { .. } => "action_set",
            Event::ActionRemoved { .. } => "action_removed",
        }
    }
}

fn is_design(mode: &Mode) -> bool {
    *mode == Mode::Design
}
