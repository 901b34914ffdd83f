//! A follow-up six months on, through the protocol: a design closes; its facilitator starts a
//! follow-up from it; the organisations are there, their representatives join anew; the
//! positions drift (one organisation moves on one axis); the agreed aspects are the proposals
//! and are re-checked; the record shows the baseline, the drift, the re-check and the series.

use crate::helpers::{Client, TestApp, closed_design};
use reqwest::Method;
use serde_json::{Value, json};

/// Waits until this client's snapshot satisfies `pred`.
async fn until(c: &mut Client, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..50 {
        let s = c.snapshot().await;
        if pred(&s) {
            return s;
        }
        c.expect(|m| m["type"] == "event" || m["type"] == "patch")
            .await;
    }
    panic!("{what} never came");
}

#[tokio::test]
async fn a_follow_up_shows_drift_re_checks_the_agreed_aspects_and_extends_the_series() {
    let app = TestApp::spawn().await;
    let (earlier, fac_token, tess_token) = closed_design(&app, "en").await;

    // Only a facilitator of the closed session may start its follow-up.
    let body = json!({ "title": "Telecom, six months on", "facilitator_name": "Fran", "follow_up": earlier });
    let (status, r) = app.post("/api/sessions", &body).await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (401, Some("unknown_token")),
        "{r}"
    );
    let (status, r) = app
        .with_token(
            Method::POST,
            "/api/sessions",
            &tess_token,
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (403, Some("forbidden")),
        "{r}"
    );
    let (status, r) = app
        .with_token(
            Method::POST,
            "/api/sessions",
            &fac_token,
            Some(json!({ "title": "x", "facilitator_name": "F", "follow_up": "nope" })),
        )
        .await;
    assert_eq!(
        (status, r["error"]["field"].as_str()),
        (400, Some("follow_up")),
        "{r}"
    );
    let open = app.create_session("Still open").await;
    let (status, r) = app
        .with_token(
            Method::POST,
            "/api/sessions",
            &open.facilitator_token,
            Some(json!({ "title": "x", "facilitator_name": "F", "follow_up": open.id })),
        )
        .await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (409, Some("wrong_phase")),
        "{r}"
    );

    let (status, created) = app
        .with_token(Method::POST, "/api/sessions", &fac_token, Some(body))
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["session_id"].as_str().unwrap().to_owned();
    let token = created["token"].as_str().unwrap().to_owned();
    // The organisations are back, without their people; the language and mode carried over.
    let (_, info) = app.get(&format!("/api/sessions/{id}")).await;
    let names: Vec<&str> = info["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Telecom supplier", "ICT service provider"]);
    let tess = app.join(&id, "Tess", "Telecom supplier").await;
    let ivo = app.join(&id, "Ivo", "ICT service provider").await;
    // A later entrant: an organisation that was not in the baseline.
    let nora = app.join(&id, "Nora", "New partner").await;
    let mut fac = app.connect(&id, &token, None).await;
    let mut t = app.connect(&id, &tess.token, None).await;
    let mut i = app.connect(&id, &ivo.token, None).await;
    let mut n = app.connect(&id, &nora.token, None).await;
    let s = fac.snapshot().await;
    assert_eq!(s["baseline"]["session"], earlier.as_str());
    assert_eq!(s["baseline"]["title"], "Telecom");
    assert_eq!(s["drift"]["revealed"], false);
    assert_eq!(s["session"]["mode"], "design");

    // Positions drift: the ICT provider now wants to innovate. Blind until the reveal.
    fac.ok("start_positioning", json!({})).await;
    t.answer("improve", "share", "").await;
    i.answer("innovate", "share", "").await;
    n.answer("improve", "share", "").await;
    let blind = t.snapshot().await;
    assert!(
        blind["drift"]["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["now"].is_null()),
        "{}",
        blind["drift"]
    );
    fac.ok("reveal", json!({ "force": false })).await;
    let s = until(&mut t, "the drift", |s| s["drift"]["revealed"] == true).await;
    assert_eq!(s["drift"]["moved"], json!([ivo.organisation_id]));
    let ict = s["drift"]["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organisation"] == ivo.organisation_id.as_str())
        .unwrap();
    assert_eq!(
        (ict["before"].as_str(), ict["now"].as_str()),
        (Some("functional"), Some("entrepreneurial"))
    );
    assert_eq!(ict["axes"], json!(["intent"]));
    let entrant = s["drift"]["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organisation"] == nora.organisation_id.as_str())
        .unwrap();
    assert_eq!(
        (entrant["in_baseline"].as_bool(), entrant["before"].as_str()),
        (Some(false), None),
        "{entrant}"
    );
    fac.ok(
        "decide_form",
        json!({ "form": "functional", "rationale": "ICT first" }),
    )
    .await;
    fac.ok("start_design", json!({})).await;

    // The agreed aspects are the proposals; "no longer true" only where something was agreed.
    let s = until(&mut fac, "the design", |s| {
        s["session"]["phase"] == "design"
    })
    .await;
    assert_eq!(
        s["tracks"][0]["carried"][1]["text"],
        "Telecom leads, ICT delivers"
    );
    let r = t.respond(0, "identity", "no_longer", None).await;
    assert_eq!(r["code"], "not_carried", "{r}");
    assert_eq!(
        t.respond(0, "key_roles", "accept", None).await["type"],
        "ack"
    );
    assert_eq!(
        i.respond(0, "key_roles", "no_longer", None).await["type"],
        "ack"
    );
    assert_eq!(
        t.respond(0, "contracting", "accept", None).await["type"],
        "ack"
    );
    assert_eq!(
        i.respond(0, "contracting", "accept", None).await["type"],
        "ack"
    );
    // The entrant joins the earlier agreements aspect by aspect: it accepts one, objects to one.
    assert_eq!(
        n.respond(0, "contracting", "accept", None).await["type"],
        "ack"
    );
    let r = n
        .respond(0, "key_roles", "own", Some("New partner leads"))
        .await;
    assert_eq!(r["type"], "ack", "{r}");
    fac.ok(
        "reveal_aspects",
        json!({ "track": 0, "cluster": "governance" }),
    )
    .await;
    fac.ok(
        "reveal_aspects",
        json!({ "track": 0, "cluster": "behaviour" }),
    )
    .await;
    let s = until(&mut fac, "the re-check", |s| {
        s["drift"]["contested"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    })
    .await;
    let checks = s["drift"]["aspects"].as_array().unwrap();
    let key = checks.iter().find(|r| r["aspect"] == "key_roles").unwrap();
    assert_eq!(key["verdict"], "no_longer", "{key}");
    let contracting = checks
        .iter()
        .find(|r| r["aspect"] == "contracting")
        .unwrap();
    assert_eq!(contracting["verdict"], "still");
    let e = &s["drift"]["entrants"][0];
    assert_eq!(e["organisation"], nora.organisation_id.as_str());
    assert_eq!(
        e["accepted"],
        json!([{ "track": 0, "aspect": "contracting" }]),
        "{e}"
    );
    assert_eq!(
        e["objected"],
        json!([{ "track": 0, "aspect": "key_roles" }]),
        "{e}"
    );
    // Keeping what the others agreed records the entrant's objection as its dissent.
    fac.ok("agree_aspect", json!({ "track": 0, "aspect": "key_roles" }))
        .await;
    let key_reveal = &s["tracks"][0]["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["aspect"] == "key_roles")
        .unwrap()["reveals"][0];
    assert_eq!(
        key_reveal["responses"][0]["text"], "Telecom leads, ICT delivers",
        "accepting takes the earlier agreement"
    );

    // The record: the baseline by its hash, the drift, the re-check, the series.
    let (_, earlier_json) = app.record(&earlier, &fac_token, "json").await;
    let earlier_record: Value = serde_json::from_str(&earlier_json).unwrap();
    let (status, json) = app.record(&id, &token, "json").await;
    assert_eq!(status, 200, "{json}");
    let record: Value = serde_json::from_str(&json).unwrap();
    let f = &record["follow_up"];
    assert_eq!(
        f["baseline"]["content_hash"], earlier_record["content_hash"],
        "{f}"
    );
    assert_eq!(f["organisations"][1]["axes"], json!(["intent"]), "{f}");
    assert_eq!(f["aspects"][1]["verdict"], "no_longer", "{f}");
    assert_eq!(
        f["aspects"][1]["no_longer"],
        json!(["ICT service provider"]),
        "{f}"
    );
    assert_eq!(f["series"].as_array().unwrap().len(), 2, "{f}");
    assert_eq!(f["entrants"][0]["organisation"], "New partner", "{f}");
    assert_eq!(f["entrants"][0]["objected"], json!(["Key roles"]), "{f}");
    let key = record["tracks"][0]["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["aspect"] == "key_roles")
        .unwrap();
    assert_eq!(key["agreed_text"], "Telecom leads, ICT delivers");
    assert!(
        key["dissenting"]
            .as_array()
            .unwrap()
            .contains(&json!("New partner")),
        "{key}"
    );
    let (_, md) = app.record(&id, &token, "md").await;
    assert!(
        md.contains("Against the baseline")
            && md.contains("no longer true")
            && md.contains("Joined since"),
        "{md}"
    );
    // The agenda of the next meeting names the earlier agreement that no longer holds.
    let (status, agenda) = app.agenda(&id, &token, "md").await;
    assert_eq!(status, 200, "{agenda}");
    assert!(
        agenda.contains("the earlier agreement no longer holds for ICT service provider"),
        "{agenda}"
    );
    // A design session's record has no follow-up part.
    assert!(earlier_record.get("follow_up").is_none());
}
