//! A real WebSocket client that keeps every message it received and waits on the messages it
//! expects, never on the clock.

use super::WAIT;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

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
    /// How long to wait for the next message before failing.
    patience: std::time::Duration,
    /// Messages received but not yet taken by `expect`.
    pending: std::collections::VecDeque<Value>,
}

impl Client {
    /// A client over an open WebSocket.
    pub fn new(ws: WebSocketStream<MaybeTlsStream<TcpStream>>) -> Client {
        Client {
            ws,
            raw: Vec::new(),
            last_seq: 0,
            role: String::new(),
            participant_id: String::new(),
            next_id: 0,
            patience: WAIT,
            pending: Default::default(),
        }
    }

    /// Waits up to `patience` for each message from now on (for what the server does on its
    /// own clock, such as a timer's end).
    pub fn set_patience(&mut self, patience: std::time::Duration) {
        self.patience = patience;
    }

    /// Sends, or `None` when the connection is gone.
    pub async fn send_quietly(&mut self, v: &Value) -> Option<()> {
        self.ws.send(Message::text(v.to_string())).await.ok()
    }

    /// Like `expect`, but `None` instead of a failure when the connection closes (or nothing
    /// comes within the patience): for clients of a server that is being killed.
    pub async fn try_expect(&mut self, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.pending.iter().position(&pred) {
            return self.pending.remove(i);
        }
        loop {
            let m = tokio::time::timeout(self.patience, self.ws.next())
                .await
                .ok()?;
            let m = match m {
                Some(Ok(Message::Text(t))) => serde_json::from_str::<Value>(&t).ok()?,
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
                _ => return None,
            };
            if pred(&m) {
                return Some(m);
            }
            self.pending.push_back(m);
        }
    }

    /// Sends a command with this id and returns its ack or error, or `None` when the
    /// connection is gone before the answer.
    pub async fn try_command(&mut self, id: &str, name: &str, args: Value) -> Option<Value> {
        self.send_quietly(&json!({ "type": "command", "id": id, "command": name, "args": args }))
            .await?;
        let id = id.to_owned();
        self.try_expect(move |m| {
            (m["type"] == "ack" || m["type"] == "error") && m["id"] == id.as_str()
        })
        .await
    }

    /// Drops the messages received but not yet taken.
    pub fn forget_pending(&mut self) {
        self.pending.clear();
    }

    pub async fn send(&mut self, v: &Value) {
        self.ws.send(Message::text(v.to_string())).await.unwrap();
    }

    pub async fn send_raw(&mut self, m: Message) {
        self.ws.send(m).await.unwrap();
    }

    /// The next message; the end comes back as {"type":"closed","code":…,"frame":…}, with
    /// `frame` true when the server sent a close frame (a closing handshake's has no code).
    pub async fn next(&mut self) -> Value {
        // One deadline for the next message: pings and pongs on the way do not extend it.
        let deadline = tokio::time::Instant::now() + self.patience;
        loop {
            let m = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .expect("timed out waiting for a message");
            if let Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) = m {
                continue;
            }
            return self.take(m);
        }
    }

    fn take(&mut self, m: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>) -> Value {
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
                json!({ "type": "closed", "code": frame.map(|f| u16::from(f.code)), "frame": true })
            }
            Some(Ok(Message::Binary(_))) => json!({ "type": "binary" }),
            Some(Ok(_)) | None | Some(Err(_)) => {
                json!({ "type": "closed", "code": null, "frame": false })
            }
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
