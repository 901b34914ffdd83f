//! What a person asks the session to do. Commands arrive already parsed (the edge turns JSON
//! into these); `decide` checks them against the state.

use super::baseline::Baseline;
use super::design::Response;
use super::diagnosis::{Mode, Placing, Subject};
use super::ids::{OrgId, ParticipantId};
use super::input::{DueDate, FreeText, Name, TimeZoneName, Title};
use super::negotiation::{Consent, Source};
use super::values::{AspectRef, AxisAnswer, Owner, Step, TrackSpec};
use crate::model::{Aspect, Axis, Cluster, Form, Lang};

/// A command to a session.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Create the session with its first facilitator. Only valid on an empty session.
    Create(Create),
    /// A person joins as a representative of an organisation.
    Join(Join),
    /// Facilitator: open the blind positioning (lobby → positioning).
    StartPositioning,
    /// Representative: answer (or change the answer to) one positioning question.
    Answer(AxisAnswer),
    /// Facilitator: reveal the answers. Without `force`, everyone must have answered.
    Reveal {
        /// Reveal although some representatives have not answered; the record names them.
        force: bool,
    },
    /// Facilitator: change session settings; absent fields stay as they are.
    UpdateSettings {
        /// Reveal by itself as soon as every representative has answered both questions.
        auto_reveal: Option<bool>,
        /// Whether a person joining may add an organisation that is not yet on the list.
        new_organisations_allowed: Option<bool>,
        /// The time zone the record shows times in.
        time_zone: Option<TimeZoneName>,
    },
    /// State an organisation's own goal for the collaboration (a representative of it, or a
    /// facilitator), or the partners' joint goal (`organisation` none; a facilitator); `text`
    /// none takes it back.
    StateGoal {
        organisation: Option<OrgId>,
        text: Option<FreeText>,
    },
    /// Facilitator, in the lobby or positioning: mark an organisation as an advisor, or as a
    /// partner again.
    SetAdvisor { organisation: OrgId, advisor: bool },
    /// Facilitator, in design or review: give an aspect that is not agreed an owner and a due
    /// date (either may be none).
    AssignOpenItem {
        track: usize,
        aspect: Aspect,
        owner: Option<Owner>,
        due: Option<DueDate>,
    },
    /// Facilitator, in alignment: reopen the answers for a new round.
    NewRound,
    /// Facilitator, in alignment: settle on one form, with the reason why.
    DecideForm { form: Form, rationale: FreeText },
    /// Facilitator, in alignment: split the collaboration into named tracks, each with a form.
    Split {
        /// At least two tracks with distinct names.
        tracks: Vec<TrackSpec>,
        /// Why the collaboration is split, as for a decision.
        rationale: FreeText,
    },
    /// Facilitator, in alignment: go on to the design questions (alignment → design), once the
    /// partners agree or the disagreement was resolved.
    StartDesign,
    /// A second (or third) facilitator joins through the facilitator link.
    JoinFacilitator {
        /// The id the edge chose for them.
        participant: ParticipantId,
        /// Their name, unique in the session.
        name: Name,
    },
    /// Representative, in design: respond (blind) to an aspect's proposal.
    Respond {
        track: usize,
        aspect: Aspect,
        response: Response,
    },
    /// Facilitator, in design: reveal the responses to these aspects of a track.
    RevealAspects {
        track: usize,
        /// The aspects (one, or a whole cluster's open ones).
        aspects: Vec<Aspect>,
        /// Whether the facilitator named a cluster (then aspects without responses are skipped).
        cluster: Option<Cluster>,
    },
    /// Facilitator, in design: record the agreed text of a revealed aspect.
    AgreeAspect {
        track: usize,
        aspect: Aspect,
        /// The text; by default the principle of the track's form.
        text: Option<FreeText>,
        /// For a text of the facilitator's own: the form it resembles.
        resembles: Option<Form>,
    },
    /// Facilitator, in design: agree a revealed aspect on one of its proposals.
    AgreeProposal {
        track: usize,
        aspect: Aspect,
        proposal: u32,
    },
    /// Representative or facilitator, in design: put a text forward for a revealed aspect.
    Propose {
        track: usize,
        aspect: Aspect,
        source: Source,
        /// The text, for an own text or an amendment (the others have theirs).
        text: Option<FreeText>,
    },
    /// Facilitator, in design: the form a proposal that is no principle resembles (none: no tag).
    TagProposal {
        track: usize,
        aspect: Aspect,
        proposal: u32,
        form: Option<Form>,
    },
    /// Facilitator, in design: put one proposal of a revealed aspect to a consent round.
    CallRound {
        track: usize,
        aspect: Aspect,
        proposal: u32,
    },
    /// Representative, in design: their organisation's answer in the aspect's open round.
    AnswerRound {
        track: usize,
        aspect: Aspect,
        consent: Consent,
    },
    /// Facilitator, in design: close the aspect's open round, whoever has answered.
    CloseRound { track: usize, aspect: Aspect },
    /// Facilitator, in design: agree on a blocked round's proposal all the same, with a reason.
    OverrideRound {
        track: usize,
        aspect: Aspect,
        rationale: FreeText,
    },
    /// Facilitator, in alignment: put a form decision to a consent round of the partners.
    CallFormRound { form: Form, rationale: FreeText },
    /// Representative, in alignment: their organisation's answer in the open form round.
    AnswerFormRound { consent: Consent },
    /// Facilitator, in alignment: close the open form round, whoever has answered.
    CloseFormRound,
    /// Facilitator, in alignment: decide a blocked form round's form all the same.
    OverrideFormRound { rationale: FreeText },
    /// Facilitator, in design: open an aspect again for a new round of responses.
    ReopenAspect { track: usize, aspect: Aspect },
    /// Facilitator, in design: set an aspect aside, with the reason.
    ParkAspect {
        track: usize,
        aspect: Aspect,
        reason: FreeText,
        /// Who is to take it up, and by when (either may be none).
        owner: Option<Owner>,
        due: Option<DueDate>,
    },
    /// Facilitator: point everyone at a step (or at nothing).
    Focus { step: Option<Step> },
    /// Facilitator: start a timer everyone sees.
    StartTimer {
        /// Its length in seconds.
        seconds: u32,
        /// What it is for.
        label: Option<Name>,
    },
    /// Facilitator: stop the timer.
    StopTimer,
    /// The server itself, from the live layer's clock: the timer has run out at `at`.
    EndTimer {
        /// The time by the live layer's clock; the core has none.
        at: chrono::DateTime<chrono::Utc>,
    },
    /// Representative, in positioning: take back an answer before the reveal.
    WithdrawAnswer {
        /// The question whose answer goes.
        axis: Axis,
    },
    /// Representative, in design: take back a response to an open aspect.
    WithdrawResponse {
        /// The track.
        track: usize,
        /// The aspect.
        aspect: Aspect,
    },
    /// Facilitator: give a person a new link; the old one stops working, and the person keeps
    /// their id, answers and organisation.
    ReissueLink {
        /// Whose link.
        participant: ParticipantId,
    },
    /// Facilitator: a new co-facilitator key; the old one stops working.
    ReplaceFacilitatorKey,
    /// Facilitator: no co-facilitator key at all, until a new one is made.
    RevokeFacilitatorKey,
    /// Facilitator: rename an organisation.
    RenameOrganisation { organisation: OrgId, name: Name },
    /// Facilitator: merge one organisation into another (its representatives move over).
    MergeOrganisations {
        /// The one that goes.
        from: OrgId,
        /// The one that stays.
        into: OrgId,
    },
    /// Facilitator: remove a person (their connection closes, their link stops working, their
    /// earlier answers stay in the history).
    RemoveParticipant { participant: ParticipantId },
    /// Facilitator: a note on a step.
    AddNote {
        /// The step it is about.
        about: Step,
        text: FreeText,
    },
    /// Facilitator, in design: show everyone the draft record (design → review).
    OpenReview,
    /// Representative, in review: their organisation approves the draft: one track, or (none
    /// named) every track it takes part in that it has not approved yet.
    Approve { track: Option<usize> },
    /// Representative, in review: their organisation objects; named aspects reopen.
    Object {
        reason: FreeText,
        /// The aspects the objection is about (may be none).
        aspects: Vec<AspectRef>,
    },
    /// Facilitator: a board link, for the projector or an observer.
    CreateBoardLink {
        /// The id the edge chose for it (its token names it).
        observer: ParticipantId,
        /// What it is for.
        label: Name,
    },
    /// Facilitator: revoke a board link; its screens close.
    RevokeBoardLink { observer: ParticipantId },
    /// Facilitator, in positioning: see on their own device where the answers will differ,
    /// before revealing them.
    PreviewReveal,
    /// Facilitator, in design: the same for aspects of a track.
    PreviewAspects {
        track: usize,
        /// One aspect, or a cluster's open ones.
        aspects: Vec<Aspect>,
    },
    /// Representative who was asked: the reason for their position.
    GiveRationale {
        /// A question of the current round (in alignment), or an aspect (in design); the round
        /// is the current one.
        about: RationaleTarget,
        text: FreeText,
    },
    /// Facilitator, in review: back to design (the approvals so far no longer hold); in a
    /// diagnosis, back to the diagnosis.
    BackToDesign,
    /// A command of the diagnosis mode.
    Diagnosis(DiagnosisCommand),
    /// Facilitator, in review: close the session; without `force`, every organisation must
    /// have approved.
    Close {
        /// Close although some organisations have not approved; the record names them.
        force: bool,
    },
}

