//! The facilitator's preview of a reveal: what it would show, sent to their own connection
//! only. It carries where people stand and where they differ — never a motivation, a comment
//! or a text of their own — so that the facilitator can plan the conversation without learning
//! more than the reveal itself will tell everyone.

use super::Explanations;
use crate::model::{Aspect, Form};
use crate::session::alignment::AlignmentReport;
use crate::session::design::{Choice, Mixing};
use crate::session::event::Event;
use crate::session::ids::{OrgId, ParticipantId};
use crate::session::reveal::{answers_revealed, aspects_revealed};
use crate::session::state::State;
use serde::Serialize;

/// What a reveal would show now.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Preview {
    /// The positioning answers of the current round.
    Reveal {
        round: u32,
        /// Where the partners would stand and where they would differ.
        report: AlignmentReport,
        explanations: Explanations,
        /// Who has not answered both questions yet.
        missing: Vec<ParticipantId>,
    },
    /// Aspects of a track.
    Aspects {
        track: usize,
        aspects: Vec<AspectPreview>,
    },
}

/// One aspect as its reveal would show it, without the texts.
#[derive(Debug, Serialize)]
pub struct AspectPreview {
    pub aspect: Aspect,
    pub round: u32,
    pub disagreement: bool,
    pub mixing: Vec<Mixing>,
    pub responses: Vec<PreviewResponse>,
}

/// One response, by what it stands for only.
#[derive(Debug, Serialize)]
pub struct PreviewResponse {
    pub participant: ParticipantId,
    pub organisation: OrgId,
    /// "accept", "other_form" or "own".
    pub choice: &'static str,
    /// The form whose principle it is, if one.
    pub form: Option<Form>,
    /// Responses with the same number stand for the same text.
    pub group: usize,
}

/// The preview a `reveal_previewed` or `aspects_previewed` event stands for, worked out from
/// the state as it is (a preview changes nothing); `None` for any other event.
pub fn preview(state: &State, event: &Event) -> Option<Preview> {
    match event {
        Event::RevealPreviewed { .. } => match answers_revealed(state, &state.answers, false) {
            Event::Revealed {
                round,
                report,
                missing,
                ..
            } => Some(Preview::Reveal {
                round,
                explanations: Explanations::of(&report),
                report,
                missing,
            }),
            _ => None,
        },
        Event::AspectsPreviewed { track, aspects } => {
            let reveals = aspects_revealed(state, *track, aspects, true).ok()?;
            Some(Preview::Aspects {
                track: *track,
                aspects: reveals
                    .into_iter()
                    .map(|r| {
                        let mut keys: Vec<String> = Vec::new();
                        let responses = r
                            .responses
                            .iter()
                            .map(|x| {
                                let key = x.key();
                                let group =
                                    keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                                        keys.push(key);
                                        keys.len() - 1
                                    });
                                PreviewResponse {
                                    participant: x.participant,
                                    organisation: x.organisation,
                                    choice: match x.response.choice {
                                        Choice::Accept => "accept",
                                        Choice::OtherForm { .. } => "other_form",
                                        Choice::Own { .. } => "own",
                                        Choice::NoLonger => "no_longer",
                                    },
                                    form: x.form,
                                    group,
                                }
                            })
                            .collect();
                        AspectPreview {
                            aspect: r.aspect,
                            round: r.round,
                            disagreement: r.disagreement,
                            mixing: r.mixing,
                            responses,
                        }
                    })
                    .collect(),
            })
        }
        _ => None,
    }
}
