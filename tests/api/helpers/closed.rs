//! A closed session to follow up, made over the protocol.

use super::{Session, TestApp};
use serde_json::json;

/// A design closed with Contracting agreed on the principle and Key roles in own words, by
/// Tess (Telecom supplier) and Ivo (ICT service provider), both functional: (session id,
/// facilitator token, Tess's token).
pub async fn closed_design(app: &TestApp, language: &str) -> (String, String, String) {
    let (status, body) = app
        .post(
            "/api/sessions",
            &json!({ "title": "Telecom", "facilitator_name": "Fran", "language": language }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let s = Session {
        join_code: String::new(),
        cofacilitator_link: String::new(),
        id: body["session_id"].as_str().unwrap().to_owned(),
        facilitator_token: body["token"].as_str().unwrap().to_owned(),
        facilitator_id: body["participant_id"].as_str().unwrap().to_owned(),
    };
    let tess = app.join(&s.id, "Tess", "Telecom supplier").await;
    let ivo = app.join(&s.id, "Ivo", "ICT service provider").await;
    let mut fac = app.connect(&s.id, &s.facilitator_token, None).await;
    let mut t = app.connect(&s.id, &tess.token, None).await;
    let mut i = app.connect(&s.id, &ivo.token, None).await;
    fac.ok("start_positioning", json!({})).await;
    t.answer("improve", "share", "").await;
    i.answer("improve", "share", "").await;
    fac.ok("reveal", json!({ "force": false })).await;
    fac.ok("start_design", json!({})).await;
    for c in [&mut t, &mut i] {
        for aspect in ["contracting", "key_roles"] {
            let r = c.respond(0, aspect, "accept", None).await;
            assert_eq!(r["type"], "ack", "{r}");
        }
    }
    fac.ok(
        "reveal_aspects",
        json!({ "track": 0, "aspect": "contracting" }),
    )
    .await;
    fac.ok(
        "reveal_aspects",
        json!({ "track": 0, "aspect": "key_roles" }),
    )
    .await;
    fac.ok(
        "agree_aspect",
        json!({ "track": 0, "aspect": "contracting" }),
    )
    .await;
    fac.ok(
        "agree_aspect",
        json!({ "track": 0, "aspect": "key_roles", "text": "Telecom leads, ICT delivers", "resembles": "functional" }),
    )
    .await;
    fac.ok("open_review", json!({})).await;
    t.ok("approve", json!({})).await;
    i.ok("approve", json!({})).await;
    fac.ok("close", json!({ "force": false })).await;
    (s.id, s.facilitator_token, tess.token)
}
