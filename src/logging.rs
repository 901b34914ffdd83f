//! The log: a filter from `RUST_LOG` (default `info`), text or JSON lines — and targets that can
//! carry secrets kept out whatever the filter says. At trace level the WebSocket library logs
//! every frame it reads or writes, the `hello` token and blind answers included.

use crate::config::LogFormat;
use tracing::{Level, Metadata};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::FilterFn;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Targets that log message contents at debug or trace level.
const SECRET_BEARING: [&str; 2] = ["tungstenite", "tokio_tungstenite"];

/// Whether a log line may be written at all: lines of the secret-bearing targets only at info
/// level and above, where they carry no message contents.
pub fn allowed(meta: &Metadata<'_>) -> bool {
    let secret_bearing = SECRET_BEARING.iter().any(|t| {
        meta.target()
            .strip_prefix(t)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    });
    !secret_bearing || matches!(*meta.level(), Level::ERROR | Level::WARN | Level::INFO)
}

/// The filter `RUST_LOG` asks for, `default` when it is unset or invalid.
pub fn env_filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default))
}

/// Starts logging to standard output for the whole process.
pub fn init(format: LogFormat) {
    let guard = FilterFn::new(allowed);
    let registry = tracing_subscriber::registry()
        .with(env_filter("info"))
        .with(guard);
    // A second init (the tests start several servers) keeps the first.
    let _ = match format {
        LogFormat::Text => registry.with(tracing_subscriber::fmt::layer()).try_init(),
        LogFormat::Json => registry
            .with(tracing_subscriber::fmt::layer().json())
            .try_init(),
    };
}
