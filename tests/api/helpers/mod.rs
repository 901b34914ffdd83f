//! Test harness: the real server on port 0 with a fresh SQLite file, HTTP helpers, and a real
//! WebSocket client that waits on the messages it expects (never on the clock).

mod client;
mod closed;
mod room;

pub use client::Client;
pub use closed::closed_design;
pub use room::{Room, room};

use grondvorm::Config;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// The PostgreSQL server the suite runs against, if one is given.
pub fn postgres_url() -> Option<String> {
    std::env::var("GRONDVORM_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// With `TEST_LOG` set (to a filter such as `debug` or `grondvorm=trace`), the servers the tests
/// start log to the test's output, through the same secret-keeping guard as the binary.
fn log_if_asked() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let Ok(filter) = std::env::var("TEST_LOG") else {
        return;
    };
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new(filter))
        .with(tracing_subscriber::filter::FilterFn::new(
            grondvorm::logging::allowed,
        ))
        .with(tracing_subscriber::fmt::layer().with_test_writer())
        .try_init();
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
        log_if_asked();
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

    /// A front door to a server at `addr` that may not be up yet (the soak restarts it).
    pub fn at(addr: SocketAddr) -> TestApp {
        TestApp {
            addr,
            dir: Arc::new(TempDir::new().unwrap()),
            http: reqwest::Client::new(),
            shutdown: None,
            task: None,
        }
    }

    /// Connects and says hello, or `None` when the server is not there or refuses.
    pub async fn try_connect(&self, session: &str, token: &str) -> Option<Client> {
        let url = format!("ws://{}/api/sessions/{session}/ws", self.addr);
        let (ws, _) = tokio_tungstenite::connect_async(url).await.ok()?;
        let mut client = Client::new(ws);
        client
            .send_quietly(&json!({ "type": "hello", "token": token }))
            .await?;
        match client
            .try_expect(|m| m["type"] == "presence" || m["type"] == "error")
            .await
        {
            Some(m) if m["type"] == "presence" => {
                client.forget_pending();
                Some(client)
            }
            _ => None,
        }
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

    /// A request with a facilitator's (or anyone's) token as the Bearer header: (status, body).
    pub async fn with_token(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            request = request.json(&b);
        }
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A board link made by the facilitator: (observer id, token).
    pub async fn board_link(&self, session: &Session, label: &str) -> (String, String) {
        let (status, body) = self
            .with_token(
                reqwest::Method::POST,
                &format!("/api/sessions/{}/board-links", session.id),
                &session.facilitator_token,
                Some(json!({ "label": label })),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        (
            body["observer_id"].as_str().unwrap().to_owned(),
            body["token"].as_str().unwrap().to_owned(),
        )
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

    /// The agenda of a session in a format, fetched with a token; (status, body).
    pub async fn agenda(&self, session: &str, token: &str, format: &str) -> (u16, String) {
        let r = self
            .http
            .get(self.url(&format!("/api/sessions/{session}/agenda?format={format}")))
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
            join_code: body["join_code"].as_str().unwrap().to_owned(),
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
        client.forget_pending();
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
        Client::new(ws)
    }
}

/// A created session.
pub struct Session {
    pub id: String,
    /// The short code to join by.
    pub join_code: String,
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
