//! Sync by changes over real WebSockets: a connection that says `"sync": "patches"` in its
//! hello gets a snapshot and then, per event, what changed in its view; applied by the
//! standard (RFC 6902), its copy is the snapshot the server would send it, for every role, and
//! what it receives per event is the size of the change, not of the session.

use crate::helpers::{Client, TestApp, room};
use serde_json::{Value, json};

/// A connection that syncs by changes, and its copy of the session.
struct Page {
    client: Client,
    state: Value,
    /// The bytes of each `patch` message received.
    sizes: Vec<usize>,
}

impl Page {
    async fn open(app: &TestApp, session: &str, token: &str) -> Page {
        let mut client = app.open_socket(session, None).await;
        client
            .send(&json!({ "type": "hello", "token": token, "sync": "patches", "last_seq": 1 }))
            .await;
        let welcome = client.expect(|m| m["type"] == "welcome").await;
        assert_eq!(
            welcome["resume"], "snapshot",
            "changes are not kept: a page that syncs by them starts from a snapshot"
        );
        let state = client.expect(|m| m["type"] == "snapshot").await["state"].clone();
        client.expect(|m| m["type"] == "presence").await;
        Page {
            client,
            state,
            sizes: Vec::new(),
        }
    }

    fn seq(&self) -> u64 {
        self.state["seq"].as_u64().unwrap()
    }

    /// Applies patches until the copy is current to `seq`; no `event` ever arrives.
    async fn until(&mut self, seq: u64) {
        while self.seq() < seq {
            let m = self
                .client
                .expect(|m| m["type"] == "patch" || m["type"] == "event")
                .await;
            assert_eq!(m["type"], "patch", "{m}");
            assert_eq!(
                m["seq"].as_u64().unwrap(),
                self.seq() + 1,
                "patches come in order"
            );
            self.sizes.push(m.to_string().len());
            let patch: json_patch::Patch = serde_json::from_value(m["ops"].clone()).unwrap();
            json_patch::patch(&mut self.state, &patch).unwrap();
        }
    }

    /// Catches up to `seq` and checks the copy against a fresh snapshot.
    async fn matches_snapshot(&mut self, seq: u64) {
        self.until(seq).await;
        let fresh = self.client.snapshot().await;
        assert_eq!(self.state, fresh);
    }
}

