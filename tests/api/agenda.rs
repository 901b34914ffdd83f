//! The agenda of the next meeting, from the record: what remains to discuss first (open,
//! revealed and parked aspects with their reason, owner and due date), then what is agreed, as
//! a checklist; in Markdown, HTML and PDF, for anyone in the session.

use crate::helpers::TestApp;
use serde_json::json;

#[tokio::test]
async fn the_agenda_lists_what_remains_to_discuss_before_what_is_agreed() {
    let app = TestApp::spawn().await;
    let s = app.create_session("Sell and lease-back").await;
    let tess = app.join(&s.id, "Tess", "Telecom supplier").await;
    let ivo = app.join(&s.id, "Ivo", "ICT service provider").await;
    let mut fac = app.connect(&s.id, &s.facilitator_token, None).await;
    let mut t = app.connect(&s.id, &tess.token, None).await;
    let mut i = app.connect(&s.id, &ivo.token, None).await;

    // Before a design, the agenda says so. Like the draft record, it is the facilitator's
    // until the review.
    let (status, md) = app.agenda(&s.id, &s.facilitator_token, "md").await;
    assert_eq!(status, 200, "{md}");
    assert!(md.contains("No design yet"), "{md}");
    let (status, body) = app.agenda(&s.id, &tess.token, "md").await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("record_not_available"), "{body}");

    fac.ok("start_positioning", json!({})).await;
    t.answer("improve", "share", "").await;
    i.answer("improve", "share", "").await;
    fac.ok("reveal", json!({ "force": false })).await;
    fac.ok("start_design", json!({})).await;
    for c in [&mut t, &mut i] {
        assert_eq!(
            c.respond(0, "contracting", "accept", None).await["type"],
            "ack"
        );
    }
    assert_eq!(t.respond(0, "ict", "accept", None).await["type"], "ack");
    assert_eq!(
        i.respond(0, "ict", "own", Some("Two service desks")).await["type"],
        "ack"
    );
    fac.ok(
        "reveal_aspects",
        json!({ "track": 0, "aspect": "contracting" }),
    )
    .await;
    fac.ok("reveal_aspects", json!({ "track": 0, "aspect": "ict" }))
        .await;
    fac.ok(
        "agree_aspect",
        json!({ "track": 0, "aspect": "contracting" }),
    )
    .await;
    fac.ok(
        "park_aspect",
        json!({ "track": 0, "aspect": "key_roles", "reason": "Wait for the board",
                "owner": { "organisation": ivo.organisation_id }, "due": "2027-02-01" }),
    )
    .await;

    let (status, md) = app.agenda(&s.id, &s.facilitator_token, "md").await;
    assert_eq!(status, 200, "{md}");
    for words in [
        "# Agenda: Sell and lease-back",
        "12 aspects remain to discuss before the collaboration can really be organised.",
        "parked: Wait for the board; owner: ICT service provider; due: 2027-02-01",
        "responses revealed, not agreed",
        "☑ Contracting:",
    ] {
        assert!(md.contains(words), "the agenda lacks {words:?}:\n{md}");
    }
    // What remains comes before what is agreed.
    assert!(
        md.find("Key roles").unwrap() < md.find("☑ Contracting").unwrap(),
        "{md}"
    );
    let (status, html) = app.agenda(&s.id, &s.facilitator_token, "html").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<title>Agenda: Sell and lease-back</title>"),
        "{html}"
    );
    let (status, pdf) = app.agenda(&s.id, &s.facilitator_token, "pdf").await;
    assert_eq!((status, pdf.starts_with("%PDF")), (200, true));

    // Bad input: no token, another session's token, an unknown format.
    let other = app.create_session("Another").await;
    let (status, _) = app.agenda(&s.id, &other.facilitator_token, "md").await;
    assert_eq!(status, 401);
    let (status, body) = app.agenda(&s.id, &s.facilitator_token, "docx").await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = app.get(&format!("/api/sessions/{}/agenda", s.id)).await;
    assert_eq!(status, 401);
}
