//! What each person may see. Every message that leaves the server about a session is built
//! here, so the blind-answer rule lives in one place: an answer is visible to its author only,
//! until the reveal puts it into a `revealed` event for everyone.

use super::alignment::AlignmentReport;
use super::command::Step;
use super::design::{AspectState, Response, Track};
use super::event::{Event, Recorded};
use super::ids::{OrgId, ParticipantId};
use super::moderation::{Approval, Closure, Note, Objection, Timer};
use super::state::{
    Organisation, Phase, Position, Resolution, RevealedRound, Role, Settings, State,
};
use crate::model::{Axis, Form, Lang, Text, axis_difference, form_difference};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Who is looking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    /// The person.
    pub participant: ParticipantId,
    /// Their role.
    pub role: Role,
}

/// Who may see an event in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Everyone in the session.
    Everyone,
    /// Only this participant sees it in full; everyone else sees a redacted form.
    Author(ParticipantId),
}

/// The audience of an event.
pub fn audience(event: &Event) -> Audience {
    match event {
        Event::AnswerGiven { participant, .. } | Event::AspectResponded { participant, .. } => {
            Audience::Author(*participant)
        }
        _ => Audience::Everyone,
    }
}

/// An event as one viewer may see it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum VisibleEvent<'a> {
    /// The event in full.
    Full(&'a Event),
    /// A reveal, with the model's explanation of each difference it shows.
    Revealed {
        /// The event.
        #[serde(flatten)]
        event: &'a Event,
        /// Why each difference matters, from the model.
        explanations: Explanations,
    },
    /// Someone else's design response: that it was given, not what it was.
    HiddenResponse {
        /// Always "aspect_responded".
        #[serde(rename = "type")]
        kind: &'static str,
        /// Who responded.
        participant: ParticipantId,
        /// Which track.
        track: usize,
        /// Which aspect.
        aspect: crate::model::Aspect,
        /// In which round of the aspect.
        round: u32,
    },
    /// Someone else's answer: that it was given, not what it was.
    HiddenAnswer {
        /// Always "answer_given".
        #[serde(rename = "type")]
        kind: &'static str,
        /// Who answered.
        participant: ParticipantId,
        /// In which round.
        round: u32,
        /// Which question.
        axis: Axis,
    },
}

/// An event as `viewer` may see it (a viewer of `None` sees what everyone may see).
pub fn visible(event: &Event, viewer: Option<ParticipantId>) -> VisibleEvent<'_> {
    match event {
        Event::AnswerGiven {
            participant,
            round,
            answer,
        } if Some(*participant) != viewer => VisibleEvent::HiddenAnswer {
            kind: "answer_given",
            participant: *participant,
            round: *round,
            axis: answer.axis(),
        },
        Event::AspectResponded {
            participant,
            track,
            aspect,
            round,
            ..
        } if Some(*participant) != viewer => VisibleEvent::HiddenResponse {
            kind: "aspect_responded",
            participant: *participant,
            track: *track,
            aspect: *aspect,
            round: *round,
        },
        Event::Revealed { report, .. } => VisibleEvent::Revealed {
            event,
            explanations: Explanations::of(report),
        },
        _ => VisibleEvent::Full(event),
    }
}

/// A recorded event as one viewer may see it: the `event` message of the protocol.
#[derive(Debug, Serialize)]
pub struct EventMessage<'a> {
    /// Always "event".
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Sequence number.
    pub seq: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who caused it.
    pub by: Option<ParticipantId>,
    /// What happened, as this viewer may see it.
    pub event: VisibleEvent<'a>,
}

impl<'a> EventMessage<'a> {
    /// The message for `recorded` as `viewer` may see it.
    pub fn new(recorded: &'a Recorded, viewer: Option<ParticipantId>) -> Self {
        EventMessage {
            kind: "event",
            seq: recorded.seq,
            at: recorded.at,
            by: recorded.by,
            event: visible(&recorded.event, viewer),
        }
    }
}

/// The model's explanation of every difference a report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Explanations {
    /// Per axis on which representatives differ.
    pub axes: Vec<AxisExplanation>,
    /// Per pair of forms that both occur.
    pub pairs: Vec<PairExplanation>,
}

/// What a difference on one axis means.
#[derive(Debug, Clone, Serialize)]
pub struct AxisExplanation {
    /// The axis.
    pub axis: Axis,
    /// The explanation, in both languages.
    pub text: Text,
}

