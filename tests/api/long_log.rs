//! A long log: a session of more than two thousand events is loaded from its latest checkpoint
//! and the events after it, and its task keeps only the tail of the log. Across a restart it is
//! the same session: its snapshot, a reconnecting client's catch-up, a retried command from long
//! before the tail, and a record of every event.

use crate::helpers::{Client, TestApp};
use serde_json::json;

/// Notes enough for four checkpoints and a trimmed tail.
const NOTES: usize = 2200;

/// Sends the notes in batches, as a busy facilitator's page might, and waits for every ack.
async fn add_notes(fac: &mut Client, from: usize, to: usize) {
    for batch in (from..to).collect::<Vec<_>>().chunks(100) {
        for i in batch {
            fac.send(&json!({
                "type": "command", "id": format!("note-{i}"), "command": "add_note",
                "args": { "text": format!("note number {i}") },
            }))
            .await;
        }
        for i in batch {
            let id = format!("note-{i}");
            let ack = fac
                .expect(move |m| (m["type"] == "ack" || m["type"] == "error") && m["id"] == id)
                .await;
            assert_eq!(ack["type"], "ack", "{ack}");
        }
    }
}

/// The facilitator's connection, after opening positioning with the command id `start-1`; its ack.
async fn start(app: &TestApp, session: &str, token: &str) -> (Client, serde_json::Value) {
    let mut fac = app.connect(session, token, None).await;
    let started = fac
        .command_with_id("start-1", "start_positioning", json!({}))
        .await;
    assert_eq!(started["type"], "ack", "{started}");
    (fac, started)
}

/// Retries from long before the tail get their first outcome: `start-1`, which would be refused
/// now (positioning has started), and note `note`, which would be applied again.
async fn old_retries_get_their_first_outcome(
    fac: &mut Client,
    started: &serde_json::Value,
    note: usize,
) {
    let again = fac
        .command_with_id("start-1", "start_positioning", json!({}))
        .await;
    assert_eq!(again["type"], "ack", "{again}");
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["first_seq"], started["first_seq"]);
    let retried = fac
        .command_with_id(
            &format!("note-{note}"),
            "add_note",
            json!({ "text": format!("note number {note}") }),
        )
        .await;
    assert_eq!(retried["duplicate"], true, "{retried}");
}

#[tokio::test]
async fn a_session_with_a_long_log_is_the_same_after_a_restart() {
    let app = TestApp::spawn().await;
    let session = app.create_session("A long day").await;
    let tess = app.join(&session.id, "Tess", "Telecom supplier").await;
    let (mut fac, started) = start(&app, &session.id, &session.facilitator_token).await;
    add_notes(&mut fac, 0, NOTES / 2).await;
    // Tess answers blind in between: her answer must survive the checkpoints, unrevealed.
    let mut tess_c = app.connect(&session.id, &tess.token, None).await;
    tess_c
        .answer("improve", "share", "motive-kept-in-a-checkpoint")
        .await;
    add_notes(&mut fac, NOTES / 2, NOTES).await;
    let before = fac.snapshot().await;
    let tess_before = tess_c.snapshot().await;
    let last = before["seq"].as_u64().unwrap();
    assert!(last > 2200, "{last}");

    // The live task trimmed its tail, and still catches a client up on the last 1000 events.
    let back = app
        .connect(&session.id, &session.facilitator_token, Some(last - 1000))
        .await;
    assert_eq!(back.count("note_added"), 1000);
    back.close().await;
    drop((fac, tess_c));

    let app = app.restart().await;
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    assert_eq!(
        fac.snapshot().await,
        before,
        "the same session after a restart"
    );
    let mut tess_c = app.connect(&session.id, &tess.token, None).await;
    let tess_after = tess_c.snapshot().await;
    assert_eq!(tess_after, tess_before);
    assert_eq!(
        tess_after["my_answers"]["intent"]["motivation"],
        "motive-kept-in-a-checkpoint"
    );
    assert!(!fac.all_text().contains("motive-kept"), "still blind");

    old_retries_get_their_first_outcome(&mut fac, &started, 0).await;
    assert_eq!(
        fac.snapshot().await["seq"].as_u64(),
        Some(last),
        "nothing applied twice"
    );

    // A reconnecting client still catches up on events after the restart.
    let back = app
        .connect(&session.id, &session.facilitator_token, Some(last - 1000))
        .await;
    assert_eq!(back.count("note_added"), 1000);

    // The record holds every event, the first notes included.
    let (status, record) = app
        .record(&session.id, &session.facilitator_token, "md")
        .await;
    assert_eq!(status, 200);
    for i in [0, NOTES / 2, NOTES - 1] {
        assert!(record.contains(&format!("note number {i}")), "note {i}");
    }
}

#[tokio::test]
async fn a_client_that_reads_the_whole_log_after_a_reload_leaves_old_retries_answered() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Half a day").await;
    let (mut fac, started) = start(&app, &session.id, &session.facilitator_token).await;
    add_notes(&mut fac, 0, 600).await;
    drop(fac);
    // Loaded from the checkpoint at 500; a client asking for everything brings the whole log
    // back into memory, but not the command ids behind it.
    let app = app.restart().await;
    let everything = app
        .connect(&session.id, &session.facilitator_token, Some(0))
        .await;
    assert_eq!(everything.count("note_added"), 600);
    let mut fac = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    old_retries_get_their_first_outcome(&mut fac, &started, 1).await;
}
