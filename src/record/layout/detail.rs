//! The detail after the summary: who took part (partners and advisors, with their goals), every
//! positioning round with its picture and answers, and how disagreements were resolved.

use super::pictures;
use super::{Block, Ctx};
use crate::record::AxisEntry;

pub fn partners(cx: &Ctx, d: &mut Vec<Block>) {
    let r = cx.r;
    d.push(Block::Heading(
        2,
        cx.t("Who took part", "Wie deden mee").to_owned(),
    ));
    d.push(Block::Table(
        vec![
            cx.t("Organisation", "Organisatie").to_owned(),
            cx.t("Role", "Rol").to_owned(),
            cx.t("Representatives", "Vertegenwoordigers").to_owned(),
            cx.t("Own goal", "Eigen doel").to_owned(),
        ],
        r.organisations
            .iter()
            .map(|o| {
                let mut name = o.name.clone();
                if let Some(m) = &o.merged_into {
                    name.push_str(&format!(" ({} {m})", cx.t("merged into", "samengevoegd met")));
                }
                let reps: Vec<String> = o
                    .representatives
                    .iter()
                    .map(|p| {
                        if p.removed {
                            format!("{} ({})", p.name, cx.t("removed", "verwijderd"))
                        } else {
                            p.name.clone()
                        }
                    })
                    .collect();
                vec![
                    name,
                    if o.advisor {
                        cx.t("advisor (not a partner: does not count in the form or the approvals)", "adviseur (geen partner: telt niet mee in de grondvorm of de instemming)")
                    } else {
                        cx.t("partner", "partner")
                    }
                    .to_owned(),
                    reps.join(", "),
                    o.goal.clone().unwrap_or_else(|| "—".to_owned()),
                ]
            })
            .collect(),
    ));
    let facilitators: Vec<String> = r.facilitators.iter().map(|p| p.name.clone()).collect();
    d.push(Block::Para(format!(
        "{} {}",
        cx.t("Facilitated by", "Begeleid door"),
        cx.and(&facilitators)
    )));
}

/// "Improve (fairly sure)": the pole and how sure the person was, in words.
fn answer(cx: &Ctx, a: &Option<AxisEntry>) -> String {
    a.as_ref().map_or_else(
        || "—".to_owned(),
        |a| {
            let sure = match a.strength {
                1 => cx.t("a little sure", "een beetje zeker"),
                2 => cx.t("fairly sure", "tamelijk zeker"),
                _ => cx.t("very sure", "heel zeker"),
            };
            let mut label = a.label.clone();
            if let Some(first) = label.get(..1) {
                label = first.to_uppercase() + &label[1..];
            }
            format!("{label} ({sure})")
        },
    )
}

