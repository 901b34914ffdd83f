//! The agenda of the next meeting, made from the record: the aspects as a checklist, what remains
//! to discuss before the collaboration can really be organised first (open, revealed and parked
//! aspects with their reason, dissent, owner and due date; earlier agreements now contested),
//! then what is settled. A diagnosis's agenda is its improvement actions and what it could not
//! settle: the gaps, the mixing, the aspects seen differently and those not diagnosed.

use super::{Block, Ctx};
use crate::model::Aspect;
use crate::record::{AspectEntry, DiagnosisEntry, Record, TrackEntry};

/// The agenda's title.
pub fn title(r: &Record) -> String {
    let cx = Ctx::new(r);
    format!("{}: {}", cx.t("Agenda", "Agenda"), r.title)
}

pub fn agenda(r: &Record) -> Vec<Block> {
    let cx = Ctx::new(r);
    let mut d = vec![
        Block::Heading(1, title(r)),
        Block::Para(match &r.closed_at {
            Some(at) => format!(
                "{} {}.",
                cx.t(
                    "For the next meeting, from the record of the session closed",
                    "Voor het volgende overleg, uit het verslag van de sessie, gesloten"
                ),
                cx.time(at)
            ),
            None => format!(
                "{} {}",
                cx.t(
                    "For the next meeting, from the session as it stands now.",
                    "Voor het volgende overleg, uit de sessie zoals die nu staat."
                ),
                super::summary::status(&cx)
            ),
        }),
    ];
    match &r.diagnosis {
        Some(g) => diagnosis(&cx, g, &mut d),
        None => design(&cx, r, &mut d),
    }
    let open: Vec<String> = r
        .objections
        .iter()
        .map(|o| format!("{}: {}", o.organisation, o.reason))
        .collect();
    if !open.is_empty() {
        d.push(Block::Heading(
            2,
            cx.t("Objections raised", "Ingediende bezwaren").to_owned(),
        ));
        d.push(Block::List(open));
    }
    d
}

/// What remains of an aspect to discuss, in a few words: its state, why, who, by when.
fn remains(cx: &Ctx, a: &AspectEntry, contested: Option<&str>) -> String {
    let mut parts = vec![match a.status.as_str() {
        "open" => cx.t("not yet discussed", "nog niet besproken").to_owned(),
        "revealed" => cx
            .t(
                "responses revealed, not agreed",
                "reacties onthuld, niet afgesproken",
            )
            .to_owned(),
        "parked" => format!(
            "{}: {}",
            cx.t("parked", "geparkeerd"),
            a.parked_reason.as_deref().unwrap_or("")
        ),
        _ => cx.t("agreed", "afgesproken").to_owned(),
    }];
    if let Some(c) = contested {
        parts.push(c.to_owned());
    }
    if !a.dissenting.is_empty() {
        parts.push(format!(
            "{}: {}",
            cx.t("dissent", "afwijkend"),
            cx.and(&a.dissenting)
        ));
    }
    if let Some(o) = &a.owner {
        parts.push(format!("{}: {o}", cx.t("owner", "eigenaar")));
    }
    if let Some(due) = a.due {
        parts.push(format!("{}: {due}", cx.t("due", "uiterlijk")));
    }
    parts.join("; ")
}

/// An earlier agreement a follow-up found contested, in words.
fn contested(cx: &Ctx, r: &Record, track: &TrackEntry, aspect: Aspect) -> Option<String> {
    let c = r
        .follow_up
        .as_ref()?
        .aspects
        .iter()
        .find(|x| x.track == track.name && x.aspect == aspect)?;
    match c.verdict.as_deref() {
        Some("changed") => Some(format!(
            "{} {}",
            cx.t(
                "the earlier agreement changed for",
                "de eerdere afspraak veranderde voor"
            ),
            cx.and(&c.changed)
        )),
        Some("no_longer") => Some(format!(
            "{} {}",
            cx.t(
                "the earlier agreement no longer holds for",
                "de eerdere afspraak klopt niet meer voor"
            ),
            cx.and(&c.no_longer)
        )),
        _ => None,
    }
}