impl Command {
    /// The command's name in the protocol.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Create(_) => "create",
            Command::Join(_) => "join",
            Command::StartPositioning => "start_positioning",
            Command::Answer(_) => "answer",
            Command::Reveal { .. } => "reveal",
            Command::UpdateSettings { .. } => "update_settings",
            Command::NewRound => "new_round",
            Command::DecideForm { .. } => "decide_form",
            Command::Split { .. } => "split",
            Command::StartDesign => "start_design",
            Command::JoinFacilitator { .. } => "join_facilitator",
            Command::Respond { .. } => "respond",
            Command::RevealAspects { .. } => "reveal_aspects",
            Command::AgreeAspect { .. } | Command::AgreeProposal { .. } => "agree_aspect",
            Command::Propose { .. } => "propose",
            Command::TagProposal { .. } => "tag_proposal",
            Command::CallRound { .. } => "call_round",
            Command::AnswerRound { .. } => "answer_round",
            Command::CloseRound { .. } => "close_round",
            Command::OverrideRound { .. } => "override_round",
            Command::CallFormRound { .. } => "call_form_round",
            Command::AnswerFormRound { .. } => "answer_form_round",
            Command::CloseFormRound => "close_form_round",
            Command::OverrideFormRound { .. } => "override_form_round",
            Command::ReopenAspect { .. } => "reopen_aspect",
            Command::ParkAspect { .. } => "park_aspect",
            Command::Focus { .. } => "focus",
            Command::StartTimer { .. } => "start_timer",
            Command::StopTimer => "stop_timer",
            Command::EndTimer { .. } => "end_timer",
            Command::WithdrawAnswer { .. } => "withdraw_answer",
            Command::WithdrawResponse { .. } => "withdraw_response",
            Command::ReissueLink { .. } => "reissue_link",
            Command::ReplaceFacilitatorKey => "replace_facilitator_key",
            Command::RevokeFacilitatorKey => "revoke_facilitator_key",
            Command::RenameOrganisation { .. } => "rename_organisation",
            Command::MergeOrganisations { .. } => "merge_organisations",
            Command::RemoveParticipant { .. } => "remove_participant",
            Command::AddNote { .. } => "add_note",
            Command::OpenReview => "open_review",
            Command::Approve { .. } => "approve",
            Command::StateGoal { .. } => "state_goal",
            Command::SetAdvisor { .. } => "set_advisor",
            Command::AssignOpenItem { .. } => "assign_open_item",
            Command::Object { .. } => "object",
            Command::CreateBoardLink { .. } => "create_board_link",
            Command::RevokeBoardLink { .. } => "revoke_board_link",
            Command::PreviewReveal => "preview_reveal",
            Command::PreviewAspects { .. } => "preview_aspects",
            Command::GiveRationale { .. } => "give_rationale",
            Command::BackToDesign => "back_to_design",
            Command::Diagnosis(c) => c.name(),
            Command::Close { .. } => "close",
        }
    }
}

