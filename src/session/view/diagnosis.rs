//! A diagnosis as one viewer may see it: per aspect who placed it (never where, before the
//! reveal), the reveals, the finding and the actions; the viewer's own placements; and what
//! the revealed placements show.

use crate::model::Aspect;
use crate::session::diagnosis::{Action, PlacementReveal, Placing, Subject};
use crate::session::findings::{Analysis, analyse};
use crate::session::ids::ParticipantId;
use crate::session::state::{DiagnosisAspect, PlacementStatus, State};
use serde::Serialize;

/// The `diagnosis` part of a snapshot.
#[derive(Debug, Serialize)]
pub struct DiagnosisView<'a> {
    pub subject: Subject,
    /// The 13 aspects, in the model's order.
    pub aspects: Vec<DiagnosisAspectView<'a>>,
    /// What the revealed placements show.
    pub analysis: Analysis,
}

/// One aspect of a diagnosis as one viewer may see it.
#[derive(Debug, Serialize)]
pub struct DiagnosisAspectView<'a> {
    pub aspect: Aspect,
    pub status: PlacementStatus,
    pub round: u32,
    /// Who placed it in the current round (only that, never where).
    pub placed: Vec<ParticipantId>,
    /// The viewer's own placement in the current round.
    pub my_placement: Option<&'a Placing>,
    pub reveals: &'a [PlacementReveal],
    pub finding: Option<&'a str>,
    pub actions: &'a [Action],
}

fn aspect_view<'a>(
    state: &State,
    a: &'a DiagnosisAspect,
    viewer: ParticipantId,
) -> DiagnosisAspectView<'a> {
    DiagnosisAspectView {
        aspect: a.aspect,
        status: a.status,
        round: a.round,
        // In the order people joined, as every other list of people.
        placed: state
            .participants
            .iter()
            .filter(|p| a.placements.contains_key(&p.id))
            .map(|p| p.id)
            .collect(),
        my_placement: a.placements.get(&viewer),
        reveals: &a.reveals,
        finding: a.finding.as_deref(),
        actions: &a.actions,
    }
}

/// The diagnosis for `viewer`; none for a design session.
pub fn diagnosis_view(state: &State, viewer: ParticipantId) -> Option<DiagnosisView<'_>> {
    let d = state.diagnosis.as_ref()?;
    Some(DiagnosisView {
        subject: d.subject,
        aspects: d
            .aspects
            .iter()
            .map(|a| aspect_view(state, a, viewer))
            .collect(),
        analysis: analyse(state)?,
    })
}
