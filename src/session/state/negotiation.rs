//! How proposals and consent rounds change an aspect's state (called by the fold, apply.rs).

use super::State;
use super::tracks::AspectState;
use crate::model::Form;
use crate::session::event::Event;
use crate::session::ids::{OrgId, ParticipantId};
use crate::session::negotiation::{
    Consent, ConsentRound, FormRound, Outcome, Proposal, RoundAnswer, RoundEnd,
};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

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

    /// Answers in an open round that leave (a removed person's, a merged organisation's):
    /// their organisation has not answered.
    pub(super) fn drop_answers(&mut self, gone: impl Fn(OrgId, ParticipantId) -> bool) {
        let open = self.rounds.last_mut().filter(|r| r.closed.is_none());
        drop_answers(&mut self.consents, open.map(|r| &mut r.answered), gone);
    }
}

type Answers = BTreeMap<OrgId, (ParticipantId, Consent)>;

fn drop_answers(
    consents: &mut Answers,
    answered: Option<&mut Vec<OrgId>>,
    gone: impl Fn(OrgId, ParticipantId) -> bool,
) {
    let leaving: Vec<OrgId> = consents
        .iter()
        .filter(|(o, (p, _))| gone(**o, *p))
        .map(|(o, _)| *o)
        .collect();
    for o in &leaving {
        consents.remove(o);
    }
    if let Some(answered) = answered {
        answered.retain(|x| !leaving.contains(x));
    }
}

impl State {
    /// Answers in the open rounds, of aspects and of the form, that leave.
    pub(super) fn drop_answers(&mut self, gone: impl Fn(OrgId, ParticipantId) -> bool + Copy) {
        for t in &mut self.tracks {
            for a in &mut t.aspects {
                a.drop_answers(gone);
            }
        }
        let open = self.form_rounds.last_mut().filter(|r| r.closed.is_none());
        drop_answers(&mut self.form_consents, open.map(|r| &mut r.answered), gone);
    }

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
            Event::FormRoundCalled {
                round,
                form,
                rationale,
            } => {
                self.form_consents.clear();
                self.form_rounds.push(FormRound {
                    number: *round,
                    positioning: self.round,
                    form: *form,
                    rationale: rationale.clone(),
                    answered: Vec::new(),
                    closed: None,
                    at,
                    by,
                });
            }
            Event::FormRoundAnswered {
                organisation,
                participant,
                consent,
                ..
            } => {
                self.form_consents
                    .insert(*organisation, (*participant, consent.clone()));
                if let Some(r) = self.form_rounds.last_mut()
                    && !r.answered.contains(organisation)
                {
                    r.answered.push(*organisation);
                }
            }
            Event::FormRoundClosed {
                forced,
                answers,
                outcome,
                ..
            } => {
                self.form_consents.clear();
                if let Some(r) = self.form_rounds.last_mut() {
                    r.closed = Some(RoundEnd {
                        forced: *forced,
                        answers: answers.clone(),
                        outcome: *outcome,
                        overridden: None,
                    });
                }
            }
            Event::FormRoundOverridden { rationale, .. } => {
                if let Some(end) = self.form_rounds.last_mut().and_then(|r| r.closed.as_mut()) {
                    end.overridden = Some(rationale.clone());
                }
            }
            _ => {}
        }
    }
}
