//! A follow-up from the pages, in each language: on a closed session's page the facilitator
//! starts its follow-up; the partners join their organisations again on their phones and
//! position; the board shows who moved where since the baseline; in the design the aspects
//! agreed before are the proposals, and a partner says one no longer holds; the facilitator's
//! page shows the re-check and the series.
//! Screenshots: test-artifacts/follow-{board,phone,laptop}-{moment}-{lang}.png.

use crate::harness::{Person, available, look_at, one_at_a_time};
use crate::helpers::{TestApp, closed_design};
use crate::room::{choose, q};

struct Room {
    lang: &'static str,
    fac: Person,
    board: Person,
    tess: Person,
    ivo: Person,
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

    async fn look(&self, moment: &str) {
        look_at(
            "follow",
            moment,
            self.lang,
            &self.board,
            &self.tess,
            &self.fac,
        )
        .await;
    }
}

/// A partner joins an organisation on the list, or (when it is not there) a new one.
async fn join(exe: &std::path::PathBuf, url: &str, name: &str, org: &str) -> Person {
    let p = Person::phone(exe, url).await;
    p.fill("#name", name).await;
    p.element("#org").await;
    let value: String = p
        .js(&format!(
            "([...document.querySelector('#org').options].find(o => o.textContent === {}) || {{ value: '__new' }}).value",
            q(org)
        ))
        .await;
    choose(&p, "#org", &value).await;
    if value == "__new" {
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

async fn answer(p: &Person, intent: &str, nature: &str) {
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

/// Opens an aspect's <details> on a page, by its summary.
async fn open(p: &Person, id: &str) {
    p.element(&format!("#{id}")).await;
    let _: bool = p
        .js(&format!(
            "(() => {{ const d = document.getElementById({}); if (!d.open) d.querySelector('summary').click(); return true; }})()",
            q(id)
        ))
        .await;
}

async fn a_follow_up_in_a_room(lang: &'static str) {
    let Some(exe) = available() else { return };
    let _turn = one_at_a_time().await;
    let app = TestApp::spawn().await;
    let nl = lang == "nl";
    let (earlier, fac_token, _) = closed_design(&app, lang).await;

    // The closed session's page offers the follow-up.
    let fac = Person::laptop(
        &exe,
        &app.url(&format!("/session/{earlier}#token={fac_token}")),
    )
    .await;
    if nl {
        fac.click("#lang-nl").await;
    }
    fac.element("#follow-up").await;
    fac.screenshot(&format!("follow-laptop-closed-{lang}"))
        .await;
    fac.fill(
        "#follow-up-title",
        if nl {
            "Telecom, een half jaar later"
        } else {
            "Telecom, six months on"
        },
    )
    .await;
    fac.click("#btn-follow-up").await;
    fac.until(
        &format!(
            "location.pathname.startsWith('/session/') && !location.pathname.includes({})",
            q(&earlier)
        ),
        "the follow-up's page",
    )
    .await;
    fac.until(
        "document.querySelector('#baseline-line') && document.querySelector('#drift-panel')",
        "the baseline on the new session",
    )
    .await;
    let title: String = fac
        .js("document.querySelector('h1.title').textContent")
        .await;
    assert!(
        title.contains(if nl { "half jaar" } else { "six months" }),
        "the title typed: {title}"
    );
    let session = fac
        .js::<String>("location.pathname")
        .await
        .trim_start_matches("/session/")
        .to_owned();
    fac.click("#btn-open-board").await;
    fac.element("[id^=board-url-]").await;
    let board_link: String = fac
        .js("document.querySelector('[id^=board-url-]').textContent")
        .await;
    let board = Person::projector(&exe, &board_link).await;
    board.element("#board-code").await;
    let url = app.url(&format!("/join/{session}"));
    let tess = join(&exe, &url, "Tess", "Telecom supplier").await;
    let ivo = join(&exe, &url, "Ivo", "ICT service provider").await;
    // A later entrant: an organisation that was not part of the baseline.
    let nora = join(&exe, &url, "Nora", "New partner").await;
    let room = Room {
        lang,
        fac,
        board,
        tess,
        ivo,
    };
    // Before the positions are revealed, a phone shows only what this session follows.
    room.tess.element("#baseline-line").await;
    assert!(
        room.tess
            .js::<bool>("!document.querySelector('#drift-panel')")
            .await,
        "a partner answers without being shown where they stood"
    );

    room.fac.click("#btn-start_positioning").await;
    room.in_phase("positioning").await;
    answer(&room.tess, "improve", "share").await;
    answer(&room.ivo, "innovate", "share").await;
    answer(&nora, "improve", "share").await;
    room.fac.click("#btn-reveal").await;
    room.in_phase("alignment").await;
    room.board
        .until(
            "document.querySelector('#board-drift g.drift-org[data-moved=true][data-before=functional][data-now=entrepreneurial]') \
             && document.querySelectorAll('#board-drift g.drift-org').length === 3 \
             && document.querySelector('#board-drift g.drift-org[data-before=\"\"][data-now=functional]')",
            "the ICT provider's move on the board",
        )
        .await;
    room.tess.element("#drift-panel").await;
    room.look("alignment").await;

    // The facilitator decides on the functional form again; design starts.
    choose(&room.fac, "#decide-form", "functional").await;
    room.fac
        .fill("#rationale", if nl { "ICT eerst" } else { "ICT first" })
        .await;
    room.fac.click("#btn-decide").await;
    room.fac.click("#btn-decide-yes").await;
    room.fac.click("#btn-start_design").await;
    room.in_phase("design").await;

    // Key roles: the earlier agreement is the proposal; Tess keeps it, Ivo says it no longer holds.
    let aspect = "asp-0-key_roles";
    for (p, pick) in [(&room.tess, "accept"), (&room.ivo, "no_longer")] {
        open(p, aspect).await;
        p.until(
            &format!(
                "document.getElementById({}).innerText.includes('Telecom leads, ICT delivers')",
                q(aspect)
            ),
            "the earlier agreement as the proposal",
        )
        .await;
        p.click(&format!("#resp-0-key_roles-{pick}")).await;
        p.click("#resp-0-key_roles-save").await;
        p.until(
            "document.querySelector('#resp-0-key_roles-withdraw')",
            "the response saved",
        )
        .await;
    }
    // The entrant sees why it is asked, and objects by choosing another form's principle.
    open(&nora, aspect).await;
    nora.element("#entrant-note").await;
    nora.click("#resp-0-key_roles-form-entrepreneurial").await;
    nora.click("#resp-0-key_roles-save").await;
    nora.until(
        "document.querySelector('#resp-0-key_roles-withdraw')",
        "the entrant's response saved",
    )
    .await;
    nora.screenshot(&format!("follow-phone-entrant-{lang}"))
        .await;
    open(&room.fac, aspect).await;
    room.fac.click("#fac-0-key_roles-reveal").await;
    room.fac
        .until(
            "document.querySelector('#agree-0-key_roles-entrant') \
             && document.querySelector('#entrants-list li .flag')",
            "the entrant's objection, which reopens nothing by itself",
        )
        .await;
    room.fac
        .until(
            "document.querySelector('#recheck-list li[data-aspect=key_roles][data-verdict=no_longer]')",
            "the re-check on the facilitator's page",
        )
        .await;
    open(&room.fac, "series-d").await;
    room.fac
        .until(
            "document.querySelectorAll('#series g.series-org').length === 3 && document.querySelectorAll('#series-table thead th').length === 3",
            "the series: three organisations over two sessions",
        )
        .await;
    // What remains before the collaboration can really be organised, on the board; and the
    // agenda of the next meeting among the facilitator's tools.
    room.board
        .until(
            "(document.querySelector('#board-remains') || {}).textContent?.includes('13')",
            "what remains, on the board",
        )
        .await;
    room.fac.element("#agenda-html-open").await;
    room.look("design").await;

    // The record has the drift.
    let token: String = room
        .fac
        .js(&format!(
            "localStorage.getItem('grondvorm.token.{session}')"
        ))
        .await;
    let (status, md) = app.record(&session, &token, "md").await;
    assert_eq!(status, 200, "{md}");
    assert!(
        md.contains(if nl {
            "Ten opzichte van de nulmeting"
        } else {
            "Against the baseline"
        }),
        "{md}"
    );
    let Room {
        fac,
        board,
        tess,
        ivo,
        ..
    } = room;
    for p in [fac, board, tess, ivo, nora] {
        p.close().await;
    }
}

#[tokio::test]
async fn a_follow_up_runs_from_the_pages_in_english() {
    a_follow_up_in_a_room("en").await;
}

#[tokio::test]
async fn a_follow_up_runs_from_the_pages_in_dutch() {
    a_follow_up_in_a_room("nl").await;
}