/// Creating a session: the edge chooses the facilitator's id, so that it can hand out their
/// token in the same answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Create {
    pub title: Title,
    /// The session's language (model texts and record).
    pub language: Lang,
    /// The id the edge chose for the facilitator.
    pub facilitator: ParticipantId,
    pub facilitator_name: Name,
    /// Whether the server reveals by itself once all have answered.
    pub auto_reveal: bool,
    /// The short code to join by, chosen by the edge (which knows which codes are taken).
    pub join_code: Option<String>,
    /// The time zone of the record's times (the edge puts the server's when none is asked).
    pub time_zone: Option<TimeZoneName>,
    /// Designing a collaboration, or diagnosing one.
    pub mode: Mode,
    /// For a diagnosis: whether it reads the practice or a plan.
    pub subject: Subject,
    /// For a follow-up: the closed session it starts from, its organisations with their ids
    /// here.
    pub baseline: Option<Box<Baseline>>,
}

/// The commands of a diagnosis session.
#[derive(Debug, Clone, PartialEq)]
pub enum DiagnosisCommand {
    /// Facilitator, in the lobby or in alignment: go on to the diagnosis (no gate: partners
    /// who intend different forms diagnose all the same).
    Start,
    /// Representative, in diagnosis: place (blind) how an open aspect works.
    Place { aspect: Aspect, placing: Placing },
    /// Representative, in diagnosis: take back a placement before its reveal.
    Withdraw { aspect: Aspect },
    /// Facilitator, in diagnosis: reveal the placements of these aspects.
    Reveal {
        aspects: Vec<Aspect>,
        /// Whether the facilitator named a group (a cluster, or all): then aspects that are
        /// not open or have no placements are skipped.
        group: bool,
    },
    /// Facilitator, in diagnosis: tag a revealed placement in own words with the form it
    /// resembles (none takes the tag back).
    Tag {
        aspect: Aspect,
        participant: ParticipantId,
        form: Option<Form>,
    },
    /// Facilitator, in diagnosis: open a revealed aspect again for a new round.
    Reopen { aspect: Aspect },
    /// Facilitator, in diagnosis: record (none: take back) the finding on an aspect.
    Finding {
        aspect: Aspect,
        text: Option<FreeText>,
    },
    /// Facilitator, in diagnosis: add an improvement action to an aspect, or (`action` named)
    /// change one.
    SetAction {
        aspect: Aspect,
        action: Option<u32>,
        text: FreeText,
        owner: Option<Owner>,
        due: Option<DueDate>,
    },
    /// Facilitator, in diagnosis: remove an improvement action.
    RemoveAction { aspect: Aspect, action: u32 },
}

