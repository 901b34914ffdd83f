//! The `grondvorm` binary: serve (the default), or export and verify records.

use anyhow::Context;
use clap::Parser;
use grondvorm::cli::{Cli, Tool};
use grondvorm::record;
use grondvorm::session::SessionId;
use grondvorm::store::Store;
use std::process::ExitCode;
use std::str::FromStr;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = match cli.command {
        None | Some(Tool::Serve) => runtime
            .block_on(serve(cli.config))
            .map(|()| ExitCode::SUCCESS),
        Some(Tool::Export {
            session_id,
            format,
            output,
        }) => runtime
            .block_on(export(
                &cli.config.database_url,
                &session_id,
                format,
                output,
            ))
            .map(|()| ExitCode::SUCCESS),
        Some(Tool::Verify { file }) => Ok(verify(&file)),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn serve(config: grondvorm::Config) -> anyhow::Result<()> {
    grondvorm::logging::init(config.log_format);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("listening on {}", config.addr))?;
    tracing::info!(addr = %listener.local_addr()?, "grondvorm listening");
    grondvorm::serve(listener, config, shutdown_signal()).await
}

/// `grondvorm export`: the record from the database itself.
async fn export(
    database_url: &str,
    session_id: &str,
    format: record::Format,
    output: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let session = SessionId::from_str(session_id)
        .map_err(|_| anyhow::anyhow!("'{session_id}' is not a session id"))?;
    let store = Store::open_existing(database_url).await?;
    let loaded = store
        .load(session)
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no session {session} in this database"))?;
    store.close().await;
    let record = record::build(session, &loaded.events)
        .ok_or_else(|| anyhow::anyhow!("session {session} has no record"))?;
    let bytes = record::render(&record, format)?;
    match output {
        Some(path) => {
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?
        }
    }
    Ok(())
}

/// `grondvorm verify`: 0 when the copy matches its hash, 1 when it does not.
fn verify(file: &std::path::Path) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    match record::verify(&text) {
        Ok(hash) => {
            println!("ok: {} matches its content hash {hash}", file.display());
            ExitCode::SUCCESS
        }
        Err(e @ record::VerifyError::Mismatch { .. }) => {
            println!("FAILED: {}: {e}", file.display());
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {} is not a record: {e}", file.display());
            ExitCode::from(2)
        }
    }
}

/// Resolves on ctrl-c or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
