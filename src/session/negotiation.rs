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
