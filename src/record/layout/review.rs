//! The end of the record: the review (approvals and objections), how the session was closed,
//! the facilitator's notes, and the technical appendix (identity, hash and how to check it).

use super::{Block, Ctx};

pub fn review(cx: &Ctx, d: &mut Vec<Block>) {
    let r = cx.r;
    if r.approvals.is_empty() && r.objections.is_empty() && r.closure.is_none() {
        return;
    }
    d.push(Block::Heading(2, cx.t("Review", "Vaststelling").to_owned()));
    let mut items: Vec<String> = r
        .approvals
        .iter()
        .map(|a| {
            let what = if a.tracks.is_empty() || r.tracks.len() < 2 {
                cx.t("the whole design", "de hele inrichting").to_owned()
            } else {
                cx.and(&a.tracks)
            };
            format!(
                "{} {} {what} ({}{})",
                a.organisation,
                cx.t("approved", "stemde in met"),
                cx.time(&a.at),
                cx.by(&a.by)
            )
        })
        .collect();
    for o in &r.objections {
        let mut s = format!(
            "{} {}: {} ({}{})",
            o.organisation,
            cx.t("objected", "maakte bezwaar"),
            o.reason,
            cx.time(&o.at),
            cx.by(&o.by)
        );
        if !o.aspects.is_empty() {
            s.push_str(&format!(
                " — {} {}",
                cx.t("about", "over"),
                o.aspects.join("; ")
            ));
        }
        items.push(s);
    }
    if !items.is_empty() {
        d.push(Block::List(items));
    }
    if let Some(c) = &r.closure {
        let how = if c.forced {
            let mut s = format!(
                "{} {}",
                cx.t(
                    "Closed without the approval of",
                    "Gesloten zonder instemming van"
                ),
                cx.and(&c.not_approved)
            );
            if r.objections
                .iter()
                .any(|o| c.not_approved.contains(&o.organisation))
            {
                s.push_str(cx.t(
                    ", their objections recorded above",
                    ", met hun bezwaren hierboven vastgelegd",
                ));
            }
            s
        } else {
            cx.t(
                "Closed with every partner's approval",
                "Gesloten met instemming van elke partner",
            )
            .to_owned()
        };
        d.push(Block::Para(format!(
            "{how} ({}{}).",
            cx.time(&c.at),
            cx.by(&c.by)
        )));
    }
}

pub fn notes(cx: &Ctx, d: &mut Vec<Block>) {
    let r = cx.r;
    if r.notes.is_empty() {
        return;
    }
    d.push(Block::Heading(
        2,
        cx.t("Facilitator's notes", "Notities van de facilitator")
            .to_owned(),
    ));
    d.push(Block::List(
        r.notes
            .iter()
            .map(|n| {
                let phase = match n.phase.as_str() {
                    "lobby" => cx.t("before the start", "vóór de start"),
                    "positioning" => cx.t("while positioning", "tijdens de positionering"),
                    "alignment" => cx.t("while aligning", "tijdens de afstemming"),
                    "design" => cx.t("while designing", "tijdens de inrichting"),
                    "review" => cx.t("in review", "tijdens de vaststelling"),
                    _ => cx.t("after closing", "na de afsluiting"),
                };
                format!(
                    "{} · {}, {phase}{}: {}",
                    cx.time(&n.at),
                    n.about,
                    cx.by(&n.by),
                    n.text
                )
            })
            .collect(),
    ));
}

pub fn appendix(cx: &Ctx, d: &mut Vec<Block>) {
    let r = cx.r;
    d.push(Block::Heading(
        2,
        cx.t("Technical appendix", "Technische bijlage").to_owned(),
    ));
    d.push(Block::Para(
        cx.t(
            "For checking this record; a board member can skip it.",
            "Om dit verslag te controleren; een bestuurder kan dit overslaan.",
        )
        .to_owned(),
    ));
    let mut facts = vec![
        format!("{} {}", cx.t("Session:", "Sessie:"), r.session_id),
        format!("{} {}", cx.t("Format:", "Formaat:"), r.schema),
        format!(
            "{} {}",
            cx.t(
                "Last event included:",
                "Laatste gebeurtenis in dit verslag:"
            ),
            r.last_seq
        ),
        format!(
            "{} {}",
            cx.t("Times are shown in", "Tijden staan in"),
            r.time_zone
        ),
        format!(
            "{} {}",
            cx.t("Created:", "Aangemaakt:"),
            cx.time(&r.created_at)
        ),
    ];
    if let Some(c) = &r.closed_at {
        facts.push(format!("{} {}", cx.t("Closed:", "Gesloten:"), cx.time(c)));
    }
    d.push(Block::List(facts));
    d.push(Block::Hash(
        format!(
            "{} {}",
            cx.t("Content hash:", "Inhoudshash:"),
            r.content_hash
        ),
        cx.t(
            "Check a copy of the JSON record with: grondvorm verify RECORD.json",
            "Controleer een kopie van het JSON-verslag met: grondvorm verify VERSLAG.json",
        )
        .to_owned(),
    ));
}
