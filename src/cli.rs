//! The command line of the `grondvorm` binary: serving is the default; the tools read records
//! without a server.

use crate::config::Config;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// The command line: serve by default, or one of the tools.
#[derive(Parser, Debug)]
#[command(
    name = "grondvorm",
    version,
    about = "Design a collaboration together, live"
)]
pub struct Cli {
    /// What to do; serving is the default.
    #[command(subcommand)]
    pub command: Option<Tool>,
    /// The server's configuration (also read by `export`, for the database).
    #[command(flatten)]
    pub config: Config,
}

/// The tools besides serving.
#[derive(Subcommand, Debug)]
pub enum Tool {
    /// Run the server (the default).
    Serve,
    /// Write a session's record, read straight from the database (no server needed).
    Export {
        /// The session's id (a UUID, as in its links).
        session_id: String,
        /// The format of the record: md, json or html.
        #[arg(long, value_enum, default_value_t = crate::record::Format::Json)]
        format: crate::record::Format,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Check a copy of a JSON record against its content hash.
    Verify {
        /// The record as JSON, as exported or downloaded.
        file: PathBuf,
    },
}
