//! The limits that keep one person or one script from hurting everyone else: each refused with
//! its own code, changing nothing, and never reached by ordinary use.

use crate::helpers::{TestApp, WAIT};
use futures_util::SinkExt;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn a_full_session_refuses_people_and_organisations_and_changes_nothing() {
    let app = TestApp::spawn_with(|c| {
        c.max_participants = 3;
        c.max_organisations = 1;
    })
    .await;
    let session = app.create_session("Small room").await;
    app.join(&session.id, "Tess", "Telecom supplier").await;
    let (status, body) = app
        .post(
            &format!("/api/sessions/{}/join", session.id),
            &json!({ "name": "Ivo", "organisation_name": "ICT service provider" }),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "too_many_organisations");
    app.join(&session.id, "Tom", "Telecom supplier").await;
    let (status, body) = app
        .post(
            &format!("/api/sessions/{}/join", session.id),
            &json!({ "name": "Noor", "organisation_name": "Anything" }),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "session_full");
    let (_, info) = app.get(&format!("/api/sessions/{}", session.id)).await;
    assert_eq!(info["organisations"].as_array().unwrap().len(), 1);
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    let state = fac.snapshot().await;
    assert_eq!(state["participants"].as_array().unwrap().len(), 3);
    let (_, server) = app.get("/api/server").await;
    assert_eq!(server["limits"]["max_participants"], 3);
}

#[tokio::test]
async fn one_address_creates_its_burst_of_sessions_then_is_told_when_to_come_back() {
    let app = TestApp::spawn_with(|c| {
        c.create_burst = 2;
        c.create_per_minute = 1;
    })
    .await;
    app.create_session("One").await;
    app.create_session("Two").await;
    let response = app
        .http
        .post(app.url("/api/sessions"))
        .json(&json!({ "title": "Three", "facilitator_name": "Fran" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body["error"]["retry_after_ms"].as_u64().unwrap() > 0);
    // A request that would not create a session uses up nothing and says what is wrong.
    let (status, body) = app
        .post(
            "/api/sessions",
            &json!({ "title": "", "facilitator_name": "Fran" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("required"))
    );
}

#[tokio::test]
async fn a_server_with_a_create_key_creates_sessions_only_with_it() {
    let app = TestApp::spawn_with(|c| c.create_key = Some("open sesame".into())).await;
    let (_, server) = app.get("/api/server").await;
    assert_eq!(server["create_key_required"], true);
    for wrong in [
        json!({ "title": "T", "facilitator_name": "Fran" }),
        json!({ "title": "T", "facilitator_name": "Fran", "create_key": "open" }),
    ] {
        let (status, body) = app.post("/api/sessions", &wrong).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error"]["code"], "create_key_required");
        assert_eq!(body["error"]["field"], "create_key");
    }
    let (status, _) = app
        .post(
            "/api/sessions",
            &json!({ "title": "T", "facilitator_name": "Fran", "create_key": "open sesame" }),
        )
        .await;
    assert_eq!(status, 201);
    let (_, open) = TestApp::spawn().await.get("/api/server").await;
    assert_eq!(open["create_key_required"], false);
}

#[tokio::test]
async fn a_connection_that_pipelines_commands_is_refused_past_its_bucket_and_others_go_on() {
    let app = TestApp::spawn_with(|c| {
        c.commands_per_second = 1;
        c.command_burst = 3;
    })
    .await;
    let session = app.create_session("Pipeline").await;
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    // The same facilitator on a second device: a connection, and a bucket, of its own.
    let mut other = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    for i in 0..3 {
        fac.ok("add_note", json!({ "text": format!("note {i}") }))
            .await;
    }
    let refused = fac
        .command("add_note", json!({ "text": "one too many" }))
        .await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["code"], "rate_limited");
    assert!(refused["retry_after_ms"].as_u64().unwrap() > 0);
    assert_eq!(fac.snapshot().await["notes"].as_array().unwrap().len(), 3);
    // The limit is per connection: the other device's command goes through.
    other
        .ok("add_note", json!({ "text": "from the laptop" }))
        .await;
}

#[tokio::test]
async fn a_client_that_sends_junk_and_never_reads_is_gone_at_the_hello_deadline() {
    let app = TestApp::spawn_with(|c| c.hello_timeout_secs = 1).await;
    let session = app.create_session("Junk").await;
    let url = format!("ws://{}/api/sessions/{}/ws", app.addr, session.id);
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let started = Instant::now();
    // Send without ever reading: every message is answered with an error nobody reads.
    let junk = "x".repeat(60_000);
    let mut stopped = false;
    while started.elapsed() < WAIT {
        let sent = tokio::time::timeout(
            Duration::from_secs(1),
            ws.send(tokio_tungstenite::tungstenite::Message::text(junk.clone())),
        )
        .await;
        if !matches!(sent, Ok(Ok(()))) {
            stopped = true;
            break;
        }
    }
    assert!(
        stopped,
        "the server was still taking junk after {:?}",
        started.elapsed()
    );
    // The hello timeout (1 s) plus the patience of the close frame (2 s), and some slack.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

/// Reads from `tcp` until the server closes it; how long that took.
async fn until_closed(tcp: &mut TcpStream) -> Duration {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(WAIT, tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return started.elapsed(),
            Ok(Ok(_)) => continue,
            Err(_) => panic!("the server kept the connection open"),
        }
    }
}

#[tokio::test]
async fn slow_http_clients_are_cut_off_unfinished_headers_idle_connections_and_trickled_bodies() {
    let app = TestApp::spawn_with(|c| {
        c.http_header_timeout_secs = 1;
        c.http_body_timeout_secs = 1;
    })
    .await;
    // Headers that never end.
    let mut tcp = TcpStream::connect(app.addr).await.unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    until_closed(&mut tcp).await;

    // A keep-alive connection left idle after its answer.
    let mut tcp = TcpStream::connect(app.addr).await.unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tcp.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    until_closed(&mut tcp).await;

    // A body that trickles in: the server answers 408 in the JSON shape, then closes.
    let mut tcp = TcpStream::connect(app.addr).await.unwrap();
    tcp.write_all(
        b"POST /api/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n{\"ti",
    )
    .await
    .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(WAIT, tcp.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"request_timeout\""), "{answer}");
}
