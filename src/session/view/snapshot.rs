//! The whole session as one viewer may see it: the `snapshot` message's `state`.

use super::{Explanations, Viewer};
use crate::model::{Form, Lang};
use crate::session::baseline::{Baseline, Carried};
use crate::session::design::Response;
use crate::session::diagnosis::Mode;
use crate::session::followup::{Drift, drift};
use crate::session::ids::{OrgId, ParticipantId};
use crate::session::negotiation::{Consent, FormRound};
use crate::session::rationale::{RationaleRequest, requests};
use crate::session::state::{
    Approval, AspectState, Closure, Note, Objection, Observer, Organisation, Rationale, Resolution,
    RevealedRound, State, Timer, Track,
};
use crate::session::values::{Phase, Position, Role, Settings, Step};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The whole session as one viewer may see it: the `snapshot` message of the protocol.
#[derive(Debug, Serialize)]
pub struct SessionView<'a> {
    /// The sequence number this snapshot is current to.
    pub seq: u64,
    /// The session's own facts.
    pub session: SessionFacts<'a>,
    pub me: Me,
    /// Organisations, in the order they were added.
    pub organisations: &'a [Organisation],
    /// People, with whether they answered the current round (never what).
    pub participants: Vec<ParticipantView<'a>>,
    /// The viewer's own answers in the current round (representatives only).
    pub my_answers: Option<&'a Position>,
    /// Every revealed round, with the model's explanations.
    pub rounds: Vec<RoundView<'a>>,
    pub resolutions: &'a [Resolution],
    /// Every form decision put to a consent round, oldest first.
    pub form_rounds: &'a [FormRound],
    /// The viewer's own answer in the open form round, if they gave their organisation's.
    pub my_form_consent: Option<&'a Consent>,
    /// Who is asked for a rationale now, and whether they gave it.
    pub rationale_requests: Vec<RationaleRequest>,
    /// Every rationale given, oldest first.
    pub rationales: &'a [Rationale],
    /// Whether the session may leave alignment, and why (not).
    pub gate: Gate,
    /// The tracks being designed, with who responded to each aspect (never what, before the
    /// reveal).
    pub tracks: Vec<TrackView<'a>>,
    /// The step everyone is pointed at.
    pub focus: Option<Step>,
    pub timer: Option<&'a Timer>,
    pub notes: &'a [Note],
    /// Approvals in the current review.
    pub approvals: &'a [Approval],
    pub objections: &'a [Objection],
    /// How the session was closed.
    pub closure: Option<&'a Closure>,
    /// A diagnosis session's aspects and findings; null for a design session.
    pub diagnosis: Option<super::DiagnosisView<'a>>,
    /// A follow-up's baseline (the closed session it started from); null otherwise.
    pub baseline: Option<&'a Baseline>,
    /// A follow-up against its baseline, from revealed data only; null without a baseline.
    pub drift: Option<Drift>,
    /// The board links, revoked ones included: for facilitators only (empty for everyone
    /// else, who need not know who watches).
    pub board_links: Vec<&'a Observer>,
}

/// A track as one viewer may see it.
#[derive(Debug, Serialize)]
pub struct TrackView<'a> {
    pub name: &'a str,
    pub form: Form,
    /// The organisations taking part; empty means all.
    pub organisations: &'a [OrgId],
    /// Its aspects, in the model's order.
    pub aspects: Vec<AspectView<'a>>,
    /// In a follow-up: the baseline's agreements, each its aspect's starting proposal.
    pub carried: &'a [Carried],
}

/// An aspect as one viewer may see it.
#[derive(Debug, Serialize)]
pub struct AspectView<'a> {
    /// Status, round, reveals, agreement, parking (the unrevealed responses are not part of it).
    #[serde(flatten)]
    pub state: &'a AspectState,
    /// Who responded in the current round (only that, never what).
    pub responded: Vec<ParticipantId>,
    /// The viewer's own response in the current round.
    pub my_response: Option<&'a Response>,
    /// The viewer's own answer in the aspect's open consent round, if they gave their
    /// organisation's.
    pub my_consent: Option<&'a Consent>,
}

fn track_view<'a>(state: &State, track: &'a Track, viewer: ParticipantId) -> TrackView<'a> {
    TrackView {
        name: &track.name,
        form: track.form,
        organisations: &track.organisations,
        carried: &track.carried,
        aspects: track
            .aspects
            .iter()
            .map(|a| AspectView {
                state: a,
                // In the order people joined, as every other list of people.
                responded: state
                    .participants
                    .iter()
                    .filter(|p| a.responses.contains_key(&p.id))
                    .map(|p| p.id)
                    .collect(),
                my_response: a.responses.get(&viewer),
                my_consent: own_consent(&a.consents, viewer),
            })
            .collect(),
    }
}

/// The viewer's answer in an open round, if theirs is their organisation's.
fn own_consent(
    answers: &std::collections::BTreeMap<OrgId, (ParticipantId, Consent)>,
    viewer: ParticipantId,
) -> Option<&Consent> {
    answers.values().find(|(p, _)| *p == viewer).map(|(_, c)| c)
}

