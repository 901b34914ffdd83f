//! Plain-language explanations of what disagreement between partners means.
//!
//! The article's central warning is that partners who (silently) have different
//! basic forms in mind end up with a mixed, less effective collaboration. These
//! texts help a facilitator make such a difference concrete before the
//! operational design starts.

use super::forms::{Axis, Form};
use super::text::Text;
use serde::Serialize;

/// The model's explanation of a difference: what the article says (or what its Table 1 shows),
/// and apart from it, where there is any, the product's own advice.
///
/// The two are kept apart in the data so that no page or record presents advice as the
/// article's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// What the article and its Table 1 say.
    pub text: Text,
    /// Grondvorm's advice, not the article's; shown as such.
    pub advice: Option<Text>,
}

/// What it means in practice when partners place the collaboration on
/// different poles of this axis.
pub fn axis_difference(axis: Axis) -> Explanation {
    match axis {
        Axis::Intent => Explanation {
            text: Text::new(
                "One partner wants to work smarter (improve), the other to discover new \
                 possibilities (innovate). In Table 1 the aims, performance indicators and \
                 management style differ with it: the improving forms are result-oriented and \
                 measured on efficiency or on agreements met, the innovating forms entrepreneurial \
                 or facilitating and measured on new initiatives or on the wish to keep \
                 contributing.",
                "De ene partner wil slimmer werken (verbeteren), de andere nieuwe mogelijkheden \
                 ontdekken (vernieuwen). In tabel 1 verschillen doel, prestatie-indicatoren en \
                 managementstijl daarmee: de verbeterende grondvormen zijn resultaatgericht en \
                 worden gemeten op efficiency of op waargemaakte afspraken, de vernieuwende zijn \
                 ondernemend of faciliterend en worden gemeten op nieuwe initiatieven of op de wil \
                 om te blijven bijdragen.",
            ),
            advice: Some(Text::new(
                "Agree on one intent before designing; if both are truly needed, consider two \
                 separate collaborations.",
                "Kies samen één intentie voordat u gaat inrichten; zijn beide echt nodig, overweeg \
                 dan twee aparte samenwerkingen.",
            )),
        },
        Axis::Nature => Explanation {
            text: Text::new(
                "One partner expects a lasting form of exchange (of products, services, information or \
                 knowledge), the other much mutual alignment of the organisations (share: business \
                 functions and processes shared and working partly integrated). Each form has its \
                 own settlement, contracts, decision making and information management in Table 1.",
                "De ene partner verwacht een duurzame vorm van uitwisselen (van producten, \
                 diensten, informatie of kennis), de andere veel onderlinge afstemming van de \
                 organisaties (delen: bedrijfsfuncties en processen delen en gedeeltelijk \
                 geïntegreerd laten werken). Elke grondvorm heeft in tabel 1 een eigen \
                 huishouding, contractering, besluitvorming en informatiehuishouding.",
            ),
            advice: Some(Text::new(
                "Settle it before contracts and ICT are designed.",
                "Beslis erover voordat contractering en ICT worden ingericht.",
            )),
        },
    }
}

