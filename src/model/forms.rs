//! The two positioning questions and the four basic forms they lead to.
//!
//! The article answers two questions about the aim of a collaboration before
//! anything is designed: its intent (improve or innovate) and its nature
//! (exchange or share). Together the answers place it in one of four basic
//! forms (grondvormen):
//!
//! |              | exchange      | share           |
//! |--------------|---------------|-----------------|
//! | **improve**  | Transactional | Functional      |
//! | **innovate** | Exploratory   | Entrepreneurial |

use serde::{Deserialize, Serialize};

pub use super::axes::{Axis, Intent, Nature};
use super::text::Text;

/// One of the four basic forms (grondvormen) of collaboration.
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
pub enum Form {
    /// Improve by exchanging (transactioneel).
    Transactional,
    /// Improve by sharing (functioneel).
    Functional,
    /// Innovate by sharing (ondernemend).
    Entrepreneurial,
    /// Innovate by exchanging (verkennend).
    Exploratory,
}

impl Form {
    /// All forms in the column order of the article's Table 1.
    pub const ALL: [Form; 4] = [
        Form::Transactional,
        Form::Functional,
        Form::Entrepreneurial,
        Form::Exploratory,
    ];

    /// Position in [`Form::ALL`]; tables elsewhere are stored in this order.
    pub(crate) const fn index(self) -> usize {
        match self {
            Form::Transactional => 0,
            Form::Functional => 1,
            Form::Entrepreneurial => 2,
            Form::Exploratory => 3,
        }
    }

    /// The form's pole on the intent axis.
    pub fn intent(self) -> Intent {
        match self {
            Form::Transactional | Form::Functional => Intent::Improve,
            Form::Entrepreneurial | Form::Exploratory => Intent::Innovate,
        }
    }

    /// The form's pole on the nature axis.
    pub fn nature(self) -> Nature {
        match self {
            Form::Transactional | Form::Exploratory => Nature::Exchange,
            Form::Functional | Form::Entrepreneurial => Nature::Share,
        }
    }

    /// The name of the form's pole on the given axis, e.g. "share" for a
    /// functional form on the nature axis.
    pub fn pole(self, axis: Axis) -> Text {
        match axis {
            Axis::Intent => self.intent().label(),
            Axis::Nature => self.nature().label(),
        }
    }

    /// The axes on which two forms take different poles, in [`Axis::ALL`] order.
    pub fn differing_axes(self, other: Form) -> Vec<Axis> {
        let mut axes = Vec::with_capacity(2);
        if self.intent() != other.intent() {
            axes.push(Axis::Intent);
        }
        if self.nature() != other.nature() {
            axes.push(Axis::Nature);
        }
        axes
    }

    /// Name of the form.
    pub fn label(self) -> Text {
        match self {
            Form::Transactional => Text::new("Transactional", "Transactioneel"),
            Form::Functional => Text::new("Functional", "Functioneel"),
            Form::Entrepreneurial => Text::new("Entrepreneurial", "Ondernemend"),
            Form::Exploratory => Text::new("Exploratory", "Verkennend"),
        }
    }

