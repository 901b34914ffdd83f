//! The kill -9 soak: representatives send commands, each with a unique id, while the server
//! process is killed outright and started again, over and over. Afterwards the log must hold
//! every acknowledged command exactly once, at the seq its ack named, numbered 1..N without a
//! gap. Small by default, so that CI runs it; for a long run:
//!
//! ```sh
//! GRONDVORM_SOAK_KILLS=100 cargo test --release --test api soak -- --nocapture
//! ```

use crate::helpers::{Client, TestApp};
use grondvorm::session::{Event, SessionId};
use serde_json::json;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

const REPRESENTATIVES: usize = 4;

fn kills() -> usize {
    std::env::var("GRONDVORM_SOAK_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(3)
}

struct Server {
    child: tokio::process::Child,
}

impl Server {
    async fn start(addr: SocketAddr, database_url: &str) -> Server {
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_grondvorm"))
            .env("GRONDVORM_ADDR", addr.to_string())
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "error")
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        TestApp::external(addr).await;
        Server { child }
    }

    /// SIGKILL: no shutdown, no goodbye, nothing flushed that was not already committed.
    async fn kill(mut self) {
        self.child.kill().await.unwrap();
        let _ = self.child.wait().await;
    }
}

/// What one representative learned: for each command id it sent, the seq its ack named.
type Acks = BTreeMap<String, u64>;

/// Sends commands one at a time until told to stop, reconnecting after every kill and sending
/// the unanswered command again with the same id, as the web page does.
async fn representative(
    addr: SocketAddr,
    session: String,
    token: String,
    who: usize,
    stop: Arc<Mutex<bool>>,
) -> Acks {
    let app = TestApp::at(addr);
    let mut acks = Acks::new();
    let mut n = 0usize;
    let mut client: Option<Client> = None;
    loop {
        if *stop.lock().await {
            return acks;
        }
        let c = match client.as_mut() {
            Some(c) => c,
            None => match app.try_connect(&session, &token).await {
                Some(c) => client.insert(c),
                None => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let id = format!("r{who}-{n}");
        let pole = if n.is_multiple_of(2) {
            "improve"
        } else {
            "innovate"
        };
        let args = json!({ "axis": "intent", "pole": pole, "strength": 1 });
        match c.try_command(&id, "answer", args).await {
            Some(ack) if ack["type"] == "ack" => {
                acks.insert(id, ack["first_seq"].as_u64().unwrap());
                n += 1;
            }
            Some(other) if other["code"] == "busy" => {}
            Some(other) => panic!("{id}: {other}"),
            // The server went away mid-command: reconnect, and send the same id again.
            None => client = None,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_acknowledged_is_lost_or_applied_twice_over_kill_9_restarts() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let url = TestApp::database_url(&dir).await;
    let addr: SocketAddr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut server = Server::start(addr, &url).await;
    let app = TestApp::at(addr);
    let session = app.create_session("Soak").await;
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    fac.ok("start_positioning", json!({})).await;
    let mut reps = Vec::new();
    for i in 0..REPRESENTATIVES {
        let j = app
            .join(&session.id, &format!("Rep {i}"), &format!("Org {i}"))
            .await;
        reps.push(j);
    }
    fac.close().await;
    let stop = Arc::new(Mutex::new(false));
    let tasks: Vec<_> = reps
        .iter()
        .enumerate()
        .map(|(i, j)| {
            tokio::spawn(representative(
                addr,
                session.id.clone(),
                j.token.clone(),
                i,
                stop.clone(),
            ))
        })
        .collect();
    let kills = kills();
    for k in 0..kills {
        // Let some commands through, then kill the server in the middle of whatever it does.
        let pause = 150 + (k * 7919) % 350;
        tokio::time::sleep(Duration::from_millis(pause as u64)).await;
        server.kill().await;
        server = Server::start(addr, &url).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    *stop.lock().await = true;
    let mut acked = BTreeMap::new();
    for t in tasks {
        acked.extend(t.await.unwrap());
    }
    server.kill().await;

    let store = grondvorm::store::Store::open_existing(&url).await.unwrap();
    let log = store
        .load(session.id.parse::<SessionId>().unwrap())
        .await
        .unwrap()
        .unwrap();
    store.close().await;
    let seqs: Vec<u64> = log.events.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as u64).collect::<Vec<_>>(),
        "no gap, no repeat"
    );
    let applied: BTreeMap<String, u64> = log
        .commands
        .iter()
        .filter(|c| c.command_id.as_str().starts_with('r'))
        .map(|c| (c.command_id.as_str().to_owned(), c.first_seq))
        .collect();
    let answers = log
        .events
        .iter()
        .filter(|e| matches!(e.event, Event::AnswerGiven { .. }))
        .count();
    assert_eq!(
        answers,
        applied.len(),
        "every answer event has one command, once"
    );
    for (id, seq) in &acked {
        assert_eq!(
            applied.get(id),
            Some(seq),
            "acknowledged {id} at seq {seq}: lost"
        );
    }
    eprintln!(
        "soak: {kills} kills, {} commands acknowledged, {} applied, 0 lost, 0 doubled, {} events without a gap",
        acked.len(),
        applied.len(),
        seqs.len()
    );
    assert!(acked.len() >= REPRESENTATIVES, "the soak sent commands");
}
