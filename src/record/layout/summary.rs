//! The first page: what a board member reads — the aim, the form agreed per track and what it
//! means, the picture, the key agreements, what is still open, the risks, and who approved.

use super::design::{is_open, outcome_status};
use super::pictures;
use super::{Block, Ctx};
use crate::model::{Axis, Form};
use crate::record::{RecordStatus, TrackEntry};

pub fn summary(cx: &Ctx, d: &mut Vec<Block>) {
    let r = cx.r;
    d.push(Block::Heading(1, r.title.clone()));
    let mut dates = cx.day(&r.created_at);
    if let Some(c) = &r.closed_at {
        let closed = cx.day(c);
        if closed != dates {
            dates = format!("{dates} – {closed}");
        }
    }
    d.push(Block::Para(format!(
        "{} · {dates}",
        cx.t(
            "Record of the collaboration's design",
            "Verslag van de inrichting van de samenwerking"
        )
    )));
    d.push(Block::Notice(status(cx)));
    d.push(Block::Heading(
        2,
        cx.t("Summary", "Samenvatting").to_owned(),
    ));
    // The aim and the forms beside the picture of where everyone stood: on paper that keeps
    // the summary to one page.
    let mut left = Vec::new();
    aim(cx, &mut left);
    forms(cx, &mut left);
    // How the form was reached sits under the picture of the round it was reached from, and
    // who approved it under that: the side column has room that the page needs.
    let mut right = Vec::new();
    if let Some(round) = r.rounds.last() {
        right.push(pictures::matrix(cx, round, 100));
    }
    right.extend(how_reached(cx).map(Block::Para));
    approvals(cx, &mut right);
    d.push(Block::Columns(left, right));
    agreements(cx, d);
    open_items(cx, d);
    risks(cx, d);
}

/// The record's status in one sentence that never contradicts the closure.
pub(super) fn status(cx: &Ctx) -> String {
    let r = cx.r;
    match (&r.status, &r.closure) {
        (RecordStatus::Final, Some(c)) if c.forced => format!(
            "{} {} {} {}.",
            cx.t("Final record, closed on", "Definitief verslag, gesloten op"),
            cx.time(&c.at),
            cx.t("without the approval of", "zonder instemming van"),
            cx.and(&c.not_approved)
        ),
        (RecordStatus::Final, Some(c)) => format!(
            "{} {}.",
            cx.t(
                "Final record: every partner approved it. The session was closed on",
                "Definitief verslag: elke partner heeft ingestemd. De sessie is gesloten op"
            ),
            cx.time(&c.at)
        ),
        _ => cx
            .t(
                "Draft: the session is still open, and this record may still change.",
                "Concept: de sessie is nog open, en dit verslag kan nog veranderen.",
            )
            .to_owned(),
    }
}

fn aim(cx: &Ctx, d: &mut Vec<Block>) {
    d.push(Block::Heading(3, cx.t("The aim", "Het doel").to_owned()));
    d.push(Block::Para(match &cx.r.joint_goal {
        Some(g) => format!("{} {g}", cx.t("Joint goal:", "Gezamenlijk doel:")),
        None => cx
            .t(
                "No joint goal was stated.",
                "Er is geen gezamenlijk doel vastgelegd.",
            )
            .to_owned(),
    }));
    let own: Vec<String> = cx
        .partners()
        .filter_map(|o| o.goal.as_ref().map(|g| format!("{}: {g}", o.name)))
        .collect();
    if !own.is_empty() {
        d.push(Block::Para(
            cx.t(
                "Each partner's own goal:",
                "Het eigen doel van elke partner:",
            )
            .to_owned(),
        ));
        d.push(Block::List(own));
    }
}

/// A form in one line: what it does, in the article's two questions.
pub fn form_line(cx: &Ctx, f: Form) -> String {
    let how = match f {
        Form::Transactional => cx.t("improve by exchanging", "verbeteren door uit te wisselen"),
        Form::Functional => cx.t("improve by sharing", "verbeteren door te delen"),
        Form::Entrepreneurial => cx.t("innovate by sharing", "vernieuwen door te delen"),
        Form::Exploratory => cx.t("innovate by exchanging", "vernieuwen door uit te wisselen"),
    };
    format!("{} ({how})", cx.form(f))
}

