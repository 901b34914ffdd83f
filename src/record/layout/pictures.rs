//! The record's pictures, as inline SVG with the same content in words: the 2×2 matrix with
//! every organisation placed, and a track's 13 aspects at a glance.

use super::{Block, Ctx};
use crate::model::{Form, Intent, Nature};
use crate::record::html::esc;
use crate::record::{RoundEntry, TrackEntry};

/// A long name shortened for a picture (the words beside it keep it whole).
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

const GRID_X: i32 = 70;
const GRID_Y: i32 = 40;
const CELL_W: i32 = 230;
const CELL_H: i32 = 180;

fn quadrant(f: Form) -> (i32, i32) {
    let col = if f.nature() == Nature::Exchange { 0 } else { 1 };
    let row = if f.intent() == Intent::Innovate { 0 } else { 1 };
    (GRID_X + col * CELL_W, GRID_Y + row * CELL_H)
}

fn tint(f: Form) -> (&'static str, &'static str) {
    match f {
        Form::Transactional => ("#eceff3", "#4a5568"),
        Form::Functional => ("#e4edf9", "#2b6cb0"),
        Form::Entrepreneurial => ("#e3f2e6", "#2f855a"),
        Form::Exploratory => ("#fbf0dc", "#b7791f"),
    }
}

/// Where each organisation stood in a round: per form, its name and whether it was divided
/// inside or took part as an advisor.
fn placed(cx: &Ctx, round: &RoundEntry) -> Vec<(Form, String, bool, bool)> {
    let mut out = Vec::new();
    for o in &cx.r.organisations {
        let mut forms: Vec<Form> = round
            .positions
            .iter()
            .filter(|p| p.organisation == o.name)
            .filter_map(|p| p.form)
            .collect();
        forms.sort();
        forms.dedup();
        let split = forms.len() > 1;
        for f in forms {
            out.push((f, o.name.clone(), split, o.advisor));
        }
    }
    out
}

