//! A diagnosis of an existing collaboration, in each language, from the pages: the facilitator
//! creates it on the start page, the partners first state the form they intend, then place
//! the aspects blind on their phones (one of them over the protocol); the board shows who has
//! placed, never where, then the reveal and the mixing map; the facilitator tags own words,
//! records a finding and an action; the partners approve and the record shows it all.
//! Screenshots: test-artifacts/diag-{board,phone,laptop}-{phase}-{lang}.png.

use crate::harness::{Person, available, look_at, one_at_a_time};
use crate::helpers::{Client, TestApp};
use crate::room::{choose, q};
use serde_json::{Value, json};

struct Room {
    lang: &'static str,
    fac: Person,
    board: Person,
    tess: Person,
    ivo: Person,
    /// Carla takes part over the protocol.
    carla: Client,
    /// What must never reach the board before its reveal.
    secrets: Vec<String>,
}

impl Room {
    async fn in_phase(&self, phase: &str) {
        for p in [&self.fac, &self.board, &self.tess, &self.ivo] {
            p.until(
                &format!("document.body.dataset.phase === {}", q(phase)),
                phase,
            )
            .await;
        }
    }

    /// The checks of a moment, and its screenshots.
    async fn look(&mut self, moment: &str) {
        let lang = self.lang;
        self.carla.still_usable().await;
        let text = self.board.text().await;
        let frames = self.board.frames().await;
        for secret in &self.secrets {
            assert!(
                !text.contains(secret.as_str()) && !frames.contains(secret.as_str()),
                "{moment}: the board has {secret}"
            );
        }
        look_at("diag", moment, lang, &self.board, &self.tess, &self.fac).await;
    }
}

async fn token_of(p: &Person, session: &str) -> String {
    p.js(&format!(
        "localStorage.getItem('grondvorm.token.{session}')"
    ))
    .await
}

