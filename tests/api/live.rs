//! The live layer as people meet it: presence, and one client's silence not holding up others.

use crate::helpers::TestApp;
use crate::positioning::room;
use serde_json::json;

#[tokio::test]
async fn presence_is_live() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Presence").await;
    let tess = app.join(&session.id, "Tess", "Telecom supplier").await;
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    let tess_c = app.connect(&session.id, &tess.token, None).await;
    let online = fac
        .expect(|m| m["type"] == "presence" && m["online"].as_array().unwrap().len() == 2)
        .await;
    assert!(
        online["online"]
            .as_array()
            .unwrap()
            .contains(&json!(tess.participant_id))
    );
    tess_c.close().await;
    let online = fac
        .expect(|m| m["type"] == "presence" && m["online"].as_array().unwrap().len() == 1)
        .await;
    assert_eq!(online["online"], json!([session.facilitator_id]));
}

#[tokio::test]
async fn a_client_that_stops_reading_does_not_hold_up_the_others() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    // Carla stops reading altogether; the session goes on for everyone else.
    let _carla_silent = std::mem::replace(
        &mut room.carla,
        app.connect(&room.session.id, &room.session.facilitator_token, None)
            .await,
    );
    for i in 0..50 {
        room.tess
            .ok("answer", json!({ "axis": "intent", "pole": if i % 2 == 0 { "improve" } else { "innovate" }, "strength": 1 }))
            .await;
    }
    room.ivo.until_count("answer_given", 50).await;
    room.facilitator.until_count("answer_given", 50).await;
}