/// The 2×2 matrix of a round, with every organisation placed in its form.
pub fn matrix(cx: &Ctx, round: &RoundEntry, width: u8) -> Block {
    let placed = placed(cx, round);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 450\" width=\"600\" height=\"450\" role=\"img\" font-family=\"sans-serif\" font-size=\"14\"><title>{}</title>",
        esc(cx.t(
            "The four basic forms, with the organisations placed",
            "De vier grondvormen, met de organisaties geplaatst"
        ))
    );
    for f in Form::ALL {
        let (x, y) = quadrant(f);
        let (fill, ink) = tint(f);
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL_W}\" height=\"{CELL_H}\" fill=\"{fill}\" stroke=\"#8a94a6\"/><text x=\"{}\" y=\"{}\" font-weight=\"700\" font-size=\"16\" fill=\"{ink}\">{}</text>",
            x + 12,
            y + 24,
            esc(&cx.form(f))
        ));
        let here: Vec<&(Form, String, bool, bool)> = placed.iter().filter(|p| p.0 == f).collect();
        for (i, (_, name, split, advisor)) in here.iter().take(5).enumerate() {
            let ly = y + 54 + 24 * i as i32;
            let dot = if *advisor {
                format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"#fff\" stroke=\"{ink}\" stroke-width=\"2\"/>",
                    x + 20,
                    ly - 5
                )
            } else {
                format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"{ink}\"/>",
                    x + 20,
                    ly - 5
                )
            };
            let mut label = short(name, 22);
            if *split {
                label.push_str(cx.t(" · divided", " · verdeeld"));
            }
            if *advisor {
                label.push_str(cx.t(" · advisor", " · adviseur"));
            }
            svg.push_str(&format!(
                "{dot}<text x=\"{}\" y=\"{ly}\" fill=\"#111\">{}</text>",
                x + 34,
                esc(&label)
            ));
        }
        if here.len() > 5 {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" fill=\"#444\">+{} {}</text>",
                x + 34,
                y + 54 + 24 * 5,
                here.len() - 5,
                cx.t("more", "meer")
            ));
        }
    }
    let mid = GRID_X + CELL_W;
    let bottom = GRID_Y + 2 * CELL_H;
    svg.push_str(&format!(
        "<text x=\"{mid}\" y=\"26\" text-anchor=\"middle\" font-weight=\"700\">▲ {}</text><text x=\"{mid}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"700\">▼ {}</text><text x=\"{GRID_X}\" y=\"{}\" font-weight=\"700\">◀ {}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-weight=\"700\">{} ▶</text></svg>",
        esc(&cap(Intent::Innovate.label().get(cx.lang))),
        bottom + 24,
        esc(&cap(Intent::Improve.label().get(cx.lang))),
        bottom + 24,
        esc(&cap(Nature::Exchange.label().get(cx.lang))),
        GRID_X + 2 * CELL_W,
        bottom + 24,
        esc(&cap(Nature::Share.label().get(cx.lang))),
    ));
    let text = Form::ALL
        .iter()
        .filter_map(|&f| {
            let names: Vec<String> = placed
                .iter()
                .filter(|p| p.0 == f)
                .map(|(_, n, split, advisor)| {
                    let mut n = n.clone();
                    if *split {
                        n.push_str(cx.t(" (divided)", " (verdeeld)"));
                    }
                    if *advisor {
                        n.push_str(cx.t(" (advisor)", " (adviseur)"));
                    }
                    n
                })
                .collect();
            (!names.is_empty()).then(|| format!("{}: {}", cx.form(f), cx.and(&names)))
        })
        .collect();
    Block::Figure {
        svg,
        caption: format!(
            "{} {}: {}",
            cx.t("Round", "Ronde"),
            round.round,
            cx.t(
                "where each organisation placed the collaboration",
                "waar elke organisatie de samenwerking plaatste"
            )
        ),
        text,
        width,
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// How an aspect stands, for the picture: colour, mark and words.
fn standing(cx: &Ctx, status: &str, mixed: bool) -> (&'static str, &'static str, &'static str) {
    match (status, mixed) {
        ("agreed", false) => (
            "#2f855a",
            "✓",
            cx.t(
                "agreed in the track's form",
                "afgesproken in de grondvorm van het spoor",
            ),
        ),
        ("agreed", true) => (
            "#c05621",
            "!",
            cx.t(
                "agreed, but in another form",
                "afgesproken, maar in een andere grondvorm",
            ),
        ),
        ("parked", _) => ("#2b6cb0", "P", cx.t("parked", "geparkeerd")),
        _ => ("#718096", "○", cx.t("open", "open")),
    }
}

/// A track's 13 aspects at a glance, by cluster.
pub fn aspects(cx: &Ctx, t: &TrackEntry) -> Block {
    let rows = t.aspects.len() as i32;
    let clusters = {
        let mut c: Vec<_> = t.aspects.iter().map(|a| a.cluster).collect();
        c.dedup();
        c
    };
    let height = 24 * rows + 30 * clusters.len() as i32 + 16;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 {height}\" width=\"600\" height=\"{height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"14\"><title>{}</title>",
        esc(cx.t(
            "The 13 aspects at a glance",
            "De 13 aspecten in één oogopslag"
        ))
    );
    let mut y = 8;
    let mut last = None;
    let mut text = Vec::new();
    for a in &t.aspects {
        if last != Some(a.cluster) {
            last = Some(a.cluster);
            y += 22;
            svg.push_str(&format!(
                "<text x=\"4\" y=\"{y}\" font-weight=\"700\" fill=\"#333\">{}</text>",
                esc(a.cluster.label().get(cx.lang))
            ));
            y += 8;
        }
        y += 24;
        let (colour, mark, words) = standing(cx, &a.status, a.mixing_warning);
        svg.push_str(&format!(
            "<rect x=\"10\" y=\"{}\" width=\"18\" height=\"18\" rx=\"3\" fill=\"{colour}\"/><text x=\"19\" y=\"{}\" text-anchor=\"middle\" fill=\"#fff\" font-weight=\"700\" font-size=\"12\">{mark}</text><text x=\"38\" y=\"{}\" fill=\"#111\">{}</text><text x=\"596\" y=\"{}\" text-anchor=\"end\" fill=\"{colour}\">{}</text>",
            y - 15,
            y - 2,
            y - 2,
            esc(&short(&a.label, 40)),
            y - 2,
            esc(words)
        ));
        text.push(format!("{}: {words}", a.label));
    }
    svg.push_str("</svg>");
    Block::Figure {
        svg,
        caption: format!(
            "{} {}: {}",
            cx.t("Track", "Spoor"),
            t.name,
            cx.t(
                "the 13 aspects at a glance",
                "de 13 aspecten in één oogopslag"
            )
        ),
        text,
        width: 90,
    }
}
