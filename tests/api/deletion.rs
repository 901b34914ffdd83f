//! Deleting a session: only a facilitator who confirms it with the title, everything of it gone
//! in one go (the one time events are removed), every connection closed, every link dead, and
//! an exported record still verifiable. Closed sessions purged after the operator's days.

use crate::helpers::{TestApp, room};
use grondvorm::session::{
    Command, Create, FreeText, Limits, Name, ParticipantId, SessionId, State, Title,
};
use serde_json::{Value, json};

async fn delete(app: &TestApp, session: &str, token: &str, confirm: &str) -> (u16, Value) {
    let r = app
        .http
        .delete(app.url(&format!("/api/sessions/{session}")))
        .bearer_auth(token)
        .json(&json!({ "confirm": confirm }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_facilitator_deletes_a_session_and_nothing_of_it_is_left_but_a_verifiable_copy() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    room.tess.answer("improve", "share", "personal words").await;
    let id = room.session.id.clone();
    let (_, exported) = app
        .record(&id, &room.session.facilitator_token, "json")
        .await;
    // A representative may not; a facilitator must type the title.
    let (status, body) = delete(&app, &id, &room.tokens["tess"], "Sell and lease-back").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let (status, body) = delete(&app, &id, &room.session.facilitator_token, "sell and").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("not_confirmed"))
    );
    room.tess.still_usable().await;

    if let Some(path) = sqlite_file(&app) {
        assert!(
            in_file(&path, b"personal words"),
            "the answer is stored before"
        );
    }
    let (status, body) = delete(
        &app,
        &id,
        &room.session.facilitator_token,
        "Sell and lease-back",
    )
    .await;
    assert_eq!(status, 204, "{body}");
    for c in room.clients() {
        let closed = c.expect(|m| m["type"] == "closed").await;
        assert_eq!(closed["code"], 4005, "{closed}");
    }
    let (status, body) = app.get(&format!("/api/sessions/{id}")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("unknown_session"))
    );
    let (status, _) = app
        .record(&id, &room.session.facilitator_token, "json")
        .await;
    assert_eq!(status, 401, "its tokens are gone");
    let (status, _) = app
        .post(
            &format!("/api/sessions/{id}/join"),
            &json!({ "name": "Late", "organisation_name": "X" }),
        )
        .await;
    assert_eq!(status, 404);
    // The copy taken before still verifies: its hash needs no database.
    assert!(grondvorm::record::verify(&exported).is_ok());

    // The rows are gone from the database itself, personal words and all.
    let store = grondvorm::store::Store::open_existing(&TestApp::database_url(&app.dir).await)
        .await
        .unwrap();
    let session: SessionId = id.parse().unwrap();
    assert!(store.load(session).await.unwrap().is_none());
    assert!(store.is_deleted(session).await.unwrap());
    store.close().await;
    // Not even in the file's free pages or its write-ahead log.
    if let Some(path) = sqlite_file(&app) {
        assert!(
            !in_file(&path, b"personal words"),
            "the deleted answer is still in the database file"
        );
    }
}

/// Whether the SQLite file or its write-ahead log holds these bytes anywhere.
fn in_file(path: &std::path::Path, needle: &[u8]) -> bool {
    let bytes = std::fs::read(path).unwrap();
    let wal = std::fs::read(format!("{}-wal", path.display())).unwrap_or_default();
    [bytes, wal]
        .concat()
        .windows(needle.len())
        .any(|w| w == needle)
}

fn sqlite_file(app: &TestApp) -> Option<std::path::PathBuf> {
    crate::helpers::postgres_url()
        .is_none()
        .then(|| TestApp::db_path(&app.dir))
}

/// A session that was closed long ago, written straight into the store through the core.
async fn closed_long_ago(url: &str) -> SessionId {
    let store = grondvorm::store::Store::open(url).await.unwrap();
    let session = SessionId::new_random();
    let facilitator = ParticipantId::new_random();
    let mut state = State::default();
    let at = chrono::DateTime::parse_from_rfc3339("2020-03-01T09:00:00Z")
        .unwrap()
        .to_utc();
    let commands = [
        Command::Create(Create {
            title: Title::parse("Long ago").unwrap(),
            language: grondvorm::model::Lang::En,
            facilitator,
            facilitator_name: Name::parse("name", "Fran").unwrap(),
            auto_reveal: false,
            join_code: None,
            time_zone: None,
            mode: Default::default(),
            subject: Default::default(),
            baseline: None,
        }),
        Command::AddNote {
            about: Default::default(),
            text: FreeText::parse("text", "old notes").unwrap(),
        },
    ];
    for c in commands {
        let by = (!matches!(c, Command::Create(_))).then_some(facilitator);
        let recorded = grondvorm::session::execute(&Limits::default(), &state, by, &c, at).unwrap();
        store
            .append(grondvorm::store::Append {
                session,
                events: &recorded,
                command: None,
                tokens: &[],
                revoke: &[],
                revoke_invites: false,
                invite: None,
                join_code: None,
                release_code: false,
                checkpoint: None,
            })
            .await
            .unwrap();
        for r in &recorded {
            state.apply(r);
        }
    }
    // Lobby → closed takes a whole session; the log only needs the closing event.
    let closing = grondvorm::session::stamp(
        state.last_seq,
        vec![grondvorm::session::Event::SessionClosed {
            forced: true,
            approved: vec![],
            not_approved: vec![],
        }],
        at,
        Some(facilitator),
    );
    store
        .append(grondvorm::store::Append {
            session,
            events: &closing,
            command: None,
            tokens: &[],
            revoke: &[],
            revoke_invites: false,
            invite: None,
            join_code: None,
            release_code: true,
            checkpoint: None,
        })
        .await
        .unwrap();
    store.close().await;
    session
}

#[tokio::test]
async fn closed_sessions_are_purged_after_the_operators_days_and_open_ones_stay() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let url = TestApp::database_url(&dir).await;
    let old = closed_long_ago(&url).await;
    let app = TestApp::spawn_in(dir, |c| c.purge_closed_after_days = 30).await;
    let open = app.create_session("Still going").await;
    // The purge runs at start-up: wait for it to have taken the old session.
    let store = grondvorm::store::Store::open_existing(&url).await.unwrap();
    let deadline = tokio::time::Instant::now() + crate::helpers::WAIT;
    while !store.is_deleted(old).await.unwrap() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the old session was not purged"
        );
        tokio::task::yield_now().await;
    }
    assert!(store.load(old).await.unwrap().is_none());
    let (status, _) = app.get(&format!("/api/sessions/{}", open.id)).await;
    assert_eq!(status, 200, "an open session stays");
    store.close().await;
}
