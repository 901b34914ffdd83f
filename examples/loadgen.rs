//! Measures the server from the outside: it starts the release binary on a fresh SQLite file,
//! drives it with real WebSocket clients over loopback, and prints what it saw.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example loadgen -- latency
//! cargo run --release --example loadgen -- throughput
//! cargo run --release --example loadgen -- memory --connections 5000
//! cargo run --release --example loadgen -- sync
//! ```

use clap::{Parser, Subcommand};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

#[derive(Parser)]
struct Args {
    /// The server binary to start.
    #[arg(long, default_value = "target/release/grondvorm")]
    server: PathBuf,
    /// The database; by default a fresh SQLite file. A postgres:// URL may be shared by nodes.
    #[arg(long)]
    database_url: Option<String>,
    /// How many server nodes to start on that database (more than one needs PostgreSQL).
    #[arg(long, default_value_t = 1)]
    nodes: usize,
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// Time from sending a command to its ack, and to its event at every other client.
    Latency {
        /// Representatives in the session (besides the one sending).
        #[arg(long, default_value_t = 20)]
        listeners: usize,
        /// Commands to time, one after the other.
        #[arg(long, default_value_t = 500)]
        commands: usize,
    },
    /// Commands per second with many sessions at once, every client waiting for its ack.
    Throughput {
        #[arg(long, default_value_t = 20)]
        sessions: usize,
        /// Sending representatives per session.
        #[arg(long, default_value_t = 5)]
        senders: usize,
        /// Commands per representative.
        #[arg(long, default_value_t = 100)]
        commands: usize,
    },
    /// Bytes a page receives per event: syncing by patches, against asking for a snapshot
    /// after every event (as pages did before), over answers, notes and a reveal.
    Sync {
        /// Representatives who answer.
        #[arg(long, default_value_t = 20)]
        reps: usize,
        /// Notes the facilitator adds.
        #[arg(long, default_value_t = 200)]
        notes: usize,
    },
    /// Server memory per idle connection.
    Memory {
        #[arg(long, default_value_t = 2000)]
        connections: usize,
        /// Connections per session.
        #[arg(long, default_value_t = 50)]
        per_session: usize,
    },
}

