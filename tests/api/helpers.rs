//! Test harness: the real server on port 0 with a fresh SQLite file, HTTP helpers, and a real
//! WebSocket client that waits on the messages it expects (never on the clock).

use futures_util::{SinkExt, StreamExt};
use grondvorm::Config;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The PostgreSQL server the suite runs against, if one is given.
pub fn postgres_url() -> Option<String> {
    std::env::var("GRONDVORM_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// How long a test waits for a message it expects before failing.
pub const WAIT: Duration = Duration::from_secs(10);

/// A running server.
pub struct TestApp {
    pub addr: SocketAddr,
    pub dir: Arc<TempDir>,
    pub http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    /// A server on a fresh database.
    pub async fn spawn() -> TestApp {
        Self::spawn_in(Arc::new(TempDir::new().unwrap()), |_| {}).await
    }

    /// A server on a fresh database, with its configuration adjusted.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_in(Arc::new(TempDir::new().unwrap()), adjust).await
    }

    /// A server on the database in `dir`.
    pub async fn spawn_in(dir: Arc<TempDir>, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::for_database(Self::database_url(&dir).await);
        adjust(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(grondvorm::serve(listener, config, async {
            let _ = rx.await;
        }));
        let app = TestApp {
            addr,
            dir,
            http: reqwest::Client::new(),
            shutdown: Some(tx),
            task: Some(task),
        };
        // Ready when it answers; serve() opens the database before it accepts.
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Ok(r) = app.http.get(app.url("/healthz")).send().await
                && r.status().is_success()
            {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "server did not come up"
            );
            tokio::task::yield_now().await;
        }
        app
    }

    /// The database of a test: a SQLite file in its directory, or — when
    /// `GRONDVORM_TEST_POSTGRES_URL` names a PostgreSQL server — a database of its own there,
    /// named after the directory so that a restart finds it again.
    pub async fn database_url(dir: &TempDir) -> String {
        let Some(base) = postgres_url() else {
            return format!("sqlite://{}", Self::db_path(dir).display());
        };
        let name = format!(
            "grondvorm_it_{}",
            dir.path()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
        let exists: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(&name)
                .fetch_optional(&mut admin)
                .await
                .unwrap();
        if exists.is_none() {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .unwrap();
        }
        let (prefix, _) = base.rsplit_once('/').unwrap();
        format!("{prefix}/{name}")
    }

    /// A front door to a server that runs elsewhere (another process), once it answers.
    pub async fn external(addr: SocketAddr) -> TestApp {
        let app = TestApp {
            addr,
            dir: Arc::new(TempDir::new().unwrap()),
            http: reqwest::Client::new(),
            shutdown: None,
            task: None,
        };
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Ok(r) = app.http.get(app.url("/healthz")).send().await
                && r.status().is_success()
            {
                return app;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the node did not come up"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub fn db_path(dir: &TempDir) -> PathBuf {
        dir.path().join("grondvorm.db")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Stops the server gracefully and waits until it has closed its database.
    pub async fn stop(mut self) -> Arc<TempDir> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
        self.dir.clone()
    }

    /// Stops the server and starts a new one on the same database.
    pub async fn restart(self) -> TestApp {
        let dir = self.stop().await;
        TestApp::spawn_in(dir, |_| {}).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// The record of a session in a format, fetched with a token; (status, body).
    pub async fn record(&self, session: &str, token: &str, format: &str) -> (u16, String) {
        let r = self
            .http
            .get(self.url(&format!("/api/sessions/{session}/record?format={format}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Creates a session; returns (session id, facilitator token, facilitator id).
    pub async fn create_session(&self, title: &str) -> Session {
        let (status, body) = self
            .post(
                "/api/sessions",
                &json!({ "title": title, "facilitator_name": "Fran Facilitator", "language": "en" }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        Session {
            cofacilitator_link: body["cofacilitator_link"].as_str().unwrap().to_owned(),
            id: body["session_id"].as_str().unwrap().to_owned(),
            facilitator_token: body["token"].as_str().unwrap().to_owned(),
            facilitator_id: body["participant_id"].as_str().unwrap().to_owned(),
        }
    }

    /// Joins `name` for the organisation called `org` (chosen from the list if it is there,
    /// added otherwise). Returns the join response.
    pub async fn join(&self, session: &str, name: &str, org: &str) -> Joined {
        let (_, info) = self.get(&format!("/api/sessions/{session}")).await;
        let existing = info["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == org)
            .map(|o| o["id"].as_str().unwrap().to_owned());
        let body = match existing {
            Some(id) => json!({ "name": name, "organisation_id": id }),
            None => json!({ "name": name, "organisation_name": org }),
        };
        let (status, body) = self
            .post(&format!("/api/sessions/{session}/join"), &body)
            .await;
        assert_eq!(status, 201, "{body}");
        Joined {
            token: body["token"].as_str().unwrap().to_owned(),
            participant_id: body["participant_id"].as_str().unwrap().to_owned(),
            organisation_id: body["organisation_id"].as_str().unwrap().to_owned(),
        }
    }

    /// Opens a WebSocket (no Origin header, like a non-browser client) and says hello.
    pub async fn connect(&self, session: &str, token: &str, last_seq: Option<u64>) -> Client {
        let mut client = self.open_socket(session, None).await;
        client.last_seq = last_seq.unwrap_or(0);
        let mut hello = json!({ "type": "hello", "token": token });
        if let Some(s) = last_seq {
            hello["last_seq"] = json!(s);
        }
        client.send(&hello).await;
        let welcome = client
            .expect(|m| m["type"] == "welcome" || m["type"] == "error")
            .await;
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        client.role = welcome["role"].as_str().unwrap().to_owned();
        client.participant_id = welcome["participant_id"].as_str().unwrap().to_owned();
        // The catch-up ends with the presence message; tests read the catch-up from `raw`.
        client.expect(|m| m["type"] == "presence").await;
        client.pending.clear();
        client
    }

    /// Opens a WebSocket without saying hello.
    pub async fn open_socket(&self, session: &str, origin: Option<&str>) -> Client {
        let mut request = format!("ws://{}/api/sessions/{session}/ws", self.addr)
            .into_client_request()
            .unwrap();
        if let Some(o) = origin {
            request.headers_mut().insert("Origin", o.parse().unwrap());
        }
        let (ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        Client {
            ws,
            raw: Vec::new(),
            last_seq: 0,
            role: String::new(),
            participant_id: String::new(),
            next_id: 0,
            pending: Default::default(),
        }
    }
}

/// A created session.
pub struct Session {
    pub id: String,
    pub cofacilitator_link: String,
    pub facilitator_token: String,
    pub facilitator_id: String,
}

/// A joined representative.
#[derive(Clone)]
pub struct Joined {
    pub token: String,
    pub participant_id: String,
    pub organisation_id: String,
}

/// A WebSocket client that keeps every message it received.
pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Every text message received, as sent.
    pub raw: Vec<String>,
    /// The highest event sequence number seen.
    pub last_seq: u64,
    pub role: String,
    pub participant_id: String,
    next_id: u64,
    /// Messages received but not yet taken by `expect`.
    pending: std::collections::VecDeque<Value>,
}

impl Client {
    pub async fn send(&mut self, v: &Value) {
        self.ws.send(Message::text(v.to_string())).await.unwrap();
    }

    pub async fn send_raw(&mut self, m: Message) {
        self.ws.send(m).await.unwrap();
    }

    /// The next message; a close frame comes back as {"type":"closed","code":…}.
    pub async fn next(&mut self) -> Value {
        let m = tokio::time::timeout(WAIT, self.ws.next())
            .await
            .expect("timed out waiting for a message");
        match m {
            Some(Ok(Message::Text(t))) => {
                self.raw.push(t.to_string());
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["type"] == "event" {
                    let seq = v["seq"].as_u64().unwrap();
                    assert_eq!(
                        seq,
                        self.last_seq + 1,
                        "events arrive in order without gaps"
                    );
                    self.last_seq = seq;
                }
                if v["type"] == "snapshot" {
                    self.last_seq = v["state"]["seq"].as_u64().unwrap();
                }
                v
            }
            Some(Ok(Message::Close(frame))) => {
                json!({ "type": "closed", "code": frame.map(|f| u16::from(f.code)) })
            }
            Some(Ok(_)) => Box::pin(self.next()).await,
            None | Some(Err(_)) => json!({ "type": "closed", "code": null }),
        }
    }

    /// The first message, among those not yet taken and those still to come, that matches.
    /// Messages passed over stay available to later calls, so that waiting for one reply never
    /// swallows an event another part of the test waits for.
    pub async fn expect(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&pred) {
            return self.pending.remove(i).unwrap();
        }
        loop {
            let m = self.next().await;
            if pred(&m) {
                return m;
            }
            assert_ne!(m["type"], "closed", "connection closed while waiting: {m}");
            self.pending.push_back(m);
        }
    }

    /// Reads until the event of this type arrives.
    pub async fn event(&mut self, kind: &str) -> Value {
        self.expect(|m| m["type"] == "event" && m["event"]["type"] == kind)
            .await
    }

    /// How many events of this type were received so far.
    pub fn count(&self, kind: &str) -> usize {
        self.raw
            .iter()
            .filter_map(|m| serde_json::from_str::<Value>(m).ok())
            .filter(|v| v["type"] == "event" && v["event"]["type"] == kind)
            .count()
    }

    /// Reads until `n` events of this type have arrived in all.
    pub async fn until_count(&mut self, kind: &str, n: usize) {
        while self.count(kind) < n {
            let m = self.next().await;
            assert_ne!(m["type"], "closed", "closed while waiting for {kind}");
        }
    }

    /// Sends a command with a fresh id and returns its ack or error.
    pub async fn command(&mut self, name: &str, args: Value) -> Value {
        // Ids must be unique per participant for good, not per connection: the server
        // remembers them across reconnects and restarts.
        self.next_id += 1;
        let id = format!("{}-{}", uuid::Uuid::new_v4().simple(), self.next_id);
        self.command_with_id(&id, name, args).await
    }

    /// Sends a command with the given id and returns its ack or error.
    pub async fn command_with_id(&mut self, id: &str, name: &str, args: Value) -> Value {
        self.send(&json!({ "type": "command", "id": id, "command": name, "args": args }))
            .await;
        let id = id.to_owned();
        self.expect(move |m| (m["type"] == "ack" || m["type"] == "error") && m["id"] == id.as_str())
            .await
    }

    /// Sends a command that must be accepted; returns its ack.
    pub async fn ok(&mut self, name: &str, args: Value) -> Value {
        let r = self.command(name, args).await;
        assert_eq!(r["type"], "ack", "{name} refused: {r}");
        r
    }

    /// Sends a command that must be refused with `code`.
    pub async fn refused(&mut self, name: &str, args: Value, code: &str) -> Value {
        let r = self.command(name, args).await;
        assert_eq!(
            r["type"], "error",
            "{name} accepted but should fail with {code}: {r}"
        );
        assert_eq!(r["code"], code, "{r}");
        r
    }

    /// A fresh snapshot.
    pub async fn snapshot(&mut self) -> Value {
        self.send(&json!({ "type": "snapshot" })).await;
        self.expect(|m| m["type"] == "snapshot").await["state"].clone()
    }

    /// Answers both positioning questions.
    pub async fn answer(&mut self, intent: &str, nature: &str, motivation: &str) {
        self.ok(
            "answer",
            json!({ "axis": "intent", "pole": intent, "strength": 2, "motivation": motivation }),
        )
        .await;
        self.ok(
            "answer",
            json!({ "axis": "nature", "pole": nature, "strength": 3 }),
        )
        .await;
    }

    /// Responds to an aspect: "accept", ("other_form", form) or ("own", text).
    pub async fn respond(
        &mut self,
        track: usize,
        aspect: &str,
        choice: &str,
        detail: Option<&str>,
    ) -> Value {
        let mut args = json!({ "track": track, "aspect": aspect, "choice": choice });
        match choice {
            "other_form" => args["form"] = json!(detail.unwrap()),
            "own" => args["text"] = json!(detail.unwrap()),
            _ => {}
        }
        self.command("respond", args).await
    }

    /// Checks the connection still answers.
    pub async fn still_usable(&mut self) {
        self.send(&json!({ "type": "ping" })).await;
        self.expect(|m| m["type"] == "pong").await;
    }

    /// Everything received so far, as one string.
    pub fn all_text(&self) -> String {
        self.raw.join("\n")
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}
