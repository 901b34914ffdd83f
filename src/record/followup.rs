//! The follow-up part of a record: the session it follows (its record's hash), the drift of
//! each organisation and of the intended form, the re-check of the aspects agreed before, and
//! the series of sessions with where each organisation stood.

use crate::model::{Aspect, Axis, Form};
use crate::session::State;
use crate::session::followup::{Move, Verdict, drift};
use crate::session::ids::OrgId;
use crate::session::values::AspectRef;
use serde::{Deserialize, Serialize};

/// A follow-up against its baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FollowUpEntry {
    /// The session this one follows: its id, title, closing time and record hash.
    pub baseline: BaselineRef,
    /// Whether this session's positions were revealed (before that, "now" is empty).
    pub revealed: bool,
    pub intended: MoveEntry,
    /// Per organisation: the baseline's first, then those that joined since.
    pub organisations: Vec<OrgDriftEntry>,
    /// The aspects agreed in the baseline, re-checked.
    pub aspects: Vec<RecheckEntry>,
    /// The partners that joined since, and how they join what was agreed.
    pub entrants: Vec<EntrantEntry>,
    /// For a diagnosis after a diagnosis or a design of one track: per aspect its form then and now.
    pub profile: Vec<ProfileMoveEntry>,
    /// The sessions of the series, oldest first, this one last.
    pub series: Vec<SeriesEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BaselineRef {
    pub session_id: String,
    pub title: String,
    pub closed_at: chrono::DateTime<chrono::Utc>,
    pub content_hash: String,
}

/// A form then and now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MoveEntry {
    pub before: Option<Form>,
    pub now: Option<Form>,
    pub moved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OrgDriftEntry {
    pub organisation: String,
    /// False: it joined since the baseline.
    pub in_baseline: bool,
    #[serde(flatten)]
    pub form: MoveEntry,
    /// The axes it moved on.
    pub axes: Vec<Axis>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecheckEntry {
    pub track: String,
    pub aspect: Aspect,
    pub label: String,
    /// What was agreed before, and the form it belongs to.
    pub agreed_before: String,
    pub form_before: Option<Form>,
    /// "still", "changed" or "no_longer"; none while not revealed.
    pub verdict: Option<String>,
    pub still: Vec<String>,
    pub changed: Vec<String>,
    pub no_longer: Vec<String>,
}

/// A partner that joined since the baseline: the carried aspects (by label) it accepted,
/// objected to, or has not answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EntrantEntry {
    pub organisation: String,
    pub accepted: Vec<String>,
    pub objected: Vec<String>,
    pub pending: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProfileMoveEntry {
    pub aspect: Aspect,
    pub label: String,
    #[serde(flatten)]
    pub form: MoveEntry,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SeriesEntry {
    pub session_id: String,
    pub title: String,
    /// None for this session while it is open.
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub organisations: Vec<SeriesOrgEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SeriesOrgEntry {
    pub organisation: String,
    pub form: Option<Form>,
}

fn moved(m: Move) -> MoveEntry {
    MoveEntry {
        before: m.before,
        now: m.now,
        moved: m.moved,
    }
}

const fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Still => "still",
        Verdict::Changed => "changed",
        Verdict::NoLonger => "no_longer",
    }
}

/// The follow-up entry of `state` (this session's id is `session`); none without a baseline.
pub(super) fn follow_up(
    state: &State,
    session: String,
    org: impl Fn(OrgId) -> String,
) -> Option<FollowUpEntry> {
    let b = state.baseline.as_ref()?;
    let d = drift(state)?;
    let lang = state.language;
    let orgs = |ids: &[OrgId]| ids.iter().map(|&o| org(o)).collect::<Vec<_>>();
    let label = |a: Aspect| a.label().get(lang).to_owned();
    let mut series: Vec<SeriesEntry> = b
        .series
        .iter()
        .map(|p| SeriesEntry {
            session_id: p.session.clone(),
            title: p.title.clone(),
            closed_at: Some(p.closed_at),
            organisations: p
                .organisations
                .iter()
                .map(|o| SeriesOrgEntry {
                    organisation: o.name.clone(),
                    form: o.form,
                })
                .collect(),
        })
        .collect();
    series.push(SeriesEntry {
        session_id: session,
        title: state.title.clone(),
        closed_at: state.closure.as_ref().map(|c| c.at),
        organisations: d
            .organisations
            .iter()
            .map(|o| SeriesOrgEntry {
                organisation: org(o.organisation),
                form: o.form.now,
            })
            .collect(),
    });
    Some(FollowUpEntry {
        baseline: BaselineRef {
            session_id: b.session.clone(),
            title: b.title.clone(),
            closed_at: b.closed_at,
            content_hash: b.content_hash.clone(),
        },
        revealed: d.revealed,
        intended: moved(d.intended),
        organisations: d
            .organisations
            .iter()
            .map(|o| OrgDriftEntry {
                organisation: org(o.organisation),
                in_baseline: o.in_baseline,
                form: moved(o.form),
                axes: o.axes.clone(),
            })
            .collect(),
        aspects: d
            .aspects
            .iter()
            .map(|r| RecheckEntry {
                track: state.tracks[r.track].name.clone(),
                aspect: r.aspect,
                label: label(r.aspect),
                agreed_before: r.before.text.clone(),
                form_before: r.before.form,
                verdict: r.verdict.map(|v| verdict(v).to_owned()),
                still: orgs(&r.still),
                changed: orgs(&r.changed),
                no_longer: orgs(&r.no_longer),
            })
            .collect(),
        entrants: d
            .entrants
            .iter()
            .map(|e| {
                let labels = |list: &[AspectRef]| -> Vec<String> {
                    list.iter()
                        .map(|a| match state.tracks.len() {
                            1 => label(a.aspect),
                            _ => format!("{} › {}", state.tracks[a.track].name, label(a.aspect)),
                        })
                        .collect()
                };
                EntrantEntry {
                    organisation: org(e.organisation),
                    accepted: labels(&e.accepted),
                    objected: labels(&e.objected),
                    pending: labels(&e.pending),
                }
            })
            .collect(),
        profile: d
            .profile
            .iter()
            .map(|p| ProfileMoveEntry {
                aspect: p.aspect,
                label: label(p.aspect),
                form: moved(p.form),
            })
            .collect(),
        series,
    })
}
