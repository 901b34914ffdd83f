//! The thirteen design aspects, grouped in three clusters.
//!
//! Once a basic form is chosen, the article designs the collaboration along
//! thirteen aspects (Table 1), each with a design question (Table 2). For every
//! aspect each form has its own design principle; a design whose answers come
//! from different forms is a mixed design, which the article warns against.

use serde::{Deserialize, Serialize};

pub use super::clusters::Cluster;
use super::forms::Form;
use super::principles;
use super::text::Text;

/// One design aspect of Table 1.
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
pub enum Aspect {
    /// Mutual relationships and division of roles.
    Relationships,
    /// The joint household (finances).
    Finances,
    DecisionMaking,
    /// Planning & control and steering instruments.
    PlanningControl,
    PerformanceIndicators,
    Contracting,
    PromotedBehaviour,
    KeyRoles,
    ManagementStyle,
    Identity,
    InformationStrategy,
    /// Essence of the work process in the collaboration.
    WorkProcess,
    /// Information and communication technology.
    Ict,
}

impl Aspect {
    /// All aspects in the article's order, grouped by cluster.
    pub const ALL: [Aspect; 13] = [
        Aspect::Relationships,
        Aspect::Finances,
        Aspect::DecisionMaking,
        Aspect::PlanningControl,
        Aspect::PerformanceIndicators,
        Aspect::Contracting,
        Aspect::PromotedBehaviour,
        Aspect::KeyRoles,
        Aspect::ManagementStyle,
        Aspect::Identity,
        Aspect::InformationStrategy,
        Aspect::WorkProcess,
        Aspect::Ict,
    ];

    /// Position in [`Aspect::ALL`]; tables of aspects are stored in this order.
    pub fn index(self) -> usize {
        Aspect::ALL.iter().position(|a| *a == self).unwrap_or(0)
    }

    /// Stable identifier, equal to the serde name.
    pub fn id(self) -> &'static str {
        match self {
            Aspect::Relationships => "relationships",
            Aspect::Finances => "finances",
            Aspect::DecisionMaking => "decision_making",
            Aspect::PlanningControl => "planning_control",
            Aspect::PerformanceIndicators => "performance_indicators",
            Aspect::Contracting => "contracting",
            Aspect::PromotedBehaviour => "promoted_behaviour",
            Aspect::KeyRoles => "key_roles",
            Aspect::ManagementStyle => "management_style",
            Aspect::Identity => "identity",
            Aspect::InformationStrategy => "information_strategy",
            Aspect::WorkProcess => "work_process",
            Aspect::Ict => "ict",
        }
    }

    /// Parses an identifier produced by [`Aspect::id`].
    pub fn parse(s: &str) -> Option<Aspect> {
        Aspect::ALL.into_iter().find(|a| a.id() == s)
    }

    /// The cluster the aspect belongs to.
    pub fn cluster(self) -> Cluster {
        match self {
            Aspect::Relationships
            | Aspect::Finances
            | Aspect::DecisionMaking
            | Aspect::PlanningControl
            | Aspect::PerformanceIndicators
            | Aspect::Contracting => Cluster::Governance,
            Aspect::PromotedBehaviour
            | Aspect::KeyRoles
            | Aspect::ManagementStyle
            | Aspect::Identity
            | Aspect::InformationStrategy => Cluster::Behaviour,
            Aspect::WorkProcess | Aspect::Ict => Cluster::Operational,
        }
    }

    /// Name of the aspect.
    pub fn label(self) -> Text {
        match self {
            Aspect::Relationships => Text::new(
                "Relationships and division of roles",
                "Onderlinge verhoudingen en rolverdeling",
            ),
            Aspect::Finances => Text::new("Shared finances (€)", "Huishouding (€)"),
            Aspect::DecisionMaking => Text::new("Decision making", "Besluitvorming"),
            Aspect::PlanningControl => Text::new(
                "Planning & control and steering instruments",
                "Planning & control en besturingsinstrumenten",
            ),
            Aspect::PerformanceIndicators => {
                Text::new("Performance indicators", "Prestatie-indicatoren")
            }
            Aspect::Contracting => Text::new("Contracting", "Contractering"),
            Aspect::PromotedBehaviour => Text::new("Promoted behaviour", "Gepropageerd gedrag"),
            Aspect::KeyRoles => Text::new("Key roles", "Sleutelrollen"),
            Aspect::ManagementStyle => Text::new("Management style", "Managementstijl"),
            Aspect::Identity => Text::new("Identity", "Identiteit"),
            Aspect::InformationStrategy => Text::new("Information strategy", "Informatiestrategie"),
            Aspect::WorkProcess => Text::new(
                "Essence of the work process in the collaboration",
                "Essentie van het werkproces in de samenwerking",
            ),
            Aspect::Ict => Text::new(
                "Information and communication technology",
                "Informatie- en communicatietechnologie",
            ),
        }
    }

    /// The design question partners answer for this aspect (Table 2).
    pub fn question(self) -> Text {
        match self {
            Aspect::Relationships => Text::new(
                "How do we arrange our mutual relationships? Which division of roles fits them?",
                "Hoe regelen we de onderlinge verhoudingen? Welke rolverdeling past daarbij?",
            ),
            Aspect::Finances => Text::new(
                "How do we organise our joint finances?",
                "Hoe organiseren we de gezamenlijke huishouding?",
            ),
            Aspect::DecisionMaking => Text::new(
                "How do we arrange decision making?",
                "Hoe regelen we de besluitvorming?",
            ),
            Aspect::PlanningControl => Text::new(
                "How do we arrange planning & control? Which steering instruments do we use?",
                "Hoe regelen we de planning & control? Welke besturingsinstrumenten passen we toe?",
            ),
            Aspect::PerformanceIndicators => Text::new(
                "Which performance indicators do we use?",
                "Welke prestatie-indicatoren hanteren we?",
            ),
            Aspect::Contracting => Text::new(
                "How do we give all this shape in contracts?",
                "Hoe geven we één en ander vorm in de contractering?",
            ),
            Aspect::PromotedBehaviour => Text::new(
                "Which type of behaviour suits the collaboration, and do we promote?",
                "Welk type gedrag past bij de samenwerking en propageren we?",
            ),
            Aspect::KeyRoles => Text::new(
                "Which roles do we consider key roles in the collaboration?",
                "Welke rollen beschouwen wij als sleutelrollen in de samenwerking?",
            ),
            Aspect::ManagementStyle => Text::new(
                "Which management style suits the collaboration?",
                "Welke managementstijl is passend in de samenwerking?",
            ),
            Aspect::Identity => Text::new(
                "How do we deal with differences in identity?",
                "Hoe gaan we om met verschillen in identiteit?",
            ),
            Aspect::InformationStrategy => Text::new(
                "To what extent do we hand out information?",
                "In welke mate delen we informatie uit?",
            ),
            Aspect::WorkProcess => Text::new(
                "What is the essence of the work process in the collaboration?",
                "Wat is de essentie van het werkproces in de samenwerking?",
            ),
            Aspect::Ict => Text::new(
                "How do we organise the collaboration in terms of information and communication technology?",
                "Hoe organiseren we de samenwerking in termen van informatie- en communicatietechnologie?",
            ),
        }
    }

    /// The design principle the given form prescribes for this aspect (a Table 1 cell).
    pub fn principle(self, form: Form) -> Text {
        principles::principle(self, form)
    }
}

