//! A follow-up session seen against its baseline: the baseline a closed session gives, and the
//! drift since — who moved where on the 2×2 (per organisation and per axis), whether the form
//! the partners intend moved, how each aspect agreed before is re-checked (still as agreed,
//! changed, no longer true), and for a diagnosis which aspects changed form since the earlier diagnosis or design.
//! Worked out from revealed data only: before this session's round is revealed, its side of
//! every comparison is empty.

use super::baseline::{
    Baseline, BaselineOrg, BaselineTrack, Carried, ProfileForm, SeriesOrg, SeriesPoint,
};
use super::design::{Choice, choice_key};
use super::findings;
use super::ids::{OrgId, ParticipantId};
use super::rejection::Rejection;
use super::state::{AspectStatus, State};
use super::values::{AspectRef, Role};
use crate::model::{Aspect, Axis, Form};
use serde::Serialize;

/// The baseline a follow-up of `state` starts from, asked for by `viewer`: a facilitator of
/// it, once it is closed.
pub fn baseline_for(
    state: &State,
    viewer: ParticipantId,
    session: String,
    content_hash: impl FnOnce() -> String,
    ids: impl FnMut() -> OrgId,
) -> Result<Baseline, Rejection> {
    const COMMAND: &str = "follow_up";
    let facilitator = state
        .active_participant(viewer)
        .is_some_and(|p| p.role == Role::Facilitator);
    if !facilitator {
        return Err(Rejection::forbidden(COMMAND, Role::Facilitator));
    }
    if state.closure.is_none() {
        return Err(Rejection::wrong_phase(COMMAND, state.phase));
    }
    baseline_of(state, session, content_hash(), ids)
        .ok_or_else(|| Rejection::wrong_phase(COMMAND, state.phase))
}

/// The baseline a closed `state` gives; `ids` names its organisations in the follow-up,
/// one per organisation still on the list, in order. None while it is not closed.
pub fn baseline_of(
    state: &State,
    session: String,
    content_hash: String,
    mut ids: impl FnMut() -> OrgId,
) -> Option<Baseline> {
    let closed_at = state.closure.as_ref()?.at;
    let organisations: Vec<BaselineOrg> = state
        .active_organisations()
        .map(|o| BaselineOrg {
            organisation: ids(),
            name: o.name.clone(),
            advisor: o.advisor,
            form: state.intended_by(o.id),
        })
        .collect();
    let tracks = state
        .tracks
        .iter()
        .map(|t| BaselineTrack {
            name: t.name.clone(),
            form: t.form,
            aspects: t
                .aspects
                .iter()
                .filter(|a| a.status == AspectStatus::Agreed)
                .filter_map(|a| {
                    let ag = a.agreement.as_ref()?;
                    Some(Carried {
                        aspect: a.aspect,
                        text: ag.text.clone(),
                        form: ag.form(),
                    })
                })
                .collect(),
        })
        .collect();
    let profile = findings::analyse(state)
        .map(|an| {
            an.overall
                .profile
                .iter()
                .filter(|row| an.revealed.contains(&row.aspect))
                .map(|row| ProfileForm {
                    aspect: row.aspect,
                    form: row.form,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut series = state
        .baseline
        .as_ref()
        .map(|b| b.series.clone())
        .unwrap_or_default();
    series.push(SeriesPoint {
        session: session.clone(),
        title: state.title.clone(),
        closed_at,
        organisations: organisations
            .iter()
            .map(|o| SeriesOrg {
                name: o.name.clone(),
                form: o.form,
            })
            .collect(),
    });
    Some(Baseline {
        session,
        title: state.title.clone(),
        mode: state.mode(),
        subject: state.diagnosis.as_ref().map(|d| d.subject),
        language: state.language,
        closed_at,
        content_hash,
        intended: single_form(state),
        organisations,
        tracks,
        profile,
        series,
    })
}

/// What the partners agreed on or intended: a design's one track, a diagnosis's intended form.
fn single_form(state: &State) -> Option<Form> {
    match state.tracks.as_slice() {
        [] => state.intended_form(),
        [one] => Some(one.form),
        _ => None,
    }
}

/// Where a form stood before and stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Move {
    pub before: Option<Form>,
    pub now: Option<Form>,
    /// Both are known and differ.
    pub moved: bool,
}

impl Move {
    fn new(before: Option<Form>, now: Option<Form>) -> Move {
        Move {
            before,
            now,
            moved: matches!((before, now), (Some(a), Some(b)) if a != b),
        }
    }
}

/// One organisation's drift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgDrift {
    pub organisation: OrgId,
    /// Whether it was in the baseline (false: it joined the follow-up).
    pub in_baseline: bool,
    #[serde(flatten)]
    pub form: Move,
    /// The axes it moved on, in the model's order.
    pub axes: Vec<Axis>,
}

/// How an aspect agreed in the baseline is re-checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every partner that responded accepted the earlier agreement.
    Still,
    /// Someone took another text.
    Changed,
    /// Someone said it no longer holds.
    NoLonger,
}

/// One carried aspect of one track, re-checked in its current reveal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recheck {
    pub track: usize,
    pub aspect: Aspect,
    /// What was agreed before.
    pub before: Carried,
    /// None until the aspect's responses are revealed.
    pub verdict: Option<Verdict>,
    /// The partner organisations by what their representatives said.
    pub still: Vec<OrgId>,
    pub changed: Vec<OrgId>,
    pub no_longer: Vec<OrgId>,
}

