//! A whole session in a room, in each language: the facilitator on a laptop, the board on a
//! 1920×1080 projector (opened from the facilitator's page), three partners on 390×844 phones
//! and a fourth over the protocol. At every phase the board is checked to show no control, no
//! secret and nothing unrevealed (its DOM and the WebSocket frames it received), the phone to
//! fit without sideways scrolling with tap targets of 44 px, both to pass axe-core; and
//! screenshots of the board and the phone are saved as test artefacts:
//! test-artifacts/board-{phase}-{lang}.png, phone-{phase}-{lang}.png, laptop-{phase}-{lang}.png.

use crate::harness::{Person, available, one_at_a_time};
use crate::helpers::{Client, TestApp};
use serde_json::json;

/// The people in the room.
struct Room {
    lang: &'static str,
    fac: Person,
    board: Person,
    tess: Person,
    ivo: Person,
    carla: Person,
    /// Tom, of the telecom supplier too, takes part over the protocol (a fourth browser would
    /// only make the test slower).
    tom: Client,
    /// What must never reach the board or another partner before its reveal.
    secrets: Vec<String>,
}

pub(crate) fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Chooses an option of a <select> by its value, as a person would.
pub(crate) async fn choose(p: &Person, selector: &str, value: &str) {
    p.element(selector).await;
    let _: bool = p
        .js(&format!(
            "(() => {{ const s = document.querySelector({}); s.value = {}; \
             s.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()",
            q(selector),
            q(value)
        ))
        .await;
}

/// Opens a folded tool (a <details>) on the facilitator's page.
pub(crate) async fn unfold(p: &Person, id: &str) {
    p.element(&format!("#{id}")).await;
    let _: bool = p
        .js(&format!(
            "(() => {{ const d = document.getElementById({}); if (!d.open) d.querySelector('summary').click(); return true; }})()",
            q(id)
        ))
        .await;
}

/// Answers both questions on a phone.
async fn answer(p: &Person, intent: &str, nature: &str, motivation: Option<&str>) {
    for (axis, pole) in [("intent", intent), ("nature", nature)] {
        p.click(&format!("#pole-{axis}-{pole}")).await;
        p.click(&format!("#strength-{axis}-2")).await;
        if let (Some(m), "intent") = (motivation, axis) {
            p.fill("#motivation-intent", m).await;
        }
        p.click(&format!("#btn-answer-{axis}")).await;
        p.until(
            &format!("!document.querySelector('#btn-answer-{axis}').textContent.includes('…') && document.querySelector('#withdraw-{axis}')"),
            "the answer saved",
        )
        .await;
    }
}

impl Room {
    async fn everyone(&self) -> [&Person; 5] {
        [&self.fac, &self.board, &self.tess, &self.ivo, &self.carla]
    }