/// The `ict` aspect of the first track in a copy.
fn ict(state: &Value) -> &Value {
    state["tracks"][0]["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["aspect"] == "ict")
        .unwrap()
}

fn last_seq(ack: &Value) -> u64 {
    ack["last_seq"].as_u64().unwrap()
}

#[tokio::test]
async fn a_page_that_syncs_by_changes_holds_its_snapshot_through_a_whole_session() {
    let app = TestApp::spawn().await;
    let mut r = room(&app).await;
    let id = r.session.id.clone();
    let mut facilitator = Page::open(&app, &id, &r.session.facilitator_token).await;
    let mut tess = Page::open(&app, &id, &r.tokens["tess"]).await;
    let mut ivo = Page::open(&app, &id, &r.tokens["ivo"]).await;
    let (_, board_token) = app.board_link(&r.session, "Projector").await;
    let mut board = Page::open(&app, &id, &board_token).await;
    let mut pages = [&mut facilitator, &mut tess, &mut ivo, &mut board];

    // Blind answers: Tess's own copy shows hers; nobody else's patches carry it.
    r.answer_telecom_case("improve", "exchange").await;
    let seq = r.facilitator.snapshot().await["seq"].as_u64().unwrap();
    for p in pages.iter_mut() {
        p.until(seq).await;
    }
    assert_eq!(tess.state["my_answers"]["intent"]["pole"], "improve");
    assert_eq!(ivo.state["my_answers"]["intent"]["pole"], "innovate");
    for p in [&facilitator, &ivo, &board] {
        let seen = p.client.all_text();
        assert!(!seen.contains("motive-of-tess"), "{seen}");
        assert_eq!(p.state["participants"][1]["answered"]["intent"], true);
    }

    let seq = last_seq(&r.facilitator.ok("reveal", json!({ "force": false })).await);
    for p in [&mut facilitator, &mut tess, &mut ivo, &mut board] {
        p.matches_snapshot(seq).await;
    }
    assert!(
        tess.state["my_answers"].is_null(),
        "the reveal ends the round"
    );
    assert!(facilitator.client.all_text().contains("motive-of-tess"));

    r.facilitator
        .ok(
            "decide_form",
            json!({ "form": "functional", "rationale": "The SLA covers ICT services only." }),
        )
        .await;
    r.facilitator.ok("start_design", json!({})).await;
    r.tess
        .ok(
            "respond",
            json!({ "track": 0, "aspect": "ict", "choice": "own", "text": "tess-own-desk" }),
        )
        .await;
    let seq = last_seq(
        &r.ivo
            .ok(
                "respond",
                json!({ "track": 0, "aspect": "ict", "choice": "accept" }),
            )
            .await,
    );
    for p in [&mut facilitator, &mut tess, &mut ivo, &mut board] {
        p.matches_snapshot(seq).await;
    }
    assert_eq!(
        ict(&tess.state)["my_response"]["choice"]["text"],
        "tess-own-desk"
    );
    for p in [&facilitator, &ivo, &board] {
        assert!(!p.client.all_text().contains("tess-own-desk"));
    }

    r.facilitator
        .ok("reveal_aspects", json!({ "track": 0, "aspect": "ict" }))
        .await;
    r.facilitator
        .ok(
            "agree_aspect",
            json!({ "track": 0, "aspect": "ict", "text": "One service desk for both companies" }),
        )
        .await;
    // A board link made or revoked is the facilitators' business only.
    let (observer, _) = app.board_link(&r.session, "Second screen").await;
    let merged = r
        .facilitator
        .ok(
            "merge_organisations",
            json!({ "from": r.orgs.consultancy, "into": r.orgs.ict }),
        )
        .await;
    let seq = last_seq(&merged);
    for p in [&mut facilitator, &mut tess, &mut ivo, &mut board] {
        p.matches_snapshot(seq).await;
    }
    assert!(
        facilitator.state["board_links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["id"] == observer.as_str()),
        "{}",
        facilitator.state["board_links"]
    );
    assert!(!board.client.all_text().contains("Second screen"));
    assert!(!ivo.client.all_text().contains("Second screen"));
    assert_eq!(ict(&ivo.state)["status"], "agreed", "{}", ict(&ivo.state));
}

#[tokio::test]
async fn what_a_page_receives_per_event_is_the_size_of_the_change() {
    let app = TestApp::spawn().await;
    let mut r = room(&app).await;
    let id = r.session.id.clone();
    let mut page = Page::open(&app, &id, &r.tokens["carla"]).await;
    let note =
        |i: usize| json!({ "text": format!("note {i}: {}", "a fairly long note ".repeat(10)) });
    let mut seq = 0;
    for i in 0..200 {
        seq = last_seq(&r.facilitator.ok("add_note", note(i)).await);
    }
    page.matches_snapshot(seq).await;
    let snapshot = page
        .client
        .raw
        .iter()
        .rev()
        .find(|m| m.starts_with(r#"{"type":"snapshot""#))
        .unwrap()
        .len();
    let (first, last) = (page.sizes[0], *page.sizes.last().unwrap());
    assert!(
        last < first * 2,
        "the 200th note costs what the first did: {first} vs {last} bytes"
    );
    assert!(
        last * 50 < snapshot,
        "a note's patch ({last} bytes) is far smaller than the snapshot ({snapshot} bytes)"
    );
}

#[tokio::test]
async fn a_hello_with_an_unknown_sync_is_refused_and_opens_nothing() {
    let app = TestApp::spawn().await;
    let session = app.create_session("Sync").await;
    let mut client = app.open_socket(&session.id, None).await;
    client
        .send(&json!({ "type": "hello", "token": session.facilitator_token, "sync": "diffs" }))
        .await;
    let error = client.expect(|m| m["type"] == "error").await;
    assert_eq!(error["code"], "invalid_arguments", "{error}");
    // The connection is still waiting for a valid hello.
    client
        .send(&json!({ "type": "hello", "token": session.facilitator_token, "sync": "events" }))
        .await;
    let welcome = client.expect(|m| m["type"] == "welcome").await;
    assert_eq!(welcome["role"], "facilitator");
}