/// A diagnosis aspect's form before and now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProfileMove {
    pub aspect: Aspect,
    #[serde(flatten)]
    pub form: Move,
}

/// An organisation that joined since the baseline, and how it joins the design agreed before:
/// per carried aspect, accepted, objected to (changed or no longer true), or not yet answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entrant {
    pub organisation: OrgId,
    pub accepted: Vec<AspectRef>,
    pub objected: Vec<AspectRef>,
    pub pending: Vec<AspectRef>,
}

/// A follow-up against its baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// Whether a positioning round of this session was revealed.
    pub revealed: bool,
    pub intended: Move,
    /// Every organisation on the list, the baseline's first.
    pub organisations: Vec<OrgDrift>,
    /// Those that moved.
    pub moved: Vec<OrgId>,
    /// The carried aspects of every track, in track and model order.
    pub aspects: Vec<Recheck>,
    /// The carried aspects now contested: changed or no longer true.
    pub contested: Vec<Recheck>,
    /// The partners that joined since the baseline, and how they join its agreements.
    pub entrants: Vec<Entrant>,
    /// For a diagnosis after a diagnosis or a design of one track: per aspect known on either
    /// side, its form then (the profile, or what was agreed on it) and now.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<ProfileMove>,
}

/// The drift of a follow-up; none for a session without a baseline.
pub fn drift(state: &State) -> Option<Drift> {
    let b = state.baseline.as_ref()?;
    let revealed = state.current_reveal().is_some();
    let mut organisations: Vec<OrgDrift> = state
        .active_organisations()
        .map(|o| {
            let before = b.organisation(o.id).and_then(|x| x.form);
            let now = state.intended_by(o.id);
            OrgDrift {
                organisation: o.id,
                in_baseline: b.organisation(o.id).is_some(),
                form: Move::new(before, now),
                axes: match (before, now) {
                    (Some(x), Some(y)) => x.differing_axes(y),
                    _ => Vec::new(),
                },
            }
        })
        .collect();
    organisations.sort_by_key(|o| !o.in_baseline);
    let moved = organisations
        .iter()
        .filter(|o| o.form.moved)
        .map(|o| o.organisation)
        .collect();
    let aspects = rechecks(state);
    let contested = aspects
        .iter()
        .filter(|r| matches!(r.verdict, Some(Verdict::Changed | Verdict::NoLonger)))
        .cloned()
        .collect();
    let entrants = organisations
        .iter()
        .filter(|o| !o.in_baseline && state.is_partner(o.organisation))
        .map(|o| entrant(state, o.organisation, &aspects))
        .collect();
    Some(Drift {
        entrants,
        revealed,
        intended: Move::new(
            b.intended,
            revealed.then(|| state.intended_form()).flatten(),
        ),
        organisations,
        moved,
        aspects,
        contested,
        profile: profile_moves(state, b),
    })
}

