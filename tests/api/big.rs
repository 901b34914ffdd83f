//! Messages of any size the protocol allows reach everyone: a reveal of long responses that is
//! one event of more than 1 MiB, and a snapshot of several MiB for a fresh connection.

use crate::helpers::{Client, TestApp};
use serde_json::{Value, json};

/// 20 representatives, each with long responses (multi-byte text near the length limit) to all
/// 13 aspects of one track.
const REPS: usize = 20;

fn long_text(who: usize, aspect: &str) -> String {
    let head = format!("{who} on {aspect}: ");
    let fill = 1990 - head.chars().count();
    format!("{head}{}", "é".repeat(fill))
}

/// A session in design with everyone in one form: its id, the facilitator's token and
/// connection, and the representatives' connections.
async fn designing(app: &TestApp) -> (String, String, Client, Vec<Client>) {
    let session = app.create_session("A crowded reveal").await;
    let mut reps = Vec::new();
    for i in 0..REPS {
        let joined = app
            .join(&session.id, &format!("Rep {i}"), &format!("Org {i}"))
            .await;
        reps.push(app.connect(&session.id, &joined.token, None).await);
    }
    let mut facilitator = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    facilitator.ok("start_positioning", json!({})).await;
    for r in &mut reps {
        r.answer("improve", "share", "we pool our operations").await;
    }
    facilitator.ok("reveal", json!({})).await;
    facilitator.ok("start_design", json!({})).await;
    facilitator.event("phase_changed").await;
    for (i, r) in reps.iter_mut().enumerate() {
        for aspect in grondvorm::model::Aspect::ALL {
            let id = aspect.id();
            let ack = r
                .command(
                    "respond",
                    json!({
                        "track": 0, "aspect": id, "choice": "own",
                        "text": long_text(i, id), "comment": long_text(i, "why"),
                    }),
                )
                .await;
            assert_eq!(ack["type"], "ack", "{ack}");
        }
    }
    (session.id, session.facilitator_token, facilitator, reps)
}

#[tokio::test]
async fn an_event_of_more_than_a_mebibyte_and_a_snapshot_of_several_reach_everyone() {
    let app = TestApp::spawn().await;
    let (session, token, mut facilitator, mut reps) = designing(&app).await;

    facilitator
        .ok(
            "reveal_aspects",
            json!({ "track": 0, "cluster": "governance" }),
        )
        .await;
    let seen = facilitator.event("aspects_revealed").await;
    let size = largest(&facilitator);
    assert!(
        size > 1024 * 1024,
        "the reveal is one event of {size} bytes"
    );
    eprintln!("one event of {size} bytes reached the facilitator and {REPS} representatives");
    assert_eq!(seen["event"]["reveals"].as_array().unwrap().len(), 6);
    for r in &mut reps {
        let e = r.event("aspects_revealed").await;
        assert_eq!(e["seq"], seen["seq"]);
        r.still_usable().await;
    }

    for cluster in ["behaviour", "operational"] {
        facilitator
            .ok("reveal_aspects", json!({ "track": 0, "cluster": cluster }))
            .await;
    }
    // A fresh connection (a reload of the board) gets the whole session as one snapshot.
    let mut fresh = app.open_socket(&session, None).await;
    fresh
        .send(&json!({ "type": "hello", "token": token }))
        .await;
    fresh.expect(|m| m["type"] == "welcome").await;
    let snapshot: Value = fresh.expect(|m| m["type"] == "snapshot").await;
    let bytes = largest(&fresh);
    assert!(bytes > 3 * 1024 * 1024, "the snapshot has {bytes} bytes");
    eprintln!("a fresh connection got a snapshot of {bytes} bytes");
    let aspects = snapshot["state"]["tracks"][0]["aspects"]
        .as_array()
        .unwrap();
    assert!(aspects.iter().all(|a| a["status"] == "revealed"));
    assert_eq!(
        aspects[0]["reveals"][0]["responses"]
            .as_array()
            .unwrap()
            .len(),
        REPS
    );
    fresh.expect(|m| m["type"] == "presence").await;
    fresh.still_usable().await;
}

/// The size of the largest message a client received.
fn largest(client: &Client) -> usize {
    client.raw.iter().map(String::len).max().unwrap_or(0)
}
