//! A checkpoint: the folded state at one sequence number, so that loading a session reads the
//! latest checkpoint and the events after it instead of its whole log. The log stays the
//! truth: a checkpoint is a cache of its fold, and one that cannot be read (another version, a
//! damaged row) is ignored for the whole log.
//!
//! The state's serialised form is shaped for views in two places: a name's comparison key is
//! left out (it is worked out again here), and so are an aspect's unrevealed responses and an
//! open consent round's answers (of an aspect or of the form), which a checkpoint keeps beside the state.

use super::State;
use crate::session::design::Response;
use crate::session::diagnosis::Placing;
use crate::session::ids::{OrgId, ParticipantId};
use crate::session::negotiation::Consent;
use crate::session::unicode::name_key;
use serde::{Deserialize, Serialize};

/// An open consent round's secret answers, per organisation.
type Answers = BTreeMap<OrgId, (ParticipantId, Consent)>;
use std::collections::BTreeMap;

/// The checkpoint format. Raise it whenever the state's serialised shape changes (the pinned
/// test below fails when it does): checkpoints of another version are ignored, and sessions
/// load from their logs until a new checkpoint is written.
pub const CHECKPOINT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Written<'a> {
    state: &'a State,
    /// Per (track, aspect) with any: the current round's responses.
    responses: Vec<(usize, usize, &'a BTreeMap<ParticipantId, Response>)>,
    /// Per aspect of a diagnosis with any: the current round's placements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    placements: Vec<(usize, &'a BTreeMap<ParticipantId, Placing>)>,
    /// Per (track, aspect) with an open consent round: its secret answers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    consents: Vec<(usize, usize, &'a Answers)>,
    /// The open form round's secret answers.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    form_consents: &'a Answers,
}

#[derive(Deserialize)]
struct Read {
    state: State,
    responses: Vec<(usize, usize, BTreeMap<ParticipantId, Response>)>,
    #[serde(default)]
    placements: Vec<(usize, BTreeMap<ParticipantId, Placing>)>,
    #[serde(default)]
    consents: Vec<(usize, usize, Answers)>,
    #[serde(default)]
    form_consents: Answers,
}

/// The checkpoint of `state`, as JSON text.
pub fn encode_checkpoint(state: &State) -> String {
    let responses = state
        .tracks
        .iter()
        .enumerate()
        .flat_map(|(t, track)| {
            track
                .aspects
                .iter()
                .enumerate()
                .filter(|(_, a)| !a.responses.is_empty())
                .map(move |(a, aspect)| (t, a, &aspect.responses))
        })
        .collect();
    let placements = state
        .diagnosis
        .iter()
        .flat_map(|d| d.aspects.iter().enumerate())
        .filter(|(_, a)| !a.placements.is_empty())
        .map(|(i, a)| (i, &a.placements))
        .collect();
    let consents = state
        .tracks
        .iter()
        .enumerate()
        .flat_map(|(t, track)| {
            track
                .aspects
                .iter()
                .enumerate()
                .filter(|(_, a)| !a.consents.is_empty())
                .map(move |(a, aspect)| (t, a, &aspect.consents))
        })
        .collect();
    // Plain data with string keys: serialising cannot fail.
    serde_json::to_string(&Written {
        state,
        responses,
        placements,
        consents,
        form_consents: &state.form_consents,
    })
    .unwrap_or_default()
}

/// The state a checkpoint holds; `None` when it cannot be read.
pub fn decode_checkpoint(text: &str) -> Option<State> {
    let Read {
        mut state,
        responses,
        placements,
        consents,
        form_consents,
    } = serde_json::from_str(text).ok()?;
    state.form_consents = form_consents;
    for (t, a, c) in consents {
        state.tracks.get_mut(t)?.aspects.get_mut(a)?.consents = c;
    }
    for (a, p) in placements {
        state.diagnosis.as_mut()?.aspects.get_mut(a)?.placements = p;
    }
    for (t, a, r) in responses {
        state.tracks.get_mut(t)?.aspects.get_mut(a)?.responses = r;
    }
    for o in &mut state.organisations {
        o.key = name_key(&o.name);
    }
    for p in &mut state.participants {
        p.key = name_key(&p.name);
    }
    Some(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_that_cannot_be_read_is_none() {
        assert!(decode_checkpoint("").is_none());
        assert!(decode_checkpoint("{\"state\":{}}").is_none());
        let mut text = encode_checkpoint(&State::default());
        assert_eq!(decode_checkpoint(&text), Some(State::default()));
        text.truncate(text.len() - 1);
        assert!(decode_checkpoint(&text).is_none());
    }
}
