//! The room's protocol: board links (their own kind of token: watch, never act, count as
//! nobody, revocable), the join code and its short link, the facilitator's preview that reaches
//! nobody else, the rationale asked of those who differ, going back from review to design, and
//! presence that tells a quiet connection from a live one.

use crate::helpers::{TestApp, room};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_board_link_sees_what_everyone_may_sends_nothing_and_counts_as_nobody() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    let (observer, token) = app.board_link(&room.session, "Projector").await;
    // Only a facilitator makes one.
    let (status, body) = app
        .with_token(
            Method::POST,
            &format!("/api/sessions/{}/board-links", room.session.id),
            &room.tokens["tess"],
            Some(json!({ "label": "Mine" })),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let mut board = app.connect(&room.session.id, &token, None).await;
    assert_eq!(board.role, "observer");
    assert_eq!(board.participant_id, observer);
    let state = board.snapshot().await;
    assert_eq!(state["me"]["role"], "observer");
    assert_eq!(
        state["board_links"],
        json!([]),
        "observers do not see the links"
    );
    assert!(
        state["participants"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != observer.as_str()),
        "a board link is not a participant"
    );
    let fac = room.facilitator.snapshot().await;
    assert_eq!(fac["board_links"][0]["label"], "Projector");
    // Not in presence: the facilitator hears of no one new when the board connects.
    room.facilitator.still_usable().await;
    assert!(
        !room
            .facilitator
            .all_text()
            .contains(&format!(r#""participant":"{observer}""#))
    );
    // It may not act.
    board
        .refused("start_timer", json!({ "seconds": 60 }), "read_only")
        .await;
    // Blind answers stay blind to it; the reveal reaches it.
    room.answer_telecom_case("improve", "share").await;
    room.reveal().await;
    let revealed = board.event("revealed").await;
    assert!(revealed.to_string().contains("motive-of-ivo"));
    let before_reveal: Vec<&String> = board
        .raw
        .iter()
        .filter(|m| m.contains("answer_given"))
        .collect();
    assert_eq!(before_reveal.len(), 8);
    assert!(before_reveal.iter().all(|m| !m.contains("motive-of")));
    // Like a representative, it may read the record only from the review on.
    let (status, _) = app.record(&room.session.id, &token, "json").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_revoked_board_link_closes_its_screens_and_opens_nothing_again() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Revoke").await;
    let (observer, token) = app.board_link(&session, "Sponsor").await;
    let mut board = app.connect(&session.id, &token, None).await;
    let (status, _) = app
        .with_token(
            Method::DELETE,
            &format!("/api/sessions/{}/board-links/{observer}", session.id),
            &session.facilitator_token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let closed = board.expect(|m| m["type"] == "closed").await;
    assert_eq!(closed["code"], 4006);
    assert!(app.try_connect(&session.id, &token).await.is_none());
    let (status, body) = app
        .with_token(
            Method::DELETE,
            &format!("/api/sessions/{}/board-links/{observer}", session.id),
            &session.facilitator_token,
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("unknown_board_link"))
    );
    // A representative's or a stranger's token may not revoke one either.
    let (status, _) = app
        .with_token(
            Method::DELETE,
            &format!("/api/sessions/{}/board-links/{observer}", session.id),
            "not-a-token",
            None,
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_join_code_and_its_short_link_lead_to_the_join_page_until_the_session_closes() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Coded").await;
    let code = session.join_code.clone();
    assert_eq!(code.len(), 6);
    // Any case, with spaces or a dash, as people type it.
    let typed = format!("{}-{}", &code[..3], &code[3..]).to_lowercase();
    let (status, found) = app.get(&format!("/api/codes/{typed}")).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["session_id"], session.id.as_str());
    assert_eq!(found["title"], "Coded");
    let (_, info) = app.get(&format!("/api/sessions/{}", session.id)).await;
    assert_eq!(info["join_code"], code.as_str());
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirects
        .get(app.url(&format!("/j/{code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/join/{}", session.id)
    );
    // An unknown code: a clear error, and the short link shows the page that says so.
    let (status, body) = app.get("/api/codes/AAAAAA").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("unknown_code"))
    );
    let (status, _) = app.get("/api/codes/0OIL15").await;
    assert_eq!(status, 404, "look-alike characters are never in a code");
    let r = no_redirects.get(app.url("/j/AAAAAA")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // The QR code carries the short link.
    let r = app
        .http
        .get(app.url(&format!("/api/sessions/{}/join-qr.svg", session.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // Closing frees the code.
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    let tess = app.join(&session.id, "Tess", "Telecom supplier").await;
    let mut tess_c = app.connect(&session.id, &tess.token, None).await;
    fac.ok("start_positioning", json!({})).await;
    tess_c.answer("improve", "share", "x").await;
    fac.ok("reveal", json!({})).await;
    fac.ok("start_design", json!({})).await;
    fac.ok("open_review", json!({})).await;
    fac.ok("close", json!({ "force": true })).await;
    let (status, _) = app.get(&format!("/api/codes/{code}")).await;
    assert_eq!(status, 404, "a closed session's code leads nowhere");
    assert_eq!(fac.snapshot().await["session"]["join_code"], Value::Null);
}

#[tokio::test]
async fn the_preview_goes_to_the_facilitator_who_asked_and_to_no_one_else() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    let (_, board_token) = app.board_link(&room.session, "Projector").await;
    let mut board = app.connect(&room.session.id, &board_token, None).await;
    room.answer_telecom_case("improve", "share").await;
    room.tess
        .refused("preview_reveal", json!({}), "forbidden")
        .await;
    room.facilitator
        .send(
            &json!({ "type": "command", "id": "look-1", "command": "preview_reveal", "args": {} }),
        )
        .await;
    let preview = room.facilitator.expect(|m| m["type"] == "preview").await;
    assert_eq!(preview["id"], "look-1");
    assert_eq!(preview["preview"]["kind"], "reveal");
    assert_eq!(preview["preview"]["report"]["agreed"], Value::Null);
    assert!(!preview.to_string().contains("motive-of"), "{preview}");
    let ack = room
        .facilitator
        .expect(|m| m["type"] == "ack" && m["id"] == "look-1")
        .await;
    assert!(
        room.facilitator
            .raw
            .iter()
            .position(|m| m.contains(r#""type":"preview""#))
            < room
                .facilitator
                .raw
                .iter()
                .position(|m| m.contains(r#""id":"look-1""#) && m.contains(r#""type":"ack""#)),
        "the preview comes before its ack: {ack}"
    );
    // Everyone else hears that a preview was looked at, nothing of it.
    for c in [&mut room.tess, &mut room.ivo, &mut board] {
        let e = c.event("reveal_previewed").await;
        assert_eq!(
            e["event"],
            json!({ "type": "reveal_previewed", "round": 1 })
        );
        c.still_usable().await;
        assert!(!c.all_text().contains(r#""type":"preview""#));
    }
    // The session is still positioning: nothing was revealed.
    assert_eq!(room.ivo.snapshot().await["session"]["phase"], "positioning");
}

#[tokio::test]
async fn an_aspect_preview_shows_the_groups_without_the_words() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.answer_telecom_case("improve", "share").await;
    room.reveal().await;
    room.facilitator
        .ok(
            "decide_form",
            json!({ "form": "functional", "rationale": "The SLA" }),
        )
        .await;
    room.facilitator.ok("start_design", json!({})).await;
    room.tess.event("phase_changed").await;
    room.tess
        .respond(0, "ict", "own", Some("our secret plan"))
        .await;
    room.ivo.respond(0, "ict", "accept", None).await;
    room.facilitator
        .send(&json!({ "type": "command", "id": "look-2", "command": "preview_aspects", "args": { "track": 0, "aspect": "ict" } }))
        .await;
    let preview = room.facilitator.expect(|m| m["type"] == "preview").await;
    assert_eq!(preview["preview"]["kind"], "aspects");
    let aspect = &preview["preview"]["aspects"][0];
    assert_eq!(aspect["disagreement"], true);
    assert_eq!(aspect["responses"][0]["choice"], "own");
    assert_ne!(
        aspect["responses"][0]["group"],
        aspect["responses"][1]["group"]
    );
    assert!(!preview.to_string().contains("secret plan"), "{preview}");
    room.carla.event("aspects_previewed").await;
    room.carla.still_usable().await;
    assert!(!room.carla.all_text().contains("secret plan"));
}

#[tokio::test]
async fn only_those_who_differ_are_asked_why_and_their_answer_is_public() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    for (c, intent) in [
        (&mut room.tess, "improve"),
        (&mut room.tom, "improve"),
        (&mut room.ivo, "innovate"),
        (&mut room.carla, "improve"),
    ] {
        c.ok(
            "answer",
            json!({ "axis": "intent", "pole": intent, "strength": 2 }),
        )
        .await;
        c.ok(
            "answer",
            json!({ "axis": "nature", "pole": "share", "strength": 2 }),
        )
        .await;
    }
    room.reveal().await;
    let state = room.carla.snapshot().await;
    let ivo_id = room.ivo.participant_id.clone();
    assert_eq!(
        state["rationale_requests"],
        json!([{
            "participant": ivo_id,
            "organisation": room.orgs.ict,
            "about": { "kind": "axis", "axis": "intent", "round": 1 },
            "given": false
        }])
    );
    room.tess
        .refused(
            "give_rationale",
            json!({ "axis": "intent", "text": "I agree anyway" }),
            "not_asked",
        )
        .await;
    room.ivo
        .refused(
            "give_rationale",
            json!({ "axis": "intent", "track": 0, "aspect": "ict", "text": "x" }),
            "invalid_arguments",
        )
        .await;
    room.ivo
        .ok(
            "give_rationale",
            json!({ "axis": "intent", "text": "We want to build new products together" }),
        )
        .await;
    let given = room.carla.event("rationale_given").await;
    assert_eq!(
        given["event"]["text"],
        "We want to build new products together"
    );
    let state = room.carla.snapshot().await;
    assert_eq!(state["rationale_requests"][0]["given"], true);
    assert_eq!(state["rationales"][0]["participant"], ivo_id.as_str());
}

#[tokio::test]
async fn the_facilitator_takes_the_session_back_from_review_to_design() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.answer_telecom_case("improve", "share").await;
    room.reveal().await;
    room.facilitator
        .ok(
            "decide_form",
            json!({ "form": "functional", "rationale": "The SLA" }),
        )
        .await;
    room.facilitator.ok("start_design", json!({})).await;
    room.facilitator.ok("open_review", json!({})).await;
    room.carla.event("phase_changed").await;
    room.carla.ok("approve", json!({})).await;
    room.tess
        .refused("back_to_design", json!({}), "forbidden")
        .await;
    room.facilitator.ok("back_to_design", json!({})).await;
    let state = room.carla.snapshot().await;
    assert_eq!(state["session"]["phase"], "design");
    assert_eq!(state["approvals"], json!([]));
    room.facilitator
        .refused("back_to_design", json!({}), "wrong_phase")
        .await;
}

#[tokio::test]
async fn presence_tells_a_quiet_connection_from_a_live_one_and_never_names_a_board() {
    let app = TestApp::spawn_with(|c| {
        c.ping_interval_secs = 1;
        c.stale_after_secs = 2;
    })
    .await;
    let session = app.create_session("Presence").await;
    let tess = app.join(&session.id, "Tess", "Telecom supplier").await;
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    let mut tess_c = app.connect(&session.id, &tess.token, None).await;
    let change = |status: &'static str, who: String| {
        move |m: &Value| {
            m["type"] == "presence_changed"
                && m["participant"] == who.as_str()
                && m["status"] == status
        }
    };
    let id = tess.participant_id.clone();
    fac.expect(change("online", id.clone())).await;
    // A new connection starts with the whole picture.
    let (_, board_token) = app.board_link(&session, "Projector").await;
    let board = app.connect(&session.id, &board_token, None).await;
    let presence: Value = board
        .raw
        .iter()
        .filter_map(|m| serde_json::from_str::<Value>(m).ok())
        .find(|m| m["type"] == "presence")
        .unwrap();
    assert_eq!(presence["stale"], json!([]));
    assert_eq!(presence["online"].as_array().unwrap().len(), 2);
    // Tess's device goes quiet: it reads nothing, so it answers no ping.
    fac.expect(change("stale", id.clone())).await;
    // It speaks again.
    tess_c.still_usable().await;
    fac.expect(change("online", id.clone())).await;
    tess_c.close().await;
    fac.expect(change("offline", id)).await;
    board.close().await;
    fac.still_usable().await;
    assert!(
        !fac.all_text().contains(&board_token),
        "the board is never named, its token never sent"
    );
}
