//! A client that cannot keep up is told to resync with close 4000, queued behind what it was
//! already sent: it finds the close frame when it reads on, then catches up exactly.

use crate::helpers::{Client, TestApp};
use serde_json::json;
use tokio::net::TcpSocket;
use tokio_tungstenite::MaybeTlsStream;

/// A client whose socket takes only a few KiB before the server has to wait for it.
async fn narrow_client(app: &TestApp, session: &str, token: &str) -> Client {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let tcp = socket.connect(app.addr).await.unwrap();
    let url = format!("ws://{}/api/sessions/{session}/ws", app.addr);
    let (ws, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(tcp))
        .await
        .unwrap();
    let mut client = Client::new(ws);
    client
        .send(&json!({ "type": "hello", "token": token }))
        .await;
    client.expect(|m| m["type"] == "presence").await;
    client
}

#[tokio::test]
async fn a_client_that_stops_reading_while_the_session_races_on_finds_4000_and_resumes() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Fast board").await;
    let tess = app.join(&session.id, "Tess", "Telecom supplier").await;
    let mut slow = narrow_client(&app, &session.id, &tess.token).await;
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    // Far more than the 512 events a connection may fall behind, each a few KiB, while the
    // slow client reads nothing.
    let note = "é".repeat(1990);
    for i in 0..800 {
        fac.ok("add_note", json!({ "text": format!("{i} {note}") }))
            .await;
    }
    let last = fac.snapshot().await["seq"].as_u64().unwrap();
    // It reads on: what was sent, then the resync close.
    let closed = slow.expect(|m| m["type"] == "closed").await;
    assert_eq!(closed["code"], 4000, "{closed}");
    let seen = slow.last_seq;
    assert!(seen < last, "it had fallen behind ({seen} of {last})");
    // Reconnecting with what it saw brings it back to exactly where the session is.
    let mut back = app.connect(&session.id, &tess.token, Some(seen)).await;
    assert_eq!(back.snapshot().await["seq"].as_u64(), Some(last));
}