/// The form's aim and nature as Table 1 of the article gives them.
fn form_paragraph(cx: &Ctx, f: Form) -> String {
    format!(
        "{} {}. {} {}.",
        cx.t(
            "Aim, in the article's Table 1:",
            "Doel volgens tabel 1 van het artikel:"
        ),
        f.aim(Axis::Intent).get(cx.lang),
        cx.t("Nature:", "Aard:"),
        f.aim(Axis::Nature).get(cx.lang)
    )
}

/// How the form was reached: everyone in one form, a decision, or a split.
fn how_reached(cx: &Ctx) -> Option<String> {
    let r = cx.r;
    let last = r.resolutions.iter().rev().find(|x| x.kind != "new_round");
    let agreed_round = r.rounds.iter().rev().find(|x| x.agreed.is_some());
    match (last, agreed_round) {
        (Some(res), _) if res.kind == "decided" => Some(format!(
            "{} {} {}: {}",
            cx.t(
                "Decided by the facilitator after round",
                "Besloten door de facilitator na ronde"
            ),
            res.round,
            cx.t("with this rationale", "met deze onderbouwing"),
            res.rationale.clone().unwrap_or_default()
        )),
        (Some(res), _) if res.kind == "split" => Some(format!(
            "{} {}{}",
            cx.t(
                "Split into tracks after round",
                "Opgesplitst in sporen na ronde"
            ),
            res.round,
            res.rationale
                .as_ref()
                .map(|w| format!(", {}: {w}", cx.t("because", "omdat")))
                .unwrap_or_default()
        )),
        (_, Some(round)) => Some(format!(
            "{} {}.",
            cx.t(
                "Every partner placed the collaboration in this form in round",
                "Elke partner plaatste de samenwerking in deze grondvorm in ronde"
            ),
            round.round
        )),
        _ => None,
    }
}

fn forms(cx: &Ctx, d: &mut Vec<Block>) {
    let tracks = &cx.r.tracks;
    d.push(Block::Heading(
        3,
        if tracks.len() > 1 {
            cx.t("The agreed forms", "De gekozen grondvormen")
        } else {
            cx.t("The agreed form", "De gekozen grondvorm")
        }
        .to_owned(),
    ));
    if tracks.is_empty() {
        d.push(Block::Para(
            cx.t(
                "The partners have not settled on a form yet.",
                "De partners zijn nog niet tot één grondvorm gekomen.",
            )
            .to_owned(),
        ));
        return;
    }
    for t in tracks {
        let head = if tracks.len() > 1 {
            format!(
                "{} {}: {}",
                cx.t("Track", "Spoor"),
                t.name,
                form_line(cx, t.form)
            )
        } else {
            form_line(cx, t.form)
        };
        // One paragraph per track: on paper, every paragraph's gap counts against one page.
        d.push(Block::Term(
            format!("{head}."),
            format!(
                "{} {} {}",
                form_paragraph(cx, t.form),
                cx.t("The article's example:", "Voorbeeld uit het artikel:"),
                t.form.example().get(cx.lang)
            ),
        ));
    }
}

fn agreements(cx: &Ctx, d: &mut Vec<Block>) {
    if cx.r.tracks.is_empty() {
        return;
    }
    d.push(Block::Heading(
        3,
        cx.t("Key agreements", "Belangrijkste afspraken").to_owned(),
    ));
    let mut items = Vec::new();
    for t in &cx.r.tracks {
        for a in t.aspects.iter().filter(|a| a.status == "agreed") {
            let text = a.agreed_text.clone().unwrap_or_default();
            let mixed = if a.mixing_warning {
                format!(
                    " ({})",
                    cx.t(
                        "in another form than the track's",
                        "in een andere grondvorm dan die van het spoor"
                    )
                )
            } else {
                String::new()
            };
            items.push(format!("{}{}: {text}{mixed}", prefix(cx, t), a.label));
        }
    }
    if items.is_empty() {
        d.push(Block::Para(
            cx.t("Nothing is agreed yet.", "Er is nog niets afgesproken.")
                .to_owned(),
        ));
    } else {
        d.push(Block::List(items));
    }
}

