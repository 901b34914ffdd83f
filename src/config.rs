//! Typed configuration, from flags or environment variables.

use clap::{Parser, ValueEnum};
use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

/// How the server is configured.
#[derive(Parser, Clone)]
#[command(
    name = "grondvorm",
    version,
    about = "Design a collaboration together, live"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "GRONDVORM_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Where the data lives. The default is a SQLite file in the working directory, created on
    /// first start.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://grondvorm.db")]
    pub database_url: String,

    /// The address people use to reach the server (e.g. https://workshop.example.org), used in
    /// the links it hands out and as the allowed WebSocket origin. By default the links use the
    /// Host header of the request.
    #[arg(long, env = "GRONDVORM_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Further origins (comma-separated, e.g. https://a.example,https://b.example) whose pages
    /// may open WebSocket connections. The server's own origin is always allowed.
    #[arg(long, env = "GRONDVORM_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Seconds a session with nobody connected stays in memory.
    #[arg(long, env = "GRONDVORM_IDLE_TIMEOUT_SECS", default_value_t = 300)]
    pub idle_timeout_secs: u64,

    /// Seconds a WebSocket client may take nothing we send before it is told to resync (close
    /// 4000) and, if it still takes nothing, dropped.
    #[arg(long, env = "GRONDVORM_STALL_TIMEOUT_SECS", default_value_t = 10)]
    pub stall_timeout_secs: u64,

    /// Seconds a client has to send a request's headers, counted from when its connection
    /// opens or its previous response was sent; so also how long an idle keep-alive
    /// connection stays open.
    #[arg(long, env = "GRONDVORM_HTTP_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub http_header_timeout_secs: u64,

    /// Seconds a client has to send a request's body.
    #[arg(long, env = "GRONDVORM_HTTP_BODY_TIMEOUT_SECS", default_value_t = 10)]
    pub http_body_timeout_secs: u64,

    /// People who may ever join one session, facilitators and removed people included.
    #[arg(long, env = "GRONDVORM_MAX_PARTICIPANTS", default_value_t = 2000)]
    pub max_participants: usize,

    /// Organisations one session may have.
    #[arg(long, env = "GRONDVORM_MAX_ORGANISATIONS", default_value_t = 2000)]
    pub max_organisations: usize,

    /// Board links (read-only views for projectors and observers) one session may make,
    /// revoked ones included.
    #[arg(long, env = "GRONDVORM_MAX_BOARD_LINKS", default_value_t = 200)]
    pub max_board_links: usize,

    /// Improvement actions one aspect of a diagnosis may have at a time.
    #[arg(long, env = "GRONDVORM_MAX_ACTIONS", default_value_t = 100)]
    pub max_actions: usize,

    /// Proposals one aspect of a design track may have had, over all its rounds.
    #[arg(long, env = "GRONDVORM_MAX_PROPOSALS", default_value_t = 100)]
    pub max_proposals: usize,

    /// Seconds between the server's pings on a quiet WebSocket connection; every client's
    /// WebSocket layer answers them by itself.
    #[arg(long, env = "GRONDVORM_PING_INTERVAL_SECS", default_value_t = 3)]
    pub ping_interval_secs: u64,

    /// Seconds without a word from a connection (not even the answer to a ping) after which
    /// its person shows as "connection lost" to the others. Ten times as long, and the
    /// connection is closed as dead.
    #[arg(long, env = "GRONDVORM_STALE_AFTER_SECS", default_value_t = 8)]
    pub stale_after_secs: u64,

    /// When set, creating a session needs this key (`create_key` in the request); without it,
    /// anyone who reaches the server may create sessions, as on one's own machine.
    #[arg(long, env = "GRONDVORM_CREATE_KEY")]
    pub create_key: Option<String>,

    /// Sessions one client address may create per minute, once its burst is used up.
    #[arg(long, env = "GRONDVORM_CREATE_PER_MINUTE", default_value_t = 60)]
    pub create_per_minute: u32,

    /// Sessions one client address may create at once.
    #[arg(long, env = "GRONDVORM_CREATE_BURST", default_value_t = 1000)]
    pub create_burst: u32,

    /// Behind a proxy, the request header that carries the client's address (for example
    /// X-Real-IP, or X-Forwarded-For, whose last address counts). Without it, the address the
    /// connection comes from counts. Set it only behind a proxy that sets the header: anyone
    /// else can write it.
    #[arg(long, env = "GRONDVORM_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,

    /// Commands one WebSocket connection may send per second, once its burst is used up;
    /// 0 turns the limit off.
    #[arg(long, env = "GRONDVORM_COMMANDS_PER_SECOND", default_value_t = 50)]
    pub commands_per_second: u32,

    /// Commands one WebSocket connection may send at once.
    #[arg(long, env = "GRONDVORM_COMMAND_BURST", default_value_t = 10000)]
    pub command_burst: u32,

    /// Seconds a new WebSocket connection has to say hello.
    #[arg(long, env = "GRONDVORM_HELLO_TIMEOUT_SECS", default_value_t = 10)]
    pub hello_timeout_secs: u64,

    /// Delete closed sessions, with all their data, this many days after they closed; 0 keeps
    /// them for good.
    #[arg(long, env = "GRONDVORM_PURGE_CLOSED_AFTER_DAYS", default_value_t = 0)]
    pub purge_closed_after_days: u32,

    /// How log lines are written: text for people, JSON for log collectors.
    #[arg(long, env = "GRONDVORM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Plain lines, for a person reading a terminal.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl Config {
    /// The configuration the tests and tools start from: defaults, with a given database.
    pub fn for_database(database_url: impl Into<String>) -> Config {
        let mut config = Config::parse_from(["grondvorm"]);
        config.database_url = database_url.into();
        config
    }

    /// How long an idle session stays in memory.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_secs)
    }

    /// How long a client has to send a request's headers (and an idle connection stays open).
    pub fn http_header_timeout(&self) -> Duration {
        Duration::from_secs(self.http_header_timeout_secs.max(1))
    }

    /// How long a client has to send a request's body.
    pub fn http_body_timeout(&self) -> Duration {
        Duration::from_secs(self.http_body_timeout_secs.max(1))
    }

    /// How long a new WebSocket connection has to say hello.
    pub fn hello_timeout(&self) -> Duration {
        Duration::from_secs(self.hello_timeout_secs.max(1))
    }

    /// How big a session may grow.
    pub fn limits(&self) -> crate::session::Limits {
        crate::session::Limits {
            max_participants: self.max_participants.max(1),
            max_organisations: self.max_organisations.max(1),
            max_board_links: self.max_board_links,
            max_actions: self.max_actions.max(1),
            max_proposals: self.max_proposals.max(1),
        }
    }

    /// How often a quiet connection is pinged.
    pub fn ping_interval(&self) -> Duration {
        Duration::from_secs(self.ping_interval_secs.max(1))
    }

    /// How long a silent connection counts as alive; after this its person shows as stale.
    pub fn stale_after(&self) -> Duration {
        Duration::from_secs(self.stale_after_secs.max(1))
    }

    /// How long a WebSocket client may take nothing before it counts as stalled.
    pub fn stall_timeout(&self) -> Duration {
        Duration::from_secs(self.stall_timeout_secs.max(1))
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A database URL can carry a password: show its scheme only.
        let scheme = self.database_url.split(':').next().unwrap_or("");
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("database_url", &format_args!("{scheme}:<redacted>"))
            .field("public_url", &self.public_url)
            .field("allowed_origins", &self.allowed_origins)
            .field("idle_timeout_secs", &self.idle_timeout_secs)
            .field("stall_timeout_secs", &self.stall_timeout_secs)
            .field("http_header_timeout_secs", &self.http_header_timeout_secs)
            .field("http_body_timeout_secs", &self.http_body_timeout_secs)
            .field("max_participants", &self.max_participants)
            .field("max_organisations", &self.max_organisations)
            .field("max_board_links", &self.max_board_links)
            .field("max_actions", &self.max_actions)
            .field("max_proposals", &self.max_proposals)
            .field("ping_interval_secs", &self.ping_interval_secs)
            .field("stale_after_secs", &self.stale_after_secs)
            .field(
                "create_key",
                &self.create_key.as_ref().map(|_| "<redacted>"),
            )
            .field("create_per_minute", &self.create_per_minute)
            .field("create_burst", &self.create_burst)
            .field("client_ip_header", &self.client_ip_header)
            .field("commands_per_second", &self.commands_per_second)
            .field("command_burst", &self.command_burst)
            .field("hello_timeout_secs", &self.hello_timeout_secs)
            .field("purge_closed_after_days", &self.purge_closed_after_days)
            .field("log_format", &self.log_format)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_database_credentials() {
        let c = Config::for_database("postgres://user:secret@db/grondvorm");
        let shown = format!("{c:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("postgres:<redacted>"));
    }

    #[test]
    fn defaults_match_the_readme() {
        let c = Config::parse_from(["grondvorm"]);
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://grondvorm.db");
    }
}