fn design(cx: &Ctx, r: &Record, d: &mut Vec<Block>) {
    // Still to discuss: what is not agreed. An earlier agreement contested in a follow-up stays
    // to discuss until it is agreed again (kept, or replaced).
    let to_discuss = |a: &AspectEntry| a.status != "agreed";
    let left: usize = r
        .tracks
        .iter()
        .map(|t| t.aspects.iter().filter(|a| to_discuss(a)).count())
        .sum();
    d.push(Block::Notice(if r.tracks.is_empty() {
        cx.t(
            "No design yet: the partners first agree on the form of their collaboration.",
            "Nog geen ontwerp: de partners kiezen eerst samen de grondvorm van hun samenwerking.",
        )
        .to_owned()
    } else if left == 0 {
        cx.t(
            "Every aspect is agreed: the collaboration can really be organised.",
            "Elk aspect is afgesproken: de samenwerking kan echt worden ingericht.",
        )
        .to_owned()
    } else {
        format!(
            "{} {}",
            cx.count(
                left,
                ("aspect remains", "aspect blijft"),
                ("aspects remain", "aspecten blijven")
            ),
            cx.t(
                "to discuss before the collaboration can really be organised.",
                "te bespreken voordat de samenwerking echt kan worden ingericht."
            )
        )
    }));
    for t in &r.tracks {
        d.push(Block::Heading(
            2,
            if r.tracks.len() > 1 {
                format!("{} — {}", t.name, cx.form(t.form))
            } else {
                cx.form(t.form)
            },
        ));
        let todo: Vec<Vec<String>> = t
            .aspects
            .iter()
            .filter(|a| to_discuss(a))
            .map(|a| {
                vec![
                    "☐".to_owned(),
                    a.label.clone(),
                    a.question.clone(),
                    remains(cx, a, contested(cx, r, t, a.aspect).as_deref()),
                ]
            })
            .collect();
        d.push(Block::Heading(
            3,
            cx.t("To discuss", "Te bespreken").to_owned(),
        ));
        if todo.is_empty() {
            d.push(Block::Para(cx.t("Nothing.", "Niets.").to_owned()));
        } else {
            d.push(Block::Table(
                vec![
                    String::new(),
                    cx.t("Aspect", "Aspect").to_owned(),
                    cx.t("Question", "Vraag").to_owned(),
                    cx.t("Where it stands", "Waar het staat").to_owned(),
                ],
                todo,
            ));
        }
        let done: Vec<String> = t
            .aspects
            .iter()
            .filter(|a| !to_discuss(a))
            .map(|a| {
                let again = contested(cx, r, t, a.aspect)
                    .map(|c| format!(" ({}; {c})", cx.t("agreed again", "opnieuw afgesproken")))
                    .unwrap_or_default();
                format!(
                    "☑ {}: {}{again}",
                    a.label,
                    a.agreed_text.as_deref().unwrap_or("")
                )
            })
            .collect();
        if !done.is_empty() {
            d.push(Block::Heading(3, cx.t("Agreed", "Afgesproken").to_owned()));
            d.push(Block::List(done));
        }
    }
}

fn diagnosis(cx: &Ctx, g: &DiagnosisEntry, d: &mut Vec<Block>) {
    let label = |a: &Aspect| {
        g.aspects
            .iter()
            .find(|x| x.aspect == *a)
            .map(|x| x.label.clone())
            .unwrap_or_default()
    };
    let actions: Vec<Vec<String>> = g
        .aspects
        .iter()
        .flat_map(|a| {
            a.actions.iter().map(|x| {
                vec![
                    "☐".to_owned(),
                    a.label.clone(),
                    x.text.clone(),
                    x.owner.clone().unwrap_or_else(|| "—".to_owned()),
                    x.due
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "—".to_owned()),
                ]
            })
        })
        .collect();
    d.push(Block::Notice(format!(
        "{}; {}.",
        cx.count(
            actions.len(),
            ("improvement action", "verbeteractie"),
            ("improvement actions", "verbeteracties")
        ),
        cx.count(
            g.gaps.len() + g.mixing.len() + g.differing.len() + g.not_diagnosed.len(),
            ("point to discuss", "punt om te bespreken"),
            ("points to discuss", "punten om te bespreken")
        )
    )));
    d.push(Block::Heading(
        2,
        cx.t("Improvement actions", "Verbeteracties").to_owned(),
    ));
    if actions.is_empty() {
        d.push(Block::Para(cx.t("None yet.", "Nog geen.").to_owned()));
    } else {
        d.push(Block::Table(
            vec![
                String::new(),
                cx.t("Aspect", "Aspect").to_owned(),
                cx.t("Action", "Actie").to_owned(),
                cx.t("Owner", "Eigenaar").to_owned(),
                cx.t("Due", "Uiterlijk").to_owned(),
            ],
            actions,
        ));
    }
    d.push(Block::Heading(
        2,
        cx.t("To discuss", "Te bespreken").to_owned(),
    ));
    for (title, list) in [
        (
            cx.t(
                "Gaps: nobody could place these with a form",
                "Leemtes: niemand kon deze bij een grondvorm plaatsen",
            ),
            &g.gaps,
        ),
        (
            cx.t(
                "Mixing: practice of another form",
                "Menging: praktijk van een andere grondvorm",
            ),
            &g.mixing,
        ),
        (
            cx.t("Seen differently", "Verschillend gezien"),
            &g.differing,
        ),
        (
            cx.t("Not diagnosed yet", "Nog niet doorgelicht"),
            &g.not_diagnosed,
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        d.push(Block::Heading(3, title.to_owned()));
        d.push(Block::List(
            list.iter().map(|a| format!("☐ {}", label(a))).collect(),
        ));
    }
}
