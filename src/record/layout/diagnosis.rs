//! A diagnosis record's own sections: the summary (what the partners intend, the dominant
//! form, the profile picture with its mixing map, the gaps, the actions), and per aspect the
//! placements, the finding and the actions.

use super::{Block, Ctx};
use crate::model::{Aspect, Form};
use crate::record::html::esc;
use crate::record::{DiagnosisAspectEntry, DiagnosisEntry};

fn labels(g: &DiagnosisEntry, aspects: &[Aspect]) -> Vec<String> {
    aspects
        .iter()
        .filter_map(|a| g.aspects.iter().find(|x| x.aspect == *a))
        .map(|a| a.label.clone())
        .collect()
}

/// A heading and the aspects under it by name, or "None.".
fn aspect_list(
    cx: &Ctx,
    g: &DiagnosisEntry,
    d: &mut Vec<Block>,
    title: (&'static str, &'static str),
    aspects: &[Aspect],
) {
    d.push(Block::Heading(3, cx.t(title.0, title.1).to_owned()));
    let items = labels(g, aspects);
    d.push(if items.is_empty() {
        Block::Para(cx.t("None.", "Geen.").to_owned())
    } else {
        Block::List(items)
    });
}

fn form_or(cx: &Ctx, f: Option<Form>, none: (&'static str, &'static str)) -> String {
    f.map(|f| cx.form(f))
        .unwrap_or_else(|| cx.t(none.0, none.1).to_owned())
}

