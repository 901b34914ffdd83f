//! The collaboration model as pure data, in English and Dutch.
//!
//! Grondvorm implements the model from the article "Ik kan het niet alleen…
//! Samenwerken als instrument": partners first answer two positioning
//! questions about the aim of their collaboration (intent: improve or
//! innovate; nature: exchange or share), which places it in one of four basic
//! forms. Each form then prescribes a design principle for thirteen aspects in
//! three clusters (governance, behavioural agreements, operational
//! elaboration). Mixing forms, or designing only part of the aspects, makes a
//! collaboration less effective, so the model also explains what differences
//! between partners' choices mean.
//!
//! Everything here is static data and pure functions; texts are paraphrases
//! of the article, kept close to its own terms in the Dutch wording.
//!
//! - [`text`]: bilingual [`Text`] and [`Lang`].
//! - [`forms`]: the two axes, their poles and the four basic forms.
//! - [`aspects`]: the clusters, the aspects and their design principles.
//! - [`explain`]: what differences between partners' positions mean.
//! - [`diagnosis`]: an existing collaboration read against the principles: profile, mixing, gaps.

pub mod aspects;
mod axes;
mod clusters;
pub mod diagnosis;
pub mod explain;
pub mod forms;
mod principles;
pub mod text;

pub use aspects::{Aspect, Cluster, form_of_principle};
pub use explain::{axis_difference, form_difference};
pub use forms::{Axis, Form, Intent, Nature, classify};
pub use text::{Lang, Text};

#[cfg(test)]
mod pinned_tests;