/// What the difference between two forms means in practice (symmetric;
/// `None` when `a == b`).
///
/// Each of the six pairs names the axis or axes on which the forms differ and
/// the practical consequence for the design: settlement, contracts, decision
/// making, information. Functional versus entrepreneurial tells the
/// article's telecom case, where exactly that silent difference left both
/// sides of a sell and lease-back deal unhappy, after which the article reports
/// a redesign into two pure collaborations.
pub fn form_difference(a: Form, b: Form) -> Option<Explanation> {
    use Form::*;
    // Order the pair by Table 1 column so each text is written only once.
    let pair = if a <= b { (a, b) } else { (b, a) };
    let text = match pair {
        (Transactional, Functional) => Text::new(
            "Both aim to improve; they differ in nature: transactional exchanges people, services \
             and products along a chain, functional shares a business function. Transactional works \
             with settlement of costs and benefits across the chain, trade contracts and each party \
             deciding for itself; functional is a client-contractor relation with payment for \
             services delivered under service level agreements and negotiated contract terms.",
            "Beide willen verbeteren; ze verschillen in aard: transactioneel wisselt mensen, \
             diensten en producten uit in een keten, functioneel deelt een bedrijfsfunctie. \
             Transactioneel werkt met verrekening van kosten en baten in de keten, \
             handelscontracten en zelfstandige besluitvorming per partij; functioneel is een relatie \
             van opdrachtgever en opdrachtnemer, met betaling voor geleverde diensten onder service \
             level agreements en onderhandelde contractvoorwaarden.",
        ),
        (Transactional, Entrepreneurial) => Text::new(
            "They differ on both axes: transactional improves a chain by exchanging, \
             entrepreneurial innovates by sharing knowledge and competences. Trade contracts, \
             each party deciding for itself and an open information management do not fit a joint \
             venture that needs joint decision making, shared risks and results, covenants and a \
             closed information management that protects the joint initiative.",
            "Ze verschillen op beide assen: transactioneel verbetert een keten door uit te \
             wisselen, ondernemend vernieuwt door kennis en competenties te delen. \
             Handelscontracten, zelfstandige besluitvorming per partij en een open \
             informatiehuishouding passen niet bij een gezamenlijk initiatief dat gezamenlijke \
             besluitvorming, verdeling van risico’s en resultaat, convenanten en een gesloten \
             informatiehuishouding vraagt.",
        ),
        (Transactional, Exploratory) => Text::new(
            "Both exchange; they differ in intent: transactional improves an existing chain, \
             exploratory renews knowledge and shared infrastructure. Transactional steers on chain \
             efficiency with trade contracts and settlement agreements; exploratory works with \
             cost-covering contributions, collaboration agreements and a facilitating hub, and \
             measures success by the parties’ wish to keep contributing.",
            "Beide wisselen uit; ze verschillen in intentie: transactioneel verbetert een bestaande \
             keten, verkennend vernieuwt kennis en gemeenschappelijke infrastructuur. \
             Transactioneel stuurt op ketenefficiency met handelscontracten en verrekenafspraken; \
             verkennend werkt met kostendekkende inbreng, samenwerkingsafspraken en een \
             faciliterende spilfunctie, en meet succes aan de mate waarin partijen hun bijdragen \
             willen continueren.",
        ),
        (Functional, Entrepreneurial) => Text::new(
            "Both share; they differ in intent: functional improves a business function, \
             entrepreneurial renews competences and propositions. Functional means client and \
             contractor under a service level agreement with payment for services; entrepreneurial \
             means joint decision making, shared risks and results, and covenants. A large \
             telecom supplier sold its ICT services to an ICT provider and bought them back under \
             a service level agreement that also covered joint product development. After the \
             first evaluation neither side was satisfied: the ICT services themselves were fine, \
             but the joint product development fell far short. Analysis showed that the provider \
             saw an entrepreneurial collaboration (a ‘strategic partner’) while the telecom \
             supplier saw functional outsourcing (‘we have outsourced our ICT’), and a functional \
             collaboration does not suit product development. The arrangements were then \
             redesigned as two collaborations, each set up purely, the ICT services functional \
             and the product development entrepreneurial, each with its own settlement \
             mechanisms, contract forms and contact persons.",
            "Beide delen; ze verschillen in intentie: functioneel verbetert een bedrijfsfunctie, \
             ondernemend vernieuwt competenties en proposities. Functioneel betekent opdrachtgever \
             en opdrachtnemer onder een service level agreement met betaling voor diensten; \
             ondernemend betekent gezamenlijke besluitvorming, verdeling van risico’s en resultaat, \
             en convenanten. Een grote telecomleverancier verkocht zijn ICT-diensten aan een \
             ICT-dienstverlener en kocht ze weer in onder een service level agreement waarin ook \
             gezamenlijke productontwikkeling was opgenomen. Na de eerste evaluatie was geen van \
             beide partijen tevreden: de ingekochte ICT-dienstverlening was prima, maar de \
             gezamenlijke productontwikkeling bleef ver onder de maat. Na analyse bleek dat de \
             dienstverlener een ondernemende samenwerking zag (‘strategische partner’), terwijl \
             de telecomleverancier een functionele uitbesteding zag (‘wij hebben onze ICT \
             uitbesteed’), en een functionele samenwerking leent zich niet voor \
             productontwikkeling. Daarna zijn de afspraken opnieuw ingericht als twee \
             samenwerkingen, elk zuiver, de ICT-dienstverlening functioneel en de \
             productontwikkeling ondernemend, elk met eigen afrekenmechanismen, contractvormen en \
             contactpersonen.",
        ),
        (Functional, Exploratory) => Text::new(
            "They differ on both axes: functional improves a business function by sharing \
             operations, exploratory renews knowledge by exchanging it among parties that are not \
             bound exclusively. Service level agreements, negotiated contract terms and a closed \
             information management do not fit a network built on collaboration agreements, \
             statutes negotiated among several parties and an open information management.",
            "Ze verschillen op beide assen: functioneel verbetert een bedrijfsfunctie door \
             bedrijfsvoering te delen, verkennend vernieuwt kennis door die uit te wisselen tussen \
             partijen die niet exclusief aan elkaar verbonden zijn. Service level agreements, \
             onderhandelde contractvoorwaarden en een gesloten informatiehuishouding passen niet \
             bij een netwerk met samenwerkingsafspraken, statuten met diverse partijen en een open \
             informatiehuishouding.",
        ),
        (Entrepreneurial, Exploratory) => Text::new(
            "Both aim to innovate; they differ in nature: entrepreneurial shares knowledge and \
             competences in a joint initiative, exploratory exchanges knowledge among parties that \
             are not bound exclusively. Entrepreneurial needs joint decision making, shared risks \
             and results, covenants and a closed information management; exploratory works with \
             mutual influence, cost-covering contributions, collaboration agreements and an open \
             information management.",
            "Beide willen vernieuwen; ze verschillen in aard: ondernemend deelt kennis en \
             competenties in een gezamenlijk initiatief, verkennend wisselt kennis uit tussen \
             partijen die niet exclusief aan elkaar verbonden zijn. Ondernemend vraagt gezamenlijke \
             besluitvorming, verdeling van risico’s en resultaat, convenanten en een gesloten \
             informatiehuishouding; verkennend werkt met wederzijdse beïnvloeding, kostendekkende \
             inbreng, samenwerkingsafspraken en een open informatiehuishouding.",
        ),
        _ => return None,
    };
    // The pairs tell Table 1 and the article's case; none carries advice of the product's.
    Some(Explanation { text, advice: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs() -> impl Iterator<Item = (Form, Form)> {
        Form::ALL
            .into_iter()
            .flat_map(|a| Form::ALL.into_iter().map(move |b| (a, b)))
    }

    #[test]
    fn none_for_equal_forms_some_otherwise() {
        for (a, b) in pairs() {
            assert_eq!(form_difference(a, b).is_none(), a == b, "{a:?} {b:?}");
        }
    }

    #[test]
    fn symmetric() {
        for (a, b) in pairs() {
            assert_eq!(form_difference(a, b), form_difference(b, a));
        }
    }

    #[test]
    fn six_distinct_texts() {
        let texts: Vec<Text> = pairs()
            .filter_map(|(a, b)| form_difference(a, b))
            .map(|e| e.text)
            .collect();
        assert_eq!(texts.len(), 12);
        for lang in [|t: &Text| t.en, |t: &Text| t.nl] {
            let mut words: Vec<&str> = texts.iter().map(lang).collect();
            words.sort_unstable();
            words.dedup();
            assert_eq!(words.len(), 6);
        }
    }

    #[test]
    fn names_the_differing_axes() {
        for (a, b) in pairs().filter(|(a, b)| a < b) {
            let text = form_difference(a, b).unwrap().text;
            let (en, nl) = match a.differing_axes(b).as_slice() {
                [Axis::Intent] => ("differ in intent", "verschillen in intentie"),
                [Axis::Nature] => ("differ in nature", "verschillen in aard"),
                _ => ("differ on both axes", "verschillen op beide assen"),
            };
            assert!(text.en.contains(en), "{a:?} {b:?}: {}", text.en);
            assert!(text.nl.contains(nl), "{a:?} {b:?}: {}", text.nl);
        }
    }

    #[test]
    fn functional_entrepreneurial_cites_the_telecom_case() {
        let t = form_difference(Form::Entrepreneurial, Form::Functional)
            .unwrap()
            .text;
        assert!(t.en.contains("telecom"));
        assert!(t.nl.contains("telecom"));
        // The article reports a redesign, the services fine and the product development not.
        assert!(t.en.contains("redesigned as two collaborations"));
        assert!(t.nl.contains("opnieuw ingericht als twee"));
        assert!(t.en.contains("services themselves were fine"));
        assert!(t.nl.contains("ICT-dienstverlening was prima"));
        assert!(t.en.contains("settlement mechanisms, contract forms and contact persons"));
        assert!(t.nl.contains("afrekenmechanismen, contractvormen en contactpersonen"));
        assert!(!t.en.contains("fix") && !t.nl.contains("oplossing"));
    }

    #[test]
    fn texts_are_filled_and_translated() {
        let mut texts: Vec<Text> = Axis::ALL.map(|a| axis_difference(a).text).to_vec();
        texts.extend(Axis::ALL.iter().filter_map(|a| axis_difference(*a).advice));
        texts.extend(
            pairs()
                .filter_map(|(a, b)| form_difference(a, b))
                .map(|e| e.text),
        );
        for t in texts {
            assert!(!t.en.trim().is_empty() && !t.nl.trim().is_empty());
            assert_ne!(t.en, t.nl);
        }
    }

    #[test]
    fn axis_differences_name_both_poles() {
        let intent = axis_difference(Axis::Intent).text;
        assert!(intent.en.contains("improve") && intent.en.contains("innovate"));
        assert!(intent.nl.contains("verbeteren") && intent.nl.contains("vernieuwen"));
        let nature = axis_difference(Axis::Nature).text;
        assert!(nature.en.contains("exchange") && nature.en.contains("share"));
        assert!(nature.nl.contains("uitwisselen") && nature.nl.contains("delen"));
    }
}
