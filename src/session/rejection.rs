//! Why the core refused a command. Each reason has a stable code that clients can rely on.

use super::input::InputError;
use super::values::{Phase, Role};

/// A command the session refused. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// A field's value is not acceptable.
    #[error("{0}")]
    Input(#[from] InputError),
    /// The session was not created (or not found).
    #[error("there is no such session")]
    UnknownSession,
    /// `create` on a session that exists.
    #[error("the session already exists")]
    AlreadyCreated,
    /// The command does not fit the session's phase.
    #[error("'{command}' is not possible in the {phase} phase")]
    WrongPhase {
        command: &'static str,
        /// The phase the session is in.
        phase: &'static str,
    },
    /// The sender's role may not do this.
    #[error("only a {needed} may do '{command}'")]
    Forbidden {
        command: &'static str,
        /// The role that may.
        needed: &'static str,
    },
    /// The sender is not (or no longer) in the session.
    #[error("you are not a participant of this session")]
    NotAParticipant,
    /// Another person in the session has this name.
    #[error("someone in this session is already called '{0}' (or a name that looks the same)")]
    NameTaken(String),
    /// Another organisation in the session has this name.
    #[error("an organisation called '{0}' is already in this session; choose it from the list")]
    OrganisationTaken(String),
    /// No such organisation in the session.
    #[error("this organisation is not in the session")]
    UnknownOrganisation,
    /// The facilitator does not allow new organisations now.
    #[error(
        "the facilitator does not allow new organisations at the moment; choose one from the list"
    )]
    NewOrganisationsClosed,
    /// A plain reveal while some have not answered.
    #[error("{0} representative(s) have not answered yet; wait, or force the reveal")]
    NotAllAnswered(usize),
    /// A reveal with no answer at all.
    #[error("nobody has answered yet")]
    NoAnswers,
    /// Leaving alignment while the partners disagree and nothing resolved it.
    #[error(
        "the partners do not agree on one form; start a new round, decide on a form, or split into tracks first"
    )]
    GateClosed,
    /// A split that is not a split.
    #[error("{0}")]
    InvalidTracks(&'static str),
    /// The session is closed: nothing changes it any more.
    #[error("the session is closed; its record is final")]
    SessionClosed,
    /// No track with that index.
    #[error("there is no such track")]
    UnknownTrack,
    /// The sender's organisation does not take part in that track.
    #[error("your organisation does not take part in this track")]
    NotInTrack,
    /// Responding to, or revealing, an aspect that is not open.
    #[error("this aspect is not open for responses (it is {0})")]
    AspectNotOpen(&'static str),
    /// Agreeing on an aspect whose responses were not revealed.
    #[error("reveal this aspect's responses before recording what was agreed")]
    AspectNotRevealed,
    /// Reopening an aspect that is open.
    #[error("this aspect is already open")]
    AspectAlreadyOpen,
    /// Parking an aspect that is parked.
    #[error("this aspect is already parked")]
    AspectAlreadyParked,
    /// Revealing aspects nobody responded to.
    #[error("nobody has responded to these aspects yet")]
    NoResponses,
    /// Giving an owner to an aspect that is agreed: it is not an open item.
    #[error("this aspect is agreed; only an aspect that is not agreed has an owner and a due date")]
    AspectAgreed,
    /// An advisor's representative approving: the record is the partners'.
    #[error(
        "your organisation takes part as an advisor; only the partners approve or object to the record"
    )]
    AdvisorDoesNotApprove,
    /// Merging an advisor with a partner.
    #[error("an advisor and a partner cannot be merged; make both partners or both advisors first")]
    AdvisorAndPartner,
    /// An organisation approving twice.
    #[error("your organisation has already approved")]
    AlreadyApproved,
    /// Closing before every organisation approved, without force.
    #[error("{0} organisation(s) have not approved; wait, or close with their objections recorded")]
    NotAllApproved(usize),
    #[error("this person is not in the session")]
    UnknownParticipant,
    /// A facilitator removing themselves.
    #[error("you cannot remove yourself")]
    CannotRemoveSelf,
    /// Merging an organisation into itself.
    #[error("choose two different organisations to merge")]
    SameOrganisation,
    /// The session has as many people as it may have.
    #[error("this session is full: it has {0} people, the most it may have")]
    SessionFull(usize),
    /// The session has as many organisations as it may have.
    #[error("this session has {0} organisations, the most it may have; choose one from the list")]
    TooManyOrganisations(usize),
    /// Withdrawing an answer or response that was not given.
    #[error("there is nothing of yours to withdraw here")]
    NothingToWithdraw,
    /// "No longer true" on an aspect that has no earlier agreement to be true or not.
    #[error(
        "this aspect was not agreed in the session this one follows up: there is nothing to be no longer true"
    )]
    NotCarried,
    /// Deleting a session without confirming it by its title.
    #[error("to delete this session, confirm with its title exactly")]
    NotConfirmed,
    /// A board link sending a command: it only watches.
    #[error("a board link shows the session; it cannot change it")]
    ReadOnly,
    /// No such board link (or it was revoked).
    #[error("there is no such board link (or it was revoked already)")]
    UnknownBoardLink,
    /// The session has made as many board links as it may.
    #[error(
        "this session has made {0} board links, the most it may; revoke one you no longer need"
    )]
    TooManyBoardLinks(usize),
    /// A rationale from someone who was not asked for one on this subject.
    #[error(
        "you were not asked for a rationale on this (only those whose position differs from the others' are)"
    )]
    NotAsked,
    /// A command of the other mode (a design command in a diagnosis, or the reverse).
    #[error("'{command}' is not part of a {mode} session")]
    WrongMode {
        command: &'static str,
        /// The session's mode.
        mode: &'static str,
    },
    /// Placing on, withdrawing from or revealing an aspect of a diagnosis that is revealed.
    #[error("this aspect is not open for placements (it is revealed); reopen it first")]
    PlacementsNotOpen,
    /// Tagging a placement of an aspect that is not revealed.
    #[error("reveal this aspect's placements before tagging one")]
    PlacementsNotRevealed,
    /// Revealing aspects of a diagnosis nobody placed.
    #[error("nobody has placed these aspects yet")]
    NoPlacements,
    /// Tagging a placement that is not in the person's own words.
    #[error("only a placement in someone's own words can be tagged with a form")]
    NotOwnWords,
    /// Tagging the placement of someone who has none in the aspect's last reveal.
    #[error("this person has no revealed placement of this aspect")]
    NoSuchPlacement,
    /// A second consent round on an aspect, or deciding the aspect otherwise, while one is open.
    #[error("this aspect has a consent round open: close it first")]
    RoundOpen,
    /// Answering, or closing, when the aspect has no open consent round.
    #[error("this aspect has no consent round open")]
    NoOpenRound,
    /// An advisor answering a consent round.
    #[error(
        "an advisor speaks, but does not answer a consent round: it is not a partner to the agreement"
    )]
    AdvisorDoesNotConsent,
    /// Overriding a round that did not end blocked (or was overridden already).
    #[error("only a consent round that ended in an objection can be overridden")]
    NotBlocked,
    /// Agreeing directly while the aspect's last consent round ended in an objection.
    #[error("an objection blocks this aspect: call a new round, park it, or override the round")]
    Blocked,
    /// No proposal with that number on the aspect (in its current round, to agree on).
    #[error("this aspect has no such proposal")]
    UnknownProposal,
    /// Proposing a response that is not among the aspect's current revealed responses.
    #[error("this person has no revealed response with a text on this aspect")]
    NoSuchResponse,
    /// An aspect that has had as many proposals as it may.
    #[error("this aspect has had {0} proposals, the most it may have")]
    TooManyProposals(usize),
    /// No improvement action with that number on the aspect.
    #[error("this aspect has no such improvement action")]
    UnknownAction,
    /// An aspect with as many improvement actions as it may have.
    #[error("this aspect has {0} improvement actions, the most it may have; remove one first")]
    TooManyActions(usize),
    /// A representative asking for the record before the review.
    #[error("the record is shown to representatives once the session is in review")]
    RecordNotAvailable,
}