/// Which form a principle text belongs to, for this aspect: exact match (after
/// trimming) against either language; `None` for free text.
///
/// Partners may pick a principle from the table or write their own answer;
/// this tells the two apart so mixed designs can be spotted.
pub fn form_of_principle(aspect: Aspect, text: &str) -> Option<Form> {
    Form::ALL
        .into_iter()
        .find(|&form| aspect.principle(form).matches(text))
}

#[cfg(test)]
mod tests {
    use super::super::text::Lang;
    use super::*;

    #[test]
    fn ids_round_trip_and_match_serde() {
        for a in Aspect::ALL {
            assert_eq!(Aspect::parse(a.id()), Some(a));
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.id()));
            assert_eq!(serde_json::from_str::<Aspect>(&json).unwrap(), a);
        }
        for c in Cluster::ALL {
            assert_eq!(Cluster::parse(c.id()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.id()));
        }
        assert_eq!(Aspect::parse("Contracting"), None);
        assert_eq!(Aspect::parse("decision-making"), None);
    }

    #[test]
    fn ids_are_the_agreed_ones() {
        assert_eq!(
            Aspect::ALL.map(Aspect::id),
            [
                "relationships",
                "finances",
                "decision_making",
                "planning_control",
                "performance_indicators",
                "contracting",
                "promoted_behaviour",
                "key_roles",
                "management_style",
                "identity",
                "information_strategy",
                "work_process",
                "ict"
            ]
        );
    }

    #[test]
    fn texts_are_filled_and_translated() {
        let mut texts = Vec::new();
        for c in Cluster::ALL {
            texts.extend([c.label(), c.question()]);
        }
        for a in Aspect::ALL {
            texts.extend([a.label(), a.question()]);
            texts.extend(Form::ALL.map(|f| a.principle(f)));
        }
        // The article itself uses the English term here.
        let same = [Aspect::Contracting.principle(Form::Functional)];
        for t in texts {
            assert!(!t.en.trim().is_empty() && !t.nl.trim().is_empty(), "{t:?}");
            if !same.contains(&t) {
                assert_ne!(t.en, t.nl, "untranslated: {t:?}");
            }
            assert_eq!(t.en, t.en.trim(), "stray whitespace: {t:?}");
            assert_eq!(t.nl, t.nl.trim(), "stray whitespace: {t:?}");
        }
    }

    #[test]
    fn form_of_principle_finds_every_cell_in_both_languages() {
        for aspect in Aspect::ALL {
            for form in Form::ALL {
                let cell = aspect.principle(form);
                for lang in Lang::ALL {
                    let text = cell.get(lang);
                    assert_eq!(form_of_principle(aspect, text), Some(form), "{text}");
                    let padded = format!("  {text}\n");
                    assert_eq!(form_of_principle(aspect, &padded), Some(form));
                }
            }
        }
    }

    #[test]
    fn form_of_principle_rejects_free_text_and_other_aspects() {
        assert_eq!(form_of_principle(Aspect::Contracting, ""), None);
        assert_eq!(
            form_of_principle(Aspect::Contracting, "A handshake will do"),
            None
        );
        assert_eq!(
            form_of_principle(Aspect::Contracting, "trade contracts"),
            None
        );
        let elsewhere = Aspect::KeyRoles.principle(Form::Functional).en;
        assert_eq!(form_of_principle(Aspect::Contracting, elsewhere), None);
    }
}
