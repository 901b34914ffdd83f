//! Whole sessions through the protocol, from join to the closed record: the design phase, the
//! review, the record in its three formats and its hash.

use crate::helpers::{Client, TestApp};
use crate::helpers::{Room, room};
use grondvorm::record;
use serde_json::{Value, json};

/// The 13 aspects' ids, in the model's order.
fn aspects() -> Vec<&'static str> {
    grondvorm::model::Aspect::ALL
        .iter()
        .map(|a| a.id())
        .collect()
}

/// Positioning with everyone functional, then design on one track.
async fn agreed_room(app: &TestApp) -> Room {
    let mut room = room(app).await;
    tokio::join!(
        room.tess.answer("improve", "share", "we buy ICT services"),
        room.tom.answer("improve", "share", "cheaper operations"),
        room.ivo.answer("improve", "share", "we run their ICT"),
        room.carla.answer("improve", "share", "advice on the SLA"),
    );
    room.reveal().await;
    room.facilitator.ok("start_design", json!({})).await;
    for c in room.clients() {
        c.event("phase_changed").await;
    }
    room
}

fn reps(room: &mut Room) -> [&mut Client; 4] {
    [
        &mut room.tess,
        &mut room.tom,
        &mut room.ivo,
        &mut room.carla,
    ]
}

async fn all_accept(room: &mut Room, track: usize, aspects: &[&str]) {
    for c in reps(room) {
        for a in aspects {
            let r = c.respond(track, a, "accept", None).await;
            assert_eq!(r["type"], "ack", "{r}");
        }
    }
}

/// Checks a record in all three formats: the JSON parses into the schema's type and verifies,
/// and Markdown and HTML carry the same hash.
fn check_formats(json: &str, md: &str, html: &str) -> record::Record {
    let hash = record::verify(json).expect("the JSON record verifies");
    let parsed: record::Record = serde_json::from_str(json).expect("the JSON follows the schema");
    assert_eq!(parsed.content_hash, hash);
    assert!(md.contains(&hash), "Markdown carries the hash");
    assert!(html.contains(&hash), "HTML carries the hash");
    assert!(html.starts_with("<!doctype html>"));
    parsed
}

