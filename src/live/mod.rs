//! The live layer: one task per active session owns its state and applies its commands in
//! order (`actor.rs`) and keeps the tail of its log (`history.rs`); a registry finds (or loads)
//! that task (`registry.rs`); every connection subscribes to its fan-out (`fanout.rs`, of `outgoing.rs`) and
//! counts in its presence (`presence.rs`); on a shared database, each node follows what the
//! others append (`follow.rs`).

mod actor;
mod fanout;
mod follow;
mod handle;
mod history;
mod outcome;
mod outgoing;
mod presence;
mod registry;
mod writes;

pub use fanout::{Fanout, RecvError};
pub use follow::follow_other_nodes;
pub use handle::LiveConfig;
pub use outcome::{Ack, LiveError, Secrets};
pub use outgoing::{CatchUp, Connected, Outgoing, Patch, Updates};
pub use registry::Registry;
