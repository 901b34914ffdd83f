//! Several nodes on one database: each node's sessions follow what the others append. The
//! database's doorbell says which session moved and how far; the events themselves are read
//! from the table, so a missed ring only delays, and a periodic check catches up after a lost
//! listener connection.

use super::Registry;
use crate::store::{Ring, Store};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often every session in memory checks the store, whatever the doorbell said.
pub const CATCH_UP_INTERVAL: Duration = Duration::from_secs(2);

/// Follows the other nodes until `stop`; does nothing for a store that one node has to itself.
pub async fn follow_other_nodes(registry: Registry, store: Store, stop: CancellationToken) {
    let mut doorbell = None;
    let mut catch_up = tokio::time::interval(CATCH_UP_INTERVAL);
    loop {
        if doorbell.is_none() {
            match store.doorbell().await {
                Ok(None) => return,
                Ok(Some(d)) => {
                    doorbell = Some(d);
                    // Whatever rang while we were not listening: check everyone now.
                    for session in registry.active() {
                        registry.poke(session, None);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot listen for other nodes; retrying"),
            }
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = catch_up.tick() => {
                for session in registry.active() {
                    registry.poke(session, None);
                }
            }
            ring = async {
                match doorbell.as_mut() {
                    Some(d) => d.next().await,
                    None => std::future::pending().await,
                }
            } => match ring {
                Ok(Ring::Appended(session, seq)) => registry.poke(session, Some(seq)),
                Ok(Ring::Deleted(session)) => registry.gone(session),
                Err(e) => {
                    tracing::warn!(error = %e, "lost the doorbell; listening again");
                    doorbell = None;
                }
            },
        }
    }
}