#[tokio::test]
async fn a_unanimous_session_runs_from_join_to_a_closed_record() {
    let app = TestApp::spawn().await;
    let mut room = agreed_room(&app).await;
    all_accept(&mut room, 0, &aspects()).await;
    // Reveal per cluster; every aspect of the three clusters comes out agreed without mixing.
    for cluster in ["governance", "behaviour", "operational"] {
        room.facilitator
            .ok("reveal_aspects", json!({ "track": 0, "cluster": cluster }))
            .await;
        let revealed = room.carla.event("aspects_revealed").await;
        for r in revealed["event"]["reveals"].as_array().unwrap() {
            assert_eq!(r["disagreement"], false);
            assert_eq!(r["mixing"], json!([]));
            assert_eq!(r["responses"].as_array().unwrap().len(), 4);
        }
    }
    for a in aspects() {
        room.facilitator
            .ok("agree_aspect", json!({ "track": 0, "aspect": a }))
            .await;
    }
    let session = room.session.id.clone();
    // Representatives see the record only from the review on; the facilitator always.
    let (status, body) = app.record(&session, &room.tokens["tess"], "json").await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("record_not_available"));
    let (status, draft) = app
        .record(&session, &room.session.facilitator_token, "json")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&draft).unwrap()["status"],
        "draft"
    );

    room.facilitator.ok("open_review", json!({})).await;
    for c in reps(&mut room) {
        c.event("phase_changed").await;
    }
    let (status, _) = app.record(&session, &room.tokens["ivo"], "md").await;
    assert_eq!(status, 200, "representatives see the draft in review");
    for c in [&mut room.tess, &mut room.ivo, &mut room.carla] {
        c.ok("approve", json!({})).await;
    }
    room.tom
        .refused("approve", json!({}), "already_approved")
        .await;
    room.facilitator
        .ok("close", json!({ "force": false }))
        .await;
    room.carla.event("session_closed").await;
    room.facilitator
        .refused("start_timer", json!({ "seconds": 60 }), "session_closed")
        .await;
    room.tess
        .refused("approve", json!({}), "session_closed")
        .await;

    let token = room.tokens["carla"].clone();
    let (_, json) = app.record(&session, &token, "json").await;
    let (_, md) = app.record(&session, &token, "md").await;
    let (_, html) = app.record(&session, &token, "html").await;
    let r = check_formats(&json, &md, &html);
    assert_eq!(r.schema, record::SCHEMA);
    assert_eq!(r.status, record::RecordStatus::Final);
    assert_eq!(r.title, "Sell and lease-back");
    assert_eq!(r.facilitators[0].name, "Fran Facilitator");
    let orgs: Vec<&str> = r.organisations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        orgs,
        ["Telecom supplier", "ICT service provider", "Consultancy"]
    );
    assert_eq!(r.organisations[0].representatives.len(), 2);
    let round = &r.rounds[0];
    assert_eq!(round.agreed, Some(grondvorm::model::Form::Functional));
    let ivo = round
        .positions
        .iter()
        .find(|p| p.participant == "Ivo")
        .unwrap();
    assert_eq!(
        ivo.intent.as_ref().unwrap().motivation.as_deref(),
        Some("we run their ICT")
    );
    let track = &r.tracks[0];
    assert_eq!(track.form, grondvorm::model::Form::Functional);
    assert!(track.open.is_empty() && track.parked.is_empty());
    let contracting = track
        .aspects
        .iter()
        .find(|a| a.aspect == grondvorm::model::Aspect::Contracting)
        .unwrap();
    assert_eq!(
        contracting.agreed_text.as_deref(),
        Some("Service level agreements")
    );
    assert_eq!(
        contracting.matches,
        Some(grondvorm::model::Form::Functional)
    );
    assert!(!contracting.mixing_warning);
    assert_eq!(r.approvals.len(), 3);
    let closure = r.closure.as_ref().unwrap();
    assert!(!closure.forced);
    for text in [&md, &html] {
        for needle in [
            "Sell and lease-back",
            "Telecom supplier",
            "Consultancy",
            "Service level agreements",
            "we run their ICT",
        ] {
            assert!(text.contains(needle), "{needle} missing");
        }
    }
    assert!(md.contains("Final record: every partner approved it"));
    assert!(!md.contains("without the approval"));

    // A tampered copy fails.
    let tampered = json.replacen("Service level agreements", "Trade contracts", 1);
    assert!(matches!(
        record::verify(&tampered),
        Err(record::VerifyError::Mismatch { .. })
    ));
}