/// The summary of a diagnosis.
pub fn summary(cx: &Ctx, g: &DiagnosisEntry, d: &mut Vec<Block>) {
    let r = cx.r;
    d.push(Block::Heading(1, r.title.clone()));
    d.push(Block::Para(format!(
        "{} · {}",
        if g.subject == "plan" {
            cx.t(
                "Record of a diagnosis of a plan",
                "Verslag van een diagnose van een plan",
            )
        } else {
            cx.t(
                "Record of a diagnosis of the collaboration",
                "Verslag van een diagnose van de samenwerking",
            )
        },
        cx.day(&r.created_at)
    )));
    d.push(Block::Notice(super::summary::status(cx)));
    d.push(Block::Heading(
        2,
        cx.t("Summary", "Samenvatting").to_owned(),
    ));
    d.push(Block::Term(
        cx.t("Intended form:", "Beoogde grondvorm:").to_owned(),
        form_or(
            cx,
            g.intended,
            (
                "not stated, or the partners differ",
                "niet genoemd, of de partners verschillen",
            ),
        ),
    ));
    d.push(Block::Term(
        cx.t(
            "Dominant form in practice:",
            "Dominante grondvorm in de praktijk:",
        )
        .to_owned(),
        form_or(
            cx,
            g.dominant,
            (
                "none (no single form holds most aspects)",
                "geen (geen enkele vorm heeft de meeste aspecten)",
            ),
        ),
    ));
    d.push(profile(cx, g));
    let mixing: Vec<String> = g
        .mixing
        .iter()
        .filter_map(|a| g.aspects.iter().find(|x| x.aspect == *a))
        .map(|a| {
            format!(
                "{}: {}",
                a.label,
                a.form.map(|f| cx.form(f)).unwrap_or_default()
            )
        })
        .collect();
    d.push(Block::Heading(3, cx.t("Mixing", "Menging").to_owned()));
    d.push(Block::Para(match g.reference {
        Some(f) => format!(
            "{} {}.",
            cx.t(
                "Aspects whose practice belongs to another form than",
                "Aspecten waarvan de praktijk bij een andere vorm hoort dan"
            ),
            cx.form(f)
        ),
        None => cx
            .t(
                "No form to measure mixing against.",
                "Geen vorm om menging aan te meten.",
            )
            .to_owned(),
    }));
    if mixing.is_empty() {
        d.push(Block::Para(cx.t("None.", "Geen.").to_owned()));
    } else {
        d.push(Block::List(mixing));
    }
    aspect_list(
        cx,
        g,
        d,
        (
            "Gaps: aspects nobody could place",
            "Witte vlekken: aspecten die niemand kon plaatsen",
        ),
        &g.gaps,
    );
    aspect_list(
        cx,
        g,
        d,
        (
            "Seen differently by the partners",
            "Door de partners verschillend gezien",
        ),
        &g.differing,
    );
    if !g.not_diagnosed.is_empty() {
        aspect_list(
            cx,
            g,
            d,
            ("Not diagnosed yet", "Nog niet gediagnosticeerd"),
            &g.not_diagnosed,
        );
    }
    let rows: Vec<Vec<String>> = g
        .aspects
        .iter()
        .flat_map(|a| {
            a.actions.iter().map(move |x| {
                vec![
                    a.label.clone(),
                    x.text.clone(),
                    x.owner.clone().unwrap_or_default(),
                    x.due.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
        })
        .collect();
    d.push(Block::Heading(
        3,
        cx.t("Improvement actions", "Verbeteracties").to_owned(),
    ));
    if rows.is_empty() {
        d.push(Block::Para(
            cx.t("None recorded.", "Geen vastgelegd.").to_owned(),
        ));
    } else {
        d.push(Block::Table(
            vec![
                cx.t("Aspect", "Aspect").to_owned(),
                cx.t("Action", "Actie").to_owned(),
                cx.t("Owner", "Eigenaar").to_owned(),
                cx.t("Due", "Uiterlijk").to_owned(),
            ],
            rows,
        ));
    }
}

/// The profile picture: per aspect, how many placements count for each form, with the
/// aspects that mix marked; the same in words beside it.
fn profile(cx: &Ctx, g: &DiagnosisEntry) -> Block {
    const ROW: i32 = 24;
    const LABEL: i32 = 250;
    const CELL: i32 = 80;
    let height = ROW * (g.aspects.len() as i32 + 1) + 10;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"13\"><title>{}</title>",
        esc(cx.t("Profile of the practice", "Profiel van de praktijk")),
        w = LABEL + 4 * CELL + 90
    );
    for (i, f) in Form::ALL.iter().enumerate() {
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"16\" text-anchor=\"middle\" font-weight=\"700\">{}</text>",
            LABEL + i as i32 * CELL + CELL / 2,
            esc(&cx.form(*f))
        ));
    }
    let most = g
        .aspects
        .iter()
        .flat_map(|a| a.counts)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut text = Vec::new();
    for (row, a) in g.aspects.iter().enumerate() {
        let y = ROW * (row as i32 + 1) + 4;
        svg.push_str(&format!(
            "<text x=\"4\" y=\"{}\">{}</text>",
            y + 16,
            esc(&a.label)
        ));
        for (i, n) in a.counts.iter().enumerate() {
            let shade = if *n == 0 {
                0.0
            } else {
                0.2 + 0.8 * f64::from(*n) / f64::from(most)
            };
            svg.push_str(&format!(
                "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"#2b6cb0\" fill-opacity=\"{shade:.2}\" stroke=\"#ccc\"/>",
                LABEL + i as i32 * CELL + 2,
                CELL - 4,
                ROW - 4
            ));
            if *n > 0 {
                svg.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#000\">{n}</text>",
                    LABEL + i as i32 * CELL + CELL / 2,
                    y + 15
                ));
            }
        }
        let (mark, words) = flag(cx, g, a);
        if !mark.is_empty() {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" fill=\"#b7791f\" font-weight=\"700\">{}</text>",
                LABEL + 4 * CELL + 6,
                y + 16,
                esc(mark)
            ));
        }
        let counts: Vec<String> = Form::ALL
            .iter()
            .zip(a.counts)
            .filter(|(_, n)| *n > 0)
            .map(|(f, n)| format!("{} {n}", cx.form(*f)))
            .collect();
        text.push(format!(
            "{}: {}{}",
            a.label,
            if counts.is_empty() {
                cx.t("not placed", "niet geplaatst").to_owned()
            } else {
                counts.join(", ")
            },
            words
        ));
    }
    svg.push_str("</svg>");
    Block::Figure {
        svg,
        caption: cx
            .t(
                "Profile and mixing map: per aspect, the placements for each form",
                "Profiel en mengkaart: per aspect de plaatsingen per vorm",
            )
            .to_owned(),
        text,
        width: 100,
    }
}

