//! The three clusters that group the design aspects.
//!
//! Table 2 of the article gives each cluster one key question; the clusters
//! also fix the order in which partners walk through the aspects.

use serde::{Deserialize, Serialize};

use super::aspects::Aspect;
use super::text::Text;

/// A group of aspects with one key question (Table 2).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Cluster {
    /// How the collaboration is steered (besturing).
    Governance,
    /// Which behavioural agreements are made (gedragsafspraken).
    Behaviour,
    /// How the collaboration is worked out operationally (operationele uitwerking).
    Operational,
}

impl Cluster {
    /// All clusters, in the article's order.
    pub const ALL: [Cluster; 3] = [
        Cluster::Governance,
        Cluster::Behaviour,
        Cluster::Operational,
    ];

    /// Stable identifier, equal to the serde name.
    pub fn id(self) -> &'static str {
        match self {
            Cluster::Governance => "governance",
            Cluster::Behaviour => "behaviour",
            Cluster::Operational => "operational",
        }
    }

    /// Parses an identifier produced by [`Cluster::id`].
    pub fn parse(s: &str) -> Option<Cluster> {
        Cluster::ALL.into_iter().find(|c| c.id() == s)
    }

    /// Name of the cluster.
    pub fn label(self) -> Text {
        match self {
            Cluster::Governance => Text::new("Governance", "Besturing"),
            Cluster::Behaviour => Text::new("Behavioural agreements", "Gedragsafspraken"),
            Cluster::Operational => Text::new("Operational elaboration", "Operationele uitwerking"),
        }
    }

    /// The cluster's key question.
    pub fn question(self) -> Text {
        match self {
            Cluster::Governance => Text::new(
                "How are we going to steer the collaboration?",
                "Hoe gaan we de samenwerking besturen?",
            ),
            Cluster::Behaviour => Text::new(
                "Which behavioural agreements do we make?",
                "Welke gedragsafspraken maken we?",
            ),
            Cluster::Operational => Text::new(
                "How do we work out the collaboration operationally?",
                "Hoe werken we de samenwerking uit in operationele zin?",
            ),
        }
    }

    /// The cluster's aspects, in the article's order.
    pub fn aspects(self) -> &'static [Aspect] {
        // Slices of ALL, so the two orders cannot drift apart.
        match self {
            Cluster::Governance => &Aspect::ALL[0..6],
            Cluster::Behaviour => &Aspect::ALL[6..11],
            Cluster::Operational => &Aspect::ALL[11..13],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_hold_six_five_two_in_order() {
        use Aspect::*;
        assert_eq!(
            Cluster::Governance.aspects(),
            [
                Relationships,
                Finances,
                DecisionMaking,
                PlanningControl,
                PerformanceIndicators,
                Contracting
            ]
        );
        assert_eq!(
            Cluster::Behaviour.aspects(),
            [
                PromotedBehaviour,
                KeyRoles,
                ManagementStyle,
                Identity,
                InformationStrategy
            ]
        );
        assert_eq!(Cluster::Operational.aspects(), [WorkProcess, Ict]);
        let lengths = Cluster::ALL.map(|c| c.aspects().len());
        assert_eq!(lengths, [6, 5, 2]);
    }

    #[test]
    fn every_aspect_sits_in_its_own_cluster() {
        for cluster in Cluster::ALL {
            for &aspect in cluster.aspects() {
                assert_eq!(aspect.cluster(), cluster, "{aspect:?}");
            }
        }
        let flattened: Vec<Aspect> = Cluster::ALL
            .iter()
            .flat_map(|c| c.aspects().iter().copied())
            .collect();
        assert_eq!(flattened, Aspect::ALL);
    }

    #[test]
    fn ids_round_trip_and_match_serde() {
        for c in Cluster::ALL {
            assert_eq!(Cluster::parse(c.id()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.id()));
            assert_eq!(serde_json::from_str::<Cluster>(&json).unwrap(), c);
        }
        assert_eq!(Cluster::parse("Besturing"), None);
    }

    #[test]
    fn texts_are_filled_and_translated() {
        for c in Cluster::ALL {
            for t in [c.label(), c.question()] {
                assert!(!t.en.trim().is_empty() && !t.nl.trim().is_empty(), "{t:?}");
                assert_ne!(t.en, t.nl, "untranslated: {t:?}");
            }
        }
        assert_eq!(Cluster::Governance.label().nl, "Besturing");
        assert_eq!(Cluster::Behaviour.label().nl, "Gedragsafspraken");
        assert_eq!(Cluster::Operational.label().nl, "Operationele uitwerking");
    }
}
