//! How proposals and consent rounds change an aspect's state (called by the fold, apply.rs).

use super::State;
use super::tracks::AspectState;
use crate::model::Form;
use crate::session::event::Event;
use crate::session::ids::{OrgId, ParticipantId};
use crate::session::negotiation::{
    Consent, ConsentRound, Outcome, Proposal, RoundAnswer, RoundEnd,
};
use chrono::{DateTime, Utc};

impl AspectState {
    pub(super) fn add_proposal(&mut self, proposal: Proposal) {
        self.proposals.push(proposal);
    }

    pub(super) fn tag_proposal(&mut self, id: u32, form: Option<Form>) {
        if let Some(p) = self.proposals.iter_mut().find(|p| p.proposal.id == id) {
            p.proposal.resembles = form;
        }
    }

    pub(super) fn call_round(&mut self, number: u32, proposal: u32) {
        self.consents.clear();
        self.rounds.push(ConsentRound {
            number,
            proposal,
            answered: Vec::new(),
            closed: None,
        });
    }

    pub(super) fn answer_round(
        &mut self,
        organisation: OrgId,
        participant: ParticipantId,
        consent: Consent,
    ) {
        self.consents.insert(organisation, (participant, consent));
        if let Some(r) = self.rounds.last_mut()
            && !r.answered.contains(&organisation)
        {
            r.answered.push(organisation);
        }
    }

    pub(super) fn close_round(
        &mut self,
        forced: bool,
        answers: Vec<RoundAnswer>,
        outcome: Outcome,
    ) {
        self.consents.clear();
        if let Some(r) = self.rounds.last_mut() {
            r.closed = Some(RoundEnd {
                forced,
                answers,
                outcome,
                overridden: None,
            });
        }
    }

    pub(super) fn override_round(&mut self, rationale: String) {
        if let Some(end) = self.rounds.last_mut().and_then(|r| r.closed.as_mut()) {
            end.overridden = Some(rationale);
        }
    }

    /// A removed person's answer in an open round leaves with them: their organisation has not
    /// answered.
    pub(super) fn drop_answer_of(&mut self, participant: ParticipantId) {
        let gone: Vec<OrgId> = self
            .consents
            .iter()
            .filter(|(_, (p, _))| *p == participant)
            .map(|(o, _)| *o)
            .collect();
        for o in gone {
            self.consents.remove(&o);
            if let Some(r) = self.rounds.last_mut().filter(|r| r.closed.is_none()) {
                r.answered.retain(|x| *x != o);
            }
        }
    }
}

impl State {
    /// Folds an event of a negotiation (apply.rs hands over exactly these).
    pub(super) fn apply_negotiation(
        &mut self,
        event: &Event,
        at: DateTime<Utc>,
        by: Option<ParticipantId>,
    ) {
        match event {
            Event::RoundCalled {
                track,
                aspect,
                round,
                proposal,
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    t.aspect_mut(*aspect).call_round(*round, *proposal);
                }
            }
            Event::RoundAnswered {
                track,
                aspect,
                organisation,
                participant,
                consent,
                ..
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    t.aspect_mut(*aspect).answer_round(
                        *organisation,
                        *participant,
                        consent.clone(),
                    );
                }
            }
            Event::RoundClosed {
                track,
                aspect,
                forced,
                answers,
                outcome,
                ..
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    t.aspect_mut(*aspect)
                        .close_round(*forced, answers.clone(), *outcome);
                }
            }
            Event::RoundOverridden {
                track,
                aspect,
                rationale,
                ..
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    t.aspect_mut(*aspect).override_round(rationale.clone());
                }
            }
            Event::ProposalMade {
                track,
                aspect,
                proposal,
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    t.aspect_mut(*aspect).add_proposal(Proposal {
                        proposal: proposal.clone(),
                        by,
                        at,
                    });
                }
            }
            Event::ProposalTagged {
                track,
                aspect,
                proposal,
                form,
            } => {
                if let Some(t) = self.tracks.get_mut(*track) {
                    t.aspect_mut(*aspect).tag_proposal(*proposal, *form);
                }
            }
            _ => {}
        }
    }
}
