//! An honest connection: a phone whose network goes away says so within about five seconds,
//! the others see that person's connection as lost, what the person does meanwhile waits and
//! is sent once the network is back. And a board link revoked mid-session stops its screen.

use crate::harness::{Person, Proxy, available, one_at_a_time};
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_lost_network_shows_within_seconds_and_what_was_done_meanwhile_is_sent_after() {
    let Some(exe) = available() else { return };
    let _turn = one_at_a_time().await;
    let app = TestApp::spawn_with(|c| {
        c.ping_interval_secs = 1;
        c.stale_after_secs = 2;
    })
    .await;
    let session = app.create_session("Flaky network").await;
    let tess = app.join(&session.id, "Tess", "Telecom supplier").await;
    let fac = Person::laptop(
        &exe,
        &app.url(&format!(
            "/session/{}#token={}",
            session.id, session.facilitator_token
        )),
    )
    .await;
    // Tess's phone reaches the server through a network that can fail.
    let network = Proxy::to(app.addr).await;
    let phone = Person::phone(
        &exe,
        &network.url(&format!("/session/{}#token={}", session.id, tess.token)),
    )
    .await;
    let on_board = |status: &str| {
        format!(
            "document.querySelector('li[data-person=\"{}\"]')?.classList.contains('{status}')",
            tess.participant_id
        )
    };
    fac.until(&on_board("on"), "Tess online").await;
    fac.click("#btn-start_positioning").await;
    phone.element("#pole-intent-improve").await;

    // The network goes away without a word: the phone says so within about five seconds.
    network.freeze(true);
    let lost = Instant::now();
    phone
        .until(
            "document.querySelector('#conn-banner')",
            "the lost-connection banner",
        )
        .await;
    let noticed = lost.elapsed();
    assert!(
        noticed <= Duration::from_millis(7_000),
        "the phone noticed only after {noticed:?}"
    );
    // The others see her connection as lost, not as online.
    fac.until(&on_board("stale"), "Tess's connection shown as lost")
        .await;
    fac.screenshot("laptop-connection-lost-en").await;

    // What she does meanwhile is kept and shown as waiting.
    phone.click("#pole-intent-improve").await;
    phone.click("#strength-intent-3").await;
    phone.click("#btn-answer-intent").await;
    phone
        .until(
            "document.querySelector('#conn-banner').innerText.includes('1')",
            "the action waiting",
        )
        .await;
    phone.screenshot_view("phone-connection-lost-en").await;

    // The network comes back: the answer goes out, the banner goes.
    network.freeze(false);
    phone
        .until(
            "!document.querySelector('#conn-banner')",
            "the connection back",
        )
        .await;
    fac.until(&on_board("on"), "Tess online again").await;
    let mut watch = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    let state = watch.snapshot().await;
    let answered = state["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == tess.participant_id.as_str())
        .unwrap()["answered"]
        .clone();
    assert_eq!(
        answered,
        json!({ "intent": true, "nature": false }),
        "the answer made offline arrived once"
    );
    for p in [&fac, &phone] {
        p.no_errors("a page").await;
    }
    fac.close().await;
    phone.close().await;
}

#[tokio::test]
async fn a_board_link_revoked_in_the_middle_of_a_session_stops_its_screen() {
    let Some(exe) = available() else { return };
    let _turn = one_at_a_time().await;
    let app = TestApp::spawn().await;
    let session = app.create_session("Sponsor watching").await;
    let (observer, token) = app.board_link(&session, "Sponsor").await;
    let board = Person::projector(
        &exe,
        &app.url(&format!("/board/{}#token={token}", session.id)),
    )
    .await;
    board.element("#board-code").await;
    let fac = Person::laptop(
        &exe,
        &app.url(&format!(
            "/session/{}#token={}",
            session.id, session.facilitator_token
        )),
    )
    .await;
    fac.element("#board-links").await;
    let _: bool = fac
        .js("(document.querySelector('#board-links').open = true, true)")
        .await;
    fac.click(&format!("#btn-revoke-{observer}")).await;
    fac.click(&format!("#btn-revoke-{observer}-yes")).await;
    board
        .until(
            "document.body.innerText.includes('revoked') && !document.querySelector('#board-code')",
            "the revoked board",
        )
        .await;
    board.screenshot_view("board-revoked-en").await;
    fac.until(
        &format!("!document.querySelector('#board-link-{observer}')"),
        "the link gone from the list",
    )
    .await;
    // Its token opens nothing any more.
    let (status, _) = app
        .with_token(
            Method::GET,
            &format!("/api/sessions/{}/record", session.id),
            &token,
            None,
        )
        .await;
    assert_eq!(status, 401);
    fac.close().await;
    board.close().await;
}