/// "Track › " before an aspect when there are several tracks.
fn prefix(cx: &Ctx, t: &TrackEntry) -> String {
    if cx.r.tracks.len() > 1 {
        format!("{} › ", t.name)
    } else {
        String::new()
    }
}

/// How many open aspects without an owner the summary names; more are counted.
const MAX_NAMED: usize = 4;

fn open_items(cx: &Ctx, d: &mut Vec<Block>) {
    if cx.r.tracks.is_empty() {
        return;
    }
    d.push(Block::Heading(3, cx.t("Still open", "Nog open").to_owned()));
    // What someone owes, or what was set aside, gets a line of its own; the rest of a track's
    // open aspects one line together, so that the summary stays one page.
    let mut items = Vec::new();
    for t in &cx.r.tracks {
        let open: Vec<_> = t.aspects.iter().filter(|a| is_open(a)).collect();
        let (owed, rest): (Vec<_>, Vec<_>) = open
            .into_iter()
            .partition(|a| a.owner.is_some() || a.due.is_some() || a.status == "parked");
        for a in &owed {
            items.push(format!(
                "{}{}: {}",
                prefix(cx, t),
                a.label,
                outcome_status(cx, a)
            ));
        }
        if !rest.is_empty() {
            let names: Vec<String> = rest.iter().map(|a| a.label.clone()).collect();
            let n = if owed.is_empty() {
                cx.count(
                    names.len(),
                    ("aspect is open", "aspect is open"),
                    ("aspects are open", "aspecten zijn open"),
                )
            } else {
                cx.count(
                    names.len(),
                    ("more aspect is open", "ander aspect is open"),
                    ("more aspects are open", "andere aspecten zijn open"),
                )
            };
            // A long list of names belongs in the detail, not on the summary page.
            let which = if names.len() <= MAX_NAMED {
                format!(": {}", cx.and(&names))
            } else {
                format!(" ({})", cx.t("listed in the detail", "zie het detail"))
            };
            items.push(format!(
                "{}{n}, {}{which}",
                prefix(cx, t),
                cx.t("no owner yet", "nog zonder eigenaar"),
            ));
        }
    }
    if items.is_empty() {
        d.push(Block::Para(
            cx.t("Every aspect is agreed.", "Elk aspect is afgesproken.")
                .to_owned(),
        ));
    } else {
        d.push(Block::List(items));
    }
}

