//! Negotiating an aspect over the protocol: three organisations (the telecom supplier with two
//! representatives) put proposals forward after a reveal — a principle, a response, an own text
//! and an amendment — the facilitator tags one and agrees on it; everyone sees every proposal.

use crate::helpers::{TestApp, room};
use serde_json::json;

#[tokio::test]
async fn proposals_are_made_amended_tagged_and_agreed_on() {
    let app = TestApp::spawn().await;
    let mut r = room(&app).await;
    r.answer_telecom_case("improve", "share").await;
    r.reveal().await;
    r.facilitator
        .ok(
            "decide_form",
            json!({ "form": "functional", "rationale": "ICT first" }),
        )
        .await;
    r.facilitator.ok("start_design", json!({})).await;
    let own = json!({ "track": 0, "aspect": "contracting", "choice": "own", "text": "A covenant" });
    r.ivo.ok("respond", own).await;
    r.tess
        .ok(
            "respond",
            json!({ "track": 0, "aspect": "contracting", "choice": "accept" }),
        )
        .await;
    // Before the reveal there is nothing to negotiate.
    let early = json!({ "track": 0, "aspect": "contracting", "source": "own", "text": "x" });
    r.tom.refused("propose", early, "aspect_not_revealed").await;
    r.facilitator
        .ok(
            "reveal_aspects",
            json!({ "track": 0, "aspect": "contracting" }),
        )
        .await;

    let at = |extra: serde_json::Value| {
        let mut a = json!({ "track": 0, "aspect": "contracting" });
        a.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        a
    };
    r.tess
        .ok(
            "propose",
            at(json!({ "source": "principle", "form": "entrepreneurial" })),
        )
        .await;
    let snapshot = r.facilitator.snapshot().await;
    let ivo = snapshot["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Ivo")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    r.facilitator
        .ok(
            "propose",
            at(json!({ "source": "response", "participant": ivo })),
        )
        .await;
    r.carla
        .ok(
            "propose",
            at(json!({ "source": "own", "text": "An SLA with a development annex" })),
        )
        .await;
    r.tom
        .ok(
            "propose",
            at(json!({ "source": "amendment", "proposal": 3, "text": "An SLA with a joint development annex" })),
        )
        .await;
    // Bad input: each refusal with its code and field, and nothing changes.
    let e = r
        .tom
        .refused(
            "propose",
            at(json!({ "source": "principle" })),
            "invalid_arguments",
        )
        .await;
    assert_eq!(e["field"], "form", "{e}");
    let e = r
        .tom
        .refused(
            "propose",
            at(json!({ "source": "own", "form": "functional", "text": "x" })),
            "invalid_arguments",
        )
        .await;
    assert_eq!(e["field"], "source", "{e}");
    let carla_id = snapshot["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Carla")
        .unwrap()["id"]
        .clone();
    let e = r
        .tom
        .refused(
            "propose",
            at(json!({ "source": "response", "participant": carla_id })),
            "no_such_response",
        )
        .await;
    assert_eq!(e["field"], "participant", "{e}");
    r.tom
        .refused(
            "propose",
            at(json!({ "source": "amendment", "proposal": 9, "text": "x" })),
            "unknown_proposal",
        )
        .await;
    r.tom
        .refused(
            "tag_proposal",
            at(json!({ "proposal": 4, "form": "functional" })),
            "forbidden",
        )
        .await;
    r.facilitator
        .refused(
            "tag_proposal",
            at(json!({ "proposal": 1, "form": "functional" })),
            "not_own_words",
        )
        .await;
    r.facilitator
        .ok(
            "tag_proposal",
            at(json!({ "proposal": 4, "form": "functional" })),
        )
        .await;
    let e = r
        .facilitator
        .refused(
            "agree_aspect",
            at(json!({ "proposal": 4, "text": "x" })),
            "invalid_arguments",
        )
        .await;
    assert_eq!(e["field"], "proposal", "{e}");

    // Everyone sees every proposal, with its source and form.
    for c in r.clients() {
        c.until_count("proposal_made", 4).await;
    }
    let s = r.ivo.snapshot().await;
    let contracting = s["tracks"][0]["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["aspect"] == "contracting")
        .unwrap();
    let proposals = contracting["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 4, "{contracting}");
    assert_eq!(proposals[0]["matches"], "entrepreneurial");
    assert_eq!(proposals[1]["text"], "A covenant");
    assert_eq!(
        proposals[3]["source"],
        json!({ "kind": "amendment", "of": 3 })
    );
    assert_eq!(proposals[3]["resembles"], "functional");
    assert!(proposals[3]["by"].is_string() && proposals[3]["at"].is_string());

    // The facilitator agrees on the amendment: its text and its tag.
    r.facilitator
        .ok("agree_aspect", at(json!({ "proposal": 4 })))
        .await;
    let agreed = r.tess.event("aspect_agreed").await;
    assert_eq!(
        agreed["event"]["text"], "An SLA with a joint development annex",
        "{agreed}"
    );
    assert_eq!(agreed["event"]["resembles"], "functional");
    let (_, md) = app
        .record(&r.session.id, &r.session.facilitator_token, "md")
        .await;
    assert!(md.contains("An SLA with a joint development annex"), "{md}");
}

#[tokio::test]
async fn a_consent_round_is_blind_until_all_answered_and_an_objection_is_overridden_with_a_reason()
{
    let app = TestApp::spawn().await;
    let mut r = room(&app).await;
    r.answer_telecom_case("improve", "share").await;
    r.reveal().await;
    r.facilitator
        .ok(
            "decide_form",
            json!({ "form": "functional", "rationale": "ICT first" }),
        )
        .await;
    r.facilitator.ok("start_design", json!({})).await;
    for aspect in ["contracting", "ict"] {
        r.tess
            .ok(
                "respond",
                json!({ "track": 0, "aspect": aspect, "choice": "accept" }),
            )
            .await;
        r.facilitator
            .ok("reveal_aspects", json!({ "track": 0, "aspect": aspect }))
            .await;
        r.carla
            .ok("propose", json!({ "track": 0, "aspect": aspect, "source": "principle", "form": "functional" }))
            .await;
        r.facilitator
            .ok(
                "call_round",
                json!({ "track": 0, "aspect": aspect, "proposal": 1 }),
            )
            .await;
    }
    let at = |aspect: &str, answer: &str, text: Option<&str>| {
        let mut a = json!({ "track": 0, "aspect": aspect, "answer": answer });
        if let Some(t) = text {
            a["text"] = json!(t);
        }
        a
    };
    // Contracting: a concern from the telecom supplier stays blind until the last answer.
    r.tess
        .ok(
            "answer_round",
            at("contracting", "concern", Some("secret-concern")),
        )
        .await;
    let seen = r.ivo.event("round_answered").await;
    assert!(seen["event"].get("consent").is_none(), "{seen}");
    assert!(!r.ivo.all_text().contains("secret-concern"));
    let s = r.tess.snapshot().await;
    let mine = s["tracks"][0]["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["aspect"] == "contracting")
        .unwrap();
    assert_eq!(mine["my_consent"]["answer"], "concern", "{mine}");
    r.carla
        .ok("answer_round", at("contracting", "consent", None))
        .await;
    r.ivo
        .ok("answer_round", at("contracting", "consent", None))
        .await;
    let closed = r.tom.event("round_closed").await;
    assert_eq!(
        closed["event"]["outcome"], "consent_with_concerns",
        "{closed}"
    );
    assert_eq!(closed["event"]["forced"], false);
    let agreed = r.tom.event("aspect_agreed").await;
    assert_eq!(agreed["event"]["aspect"], "contracting");
    // ICT: an objection blocks; the facilitator closes, then overrides with a reason.
    r.ivo
        .ok(
            "answer_round",
            at("ict", "object", Some("Two service desks")),
        )
        .await;
    r.facilitator
        .refused(
            "override_round",
            json!({ "track": 0, "aspect": "ict", "rationale": "x" }),
            "round_open",
        )
        .await;
    r.facilitator
        .ok("close_round", json!({ "track": 0, "aspect": "ict" }))
        .await;
    let closed = r
        .tess
        .expect(|m| m["event"]["type"] == "round_closed" && m["event"]["aspect"] == "ict")
        .await;
    assert_eq!(
        (
            closed["event"]["outcome"].as_str(),
            closed["event"]["forced"].as_bool()
        ),
        (Some("blocked"), Some(true)),
        "{closed}"
    );
    r.facilitator
        .ok(
            "override_round",
            json!({ "track": 0, "aspect": "ict", "rationale": "The board decided" }),
        )
        .await;
    let agreed = r
        .tess
        .expect(|m| m["event"]["type"] == "aspect_agreed" && m["event"]["aspect"] == "ict")
        .await;
    assert_eq!(
        agreed["event"]["dissenting"],
        json!([r.orgs.ict]),
        "{agreed}"
    );
    r.facilitator
        .refused(
            "override_round",
            json!({ "track": 0, "aspect": "ict", "rationale": "again" }),
            "aspect_not_revealed",
        )
        .await;
}
