//! Where the partners stand after a reveal, and where they differ: per representative, per
//! organisation, per axis and per pair of forms. Pure: positions in, report out.

use super::ids::{OrgId, ParticipantId};
use super::values::Position;
use crate::model::{Axis, Form};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The analysis of one revealed round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlignmentReport {
    /// Each representative's form (none when they did not answer both questions), in the
    /// order of the positions.
    #[serde(default)]
    pub participants: Vec<ParticipantForm>,
    /// Each organisation's standing, in the order given.
    pub organisations: Vec<OrgStanding>,
    /// Per axis, who chose which pole.
    pub axes: Vec<AxisSplit>,
    /// Per pair of forms that both occur, who stands at each.
    pub form_pairs: Vec<FormPair>,
    /// The one form every placed representative shares, if they all share one.
    pub agreed: Option<Form>,
    /// Organisations that took part as advisors: their answers are shown with the round, but
    /// left out of this analysis (reports made before advisors existed have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advisors: Vec<OrgId>,
}

/// Where one representative stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantForm {
    pub participant: ParticipantId,
    pub organisation: OrgId,
    pub form: Option<Form>,
}

/// Where one organisation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgStanding {
    pub organisation: OrgId,
    /// Its form, when its representatives share one.
    pub form: Option<Form>,
    /// Its representatives' forms differ: "split inside the organisation".
    pub split: bool,
    /// The forms its representatives are placed in (one, several, or none).
    pub forms: Vec<Form>,
}

/// One axis: the representatives and organisations at each pole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AxisSplit {
    pub axis: Axis,
    /// Each pole that was chosen, in the model's order.
    pub poles: Vec<PoleGroup>,
    /// More than one pole was chosen.
    pub disagreement: bool,
}

/// The people and organisations at one pole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoleGroup {
    /// The pole's id ("improve", "innovate", "exchange", "share").
    pub pole: String,
    /// Representatives who chose it.
    pub participants: Vec<ParticipantId>,
    pub organisations: Vec<OrgId>,
}

/// Two forms that both occur, with who stands at each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormPair {
    /// The first form (in the model's order).
    pub a: Form,
    pub b: Form,
    /// Representatives placed in `a`.
    pub a_participants: Vec<ParticipantId>,
    pub a_organisations: Vec<OrgId>,
    /// Representatives placed in `b`.
    pub b_participants: Vec<ParticipantId>,
    pub b_organisations: Vec<OrgId>,
}

impl AlignmentReport {
    /// Whether the round shows a disagreement the gate must hold on: representatives in more
    /// than one form, or nobody placed at all.
    pub fn disagreement(&self) -> bool {
        self.agreed.is_none()
    }
}

/// Analyses a round's positions. `organisations` gives the order of the report.
///
/// The `advisors`' own standing is shown, but their answers count in no axis, pair or
/// agreement: an advisor is not a partner.
pub fn analyse(
    organisations: &[OrgId],
    advisors: &[OrgId],
    all_positions: &[Position],
) -> AlignmentReport {
    let partner_positions: Vec<Position> = all_positions
        .iter()
        .filter(|p| !advisors.contains(&p.organisation))
        .cloned()
        .collect();
    let positions = partner_positions.as_slice();
    let org_standings = organisations
        .iter()
        .map(|&organisation| {
            let forms: BTreeSet<Form> = all_positions
                .iter()
                .filter(|p| p.organisation == organisation)
                .filter_map(Position::form)
                .collect();
            let forms: Vec<Form> = forms.into_iter().collect();
            OrgStanding {
                organisation,
                form: (forms.len() == 1).then(|| forms[0]),
                split: forms.len() > 1,
                forms,
            }
        })
        .collect();

    let axes = vec![
        axis_split(Axis::Intent, positions, |p| {
            p.intent.as_ref().map(|a| a.pole.id())
        }),
        axis_split(Axis::Nature, positions, |p| {
            p.nature.as_ref().map(|a| a.pole.id())
        }),
    ];

    let present: BTreeSet<Form> = positions.iter().filter_map(Position::form).collect();
    let present: Vec<Form> = present.into_iter().collect();
    let placed = |form: Form| -> (Vec<ParticipantId>, Vec<OrgId>) {
        let ps: Vec<&Position> = positions
            .iter()
            .filter(|p| p.form() == Some(form))
            .collect();
        (
            ps.iter().map(|p| p.participant).collect(),
            unique_orgs(ps.iter().map(|p| p.organisation)),
        )
    };
    let mut form_pairs = Vec::new();
    for (i, &a) in present.iter().enumerate() {
        for &b in &present[i + 1..] {
            let (a_participants, a_organisations) = placed(a);
            let (b_participants, b_organisations) = placed(b);
            form_pairs.push(FormPair {
                a,
                b,
                a_participants,
                a_organisations,
                b_participants,
                b_organisations,
            });
        }
    }

    AlignmentReport {
        participants: all_positions
            .iter()
            .map(|p| ParticipantForm {
                participant: p.participant,
                organisation: p.organisation,
                form: p.form(),
            })
            .collect(),
        organisations: org_standings,
        axes,
        form_pairs,
        agreed: (present.len() == 1).then(|| present[0]),
        advisors: organisations
            .iter()
            .copied()
            .filter(|o| advisors.contains(o))
            .collect(),
    }
}