    /// Stable identifier, equal to the serde name.
    pub fn id(self) -> &'static str {
        match self {
            Form::Transactional => "transactional",
            Form::Functional => "functional",
            Form::Entrepreneurial => "entrepreneurial",
            Form::Exploratory => "exploratory",
        }
    }

    /// Parses an identifier produced by [`Form::id`].
    pub fn parse(s: &str) -> Option<Form> {
        Form::ALL.into_iter().find(|f| f.id() == s)
    }

    /// The article's practical example of this form.
    pub fn example(self) -> Text {
        match self {
            Form::Transactional => Text::new(
                "Information provision in the Dutch safety chain: police, fire brigade, medical \
                 services (GHOR), municipalities and the state align their information on one \
                 generic standard. The Ministry of the Interior (BZK) directs the chain, which keeps \
                 the alignment and exchange manageable end to end.",
                "Informatievoorziening in de Veiligheidsketen: politie, brandweer, GHOR, gemeenten \
                 en Rijk stemmen hun informatievoorziening af met een generieke standaard. Het \
                 ministerie van BZK voert de regie, zodat afstemming en informatie-uitwisseling \
                 ‘end-to-end’ beheersbaar zijn.",
            ),
            Form::Functional => Text::new(
                "The municipality of Rotterdam bundles all ICT expertise in a shared service centre \
                 (SSC-ICT) for better service to citizens and lower ICT costs. The departments fill \
                 in the demand side; the SSC supplies tailored solutions.",
                "De gemeente Rotterdam bundelt alle ICT-kennis en -kunde in een shared service \
                 center (SSC-ICT) voor betere dienstverlening aan burgers en lagere ICT-kosten. De \
                 Diensten vullen de vraagkant in; het SSC levert toegesneden oplossingen.",
            ),
            Form::Entrepreneurial => Text::new(
                "Project Koala of Sensire/Thuiszorg Groningen, Menzis and KPN links care client and \
                 nurse by video, giving every partner resources it lacks alone. The partners share \
                 competences and skills extensively and are highly equal.",
                "Project Koala van Sensire/Thuiszorg Groningen, Menzis en KPN legt een \
                 beeldverbinding tussen zorgklant en verpleegkundige, zodat alle partijen toegang \
                 krijgen tot resources die zij alleen niet hebben. De partners delen competenties en \
                 vaardigheden in verregaande mate en zijn in hoge mate gelijkwaardig.",
            ),
            Form::Exploratory => Text::new(
                "The knowledge consortium Ruimte voor Geo-informatie has grown to a hundred \
                 participants who open up geo-information as national infrastructure and let \
                 knowledge flow. The parties are not bound to each other exclusively and are equal.",
                "Het kennisconsortium Ruimte voor Geo-informatie is uitgegroeid tot honderd \
                 deelnemers die Geo-informatie als nationale infrastructuur ontsluiten en kennis \
                 laten stromen. De partijen zijn niet exclusief aan elkaar verbonden en \
                 gelijkwaardig.",
            ),
        }
    }

    /// The form's aim on one axis: the "Doel" rows of Table 1.
    pub fn aim(self, axis: Axis) -> Text {
        match (self, axis) {
            (Form::Transactional, Axis::Intent) => Text::new(
                "Improve the production process: serve a customer better and so gain advantages for \
                 each of the parties",
                "Verbeteren van het voortbrengingsproces: een klant beter bedienen en op basis \
                 daarvan voor ieder van de partijen voordelen verkrijgen",
            ),
            (Form::Functional, Axis::Intent) => Text::new(
                "Improve business operations: let a function serve the business better; better \
                 price/performance",
                "Verbeteren van de bedrijfsvoering: een functie beter ten goede laten komen aan de \
                 bedrijfsvoering; betere prijs/prestatie",
            ),
            (Form::Entrepreneurial, Axis::Intent) => Text::new(
                "Renew competences and propositions: seize an opportunity based on synergy, and \
                 make business of it",
                "Vernieuwen van competenties en proposities: een kans benutten op basis van \
                 synergiemogelijkheden, en daarmee business maken",
            ),
            (Form::Exploratory, Axis::Intent) => Text::new(
                "Renew knowledge and shared infrastructures: a better common infrastructure in a \
                 broad sense (standards, knowledge, dimensioning conventions, physical infrastructure)",
                "Vernieuwen van kennis en gemeenschappelijke infrastructuren: een betere \
                 gemeenschappelijke infrastructuur in brede zin (standaards, kennis, maatvoering, \
                 fysieke infrastructuur)",
            ),
            (Form::Transactional, Axis::Nature) => Text::new(
                "Exchange of people, services and products",
                "Uitwisselen van mensen, diensten en producten",
            ),
            (Form::Functional, Axis::Nature) => Text::new(
                "Sharing of business operations",
                "Delen van bedrijfsvoering",
            ),
            (Form::Entrepreneurial, Axis::Nature) => Text::new(
                "Sharing of knowledge, information and competences",
                "Delen van kennis, informatie en competenties",
            ),
            (Form::Exploratory, Axis::Nature) => Text::new(
                "Exchange of knowledge and information",
                "Uitwisselen van kennis en informatie",
            ),
        }
    }
}