/// What the difference between two forms means.
#[derive(Debug, Clone, Serialize)]
pub struct PairExplanation {
    /// One form.
    pub a: Form,
    /// The other.
    pub b: Form,
    /// The explanation, in both languages.
    pub text: Text,
}

impl Explanations {
    /// The explanations for a report.
    pub fn of(report: &AlignmentReport) -> Explanations {
        Explanations {
            axes: report
                .axes
                .iter()
                .filter(|a| a.disagreement)
                .map(|a| AxisExplanation {
                    axis: a.axis,
                    text: axis_difference(a.axis),
                })
                .collect(),
            pairs: report
                .form_pairs
                .iter()
                .filter_map(|p| {
                    Some(PairExplanation {
                        a: p.a,
                        b: p.b,
                        text: form_difference(p.a, p.b)?,
                    })
                })
                .collect(),
        }
    }
}

/// The whole session as one viewer may see it: the `snapshot` message of the protocol.
#[derive(Debug, Serialize)]
pub struct SessionView<'a> {
    /// The sequence number this snapshot is current to.
    pub seq: u64,
    /// The session's own facts.
    pub session: SessionFacts<'a>,
    /// Who is looking.
    pub me: Me,
    /// Organisations, in the order they were added.
    pub organisations: &'a [Organisation],
    /// People, with whether they answered the current round (never what).
    pub participants: Vec<ParticipantView<'a>>,
    /// The viewer's own answers in the current round (representatives only).
    pub my_answers: Option<&'a Position>,
    /// Every revealed round, with the model's explanations.
    pub rounds: Vec<RoundView<'a>>,
    /// Every resolution.
    pub resolutions: &'a [Resolution],
    /// Whether the session may leave alignment, and why (not).
    pub gate: Gate,
    /// The tracks being designed, with who responded to each aspect (never what, before the
    /// reveal).
    pub tracks: Vec<TrackView<'a>>,
    /// The step everyone is pointed at.
    pub focus: Option<Step>,
    /// The running timer.
    pub timer: Option<&'a Timer>,
    /// The facilitators' notes.
    pub notes: &'a [Note],
    /// Approvals in the current review.
    pub approvals: &'a [Approval],
    /// Every objection.
    pub objections: &'a [Objection],
    /// How the session was closed.
    pub closure: Option<&'a Closure>,
}

/// A track as one viewer may see it.
#[derive(Debug, Serialize)]
pub struct TrackView<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its form.
    pub form: Form,
    /// The organisations taking part; empty means all.
    pub organisations: &'a [OrgId],
    /// Its aspects, in the model's order.
    pub aspects: Vec<AspectView<'a>>,
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
}

fn track_view<'a>(state: &State, track: &'a Track, viewer: ParticipantId) -> TrackView<'a> {
    TrackView {
        name: &track.name,
        form: track.form,
        organisations: &track.organisations,
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
            })
            .collect(),
    }
}

/// Title, language, phase and settings.
#[derive(Debug, Serialize)]
pub struct SessionFacts<'a> {
    /// Title.
    pub title: &'a str,
    /// Language.
    pub language: Lang,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// Current phase.
    pub phase: Phase,
    /// Current (or last) positioning round, 0 before positioning.
    pub round: u32,
    /// Settings.
    pub settings: Settings,
}

/// The viewer.
#[derive(Debug, Serialize)]
pub struct Me {
    /// Their id.
    pub participant: ParticipantId,
    /// Their role.
    pub role: Role,
    /// Their organisation, if a representative.
    pub organisation: Option<OrgId>,
}

/// A person as others see them.
#[derive(Debug, Serialize)]
pub struct ParticipantView<'a> {
    /// Id.
    pub id: ParticipantId,
    /// Name.
    pub name: &'a str,
    /// Role.
    pub role: Role,
    /// Organisation.
    pub organisation: Option<OrgId>,
    /// Removed by a facilitator.
    pub removed: bool,
    /// Which questions they answered in the current round (only that, never the answer).
    pub answered: Answered,
}

/// Which questions someone answered.
#[derive(Debug, Serialize, Default)]
pub struct Answered {
    /// The intent question.
    pub intent: bool,
    /// The nature question.
    pub nature: bool,
}

/// A revealed round with the model's explanations.
#[derive(Debug, Serialize)]
pub struct RoundView<'a> {
    /// The round.
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
        gate: Gate {
            open: state.phase == Phase::Alignment && (agreed.is_some() || resolved_by.is_some()),
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
    }
}