impl DiagnosisCommand {
    /// The command's name in the protocol.
    pub fn name(&self) -> &'static str {
        match self {
            DiagnosisCommand::Start => "start_diagnosis",
            DiagnosisCommand::Place { .. } => "place",
            DiagnosisCommand::Withdraw { .. } => "withdraw_placement",
            DiagnosisCommand::Reveal { .. } => "reveal_placements",
            DiagnosisCommand::Tag { .. } => "tag_placement",
            DiagnosisCommand::Reopen { .. } => "reopen_placement",
            DiagnosisCommand::Finding { .. } => "record_finding",
            DiagnosisCommand::SetAction { .. } => "set_action",
            DiagnosisCommand::RemoveAction { .. } => "remove_action",
        }
    }
}

/// What a rationale is given for, as the sender names it (the round is the current one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RationaleTarget {
    Axis(Axis),
    Aspect { track: usize, aspect: Aspect },
}

/// Joining as a representative.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// The id the edge chose for the new participant.
    pub participant: ParticipantId,
    /// The person's name, unique in the session.
    pub name: Name,
    /// The organisation they speak for.
    pub organisation: OrgChoice,
}

/// Which organisation a joining person represents.
#[derive(Debug, Clone, PartialEq)]
pub enum OrgChoice {
    /// One already on the session's list.
    Existing(OrgId),
    /// A new one, allowed while the facilitator lets new organisations be added.
    New {
        /// The id the edge chose for it.
        id: OrgId,
        /// Its name, unique in the session.
        name: Name,
    },
}
