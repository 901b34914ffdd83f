//! What each person may see. Every message that leaves the server about a session is built
//! here, so the blind-answer rule lives in one place: an answer is visible to its author only,
//! until the reveal puts it into a `revealed` event for everyone. This file has the events as
//! each viewer sees them; `snapshot.rs` the whole session; `messages.rs` every message the
//! server sends.

mod diagnosis;
mod messages;
mod preview;
mod snapshot;
mod sync;

pub use diagnosis::{DiagnosisAspectView, DiagnosisView, diagnosis_view};
pub use messages::{
    AckMessage, Connection, ErrorMessage, Presence, PresenceChange, Resume, ServerMessage,
    SessionInfo, Welcome, session_info,
};
pub use preview::{Preview, preview};
pub use snapshot::{SessionView, snapshot};
pub use sync::{Changes, Op, SyncMode, Views, diff};

use super::alignment::AlignmentReport;
use super::event::{Event, Recorded};
use super::ids::ParticipantId;
use super::rejection::Rejection;
use super::state::State;
use super::values::{Phase, Role};
use crate::model::{Axis, Form, Text, axis_difference, form_difference};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Who is looking: what a view may show depends on the person and their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub participant: ParticipantId,
    pub role: Role,
}

/// Who is looking, if they may: a participant still in the session, or a board link that was
/// not revoked (which sees what everyone may see, as an observer).
pub fn viewer(state: &State, participant: ParticipantId) -> Result<Viewer, Rejection> {
    let role = match state.active_participant(participant) {
        Some(p) => p.role,
        None if state.active_observer(participant).is_some() => Role::Observer,
        None => return Err(Rejection::NotAParticipant),
    };
    Ok(Viewer { participant, role })
}

/// Who may read the record now: facilitators at any time (a draft until the session closes),
/// representatives and board links from the review on.
pub fn record_reader(state: &State, participant: ParticipantId) -> Result<Viewer, Rejection> {
    let viewer = viewer(state, participant)?;
    let in_review = matches!(state.phase, Phase::Review | Phase::Closed);
    if viewer.role != Role::Facilitator && !in_review {
        return Err(Rejection::RecordNotAvailable);
    }
    Ok(viewer)
}

/// Who may see an event in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Everyone in the session.
    Everyone,
    /// Only this participant sees it in full; everyone else sees a redacted form.
    Author(ParticipantId),
}

/// The audience of an event: the author alone, for an event that is secret until a reveal.
pub fn audience(event: &Event) -> Audience {
    match secret(event) {
        Some((author, _)) => Audience::Author(author),
        None => Audience::Everyone,
    }
}

