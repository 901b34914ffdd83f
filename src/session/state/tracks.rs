//! The design phase as the state keeps it: per track, the 13 aspects; per aspect its status,
//! the current round's blind responses, every reveal, and the agreement or the reason it was
//! parked.

use super::super::baseline::Carried;
use super::super::design::{AspectReveal, Response};
use super::super::ids::{OrgId, ParticipantId};
use super::super::negotiation::{Consent, ConsentRound, Proposal};
use super::super::values::Owner;
use crate::model::{Aspect, Form, Lang, form_of_principle};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where an aspect stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AspectStatus {
    /// Collecting responses (or none yet): the design is partial here.
    Open,
    /// Responses revealed, awaiting the facilitator's agreement.
    Revealed,
    Agreed,
    /// Set aside, with a reason.
    Parked,
}

/// The agreed outcome of an aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub text: String,
    /// The form the text matches, if it is one of the model's principles.
    pub matches: Option<Form>,
    /// Organisations whose revealed responses differed from the agreed text.
    pub dissenting: Vec<OrgId>,
    /// For a text of the facilitator's own: the form it resembles, by their judgement.
    pub resembles: Option<Form>,
    /// The consent round it came from; none when the facilitator decided without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_round: Option<u32>,
    pub at: DateTime<Utc>,
    pub by: Option<ParticipantId>,
}

impl Agreement {
    /// The form the agreed text belongs to: the principle it is, or the form the facilitator
    /// judged their own text to resemble.
    pub fn form(&self) -> Option<Form> {
        self.matches.or(self.resembles)
    }

    /// Whether the agreed text belongs to another form than the track's: the model's warning
    /// that mixing forms makes a collaboration less effective.
    pub fn mixes(&self, track_form: Form) -> bool {
        self.form().is_some_and(|f| f != track_form)
    }
}

/// One aspect of one track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AspectState {
    pub aspect: Aspect,
    pub status: AspectStatus,
    /// The current round, from 1; a reopen starts the next.
    pub round: u32,
    /// The current round's responses, secret until revealed.
    #[serde(skip)]
    pub responses: BTreeMap<ParticipantId, Response>,
    /// Every reveal, oldest first.
    pub reveals: Vec<AspectReveal>,
    /// The agreement, when agreed.
    pub agreement: Option<Agreement>,
    /// Why it was parked, when parked.
    pub parked: Option<String>,
    /// Who is to take it up while it is not agreed.
    pub owner: Option<Owner>,
    /// By when.
    pub due: Option<chrono::NaiveDate>,
    /// Every proposal put forward, over all rounds (left out while there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposals: Vec<Proposal>,
    /// Every consent round, oldest first (left out while there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<ConsentRound>,
    /// The open round's answers per organisation, secret until it closes.
    #[serde(skip)]
    pub consents: BTreeMap<OrgId, (ParticipantId, Consent)>,
}

impl AspectState {
    /// A fresh, open aspect.
    pub fn new(aspect: Aspect) -> AspectState {
        AspectState {
            aspect,
            status: AspectStatus::Open,
            round: 1,
            responses: BTreeMap::new(),
            reveals: Vec::new(),
            agreement: None,
            parked: None,
            owner: None,
            due: None,
            proposals: Vec::new(),
            rounds: Vec::new(),
            consents: BTreeMap::new(),
        }
    }

    /// The consent round that is open, if one is.
    pub fn open_round(&self) -> Option<&ConsentRound> {
        self.rounds.last().filter(|r| r.closed.is_none())
    }

    /// A proposal of this aspect, by its number.
    pub fn proposal(&self, id: u32) -> Option<&Proposal> {
        self.proposals.iter().find(|p| p.proposal.id == id)
    }

    /// Starts a new round: answers reopen, earlier reveals stay.
    pub fn reopen(&mut self) {
        self.status = AspectStatus::Open;
        self.round += 1;
        self.responses.clear();
        self.agreement = None;
        self.parked = None;
    }
}

/// One track being designed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Track {
    pub name: String,
    pub form: Form,
    /// The organisations taking part; empty means all.
    pub organisations: Vec<OrgId>,
    /// The 13 aspects, in the model's order.
    pub aspects: Vec<AspectState>,
    /// In a follow-up: the aspects agreed in the baseline, each the starting proposal for
    /// its aspect instead of the model's principle.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carried: Vec<Carried>,
}

impl Track {
    /// A track with every aspect open.
    pub fn new(name: String, form: Form, organisations: Vec<OrgId>) -> Track {
        Track {
            name,
            form,
            organisations,
            aspects: Aspect::ALL.iter().map(|&a| AspectState::new(a)).collect(),
            carried: Vec::new(),
        }
    }

    /// The baseline's agreement on an aspect, in a follow-up.
    pub fn carried(&self, aspect: Aspect) -> Option<&Carried> {
        self.carried.iter().find(|c| c.aspect == aspect)
    }

    /// An aspect's proposal and the form whose principle it is: the baseline's agreement where
    /// there is one (a form only if its text is a principle, as for any response), else the
    /// model's principle for the track's form.
    pub fn proposal(&self, aspect: Aspect, language: Lang) -> (String, Option<Form>) {
        match self.carried(aspect) {
            Some(c) => (c.text.clone(), form_of_principle(aspect, &c.text)),
            None => (
                aspect.principle(self.form).get(language).to_owned(),
                Some(self.form),
            ),
        }
    }

    /// Whether `organisation` takes part in this track.
    pub fn includes(&self, organisation: OrgId) -> bool {
        self.organisations.is_empty() || self.organisations.contains(&organisation)
    }

    /// The state of one aspect.
    pub fn aspect(&self, aspect: Aspect) -> &AspectState {
        &self.aspects[aspect.index()]
    }

    /// The state of one aspect, to change.
    pub fn aspect_mut(&mut self, aspect: Aspect) -> &mut AspectState {
        &mut self.aspects[aspect.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn o(n: u128) -> OrgId {
        OrgId(Uuid::from_u128(100 + n))
    }

    #[test]
    fn a_track_has_all_13_aspects_open_and_may_limit_its_organisations() {
        let t = Track::new("ICT services".into(), Form::Functional, vec![o(1)]);
        assert_eq!(t.aspects.len(), 13);
        assert!(t.aspects.iter().all(|a| a.status == AspectStatus::Open));
        assert!(t.includes(o(1)));
        assert!(!t.includes(o(2)));
        assert!(Track::new("All".into(), Form::Functional, vec![]).includes(o(2)));
    }
}
