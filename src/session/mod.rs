//! The session as a pure core: `decide` turns a command into events (or a rejection), `apply`
//! folds events into the state, and the view functions decide what each person may see.
//! No tokio, no database, no clock.

pub mod alignment;
pub mod command;
pub mod decide;
pub mod design;
pub mod event;
pub mod ids;
pub mod input;
pub mod moderation;
pub mod rejection;
pub mod state;
pub mod view;

#[cfg(test)]
mod design_tests;
#[cfg(test)]
mod tests;

pub use alignment::{AlignmentReport, analyse};
pub use command::{AspectRef, AxisAnswer, Command, Create, Join, OrgChoice, Step, TrackSpec};
pub use decide::decide;
pub use design::{AspectReveal, AspectStatus, Choice, Response, Track};
pub use event::{Event, Recorded};
pub use ids::{OrgId, ParticipantId, SessionId};
pub use input::{CommandId, FreeText, InputError, Name, Strength, Title};
pub use moderation::{Approval, Closure, Note, Objection, Timer};
pub use rejection::Rejection;
pub use state::{Organisation, Participant, Phase, Position, Resolution, Role, Settings, State};
pub use view::{Audience, EventMessage, SessionView, Viewer, audience, snapshot, visible};