impl Rejection {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Input(e) => e.code(),
            Rejection::UnknownSession => "unknown_session",
            Rejection::AlreadyCreated => "already_created",
            Rejection::WrongPhase { .. } => "wrong_phase",
            Rejection::Forbidden { .. } => "forbidden",
            Rejection::NotAParticipant => "not_a_participant",
            Rejection::NameTaken(_) => "name_taken",
            Rejection::OrganisationTaken(_) => "organisation_taken",
            Rejection::UnknownOrganisation => "unknown_organisation",
            Rejection::NewOrganisationsClosed => "new_organisations_closed",
            Rejection::NotAllAnswered(_) => "not_all_answered",
            Rejection::NoAnswers => "no_answers",
            Rejection::GateClosed => "gate_closed",
            Rejection::InvalidTracks(_) => "invalid_tracks",
            Rejection::SessionClosed => "session_closed",
            Rejection::UnknownTrack => "unknown_track",
            Rejection::NotInTrack => "not_in_track",
            Rejection::AspectNotOpen(_) => "aspect_not_open",
            Rejection::AspectNotRevealed => "aspect_not_revealed",
            Rejection::AspectAlreadyOpen => "aspect_already_open",
            Rejection::AspectAlreadyParked => "aspect_already_parked",
            Rejection::NoResponses => "no_responses",
            Rejection::AlreadyApproved => "already_approved",
            Rejection::AspectAgreed => "aspect_agreed",
            Rejection::AdvisorDoesNotApprove => "advisor_does_not_approve",
            Rejection::AdvisorAndPartner => "advisor_and_partner",
            Rejection::NotAllApproved(_) => "not_all_approved",
            Rejection::UnknownParticipant => "unknown_participant",
            Rejection::CannotRemoveSelf => "cannot_remove_self",
            Rejection::SameOrganisation => "same_organisation",
            Rejection::RecordNotAvailable => "record_not_available",
            Rejection::SessionFull(_) => "session_full",
            Rejection::TooManyOrganisations(_) => "too_many_organisations",
            Rejection::NothingToWithdraw => "nothing_to_withdraw",
            Rejection::NotCarried => "not_carried",
            Rejection::NotConfirmed => "not_confirmed",
            Rejection::ReadOnly => "read_only",
            Rejection::UnknownBoardLink => "unknown_board_link",
            Rejection::TooManyBoardLinks(_) => "too_many_board_links",
            Rejection::NotAsked => "not_asked",
            Rejection::WrongMode { .. } => "wrong_mode",
            Rejection::NoPlacements => "no_placements",
            Rejection::PlacementsNotOpen => "aspect_not_open",
            Rejection::PlacementsNotRevealed => "aspect_not_revealed",
            Rejection::NotOwnWords => "not_own_words",
            Rejection::NoSuchPlacement => "no_such_placement",
            Rejection::UnknownAction => "unknown_action",
            Rejection::UnknownProposal => "unknown_proposal",
            Rejection::RoundOpen => "round_open",
            Rejection::NoOpenRound => "no_open_round",
            Rejection::AdvisorDoesNotConsent => "advisor_does_not_consent",
            Rejection::NotBlocked => "not_blocked",
            Rejection::Blocked => "blocked",
            Rejection::NoSuchResponse => "no_such_response",
            Rejection::TooManyProposals(_) => "too_many_proposals",
            Rejection::TooManyActions(_) => "too_many_actions",
        }
    }

    pub(crate) fn wrong_phase(command: &'static str, phase: Phase) -> Rejection {
        Rejection::WrongPhase {
            command,
            phase: phase.id(),
        }
    }

    pub(crate) fn wrong_mode(command: &'static str, mode: super::diagnosis::Mode) -> Rejection {
        Rejection::WrongMode {
            command,
            mode: mode.id(),
        }
    }

    pub(crate) fn forbidden(command: &'static str, needed: Role) -> Rejection {
        Rejection::Forbidden {
            command,
            needed: match needed {
                Role::Facilitator => "facilitator",
                Role::Representative => "representative",
                Role::Observer => "observer",
            },
        }
    }
}
