//! Durability: a restart restores every session exactly; a reconnect gets exactly what it
//! missed; a retried command id is applied once; idle sessions leave memory and come back.

use crate::helpers::TestApp;
use crate::helpers::room;
use serde_json::{Value, json};

/// The snapshot without the parts that describe the connection rather than the session.
fn session_part(snapshot: &Value) -> Value {
    let mut s = snapshot.clone();
    s.as_object_mut().unwrap().remove("me");
    s
}

#[tokio::test]
async fn a_restart_in_the_middle_of_a_session_restores_it_exactly() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.answer_telecom_case("improve", "share").await;
    room.reveal().await;
    room.facilitator
        .ok(
            "decide_form",
            json!({ "form": "functional", "rationale": "SLA first" }),
        )
        .await;
    // And a second session, mid-positioning, with a secret answer in it.
    let other = app.create_session("Second workshop").await;
    let olga = app.join(&other.id, "Olga", "Harbour").await;
    let mut olga_c = app.connect(&other.id, &olga.token, None).await;
    let mut other_fac = app.connect(&other.id, &other.facilitator_token, None).await;
    other_fac.ok("start_positioning", json!({})).await;
    olga_c.event("positioning_started").await;
    olga_c.ok("answer", json!({ "axis": "intent", "pole": "innovate", "strength": 1, "motivation": "olga-secret" })).await;

    let before = session_part(&room.facilitator.snapshot().await);
    let olga_before = olga_c.snapshot().await;
    let other_fac_before = other_fac.snapshot().await;
    let session_id = room.session.id.clone();
    let fac_token = room.session.facilitator_token.clone();
    let olga_token = olga.token.clone();
    let fac_token_2 = other.facilitator_token.clone();

    let app = app.restart().await;
    // The old connections were told the server went away (1012).
    let closed = room.tess.expect(|m| m["type"] == "closed").await;
    assert_eq!(closed["code"], 1012);

    let mut fac = app.connect(&session_id, &fac_token, None).await;
    let after = session_part(&fac.snapshot().await);
    assert_eq!(before, after, "the whole session is restored");
    assert_eq!(after["gate"]["resolved_by"], "decided");
    let mut olga_c = app.connect(&other.id, &olga_token, None).await;
    assert_eq!(
        olga_c.snapshot().await,
        olga_before,
        "including Olga's own unrevealed answer"
    );
    let mut other_fac = app.connect(&other.id, &fac_token_2, None).await;
    let fac_view = other_fac.snapshot().await;
    assert_eq!(fac_view, other_fac_before);
    assert!(
        !fac_view.to_string().contains("olga-secret"),
        "and it is still secret"
    );

    // The session goes on where it was.
    let ack = fac.ok("start_design", json!({})).await;
    let snap = fac.snapshot().await;
    assert_eq!(snap["session"]["phase"], "design", "{ack} {snap}");
}

