//! Secrets never reach the log, at any level: the real binary at `RUST_LOG=trace`, with tokens in
//! `hello` and in a Bearer header, a co-facilitator key, and blind motivations on the wire.

use crate::helpers::TestApp;
use serde_json::json;
use std::net::SocketAddr;
use std::process::Stdio;

#[tokio::test]
async fn at_trace_level_the_log_holds_no_token_no_key_and_no_blind_answer() {
    let dir = tempfile::TempDir::new().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_grondvorm"))
        .env("GRONDVORM_ADDR", format!("127.0.0.1:{port}"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("g.db").display()),
        )
        .env("RUST_LOG", "trace")
        .stdout(log)
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let app = TestApp::external(addr).await;

    let session = app.create_session("Secrets").await;
    let key = session
        .cofacilitator_link
        .split("#key=")
        .nth(1)
        .unwrap()
        .to_owned();
    let tess = app.join(&session.id, "Tess", "Telecom supplier").await;
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    let mut rep = app.connect(&session.id, &tess.token, None).await;
    fac.ok("start_positioning", json!({})).await;
    rep.event("positioning_started").await;
    rep.answer("innovate", "share", "TOP-SECRET-MOTIVE").await;
    let (status, _) = app
        .record(&session.id, &session.facilitator_token, "md")
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .post(
            &format!("/api/sessions/{}/facilitators", session.id),
            &json!({ "key": key, "name": "Joost" }),
        )
        .await;
    assert_eq!(status, 201);
    fac.close().await;
    rep.close().await;
    // SIGTERM: the server shuts down in order and its log is complete.
    let pid = child.id().unwrap();
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status();
    let _ = child.wait().await;

    let text = std::fs::read_to_string(&log_path).unwrap();
    // Verbose logging was on (sqlx logs every statement at debug level).
    assert!(
        text.contains("DEBUG"),
        "the log was at trace level:\n{text}"
    );
    for secret in [
        session.facilitator_token.as_str(),
        tess.token.as_str(),
        key.as_str(),
        "TOP-SECRET-MOTIVE",
    ] {
        assert!(!text.contains(secret), "the log holds a secret ({secret})");
    }
}