/// The mark an aspect gets on the map, and the same in words.
fn flag(cx: &Ctx, g: &DiagnosisEntry, a: &DiagnosisAspectEntry) -> (&'static str, String) {
    if g.mixing.contains(&a.aspect) {
        (
            cx.t("mixing", "menging"),
            format!(" ({})", cx.t("mixing", "menging")),
        )
    } else if g.gaps.contains(&a.aspect) {
        (
            cx.t("gap", "witte vlek"),
            format!(" ({})", cx.t("gap", "witte vlek")),
        )
    } else if g.differing.contains(&a.aspect) {
        (
            cx.t("differs", "verschilt"),
            format!(" ({})", cx.t("seen differently", "verschillend gezien")),
        )
    } else {
        ("", String::new())
    }
}

/// Per aspect: the question, the placements, the finding and the actions.
pub fn aspects(cx: &Ctx, g: &DiagnosisEntry, d: &mut Vec<Block>) {
    d.push(Block::Heading(
        2,
        cx.t("Per aspect", "Per aspect").to_owned(),
    ));
    for a in &g.aspects {
        d.push(Block::Heading(3, a.label.clone()));
        d.push(Block::Para(a.question.clone()));
        if a.placements.is_empty() {
            d.push(Block::Para(
                cx.t("Not revealed.", "Niet onthuld.").to_owned(),
            ));
        } else {
            let rows = a
                .placements
                .iter()
                .map(|p| {
                    let placed = match p.placed.as_str() {
                        "form" => p.form.map(|f| cx.form(f)).unwrap_or_default(),
                        "none" => cx.t("none of the four", "geen van de vier").to_owned(),
                        _ => match p.form {
                            Some(f) => format!(
                                "{} ({} {})",
                                cx.t("own words", "eigen woorden"),
                                cx.t("resembles", "lijkt op"),
                                cx.form(f)
                            ),
                            None => cx.t("own words", "eigen woorden").to_owned(),
                        },
                    };
                    let words = match (p.placed.as_str(), &p.text) {
                        ("own", Some(t)) => format!("“{t}”"),
                        _ => String::new(),
                    };
                    vec![
                        p.organisation.clone(),
                        p.participant.clone(),
                        placed,
                        [words, p.example.clone().unwrap_or_default()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" — "),
                    ]
                })
                .collect();
            d.push(Block::Table(
                vec![
                    cx.t("Organisation", "Organisatie").to_owned(),
                    cx.t("Representative", "Vertegenwoordiger").to_owned(),
                    cx.t("Placed with", "Geplaatst bij").to_owned(),
                    cx.t("In their words, example", "In eigen woorden, voorbeeld")
                        .to_owned(),
                ],
                rows,
            ));
        }
        if let Some(f) = &a.finding {
            d.push(Block::Term(
                cx.t("Finding:", "Bevinding:").to_owned(),
                f.clone(),
            ));
        }
        if !a.actions.is_empty() {
            d.push(Block::List(
                a.actions
                    .iter()
                    .map(|x| {
                        let mut s = format!("{} {}: {}", cx.t("Action", "Actie"), x.id, x.text);
                        if let Some(o) = &x.owner {
                            s.push_str(&format!(" — {o}"));
                        }
                        if let Some(due) = x.due {
                            s.push_str(&format!(", {} {due}", cx.t("due", "uiterlijk")));
                        }
                        s
                    })
                    .collect(),
            ));
        }
    }
}
