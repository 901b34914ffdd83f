//! Who is asked for a rationale. After a reveal, the representatives whose position differs
//! from the others' are asked why: per question after the positioning reveal, per aspect after
//! a design reveal. "Differs" means: at a choice fewer people made than another one; when the
//! choices are evenly split, everyone on that question differs from the others. Whoever gave a
//! motivation (or a comment) with their answer has said why already and is not asked again.
//! A request lasts while its subject is on the table: the round in alignment, the aspect while
//! it is revealed and not yet agreed or parked.

use super::design::AspectReveal;
use super::ids::{OrgId, ParticipantId};
use super::state::{AspectStatus, State};
use super::values::{Phase, RationaleSubject};
use serde::Serialize;
use std::collections::BTreeMap;

/// One representative asked for the reason of their position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RationaleRequest {
    pub participant: ParticipantId,
    pub organisation: OrgId,
    pub about: RationaleSubject,
    /// Whether they gave it (it is then in the session's rationales).
    pub given: bool,
}

/// The groups of a split that differ from the others: every group smaller than the largest,
/// or all of them when they are the same size.
fn differing<K: Ord + Clone>(groups: &BTreeMap<K, usize>) -> Vec<K> {
    let largest = groups.values().copied().max().unwrap_or(0);
    let even = groups.values().all(|&n| n == largest);
    groups
        .iter()
        .filter(|&(_, &n)| even || n < largest)
        .map(|(k, _)| k.clone())
        .collect()
}

/// Every current request, in the order people joined within each subject.
pub fn requests(state: &State) -> Vec<RationaleRequest> {
    let mut out = Vec::new();
    let active = |p: ParticipantId| state.active_participant(p).is_some();
    if state.phase == Phase::Alignment
        && let Some(round) = state.current_reveal()
    {
        for split in round.report.axes.iter().filter(|a| a.disagreement) {
            let sizes: BTreeMap<&str, usize> = split
                .poles
                .iter()
                .map(|g| (g.pole.as_str(), g.participants.len()))
                .collect();
            let asked = differing(&sizes);
            let about = RationaleSubject::Axis {
                axis: split.axis,
                round: round.round,
            };
            // In the order people joined, as the positions are.
            for position in &round.positions {
                let (pole, explained) = match split.axis {
                    crate::model::Axis::Intent => position
                        .intent
                        .as_ref()
                        .map(|a| (a.pole.id(), a.motivation.is_some())),
                    crate::model::Axis::Nature => position
                        .nature
                        .as_ref()
                        .map(|a| (a.pole.id(), a.motivation.is_some())),
                }
                .unwrap_or(("", true));
                // An advisor speaks but is no side of the partners' difference.
                if asked.contains(&pole)
                    && !explained
                    && active(position.participant)
                    && state.is_partner(position.organisation)
                {
                    out.push(request(
                        state,
                        position.participant,
                        position.organisation,
                        about,
                    ));
                }
            }
        }
    }
    if state.phase == Phase::Design {
        for (index, track) in state.tracks.iter().enumerate() {
            for a in track
                .aspects
                .iter()
                .filter(|a| a.status == AspectStatus::Revealed)
            {
                let Some(reveal) = a.reveals.last().filter(|r| r.round == a.round) else {
                    continue;
                };
                if !reveal.disagreement {
                    continue;
                }
                let about = RationaleSubject::Aspect {
                    track: index,
                    aspect: a.aspect,
                    round: a.round,
                };
                for (participant, organisation) in differing_responses(state, reveal) {
                    if active(participant) {
                        out.push(request(state, participant, organisation, about));
                    }
                }
            }
        }
    }
    out
}

/// The people whose revealed response differs from the others' and came without a comment.
/// Advisors' responses are left out: they are no side of the partners' difference.
fn differing_responses(state: &State, reveal: &AspectReveal) -> Vec<(ParticipantId, OrgId)> {
    let partners = || {
        reveal
            .responses
            .iter()
            .filter(|r| state.is_partner(r.organisation))
    };
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    for r in partners() {
        *sizes.entry(r.key()).or_default() += 1;
    }
    let asked = differing(&sizes);
    partners()
        .filter(|r| asked.contains(&r.key()) && r.response.comment.is_none())
        .map(|r| (r.participant, r.organisation))
        .collect()
}

fn request(
    state: &State,
    participant: ParticipantId,
    organisation: OrgId,
    about: RationaleSubject,
) -> RationaleRequest {
    RationaleRequest {
        participant,
        organisation,
        about,
        given: state
            .rationales
            .iter()
            .any(|r| r.participant == participant && r.about == about),
    }
}

#[cfg(test)]
mod tests {
    use super::differing;
    use std::collections::BTreeMap;

    #[test]
    fn the_smaller_groups_differ_and_an_even_split_asks_everyone() {
        let sizes: BTreeMap<&str, usize> = [("improve", 3), ("innovate", 1)].into();
        assert_eq!(differing(&sizes), vec!["innovate"]);
        let even: BTreeMap<&str, usize> = [("improve", 2), ("innovate", 2)].into();
        assert_eq!(differing(&even), vec!["improve", "innovate"]);
        let three: BTreeMap<&str, usize> = [("a", 3), ("b", 1), ("c", 3)].into();
        assert_eq!(differing(&three), vec!["b"]);
    }
}
