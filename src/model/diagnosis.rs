//! The model as a diagnosis instrument (the article's "diagnoseinstrument"): how an existing
//! collaboration, or a plan, works today, read against the four forms' principles as a
//! checklist. Each party (a representative, or an organisation through its representatives)
//! places each aspect's practice with one form's principle, with none of them, or in its own
//! words (which a facilitator may tag with the form they resemble). From the placements follow
//! a profile (aspects × forms), the dominant form, the aspects where practice belongs to
//! another form (**mixing**), the aspects nobody could place (**gaps**: a "partial" design),
//! and the aspects the parties place differently.
//!
//! Pure functions over placements already revealed: what is still blind never reaches them.
//! This is the core the diagnosis mode of a session (issue 13) is to be built on.

use super::{Aspect, Form};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where one party places one aspect's practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "form")]
pub enum Placement {
    /// It works as this form's principle says.
    Form(Form),
    /// None of the four principles describes it.
    NoneOfThese,
    /// Described in the party's own words, tagged (or not yet) with the form it resembles.
    OwnWords(Option<Form>),
}

impl Placement {
    /// The form this placement counts for, if any.
    pub fn form(self) -> Option<Form> {
        match self {
            Placement::Form(f) | Placement::OwnWords(Some(f)) => Some(f),
            Placement::NoneOfThese | Placement::OwnWords(None) => None,
        }
    }
}

/// How many placements of each aspect count for each form, in the order of [`Aspect::ALL`]
/// and [`Form::ALL`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Profile(pub [[u32; 4]; 13]);

impl Profile {
    /// The profile of `placements`.
    pub fn of<'a>(placements: impl IntoIterator<Item = &'a (Aspect, Placement)>) -> Profile {
        let mut counts = [[0; 4]; 13];
        for (aspect, placement) in placements {
            if let Some(form) = placement.form() {
                counts[aspect.index()][form.index()] += 1;
            }
        }
        Profile(counts)
    }

    /// The form most placements of `aspect` count for; `None` when none does, or when two
    /// forms have as many (the party does not agree with itself there).
    pub fn form_of(&self, aspect: Aspect) -> Option<Form> {
        single_most(&self.0[aspect.index()])
    }

    /// The form most aspects belong to (each aspect counted once, for its own form); `None`
    /// when no aspect is placed or two forms hold as many aspects.
    pub fn dominant(&self) -> Option<Form> {
        let mut aspects = [0u32; 4];
        for aspect in Aspect::ALL {
            if let Some(form) = self.form_of(aspect) {
                aspects[form.index()] += 1;
            }
        }
        single_most(&aspects)
    }
}

/// The form with the single highest count above zero.
fn single_most(counts: &[u32; 4]) -> Option<Form> {
    let most = *counts.iter().max()?;
    let mut at = Form::ALL.iter().zip(counts).filter(|(_, c)| **c == most);
    match (at.next(), at.next()) {
        (Some((form, _)), None) if most > 0 => Some(*form),
        _ => None,
    }
}

/// What a diagnosis shows, for the parties given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Findings {
    /// All placements together.
    pub profile: Profile,
    /// The form most aspects belong to, all parties together.
    pub dominant: Option<Form>,
    /// Aspects whose practice belongs to another form than the reference (the intended form
    /// when one is given, else the dominant one), with the form it belongs to.
    pub mixing: Vec<(Aspect, Form)>,
    /// Aspects no placement could put with any form.
    pub gaps: Vec<Aspect>,
    /// Aspects the parties put with different forms, or that no single form holds most.
    pub differing: Vec<Aspect>,
}

