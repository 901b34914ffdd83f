//! What the record needs of the session, over the protocol: each organisation's goal and the
//! joint goal, an advisor that speaks but does not count, an open item's owner and due date,
//! approval per track, and the record's time zone — and all of it in the record.

use crate::helpers::{TestApp, room};
use grondvorm::record;
use serde_json::json;

#[tokio::test]
async fn goals_an_advisor_open_items_and_approval_per_track_reach_the_record() {
    let app = TestApp::spawn().await;
    let mut room = room(&app).await;
    let (telecom, ict, consultancy) = (
        room.orgs.telecom.clone(),
        room.orgs.ict.clone(),
        room.orgs.consultancy.clone(),
    );
    // The time zone of the record's times: an unknown one is refused and changes nothing.
    let bad = room
        .facilitator
        .refused(
            "update_settings",
            json!({ "time_zone": "Mars/Olympus" }),
            "invalid_value",
        )
        .await;
    assert_eq!(bad["field"], "time_zone");
    room.facilitator
        .ok(
            "update_settings",
            json!({ "time_zone": "Europe/Amsterdam" }),
        )
        .await;
    room.facilitator.event("time_zone_set").await;

    // The goals: one's own organisation's, and the joint goal from the facilitator.
    room.tess
        .ok(
            "state_goal",
            json!({ "organisation": telecom, "text": "Cheaper, reliable ICT" }),
        )
        .await;
    room.tess
        .refused(
            "state_goal",
            json!({ "organisation": ict, "text": "x" }),
            "forbidden",
        )
        .await;
    room.tess
        .refused("state_goal", json!({ "text": "x" }), "forbidden")
        .await;
    room.facilitator
        .ok(
            "state_goal",
            json!({ "text": "Good ICT, and new products together" }),
        )
        .await;
    let seen = room.ivo.snapshot().await;
    assert_eq!(
        seen["session"]["joint_goal"],
        "Good ICT, and new products together"
    );
    assert_eq!(seen["organisations"][0]["goal"], "Cheaper, reliable ICT");

    // The consultancy advises: its answer is shown, but counts nowhere and is not waited for.
    room.tess
        .refused(
            "set_advisor",
            json!({ "organisation": consultancy, "advisor": true }),
            "forbidden",
        )
        .await;
    room.facilitator
        .ok(
            "set_advisor",
            json!({ "organisation": consultancy, "advisor": true }),
        )
        .await;
    tokio::join!(
        room.tess.answer("improve", "share", "motive-of-tess"),
        room.tom.answer("improve", "share", "motive-of-tom"),
        room.ivo.answer("improve", "share", "motive-of-ivo"),
    );
    room.facilitator
        .ok("reveal", json!({ "force": false }))
        .await;
    let revealed = room.facilitator.event("revealed").await;
    let report = &revealed["event"]["report"];
    assert_eq!(report["agreed"], "functional", "{report}");
    assert_eq!(report["advisors"], json!([consultancy]));
    assert_eq!(revealed["event"]["forced"], false);
    room.facilitator
        .refused(
            "set_advisor",
            json!({ "organisation": consultancy, "advisor": false }),
            "wrong_phase",
        )
        .await;
    room.facilitator.ok("start_design", json!({})).await;

    // An open item with an owner and a due date; malformed ones change nothing.
    let bad = room
        .facilitator
        .refused(
            "park_aspect",
            json!({ "track": 0, "aspect": "ict", "reason": "After the pilot", "owner": { "organisation": ict, "participant": room.session.facilitator_id } }),
            "invalid_arguments",
        )
        .await;
    assert_eq!(bad["field"], "owner");
    let bad = room
        .facilitator
        .refused(
            "park_aspect",
            json!({ "track": 0, "aspect": "ict", "reason": "After the pilot", "due": "1 March" }),
            "invalid_value",
        )
        .await;
    assert_eq!(bad["field"], "due");
    room.facilitator
        .ok(
            "park_aspect",
            json!({ "track": 0, "aspect": "ict", "reason": "After the pilot", "owner": { "organisation": ict }, "due": "2027-03-01" }),
        )
        .await;
    room.facilitator.event("open_item_assigned").await;
    let state = room.facilitator.snapshot().await;
    let ict_aspect = &state["tracks"][0]["aspects"][12];
    assert_eq!(ict_aspect["owner"], json!({ "organisation": ict }));
    assert_eq!(ict_aspect["due"], "2027-03-01");

    // Review: the advisor does not approve; a partner approves its one track.
    room.facilitator.ok("open_review", json!({})).await;
    room.carla
        .refused("approve", json!({}), "advisor_does_not_approve")
        .await;
    room.tess
        .refused("approve", json!({ "track": 3 }), "unknown_track")
        .await;
    room.tess.ok("approve", json!({ "track": 0 })).await;
    room.tom
        .refused("approve", json!({}), "already_approved")
        .await;
    room.facilitator
        .refused("close", json!({ "force": false }), "not_all_approved")
        .await;
    room.ivo.ok("approve", json!({})).await;
    room.facilitator
        .ok("close", json!({ "force": false }))
        .await;

    let (status, json) = app
        .record(&room.session.id, &room.session.facilitator_token, "json")
        .await;
    assert_eq!(status, 200);
    let r: record::Record = serde_json::from_str(&json).unwrap();
    assert_eq!(r.time_zone, "Europe/Amsterdam");
    assert_eq!(
        r.joint_goal.as_deref(),
        Some("Good ICT, and new products together")
    );
    let consult = r
        .organisations
        .iter()
        .find(|o| o.name == "Consultancy")
        .unwrap();
    assert!(consult.advisor);
    assert_eq!(
        r.tracks[0].aspects[12].owner.as_deref(),
        Some("ICT service provider")
    );
    assert_eq!(r.approvals[0].tracks, ["Collaboration"]);
    let (_, md) = app
        .record(&room.session.id, &room.session.facilitator_token, "md")
        .await;
    for needle in [
        "Final record: every partner approved it",
        "Joint goal: Good ICT, and new products together",
        "Telecom supplier: Cheaper, reliable ICT",
        "owner: ICT service provider · due 2027-03-01",
        "| Consultancy | advisor (not a partner",
        "Times are shown in Europe/Amsterdam",
    ] {
        assert!(md.contains(needle), "{needle} missing from:\n{md}");
    }
}

