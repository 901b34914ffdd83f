//! Starting and stopping the server: open the store, start the sessions' registry and the
//! follower of other nodes, accept HTTP connections with timeouts against slow clients, and,
//! on shutdown, stop in an order that loses nothing.

use crate::config::Config;
use crate::http::{AppState, router};
use crate::live::{LiveConfig, Registry};
use crate::store::Store;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

/// The kernel's send buffer per connection (Linux doubles it): ample for a room on any network,
/// at 50 ms round trips over 4 MB/s.
const SEND_BUFFER_BYTES: usize = 128 * 1024;

/// How long shutdown waits for requests, connections and sessions to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves on `listener` until `shutdown` resolves, then closes every connection (1012),
/// lets every session finish its queued commands, and closes the database.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = Store::open(&config.database_url).await?;
    let registry = Registry::new(
        store.clone(),
        LiveConfig {
            idle_timeout: config.idle_timeout(),
            limits: config.limits(),
            ..LiveConfig::default()
        },
    );
    let state = AppState {
        registry: registry.clone(),
        store: store.clone(),
        guards: Arc::new(crate::http::guards::Guards::new(&config)),
        config: Arc::new(config),
        shutdown: CancellationToken::new(),
        connections: TaskTracker::new(),
    };
    let cancel = state.shutdown.clone();
    let connections = state.connections.clone();
    let follower = tokio::spawn(crate::live::follow_other_nodes(
        registry.clone(),
        store.clone(),
        cancel.clone(),
    ));
    let housekeeping = tokio::spawn(housekeeping(state.clone()));
    accept(listener, state, shutdown).await;
    housekeeping.abort();
    // Accepting has stopped and every WebSocket was told to close (1012); wait for them, then
    // for the sessions to finish what they have queued, then close the database.
    cancel.cancel();
    let _ = follower.await;
    connections.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, connections.wait())
        .await
        .is_err()
    {
        tracing::warn!("some connections did not close in time");
    }
    if tokio::time::timeout(SHUTDOWN_GRACE, registry.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some sessions did not finish in time");
    }
    store.close().await;
    Ok(())
}

/// Accepts connections until `shutdown`, then lets the requests in progress finish. Serving
/// each connection here, rather than through `axum::serve`, is what lets a slow client be cut
/// off: hyper's header timer runs from the moment a connection waits for a request, so it
/// bounds both unfinished headers and idle keep-alive connections.
async fn accept(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let app = router(state.clone());
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(state.config.http_header_timeout());
    let builder = builder.http1_only();
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Without NODELAY, a small reply written right after another (an ack after its event)
        // waits for the client's delayed ACK: about 40 ms per command on Linux.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        // A bounded send buffer: a client that stops reading holds a little kernel memory, not
        // megabytes, and falls behind where the server can see it (and tell it to resync).
        if let Err(e) = socket2::SockRef::from(&tcp).set_send_buffer_size(SEND_BUFFER_BYTES) {
            tracing::debug!(error = %e, "could not set the send buffer size");
        }
        let service = app
            .clone()
            .map_request(move |mut request: axum::extract::Request<_>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(tcp), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "HTTP connection ended with an error");
            }
        });
    }
    state.shutdown.cancel();
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some requests did not finish in time");
    }
}

/// How often the housekeeping runs: forgetting idle rate-limit entries, purging old sessions.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(60);

/// Runs until aborted: every minute, the creation limiter forgets clients whose allowance is
/// whole again and, when the operator asked for it, closed sessions past their days are
/// deleted (the first time at start-up).
async fn housekeeping(app: AppState) {
    let mut tick = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        tick.tick().await;
        app.guards.forget_idle();
        let days = app.config.purge_closed_after_days;
        if days > 0 {
            purge_closed(&app, days).await;
        }
    }
}

/// Deletes the sessions closed more than `days` days ago.
async fn purge_closed(app: &AppState, days: u32) {
    let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
    let sessions = match app.store.closed_before(cutoff).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = ?e, "looking for sessions to purge failed");
            return;
        }
    };
    for session in sessions {
        match app.registry.delete(session, None, None).await {
            Ok(()) => tracing::info!(session_id = %session, days, "closed session purged"),
            Err(e) => tracing::warn!(session_id = %session, error = %e, "purging a session failed"),
        }
    }
}