fn risks(cx: &Ctx, d: &mut Vec<Block>) {
    let r = cx.r;
    let mut items = Vec::new();
    for t in &r.tracks {
        for a in t.aspects.iter().filter(|a| a.mixing_warning) {
            let theirs = a
                .matches
                .or(a.resembles)
                .map(|f| cx.form(f))
                .unwrap_or_default();
            items.push(format!(
                "{} {}{} {} {theirs}, {} {}. {}",
                cx.t("Mixing:", "Vermenging:"),
                prefix(cx, t),
                a.label,
                if a.matches.is_some() {
                    cx.t("is agreed in the principle of", "is afgesproken volgens het principe van")
                } else {
                    cx.t("is agreed in words that resemble", "is afgesproken in woorden verwant aan")
                },
                cx.t("not of", "niet van"),
                cx.form(t.form),
                cx.t(
                    "The article warns that mixing forms inevitably makes a collaboration less effective.",
                    "Het artikel waarschuwt dat het mengen van grondvormen een samenwerking onvermijdelijk minder effectief maakt."
                )
            ));
        }
        for a in t.aspects.iter().filter(|a| !a.dissenting.is_empty()) {
            items.push(format!(
                "{} {}{}: {}",
                cx.t("Dissent on", "Afwijkend standpunt bij"),
                prefix(cx, t),
                a.label,
                cx.and(&a.dissenting)
            ));
        }
    }
    if let Some(partial) = partial_design(cx) {
        items.insert(0, partial);
    }
    for res in r
        .resolutions
        .iter()
        .filter(|x| x.kind == "decided" && !x.dissenting.is_empty())
    {
        items.push(format!(
            "{} {}: {} {}.",
            cx.t(
                "Decided against another position in round",
                "Besloten tegen een ander standpunt in ronde"
            ),
            res.round,
            cx.and(&res.dissenting),
            cx.t(
                "placed the collaboration elsewhere",
                "plaatsten de samenwerking elders"
            )
        ));
    }
    for round in r.rounds.iter().filter(|x| x.forced) {
        items.push(format!(
            "{} {} {} {}.",
            cx.t("Round", "Ronde"),
            round.round,
            cx.t(
                "was revealed before everyone had answered:",
                "is onthuld voordat iedereen had geantwoord:"
            ),
            cx.and(&round.missing)
        ));
    }
    for o in &r.objections {
        items.push(format!(
            "{} {}: {}",
            cx.t("Objection by", "Bezwaar van"),
            o.organisation,
            o.reason
        ));
    }
    if let Some(c) = r.closure.as_ref().filter(|c| c.forced) {
        items.push(format!(
            "{} {}.",
            cx.t(
                "Closed without the approval of",
                "Gesloten zonder instemming van"
            ),
            cx.and(&c.not_approved)
        ));
    }
    d.push(Block::Heading(3, cx.t("Risks", "Risico’s").to_owned()));
    if items.is_empty() {
        d.push(Block::Para(
            cx.t(
                "No risks were recorded.",
                "Er zijn geen risico’s vastgelegd.",
            )
            .to_owned(),
        ));
    } else {
        d.push(Block::List(items));
    }
}

/// A final record with aspects not agreed: one line for all tracks.
fn partial_design(cx: &Ctx) -> Option<String> {
    let r = cx.r;
    if r.status != RecordStatus::Final {
        return None;
    }
    let per_track: Vec<(usize, &str)> = r
        .tracks
        .iter()
        .map(|t| {
            (
                t.aspects.iter().filter(|a| is_open(a)).count(),
                t.name.as_str(),
            )
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    if per_track.is_empty() {
        return None;
    }
    let parts: Vec<String> = per_track
        .iter()
        .map(|(n, name)| {
            let n = cx.count(*n, ("aspect", "aspect"), ("aspects", "aspecten"));
            if r.tracks.len() > 1 {
                format!("{n} {} {name}", cx.t("in", "in"))
            } else {
                n
            }
        })
        .collect();
    Some(format!(
        "{} {} {}.",
        cx.t("Partial design:", "Gedeeltelijke inrichting:"),
        cx.and(&parts),
        cx.t("not agreed", "niet afgesproken")
    ))
}

fn approvals(cx: &Ctx, d: &mut Vec<Block>) {
    let r = cx.r;
    if r.approvals.is_empty() && r.closure.is_none() {
        return;
    }
    d.push(Block::Heading(
        3,
        cx.t("Approvals", "Instemming").to_owned(),
    ));
    let mut items: Vec<String> = r
        .approvals
        .iter()
        .map(|a| {
            let (verb, what) = if r.tracks.len() > 1 && !a.tracks.is_empty() {
                (
                    cx.t("approved", "stemde in met"),
                    format!(" {}", cx.and(&a.tracks)),
                )
            } else {
                (cx.t("approved", "stemde in"), String::new())
            };
            format!(
                "{} {verb}{what} ({}{})",
                a.organisation,
                cx.time(&a.at),
                cx.by(&a.by)
            )
        })
        .collect();
    if let Some(c) = r.closure.as_ref().filter(|c| !c.not_approved.is_empty()) {
        items.push(format!(
            "{} {}",
            cx.t("Not approved:", "Niet ingestemd:"),
            cx.and(&c.not_approved)
        ));
    }
    d.push(Block::List(items));
}
