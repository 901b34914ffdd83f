//! A whole diagnosis session through the protocol: the intended form, blind placements per
//! aspect, the reveal and what it shows, tags, findings and actions, the review and the close.

use crate::helpers::{Client, TestApp};
use grondvorm::model::Aspect;
use serde_json::{Value, json};

struct Diagnosis {
    id: String,
    token: String,
    facilitator: Client,
    tess: Client,
    tom: Client,
    ivo: Client,
    carla: Client,
    telecom: String,
}

impl Diagnosis {
    fn reps(&mut self) -> [&mut Client; 4] {
        [
            &mut self.tess,
            &mut self.tom,
            &mut self.ivo,
            &mut self.carla,
        ]
    }
}

async fn diagnosis(app: &TestApp) -> Diagnosis {
    let (status, body) = app
        .post(
            "/api/sessions",
            &json!({ "title": "Telecom, a year on", "facilitator_name": "Fran", "mode": "diagnosis" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let id = body["session_id"].as_str().unwrap().to_owned();
    let token = body["token"].as_str().unwrap().to_owned();
    let tess = app.join(&id, "Tess", "Telecom supplier").await;
    let tom = app.join(&id, "Tom", "Telecom supplier").await;
    let ivo = app.join(&id, "Ivo", "ICT service provider").await;
    let carla = app.join(&id, "Carla", "Consultancy").await;
    let (facilitator, tess_c, tom_c, ivo_c, carla_c) = tokio::join!(
        app.connect(&id, &token, None),
        app.connect(&id, &tess.token, None),
        app.connect(&id, &tom.token, None),
        app.connect(&id, &ivo.token, None),
        app.connect(&id, &carla.token, None),
    );
    Diagnosis {
        id,
        token,
        facilitator,
        tess: tess_c,
        tom: tom_c,
        ivo: ivo_c,
        carla: carla_c,
        telecom: tess.organisation_id,
    }
}

fn aspect_state<'a>(snapshot: &'a Value, aspect: &str) -> &'a Value {
    snapshot["diagnosis"]["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["aspect"] == aspect)
        .unwrap()
}

fn identity_counts(summary: &Value) -> Value {
    summary["profile"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["aspect"] == "identity")
        .unwrap()["counts"]
        .clone()
}

#[tokio::test]
async fn a_diagnosis_runs_from_the_intended_form_to_a_closed_record_with_findings_and_actions() {
    let app = TestApp::spawn().await;
    let mut d = diagnosis(&app).await;
    let (status, bad) = app
        .post(
            "/api/sessions",
            &json!({ "title": "x", "facilitator_name": "F", "mode": "design", "subject": "plan" }),
        )
        .await;
    assert_eq!(
        (status, bad["error"]["field"].as_str()),
        (400, Some("subject")),
        "{bad}"
    );

    // The intended form first: everyone functional.
    d.facilitator.ok("start_positioning", json!({})).await;
    for c in d.reps() {
        c.answer("improve", "share", "we buy services").await;
    }
    d.facilitator.ok("reveal", json!({})).await;
    d.facilitator
        .refused("start_design", json!({}), "wrong_mode")
        .await;
    d.facilitator.ok("start_diagnosis", json!({})).await;
    for c in d.reps() {
        c.event("phase_changed").await;
    }

    // Tess places the work process blind: the others learn only that she did.
    d.tess
        .ok(
            "place",
            json!({ "aspect": "work_process", "placed": "form", "form": "entrepreneurial", "example": "SECRET-EXAMPLE" }),
        )
        .await;
    let seen = d.ivo.event("aspect_placed").await;
    assert!(seen["event"].get("placing").is_none(), "{seen}");
    let ivo_view = d.ivo.snapshot().await;
    let wp = aspect_state(&ivo_view, "work_process");
    assert_eq!(wp["placed"], json!([d.tess.participant_id]));
    assert_eq!(wp["my_placement"], Value::Null);
    assert_eq!(ivo_view["diagnosis"]["analysis"]["revealed"], json!([]));
    let fac_view = d.facilitator.snapshot().await;
    assert!(!fac_view.to_string().contains("SECRET-EXAMPLE"));
    let tess_view = d.tess.snapshot().await;
    assert_eq!(
        aspect_state(&tess_view, "work_process")["my_placement"]["example"],
        "SECRET-EXAMPLE"
    );

    // Everyone places the rest: functional, but nobody can place ICT and Tess describes
    // identity in her own words.
    d.tess
        .refused(
            "place",
            json!({ "aspect": "ict", "placed": "form" }),
            "invalid_arguments",
        )
        .await;
    for (i, c) in d.reps().into_iter().enumerate() {
        for aspect in Aspect::ALL {
            let args = match aspect.id() {
                "work_process" => {
                    json!({ "aspect": "work_process", "placed": "form", "form": "entrepreneurial" })
                }
                "ict" => json!({ "aspect": "ict", "placed": "none" }),
                "identity" if i == 0 => {
                    json!({ "aspect": "identity", "placed": "own", "text": "We each keep our brand" })
                }
                id => json!({ "aspect": id, "placed": "form", "form": "functional" }),
            };
            if i == 0 && aspect.id() == "work_process" {
                continue;
            }
            c.ok("place", args).await;
        }
    }
    for c in [&d.facilitator, &d.ivo, &d.carla] {
        assert!(
            !c.all_text().contains("SECRET-EXAMPLE"),
            "a blind example leaked"
        );
    }
    d.facilitator.ok("reveal_placements", json!({})).await;
    let revealed = d.carla.event("placements_revealed").await;
    assert_eq!(revealed["event"]["reveals"].as_array().unwrap().len(), 13);
    assert!(
        revealed.to_string().contains("SECRET-EXAMPLE"),
        "shown once revealed"
    );

    let view = d.carla.snapshot().await;
    let analysis = &view["diagnosis"]["analysis"];
    assert_eq!(analysis["intended"], "functional");
    assert_eq!(analysis["overall"]["dominant"], "functional");
    assert_eq!(
        analysis["overall"]["mixing"],
        json!([{ "aspect": "work_process", "form": "entrepreneurial" }])
    );
    assert_eq!(analysis["overall"]["gaps"], json!(["ict"]));
    let telecom = &analysis["organisations"][0];
    assert_eq!(telecom["organisation"], d.telecom.as_str());
    // Tess's own words count for no form until tagged: only Tom's placement counts.
    assert_eq!(identity_counts(telecom), json!([0, 1, 0, 0]));

    // The facilitator tags the own words, records a finding and an action.
    let tess_id = d.tess.participant_id.clone();
    d.facilitator
        .refused(
            "tag_placement",
            json!({ "aspect": "ict", "participant": tess_id, "form": "functional" }),
            "not_own_words",
        )
        .await;
    d.facilitator
        .ok(
            "tag_placement",
            json!({ "aspect": "identity", "participant": tess_id, "form": "functional" }),
        )
        .await;
    d.facilitator
        .ok(
            "record_finding",
            json!({ "aspect": "work_process", "text": "Product development runs inside the SLA" }),
        )
        .await;
    d.facilitator
        .ok(
            "set_action",
            json!({ "aspect": "work_process", "text": "A development agreement beside the SLA",
                    "owner": { "organisation": d.telecom }, "due": "2027-03-31" }),
        )
        .await;
    d.facilitator
        .refused(
            "set_action",
            json!({ "aspect": "work_process", "action": 7, "text": "x" }),
            "unknown_action",
        )
        .await;
    d.tess
        .refused(
            "record_finding",
            json!({ "aspect": "ict", "text": "mine" }),
            "forbidden",
        )
        .await;
    let view = d.ivo.snapshot().await;
    assert_eq!(
        identity_counts(&view["diagnosis"]["analysis"]["organisations"][0]),
        json!([0, 2, 0, 0])
    );
    let wp = aspect_state(&view, "work_process");
    assert_eq!(wp["finding"], "Product development runs inside the SLA");
    assert_eq!(wp["actions"][0]["id"], 1);
    assert_eq!(wp["actions"][0]["due"], "2027-03-31");

    // Review: the partners approve, and the session closes.
    d.facilitator.ok("open_review", json!({})).await;
    for c in [&mut d.tess, &mut d.ivo, &mut d.carla] {
        c.event("phase_changed").await;
        c.ok("approve", json!({})).await;
    }
    d.facilitator.ok("close", json!({})).await;
    d.tom.event("session_closed").await;
    let (status, body) = app.record(&d.id, &d.token, "json").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\": \"final\""), "{body}");
    let record: grondvorm::record::Record = serde_json::from_str(&body).unwrap();
    grondvorm::record::verify(&body).expect("the record verifies");
    let g = record.diagnosis.expect("a diagnosis record");
    assert_eq!(g.intended, Some(grondvorm::model::Form::Functional));
    assert_eq!(g.mixing, vec![Aspect::WorkProcess]);
    assert_eq!(g.gaps, vec![Aspect::Ict]);
    let wp = g
        .aspects
        .iter()
        .find(|a| a.aspect == Aspect::WorkProcess)
        .unwrap();
    assert_eq!(wp.actions[0].owner.as_deref(), Some("Telecom supplier"));
    assert_eq!(wp.placements[0].example.as_deref(), Some("SECRET-EXAMPLE"));
    let (status, md) = app.record(&d.id, &d.token, "md").await;
    assert_eq!(status, 200);
    for words in [
        "Dominant form in practice",
        "Essence of the work process in the collaboration: Entrepreneurial 4 (mixing)",
        "A development agreement beside the SLA",
        "Product development runs inside the SLA",
        "Gaps: aspects nobody could place",
    ] {
        assert!(
            md.contains(words),
            "the Markdown record lacks {words:?}:\n{md}"
        );
    }
    let (status, html) = app.record(&d.id, &d.token, "html").await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg") && html.contains(&record.content_hash));
    let (status, pdf) = app.record(&d.id, &d.token, "pdf").await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF"), "a PDF");

    // The agenda of the next meeting: the actions, then what the diagnosis could not settle.
    let (status, agenda) = app.agenda(&d.id, &d.token, "md").await;
    assert_eq!(status, 200, "{agenda}");
    for words in [
        "# Agenda: Telecom, a year on",
        "Improvement actions",
        "| ☐ | Essence of the work process in the collaboration | A development agreement beside the SLA | Telecom supplier |",
        "Gaps: nobody could place these with a form",
        "- ☐ Information and communication technology",
    ] {
        assert!(
            agenda.contains(words),
            "the agenda lacks {words:?}:\n{agenda}"
        );
    }
    let (status, pdf) = app.agenda(&d.id, &d.token, "pdf").await;
    assert_eq!((status, pdf.starts_with("%PDF")), (200, true));
    let (status, body) = app.agenda(&d.id, &d.token, "json").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("\"field\":\"format\""), "{body}");
}