    /// The checks of every phase, and its screenshots.
    async fn look(&mut self, phase: &str) {
        let lang = self.lang;
        // Tom's client reads only when asked to: let it answer the server's pings, and wait
        // until the board has him online again.
        self.tom.still_usable().await;
        self.board
            .until(
                "!document.querySelector('.board-person.stale')",
                "everyone online on the board",
            )
            .await;
        self.board.has_no_controls(phase).await;
        let text = self.board.text().await;
        let frames = self.board.frames().await;
        for secret in &self.secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{phase}: the board shows {secret}"
            );
            assert!(
                !frames.contains(secret.as_str()),
                "{phase}: the board received {secret}"
            );
        }
        assert!(
            !text.contains("#token=")
                && !text.contains("#key=")
                && !frames.contains("\"type\":\"preview\""),
            "{phase}: a secret link or a preview on the board"
        );
        self.tess.fits_a_phone(&format!("{phase} ({lang})")).await;
        self.ivo
            .fits_a_phone(&format!("{phase} ({lang}), Ivo"))
            .await;
        for (p, who) in [
            (&self.fac, "laptop"),
            (&self.board, "board"),
            (&self.tess, "phone"),
        ] {
            p.no_errors(&format!("{who} in {phase}")).await;
            p.accessible(&format!("{who} in {phase} ({lang})")).await;
        }
        self.board
            .screenshot_view(&format!("board-{phase}-{lang}"))
            .await;
        self.tess
            .screenshot_view(&format!("phone-{phase}-{lang}"))
            .await;
        self.tess
            .screenshot(&format!("phone-{phase}-{lang}-full"))
            .await;
        // The projector shows one screen: the board fits it.
        let fits: serde_json::Value = self
            .board
            .js("({ page: document.documentElement.scrollHeight, screen: window.innerHeight })")
            .await;
        if fits["page"].as_f64() > fits["screen"].as_f64() {
            self.board
                .screenshot(&format!("board-{phase}-{lang}-overflow"))
                .await;
            panic!("{phase}: the board is taller than the projector: {fits}");
        }
        self.fac.screenshot(&format!("laptop-{phase}-{lang}")).await;
    }

    /// Waits until every page shows the phase.
    async fn in_phase(&self, phase: &str) {
        for p in self.everyone().await {
            p.until(
                &format!("document.body.dataset.phase === {}", q(phase)),
                phase,
            )
            .await;
        }
    }
}