#[tokio::test]
async fn the_telecom_split_designs_two_tracks_and_flags_mixing() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.answer_telecom_case("improve", "share").await;
    room.reveal().await;
    let (telecom, ict) = (room.orgs.telecom.clone(), room.orgs.ict.clone());
    room.facilitator
        .ok(
            "split",
            json!({ "tracks": [
                { "name": "ICT services", "form": "functional" },
                { "name": "Product development", "form": "entrepreneurial", "organisations": [telecom, ict] }
            ], "rationale": "Services stay services; the products are a joint venture" }),
        )
        .await;
    room.facilitator.ok("start_design", json!({})).await;
    room.carla.event("phase_changed").await;
    // The consultancy takes no part in product development.
    let r = room.carla.respond(1, "contracting", "accept", None).await;
    assert_eq!(r["code"], "not_in_track");
    // On the functional track, Ivo picks the entrepreneurial principle: mixing.
    room.tess.respond(0, "finances", "accept", None).await;
    room.ivo
        .respond(0, "finances", "other_form", Some("entrepreneurial"))
        .await;
    room.facilitator
        .ok(
            "reveal_aspects",
            json!({ "track": 0, "aspect": "finances" }),
        )
        .await;
    let revealed = room.tess.event("aspects_revealed").await;
    let reveal = &revealed["event"]["reveals"][0];
    assert_eq!(reveal["disagreement"], true);
    assert_eq!(reveal["mixing"][0]["organisation"], room.orgs.ict.as_str());
    assert_eq!(reveal["mixing"][0]["track_form"], "functional");
    assert_eq!(reveal["mixing"][0]["chosen_form"], "entrepreneurial");
    room.facilitator
        .ok("agree_aspect", json!({ "track": 0, "aspect": "finances" }))
        .await;
    // On product development, both accept the entrepreneurial principle; one aspect is parked.
    room.tess.respond(1, "contracting", "accept", None).await;
    room.ivo.respond(1, "contracting", "accept", None).await;
    room.facilitator
        .ok(
            "reveal_aspects",
            json!({ "track": 1, "aspect": "contracting" }),
        )
        .await;
    room.facilitator
        .ok(
            "agree_aspect",
            json!({ "track": 1, "aspect": "contracting" }),
        )
        .await;
    room.facilitator
        .ok(
            "park_aspect",
            json!({ "track": 1, "aspect": "ict", "reason": "after the pilot" }),
        )
        .await;
    // Agreement on an unrevealed aspect is refused.
    room.facilitator
        .refused(
            "agree_aspect",
            json!({ "track": 1, "aspect": "identity" }),
            "aspect_not_revealed",
        )
        .await;

    let (_, json) = app
        .record(&room.session.id, &room.session.facilitator_token, "json")
        .await;
    let (_, md) = app
        .record(&room.session.id, &room.session.facilitator_token, "md")
        .await;
    let (_, html) = app
        .record(&room.session.id, &room.session.facilitator_token, "html")
        .await;
    let r = check_formats(&json, &md, &html);
    assert_eq!(r.status, record::RecordStatus::Draft);
    assert!(md.contains("Draft: the session is still open"));
    let split = r.resolutions.iter().find(|x| x.kind == "split").unwrap();
    assert_eq!(
        split.tracks,
        [
            "ICT services (Functional)",
            "Product development (Entrepreneurial)"
        ]
    );
    let disagreement = &r.rounds[0].disagreements[0];
    assert_eq!(
        disagreement.a_organisations,
        ["Telecom supplier", "Consultancy"]
    );
    assert_eq!(disagreement.b_organisations, ["ICT service provider"]);
    assert!(disagreement.explanation.to_lowercase().contains("telecom"));
    let ict_track = &r.tracks[0];
    assert_eq!(
        ict_track.organisations,
        ["Telecom supplier", "ICT service provider", "Consultancy"]
    );
    let finances = &ict_track.aspects[1];
    assert_eq!(
        finances.rounds[0].mixing[0].organisation,
        "ICT service provider"
    );
    assert_eq!(finances.dissenting, ["ICT service provider"]);
    assert_eq!(
        ict_track.open.len(),
        12,
        "the rest of the design is partial"
    );
    let product = &r.tracks[1];
    assert_eq!(
        product.organisations,
        ["Telecom supplier", "ICT service provider"]
    );
    assert_eq!(
        product.aspects[5].agreed_text.as_deref(),
        Some("Covenants, codes of conduct")
    );
    assert_eq!(product.parked, [grondvorm::model::Aspect::Ict]);
    assert_eq!(
        product.aspects[12].parked_reason.as_deref(),
        Some("after the pilot")
    );
    assert!(md.contains("Product development") && html.contains("Product development"));
    assert!(
        html.contains("Ivo (ICT service provider, another form&#39;s principle)")
            && html.contains("mixing: Entrepreneurial in a track of Functional"),
        "the mixing warning names who and what"
    );
}