async fn a_diagnosis_in_a_room(lang: &'static str) {
    let Some(exe) = available() else { return };
    let _turn = one_at_a_time().await;
    let app = TestApp::spawn().await;
    let nl = lang == "nl";

    // The start page: a diagnosis of how the collaboration works today.
    let fac = Person::laptop(&exe, &app.url("/")).await;
    if nl {
        fac.click("#lang-nl").await;
    }
    fac.fill(
        "#title",
        if nl {
            "Telecom, na een jaar"
        } else {
            "Telecom, a year on"
        },
    )
    .await;
    fac.fill("#fname", "Fran").await;
    fac.click("#mode-diagnosis").await;
    fac.element("#subject-practice").await;
    assert!(
        fac.js::<bool>("document.querySelector('#subject-practice').checked")
            .await,
        "practice is the default subject"
    );
    choose(&fac, "#slang", lang).await;
    fac.screenshot(&format!("diag-laptop-start-{lang}")).await;
    fac.click("form button[type=submit]").await;
    fac.until(
        "location.pathname.startsWith('/session/')",
        "the facilitator's page",
    )
    .await;
    let session = fac
        .js::<String>("location.pathname")
        .await
        .trim_start_matches("/session/")
        .to_owned();
    let fac_token = token_of(&fac, &session).await;
    fac.until(
        "document.querySelector('#mode-line') && document.querySelector('#btn-start_diagnosis')",
        "the lobby of a diagnosis",
    )
    .await;

    fac.click("#btn-open-board").await;
    fac.element("[id^=board-url-]").await;
    let board_link: String = fac
        .js("document.querySelector('[id^=board-url-]').textContent")
        .await;
    let board = Person::projector(&exe, &board_link).await;
    board.element("#board-code").await;

    let join = |name: &'static str, org: &'static str| {
        let exe = exe.clone();
        let url = app.url(&format!("/join/{session}"));
        async move {
            let p = Person::phone(&exe, &url).await;
            p.fill("#name", name).await;
            let listed: bool = p.js("Boolean(document.querySelector('#org'))").await;
            if listed {
                choose(&p, "#org", "__new").await;
            }
            p.fill("#orgname", org).await;
            p.click("form button[type=submit]").await;
            p.until(
                "location.pathname.startsWith('/session/')",
                "the session page",
            )
            .await;
            p
        }
    };
    let tess = join("Tess", "Telecom supplier").await;
    let ivo = join("Ivo", "ICT service provider").await;
    let carla_joined = app.join(&session, "Carla", "Consultancy").await;
    let carla = app.connect(&session, &carla_joined.token, None).await;
    let mut secrets = vec![
        fac_token.clone(),
        carla_joined.token.clone(),
        "own-words-of-ivo".to_string(),
        "example-of-tess".to_string(),
    ];
    for p in [&tess, &ivo] {
        secrets.push(token_of(p, &session).await);
    }
    let mut room = Room {
        lang,
        fac,
        board,
        tess,
        ivo,
        carla,
        secrets,
    };
    room.tess
        .until(
            "document.body.innerText.includes('diagnos')",
            "the lobby says what is to come",
        )
        .await;

    // First the intended form: the two questions, blind, as in a design.
    room.fac.click("#btn-start_positioning").await;
    room.in_phase("positioning").await;
    for (p, intent, nature) in [
        (&room.tess, "improve", "share"),
        (&room.ivo, "innovate", "share"),
    ] {
        for (axis, pole) in [("intent", intent), ("nature", nature)] {
            p.click(&format!("#pole-{axis}-{pole}")).await;
            p.click(&format!("#strength-{axis}-2")).await;
            p.click(&format!("#btn-answer-{axis}")).await;
            p.until(
                &format!("document.querySelector('#withdraw-{axis}')"),
                "the answer saved",
            )
            .await;
        }
    }
    room.carla.answer("improve", "share", "").await;
    room.fac.click("#btn-reveal").await;
    room.in_phase("alignment").await;
    // Partners intend different forms, and that holds nothing up: no gate, no split.
    room.board
        .until(
            "document.querySelector('#board-gate')",
            "the intended form on the board",
        )
        .await;
    assert!(
        room.fac
            .js::<bool>("!document.querySelector('#btn-split')")
            .await,
        "a diagnosis has no split"
    );
    room.look("alignment").await;
    room.fac.click("#btn-start_diagnosis").await;
    room.in_phase("diagnosis").await;
    room.fac
        .until(
            "document.querySelector('#stepper li.done') && document.querySelector('#btn-dreveal-all')",
            "the diagnosis step",
        )
        .await;

    // The aspect ids, in the model's order.
    let state = room.carla.snapshot().await;
    let aspects: Vec<String> = state["diagnosis"]["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["aspect"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(aspects.len(), 13);
    let first = aspects[0].clone();

    // The facilitator points at the first aspect; Tess places it on her phone with a form and
    // an example, Ivo in his own words, Carla over the protocol.
    room.fac.click("#btn-next-aspect").await;
    room.tess.element("#now").await;
    let base = format!("place-now-dasp-{first}");
    room.tess
        .click(&format!("#{base}-form-entrepreneurial"))
        .await;
    room.tess
        .fill(&format!("#{base}-example"), "example-of-tess")
        .await;
    room.tess.click(&format!("#{base}-save")).await;
    room.tess
        .until(
            &format!("document.querySelector('#{base}-withdraw')"),
            "Tess's placement saved",
        )
        .await;
    room.ivo.element("#now").await;
    room.ivo.click(&format!("#{base}-own")).await;
    room.ivo
        .fill(&format!("#{base}-text"), "own-words-of-ivo")
        .await;
    room.ivo.click(&format!("#{base}-save")).await;
    room.ivo
        .until(
            &format!("document.querySelector('#{base}-withdraw')"),
            "Ivo's placement saved",
        )
        .await;
    room.board
        .until(
            "document.querySelectorAll('#board-aspect .board-tag.done').length === 2",
            "two have placed, on the board",
        )
        .await;
    assert!(
        !room.tess.text().await.contains("own-words-of-ivo"),
        "a placement reached another partner before its reveal"
    );
    room.look("placing").await;
    room.carla
        .ok(
            "place",
            json!({ "aspect": first, "placed": "form", "form": "functional" }),
        )
        .await;

    // The reveal of the aspect in focus: the board groups the placements and draws the map.
    room.fac.click("#btn-dreveal-focus").await;
    room.secrets
        .retain(|s| s != "own-words-of-ivo" && s != "example-of-tess");
    room.board
        .until(
            "document.querySelector('#board-map') && document.querySelector('#board-aspect').innerText.includes('own-words-of-ivo')",
            "the reveal and the map on the board",
        )
        .await;
    // The facilitator tags Ivo's own words as the transactional form's.
    room.fac
        .element(&format!("select[id^=\"tag-{first}-\"]"))
        .await;
    let tag: String = room
        .fac
        .js(&format!(
            "document.querySelector('select[id^=\"tag-{first}-\"]').id"
        ))
        .await;
    choose(&room.fac, &format!("#{tag}"), "transactional").await;
    room.board
        .until(
            "document.querySelector('#board-aspect').innerText.toLowerCase().includes('transact')",
            "the tag on the board",
        )
        .await;

    // The rest is placed over the protocol with the partners' own tokens, the same as on their
    // phones; one aspect nobody can place (a gap), one placed by nobody at all.
    let mut clients = Vec::new();
    for p in [&room.tess, &room.ivo] {
        clients.push(
            app.connect(&session, &token_of(p, &session).await, None)
                .await,
        );
    }
    let (gap, unplaced) = (aspects[12].clone(), aspects[11].clone());
    // Mostly entrepreneurial; two aspects work transactionally (mixing), one is seen
    // differently by the ICT service provider.
    for (i, a) in aspects.iter().enumerate().take(11).skip(1) {
        let [tess, ivo, carla] = match i {
            3 | 4 => ["transactional"; 3],
            5 => ["entrepreneurial", "functional", "entrepreneurial"],
            _ => ["entrepreneurial"; 3],
        };
        for (c, form) in clients.iter_mut().zip([tess, ivo]) {
            c.ok(
                "place",
                json!({ "aspect": a, "placed": "form", "form": form }),
            )
            .await;
        }
        room.carla
            .ok(
                "place",
                json!({ "aspect": a, "placed": "form", "form": carla }),
            )
            .await;
    }
    for c in clients.iter_mut() {
        c.ok("place", json!({ "aspect": gap, "placed": "none" }))
            .await;
    }
    room.fac.click("#btn-dreveal-all").await;
    room.fac
        .until(
            &format!("document.querySelector('#dasp-{gap}.st-revealed') && document.querySelector('#mixing-map')"),
            "every placed aspect revealed",
        )
        .await;
    // The analysis: the dominant form, the gap, the unplaced aspect not diagnosed.
    room.fac
        .until(
            &format!(
                "document.querySelector('#mixing-map [data-aspect={gap}]').innerText.length > 0 \
                 && document.querySelector('#gaps-list').innerText.includes(document.querySelector('#mixing-map [data-aspect={gap}] .tile-label').innerText)"
            ),
            "the gap in the list",
        )
        .await;
    assert!(
        room.fac
            .js::<bool>(&format!("document.querySelector('#mixing-map [data-aspect={unplaced}]').classList.contains('f-unrevealed')"))
            .await,
        "an aspect nobody placed is not diagnosed"
    );
    let mixing: Vec<String> = room
        .fac
        .js("[...document.querySelectorAll('#mixing-map [data-mixing=true]')].map(e => e.dataset.aspect)")
        .await;
    assert_eq!(
        mixing,
        [aspects[3].clone(), aspects[4].clone()],
        "the mixing on the map"
    );

    // A finding and an action, with an owner and a due date, on the gap.
    let finding = if nl {
        "Niemand weet hoe de ICT loopt"
    } else {
        "Nobody knows how ICT runs"
    };
    let gap_id = format!("dasp-{gap}");
    room.fac.click(&format!("#{gap_id}-s")).await;
    room.fac.fill(&format!("#finding-{gap_id}"), finding).await;
    room.fac.click(&format!("#finding-{gap_id}-save")).await;
    room.fac.click(&format!("#act-{gap_id}-new-d-s")).await;
    let action = if nl {
        "Een ICT-overleg instellen"
    } else {
        "Set up an ICT meeting"
    };
    room.fac
        .fill(&format!("#act-{gap_id}-new-text"), action)
        .await;
    let ict_org: String = room
        .fac
        .js(&format!("[...document.querySelectorAll('#act-{gap_id}-new-owner option')].find(o => o.textContent === 'ICT service provider').value"))
        .await;
    choose(&room.fac, &format!("#act-{gap_id}-new-owner"), &ict_org).await;
    room.fac
        .fill(&format!("#act-{gap_id}-new-due"), "2027-03-01")
        .await;
    room.fac.click(&format!("#act-{gap_id}-new-save")).await;
    room.tess
        .until(
            &format!(
                "document.body.textContent.includes({}) && document.body.textContent.includes({})",
                q(finding),
                q(action)
            ),
            "the finding and the action on a partner's phone",
        )
        .await;
    room.fac.click("#btn-focus-clear").await;
    room.board
        .until(
            "!document.querySelector('#board-aspect')",
            "the board without an aspect in focus",
        )
        .await;
    room.look("diagnosis").await;

    // The review: Tess objects to one aspect, which sends it back; then both approve.
    room.fac.click("#btn-open_review").await;
    room.fac.click("#btn-open_review-yes").await;
    room.in_phase("review").await;
    room.tess.click("#object-s").await;
    room.tess.fill("#object-reason", "objection-of-tess").await;
    room.tess.click(&format!("#obj-0-{first}")).await;
    room.tess.click("#btn-object").await;
    room.in_phase("diagnosis").await;
    room.fac.click("#btn-open_review").await;
    room.fac.click("#btn-open_review-yes").await;
    room.in_phase("review").await;
    for p in [&room.tess, &room.ivo] {
        p.click("#btn-approve").await;
        p.click("#btn-approve-yes").await;
    }
    room.carla.ok("approve", json!({})).await;
    room.board
        .until(
            "document.querySelectorAll('.board-approvals li.on').length === 3",
            "three approved",
        )
        .await;
    room.look("review").await;
    room.fac.click("#btn-close").await;
    room.fac.click("#btn-close-yes").await;
    room.in_phase("closed").await;
    room.board.element("#board-map").await;
    room.look("closed").await;

    // The record: the profile, the gap, the finding and the action.
    let (status, json) = app.record(&session, &fac_token, "json").await;
    assert_eq!(status, 200, "{json}");
    let record: Value = serde_json::from_str(&json).unwrap();
    let d = &record["diagnosis"];
    assert_eq!(d["subject"], "practice");
    assert_eq!(d["dominant"], "entrepreneurial", "{d}");
    assert!(d["gaps"].as_array().unwrap().contains(&json!(gap)), "{d}");
    assert!(
        d["not_diagnosed"]
            .as_array()
            .unwrap()
            .contains(&json!(unplaced)),
        "{d}"
    );
    let gap_entry = d["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["aspect"] == gap.as_str())
        .unwrap();
    assert_eq!(gap_entry["finding"], finding);
    assert_eq!(gap_entry["actions"][0]["text"], action);
    assert_eq!(gap_entry["actions"][0]["owner"], "ICT service provider");
    assert_eq!(gap_entry["actions"][0]["due"], "2027-03-01");
    let first_entry = d["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["aspect"] == first.as_str())
        .unwrap();
    assert_eq!(d["mixing"].as_array().unwrap().len(), 2, "{d}");
    let ivo_placement = first_entry["placements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["participant"] == "Ivo")
        .unwrap();
    assert_eq!(ivo_placement["form"], "transactional", "{first_entry}");

    // Six months on, a follow-up diagnosis from the closed page: the same organisations, and
    // each aspect's form then beside its form now.
    room.fac.element("#follow-up").await;
    room.fac.click("#btn-follow-up").await;
    room.fac
        .until(
            &format!(
                "location.pathname.startsWith('/session/') && !location.pathname.includes({})",
                q(&session)
            ),
            "the follow-up's page",
        )
        .await;
    room.fac.element("#btn-start_diagnosis").await;
    let follow = room
        .fac
        .js::<String>("location.pathname")
        .await
        .trim_start_matches("/session/")
        .to_owned();
    let tess_again = app.join(&follow, "Tess", "Telecom supplier").await;
    let mut tess_c = app.connect(&follow, &tess_again.token, None).await;
    room.fac.click("#btn-start_diagnosis").await;
    room.fac.element("#btn-dreveal-all").await;
    let moved = aspects[1].clone();
    tess_c
        .ok(
            "place",
            json!({ "aspect": moved, "placed": "form", "form": "functional" }),
        )
        .await;
    room.fac.click("#btn-dreveal-all").await;
    room.fac
        .until(
            &format!("document.querySelector('#profile-moves tr[data-aspect={moved}].is-mixing')"),
            "the aspect's form then and now",
        )
        .await;
    room.fac.no_errors("the follow-up diagnosis").await;
    room.fac
        .accessible(&format!("the follow-up diagnosis ({lang})"))
        .await;
    room.fac
        .screenshot(&format!("diag-laptop-follow-up-{lang}"))
        .await;

    let Room {
        fac,
        board,
        tess,
        ivo,
        ..
    } = room;
    for p in [fac, board, tess, ivo] {
        p.close().await;
    }
}

#[tokio::test]
async fn a_diagnosis_runs_from_the_pages_in_english() {
    a_diagnosis_in_a_room("en").await;
}

#[tokio::test]
async fn a_diagnosis_runs_from_the_pages_in_dutch() {
    a_diagnosis_in_a_room("nl").await;
}
