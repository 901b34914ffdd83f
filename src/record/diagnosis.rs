//! The diagnosis part of a record: what a diagnosis session found, per aspect and in all.

use crate::model::{Aspect, Cluster, Form};
use serde::{Deserialize, Serialize};

/// A diagnosis: the profile of practice (or a plan) against the four forms, the mixing, the
/// gaps, the findings and the improvement actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DiagnosisEntry {
    /// "practice" (how the collaboration works) or "plan" (how a plan says it will work).
    pub subject: String,
    /// The form the partners intend, if their positioning said so.
    pub intended: Option<Form>,
    /// The form most aspects belong to, the partners together.
    pub dominant: Option<Form>,
    /// What mixing is measured against: the intended form, else the dominant one.
    pub reference: Option<Form>,
    /// Aspects whose practice belongs to another form than the reference.
    pub mixing: Vec<Aspect>,
    /// Revealed aspects nobody could place with a form.
    pub gaps: Vec<Aspect>,
    /// Aspects the partners placed with different forms.
    pub differing: Vec<Aspect>,
    /// Aspects never revealed: not diagnosed.
    pub not_diagnosed: Vec<Aspect>,
    pub aspects: Vec<DiagnosisAspectEntry>,
    /// Per organisation with revealed placements.
    pub organisations: Vec<OrgProfileEntry>,
}

/// One aspect of a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DiagnosisAspectEntry {
    pub aspect: Aspect,
    pub cluster: Cluster,
    pub label: String,
    pub question: String,
    /// Placements counting for each form (transactional, functional, entrepreneurial,
    /// exploratory), the partners together, from the last reveal.
    pub counts: [u32; 4],
    /// The form most of them count for.
    pub form: Option<Form>,
    /// The placements of the last reveal.
    pub placements: Vec<PlacementEntry>,
    pub finding: Option<String>,
    pub actions: Vec<ActionEntry>,
}

/// One revealed placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlacementEntry {
    pub participant: String,
    pub organisation: String,
    /// "form", "none" or "own".
    pub placed: String,
    /// The form placed with, or the form a facilitator tagged own words with.
    pub form: Option<Form>,
    /// The principle's text, or the own words.
    pub text: Option<String>,
    pub example: Option<String>,
}

/// An improvement action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ActionEntry {
    pub id: u32,
    pub text: String,
    /// Who takes it up ("organisation" or "person (organisation)").
    pub owner: Option<String>,
    pub due: Option<chrono::NaiveDate>,
}

/// One organisation's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OrgProfileEntry {
    pub organisation: String,
    pub advisor: bool,
    /// The form its positions intended.
    pub intended: Option<Form>,
    pub dominant: Option<Form>,
    /// Per aspect in the model's order: the form its placements count for most.
    pub forms: Vec<Option<Form>>,
    /// Aspects its practice places with another form than its intended (else dominant) one.
    pub mixing: Vec<Aspect>,
}
