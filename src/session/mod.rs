//! The session as a pure core: `decide` turns a command into events (or a rejection), `apply`
//! folds events into the state, and the view functions decide what each person may see.
//! No tokio, no database, no clock.
//!
//! The modules build on each other in one direction: `ids` and `input`, then `values`, the
//! design phase's values (`design`) and the alignment report (`alignment`), then `command`
//! and `event`, then `state` (the fold), what a reveal would show (`reveal`) and who is asked
//! for a rationale (`rationale`), and on top `decide`, `execute` and `view`.

pub mod alignment;
pub mod baseline;
pub mod command;
pub mod decide;
pub mod design;
pub mod diagnosis;
pub mod event;
pub mod execute;
pub mod findings;
pub mod followup;
pub mod ids;
pub mod input;
pub mod negotiation;
pub mod rationale;
pub mod rejection;
pub mod reveal;
pub mod state;
pub mod unicode;
pub mod values;
pub mod view;

#[cfg(test)]
mod design_tests;
#[cfg(test)]
mod diagnosis_tests;
#[cfg(test)]
mod followup_tests;
#[cfg(test)]
mod form_round_tests;
#[cfg(test)]
mod hardening_tests;
#[cfg(test)]
mod negotiation_tests;
#[cfg(test)]
mod partners_tests;
#[cfg(test)]
mod room_tests;
#[cfg(test)]
mod tests;

pub use alignment::{AlignmentReport, analyse};
pub use command::{Command, Create, DiagnosisCommand, Join, OrgChoice, RationaleTarget};
pub use decide::decide;
pub use design::{AspectReveal, Choice, Response};
pub use diagnosis::{Mode, Placed, Placing, Subject};
pub use event::{Event, Recorded};
pub use execute::{execute, stamp};
pub use ids::{OrgId, ParticipantId, SessionId};
pub use input::{CommandId, DueDate, FreeText, InputError, Name, Strength, TimeZoneName, Title};
pub use rejection::Rejection;
pub use state::{
    Approval, AspectState, AspectStatus, Closure, Note, Objection, Organisation, Participant,
    Resolution, RevealedRound, State, Timer, Track,
};
pub use values::{
    AspectRef, AxisAnswer, Limits, Owner, Phase, PoleAnswer, Position, RationaleSubject, Role,
    Settings, Step, TrackSpec,
};
pub use view::{
    Audience, EventMessage, ServerMessage, SessionInfo, SessionView, Viewer, audience,
    session_info, snapshot, visible,
};