/// Title, language, phase and settings.
#[derive(Debug, Serialize)]
pub struct SessionFacts<'a> {
    pub title: &'a str,
    pub language: Lang,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    pub phase: Phase,
    /// Current (or last) positioning round, 0 before positioning.
    pub round: u32,
    pub settings: Settings,
    /// Designing a collaboration, or diagnosing one.
    pub mode: Mode,
    /// The short code to join by, while the session is open.
    pub join_code: Option<&'a str>,
    /// The IANA time zone the record shows times in (none: UTC).
    pub time_zone: Option<&'a str>,
    /// The partners' joint goal for the collaboration.
    pub joint_goal: Option<&'a str>,
}

/// The viewer, so that a page knows which answers and controls are its own.
#[derive(Debug, Serialize)]
pub struct Me {
    pub participant: ParticipantId,
    pub role: Role,
    /// Their organisation, if a representative.
    pub organisation: Option<OrgId>,
}

/// A person as others see them.
#[derive(Debug, Serialize)]
pub struct ParticipantView<'a> {
    pub id: ParticipantId,
    pub name: &'a str,
    pub role: Role,
    pub organisation: Option<OrgId>,
    /// Removed by a facilitator.
    pub removed: bool,
    /// Which questions they answered in the current round (only that, never the answer).
    pub answered: Answered,
}

/// Which questions someone answered.
#[derive(Debug, Serialize, Default)]
pub struct Answered {
    pub intent: bool,
    pub nature: bool,
}

/// A revealed round with the model's explanations.
#[derive(Debug, Serialize)]
pub struct RoundView<'a> {
    #[serde(flatten)]
    pub round: &'a RevealedRound,
    /// Why each difference matters.
    pub explanations: Explanations,
}

/// The gate out of alignment.
#[derive(Debug, Serialize)]
pub struct Gate {
    /// Whether `start_design` would be accepted now.
    pub open: bool,
    /// The form everyone shares, if they do.
    pub agreed: Option<Form>,
    /// The resolution that opened it, if any: "decided" or "split".
    pub resolved_by: Option<&'static str>,
    /// The form decided on, when `resolved_by` is "decided".
    pub decided: Option<Form>,
}

/// The snapshot for `viewer`.
pub fn snapshot<'a>(state: &'a State, viewer: Viewer) -> SessionView<'a> {
    let me = state.participant(viewer.participant);
    let agreed = state.current_reveal().and_then(|r| r.report.agreed);
    let decided = match state.current_resolution() {
        Some(Resolution::Decided { form, .. }) => Some(*form),
        _ => None,
    };
    let resolved_by = match state.current_resolution() {
        Some(Resolution::Decided { .. }) => Some("decided"),
        Some(Resolution::Split { .. }) => Some("split"),
        _ => None,
    };
    SessionView {
        seq: state.last_seq,
        session: SessionFacts {
            title: &state.title,
            language: state.language,
            created_at: state.created_at,
            phase: state.phase,
            round: state.round,
            settings: state.settings,
            mode: state.mode(),
            join_code: state.join_code.as_deref(),
            time_zone: state.time_zone.as_deref(),
            joint_goal: state.joint_goal.as_deref(),
        },
        me: Me {
            participant: viewer.participant,
            role: viewer.role,
            organisation: me.and_then(|p| p.organisation),
        },
        organisations: &state.organisations,
        participants: state
            .participants
            .iter()
            .map(|p| ParticipantView {
                id: p.id,
                name: &p.name,
                role: p.role,
                organisation: p.organisation,
                removed: p.removed,
                answered: state
                    .answers
                    .get(&p.id)
                    .map(|a| Answered {
                        intent: a.intent.is_some(),
                        nature: a.nature.is_some(),
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        my_answers: state.answers.get(&viewer.participant),
        rounds: state
            .rounds
            .iter()
            .map(|round| RoundView {
                round,
                explanations: Explanations::of(&round.report),
            })
            .collect(),
        resolutions: &state.resolutions,
        form_rounds: &state.form_rounds,
        my_form_consent: own_consent(&state.form_consents, viewer.participant),
        rationale_requests: requests(state),
        rationales: &state.rationales,
        gate: Gate {
            open: state.phase == Phase::Alignment
                && state.mode() == Mode::Design
                && state.design_tracks().is_some(),
            agreed,
            resolved_by,
            decided,
        },
        tracks: state
            .tracks
            .iter()
            .map(|t| track_view(state, t, viewer.participant))
            .collect(),
        focus: state.focus,
        timer: state.timer.as_ref(),
        notes: &state.notes,
        approvals: &state.approvals,
        objections: &state.objections,
        closure: state.closure.as_ref(),
        diagnosis: super::diagnosis_view(state, viewer.participant),
        baseline: state.baseline.as_ref(),
        drift: drift(state),
        board_links: if viewer.role == Role::Facilitator {
            state.observers.iter().collect()
        } else {
            Vec::new()
        },
    }
}
