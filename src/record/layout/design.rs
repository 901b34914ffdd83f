//! The design per track: the 13 aspects at a glance, then each aspect's outcome — agreed text,
//! or visibly open with its owner and due date — and the responses behind it.

use super::pictures;
use super::{Block, Ctx};
use crate::record::AspectEntry;

/// Not agreed: open, revealed but not yet agreed, or parked.
pub fn is_open(a: &AspectEntry) -> bool {
    a.status != "agreed"
}

/// The status of an aspect in words, with who takes it up and by when while it is open.
pub fn outcome_status(cx: &Ctx, a: &AspectEntry) -> String {
    let mut s = match a.status.as_str() {
        "agreed" if a.mixing_warning => cx
            .t(
                "agreed, but in another form than the track's",
                "afgesproken, maar in een andere grondvorm dan die van het spoor",
            )
            .to_owned(),
        "agreed" => cx.t("agreed", "afgesproken").to_owned(),
        "parked" => match &a.parked_reason {
            Some(why) => format!(
                "{} ({})",
                cx.t("parked", "geparkeerd"),
                why.trim_end_matches('.')
            ),
            None => cx.t("parked", "geparkeerd").to_owned(),
        },
        "revealed" => cx
            .t(
                "open: discussed, not yet agreed",
                "open: besproken, nog niet afgesproken",
            )
            .to_owned(),
        // Reopened after a reveal: it was discussed, and is open again.
        _ if !a.rounds.is_empty() => cx
            .t(
                "open: reopened after discussion",
                "open: heropend na bespreking",
            )
            .to_owned(),
        _ => cx
            .t("open: not yet discussed", "open: nog niet besproken")
            .to_owned(),
    };
    if let Some(o) = &a.owner {
        s.push_str(&format!(" · {} {o}", cx.t("owner:", "eigenaar:")));
    }
    if let Some(due) = &a.due {
        s.push_str(&format!(
            " · {} {}",
            cx.t("due", "uiterlijk"),
            due.format("%Y-%m-%d")
        ));
    }
    s
}

/// What an aspect came to: the agreed text only when it was agreed.
fn outcome(cx: &Ctx, a: &AspectEntry) -> String {
    match &a.agreed_text {
        Some(text) if a.status == "agreed" => {
            // A principle of the model is that form's; own words only resemble one.
            match (a.matches, a.resembles) {
                (Some(f), _) => format!(
                    "{text} ({} {})",
                    cx.t("the principle of", "het principe van"),
                    cx.form(f)
                ),
                (None, Some(f)) => format!(
                    "{text} ({} {})",
                    cx.t("own words, resembling", "eigen woorden, verwant aan"),
                    cx.form(f)
                ),
                (None, None) => format!("{text} ({})", cx.t("own words", "eigen woorden")),
            }
        }
        _ => format!(
            "{} {}",
            cx.t(
                "Not agreed. The model's proposal:",
                "Niet afgesproken. Het voorstel van het model:"
            ),
            a.proposal
        ),
    }
}

pub fn tracks(cx: &Ctx, d: &mut Vec<Block>) {
    if cx.r.tracks.is_empty() {
        return;
    }
    d.push(Block::Heading(
        2,
        cx.t("The design", "De inrichting").to_owned(),
    ));
    for t in &cx.r.tracks {
        d.push(Block::Heading(
            3,
            format!("{} {}: {}", cx.t("Track", "Spoor"), t.name, cx.form(t.form)),
        ));
        d.push(Block::Para(format!(
            "{} {}",
            cx.t("Taking part:", "Doen mee:"),
            cx.and(&t.organisations)
        )));
        d.push(pictures::aspects(cx, t));
        d.push(Block::Table(
            vec![
                cx.t("Aspect and question", "Aspect en vraag").to_owned(),
                cx.t("Outcome", "Uitkomst").to_owned(),
                cx.t("Status", "Status").to_owned(),
            ],
            t.aspects
                .iter()
                .map(|a| {
                    let mut status = outcome_status(cx, a);
                    if !a.dissenting.is_empty() {
                        status.push_str(&format!(
                            " · {} {}",
                            cx.t("dissent:", "afwijkend:"),
                            cx.and(&a.dissenting)
                        ));
                    }
                    vec![
                        format!("{} — {}", a.label, a.question),
                        outcome(cx, a),
                        status,
                    ]
                })
                .collect(),
        ));
        for a in t.aspects.iter().filter(|a| !a.rounds.is_empty()) {
            let mut items = Vec::new();
            for round in &a.rounds {
                for x in &round.responses {
                    let kind = match x.choice.as_str() {
                        "accept" => cx.t("accepts the proposal", "akkoord met het voorstel"),
                        "other_form" => cx.t(
                            "another form's principle",
                            "principe van een andere grondvorm",
                        ),
                        _ => cx.t("own words", "eigen woorden"),
                    };
                    let mut s = format!(
                        "{} {}: {} ({}, {kind}): {}",
                        cx.t("Round", "Ronde"),
                        round.round,
                        x.participant,
                        x.organisation,
                        x.text
                    );
                    if let Some(f) = x.form.filter(|f| *f != t.form) {
                        s.push_str(&format!(
                            " — {} {} {} {}",
                            cx.t("mixing:", "vermenging:"),
                            cx.form(f),
                            cx.t("in a track of", "in een spoor van"),
                            cx.form(t.form)
                        ));
                    }
                    if let Some(c) = &x.comment {
                        s.push_str(&format!(" — {} {c}", cx.t("comment:", "opmerking:")));
                    }
                    items.push(s);
                }
            }
            d.push(Block::Para(format!(
                "{} {}",
                cx.t("Responses on", "Reacties op"),
                a.label
            )));
            d.push(Block::List(items));
        }
    }
}
