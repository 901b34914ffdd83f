//! Blind positioning, the reveal, the disagreement report and the gate, with a facilitator and
//! representatives of three organisations connected at once.

use crate::helpers::{TestApp, room};
use serde_json::{Value, json};

#[tokio::test]
async fn answers_stay_secret_until_the_reveal_and_the_telecom_disagreement_is_reported() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.answer_telecom_case("improve", "share").await;

    // Everyone hears that all eight answers were given.
    for c in room.clients() {
        c.until_count("answer_given", 8).await;
    }

    // Before the reveal: nobody received anyone else's answer, in any field.
    let names = ["tess", "tom", "ivo", "carla"];
    for (i, c) in [&room.tess, &room.tom, &room.ivo, &room.carla]
        .into_iter()
        .enumerate()
    {
        let text = c.all_text();
        assert!(
            text.contains(&format!("motive-of-{}", names[i])),
            "own answer echoed"
        );
        for (j, other) in names.iter().enumerate() {
            if i != j {
                assert!(
                    !text.contains(&format!("motive-of-{other}")),
                    "{} saw {other}'s answer",
                    names[i]
                );
            }
        }
        for m in &c.raw {
            let v: Value = serde_json::from_str(m).unwrap();
            if v["event"]["type"] == "answer_given"
                && v["event"]["participant"] != c.participant_id.as_str()
            {
                assert!(v["event"].get("answer").is_none(), "redacted: {v}");
                assert!(v["event"].get("pole").is_none(), "redacted: {v}");
            }
        }
    }
    let fac_text = room.facilitator.all_text();
    assert!(
        !fac_text.contains("motive-of"),
        "the facilitator does not see answers early either"
    );
    assert!(!fac_text.contains("\"innovate\""));

    // A snapshot before the reveal shows who answered, not what.
    let snap = room.carla.snapshot().await;
    let tess = snap["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Tess")
        .unwrap()
        .clone();
    assert_eq!(tess["answered"], json!({ "intent": true, "nature": true }));
    assert!(!snap.to_string().contains("motive-of-tess"));

    let revealed = room.reveal().await;
    let event = &revealed["event"];
    assert_eq!(event["forced"], false);
    assert!(
        revealed.to_string().contains("motive-of-ivo"),
        "after the reveal everyone sees all"
    );
    // Functional (telecom, consultancy) against entrepreneurial (the ICT provider), both named.
    let pairs = event["report"]["form_pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let pair = &pairs[0];
    assert_eq!(pair["a"], "functional");
    assert_eq!(pair["b"], "entrepreneurial");
    assert_eq!(
        pair["a_organisations"],
        json!([room.orgs.telecom, room.orgs.consultancy])
    );
    assert_eq!(pair["b_organisations"], json!([room.orgs.ict]));
    let intent = &event["report"]["axes"][0];
    assert_eq!(intent["axis"], "intent");
    assert_eq!(intent["disagreement"], true);
    let explanation = &event["explanations"]["pairs"][0];
    assert_eq!(
        (explanation["a"].as_str(), explanation["b"].as_str()),
        (Some("functional"), Some("entrepreneurial"))
    );
    assert!(
        explanation["text"]["en"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("telecom")
    );
    assert!(!explanation["text"]["nl"].as_str().unwrap().is_empty());
    let standing: Vec<Value> = event["report"]["organisations"].as_array().unwrap().clone();
    assert_eq!(standing[0]["form"], "functional");
    assert_eq!(standing[1]["form"], "entrepreneurial");
    assert_eq!(room.facilitator.snapshot().await["gate"]["open"], false);
}

#[tokio::test]
async fn the_gate_holds_until_a_new_round_agrees() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.answer_telecom_case("improve", "share").await;
    room.reveal().await;
    room.facilitator
        .refused("start_design", json!({}), "gate_closed")
        .await;
    room.tess.refused("new_round", json!({}), "forbidden").await;

    room.facilitator.ok("new_round", json!({})).await;
    room.ivo.event("new_round_started").await;
    // Ivo comes round; the rest stand where they stood.
    tokio::join!(
        room.tess.answer("improve", "share", "r2"),
        room.tom.answer("improve", "share", "r2"),
        room.ivo.answer("improve", "share", "r2"),
        room.carla.answer("improve", "share", "r2"),
    );
    let revealed = room.reveal().await;
    assert_eq!(revealed["event"]["round"], 2);
    assert_eq!(revealed["event"]["report"]["agreed"], "functional");
    room.facilitator.ok("start_design", json!({})).await;
    let design = room.carla.event("phase_changed").await;
    assert_eq!(design["event"]["phase"], "design");
    assert_eq!(design["event"]["tracks"][0]["form"], "functional");
    let snap = room.carla.snapshot().await;
    assert_eq!(
        snap["rounds"].as_array().unwrap().len(),
        2,
        "round 1 stays in the history"
    );
    assert_eq!(snap["resolutions"][0]["kind"], "new_round");
}