#[tokio::test]
async fn a_session_is_created_in_the_time_zone_asked_for_or_refused_for_an_unknown_one() {
    let app = TestApp::spawn().await;
    let (status, body) = app
        .post(
            "/api/sessions",
            &json!({ "title": "T", "facilitator_name": "F", "time_zone": "Atlantis/Capital" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_value")),
        "{body}"
    );
    assert_eq!(body["error"]["field"], "time_zone");
    let (status, body) = app
        .post(
            "/api/sessions",
            &json!({ "title": "T", "facilitator_name": "F", "time_zone": "America/New_York" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let session = body["session_id"].as_str().unwrap();
    let token = body["token"].as_str().unwrap();
    let mut fac = app.connect(session, token, None).await;
    assert_eq!(
        fac.snapshot().await["session"]["time_zone"],
        "America/New_York"
    );
}

#[tokio::test]
async fn the_record_comes_as_a_pdf_named_after_the_session_with_its_summary_on_page_one() {
    let app = TestApp::spawn().await;
    let room = room(&app).await;
    let res = reqwest::Client::new()
        .get(app.url(&format!(
            "/api/sessions/{}/record?format=pdf",
            room.session.id
        )))
        .bearer_auth(&room.session.facilitator_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("inline; filename=\"sell-and-lease-back-")
            && disposition.ends_with(".pdf\""),
        "{disposition}"
    );
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    // Its words, page by page, when poppler's pdftotext is there (CI installs it).
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("record.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let pages = |first: u32, last: u32| {
        std::process::Command::new("pdftotext")
            .args(["-f", &first.to_string(), "-l", &last.to_string(), "-layout"])
            .arg(&file)
            .arg("-")
            .output()
    };
    match pages(1, 1) {
        Ok(out) if out.status.success() => {
            let one = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(
                one.contains("Summary") && one.contains("Sell and lease-back"),
                "{one}"
            );
            assert!(
                !one.contains("Technical appendix"),
                "the appendix is not on the first page"
            );
            let all = String::from_utf8_lossy(&pages(1, 99).unwrap().stdout).into_owned();
            assert!(
                all.contains("Technical appendix") && all.contains("sha256:"),
                "{all}"
            );
            let pages_n = all.matches("Sell and lease-back").count();
            assert!(
                (all.contains("1 / ") || all.contains("1/")) && pages_n >= 3,
                "the title and page numbers in every page's footer: {all}"
            );
        }
        _ if std::env::var_os("GRONDVORM_REQUIRE_TOOLS").is_some_and(|v| v == "1") => {
            panic!("pdftotext is missing, but GRONDVORM_REQUIRE_TOOLS=1 requires it")
        }
        _ => eprintln!("PDF text check skipped: no pdftotext (poppler-utils)"),
    }
}
