//! Grondvorm: a real-time server on which the partners of a collaboration design it together.
//!
//! A command travels one way: the edge (`http`) parses it, the session's task (`live`) checks it
//! with the pure core (`session`, on top of the model in `model`), stores its events (`store`),
//! and sends them out to every connection, each filtered for its viewer.

pub mod cli;
pub mod config;
pub mod http;
pub mod live;
pub mod logging;
pub mod model;
pub mod record;
pub mod server;
pub mod session;
pub mod store;

pub use config::Config;
pub use server::serve;