fn axis_split(
    axis: Axis,
    positions: &[Position],
    pole_of: impl Fn(&Position) -> Option<&'static str>,
) -> AxisSplit {
    // The model's order of the poles.
    let order: [&str; 2] = match axis {
        Axis::Intent => crate::model::Intent::ALL.map(crate::model::Intent::id),
        Axis::Nature => crate::model::Nature::ALL.map(crate::model::Nature::id),
    };
    let poles: Vec<PoleGroup> = order
        .iter()
        .filter_map(|&pole| {
            let at: Vec<&Position> = positions
                .iter()
                .filter(|p| pole_of(p) == Some(pole))
                .collect();
            (!at.is_empty()).then(|| PoleGroup {
                pole: pole.to_owned(),
                participants: at.iter().map(|p| p.participant).collect(),
                organisations: unique_orgs(at.iter().map(|p| p.organisation)),
            })
        })
        .collect();
    AxisSplit {
        axis,
        disagreement: poles.len() > 1,
        poles,
    }
}

fn unique_orgs(orgs: impl Iterator<Item = OrgId>) -> Vec<OrgId> {
    let mut out: Vec<OrgId> = Vec::new();
    for o in orgs {
        if !out.contains(&o) {
            out.push(o);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Intent, Nature};
    use crate::session::input::Strength;
    use crate::session::values::PoleAnswer;
    use uuid::Uuid;

    fn pid(n: u128) -> ParticipantId {
        ParticipantId(Uuid::from_u128(n))
    }
    fn oid(n: u128) -> OrgId {
        OrgId(Uuid::from_u128(1000 + n))
    }
    fn pos(p: u128, o: u128, i: Option<Intent>, n: Option<Nature>) -> Position {
        let s = Strength::parse(2).unwrap();
        Position {
            participant: pid(p),
            organisation: oid(o),
            intent: i.map(|pole| PoleAnswer {
                pole,
                strength: s,
                motivation: None,
            }),
            nature: n.map(|pole| PoleAnswer {
                pole,
                strength: s,
                motivation: None,
            }),
        }
    }

    #[test]
    fn telecom_case_reports_functional_against_entrepreneurial() {
        // Telecom (org 1) sees improve+share, the ICT provider (org 2) innovate+share.
        let positions = vec![
            pos(1, 1, Some(Intent::Improve), Some(Nature::Share)),
            pos(2, 2, Some(Intent::Innovate), Some(Nature::Share)),
        ];
        let r = analyse(&[oid(1), oid(2)], &[], &positions);
        assert_eq!(r.agreed, None);
        assert!(r.disagreement());
        assert_eq!(r.organisations[0].form, Some(Form::Functional));
        assert_eq!(r.organisations[1].form, Some(Form::Entrepreneurial));
        assert_eq!(r.participants[1].form, Some(Form::Entrepreneurial));
        assert_eq!(r.form_pairs.len(), 1);
        let pair = &r.form_pairs[0];
        assert_eq!((pair.a, pair.b), (Form::Functional, Form::Entrepreneurial));
        assert_eq!(pair.a_organisations, vec![oid(1)]);
        assert_eq!(pair.b_organisations, vec![oid(2)]);
        // The intent axis is where they differ; on nature they agree.
        assert!(r.axes[0].disagreement);
        assert_eq!(r.axes[0].poles[0].organisations, vec![oid(1)]);
        assert_eq!(r.axes[0].poles[1].organisations, vec![oid(2)]);
        assert!(!r.axes[1].disagreement);
    }

    #[test]
    fn representatives_of_one_organisation_who_differ_split_it() {
        let positions = vec![
            pos(1, 1, Some(Intent::Improve), Some(Nature::Exchange)),
            pos(2, 1, Some(Intent::Improve), Some(Nature::Share)),
            pos(3, 2, Some(Intent::Improve), Some(Nature::Share)),
        ];
        let r = analyse(&[oid(1), oid(2)], &[], &positions);
        assert!(r.organisations[0].split);
        assert_eq!(r.organisations[0].form, None);
        assert_eq!(
            r.organisations[0].forms,
            vec![Form::Transactional, Form::Functional]
        );
        assert_eq!(r.organisations[1].form, Some(Form::Functional));
        assert!(r.disagreement());
    }

    #[test]
    fn everyone_in_one_form_is_agreement() {
        let positions = vec![
            pos(1, 1, Some(Intent::Innovate), Some(Nature::Exchange)),
            pos(2, 2, Some(Intent::Innovate), Some(Nature::Exchange)),
        ];
        let r = analyse(&[oid(1), oid(2)], &[], &positions);
        assert_eq!(r.agreed, Some(Form::Exploratory));
        assert!(r.form_pairs.is_empty());
        assert!(r.axes.iter().all(|a| !a.disagreement));
    }

    #[test]
    fn half_answers_count_on_their_axis_but_place_nobody() {
        let positions = vec![pos(1, 1, Some(Intent::Improve), None)];
        let r = analyse(&[oid(1), oid(2)], &[], &positions);
        assert_eq!(r.agreed, None, "nobody placed is no agreement");
        assert_eq!(r.axes[0].poles.len(), 1);
        assert!(r.axes[1].poles.is_empty());
        assert_eq!(r.organisations[1].forms, Vec::<Form>::new());
    }
}