#[tokio::test]
async fn the_gate_opens_on_a_decision_with_rationale_and_dissent_recorded() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.answer_telecom_case("improve", "exchange").await;
    room.reveal().await;
    room.facilitator
        .refused("start_design", json!({}), "gate_closed")
        .await;
    room.facilitator
        .refused(
            "decide_form",
            json!({ "form": "functional", "rationale": "   " }),
            "required",
        )
        .await;
    room.facilitator
        .ok(
            "decide_form",
            json!({ "form": "functional", "rationale": "We buy ICT services under an SLA." }),
        )
        .await;
    let decided = room.tom.event("form_decided").await;
    assert_eq!(decided["event"]["form"], "functional");
    assert_eq!(
        decided["event"]["dissenting"],
        json!([room.orgs.ict, room.orgs.consultancy])
    );
    assert_eq!(
        decided["event"]["rationale"],
        "We buy ICT services under an SLA."
    );
    room.facilitator.ok("start_design", json!({})).await;
    assert_eq!(
        room.facilitator.snapshot().await["session"]["phase"],
        "design"
    );
}

#[tokio::test]
async fn the_gate_opens_on_a_split_into_named_tracks() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.answer_telecom_case("improve", "share").await;
    room.reveal().await;
    room.facilitator
        .refused(
            "split",
            json!({ "tracks": [{ "name": "ICT services", "form": "functional" }], "rationale": "x" }),
            "invalid_tracks",
        )
        .await;
    room.facilitator
        .ok(
            "split",
            json!({ "tracks": [
                { "name": "ICT services", "form": "functional" },
                { "name": "Product development", "form": "entrepreneurial" }
            ], "rationale": "Two businesses" }),
        )
        .await;
    room.facilitator.ok("start_design", json!({})).await;
    let design = room.ivo.event("phase_changed").await;
    assert_eq!(
        design["event"]["tracks"],
        json!([
            { "name": "ICT services", "form": "functional" },
            { "name": "Product development", "form": "entrepreneurial" }
        ])
    );
}

#[tokio::test]
async fn a_forced_reveal_names_who_had_not_answered() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.tess.answer("improve", "share", "x").await;
    room.ivo.answer("innovate", "share", "y").await;
    room.facilitator
        .refused("reveal", json!({ "force": false }), "not_all_answered")
        .await;
    room.facilitator
        .ok("reveal", json!({ "force": true }))
        .await;
    let revealed = room.carla.event("revealed").await;
    assert_eq!(revealed["event"]["forced"], true);
    let missing: Vec<String> = revealed["event"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        missing,
        vec![
            room.tom.participant_id.clone(),
            room.carla.participant_id.clone()
        ]
    );
    assert_eq!(revealed["by"], room.session.facilitator_id.as_str());
}

#[tokio::test]
async fn auto_reveal_reveals_as_soon_as_everyone_has_answered() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.facilitator
        .ok("update_settings", json!({ "auto_reveal": true }))
        .await;
    room.answer_telecom_case("innovate", "exchange").await;
    for c in room.clients() {
        let revealed = c.event("revealed").await;
        assert_eq!(revealed["event"]["automatic"], true);
    }
    // Three forms now, so three pairs.
    let snap = room.facilitator.snapshot().await;
    assert_eq!(snap["session"]["phase"], "alignment");
    assert_eq!(
        snap["rounds"][0]["report"]["form_pairs"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        snap["rounds"][0]["explanations"]["pairs"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}