async fn a_session_in_a_room(lang: &'static str) {
    let Some(exe) = available() else { return };
    let _turn = one_at_a_time().await;
    let app = TestApp::spawn().await;

    // The facilitator creates the session on the start page, in the session's language.
    let fac = Person::laptop(&exe, &app.url("/")).await;
    if lang == "nl" {
        fac.click("#lang-nl").await;
    }
    fac.fill(
        "#title",
        if lang == "nl" {
            "Verkoop en terughuur"
        } else {
            "Sell and lease-back"
        },
    )
    .await;
    fac.fill("#fname", "Fran").await;
    choose(&fac, "#slang", lang).await;
    fac.click("form button[type=submit]").await;
    fac.until(
        "location.pathname.startsWith('/session/')",
        "the facilitator's page",
    )
    .await;
    let path: String = fac.js("location.pathname").await;
    let session = path.trim_start_matches("/session/").to_owned();
    let fac_token: String = fac
        .js(&format!(
            "localStorage.getItem('grondvorm.token.{session}')"
        ))
        .await;

    // "Open on the projector": a board link, opened on the projector's own machine.
    fac.click("#btn-open-board").await;
    fac.element("[id^=board-url-]").await;
    let board_link: String = fac
        .js("document.querySelector('[id^=board-url-]').textContent")
        .await;
    assert!(board_link.contains("/board/") && board_link.contains("#token="));
    let board = Person::projector(&exe, &board_link).await;
    board.element("#board-code").await;
    let code: String = board
        .js("document.querySelector('#board-code').textContent")
        .await;
    let code = code.replace(' ', "");
    assert_eq!(code.len(), 6, "{code}");

    // Tess scans the QR code (the join link), Ivo types the code on the start page, Carla opens
    // the short link; Tom joins over the protocol.
    let join = |p: Person, name: &'static str, org: &'static str| async move {
        p.fill("#name", name).await;
        let has_list: bool = p.js("Boolean(document.querySelector('#org'))").await;
        if has_list {
            let known: bool = p
                .js(&format!(
                    "[...document.querySelector('#org').options].some(o => o.textContent === {})",
                    q(org)
                ))
                .await;
            if known {
                let value: String = p.js(&format!("[...document.querySelector('#org').options].find(o => o.textContent === {}).value", q(org))).await;
                choose(&p, "#org", &value).await;
            } else {
                choose(&p, "#org", "__new").await;
                p.fill("#orgname", org).await;
            }
        } else {
            p.fill("#orgname", org).await;
        }
        p.click("form button[type=submit]").await;
        p.until(
            "location.pathname.startsWith('/session/')",
            "the session page",
        )
        .await;
        p
    };
    let tess = join(
        Person::phone(&exe, &app.url(&format!("/join/{session}"))).await,
        "Tess",
        "Telecom supplier",
    )
    .await;
    let ivo = Person::phone(&exe, &app.url("/")).await;
    ivo.fill("#join-code", &code.to_lowercase()).await;
    ivo.click("#btn-join-code").await;
    ivo.until(
        "location.pathname.startsWith('/join/')",
        "the join page by code",
    )
    .await;
    let ivo = join(ivo, "Ivo", "ICT service provider").await;
    let carla = join(
        Person::phone(&exe, &app.url(&format!("/j/{code}"))).await,
        "Carla",
        "Consultancy",
    )
    .await;
    let tom_joined = app.join(&session, "Tom", "Telecom supplier").await;
    let tom = app.connect(&session, &tom_joined.token, None).await;
    let mut room = Room {
        lang,
        fac,
        board,
        tess,
        ivo,
        carla,
        tom,
        secrets: vec![
            fac_token.clone(),
            tom_joined.token.clone(),
            "motive-of-tess".into(),
            "motive-of-tom".into(),
        ],
    };
    let tokens: Vec<String> = {
        let mut out = Vec::new();
        for p in [&room.tess, &room.ivo, &room.carla] {
            out.push(
                p.js::<String>(&format!(
                    "localStorage.getItem('grondvorm.token.{session}')"
                ))
                .await,
            );
        }
        out
    };
    room.secrets.extend(tokens);
    room.board
        .until(
            "document.querySelectorAll('.board-person').length === 4",
            "four people on the board",
        )
        .await;
    room.board
        .until(
            "document.querySelectorAll('.board-person.on').length === 4",
            "all of them online",
        )
        .await;
    // Nothing happened yet: no history, no record to download, no device-only labels.
    for absent in ["#history", "#record-panel", "#mode-badge"] {
        assert!(
            room.fac
                .js::<bool>(&format!("!document.querySelector('{absent}')"))
                .await,
            "{absent} in the lobby"
        );
    }
    // The aim first: Tess states her organisation's goal on her phone, the facilitator writes
    // down the joint goal; everyone sees both beside the questions, the board the joint one.
    room.tess
        .fill(".goal-form textarea", "Cheaper ICT that works")
        .await;
    room.tess.click(".goal-form button").await;
    unfold(&room.fac, "goals-panel").await;
    room.fac
        .fill("#goal-joint", "Good ICT and new products, together")
        .await;
    room.fac.click("#goal-joint-save").await;
    room.ivo
        .until(
            "(document.querySelector('#goals') || {}).innerText?.includes('Cheaper ICT that works') \
             && document.querySelector('#goals').innerText.includes('Good ICT and new products, together')",
            "both goals on another partner's phone",
        )
        .await;
    room.board
        .until(
            "(document.querySelector('#board-goal') || {}).innerText?.includes('Good ICT and new products, together')",
            "the joint goal on the board",
        )
        .await;
    // The facilitator's consultancy advises: it speaks, but it does not count in the form, the
    // gate or the approvals. And the record's times are in the session's own time zone.
    unfold(&room.fac, "advisors-panel").await;
    let advisor_box: String = room
        .fac
        .js("[...document.querySelectorAll('#advisors-panel label')].find(l => l.textContent.includes('Consultancy')).htmlFor")
        .await;
    room.fac.click(&format!("#{advisor_box}")).await;
    room.fac
        .until(
            &format!("(() => {{ const b = document.querySelector('#{advisor_box}'); return b.checked && !b.getAttribute('aria-busy'); }})()"),
            "the consultancy marked as advisor",
        )
        .await;
    unfold(&room.fac, "settings-panel").await;
    choose(&room.fac, "#set-time_zone", "Asia/Tokyo").await;
    room.fac
        .until(
            "(() => { const z = document.querySelector('#set-time_zone'); return z.value === 'Asia/Tokyo' && !z.getAttribute('aria-busy'); })()",
            "the session's time zone set",
        )
        .await;
    room.look("lobby").await;
    // The QR code on the projector reads at a quarter of the screen's size, as it does from the
    // back of a room.
    let shot = crate::harness::artefact(&format!("board-lobby-{lang}.png"));
    assert_eq!(
        crate::harness::read_qr(&shot, 4),
        Some(app.url(&format!("/j/{code}"))),
        "the board's QR code at a quarter of its size"
    );

    // Positioning: partners answer blind; the board shows who has answered, never what.
    room.fac.click("#btn-start_positioning").await;
    room.in_phase("positioning").await;
    room.tess
        .until(
            "document.activeElement && document.activeElement.id === 'step-h'",
            "the phone moved to the new step",
        )
        .await;
    assert!(
        room.tess
            .js::<bool>("!document.querySelector('input[name^=strength-]:checked')")
            .await,
        "how sure someone is is theirs to say: nothing is chosen for them"
    );
    answer(&room.tess, "improve", "share", Some("motive-of-tess")).await;
    // Tom stands apart from Tess (transactional against functional): the telecom supplier is
    // split. He explains his intent, not his nature.
    room.tom
        .ok("answer", json!({ "axis": "intent", "pole": "improve", "strength": 2, "motivation": "motive-of-tom" }))
        .await;
    room.tom
        .ok(
            "answer",
            json!({ "axis": "nature", "pole": "exchange", "strength": 2 }),
        )
        .await;
    answer(&room.ivo, "innovate", "share", None).await;
    room.board
        .until(
            "document.querySelectorAll('.board-answered.a2').length === 3",
            "three have answered",
        )
        .await;
    room.look("positioning").await;
    answer(&room.carla, "improve", "share", None).await;

    // The preview reaches the facilitator's page and nobody else's.
    room.fac.click("#btn-preview").await;
    room.fac.element("#preview").await;
    let preview: String = room.fac.text().await;
    assert!(
        !preview.contains("motive-of"),
        "no motivation in the preview"
    );
    room.fac.screenshot(&format!("laptop-preview-{lang}")).await;
    // The preview's event changes no view but its seq: its patch is the trace to wait for.
    const LAST_PATCH: &str = "Math.max(0, ...(window.__frames || []).map(f => JSON.parse(f)).filter(m => m.type === 'patch').map(m => m.seq))";
    let previewed: u64 = room.fac.js(LAST_PATCH).await;
    for p in [&room.board, &room.tess, &room.ivo, &room.carla] {
        p.until(
            &format!("{LAST_PATCH} >= {previewed}"),
            "the preview's trace",
        )
        .await;
        assert!(
            !p.frames().await.contains("\"type\":\"preview\""),
            "a preview reached another page"
        );
        assert!(p.js::<bool>("!document.querySelector('#preview')").await);
    }

    // The reveal: a clear cue on the board, the matrix with everyone placed and labelled.
    room.fac.click("#btn-reveal").await;
    room.in_phase("alignment").await;
    room.board.element("#board-cue").await;
    room.board.element("#board-matrix g.org-marker").await;
    // The telecom supplier is split (Tess functional, Tom entrepreneurial): one marker in each.
    room.board
        .until(
            "document.querySelectorAll('#board-matrix g.org-marker[data-split=true]').length === 2",
            "the split organisation as split",
        )
        .await;
    room.board
        .until(
            "document.querySelectorAll('#board-matrix .rep-label').length === 4",
            "a label on every dot",
        )
        .await;
    // The advisor stands on the matrix like everyone, marked as advisor.
    room.board
        .until(
            "document.querySelector('#board-matrix g.org-marker[data-advisor=true]')?.textContent.includes(document.documentElement.lang === 'nl' ? 'adviseur' : 'advisor')",
            "the advisor marked on the board",
        )
        .await;
    room.secrets.retain(|s| !s.starts_with("motive-of"));
    // Only those who differ are asked why: Ivo on the intent, Tom on the nature.
    room.ivo.element("form.asked").await;
    for p in [&room.tess, &room.carla] {
        assert!(
            p.js::<bool>("!document.querySelector('form.asked')").await,
            "only those who differ are asked"
        );
    }
    room.ivo
        .fill(
            "form.asked textarea",
            "We want to build new products together",
        )
        .await;
    room.ivo.click("form.asked button[id$=-send]").await;
    room.board
        .until(
            "document.body.innerText.includes('We want to build new products together')",
            "the reason on the board",
        )
        .await;
    room.look("alignment").await;

    // The resolution: decided (Dutch) or split (English), each with its reason and a confirmation.
    if lang == "nl" {
        choose(&room.fac, "#decide-form", "functional").await;
        room.fac
            .fill("#rationale", "De dienstverlening is de kern")
            .await;
        room.fac.click("#btn-decide").await;
        room.fac.click("#btn-decide-yes").await;
    } else {
        room.fac.fill("#track-name-0", "ICT services").await;
        choose(&room.fac, "#track-form-0", "functional").await;
        room.fac.fill("#track-name-1", "Product development").await;
        choose(&room.fac, "#track-form-1", "entrepreneurial").await;
        room.fac
            .fill(
                "#split-rationale",
                "Services stay services; the products are a venture of both",
            )
            .await;
        room.fac.click("#btn-split").await;
        room.fac.click("#btn-split-yes").await;
    }
    room.fac.element("#change-resolution").await; // the forms fold into a summary
    room.fac.click("#btn-start_design").await;
    room.in_phase("design").await;

    // Design: the facilitator points at the first aspect; board and phones follow.
    room.fac.click("#btn-next-aspect").await;
    room.board.element("#board-aspect").await;
    room.tess
        .until(
            "document.querySelector('#focus-banner')?.innerText.includes('1')",
            "aspect 1 of 13 on the phone",
        )
        .await;
    let aspect: String = room.tess.js("(() => { const d = document.querySelector('details.aspect.focused'); return d.id.split('-').slice(2).join('-'); })()").await;
    for (p, pick) in [
        (&room.tess, "accept"),
        (&room.carla, "accept"),
        (&room.ivo, "form-entrepreneurial"),
    ] {
        p.click(&format!("#resp-0-{aspect}-{pick}")).await;
        p.click(&format!("#resp-0-{aspect}-save")).await;
        p.until(
            &format!("document.querySelector('#resp-0-{aspect}-withdraw')"),
            "the response saved",
        )
        .await;
    }
    room.tom
        .ok(
            "respond",
            json!({ "track": 0, "aspect": aspect, "choice": "accept" }),
        )
        .await;
    room.board
        .until(
            "document.querySelectorAll('.board-tag.done').length === 4",
            "four have responded",
        )
        .await;
    room.look("design").await;
    room.fac.click("#btn-preview-focus").await;
    room.fac.element("#aspect-preview").await;
    room.fac.click("#btn-reveal-focus").await;
    room.board.element("#board-aspect .response-card").await;
    room.tess
        .element(&format!("#asp-0-{aspect} .response-card"))
        .await;
    // Ivo chose another form's principle: he alone is asked why.
    room.ivo.element("form.asked").await;
    room.ivo
        .fill("form.asked textarea", "We need to share the risks")
        .await;
    room.ivo.click("form.asked button[id$=-send]").await;
    room.board
        .until(
            "document.body.innerText.includes('We need to share the risks')",
            "the reason on the board",
        )
        .await;
    room.look("design-revealed").await;
    // Tess puts a text of her own forward on her phone; the facilitator sees the proposal with
    // who made it, and could agree on it.
    let prop = format!("prop-0-{aspect}");
    room.tess.click(&format!("#{prop}-new-s")).await;
    choose(&room.tess, &format!("#{prop}-source"), "own").await;
    room.tess
        .fill(&format!("#{prop}-text"), "proposal-of-tess")
        .await;
    room.tess.click(&format!("#{prop}-save")).await;
    room.fac
        .until(
            &format!("document.querySelector('#{prop} li[data-proposal=\"1\"]')?.innerText.includes('proposal-of-tess') && document.querySelector('#prop-agree-0-{aspect}-1')"),
            "Tess's proposal on the facilitator's page",
        )
        .await;
    room.tess.fits_a_phone(&format!("proposals ({lang})")).await;
    room.tess.accessible(&format!("proposals ({lang})")).await;
    room.tess
        .screenshot(&format!("phone-proposals-{lang}"))
        .await;
    // The facilitator writes the agreement in their own words, and judges that they resemble
    // another form than the track's: the mixing shows before the review.
    room.fac.click(&format!("#next-0-{aspect}-own")).await;
    room.fac
        .fill(&format!("#next-0-{aspect}-text"), "own-words-of-fran")
        .await;
    choose(
        &room.fac,
        &format!("#next-0-{aspect}-resembles"),
        "transactional",
    )
    .await;
    room.fac.click(&format!("#next-0-{aspect}-save")).await;
    room.board
        .until(
            "document.querySelector('#board-aspect .board-agreed')?.innerText.includes('own-words-of-fran')",
            "the agreement on the board",
        )
        .await;
    // Another aspect is parked, with who takes it up and by when.
    let parked: String = room
        .fac
        .js(&format!("[...document.querySelectorAll('details.aspect[id^=\"asp-0-\"]')].map(d => d.id.slice(6)).find(a => a !== {})", q(&aspect)))
        .await;
    unfold(&room.fac, &format!("asp-0-{parked}")).await;
    unfold(&room.fac, &format!("park-0-{parked}")).await;
    room.fac
        .fill(&format!("#park-0-{parked}-reason"), "After the pilot")
        .await;
    let ivo_org: String = room
        .fac
        .js(&format!("[...document.querySelector('#park-0-{parked}-owner').options].find(o => o.textContent === 'ICT service provider').value"))
        .await;
    choose(&room.fac, &format!("#park-0-{parked}-owner"), &ivo_org).await;
    room.fac
        .fill(&format!("#park-0-{parked}-due"), "2027-03-01")
        .await;
    room.fac.click(&format!("#park-0-{parked}-save")).await;
    room.fac
        .until(
            &format!(
                "document.querySelector('#item-0-{parked}-s')?.textContent.includes('2027-03-01')"
            ),
            "the parked aspect with its owner and due date",
        )
        .await;

    // The timer: everyone sees it end at once (English run only: it takes a quarter minute).
    if lang == "en" {
        unfold(&room.fac, "timer-panel").await;
        room.fac.fill("#timer-minutes", "0.25").await;
        room.fac.fill("#timer-label", "Break").await;
        room.fac.click("#btn-start_timer").await;
        for p in room.everyone().await {
            p.element(".timer").await;
        }
        room.board.screenshot_view("board-timer-en").await;
        for p in room.everyone().await {
            p.until("document.querySelector('#time-up')", "the end of the timer")
                .await;
        }
        room.board.screenshot_view("board-time-up-en").await;
        room.tess.screenshot_view("phone-time-up-en").await;
    }

    // The review, opened with aspects still open: it asks first, and can be undone.
    room.fac.click("#btn-open_review").await;
    room.fac.click("#btn-open_review-yes").await;
    room.in_phase("review").await;
    room.fac.click("#btn-back-to-design").await;
    room.fac.click("#btn-back-to-design-yes").await;
    room.in_phase("design").await;
    room.fac.click("#btn-open_review").await;
    room.fac.click("#btn-open_review-yes").await;
    room.in_phase("review").await;
    if lang == "nl" {
        // An objection that names an aspect takes the session back to design, and stays in
        // sight there until the aspect is dealt with.
        room.ivo.click("#object-s").await;
        room.ivo
            .fill("#object-reason", "De rolverdeling moet scherper")
            .await;
        room.ivo.click(&format!("#obj-0-{aspect}")).await;
        room.ivo.click("#btn-object").await;
        room.in_phase("design").await;
        for p in [&room.fac, &room.ivo] {
            p.until("document.querySelector('#objections-open')?.innerText.includes('De rolverdeling moet scherper')", "the objection in sight").await;
        }
        room.fac
            .screenshot(&format!("laptop-objection-{lang}"))
            .await;
        room.fac.click("#btn-open_review").await;
        room.fac.click("#btn-open_review-yes").await;
        room.in_phase("review").await;
    }
    // The advisor does not approve; the partners do, with two tracks one track at a time.
    room.carla.element("#approve-advisor").await;
    assert!(
        room.carla
            .js::<bool>("!document.querySelector('#btn-approve')")
            .await,
        "an advisor has no approval to give"
    );
    if lang == "en" {
        room.tess.click("#btn-approve-0").await;
        room.tess.click("#btn-approve-0-yes").await;
        room.board
            .until(
                "document.querySelector('.board-approvals li.part')?.innerText.includes('ICT services')",
                "one track approved, on the board",
            )
            .await;
        room.board.screenshot_view("board-review-part-en").await;
    }
    for p in [&room.tess, &room.ivo] {
        p.click("#btn-approve").await;
        p.click("#btn-approve-yes").await;
    }
    room.board
        .until(
            "document.querySelectorAll('.board-approvals li.on').length === 2 && document.querySelectorAll('.board-approvals li').length === 2",
            "both partners approved; the advisor is not asked",
        )
        .await;
    room.look("review").await;

    // Closing asks first; the board shows the agreed design.
    room.fac.click("#btn-close").await;
    room.fac.click("#btn-close-yes").await;
    room.in_phase("closed").await;
    room.board.element(".board-design-summary").await;
    room.look("closed").await;

    // The record: the advisor beside the partners, not among them; the own words with the form
    // they resemble; the parked aspect with its owner; times in the session's zone.
    let (status, json) = app.record(&session, &fac_token, "json").await;
    assert_eq!(status, 200, "{json}");
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["time_zone"], "Asia/Tokyo", "{json}");
    let consultancy = record["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Consultancy")
        .unwrap();
    assert_eq!(consultancy["advisor"], true);
    let aspects = record["tracks"][0]["aspects"].as_array().unwrap();
    let own = aspects
        .iter()
        .find(|a| a["aspect"] == aspect.as_str())
        .unwrap();
    if lang == "en" {
        assert_eq!(own["agreed_text"], "own-words-of-fran");
        assert_eq!(own["resembles"], "transactional");
        assert_eq!(own["mixing_warning"], true);
    } else {
        // Ivo's objection reopened it: open again, and said to have been discussed.
        assert_eq!(own["status"], "open", "{own}");
    }
    let park = aspects
        .iter()
        .find(|a| a["aspect"] == parked.as_str())
        .unwrap();
    assert_eq!(park["status"], "parked");
    assert_eq!(park["owner"], "ICT service provider");
    assert_eq!(park["due"], "2027-03-01");
    let (_, md) = app.record(&session, &fac_token, "md").await;
    assert!(md.contains("JST"), "times in Tokyo time: {md}");
    if lang == "nl" {
        assert!(md.contains("heropend na bespreking"), "{md}");
    }

    let Room {
        fac,
        board,
        tess,
        ivo,
        carla,
        ..
    } = room;
    for p in [fac, board, tess, ivo, carla] {
        p.close().await;
    }
}

#[tokio::test]
async fn a_room_runs_a_session_on_a_projector_a_laptop_and_phones_in_english() {
    a_session_in_a_room("en").await;
}

#[tokio::test]
async fn a_room_runs_a_session_on_a_projector_a_laptop_and_phones_in_dutch() {
    a_session_in_a_room("nl").await;
}
