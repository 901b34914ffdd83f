//! The facilitator's moderation over the protocol: a co-facilitator, the timer and focus,
//! renaming and merging organisations, removing a person, and the refusals that change nothing.

use crate::helpers::TestApp;
use crate::helpers::room;
use serde_json::json;

#[tokio::test]
async fn a_co_facilitator_joins_through_the_facilitator_link() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Two facilitators").await;
    let key = session
        .cofacilitator_link
        .split("#key=")
        .nth(1)
        .unwrap()
        .to_owned();
    assert!(
        session
            .cofacilitator_link
            .contains(&format!("/facilitate/{}", session.id))
    );
    let path = format!("/api/sessions/{}/facilitators", session.id);
    let (status, body) = app
        .post(&path, &json!({ "key": "A".repeat(43), "name": "Femke" }))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unknown_key"))
    );
    let (status, body) = app
        .post(&path, &json!({ "key": key, "name": "fran facilitator" }))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("name_taken"))
    );
    let (status, body) = app
        .post(&path, &json!({ "key": key, "name": "Femke" }))
        .await;
    assert_eq!(status, 201, "{body}");
    let mut femke = app
        .connect(&session.id, body["token"].as_str().unwrap(), None)
        .await;
    assert_eq!(femke.role, "facilitator");
    femke.ok("start_positioning", json!({})).await;
    // The key of one session opens no other.
    let other = app.create_session("Other").await;
    let (status, _) = app
        .post(
            &format!("/api/sessions/{}/facilitators", other.id),
            &json!({ "key": key, "name": "Eve" }),
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn timer_focus_rename_and_merge_reach_everyone_and_are_recorded_with_who() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.facilitator
        .ok(
            "start_timer",
            json!({ "seconds": 300, "label": "Positioning" }),
        )
        .await;
    let timer = room.carla.event("timer_started").await;
    assert_eq!(timer["event"]["seconds"], 300);
    assert_eq!(timer["by"], room.session.facilitator_id.as_str());
    let snap = room.tess.snapshot().await;
    assert_eq!(snap["timer"]["label"], "Positioning");
    assert!(
        snap["timer"]["ends_at"].as_str().unwrap() > snap["timer"]["started_at"].as_str().unwrap()
    );
    room.facilitator
        .ok("focus", json!({ "cluster": "governance" }))
        .await;
    assert_eq!(
        room.ivo.event("focus_changed").await["event"]["step"],
        json!({ "cluster": "governance" })
    );
    let consultancy = room.orgs.consultancy.clone();
    room.facilitator
        .ok(
            "rename_organisation",
            json!({ "organisation": consultancy, "name": "Advisory Ltd" }),
        )
        .await;
    room.facilitator
        .ok(
            "merge_organisations",
            json!({ "from": room.orgs.consultancy, "into": room.orgs.ict }),
        )
        .await;
    let merged = room.carla.event("organisations_merged").await;
    assert_eq!(merged["event"]["into"], room.orgs.ict.as_str());
    let snap = room.carla.snapshot().await;
    assert_eq!(
        snap["me"]["organisation"],
        room.orgs.ict.as_str(),
        "Carla now speaks for the ICT provider"
    );
    let (_, info) = app.get(&format!("/api/sessions/{}", room.session.id)).await;
    let names: Vec<&str> = info["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Telecom supplier", "ICT service provider"],
        "the join list no longer offers it"
    );
}

#[tokio::test]
async fn a_removed_person_is_disconnected_and_their_link_stops_working() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.carla
        .answer("improve", "exchange", "carla-before-removal")
        .await;
    room.tom
        .refused(
            "remove_participant",
            json!({ "participant": room.carla.participant_id }),
            "forbidden",
        )
        .await;
    let carla_id = room.carla.participant_id.clone();
    room.facilitator
        .ok("remove_participant", json!({ "participant": carla_id }))
        .await;
    let closed = room.carla.expect(|m| m["type"] == "closed").await;
    assert_eq!(closed["code"], 4003);
    // Her link no longer opens the session.
    let mut again = app.open_socket(&room.session.id, None).await;
    again
        .send(&json!({ "type": "hello", "token": room.tokens["carla"] }))
        .await;
    assert_eq!(
        again.expect(|m| m["type"] == "error").await["code"],
        "unknown_token"
    );
    // The others go on; the removed person no longer holds up the reveal.
    tokio::join!(
        room.tess.answer("improve", "share", "x"),
        room.tom.answer("improve", "share", "y"),
        room.ivo.answer("improve", "share", "z"),
    );
    room.facilitator
        .ok("reveal", json!({ "force": false }))
        .await;
    let snap = room.facilitator.snapshot().await;
    let carla = snap["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == carla_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(carla["removed"], true);
    assert_eq!(carla["name"], "Carla", "she stays in the history");
    room.facilitator
        .refused(
            "remove_participant",
            json!({ "participant": carla_id }),
            "unknown_participant",
        )
        .await;
}

#[tokio::test]
async fn design_and_moderation_refusals_change_nothing() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    let before = room.facilitator.snapshot().await;
    room.tess
        .refused(
            "respond",
            json!({ "track": 0, "aspect": "ict", "choice": "accept" }),
            "wrong_phase",
        )
        .await;
    room.tess
        .refused(
            "respond",
            json!({ "track": 0, "aspect": "nope", "choice": "accept" }),
            "invalid_arguments",
        )
        .await;
    room.tess
        .refused(
            "respond",
            json!({ "track": 0, "aspect": "ict", "choice": "own" }),
            "invalid_arguments",
        )
        .await;
    room.facilitator
        .refused("start_timer", json!({ "seconds": 5 }), "out_of_range")
        .await;
    room.facilitator
        .refused("start_timer", json!({ "seconds": 999999 }), "out_of_range")
        .await;
    room.facilitator
        .refused("start_timer", json!({ "seconds": -1 }), "invalid_arguments")
        .await;
    let e = room
        .facilitator
        .refused("add_note", json!({ "text": "x".repeat(2001) }), "too_long")
        .await;
    assert_eq!(e["field"], "text");
    room.facilitator
        .refused(
            "add_note",
            json!({ "track": 3, "text": "x" }),
            "unknown_track",
        )
        .await;
    room.facilitator
        .refused("open_review", json!({}), "wrong_phase")
        .await;
    room.facilitator
        .refused(
            "agree_aspect",
            json!({ "track": 0, "aspect": "ict" }),
            "wrong_phase",
        )
        .await;
    room.tess.refused("approve", json!({}), "wrong_phase").await;
    room.facilitator
        .refused(
            "merge_organisations",
            json!({ "from": room.orgs.ict, "into": room.orgs.ict }),
            "same_organisation",
        )
        .await;
    room.facilitator
        .refused(
            "rename_organisation",
            json!({ "organisation": room.orgs.ict, "name": "y".repeat(81) }),
            "too_long",
        )
        .await;
    assert_eq!(before, room.facilitator.snapshot().await, "nothing changed");
}
