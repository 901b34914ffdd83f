//! What a diagnosis shows so far, worked out from the state's revealed placements only (the
//! last reveal of each aspect): the profile of all partners together, of each organisation and
//! of each representative, the dominant form, mixing against the intended form, the gaps and
//! the aspects the partners see differently. The board and the record both show this.

use super::ids::{OrgId, ParticipantId};
use super::state::State;
use crate::model::diagnosis::{Placement, Profile, findings};
use crate::model::{Aspect, Form};
use serde::Serialize;
use std::collections::BTreeMap;

/// One aspect's row of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileRow {
    pub aspect: Aspect,
    /// Placements counting for each form, in the order transactional, functional,
    /// entrepreneurial, exploratory.
    pub counts: [u32; 4],
    /// The form most of them count for (none on a tie or when none counts).
    pub form: Option<Form>,
}

/// An aspect whose practice belongs to another form than the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MixingAt {
    pub aspect: Aspect,
    /// The form its practice belongs to.
    pub form: Form,
}

/// The findings of one party, or of all partners together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// 13 rows, in the model's order.
    pub profile: Vec<ProfileRow>,
    pub dominant: Option<Form>,
    /// What mixing is measured against: the intended form, else the dominant one.
    pub reference: Option<Form>,
    pub mixing: Vec<MixingAt>,
    /// Revealed aspects nobody could place with a form (for one organisation: of those it
    /// placed).
    pub gaps: Vec<Aspect>,
    /// Aspects placed with different forms (by the organisations, or within one by its
    /// representatives), or that no single form holds.
    pub differing: Vec<Aspect>,
}

/// One organisation's findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgSummary {
    pub organisation: OrgId,
    /// An advisor's placements are shown, but do not count in the partners' findings.
    pub advisor: bool,
    /// The form it intends, by its positions in the current round.
    pub intended: Option<Form>,
    #[serde(flatten)]
    pub summary: Summary,
}

/// One representative's placements, by the form each counts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepSummary {
    pub participant: ParticipantId,
    pub organisation: OrgId,
    pub dominant: Option<Form>,
    /// Per aspect in the model's order: the form the placement counts for (none when not
    /// placed, not revealed, or placed with no form).
    pub forms: Vec<Option<Form>>,
}

/// What a diagnosis shows so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    /// Aspects revealed at least once; the others are not diagnosed yet.
    pub revealed: Vec<Aspect>,
    /// The form the partners intend, if their positioning says so.
    pub intended: Option<Form>,
    /// The partners together, compared organisation by organisation.
    pub overall: Summary,
    pub organisations: Vec<OrgSummary>,
    pub representatives: Vec<RepSummary>,
}

type Placements<K> = BTreeMap<K, Vec<(Aspect, Placement)>>;

fn summary<K: Ord>(
    placements: &Placements<K>,
    intended: Option<Form>,
    revealed: &[Aspect],
) -> Summary {
    let f = findings(placements, intended);
    Summary {
        profile: rows(&f.profile),
        reference: intended.or(f.dominant),
        dominant: f.dominant,
        mixing: f
            .mixing
            .iter()
            .map(|&(aspect, form)| MixingAt { aspect, form })
            .collect(),
        gaps: f
            .gaps
            .into_iter()
            .filter(|a| revealed.contains(a))
            .collect(),
        differing: f.differing,
    }
}

fn rows(profile: &Profile) -> Vec<ProfileRow> {
    Aspect::ALL
        .iter()
        .map(|&aspect| ProfileRow {
            aspect,
            counts: profile.0[aspect.index()],
            form: profile.form_of(aspect),
        })
        .collect()
}

/// The analysis of a diagnosis session; none for a design session.
pub fn analyse(state: &State) -> Option<Analysis> {
    let d = state.diagnosis.as_ref()?;
    let mut by_org: Placements<OrgId> = BTreeMap::new();
    let mut by_rep: BTreeMap<ParticipantId, (OrgId, Vec<(Aspect, Placement)>)> = BTreeMap::new();
    let mut revealed = Vec::new();
    for a in &d.aspects {
        let Some(reveal) = a.last_reveal() else {
            continue;
        };
        revealed.push(a.aspect);
        for p in &reveal.placements {
            // The person's organisation now: a merge moves them, and their placements with them.
            let organisation = state
                .participant(p.participant)
                .and_then(|x| x.organisation)
                .unwrap_or(p.organisation);
            let entry = (a.aspect, p.placement());
            by_org.entry(organisation).or_default().push(entry);
            by_rep
                .entry(p.participant)
                .or_insert_with(|| (organisation, Vec::new()))
                .1
                .push(entry);
        }
    }
    let intended = state.intended_form();
    let partners: Placements<OrgId> = by_org
        .iter()
        .filter(|(o, _)| state.is_partner(**o))
        .map(|(o, p)| (*o, p.clone()))
        .collect();
    let organisations = state
        .active_organisations()
        .filter(|o| by_org.contains_key(&o.id))
        .map(|o| {
            let reps: Placements<ParticipantId> = by_rep
                .iter()
                .filter(|(_, (org, _))| *org == o.id)
                .map(|(p, (_, list))| (*p, list.clone()))
                .collect();
            let intended = state.intended_by(o.id);
            // Its gaps are among the aspects it placed, not the ones it left unplaced.
            let placed: Vec<Aspect> = by_org[&o.id].iter().map(|(a, _)| *a).collect();
            OrgSummary {
                organisation: o.id,
                advisor: o.advisor,
                intended,
                summary: summary(&reps, intended, &placed),
            }
        })
        .collect();
    let representatives = state
        .participants
        .iter()
        .filter_map(|p| {
            let (organisation, list) = by_rep.get(&p.id)?;
            let forms = Aspect::ALL
                .iter()
                .map(|a| {
                    list.iter()
                        .find(|(x, _)| x == a)
                        .and_then(|(_, placement)| placement.form())
                })
                .collect();
            Some(RepSummary {
                participant: p.id,
                organisation: *organisation,
                dominant: Profile::of(list).dominant(),
                forms,
            })
        })
        .collect();
    Some(Analysis {
        overall: summary(&partners, intended, &revealed),
        revealed,
        intended,
        organisations,
        representatives,
    })
}