/// The one list of secret events: for each, its author and what everyone else sees of it —
/// that it happened, never what it says.
fn secret(event: &Event) -> Option<(ParticipantId, VisibleEvent<'_>)> {
    match event {
        Event::AnswerGiven {
            participant,
            round,
            answer,
        } => Some((
            *participant,
            VisibleEvent::HiddenAnswer {
                kind: "answer_given",
                participant: *participant,
                round: *round,
                axis: answer.axis(),
            },
        )),
        Event::AspectResponded {
            participant,
            track,
            aspect,
            round,
            ..
        } => Some((
            *participant,
            VisibleEvent::HiddenResponse {
                kind: "aspect_responded",
                participant: *participant,
                track: *track,
                aspect: *aspect,
                round: *round,
            },
        )),
        Event::RoundAnswered {
            participant,
            track,
            aspect,
            round,
            organisation,
            ..
        } => Some((
            *participant,
            VisibleEvent::HiddenConsent {
                kind: "round_answered",
                participant: *participant,
                organisation: *organisation,
                track: *track,
                aspect: *aspect,
                round: *round,
            },
        )),
        Event::FormRoundAnswered {
            participant,
            round,
            organisation,
            ..
        } => Some((
            *participant,
            VisibleEvent::HiddenFormConsent {
                kind: "form_round_answered",
                participant: *participant,
                organisation: *organisation,
                round: *round,
            },
        )),
        Event::AspectPlaced {
            participant,
            aspect,
            round,
            ..
        } => Some((
            *participant,
            VisibleEvent::HiddenPlacement {
                kind: "aspect_placed",
                participant: *participant,
                aspect: *aspect,
                round: *round,
            },
        )),
        _ => None,
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
        #[serde(flatten)]
        event: &'a Event,
        /// Why each difference matters, from the model.
        explanations: Explanations,
    },
    /// Someone else's design response: that it was given, not what it was.
    HiddenResponse {
        #[serde(rename = "type")]
        kind: &'static str,
        participant: ParticipantId,
        track: usize,
        aspect: crate::model::Aspect,
        /// In which round of the aspect.
        round: u32,
    },
    /// Someone else's answer in a consent round: that their organisation answered, not how.
    HiddenConsent {
        #[serde(rename = "type")]
        kind: &'static str,
        participant: ParticipantId,
        organisation: crate::session::ids::OrgId,
        track: usize,
        aspect: crate::model::Aspect,
        round: u32,
    },
    /// Someone else's answer in the form round: that their organisation answered, not how.
    HiddenFormConsent {
        #[serde(rename = "type")]
        kind: &'static str,
        participant: ParticipantId,
        organisation: crate::session::ids::OrgId,
        round: u32,
    },
    /// Someone else's placement in a diagnosis: that it was made, not what it was.
    HiddenPlacement {
        #[serde(rename = "type")]
        kind: &'static str,
        participant: ParticipantId,
        aspect: crate::model::Aspect,
        round: u32,
    },
    /// Someone else's answer: that it was given, not what it was.
    HiddenAnswer {
        #[serde(rename = "type")]
        kind: &'static str,
        participant: ParticipantId,
        round: u32,
        axis: Axis,
    },
}

/// An event as `viewer` may see it (a viewer of `None` sees what everyone may see).
pub fn visible(event: &Event, viewer: Option<ParticipantId>) -> VisibleEvent<'_> {
    match secret(event) {
        Some((author, hidden)) if Some(author) != viewer => hidden,
        _ => match event {
            Event::Revealed { report, .. } => VisibleEvent::Revealed {
                event,
                explanations: Explanations::of(report),
            },
            _ => VisibleEvent::Full(event),
        },
    }
}

/// A recorded event as one viewer may see it: the `event` message of the protocol.
#[derive(Debug, Serialize)]
pub struct EventMessage<'a> {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: Option<ParticipantId>,
    /// What happened, as this viewer may see it.
    pub event: VisibleEvent<'a>,
}

impl<'a> EventMessage<'a> {
    /// The `event` message for `recorded` as `viewer` may see it, as JSON text.
    pub fn render(recorded: &Recorded, viewer: Option<ParticipantId>) -> String {
        ServerMessage::Event(EventMessage::new(recorded, viewer)).to_json()
    }

    /// The message for `recorded` as `viewer` may see it.
    pub fn new(recorded: &'a Recorded, viewer: Option<ParticipantId>) -> Self {
        EventMessage {
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
    pub axis: Axis,
    /// What the article says, in both languages.
    pub text: Text,
    /// The product's own advice, kept apart from the article's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<Text>,
}

/// What the difference between two forms means.
#[derive(Debug, Clone, Serialize)]
pub struct PairExplanation {
    pub a: Form,
    pub b: Form,
    /// What the article says, in both languages.
    pub text: Text,
    /// The product's own advice, kept apart from the article's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<Text>,
}

impl Explanations {
    /// The explanations for a report.
    pub fn of(report: &AlignmentReport) -> Explanations {
        Explanations {
            axes: report
                .axes
                .iter()
                .filter(|a| a.disagreement)
                .map(|a| {
                    let e = axis_difference(a.axis);
                    AxisExplanation {
                        axis: a.axis,
                        text: e.text,
                        advice: e.advice,
                    }
                })
                .collect(),
            pairs: report
                .form_pairs
                .iter()
                .filter_map(|p| {
                    let e = form_difference(p.a, p.b)?;
                    Some(PairExplanation {
                        a: p.a,
                        b: p.b,
                        text: e.text,
                        advice: e.advice,
                    })
                })
                .collect(),
        }
    }
}
