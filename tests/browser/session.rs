//! A session in the browser: a facilitator's board and three partners' phones, in one run.

use crate::harness::{Person, available, one_at_a_time};
use crate::helpers::TestApp;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

/// Creates a session from the start page; returns the board and the session's id.
async fn create(exe: &PathBuf, app: &TestApp, title: &str, language: &str) -> (Person, String) {
    let fac = Person::laptop(exe, &app.url("/")).await;
    fac.fill("#title", title).await;
    fac.fill("#fname", "Fran").await;
    fac.fill("#slang", language).await;
    fac.click("form button[type=submit]").await;
    fac.until("location.pathname.startsWith('/session/')", "the board")
        .await;
    let path: String = fac.js("location.pathname").await;
    let id = path.trim_start_matches("/session/").to_owned();
    (fac, id)
}

/// A partner opens the join link on their phone and joins for `org` (from the list, or new).
async fn join(exe: &PathBuf, app: &TestApp, session: &str, name: &str, org: &str) -> Person {
    let p = Person::phone(exe, &app.url(&format!("/join/{session}"))).await;
    p.fill("#name", name).await;
    let org_json = serde_json::to_string(org).unwrap();
    let has_list: bool = p.js("Boolean(document.querySelector('#org'))").await;
    if has_list {
        let _: bool = p
            .js(&format!(
                "(() => {{ const s = document.querySelector('#org'); \
                 const o = [...s.options].find(o => o.textContent === {org_json}); \
                 s.value = o ? o.value : '__new'; \
                 s.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()"
            ))
            .await;
    }
    let needs_name: bool = p
        .js("(() => { const s = document.querySelector('#org'); return !s || s.value === '__new'; })()")
        .await;
    if needs_name {
        p.fill("#orgname", org).await;
    }
    p.click("form button[type=submit]").await;
    p.until(
        "location.pathname.startsWith('/session/')",
        "the session page",
    )
    .await;
    p
}

/// Answers both questions on the phone and waits until the answers are saved.
async fn answer(p: &Person, intent: &str, nature: &str, motivation: &str) {
    for (axis, pole) in [("intent", intent), ("nature", nature)] {
        p.click(&format!("#pole-{axis}-{pole}")).await;
        p.click(&format!("#strength-{axis}-3")).await;
        if axis == "intent" {
            p.fill("#motivation-intent", motivation).await;
        }
        p.click(&format!("#btn-answer-{axis}")).await;
    }
    p.until(
        "document.querySelectorAll('.question .status-line').length === 2 && [...document.querySelectorAll('.question .status-line')].every(e => !e.textContent.includes('Not answered') && !e.textContent.includes('Nog niet'))",
        "both answers saved",
    )
    .await;
}

