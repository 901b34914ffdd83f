//! The two positioning questions (axes) and their poles.
//!
//! Both questions concern the aim of the collaboration and are answered before
//! any design work: intent (Figure 1 of the article) and nature (Figure 2).

use serde::{Deserialize, Serialize};

use super::text::Text;

/// One of the two positioning questions (kernvragen) about the aim.
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
pub enum Axis {
    /// Improve or innovate (Figure 1).
    Intent,
    /// Exchange or share (Figure 2).
    Nature,
}

impl Axis {
    /// Both axes, in the article's order.
    pub const ALL: [Axis; 2] = [Axis::Intent, Axis::Nature];

    /// Stable identifier, equal to the serde name.
    pub fn id(self) -> &'static str {
        match self {
            Axis::Intent => "intent",
            Axis::Nature => "nature",
        }
    }

    /// Parses an identifier produced by [`Axis::id`].
    pub fn parse(s: &str) -> Option<Axis> {
        Axis::ALL.into_iter().find(|a| a.id() == s)
    }

    /// Name of the axis.
    pub fn label(self) -> Text {
        match self {
            Axis::Intent => Text::new("intent", "intentie"),
            Axis::Nature => Text::new("nature", "aard"),
        }
    }

    /// The positioning question partners answer for this axis.
    pub fn question(self) -> Text {
        match self {
            Axis::Intent => Text::new(
                "What is this collaboration for — not your own organisation's aim, but the \
                 collaboration's: to work smarter together (improve), or to discover new \
                 possibilities together (innovate)?",
                "Waar is deze samenwerking voor — niet het doel van uw eigen organisatie, maar dat \
                 van de samenwerking: samen slimmer werken (verbeteren), of samen nieuwe \
                 mogelijkheden ontdekken (vernieuwen)?",
            ),
            Axis::Nature => Text::new(
                "Does this collaboration stay a lasting form of exchange (of products, services, \
                 information, knowledge), or does it call for much mutual alignment between the \
                 organisations: sharing, and letting business functions and processes work partly \
                 integrated?",
                "Blijft deze samenwerking een duurzame vorm van uitwisselen (van producten, \
                 diensten, informatie, kennis), of vraagt de samenwerking om veel onderlinge \
                 afstemming van organisaties: delen, en bedrijfsfuncties en processen gedeeltelijk \
                 geïntegreerd laten werken?",
            ),
        }
    }
}

/// The answer on the intent axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Improve,
    /// Discover new possibilities (vernieuwen).
    Innovate,
}

impl Intent {
    /// Both poles, in the model's order: improve first, as in Figure 1.
    pub const ALL: [Intent; 2] = [Intent::Improve, Intent::Innovate];

    /// Stable identifier, equal to the serde name.
    pub fn id(self) -> &'static str {
        match self {
            Intent::Improve => "improve",
            Intent::Innovate => "innovate",
        }
    }

    /// Parses an identifier produced by [`Intent::id`].
    pub fn parse(s: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.id() == s)
    }

    /// Name of the pole.
    pub fn label(self) -> Text {
        match self {
            Intent::Improve => Text::new("improve", "verbeteren"),
            Intent::Innovate => Text::new("innovate", "vernieuwen"),
        }
    }

    /// What choosing this pole means, in one line.
    pub fn description(self) -> Text {
        match self {
            Intent::Improve => Text::new(
                "Work smarter: make what the parties already do better or cheaper.",
                "Slimmer werken: wat de partijen al doen beter of goedkoper maken.",
            ),
            Intent::Innovate => Text::new(
                "Discover new possibilities: renew competences, propositions or knowledge.",
                "Nieuwe mogelijkheden ontdekken: competenties, proposities of kennis vernieuwen.",
            ),
        }
    }
}

/// The answer on the nature axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// A lasting form of exchange (uitwisselen).
    Exchange,
    /// Much mutual alignment, partly integrated operations (delen).
    Share,
}

impl Nature {
    /// Both poles, in the model's order: exchange first, as in Figure 2.
    pub const ALL: [Nature; 2] = [Nature::Exchange, Nature::Share];

