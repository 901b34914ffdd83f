//! A follow-up's section: the session it follows, who moved where on the 2×2 since, how the
//! aspects agreed then were re-checked, and the series of sessions.

use super::{Block, Ctx};
use crate::model::{Axis, Form};
use crate::record::{FollowUpEntry, MoveEntry};

fn form(cx: &Ctx, f: Option<Form>) -> String {
    f.map(|f| cx.form(f)).unwrap_or_else(|| "—".to_owned())
}

fn axis(cx: &Ctx, a: Axis) -> String {
    a.label().get(cx.lang).to_owned()
}

/// "moved" or "the same", or nothing to compare.
fn change(cx: &Ctx, m: &MoveEntry) -> String {
    match (m.before, m.now) {
        (Some(_), Some(_)) if m.moved => cx.t("moved", "verschoven").to_owned(),
        (Some(_), Some(_)) => cx.t("the same", "gelijk").to_owned(),
        _ => "—".to_owned(),
    }
}

pub fn section(cx: &Ctx, f: &FollowUpEntry, d: &mut Vec<Block>) {
    d.push(Block::Heading(
        2,
        cx.t("Against the baseline", "Ten opzichte van de nulmeting")
            .to_owned(),
    ));
    d.push(Block::Para(format!(
        "{} “{}” ({} {}; {} {}).",
        cx.t("This session follows up", "Deze sessie volgt op"),
        f.baseline.title,
        cx.t("closed", "gesloten"),
        cx.time(&f.baseline.closed_at),
        cx.t("its record", "het verslag"),
        f.baseline.content_hash
    )));
    if !f.revealed {
        d.push(Block::Notice(
            cx.t(
                "No positions of this session were revealed: where the organisations stand now is not known.",
                "Er zijn geen posities van deze sessie onthuld: waar de organisaties nu staan, is niet bekend.",
            )
            .to_owned(),
        ));
    }
    d.push(Block::Para(format!(
        "{}: {} → {} ({}).",
        cx.t(
            "The form the partners intend",
            "De grondvorm die de partners beogen"
        ),
        form(cx, f.intended.before),
        form(cx, f.intended.now),
        change(cx, &f.intended)
    )));
    d.push(Block::Heading(
        3,
        cx.t("Drift per organisation", "Verschuiving per organisatie")
            .to_owned(),
    ));
    d.push(Block::Table(
        vec![
            cx.t("Organisation", "Organisatie").to_owned(),
            cx.t("Then", "Toen").to_owned(),
            cx.t("Now", "Nu").to_owned(),
            cx.t("Moved on", "Verschoven op").to_owned(),
        ],
        f.organisations
            .iter()
            .map(|o| {
                let name = if o.in_baseline {
                    o.organisation.clone()
                } else {
                    format!(
                        "{} ({})",
                        o.organisation,
                        cx.t("joined since", "sindsdien erbij")
                    )
                };
                let axes: Vec<String> = o.axes.iter().map(|&a| axis(cx, a)).collect();
                vec![
                    name,
                    form(cx, o.form.before),
                    form(cx, o.form.now),
                    if axes.is_empty() {
                        change(cx, &o.form)
                    } else {
                        axes.join(", ")
                    },
                ]
            })
            .collect(),
    ));
    let several = f.aspects.iter().any(|a| a.track != f.aspects[0].track);
    if !f.aspects.is_empty() {
        d.push(Block::Heading(
            3,
            cx.t(
                "The aspects agreed then, re-checked",
                "De toen afgesproken aspecten, opnieuw getoetst",
            )
            .to_owned(),
        ));
        d.push(Block::Table(
            vec![
                cx.t("Aspect", "Aspect").to_owned(),
                cx.t("Agreed then", "Toen afgesproken").to_owned(),
                cx.t("Now", "Nu").to_owned(),
            ],
            f.aspects
                .iter()
                .map(|r| {
                    let mut now = match r.verdict.as_deref() {
                        Some("still") => {
                            cx.t("still as agreed", "nog zoals afgesproken").to_owned()
                        }
                        Some("changed") => cx.t("changed", "veranderd").to_owned(),
                        Some("no_longer") => cx.t("no longer true", "klopt niet meer").to_owned(),
                        _ => cx.t("not re-checked", "niet opnieuw getoetst").to_owned(),
                    };
                    for (names, what) in [
                        (&r.changed, cx.t("changed", "veranderd")),
                        (&r.no_longer, cx.t("no longer true", "klopt niet meer")),
                    ] {
                        if !names.is_empty() && r.verdict.is_some() {
                            now.push_str(&format!("; {what}: {}", cx.and(names)));
                        }
                    }
                    let label = if several {
                        format!("{} › {}", r.track, r.label)
                    } else {
                        r.label.clone()
                    };
                    vec![label, r.agreed_before.clone(), now]
                })
                .collect(),
        ));
    }
    if !f.entrants.is_empty() {
        d.push(Block::Heading(
            3,
            cx.t("Joined since", "Sindsdien toegetreden").to_owned(),
        ));
        let none = || cx.t("none", "geen").to_owned();
        let list = |names: &[String]| {
            if names.is_empty() {
                none()
            } else {
                names.join(", ")
            }
        };
        d.push(Block::Table(
            vec![
                cx.t("Organisation", "Organisatie").to_owned(),
                cx.t("Accepted", "Aanvaard").to_owned(),
                cx.t("Objected to", "Bezwaar tegen").to_owned(),
                cx.t("Not yet answered", "Nog niet beantwoord").to_owned(),
            ],
            f.entrants
                .iter()
                .map(|e| {
                    vec![
                        e.organisation.clone(),
                        list(&e.accepted),
                        list(&e.objected),
                        list(&e.pending),
                    ]
                })
                .collect(),
        ));
    }
    if !f.profile.is_empty() {
        d.push(Block::Heading(
            3,
            cx.t("The profile then and now", "Het profiel toen en nu")
                .to_owned(),
        ));
        d.push(Block::Table(
            vec![
                cx.t("Aspect", "Aspect").to_owned(),
                cx.t("Then", "Toen").to_owned(),
                cx.t("Now", "Nu").to_owned(),
            ],
            f.profile
                .iter()
                .map(|p| {
                    vec![
                        p.label.clone(),
                        form(cx, p.form.before),
                        form(cx, p.form.now),
                    ]
                })
                .collect(),
        ));
    }
    d.push(Block::Heading(3, cx.t("The series", "De reeks").to_owned()));
    d.push(Block::List(
        f.series
            .iter()
            .map(|s| {
                let when = s
                    .closed_at
                    .map(|t| cx.day(&t))
                    .unwrap_or_else(|| cx.t("this session", "deze sessie").to_owned());
                let orgs: Vec<String> = s
                    .organisations
                    .iter()
                    .map(|o| format!("{}: {}", o.organisation, form(cx, o.form)))
                    .collect();
                format!("{} ({when}) — {}", s.title, orgs.join(", "))
            })
            .collect(),
    ));
}
