//! The session as a pure core: `decide` turns a command into events (or a rejection), `apply`
//! folds events into the state, and the view functions decide what each person may see.
//! No tokio, no database, no clock.

pub mod alignment;
pub mod command;
pub mod decide;
pub mod event;
pub mod ids;
pub mod input;
pub mod rejection;
pub mod state;
pub mod view;

#[cfg(test)]
mod tests;

pub use alignment::{AlignmentReport, analyse};
pub use command::{AxisAnswer, Command, Create, Join, OrgChoice, TrackSpec};
pub use decide::decide;
pub use event::{Event, Recorded};
pub use ids::{OrgId, ParticipantId, SessionId};
pub use input::{CommandId, FreeText, InputError, Name, Strength, Title};
pub use rejection::Rejection;
pub use state::{Organisation, Participant, Phase, Position, Resolution, Role, Settings, State};
pub use view::{Audience, EventMessage, SessionView, Viewer, audience, snapshot, visible};
