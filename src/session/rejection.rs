//! Why the core refused a command. Each reason has a stable code that clients can rely on.

use super::input::InputError;
use super::state::{Phase, Role};

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
        /// The command's name.
        command: &'static str,
        /// The phase the session is in.
        phase: &'static str,
    },
    /// The sender's role may not do this.
    #[error("only a {needed} may do '{command}'")]
    Forbidden {
        /// The command's name.
        command: &'static str,
        /// The role that may.
        needed: &'static str,
    },
    /// The sender is not (or no longer) in the session.
    #[error("you are not a participant of this session")]
    NotAParticipant,
    /// Another person in the session has this name.
    #[error("someone in this session is already called '{0}'")]
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
        }
    }

    pub(crate) fn wrong_phase(command: &'static str, phase: Phase) -> Rejection {
        Rejection::WrongPhase {
            command,
            phase: phase.id(),
        }
    }

    pub(crate) fn forbidden(command: &'static str, needed: Role) -> Rejection {
        Rejection::Forbidden {
            command,
            needed: match needed {
                Role::Facilitator => "facilitator",
                Role::Representative => "representative",
            },
        }
    }
}
