//! Bad input: every kind gets its structured error and stable code, the connection stays
//! usable where that makes sense, and neither the state nor the log changes.

use crate::helpers::room;
use crate::helpers::{Client, TestApp};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// The facilitator's full snapshot: if this is unchanged, so are the state and the log.
async fn fingerprint(c: &mut Client) -> Value {
    c.snapshot().await
}

async fn raw_error(c: &mut Client, text: &str) -> Value {
    c.send_raw(Message::text(text.to_owned())).await;
    c.expect(|m| m["type"] == "error").await
}

#[tokio::test]
async fn malformed_unknown_and_misplaced_messages_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    let before = fingerprint(&mut room.facilitator).await;
    let c = &mut room.tess;

    let e = raw_error(c, "{this is not json").await;
    assert_eq!(e["code"], "malformed_json");
    assert!(e["message"].as_str().unwrap().contains("JSON"));
    c.still_usable().await;

    assert_eq!(
        raw_error(c, r#"{"type":"dance"}"#).await["code"],
        "unknown_message_type"
    );
    assert_eq!(
        raw_error(c, r#"{"no":"type"}"#).await["code"],
        "invalid_arguments"
    );
    let e = c.command("fly_to_the_moon", json!({})).await;
    assert_eq!(e["code"], "unknown_command");
    assert_eq!(e["type"], "error");
    // Arguments of the wrong shape, or out of range.
    c.refused("answer", json!({ "axis": "intent" }), "invalid_arguments")
        .await;
    c.refused(
        "answer",
        json!({ "axis": "intent", "pole": "share", "strength": 2 }),
        "invalid_arguments",
    )
    .await;
    let e = c
        .refused(
            "answer",
            json!({ "axis": "intent", "pole": "improve", "strength": 9 }),
            "out_of_range",
        )
        .await;
    assert_eq!(e["field"], "strength");
    let e = c
        .refused(
            "answer",
            json!({ "axis": "intent", "pole": "improve", "strength": 2, "motivation": "x".repeat(2001) }),
            "too_long",
        )
        .await;
    assert_eq!(e["field"], "motivation");
    // Wrong role, wrong phase.
    c.refused("reveal", json!({ "force": true }), "forbidden")
        .await;
    c.refused("start_positioning", json!({}), "forbidden").await;
    room.facilitator
        .refused("start_positioning", json!({}), "wrong_phase")
        .await;
    room.facilitator
        .refused("new_round", json!({}), "wrong_phase")
        .await;
    room.facilitator
        .refused("start_design", json!({}), "wrong_phase")
        .await;
    room.facilitator
        .refused("reveal", json!({ "force": false }), "not_all_answered")
        .await;
    room.facilitator
        .refused(
            "decide_form",
            json!({ "form": "functional", "rationale": "x" }),
            "wrong_phase",
        )
        .await;
    // A second hello.
    let c = &mut room.tess;
    assert_eq!(
        raw_error(c, &json!({ "type": "hello", "token": "x" }).to_string()).await["code"],
        "already_authenticated"
    );
    // A bad command id.
    assert_eq!(
        raw_error(c, r#"{"type":"command","id":"","command":"reveal"}"#).await["code"],
        "required"
    );
    // Binary frames are not part of the protocol.
    c.send_raw(Message::binary(vec![1u8, 2, 3])).await;
    assert_eq!(
        c.expect(|m| m["type"] == "error").await["code"],
        "unsupported_frame"
    );
    c.still_usable().await;

    let after = fingerprint(&mut room.facilitator).await;
    assert_eq!(before, after, "nothing changed");
}

#[tokio::test]
async fn an_oversized_message_is_refused_and_the_connection_stays_open() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    let before = fingerprint(&mut room.facilitator).await;
    let big = json!({
        "type": "command", "id": "big", "command": "answer",
        "args": { "axis": "intent", "pole": "improve", "strength": 2, "motivation": "x".repeat(70 * 1024) }
    });
    let e = raw_error(&mut room.tess, &big.to_string()).await;
    assert_eq!(e["code"], "message_too_large");
    room.tess.still_usable().await;
    assert_eq!(before, fingerprint(&mut room.facilitator).await);
    // Far beyond the limit, the WebSocket layer closes the connection instead of reading it.
    room.ivo
        .send_raw(Message::text("x".repeat(2 * 1024 * 1024)))
        .await;
    let closed = room.ivo.expect(|m| m["type"] == "closed").await;
    assert!(
        closed["code"].is_null() || closed["code"] == 1009,
        "{closed}"
    );
    assert_eq!(before, fingerprint(&mut room.facilitator).await);
}

#[tokio::test]
async fn unknown_sessions_and_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Real").await;
    let missing = uuid::Uuid::new_v4();
    let (status, body) = app.get(&format!("/api/sessions/{missing}")).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "unknown_session");
    let (status, body) = app.get("/api/sessions/not-a-uuid").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("unknown_session"))
    );
    let (status, body) = app
        .post(
            &format!("/api/sessions/{missing}/join"),
            &json!({ "name": "A", "organisation_name": "B" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("unknown_session"))
    );

    // A token that is not one, one of another session, and one of nobody.
    let other = app.create_session("Other").await;
    for token in [
        "garbage".to_owned(),
        other.facilitator_token.clone(),
        "A".repeat(43),
    ] {
        let mut c = app.open_socket(&session.id, None).await;
        c.send(&json!({ "type": "hello", "token": token })).await;
        let e = c.expect(|m| m["type"] == "error").await;
        assert_eq!(e["code"], "unknown_token");
        assert_eq!(c.expect(|m| m["type"] == "closed").await["code"], 4001);
    }
    // A command before hello.
    let mut c = app.open_socket(&session.id, None).await;
    c.send(&json!({ "type": "command", "id": "1", "command": "reveal", "args": {} }))
        .await;
    assert_eq!(
        c.expect(|m| m["type"] == "error").await["code"],
        "not_authenticated"
    );
    // … and the connection still accepts the hello after it.
    c.send(&json!({ "type": "hello", "token": session.facilitator_token }))
        .await;
    assert_eq!(
        c.expect(|m| m["type"] == "welcome").await["role"],
        "facilitator"
    );
    // A WebSocket for a session that does not exist is refused before the upgrade.
    let url = format!("ws://{}/api/sessions/{missing}/ws", app.addr);
    let mut ws = tokio_tungstenite::connect_async(url).await.unwrap().0;
    use futures_util::{SinkExt, StreamExt};
    ws.send(Message::text(
        json!({ "type": "hello", "token": session.facilitator_token }).to_string(),
    ))
    .await
    .unwrap();
    let reply = ws.next().await.unwrap().unwrap();
    assert!(
        reply.to_text().unwrap().contains("unknown_token"),
        "{reply:?}"
    );
}