/// The findings from each party's placements (a party: a representative or an organisation,
/// whatever the key names), measured against `intended` when the partners stated it.
pub fn findings<K: Ord>(
    placements: &BTreeMap<K, Vec<(Aspect, Placement)>>,
    intended: Option<Form>,
) -> Findings {
    let profile = Profile::of(placements.values().flatten());
    let dominant = profile.dominant();
    let reference = intended.or(dominant);
    let parties: Vec<Profile> = placements.values().map(Profile::of).collect();
    let mut mixing = Vec::new();
    let mut gaps = Vec::new();
    let mut differing = Vec::new();
    for aspect in Aspect::ALL {
        let placed = profile.0[aspect.index()].iter().any(|c| *c > 0);
        if !placed {
            gaps.push(aspect);
            continue;
        }
        let own = profile.form_of(aspect);
        if let (Some(form), Some(reference)) = (own, reference)
            && form != reference
        {
            mixing.push((aspect, form));
        }
        let mut seen = parties.iter().filter_map(|p| {
            let counts = &p.0[aspect.index()];
            counts.iter().any(|c| *c > 0).then(|| p.form_of(aspect))
        });
        let first = seen.next().flatten();
        if own.is_none() || first.is_none() || seen.any(|f| f != first) {
            differing.push(aspect);
        }
    }
    Findings {
        profile,
        dominant,
        mixing,
        gaps,
        differing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Form::*;

    fn all(form: Form) -> Vec<(Aspect, Placement)> {
        Aspect::ALL
            .iter()
            .map(|a| (*a, Placement::Form(form)))
            .collect()
    }

    #[test]
    fn a_pure_functional_collaboration_has_no_mixing_no_gaps_and_no_difference() {
        let parties = BTreeMap::from([("telecom", all(Functional)), ("provider", all(Functional))]);
        let f = findings(&parties, None);
        assert_eq!(f.dominant, Some(Functional));
        assert!(f.mixing.is_empty() && f.gaps.is_empty() && f.differing.is_empty());
        assert_eq!(f.profile.0[0], [0, 2, 0, 0]);
    }

    #[test]
    fn the_telecom_case_product_development_written_into_an_sla_is_mixing() {
        // Functional outsourcing, but the work process and the key roles run as joint
        // product development (entrepreneurial) — the article's cautionary case.
        let mut practice = all(Functional);
        for (aspect, placement) in &mut practice {
            if matches!(aspect, Aspect::WorkProcess | Aspect::KeyRoles) {
                *placement = Placement::Form(Entrepreneurial);
            }
        }
        let parties = BTreeMap::from([("telecom", practice.clone()), ("provider", practice)]);
        let f = findings(&parties, None);
        assert_eq!(f.dominant, Some(Functional));
        assert_eq!(
            f.mixing,
            vec![
                (Aspect::KeyRoles, Entrepreneurial),
                (Aspect::WorkProcess, Entrepreneurial)
            ]
        );
        // Against the form the provider intended, nearly everything is mixing.
        let against = findings(&parties, Some(Entrepreneurial));
        assert_eq!(against.mixing.len(), 11);
    }

    #[test]
    fn an_aspect_nobody_could_place_is_a_gap_and_own_words_count_once_tagged() {
        let mut a = all(Transactional);
        a.retain(|(aspect, _)| !matches!(aspect, Aspect::Ict | Aspect::Identity));
        a.push((Aspect::Ict, Placement::NoneOfThese));
        a.push((Aspect::Identity, Placement::OwnWords(None)));
        let parties = BTreeMap::from([(1, a.clone())]);
        assert_eq!(
            findings(&parties, None).gaps,
            vec![Aspect::Identity, Aspect::Ict]
        );
        // The facilitator tags the own words: the aspect is placed.
        let tagged: Vec<_> = a
            .into_iter()
            .map(|(aspect, p)| match p {
                Placement::OwnWords(None) => (aspect, Placement::OwnWords(Some(Exploratory))),
                p => (aspect, p),
            })
            .collect();
        let f = findings(&BTreeMap::from([(1, tagged)]), None);
        assert_eq!(f.gaps, vec![Aspect::Ict]);
        assert_eq!(f.mixing, vec![(Aspect::Identity, Exploratory)]);
    }

    #[test]
    fn partners_who_see_the_same_practice_differently_are_shown_per_aspect() {
        let mut b = all(Functional);
        b[2].1 = Placement::Form(Entrepreneurial); // decision making
        let parties = BTreeMap::from([("a", all(Functional)), ("b", b)]);
        let f = findings(&parties, None);
        assert_eq!(f.differing, vec![Aspect::DecisionMaking]);
        // One each: no single form holds the aspect, so it is not mixing either.
        assert!(f.mixing.is_empty());
        assert_eq!(f.profile.form_of(Aspect::DecisionMaking), None);
    }

    #[test]
    fn a_tie_has_no_dominant_form() {
        let mut p = all(Transactional);
        for (i, entry) in p.iter_mut().enumerate() {
            if i % 2 == 1 {
                entry.1 = Placement::Form(Exploratory);
            }
        }
        p.pop(); // 6 transactional, 6 exploratory
        assert_eq!(Profile::of(&p).dominant(), None);
        assert_eq!(Profile::default().dominant(), None);
    }
}