fn entrant(state: &State, organisation: OrgId, rechecks: &[Recheck]) -> Entrant {
    let mut e = Entrant {
        organisation,
        accepted: Vec::new(),
        objected: Vec::new(),
        pending: Vec::new(),
    };
    // Only the tracks it takes part in: it cannot answer for the others.
    for r in rechecks
        .iter()
        .filter(|r| state.tracks[r.track].includes(organisation))
    {
        let at = AspectRef {
            track: r.track,
            aspect: r.aspect,
        };
        if r.still.contains(&organisation) {
            e.accepted.push(at);
        } else if r.changed.contains(&organisation) || r.no_longer.contains(&organisation) {
            e.objected.push(at);
        } else {
            e.pending.push(at);
        }
    }
    e
}

fn rechecks(state: &State) -> Vec<Recheck> {
    let mut out = Vec::new();
    for (index, t) in state.tracks.iter().enumerate() {
        for c in &t.carried {
            let a = t.aspect(c.aspect);
            let current = a.reveals.last().filter(|r| r.round == a.round);
            let mut r = Recheck {
                track: index,
                aspect: c.aspect,
                before: c.clone(),
                verdict: None,
                still: Vec::new(),
                changed: Vec::new(),
                no_longer: Vec::new(),
            };
            if let Some(rv) = current {
                let mut orgs: Vec<OrgId> = Vec::new();
                for x in rv
                    .responses
                    .iter()
                    .filter(|x| state.is_partner(x.organisation))
                {
                    if !orgs.contains(&x.organisation) {
                        orgs.push(x.organisation);
                    }
                }
                // Still as agreed: what a response stands for is the earlier agreement, however
                // it was chosen (accepting it, or taking the same principle).
                let (text, form) = t.proposal(c.aspect, state.language);
                let earlier = choice_key(form, &text);
                for o in orgs {
                    let said: Vec<_> = rv
                        .responses
                        .iter()
                        .filter(|x| x.organisation == o)
                        .collect();
                    if said
                        .iter()
                        .any(|x| matches!(x.response.choice, Choice::NoLonger))
                    {
                        r.no_longer.push(o);
                    } else if said.iter().all(|x| x.key() == earlier) {
                        r.still.push(o);
                    } else {
                        r.changed.push(o);
                    }
                }
                r.verdict = if !r.no_longer.is_empty() {
                    Some(Verdict::NoLonger)
                } else if !r.changed.is_empty() {
                    Some(Verdict::Changed)
                } else if !r.still.is_empty() {
                    Some(Verdict::Still)
                } else {
                    None
                };
            }
            out.push(r);
        }
    }
    out
}

/// A diagnosis's aspects against the baseline: a diagnosis's profile, or what a design of one
/// track agreed (practice measured against the design it came from).
fn profile_moves(state: &State, b: &Baseline) -> Vec<ProfileMove> {
    let Some(an) = findings::analyse(state) else {
        return Vec::new();
    };
    let agreed = match b.tracks.as_slice() {
        [one] => one.aspects.as_slice(),
        _ => &[],
    };
    Aspect::ALL
        .iter()
        .filter_map(|&aspect| {
            let before = b
                .profile
                .iter()
                .find(|p| p.aspect == aspect)
                .map(|p| p.form)
                .or_else(|| agreed.iter().find(|c| c.aspect == aspect).map(|c| c.form));
            let now = an
                .revealed
                .contains(&aspect)
                .then(|| an.overall.profile.iter().find(|r| r.aspect == aspect))
                .flatten();
            (before.is_some() || now.is_some()).then(|| ProfileMove {
                aspect,
                form: Move::new(before.flatten(), now.and_then(|r| r.form)),
            })
        })
        .collect()
}