#[tokio::test]
async fn an_objection_in_review_reopens_the_aspect_it_names() {
    let app = TestApp::spawn().await;
    let mut room = agreed_room(&app).await;
    all_accept(&mut room, 0, &["ict"]).await;
    room.facilitator
        .ok("reveal_aspects", json!({ "track": 0, "aspect": "ict" }))
        .await;
    room.facilitator
        .ok("agree_aspect", json!({ "track": 0, "aspect": "ict" }))
        .await;
    room.facilitator.ok("open_review", json!({})).await;
    room.tess.event("phase_changed").await;
    room.tess.ok("approve", json!({})).await;
    room.ivo
        .ok("object", json!({ "reason": "ICT needs its own agreements", "aspects": [{ "track": 0, "aspect": "ict" }] }))
        .await;
    let reopened = room.carla.event("objection_raised").await;
    assert_eq!(
        reopened["event"]["aspects"],
        json!([{ "track": 0, "aspect": "ict" }])
    );
    let snap = room.carla.snapshot().await;
    assert_eq!(snap["session"]["phase"], "design", "back to design");
    assert_eq!(snap["approvals"], json!([]), "approvals start over");
    let ict = &snap["tracks"][0]["aspects"][12];
    assert_eq!(
        (ict["status"].as_str(), ict["round"].as_u64()),
        (Some("open"), Some(2))
    );

    room.ivo
        .respond(0, "ict", "own", Some("Extranet plus a shared service desk"))
        .await;
    room.tess.respond(0, "ict", "accept", None).await;
    room.facilitator
        .ok("reveal_aspects", json!({ "track": 0, "aspect": "ict" }))
        .await;
    room.facilitator
        .ok(
            "agree_aspect",
            json!({ "track": 0, "aspect": "ict", "text": "Extranet plus a shared service desk" }),
        )
        .await;
    room.facilitator.ok("open_review", json!({})).await;
    room.ivo.event("phase_changed").await;
    room.ivo.ok("approve", json!({})).await;
    room.tess.ok("approve", json!({})).await;
    room.facilitator
        .refused("close", json!({}), "not_all_approved")
        .await;
    room.carla
        .ok("object", json!({ "reason": "We advise, we do not sign" }))
        .await;
    room.facilitator.ok("close", json!({ "force": true })).await;

    let (_, json) = app
        .record(&room.session.id, &room.tokens["tom"], "json")
        .await;
    let r: record::Record = serde_json::from_str(&json).unwrap();
    assert_eq!(r.objections.len(), 2);
    assert_eq!(r.objections[0].organisation, "ICT service provider");
    assert_eq!(r.objections[0].aspects.len(), 1);
    let ict = &r.tracks[0].aspects[12];
    assert_eq!(
        ict.rounds.len(),
        2,
        "both rounds of the aspect are in the record"
    );
    assert_eq!(
        ict.agreed_text.as_deref(),
        Some("Extranet plus a shared service desk")
    );
    assert_eq!(ict.matches, None);
    let closure = r.closure.unwrap();
    assert!(closure.forced);
    assert_eq!(closure.not_approved, ["Consultancy"]);
}

#[tokio::test]
async fn the_record_after_a_restart_is_byte_identical_and_export_reads_the_database() {
    let app = TestApp::spawn().await;
    let mut room = agreed_room(&app).await;
    all_accept(&mut room, 0, &["identity", "key_roles"]).await;
    room.facilitator
        .ok(
            "reveal_aspects",
            json!({ "track": 0, "cluster": "behaviour" }),
        )
        .await;
    room.facilitator
        .ok(
            "add_note",
            json!({ "track": 0, "aspect": "identity", "text": "Revisit after the merger" }),
        )
        .await;
    let session = room.session.id.clone();
    let token = room.session.facilitator_token.clone();
    let mut before = Vec::new();
    for f in ["json", "md", "html"] {
        before.push(app.record(&session, &token, f).await.1);
    }
    let app = app.restart().await;
    for (i, f) in ["json", "md", "html"].into_iter().enumerate() {
        assert_eq!(
            app.record(&session, &token, f).await.1,
            before[i],
            "{f} differs after restart"
        );
    }
    assert!(before[1].contains("Revisit after the merger"));

    // `grondvorm export` reads the same record straight from the database file.
    let dir = app.stop().await;
    let db = TestApp::database_url(&dir).await;
    for (i, f) in ["json", "md", "html"].into_iter().enumerate() {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_grondvorm"))
            .args(["export", &session, "--format", f])
            .env("DATABASE_URL", &db)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            before[i],
            "export {f}"
        );
    }
    // And `grondvorm verify` accepts the copy and refuses a tampered one.
    let file = dir.path().join("record.json");
    std::fs::write(&file, &before[0]).unwrap();
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_grondvorm"))
        .args(["verify", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(ok.status.success());
    std::fs::write(
        &file,
        before[0].replace("Revisit after the merger", "Revisit later"),
    )
    .unwrap();
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_grondvorm"))
        .args(["verify", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    // An unknown session or a missing database is a clear error, not an empty record.
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_grondvorm"))
        .args(["export", &uuid::Uuid::new_v4().to_string()])
        .env("DATABASE_URL", &db)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let nodb = std::process::Command::new(env!("CARGO_BIN_EXE_grondvorm"))
        .args(["export", &session])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/nope.db", dir.path().display()),
        )
        .output()
        .unwrap();
    assert_eq!(nodb.status.code(), Some(2));
    assert!(
        !dir.path().join("nope.db").exists(),
        "export creates no database"
    );
}