/// For each organisation marker on the matrix: its form, and whether it sits in that form's
/// quadrant.
async fn placements(p: &Person) -> HashMap<String, (String, bool)> {
    let v: Value = p
        .js(
            "(() => { const m = document.querySelector('#matrix'); const out = {}; \
             for (const g of m.querySelectorAll('g.org-marker')) { \
               const c = g.querySelector('circle').getBoundingClientRect(); \
               const x = c.x + c.width / 2, y = c.y + c.height / 2; \
               const q = m.querySelector('#q-' + g.dataset.form); let inside = false; \
               if (q) { const r = q.getBoundingClientRect(); \
                 inside = x >= r.left && x <= r.right && y >= r.top && y <= r.bottom; } \
               out[g.dataset.org] = [g.dataset.form, inside]; } \
             return out; })()",
        )
        .await;
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn three_partners_answer_blind_the_board_places_them_and_shows_the_disagreement() {
    let Some(exe) = available() else { return };
    let _turn = one_at_a_time().await;
    let app = TestApp::spawn().await;
    let (fac, session) = create(&exe, &app, "Sell and lease-back", "en").await;
    fac.element("#join-qr").await;
    let tess = join(&exe, &app, &session, "Tess", "Telecom supplier").await;
    let ivo = join(&exe, &app, &session, "Ivo", "ICT service provider").await;
    let sneaky = "<script>window.__pwned = 1</script> Carla";
    let carla = join(&exe, &app, &session, sneaky, "Consultancy").await;

    fac.until(
        "document.body.innerText.includes('Ivo')",
        "the partners on the board",
    )
    .await;
    fac.click("#btn-start_positioning").await;
    answer(&tess, "improve", "share", "We outsourced our ICT").await;
    answer(&ivo, "innovate", "share", "We are their strategic partner").await;
    // Before the reveal, nobody's page shows another's motivation.
    for (p, other) in [
        (&tess, "strategic partner"),
        (&ivo, "outsourced"),
        (&fac, "outsourced"),
    ] {
        assert!(
            !p.text().await.contains(other),
            "an answer leaked before the reveal"
        );
    }
    answer(&carla, "improve", "share", "The SLA is the heart of it").await;

    fac.click("#btn-reveal").await;
    fac.element("#matrix g.org-marker").await;
    let (_, info) = app.get(&format!("/api/sessions/{session}")).await;
    let id_of = |name: &str| -> String {
        info["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    fac.until(
        "document.querySelectorAll('#matrix g.org-marker').length === 3",
        "three organisations on the matrix",
    )
    .await;
    let placed = placements(&fac).await;
    assert_eq!(
        placed[&id_of("Telecom supplier")],
        ("functional".to_owned(), true)
    );
    assert_eq!(
        placed[&id_of("ICT service provider")],
        ("entrepreneurial".to_owned(), true)
    );
    assert_eq!(
        placed[&id_of("Consultancy")],
        ("functional".to_owned(), true)
    );

    // The disagreement, with the model's explanation, on the board and on every phone.
    for p in [&fac, &tess, &ivo, &carla] {
        p.element("#disagreements").await;
        p.until(
            "['Telecom supplier', 'ICT service provider'].every(n => document.querySelector('#disagreements').innerText.includes(n))",
            "both organisations in the disagreement",
        )
        .await;
        let text: String = p
            .js("document.querySelector('#disagreements').innerText")
            .await;
        assert!(
            text.contains("A large telecom supplier sold its ICT services"),
            "the model's explanation: {text}"
        );
    }
    // The revealed motivations now show for everyone.
    tess.until(
        "document.body.innerText.includes('strategic partner')",
        "the revealed answers",
    )
    .await;

    // A name with a script tag is shown as text and never runs.
    fac.until(
        "document.body.innerText.includes('<script>window.__pwned = 1</script> Carla')",
        "the name as text",
    )
    .await;
    let pwned: bool = fac.js("window.__pwned === 1").await;
    assert!(!pwned, "the name ran as a script");

    // A phone reloads in the middle of the session and picks up where it was.
    ivo.reload().await;
    ivo.element("#matrix g.org-marker").await;
    ivo.until(
        "document.querySelectorAll('#matrix g.org-marker').length === 3",
        "the matrix again",
    )
    .await;
    ivo.until("document.body.innerText.includes('Ivo')", "who they are")
        .await;

    fac.screenshot("laptop-after-reveal").await;
    tess.screenshot("partner-after-reveal").await;
    for p in [fac, tess, ivo, carla] {
        p.close().await;
    }
}

#[tokio::test]
async fn the_dutch_interface_shows_the_dutch_model_texts() {
    let Some(exe) = available() else { return };
    let _turn = one_at_a_time().await;
    let app = TestApp::spawn().await;
    let (fac, session) = create(&exe, &app, "Zorg op afstand", "nl").await;
    let anna = join(&exe, &app, &session, "Anna", "Thuiszorg").await;
    fac.click("#btn-start_positioning").await;
    anna.element("#pole-intent-improve").await;
    let question = grondvorm::model::Axis::Intent.question().nl;
    let improve = grondvorm::model::Intent::Improve.label().nl;
    let q = serde_json::to_string(question).unwrap();
    anna.until(
        &format!("document.body.innerText.includes({q})"),
        "the Dutch question",
    )
    .await;
    let text = anna.text().await;
    assert!(
        text.contains(improve),
        "the Dutch pole '{improve}' is missing"
    );
    assert!(!text.contains(grondvorm::model::Axis::Intent.question().en));
    anna.screenshot("partner-dutch-positioning").await;
    fac.close().await;
    anna.close().await;
}