#[tokio::test]
async fn a_reconnect_with_a_sequence_number_receives_exactly_what_it_missed() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    let session = room.session.id.clone();
    let carla_seen = room.carla.last_seq;
    // Carla drops (her page is replaced by a second facilitator tab); the others go on.
    let extra = app
        .connect(&session, &room.session.facilitator_token, None)
        .await;
    std::mem::replace(&mut room.carla, extra).close().await;
    room.tess
        .answer("improve", "share", "while-carla-was-away")
        .await;
    room.ivo.answer("innovate", "share", "ivo-away").await;
    room.facilitator
        .ok(
            "update_settings",
            json!({ "new_organisations_allowed": false }),
        )
        .await;
    let now = room.facilitator.snapshot().await["seq"].as_u64().unwrap();
    assert_eq!(now, carla_seen + 5);

    let mut carla = app
        .connect(&session, &room.tokens["carla"], Some(carla_seen))
        .await;
    // Exactly the five events she missed, in order, as she may see them, then nothing more.
    let missed: Vec<Value> = carla
        .raw
        .iter()
        .map(|m| serde_json::from_str::<Value>(m).unwrap())
        .filter(|v| v["type"] == "event")
        .collect();
    let seqs: Vec<u64> = missed.iter().map(|v| v["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, ((carla_seen + 1)..=now).collect::<Vec<_>>());
    assert!(
        !carla.all_text().contains("while-carla-was-away"),
        "still blind"
    );
    assert!(
        carla.raw.iter().all(|m| !m.contains("\"snapshot\"")),
        "events, not a snapshot"
    );
    let welcome: Value = serde_json::from_str(&carla.raw[0]).unwrap();
    assert_eq!(welcome["resume"], "events");
    assert_eq!(welcome["seq"], now);

    // Live again: the next event arrives as usual.
    room.facilitator
        .ok("update_settings", json!({ "auto_reveal": true }))
        .await;
    let next = carla.event("settings_changed").await;
    assert_eq!(next["seq"], now + 1);

    // Without a sequence number, or with one from the future, a snapshot instead.
    let fresh = app.connect(&session, &room.tokens["carla"], None).await;
    let welcome: Value = serde_json::from_str(&fresh.raw[0]).unwrap();
    assert_eq!(welcome["resume"], "snapshot");
    let future = app
        .connect(&session, &room.tokens["carla"], Some(now + 100))
        .await;
    let welcome: Value = serde_json::from_str(&future.raw[0]).unwrap();
    assert_eq!(welcome["resume"], "snapshot");
}

#[tokio::test]
async fn a_retried_command_id_is_applied_once_even_across_a_restart() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    let args = json!({ "axis": "intent", "pole": "improve", "strength": 2 });
    let first = room
        .tess
        .command_with_id("retry-1", "answer", args.clone())
        .await;
    assert_eq!(first["type"], "ack");
    assert_eq!(first["duplicate"], false);
    let seq = first["first_seq"].as_u64().unwrap();
    let second = room
        .tess
        .command_with_id("retry-1", "answer", args.clone())
        .await;
    assert_eq!(second["duplicate"], true);
    assert_eq!(second["first_seq"], seq);
    assert_eq!(second["last_seq"], seq);
    assert_eq!(
        room.facilitator.snapshot().await["seq"],
        seq,
        "no second event"
    );

    // The same id from another person is their own command.
    let other = room
        .tom
        .command_with_id("retry-1", "answer", args.clone())
        .await;
    assert_eq!(other["duplicate"], false);
    assert_eq!(other["first_seq"], seq + 1);

    let session = room.session.id.clone();
    let token = room.tokens["tess"].clone();
    let app = app.restart().await;
    let mut tess = app.connect(&session, &token, None).await;
    let again = tess.command_with_id("retry-1", "answer", args).await;
    assert_eq!(
        again["duplicate"], true,
        "remembered across a restart: {again}"
    );
    assert_eq!(again["first_seq"], seq);
    assert_eq!(tess.snapshot().await["seq"], seq + 1);
}

#[tokio::test]
async fn an_idle_session_leaves_memory_and_is_reloaded_on_demand() {
    let app = TestApp::spawn_with(|c| c.idle_timeout_secs = 0).await;
    let session = app.create_session("Idle").await;
    let joined = app.join(&session.id, "Ida", "Idle Inc").await;
    // Nobody connected and an idle timeout of zero: the session leaves memory.
    let deadline = tokio::time::Instant::now() + crate::helpers::WAIT;
    loop {
        let (_, health) = app.get("/healthz").await;
        if health["active_sessions"] == 0 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "session never left memory"
        );
        tokio::task::yield_now().await;
    }
    let mut ida = app.connect(&session.id, &joined.token, None).await;
    let snap = ida.snapshot().await;
    assert_eq!(snap["session"]["title"], "Idle");
    assert_eq!(snap["organisations"][0]["name"], "Idle Inc");
    let (_, health) = app.get("/healthz").await;
    assert_eq!(health["active_sessions"], 1);
}