/// The basic form that answers both positioning questions.
pub fn classify(intent: Intent, nature: Nature) -> Form {
    match (intent, nature) {
        (Intent::Improve, Nature::Exchange) => Form::Transactional,
        (Intent::Improve, Nature::Share) => Form::Functional,
        (Intent::Innovate, Nature::Share) => Form::Entrepreneurial,
        (Intent::Innovate, Nature::Exchange) => Form::Exploratory,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_pins_the_matrix() {
        assert_eq!(
            classify(Intent::Improve, Nature::Exchange),
            Form::Transactional
        );
        assert_eq!(classify(Intent::Improve, Nature::Share), Form::Functional);
        assert_eq!(
            classify(Intent::Innovate, Nature::Share),
            Form::Entrepreneurial
        );
        assert_eq!(
            classify(Intent::Innovate, Nature::Exchange),
            Form::Exploratory
        );
    }

    #[test]
    fn poles_invert_classify() {
        for form in Form::ALL {
            assert_eq!(classify(form.intent(), form.nature()), form);
        }
        for intent in Intent::ALL {
            for nature in Nature::ALL {
                let form = classify(intent, nature);
                assert_eq!((form.intent(), form.nature()), (intent, nature));
            }
        }
    }

    #[test]
    fn form_order_follows_table_1() {
        assert_eq!(
            Form::ALL.map(Form::id),
            [
                "transactional",
                "functional",
                "entrepreneurial",
                "exploratory"
            ]
        );
        for (i, form) in Form::ALL.into_iter().enumerate() {
            assert_eq!(form.index(), i);
        }
    }

    #[test]
    fn ids_round_trip_and_match_serde() {
        for f in Form::ALL {
            assert_eq!(Form::parse(f.id()), Some(f));
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.id()));
            assert_eq!(serde_json::from_str::<Form>(&json).unwrap(), f);
        }
        assert_eq!(
            serde_json::to_string(&Form::Functional).unwrap(),
            "\"functional\""
        );
        assert_eq!(Form::parse("Functioneel"), None);
        assert_eq!(Form::parse(""), None);
    }

    #[test]
    fn labels_use_the_articles_terms() {
        assert_eq!(
            Form::ALL.map(|f| f.label().nl),
            ["Transactioneel", "Functioneel", "Ondernemend", "Verkennend"]
        );
    }

    #[test]
    fn aims_follow_the_forms_poles() {
        for f in Form::ALL {
            let nature = f.aim(Axis::Nature).nl;
            match f.nature() {
                Nature::Exchange => assert!(nature.starts_with("Uitwisselen"), "{nature}"),
                Nature::Share => assert!(nature.starts_with("Delen"), "{nature}"),
            }
            let intent = f.aim(Axis::Intent).nl;
            match f.intent() {
                Intent::Improve => assert!(intent.starts_with("Verbeteren"), "{intent}"),
                Intent::Innovate => assert!(intent.starts_with("Vernieuwen"), "{intent}"),
            }
        }
    }

    #[test]
    fn poles_and_differing_axes() {
        assert_eq!(Form::Functional.pole(Axis::Nature).en, "share");
        assert_eq!(Form::Exploratory.pole(Axis::Intent).nl, "vernieuwen");
        assert_eq!(
            Form::Functional.differing_axes(Form::Entrepreneurial),
            [Axis::Intent]
        );
        assert_eq!(
            Form::Transactional.differing_axes(Form::Functional),
            [Axis::Nature]
        );
        assert_eq!(
            Form::Transactional.differing_axes(Form::Entrepreneurial),
            Axis::ALL
        );
        assert!(
            Form::Exploratory
                .differing_axes(Form::Exploratory)
                .is_empty()
        );
    }

    #[test]
    fn texts_are_filled_and_translated() {
        for f in Form::ALL {
            for t in [
                f.label(),
                f.example(),
                f.aim(Axis::Intent),
                f.aim(Axis::Nature),
            ] {
                assert!(!t.en.trim().is_empty() && !t.nl.trim().is_empty(), "{t:?}");
                assert_ne!(t.en, t.nl, "untranslated: {t:?}");
            }
        }
    }

    #[test]
    fn examples_name_the_articles_cases() {
        assert!(
            Form::Transactional
                .example()
                .nl
                .contains("Veiligheidsketen")
        );
        assert!(Form::Functional.example().en.contains("SSC-ICT"));
        assert!(Form::Entrepreneurial.example().en.contains("Koala"));
        assert!(Form::Exploratory.example().nl.contains("Geo-informatie"));
    }
}
