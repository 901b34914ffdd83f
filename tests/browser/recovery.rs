//! Recovering and ending in the browser: a partner takes an answer back, gets a new link from
//! the facilitator after losing theirs (the old page says so), and the facilitator deletes the
//! session (everyone's page says so).

use crate::harness::{Person, available, one_at_a_time};
use crate::helpers::TestApp;
use serde_json::Value;

#[tokio::test]
async fn a_partner_takes_an_answer_back_gets_a_new_link_and_sees_the_session_deleted() {
    let Some(exe) = available() else { return };
    let _turn = one_at_a_time().await;
    let app = TestApp::spawn().await;
    let session = app.create_session("Recovery").await;
    let fac = Person::laptop(
        &exe,
        &app.url(&format!(
            "/session/{}#token={}",
            session.id, session.facilitator_token
        )),
    )
    .await;
    let tess_joined = app.join(&session.id, "Tess", "Telecom supplier").await;
    let tess = Person::phone(
        &exe,
        &app.url(&format!(
            "/session/{}#token={}",
            session.id, tess_joined.token
        )),
    )
    .await;
    let mut watch = app
        .connect(&session.id, &session.facilitator_token, None)
        .await;
    fac.click("#btn-start_positioning").await;
    watch.event("positioning_started").await;

    // An answer, saved, then taken back.
    tess.click("#pole-intent-innovate").await;
    tess.click("#strength-intent-2").await;
    tess.click("#btn-answer-intent").await;
    watch.event("answer_given").await;
    tess.click("#withdraw-intent").await;
    watch.event("answer_withdrawn").await;
    tess.until(
        "!document.querySelector('#withdraw-intent') && !document.querySelector('#pole-intent-innovate').checked",
        "the answer gone from the page",
    )
    .await;

    // The facilitator gives Tess a new link; her old page says it was replaced.
    fac.click("#manage-s").await;
    let id = &tess_joined.participant_id;
    fac.click(&format!("#btn-reissue-{id}")).await;
    fac.click(&format!("#btn-reissue-{id}-yes")).await;
    fac.until(
        &format!("Boolean(document.querySelector('#reissued-{id}'))"),
        "the new link",
    )
    .await;
    let link: String = fac
        .js(&format!(
            "document.querySelector('#reissued-{id}').textContent"
        ))
        .await;
    assert!(link.contains("#token="), "{link}");
    tess.until(
        "document.body.innerText.includes('Your link was replaced')",
        "the old page told",
    )
    .await;
    tess.screenshot("partner-link-replaced").await;
    let again = Person::phone(&exe, &link).await;
    again
        .until(
            "document.querySelector('.me')?.innerText.includes('Tess')",
            "the same person",
        )
        .await;

    // The facilitator deletes the session: confirmed by its title, and everyone is told.
    fac.click("#delete-panel-s").await;
    fac.fill("#delete-confirm", "Recovery").await;
    fac.screenshot("laptop-delete-confirm").await;
    fac.click("#btn-delete").await;
    for p in [&fac, &again] {
        p.until(
            "document.body.innerText.includes('This session was deleted')",
            "the deletion shown",
        )
        .await;
    }
    let (status, body): (u16, Value) = app.get(&format!("/api/sessions/{}", session.id)).await;
    assert_eq!(status, 404, "{body}");
    for p in [fac, tess, again] {
        p.close().await;
    }
}
