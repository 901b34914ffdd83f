//! People who lose a link get a new one and stay who they were; co-facilitator keys can be
//! replaced and withdrawn; answers and responses can be taken back; the timer ends by itself.

use crate::helpers::{TestApp, WAIT, room};
use serde_json::json;

#[tokio::test]
async fn a_person_with_a_lost_link_gets_a_new_one_and_keeps_their_answers() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.tess
        .answer("improve", "share", "kept after the new link")
        .await;
    let tess_id = room.tess.participant_id.clone();
    let old_token = room.tokens["tess"].clone();
    let path = format!(
        "/api/sessions/{}/participants/{tess_id}/link",
        room.session.id
    );
    // Only a facilitator may.
    let (status, body) = app
        .with_token(reqwest::Method::POST, &path, &room.tokens["ivo"], None)
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let (status, body) = app
        .with_token(
            reqwest::Method::POST,
            &path,
            &room.session.facilitator_token,
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["participant_id"], tess_id.as_str());
    let new_token = body["token"].as_str().unwrap().to_owned();
    assert!(
        body["link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("#token={new_token}"))
    );
    // The old connection closes with 4004; the old token no longer opens anything, and a page
    // that reconnects with it (it was offline at the moment) hears the same: replaced, 4004.
    let closed = room.tess.expect(|m| m["type"] == "closed").await;
    assert_eq!(closed["code"], 4004);
    let mut stale = app.open_socket(&room.session.id, None).await;
    stale
        .send(&json!({ "type": "hello", "token": old_token }))
        .await;
    let refused = stale.expect(|m| m["type"] == "error").await;
    assert_eq!(refused["code"], "link_replaced");
    let closed = stale.expect(|m| m["type"] == "closed").await;
    assert_eq!(closed["code"], 4004);
    // Everyone saw that a link was reissued, and no token.
    let event = room.ivo.event("link_reissued").await;
    assert_eq!(event["event"]["participant"], tess_id.as_str());
    assert!(!room.ivo.all_text().contains(&new_token));
    // The new link is the same person, with their answer.
    let mut tess = app.connect(&room.session.id, &new_token, None).await;
    assert_eq!(tess.participant_id, tess_id);
    let state = tess.snapshot().await;
    assert_eq!(
        state["my_answers"]["intent"]["motivation"],
        "kept after the new link"
    );
}

#[tokio::test]
async fn the_co_facilitator_key_can_be_replaced_withdrawn_and_a_removed_facilitator_cannot_come_back()
 {
    let app = TestApp::spawn().await;
    let session = app.create_session("Keys").await;
    let id = session.id.clone();
    let old_key = session
        .cofacilitator_link
        .split("#key=")
        .nth(1)
        .unwrap()
        .to_owned();
    let join = |key: &str, name: &str| json!({ "key": key, "name": name });
    let path = format!("/api/sessions/{id}/facilitators");
    let (status, joost) = app.post(&path, &join(&old_key, "Joost")).await;
    assert_eq!(status, 201, "{joost}");
    let key_path = format!("/api/sessions/{id}/facilitator-key");
    let (status, body) = app
        .with_token(
            reqwest::Method::POST,
            &key_path,
            &session.facilitator_token,
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let new_key = body["cofacilitator_link"]
        .as_str()
        .unwrap()
        .split("#key=")
        .nth(1)
        .unwrap()
        .to_owned();
    let (status, body) = app.post(&path, &join(&old_key, "Anna")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unknown_key"))
    );
    let (status, _) = app.post(&path, &join(&new_key, "Anna")).await;
    assert_eq!(status, 201);
    // Removing a facilitator withdraws the key, so they cannot rejoin under another name.
    let mut fran = app.connect(&id, &session.facilitator_token, None).await;
    fran.ok(
        "remove_participant",
        json!({ "participant": joost["participant_id"] }),
    )
    .await;
    fran.event("facilitator_key_revoked").await;
    let (status, _) = app.post(&path, &join(&new_key, "Joost again")).await;
    assert_eq!(status, 401);
    // A new key, then withdrawn by hand.
    let (_, body) = app
        .with_token(
            reqwest::Method::POST,
            &key_path,
            &session.facilitator_token,
            None,
        )
        .await;
    let third = body["cofacilitator_link"]
        .as_str()
        .unwrap()
        .split("#key=")
        .nth(1)
        .unwrap()
        .to_owned();
    let (status, _) = app
        .with_token(
            reqwest::Method::DELETE,
            &key_path,
            &session.facilitator_token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app.post(&path, &join(&third, "Bart")).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn answers_and_responses_can_be_taken_back_and_others_see_only_that() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.tess
        .answer("improve", "share", "withdrawn-motive")
        .await;
    room.tess
        .ok("withdraw_answer", json!({ "axis": "intent" }))
        .await;
    let seen = room.ivo.event("answer_withdrawn").await;
    assert_eq!(seen["event"]["axis"], "intent");
    let state = room.ivo.snapshot().await;
    let tess = state["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Tess")
        .unwrap()
        .clone();
    assert_eq!(tess["answered"], json!({ "intent": false, "nature": true }));
    assert!(!room.ivo.all_text().contains("withdrawn-motive"));
    room.tess
        .refused(
            "withdraw_answer",
            json!({ "axis": "intent" }),
            "nothing_to_withdraw",
        )
        .await;
}

#[tokio::test]
async fn the_timer_ends_by_itself_on_every_page_at_once() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.facilitator
        .ok(
            "start_timer",
            json!({ "seconds": 10, "label": "Quick round" }),
        )
        .await;
    for c in room.clients() {
        c.event("timer_started").await;
    }
    // The server's own clock ends it: wait for the event (10 s and a little).
    room.carla.set_patience(WAIT * 3);
    let ended = room.carla.event("timer_ended").await;
    assert!(ended["by"].is_null());
    for c in [
        &mut room.facilitator,
        &mut room.tess,
        &mut room.tom,
        &mut room.ivo,
    ] {
        c.event("timer_ended").await;
    }
    let state = room.tess.snapshot().await;
    assert_eq!(state["timer"]["ended"], true);
}