struct Server {
    child: tokio::process::Child,
    base: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start(binary: &PathBuf, database_url: Option<&str>) -> Server {
        let dir = tempfile::TempDir::new().unwrap();
        let sqlite = format!("sqlite://{}", dir.path().join("load.db").display());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = tokio::process::Command::new(binary)
            .env("GRONDVORM_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", database_url.unwrap_or(&sqlite))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start the server (cargo build --release first)");
        let server = Server {
            child,
            base: format!("127.0.0.1:{port}"),
            http: reqwest::Client::new(),
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while server
            .http
            .get(format!("http://{}/healthz", server.base))
            .send()
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.http
            .post(format!("http://{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Creates a session with `reps` representatives; returns (session, facilitator token,
    /// representative tokens).
    async fn session(&self, reps: usize) -> (String, String, Vec<String>) {
        let created = self
            .post(
                "/api/sessions",
                json!({ "title": "Load", "facilitator_name": "Fac" }),
            )
            .await;
        let id = created["session_id"].as_str().unwrap().to_owned();
        let mut tokens = Vec::new();
        for i in 0..reps {
            let joined = self
                .post(
                    &format!("/api/sessions/{id}/join"),
                    json!({ "name": format!("Rep {i}"), "organisation_name": format!("Org {i}") }),
                )
                .await;
            tokens.push(joined["token"].as_str().unwrap().to_owned());
        }
        (id, created["token"].as_str().unwrap().to_owned(), tokens)
    }

    async fn connect(&self, session: &str, token: &str) -> Ws {
        self.connect_with(session, json!({ "type": "hello", "token": token }))
            .await
    }

    /// Connects with this hello; returns once the start sequence is over.
    async fn connect_with(&self, session: &str, hello: Value) -> Ws {
        let (mut ws, _) = tokio_tungstenite::connect_async(format!(
            "ws://{}/api/sessions/{session}/ws",
            self.base
        ))
        .await
        .unwrap();
        ws.send(Message::text(hello.to_string())).await.unwrap();
        // The start sequence ends with the presence list.
        loop {
            if let Some(v) = read(&mut ws).await
                && v["type"] == "presence"
            {
                return ws;
            }
        }
    }

    fn rss_kib(&self) -> u64 {
        let pid = self.child.id().unwrap();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap()
    }
}

async fn read(ws: &mut Ws) -> Option<Value> {
    match ws.next().await {
        Some(Ok(Message::Text(t))) => serde_json::from_str(&t).ok(),
        Some(Ok(_)) => None,
        other => panic!("connection ended: {other:?}"),
    }
}

async fn command(ws: &mut Ws, id: &str, name: &str, args: Value) {
    ws.send(Message::text(
        json!({ "type": "command", "id": id, "command": name, "args": args }).to_string(),
    ))
    .await
    .unwrap();
}

/// Reads until the ack or error for `id`; returns the ack's last sequence number.
async fn until_ack(ws: &mut Ws, id: &str) -> u64 {
    loop {
        if let Some(v) = read(ws).await
            && v["id"] == id
        {
            assert_eq!(v["type"], "ack", "{v}");
            return v["last_seq"].as_u64().unwrap_or(0);
        }
    }
}

/// Reads until the reply for `id`: true for an ack, false for `busy`.
async fn until_ack_or_busy(ws: &mut Ws, id: &str) -> bool {
    loop {
        if let Some(v) = read(ws).await
            && v["id"] == id
        {
            if v["code"] == "busy" {
                return false;
            }
            assert_eq!(v["type"], "ack", "{v}");
            return true;
        }
    }
}

fn answer(i: usize) -> Value {
    let pole = if i.is_multiple_of(2) {
        "improve"
    } else {
        "innovate"
    };
    json!({ "axis": "intent", "pole": pole, "strength": 2 })
}

fn quantiles(label: &str, mut xs: Vec<Duration>) {
    xs.sort();
    let q = |p: f64| xs[((xs.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{label}: n={} median={:.2?} p90={:.2?} p99={:.2?} max={:.2?}",
        xs.len(),
        q(0.5),
        q(0.9),
        q(0.99),
        q(1.0)
    );
}

async fn latency(server: &Server, listeners: usize, commands: usize) {
    let (session, fac, tokens) = server.session(listeners + 1).await;
    let mut fac_ws = server.connect(&session, &fac).await;
    command(&mut fac_ws, "start", "start_positioning", json!({})).await;
    until_ack(&mut fac_ws, "start").await;
    // Every listener reports when each event reaches it.
    let (tx, mut arrivals) = mpsc::unbounded_channel::<(u64, Instant)>();
    for token in &tokens[1..] {
        let mut ws = server.connect(&session, token).await;
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(Ok(m)) = ws.next().await {
                if let Ok(v) = serde_json::from_str::<Value>(m.to_text().unwrap_or(""))
                    && v["type"] == "event"
                {
                    let _ = tx.send((v["seq"].as_u64().unwrap(), Instant::now()));
                }
            }
        });
    }
    let mut sender = server.connect(&session, &tokens[0]).await;
    let mut to_ack = Vec::new();
    let mut to_all = Vec::new();
    for i in 0..commands {
        let id = format!("c{i}");
        let start = Instant::now();
        command(&mut sender, &id, "answer", answer(i)).await;
        let seq = until_ack(&mut sender, &id).await;
        to_ack.push(start.elapsed());
        let mut heard = 0;
        let mut last = start;
        while heard < listeners {
            let (s, at) = arrivals.recv().await.unwrap();
            if s == seq {
                heard += 1;
                last = last.max(at);
            }
        }
        to_all.push(last - start);
    }
    println!("one session, 1 sender, {listeners} listeners, {commands} commands one after another");
    quantiles("send → ack (stored)", to_ack);
    quantiles("send → event at every listener", to_all);
}

async fn throughput(nodes: &[Server], sessions: usize, senders: usize, commands: usize) {
    let server = &nodes[0];
    let mut clients = Vec::new();
    for _ in 0..sessions {
        let (session, fac, tokens) = server.session(senders).await;
        let mut fac_ws = server.connect(&session, &fac).await;
        command(&mut fac_ws, "start", "start_positioning", json!({})).await;
        until_ack(&mut fac_ws, "start").await;
        // The facilitator keeps reading, as a board would.
        tokio::spawn(async move { while let Some(Ok(_)) = fac_ws.next().await {} });
        // Senders spread over the nodes: one session, served from all of them.
        for (k, t) in tokens.iter().enumerate() {
            clients.push(nodes[k % nodes.len()].connect(&session, t).await);
        }
    }
    let start = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|mut ws| {
            tokio::spawn(async move {
                for i in 0..commands {
                    let id = format!("t{i}");
                    // `busy` (nodes kept colliding) means: send the same command again.
                    loop {
                        command(&mut ws, &id, "answer", answer(i)).await;
                        if until_ack_or_busy(&mut ws, &id).await {
                            break;
                        }
                    }
                }
                ws
            })
        })
        .collect();
    let mut kept = Vec::new();
    for t in tasks {
        kept.push(t.await.unwrap());
    }
    let elapsed = start.elapsed();
    let total = sessions * senders * commands;
    println!(
        "{sessions} sessions × {senders} senders × {commands} commands = {total} in {elapsed:.2?}: {:.0} commands/s",
        total as f64 / elapsed.as_secs_f64()
    );
}

/// Reads a page's messages until its copy is current to the seq `done` names, and says what
/// each message was about (the seq it brought the page to, or was sent at) and its size.
/// `patches`: the page syncs by them; otherwise it asks for a snapshot after events, one request
/// at a time (a burst costs one, plus one at the end), as pages used to.
async fn page(mut ws: Ws, patches: bool, done: watch::Receiver<u64>) -> Vec<(u64, usize)> {
    let mut seen = Vec::new();
    let mut seq = 0u64;
    let (mut in_flight, mut again) = (false, false);
    let ask = Message::text(r#"{"type":"snapshot"}"#);
    while seq < *done.borrow() {
        // Not blocked on the socket for long: the end may be named meanwhile.
        let Ok(next) = tokio::time::timeout(Duration::from_millis(100), ws.next()).await else {
            continue;
        };
        let t = match next {
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(_)) => continue,
            other => panic!("the page's connection ended: {other:?}"),
        };
        let v: Value = serde_json::from_str(&t).unwrap();
        let mut at = seq;
        match v["type"].as_str() {
            Some("patch") => {
                seq = v["seq"].as_u64().unwrap();
                at = seq;
            }
            Some("snapshot") => {
                seq = seq.max(v["state"]["seq"].as_u64().unwrap());
                at = seq;
                in_flight = false;
                if std::mem::take(&mut again) {
                    in_flight = true;
                    ws.send(ask.clone()).await.unwrap();
                }
            }
            Some("event") if !patches => {
                at = v["seq"].as_u64().unwrap();
                if in_flight {
                    again = true;
                } else {
                    in_flight = true;
                    ws.send(ask.clone()).await.unwrap();
                }
            }
            _ => {}
        }
        seen.push((at, t.len()));
    }
    seen
}

async fn sync(server: &Server, reps: usize, notes: usize) {
    let (session, fac, tokens) = server.session(reps + 1).await;
    let mut facilitator = server.connect(&session, &fac).await;
    let watcher = &tokens[reps];
    let (done, until) = watch::channel(u64::MAX);
    let mut pages = Vec::new();
    for patches in [true, false] {
        let mut hello = json!({ "type": "hello", "token": watcher });
        if patches {
            hello["sync"] = json!("patches");
        }
        let ws = server.connect_with(&session, hello).await;
        pages.push(tokio::spawn(page(ws, patches, until.clone())));
    }
    let mut reps_ws = Vec::new();
    for t in &tokens[..reps] {
        reps_ws.push(server.connect(&session, t).await);
    }
    let mut n = 0;
    let mut run = async |ws: &mut Ws, name: &str, args: Value| {
        n += 1;
        let id = format!("s{n}");
        command(ws, &id, name, args).await;
        until_ack(ws, &id).await
    };
    let start = run(&mut facilitator, "start_positioning", json!({})).await - 1;
    let mut phase_ends = Vec::new();
    let mut last = 0;
    for (i, ws) in reps_ws.iter_mut().enumerate() {
        run(ws, "answer", answer(i)).await;
        last = run(
            ws,
            "answer",
            json!({ "axis": "nature", "pole": "share", "strength": 2 }),
        )
        .await;
    }
    phase_ends.push(("answers", last));
    for i in 0..notes {
        let text = format!("note {i}: what the room said about this step, in a sentence or two");
        last = run(&mut facilitator, "add_note", json!({ "text": text })).await;
    }
    phase_ends.push(("notes", last));
    last = run(&mut facilitator, "reveal", json!({ "force": true })).await;
    phase_ends.push(("reveal", last));
    done.send(last).unwrap();
    let mut received = Vec::new();
    for task in pages {
        received.push(task.await.unwrap());
    }
    println!(
        "one session, {reps} representatives answering blind, {notes} notes, a reveal; bytes one representative's page receives per event:"
    );
    println!("phase | events | by patches | by a snapshot after events | ratio");
    let mut from = start;
    for (name, end) in phase_ends {
        let events = end - from;
        let per = |seen: &[(u64, usize)]| {
            let bytes: usize = seen
                .iter()
                .filter(|(at, _)| *at > from && *at <= end)
                .map(|(_, b)| b)
                .sum();
            bytes as f64 / events as f64
        };
        let (by_patches, by_snapshots) = (per(&received[0]), per(&received[1]));
        println!(
            "{name} | {events} | {by_patches:.0} B | {by_snapshots:.0} B | {:.1}×",
            by_snapshots / by_patches
        );
        from = end;
    }
}

async fn memory(server: &Server, connections: usize, per_session: usize) {
    let before = server.rss_kib();
    let mut open = Vec::with_capacity(connections);
    let mut sessions = 0;
    while open.len() < connections {
        let (session, fac, tokens) = server.session(per_session).await;
        sessions += 1;
        let _ = fac;
        for t in &tokens {
            if open.len() == connections {
                break;
            }
            open.push(server.connect(&session, t).await);
        }
    }
    let after = server.rss_kib();
    println!(
        "{connections} idle connections in {sessions} sessions: server RSS {before} KiB → {after} KiB, {:.1} KiB per connection (sessions included)",
        (after - before) as f64 / connections as f64
    );
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    assert!(
        args.nodes == 1
            || args
                .database_url
                .as_deref()
                .is_some_and(|u| u.starts_with("postgres")),
        "several nodes need a shared PostgreSQL database (--database-url postgres://…)"
    );
    let mut nodes = Vec::new();
    for _ in 0..args.nodes {
        nodes.push(Server::start(&args.server, args.database_url.as_deref()).await);
    }
    let server = &nodes[0];
    match args.what {
        What::Latency {
            listeners,
            commands,
        } => latency(server, listeners, commands).await,
        What::Throughput {
            sessions,
            senders,
            commands,
        } => throughput(&nodes, sessions, senders, commands).await,
        What::Memory {
            connections,
            per_session,
        } => memory(server, connections, per_session).await,
        What::Sync { reps, notes } => sync(server, reps, notes).await,
    }
}