    /// Stable identifier, equal to the serde name.
    pub fn id(self) -> &'static str {
        match self {
            Nature::Exchange => "exchange",
            Nature::Share => "share",
        }
    }

    /// Parses an identifier produced by [`Nature::id`].
    pub fn parse(s: &str) -> Option<Nature> {
        Nature::ALL.into_iter().find(|n| n.id() == s)
    }

    /// Name of the pole.
    pub fn label(self) -> Text {
        match self {
            Nature::Exchange => Text::new("exchange", "uitwisselen"),
            Nature::Share => Text::new("share", "delen"),
        }
    }

    /// What choosing this pole means, in one line.
    pub fn description(self) -> Text {
        match self {
            Nature::Exchange => Text::new(
                "A lasting form of exchange of products, services, information or knowledge.",
                "Een duurzame vorm van uitwisselen van producten, diensten, informatie of kennis.",
            ),
            Nature::Share => Text::new(
                "Much mutual alignment: sharing, with business functions and processes working partly integrated.",
                "Veel onderlinge afstemming: delen, met bedrijfsfuncties en processen die gedeeltelijk geïntegreerd werken.",
            ),
        }
    }

    /// Signs that tell the poles apart as the article means them (Table 1's settlement,
    /// decision making and planning rows): a person can check the collaboration against them.
    /// Everyday "sharing knowledge" is exchange in the model's terms.
    pub fn cues(self) -> Text {
        match self {
            Nature::Exchange => Text::new(
                "The parties stay independent and are not bound to each other exclusively; each \
                 decides for itself how far it takes part and may leave on its own \
                 considerations; costs and benefits are settled between them, not pooled. \
                 Passing on knowledge or information (‘sharing knowledge’ in everyday words) is \
                 exchanging in this model.",
                "De partijen blijven zelfstandig en zijn niet exclusief aan elkaar verbonden; \
                 ieder beslist zelf in hoeverre het meedoet en kan uittreden op eigen afwegingen; \
                 kosten en baten worden verrekend, niet samengevoegd. Kennis of informatie \
                 doorgeven (in gewone woorden ‘kennis delen’) is in dit model uitwisselen.",
            ),
            Nature::Share => Text::new(
                "The parties integrate part of their operations: one runs a function for the \
                 other under agreed service levels, or together they budget jointly, share risks \
                 and results and set up a management of their own; they are bound to each other \
                 and cannot simply leave.",
                "De partijen integreren een deel van hun bedrijfsvoering: de een voert een functie \
                 uit voor de ander onder afgesproken serviceniveaus, of samen budgetteren ze \
                 gezamenlijk, verdelen risico’s en resultaat en richten een eigen directievoering \
                 in; ze zijn aan elkaar gebonden en kunnen niet zomaar uittreden.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_match_serde() {
        fn check<T>(all: &[T], id: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
        where
            T: Copy + PartialEq + std::fmt::Debug + Serialize,
        {
            for &x in all {
                assert_eq!(parse(id(x)), Some(x));
                let json = serde_json::to_string(&x).unwrap();
                assert_eq!(json, format!("\"{}\"", id(x)));
            }
        }
        check(&Axis::ALL, Axis::id, Axis::parse);
        check(&Intent::ALL, Intent::id, Intent::parse);
        check(&Nature::ALL, Nature::id, Nature::parse);
        assert_eq!(Intent::parse("verbeteren"), None);
    }

    #[test]
    fn labels_use_the_articles_terms() {
        assert_eq!(Intent::Improve.label().nl, "verbeteren");
        assert_eq!(Intent::Innovate.label().nl, "vernieuwen");
        assert_eq!(Nature::Exchange.label().nl, "uitwisselen");
        assert_eq!(Nature::Share.label().nl, "delen");
        assert_eq!(Axis::Intent.label(), Text::new("intent", "intentie"));
        assert_eq!(Axis::Nature.label(), Text::new("nature", "aard"));
    }

    #[test]
    fn questions_name_both_poles() {
        let intent = Axis::Intent.question().nl;
        assert!(intent.contains("verbeteren") && intent.contains("vernieuwen"));
        let nature = Axis::Nature.question().nl;
        assert!(nature.contains("uitwisselen") && nature.contains("delen"));
    }

    #[test]
    fn texts_are_filled_and_translated() {
        let mut texts = Vec::new();
        for axis in Axis::ALL {
            texts.extend([axis.label(), axis.question()]);
        }
        for i in Intent::ALL {
            texts.extend([i.label(), i.description()]);
        }
        for n in Nature::ALL {
            texts.extend([n.label(), n.description()]);
        }
        for t in texts {
            assert!(!t.en.trim().is_empty() && !t.nl.trim().is_empty(), "{t:?}");
            assert_ne!(t.en, t.nl, "untranslated: {t:?}");
        }
    }
}