#[tokio::test]
async fn duplicate_and_overlong_names_are_refused_over_http_and_change_nothing() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Names").await;
    app.join(&session.id, "Tess", "Telecom supplier").await;
    let (_, before) = app.get(&format!("/api/sessions/{}", session.id)).await;
    let path = format!("/api/sessions/{}/join", session.id);
    let org = before["organisations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let cases = [
        (
            json!({ "name": "tess", "organisation_id": org }),
            409,
            "name_taken",
            "name",
        ),
        (
            json!({ "name": "x".repeat(81), "organisation_id": org }),
            400,
            "too_long",
            "name",
        ),
        (
            json!({ "name": "   ", "organisation_id": org }),
            400,
            "required",
            "name",
        ),
        (
            json!({ "name": "Nina", "organisation_name": "TELECOM supplier" }),
            409,
            "organisation_taken",
            "organisation",
        ),
        (
            json!({ "name": "Nina", "organisation_name": "y".repeat(81) }),
            400,
            "too_long",
            "organisation_name",
        ),
        (
            json!({ "name": "Nina", "organisation_id": uuid::Uuid::new_v4().to_string() }),
            404,
            "unknown_organisation",
            "organisation",
        ),
        (
            json!({ "name": "Nina" }),
            400,
            "invalid_arguments",
            "organisation",
        ),
    ];
    for (body, status, code, field) in cases {
        let (s, b) = app.post(&path, &body).await;
        assert_eq!(
            (s, b["error"]["code"].as_str(), b["error"]["field"].as_str()),
            (status, Some(code), Some(field)),
            "{body}: {b}"
        );
        assert!(!b["error"]["message"].as_str().unwrap().is_empty());
    }
    let (s, b) = app
        .http
        .post(app.url(&path))
        .body("{oops")
        .header("content-type", "application/json")
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .unwrap();
    assert_eq!(s, 400);
    assert_eq!(
        b.json::<Value>().await.unwrap()["error"]["code"],
        "malformed_json"
    );
    let (status, body) = app
        .post(
            "/api/sessions",
            &json!({ "title": "t".repeat(201), "facilitator_name": "F" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("too_long"))
    );
    let (status, body) = app
        .post(
            "/api/sessions",
            &json!({ "title": "T", "facilitator_name": "F", "language": "fr" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (400, Some("language"))
    );

    let (_, after) = app.get(&format!("/api/sessions/{}", session.id)).await;
    assert_eq!(before, after, "nothing changed");
    // New organisations can be closed by the facilitator.
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    fac.ok(
        "update_settings",
        json!({ "new_organisations_allowed": false }),
    )
    .await;
    let (s, b) = app
        .post(
            &path,
            &json!({ "name": "Nina", "organisation_name": "Newcomer" }),
        )
        .await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (403, Some("new_organisations_closed"))
    );
    let (s, _) = app
        .post(&path, &json!({ "name": "Nina", "organisation_id": org }))
        .await;
    assert_eq!(s, 201, "the list is still open");
}

#[tokio::test]
async fn a_websocket_from_a_foreign_origin_is_refused() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Origins").await;
    let url = format!("ws://{}/api/sessions/{}/ws", app.addr, session.id);
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = url.clone().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Origin", "http://evil.example".parse().unwrap());
    let err = tokio_tungstenite::connect_async(request).await.unwrap_err();
    match err {
        tokio_tungstenite::tungstenite::Error::Http(resp) => assert_eq!(resp.status(), 403),
        other => panic!("expected a 403, got {other:?}"),
    }
    // The server's own origin is fine.
    let mut own = app
        .open_socket(&session.id, Some(&format!("http://{}", app.addr)))
        .await;
    own.send(&json!({ "type": "hello", "token": session.facilitator_token }))
        .await;
    own.expect(|m| m["type"] == "welcome").await;
    // And so is a configured one.
    let app2 =
        TestApp::spawn_with(|c| c.allowed_origins = vec!["https://board.example".into()]).await;
    let s2 = app2.create_session("Allowed").await;
    let mut c = app2
        .open_socket(&s2.id, Some("https://board.example"))
        .await;
    c.send(&json!({ "type": "hello", "token": s2.facilitator_token }))
        .await;
    c.expect(|m| m["type"] == "welcome").await;
}