pub fn positioning(cx: &Ctx, d: &mut Vec<Block>) {
    let r = cx.r;
    if r.rounds.is_empty() {
        return;
    }
    d.push(Block::Heading(
        2,
        cx.t("Positioning", "Positionering").to_owned(),
    ));
    d.push(Block::Para(
        cx.t(
            "Each representative answered two questions about the aim of the collaboration, blind: its intent (improve or innovate) and its nature (exchange or share), each with how sure they were. Together the answers place the collaboration in one of the four basic forms.",
            "Elke vertegenwoordiger beantwoordde blind twee vragen over het doel van de samenwerking: de intentie (verbeteren of vernieuwen) en de aard (uitwisselen of delen), elk met hoe zeker hij of zij was. Samen plaatsen de antwoorden de samenwerking in een van de vier grondvormen.",
        )
        .to_owned(),
    ));
    for round in &r.rounds {
        let mut title = format!(
            "{} {} · {} {}",
            cx.t("Round", "Ronde"),
            round.round,
            cx.t("revealed", "onthuld"),
            cx.time(&round.revealed_at)
        );
        if round.automatic {
            title.push_str(&format!(
                " ({})",
                cx.t(
                    "as soon as everyone had answered",
                    "zodra iedereen had geantwoord"
                )
            ));
        }
        d.push(Block::Heading(3, title));
        if round.forced {
            d.push(Block::Notice(format!(
                "{} {}.",
                cx.t(
                    "Revealed before everyone had answered. Not answered:",
                    "Onthuld voordat iedereen had geantwoord. Niet geantwoord:"
                ),
                cx.and(&round.missing)
            )));
        }
        d.push(pictures::matrix(cx, round, 66));
        d.push(Block::Table(
            vec![
                cx.t("Person", "Persoon").to_owned(),
                cx.t("Organisation", "Organisatie").to_owned(),
                cx.t("Intent", "Intentie").to_owned(),
                cx.t("Nature", "Aard").to_owned(),
                cx.t("Form", "Grondvorm").to_owned(),
                cx.t("Why", "Waarom").to_owned(),
            ],
            round
                .positions
                .iter()
                .map(|p| {
                    let why: Vec<String> = [&p.intent, &p.nature]
                        .iter()
                        .filter_map(|a| a.as_ref().and_then(|a| a.motivation.clone()))
                        .collect();
                    vec![
                        p.participant.clone(),
                        p.organisation.clone(),
                        answer(cx, &p.intent),
                        answer(cx, &p.nature),
                        p.form.map_or_else(|| "—".to_owned(), |f| cx.form(f)),
                        why.join(" / "),
                    ]
                })
                .collect(),
        ));
        match round.agreed {
            Some(f) => d.push(Block::Para(format!(
                "{} {}.",
                cx.t(
                    "Every partner placed the collaboration in one form:",
                    "Elke partner plaatste de samenwerking in één grondvorm:"
                ),
                cx.form(f)
            ))),
            None => {
                for dis in &round.disagreements {
                    d.push(Block::Para(format!(
                        "{} {} ({}) {} {} ({}). {}",
                        cx.t("Different forms:", "Verschillende grondvormen:"),
                        cx.form(dis.a),
                        cx.and(&dis.a_organisations),
                        cx.t("against", "tegenover"),
                        cx.form(dis.b),
                        cx.and(&dis.b_organisations),
                        dis.explanation
                    )));
                }
                let split: Vec<String> = round
                    .standings
                    .iter()
                    .filter(|s| s.split)
                    .map(|s| s.organisation.clone())
                    .collect();
                if !split.is_empty() {
                    d.push(Block::Para(format!(
                        "{} {}",
                        cx.t(
                            "Divided inside the organisation:",
                            "Verdeeld binnen de organisatie:"
                        ),
                        cx.and(&split)
                    )));
                }
            }
        }
    }
}

pub fn resolutions(cx: &Ctx, d: &mut Vec<Block>) {
    let r = cx.r;
    if r.resolutions.is_empty() {
        return;
    }
    d.push(Block::Heading(
        2,
        cx.t(
            "How the partners came to one form",
            "Hoe de partners tot één grondvorm kwamen",
        )
        .to_owned(),
    ));
    d.push(Block::List(
        r.resolutions
            .iter()
            .map(|res| {
                let when = format!("{}{}", cx.time(&res.at), cx.by(&res.by));
                match res.kind.as_str() {
                    "new_round" => format!(
                        "{} {} {} ({when})",
                        cx.t("After round", "Na ronde"),
                        res.round,
                        cx.t(
                            "the partners answered again",
                            "antwoordden de partners opnieuw"
                        )
                    ),
                    "decided" => {
                        let mut s = format!(
                            "{} {}: {}. {} {}",
                            cx.t(
                                "The facilitator decided after round",
                                "De facilitator besloot na ronde"
                            ),
                            res.round,
                            res.form.map(|f| cx.form(f)).unwrap_or_default(),
                            cx.t("Rationale:", "Onderbouwing:"),
                            res.rationale.clone().unwrap_or_default()
                        );
                        if !res.dissenting.is_empty() {
                            s.push_str(&format!(
                                " — {} {}",
                                cx.t("another position was held by", "een ander standpunt had"),
                                cx.and(&res.dissenting)
                            ));
                        }
                        format!("{s} ({when})")
                    }
                    _ => format!(
                        "{} {}: {}. {} {} ({when})",
                        cx.t(
                            "Split into tracks after round",
                            "Opgesplitst in sporen na ronde"
                        ),
                        res.round,
                        res.tracks.join("; "),
                        cx.t("Rationale:", "Onderbouwing:"),
                        res.rationale.clone().unwrap_or_else(|| "—".to_owned())
                    ),
                }
            })
            .collect(),
    ));
}
