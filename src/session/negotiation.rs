//! Negotiating an aspect: after its reveal, representatives and the facilitator put texts
//! forward as proposals — a form's principle, a revealed response, a text of their own, or an
//! amendment of an earlier proposal, kept as a new version — each showing the form it
//! belongs to, so that mixing is visible before anything is agreed.

use super::ids::ParticipantId;
use crate::model::Form;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a proposal's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A form's principle for the aspect.
    Principle { form: Form },
    /// A revealed response of the aspect's current round, by its author.
    Response { participant: ParticipantId },
    /// A text of the proposer's own.
    Own,
    /// A new version of an earlier proposal, which stays as it was.
    Amendment { of: u32 },
}

/// A proposal as the event carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalText {
    /// Numbered from 1 per aspect of a track; never used again.
    pub id: u32,
    /// The aspect's round it was made in (a reopen starts the next).
    pub round: u32,
    pub source: Source,
    pub text: String,
    /// The form whose principle the text is, if it is one.
    pub matches: Option<Form>,
    /// For any other text: the form it resembles, by the facilitator's judgement.
    pub resembles: Option<Form>,
}

impl ProposalText {
    /// The form the proposal belongs to: the principle it is, or the facilitator's tag.
    pub fn form(&self) -> Option<Form> {
        self.matches.or(self.resembles)
    }
}

/// A proposal as the state keeps it: with who made it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    #[serde(flatten)]
    pub proposal: ProposalText,
    pub by: Option<ParticipantId>,
    pub at: DateTime<Utc>,
}

/// An organisation's answer in a consent round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Consent {
    Consent,
    /// Consent, with a concern for the record.
    Concern {
        text: String,
    },
    /// An objection, with its reason: it blocks the agreement.
    Object {
        reason: String,
    },
}

/// One organisation's answer, by the representative who gave it last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundAnswer {
    pub organisation: super::ids::OrgId,
    pub participant: ParticipantId,
    #[serde(flatten)]
    pub consent: Consent,
}

/// How a consent round ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every answer was consent: agreed.
    Consent,
    /// No objection, but concerns: agreed, with them on record.
    ConsentWithConcerns,
    /// An objection: not agreed, unless the facilitator overrides it.
    Blocked,
    /// Closed before anyone answered: nothing agreed.
    NoAnswers,
}

/// A consent round on one proposal: which organisations answered (only that, while open), and
/// once closed every answer and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRound {
    /// Numbered from 1 per aspect of a track.
    pub number: u32,
    pub proposal: u32,
    pub answered: Vec<super::ids::OrgId>,
    pub closed: Option<RoundEnd>,
}

/// The end of a consent round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundEnd {
    /// Closed by the facilitator before every organisation answered.
    pub forced: bool,
    pub answers: Vec<RoundAnswer>,
    pub outcome: Outcome,
    /// A blocked round agreed all the same, with the facilitator's rationale.
    pub overridden: Option<String>,
}

/// The form decision put to a consent round in alignment: each partner organisation consents,
/// stands aside with a concern, or objects, as for an aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormRound {
    /// Numbered from 1 per session.
    pub number: u32,
    /// The positioning round it was called in.
    pub positioning: u32,
    pub form: Form,
    /// Why the facilitator proposes this form; the decision's rationale when agreed.
    pub rationale: String,
    pub answered: Vec<super::ids::OrgId>,
    pub closed: Option<RoundEnd>,
    pub at: DateTime<Utc>,
    pub by: Option<ParticipantId>,
}

impl RoundEnd {
    /// The organisations that objected.
    pub fn objectors(&self) -> Vec<super::ids::OrgId> {
        self.answers
            .iter()
            .filter(|x| matches!(x.consent, Consent::Object { .. }))
            .map(|x| x.organisation)
            .collect()
    }

    /// Whether the round ended in an objection that still stands (it was not overridden).
    pub fn blocks(&self) -> bool {
        self.outcome == Outcome::Blocked && self.overridden.is_none()
    }

    /// Whether the round led to an agreement: by consent, or overridden.
    pub fn agreed(&self) -> bool {
        matches!(
            self.outcome,
            Outcome::Consent | Outcome::ConsentWithConcerns
        ) || self.overridden.is_some()
    }
}

impl Outcome {
    /// How a set of answers ends a round.
    pub fn of(answers: &[RoundAnswer]) -> Outcome {
        let any = |f: fn(&Consent) -> bool| answers.iter().any(|x| f(&x.consent));
        if answers.is_empty() {
            Outcome::NoAnswers
        } else if any(|c| matches!(c, Consent::Object { .. })) {
            Outcome::Blocked
        } else if any(|c| matches!(c, Consent::Concern { .. })) {
            Outcome::ConsentWithConcerns
        } else {
            Outcome::Consent
        }
    }
}
