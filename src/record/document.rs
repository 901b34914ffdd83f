//! The record laid out as a document of headings, paragraphs, lists and tables, in the
//! session's language. Markdown and HTML both render this one layout, so they cannot drift
//! apart.

use super::labels::{Labels, labels};
use super::{Record, RecordStatus};
use crate::model::{Form, Lang};
use chrono::{DateTime, Utc};

/// One block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 1–3.
    Heading(u8, String),
    Para(String),
    /// A paragraph that must stand out (draft notice, warnings).
    Notice(String),
    List(Vec<String>),
    /// A table with a header row.
    Table(Vec<String>, Vec<Vec<String>>),
    /// The content hash line.
    Hash(String, String),
}

fn time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn form(f: Form, lang: Lang) -> String {
    f.label().get(lang).to_owned()
}

fn opt_form(f: Option<Form>, l: &Labels, lang: Lang) -> String {
    f.map_or_else(|| l.none.to_owned(), |f| form(f, lang))
}

/// ", by NAME" (or nothing), to follow a time inside parentheses.
fn by(name: &Option<String>, l: &Labels) -> String {
    name.as_ref()
        .map(|n| format!(", {} {n}", l.by))
        .unwrap_or_default()
}

/// Lays the record out.
pub fn layout(r: &Record) -> Vec<Block> {
    let lang = r.language;
    let l = labels(lang);
    let mut d = vec![Block::Heading(1, format!("{}: {}", l.record, r.title))];
    d.push(Block::Notice(match r.status {
        RecordStatus::Draft => l.draft_notice.to_owned(),
        RecordStatus::Final => l.final_notice.to_owned(),
    }));
    let mut facts = vec![format!("{}: {}", l.created, time(&r.created_at))];
    if let Some(c) = &r.closed_at {
        facts.push(format!("{}: {}", l.closed, time(c)));
    }
    facts.push(format!(
        "{}: {}",
        l.facilitators,
        r.facilitators
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    d.push(Block::List(facts));

    d.push(Block::Heading(2, l.organisations.to_owned()));
    d.push(Block::Table(
        vec![l.organisation.to_owned(), l.representatives.to_owned()],
        r.organisations
            .iter()
            .map(|o| {
                let mut name = o.name.clone();
                if let Some(m) = &o.merged_into {
                    name.push_str(&format!(" ({} {m})", l.merged_into));
                }
                let reps = o
                    .representatives
                    .iter()
                    .map(|p| {
                        if p.removed {
                            format!("{} ({})", p.name, l.removed)
                        } else {
                            p.name.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![name, reps]
            })
            .collect(),
    ));

    d.push(Block::Heading(2, l.positioning.to_owned()));
    for round in &r.rounds {
        let mut title = format!(
            "{} {} — {} {}",
            l.round,
            round.round,
            l.revealed_at,
            time(&round.revealed_at)
        );
        if round.automatic {
            title.push_str(&format!(" ({})", l.automatic));
        }
        d.push(Block::Heading(3, title));
        if round.forced {
            d.push(Block::Notice(format!(
                "{}. {}: {}",
                l.forced,
                l.missing,
                round.missing.join(", ")
            )));
        }
        d.push(Block::Table(
            vec![
                l.person.to_owned(),
                l.organisation.to_owned(),
                l.intent.to_owned(),
                l.nature.to_owned(),
                l.form.to_owned(),
                l.motivation.to_owned(),
            ],
            round
                .positions
                .iter()
                .map(|p| {
                    let axis = |a: &Option<super::AxisEntry>| {
                        a.as_ref().map_or_else(
                            || "—".to_owned(),
                            |a| format!("{} ({} {}/3)", a.label, l.strength, a.strength),
                        )
                    };
                    let motivations: Vec<String> = [&p.intent, &p.nature]
                        .iter()
                        .filter_map(|a| a.as_ref().and_then(|a| a.motivation.clone()))
                        .collect();
                    vec![
                        p.participant.clone(),
                        p.organisation.clone(),
                        axis(&p.intent),
                        axis(&p.nature),
                        opt_form(p.form, l, lang),
                        motivations.join(" / "),
                    ]
                })
                .collect(),
        ));
        let standings: Vec<String> = round
            .standings
            .iter()
            .map(|s| match (s.form, s.split) {
                (_, true) => format!("{}: {}", s.organisation, l.split_inside),
                (Some(f), false) => format!("{}: {}", s.organisation, form(f, lang)),
                (None, false) => format!("{}: {}", s.organisation, l.none),
            })
            .collect();
        d.push(Block::List(standings));
        match round.agreed {
            Some(f) => d.push(Block::Para(format!("{}: {}", l.agreed_form, form(f, lang)))),
            None => {
                d.push(Block::Para(format!(
                    "{}: {}",
                    l.axes_in_dispute,
                    round.axes_in_dispute.join(", ")
                )));
                for dis in &round.disagreements {
                    d.push(Block::Para(format!(
                        "{} — {} ({}) / {} ({}). {}",
                        l.disagreements,
                        form(dis.a, lang),
                        dis.a_organisations.join(", "),
                        form(dis.b, lang),
                        dis.b_organisations.join(", "),
                        dis.explanation
                    )));
                }
            }
        }
    }

    if !r.resolutions.is_empty() {
        d.push(Block::Heading(2, l.resolutions.to_owned()));
        d.push(Block::List(
            r.resolutions
                .iter()
                .map(|res| {
                    let when = format!(
                        "{} {} ({}{})",
                        l.round,
                        res.round,
                        time(&res.at),
                        by(&res.by, l)
                    );
                    match res.kind.as_str() {
                        "new_round" => format!("{} — {when}", l.new_round),
                        "decided" => format!(
                            "{} — {when}: {}. {}: {}. {}: {}",
                            l.decided,
                            opt_form(res.form, l, lang),
                            l.rationale,
                            res.rationale.clone().unwrap_or_default(),
                            l.dissent,
                            if res.dissenting.is_empty() {
                                l.none.to_owned()
                            } else {
                                res.dissenting.join(", ")
                            }
                        ),
                        _ => format!("{} — {when}: {}", l.split, res.tracks.join("; ")),
                    }
                })
                .collect(),
        ));
    }

    if !r.tracks.is_empty() {
        d.push(Block::Heading(2, l.design.to_owned()));
    }
    for t in &r.tracks {
        d.push(Block::Heading(
            3,
            format!("{}: {} — {}", l.track, t.name, form(t.form, lang)),
        ));
        d.push(Block::Para(format!(
            "{}: {}",
            l.organisations,
            t.organisations.join(", ")
        )));
        d.push(Block::Table(
            vec![
                l.question.to_owned(),
                l.agreed_text.to_owned(),
                l.status.to_owned(),
            ],
            t.aspects
                .iter()
                .map(|a| {
                    let mut outcome = match (&a.agreed_text, &a.parked_reason) {
                        (Some(text), _) => {
                            let mut s = text.clone();
                            if let Some(m) = a.matches {
                                s.push_str(&format!(" [{} {}]", l.matches, form(m, lang)));
                            }
                            s
                        }
                        (None, Some(reason)) => format!("{}: {reason}", l.parked_because),
                        (None, None) => format!("{}: {}", l.proposal, a.proposal),
                    };
                    if a.mixing_warning {
                        outcome.push_str(&format!(" ⚠ {}", l.mixing_warning));
                    }
                    if !a.dissenting.is_empty() {
                        outcome.push_str(&format!(" — {}: {}", l.dissent, a.dissenting.join(", ")));
                    }
                    let mut flags = l.status(&a.status).to_owned();
                    // The latest round only: earlier rounds were superseded, and the responses
                    // list below keeps them.
                    let mixing: Vec<String> = a
                        .rounds
                        .last()
                        .into_iter()
                        .flat_map(|round| round.mixing.iter())
                        .map(|m| {
                            format!(
                                "{} ({}: {} ≠ {})",
                                m.organisation,
                                m.participant,
                                form(m.chosen_form, lang),
                                form(m.track_form, lang)
                            )
                        })
                        .collect();
                    if !mixing.is_empty() {
                        flags.push_str(&format!("; ⚠ {}: {}", l.mixing, mixing.join(", ")));
                    }
                    vec![format!("{} — {}", a.label, a.question), outcome, flags]
                })
                .collect(),
        ));
        let label_of = |ids: &[crate::model::Aspect]| {
            if ids.is_empty() {
                l.none.to_owned()
            } else {
                ids.iter()
                    .map(|a| a.label().get(lang))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        d.push(Block::List(vec![
            format!("{}: {}", l.open_items, label_of(&t.open)),
            format!("{}: {}", l.parked_items, label_of(&t.parked)),
        ]));
        for a in t.aspects.iter().filter(|a| !a.rounds.is_empty()) {
            let mut items = Vec::new();
            for round in &a.rounds {
                for x in &round.responses {
                    let mut s = format!(
                        "{} {}: {} ({}, {}) — {}",
                        l.round,
                        round.round,
                        x.participant,
                        x.organisation,
                        l.choice(&x.choice),
                        x.text
                    );
                    if let Some(c) = &x.comment {
                        s.push_str(&format!(" ({}: {c})", l.comment));
                    }
                    items.push(s);
                }
            }
            d.push(Block::Para(format!("{} — {}", l.responses, a.label)));
            d.push(Block::List(items));
        }
    }

    d.push(Block::Heading(2, l.review.to_owned()));
    d.push(Block::List(
        std::iter::once(format!(
            "{}: {}",
            l.approvals,
            if r.approvals.is_empty() {
                l.none.to_owned()
            } else {
                r.approvals
                    .iter()
                    .map(|a| format!("{} ({}{})", a.organisation, time(&a.at), by(&a.by, l)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ))
        .chain(r.objections.iter().map(|o| {
            let mut s = format!(
                "{}: {} — {} ({}{})",
                l.objections,
                o.organisation,
                o.reason,
                time(&o.at),
                by(&o.by, l)
            );
            if !o.aspects.is_empty() {
                s.push_str(&format!(" → {}", o.aspects.join("; ")));
            }
            s
        }))
        .collect(),
    ));
    if let Some(c) = &r.closure {
        d.push(Block::Heading(2, l.closure.to_owned()));
        let how = if c.forced {
            format!(
                "{}. {}: {}",
                l.closed_with_objections,
                l.not_approved,
                c.not_approved.join(", ")
            )
        } else {
            l.closed_all_approved.to_owned()
        };
        d.push(Block::Para(format!(
            "{how} ({}{})",
            time(&c.at),
            by(&c.by, l)
        )));
    }
    if !r.notes.is_empty() {
        d.push(Block::Heading(2, l.notes.to_owned()));
        d.push(Block::List(
            r.notes
                .iter()
                .map(|n| {
                    format!(
                        "{} — {} ({}{}): {}",
                        time(&n.at),
                        n.about,
                        n.phase,
                        by(&n.by, l),
                        n.text
                    )
                })
                .collect(),
        ));
    }
    d.push(Block::Hash(
        format!("{}: {}", l.content_hash, r.content_hash),
        l.hash_help.to_owned(),
    ));
    d
}
