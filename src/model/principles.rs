//! The design principles per basic form: the body of the article's Table 1.
//!
//! Kept apart from the aspect definitions because the table is long; each row
//! lists its cells in [`Form::ALL`] order (Transactional, Functional,
//! Entrepreneurial, Exploratory), exactly as the article's columns run.

use super::aspects::Aspect;
use super::forms::Form;
use super::text::Text;

/// The Table 1 cell for one aspect and one form.
pub(crate) fn principle(aspect: Aspect, form: Form) -> Text {
    row(aspect)[form.index()]
}

/// One Table 1 row, in [`Form::ALL`] order.
fn row(aspect: Aspect) -> [Text; 4] {
    match aspect {
        Aspect::Relationships => [
            Text::new(
                "The customer triggers a sequence of actions that we want to optimise across the chain",
                "De klant veroorzaakt een opeenvolging van acties die we in de keten willen optimaliseren",
            ),
            Text::new(
                "One party considers another smarter/better/cheaper/… at a certain function",
                "Een partij acht een andere partij slimmer/beter/goedkoper/… in een bepaalde functie",
            ),
            Text::new(
                "Together we can develop, realise and/or sell something smarter/better/cheaper/… than apart",
                "Samen kunnen we iets slimmer/beter/goedkoper/… ontwikkelen, realiseren en/of verkopen dan afzonderlijk",
            ),
            Text::new(
                "Parties find each other on issues that stimulate their functioning or are a precondition for it, and on which they can strengthen each other",
                "Partijen vinden elkaar op issues die stimulerend of voorwaardelijk zijn voor hun functioneren en waarin ze elkaar kunnen versterken",
            ),
        ],
        Aspect::Finances => [
            Text::new(
                "Settlement agreements: a sound basis for dividing costs and benefits that fall at different places in the chain",
                "Verrekenafspraken: een goede grondslag voor verdeling van kosten en baten die op verschillende plaatsen in de keten vallen",
            ),
            Text::new(
                "Settlement agreements: payment for services delivered",
                "Verrekenafspraken: betaling voor geleverde diensten",
            ),
            Text::new(
                "Division of risks and results; joint budgeting and balance",
                "Verdeling van risico’s en resultaat; gezamenlijke budgettering en balans",
            ),
            Text::new(
                "Cost-covering contributions to stimulate the collaboration and keep it going",
                "Kostendekkende inbreng om de samenwerking te stimuleren en op gang te houden",
            ),
        ],
        Aspect::DecisionMaking => [
            Text::new(
                "Each party decides for itself in which chains it takes part and how far; once in, the rules of the game are known",
                "Iedere partij beslist zelfstandig in hoeverre zij meedoet in welke ketens; wie meedoet, kent de spelregels",
            ),
            Text::new(
                "Contract relationship; negotiating the contract terms",
                "Contractrelatie; onderhandelen over contractvoorwaarden",
            ),
            Text::new(
                "Joint decision making; agreeing the procedure for decisions",
                "Gezamenlijke besluitvorming; bepalen van de procedure voor besluitvorming",
            ),
            Text::new(
                "Mutual influence; negotiating statutes among several parties; later entrants must ‘connect’",
                "Wederzijdse beïnvloeding; onderhandeling over statuten met diverse partijen; latere toetreders moeten ‘aansluiten’",
            ),
        ],
        Aspect::PlanningControl => [
            Text::new(
                "Exchange of planning and progress information; chain direction. \
                 Planning: extended enterprise planning. \
                 Evaluation: the chain’s added value for each of the parties",
                "Uitwisseling van planning- en voortgangsinformatie; ketenregie. \
                 Planning: extended enterprise planning. \
                 Evaluatie: toegevoegde waarde van de keten voor ieder van de partijen",
            ),
            Text::new(
                "Client and contractor on the basis of result and service agreements. \
                 Planning: service level management. \
                 Evaluation: on contract results",
                "Opdrachtgever en opdrachtnemer op basis van resultaat- en serviceafspraken. \
                 Planning: service level management. \
                 Evaluatie: op basis van contractresultaat",
            ),
            Text::new(
                "Its own management, responsible for ‘getting the job done’; the partners oversee the alliance’s functioning and the split of costs and revenues. \
                 Planning: joint business planning. \
                 Evaluation: jointly against the business plans, by each party on its input-output balance",
                "Eigen directievoering, verantwoordelijk voor ‘klaren van de klus’; de partijen houden toezicht op het functioneren van de alliantie en de kosten/opbrengstenverdeling. \
                 Planning: gezamenlijke businessplanning. \
                 Evaluatie: gezamenlijk op basis van businessplannen, door ieder van de partijen op basis van de input-outputbalans",
            ),
            Text::new(
                "A hub role: facilitating, organising, mobilising, responsible for starting and sustaining interaction; parties pledge contribution and participation. \
                 Planning: depends on the topology (the dominant party’s planning or mutual alignment). \
                 Evaluation: the network’s success is the shared criterion, but each party may leave on its own considerations",
                "Spilfunctie: faciliterend, organiserend, mobiliserend, verantwoordelijk voor het op gang brengen en houden van interactie; partijen beloven inbreng en participatie. \
                 Planning: afhankelijk van de topologie (planning van de dominante partij of wederzijdse afstemming). \
                 Evaluatie: succes van het netwerk is het gezamenlijke criterium, maar ieder van de betrokkenen kan uittreden op basis van eigen afwegingen",
            ),
        ],
        Aspect::PerformanceIndicators => [
            Text::new(
                "Chain efficiency; transaction volume from taking part in the chain; low transaction costs",
                "Ketenefficiency; transactievolume als gevolg van participatie in de keten; lage transactiekosten",
            ),
            Text::new(
                "Meeting the goals of both the insourcing and the outsourcing party; delivering on the agreements made",
                "Voldoen aan de doelstellingen van zowel in- als uitbestedende partij; waarmaken van gemaakte afspraken",
            ),
            Text::new(
                "Value added (input-output balance in a broad sense) for each of the parties; a stream of new initiatives and the ease of making them operational; low transaction costs",
                "Waardetoevoeging (balans input-output in brede zin) voor ieder van de partijen; een stroom van nieuwe initiatieven en het gemak waarmee die operationeel gemaakt kunnen worden; lage transactiekosten",
            ),
            Text::new(
                "The degree to which parties want to continue their contributions",
                "Mate waarin partijen hun bijdragen willen continueren",
            ),
        ],
        Aspect::Contracting => [
            Text::new("Trade contracts", "Handelscontracten"),
            // The article uses the English term in Dutch as well.
            Text::new("Service level agreements", "Service level agreements"),
            Text::new("Covenants, codes of conduct", "Convenanten, gedragscodes"),
            Text::new("Collaboration agreements", "Samenwerkingsafspraken"),
        ],
        Aspect::PromotedBehaviour => [
            Text::new("Delivery reliability", "Leverbetrouwbaarheid"),
            Text::new(
                "Reliability in keeping agreements",
                "Afspraakbetrouwbaarheid",
            ),
            Text::new(
                "Reliability as loyalty to the common entity; joint-venture agreements",
                "Betrouwbaarheid in loyaliteit naar de gemeenschappelijke entiteit; joint-venture-afspraken",
            ),
            Text::new(
                "Reliability in weighing interests",
                "Betrouwbaarheid in belangenafweging",
            ),
        ],
        Aspect::KeyRoles => [
            Text::new(
                "Case managers, chain directors, buyers and sellers",
                "Casemanagers, ketenregisseurs, in- en verkopers",
            ),
            Text::new(
                "Interface and account managers",
                "Interface- en accountmanagers",
            ),
            Text::new(
                "Entrepreneurs and marketers; creators",
                "Ondernemers en marketeers; creators",
            ),
            Text::new(
                "Facilitator of professionals; explorers and shapers",
                "Facilitator van professionals; verkenners en vormers",
            ),
        ],
        Aspect::ManagementStyle => [
            Text::new(
                "Result-oriented: ‘getting things done’",
                "Resultaatgericht: ‘dingen gedaan krijgen’",
            ),
            Text::new(
                "Result-oriented: ‘get under the skin of’",
                "Resultaatgericht: ‘kruip in de huid van’",
            ),
            Text::new(
                "Entrepreneurial, creative and making room: ‘idea leads to opportunity leads to success’",
                "Ondernemend, creatief en ruimtescheppend: ‘idee leidt tot kans leidt tot succes’",
            ),
            Text::new(
                "Facilitating: ‘results come from interaction’",
                "Faciliterend: ‘resultaat komt voort uit interactie’",
            ),
        ],
        Aspect::Identity => [
            Text::new(
                "Accepting each other’s individuality",
                "Acceptatie van elkaars eigenheid",
            ),
            Text::new(
                "The partners’ identity as a selection criterion; understanding each other",
                "Identiteit van partners als selectiecriterium; elkaar begrijpen",
            ),
            Text::new(
                "Actively creating a new identity in the collaboration",
                "Actief creëren van een nieuwe identiteit in de samenwerking",
            ),
            Text::new(
                "A new identity of the partnership emerges",
                "Ontstaan van een nieuwe identiteit van het samenwerkingsverband",
            ),
        ],
        Aspect::InformationStrategy => [
            Text::new(
                "Open information management, based on communication at the operational level",
                "Open informatiehuishouding, gebaseerd op communicatie op operationeel niveau",
            ),
            Text::new(
                "Closed information management, aimed at a seamless connection of processes",
                "Gesloten informatiehuishouding, gericht op een naadloze aansluiting van processen",
            ),
            Text::new(
                "Closed information management, aimed at developing and protecting a joint initiative",
                "Gesloten informatiehuishouding, gericht op het ontwikkelen en beschermen van een gezamenlijk initiatief",
            ),
            Text::new(
                "Open information management, aimed at optimising knowledge exchange",
                "Open informatiehuishouding, gericht op het optimaliseren van kennisuitwisseling",
            ),
        ],
        Aspect::WorkProcess => [
            Text::new(
                "Managing the logistic process",
                "Managen van het logistieke proces",
            ),
            Text::new(
                "Making the interface between functions work well",
                "Interface tussen functies goed laten functioneren",
            ),
            Text::new(
                "Managing the development and marketing process",
                "Managen van het ontwikkelings- en marketingproces",
            ),
            Text::new(
                "Organising the communication and interaction process; knowledge management",
                "Organiseren van het communicatie- en interactieproces; kennismanagement",
            ),
        ],
        Aspect::Ict => [
            Text::new(
                "Standardised data definitions and transaction models; exchange of planning and progress information; technically neutral open standards for messaging and application integration; middleware and wrapping",
                "Gestandaardiseerde gegevensdefinities en transactiemodellen; uitwisselen van plannings- en voortgangsinformatie; technisch neutrale open standaarden voor berichtenverkeer en applicatie-integratie; middleware en wrapping",
            ),
            Text::new(
                "One-to-one agreements on application integration; authorisation for operational information exchange; minimal standardisation for consolidation",
                "1:1-afspraken over applicatie-integratie; autorisatie ten behoeve van operationele informatie-uitwisseling; minimale standaardisatie ten behoeve van consolidatie",
            ),
            Text::new(
                "Extranet, closed environment, collaborative tools; mutual authorisation, but with data protection; own ICT facilities in the collaboration",
                "Extranet, gesloten omgeving, collaborative tools; wederzijdse autorisatie, maar wel met bescherming van gegevens; eigen ICT-voorzieningen in de samenwerking",
            ),
            Text::new(
                "Aimed at exchanging knowledge and documents; internet, open environment, interactive tools; authorisation aimed at identification",
                "Gericht op uitwisseling van kennis en documenten; internet, open omgeving, interactieve tools; autorisatie gericht op identificatie",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contracting_cells() {
        let cell = |f| principle(Aspect::Contracting, f);
        assert_eq!(
            cell(Form::Transactional),
            Text::new("Trade contracts", "Handelscontracten")
        );
        assert_eq!(
            cell(Form::Functional),
            Text::new("Service level agreements", "Service level agreements")
        );
        assert_eq!(
            cell(Form::Entrepreneurial),
            Text::new("Covenants, codes of conduct", "Convenanten, gedragscodes")
        );
        assert_eq!(
            cell(Form::Exploratory),
            Text::new("Collaboration agreements", "Samenwerkingsafspraken")
        );
    }

    #[test]
    fn information_strategy_is_closed_when_sharing_and_open_when_exchanging() {
        let cell = |f| principle(Aspect::InformationStrategy, f);
        assert!(cell(Form::Functional).en.starts_with("Closed"));
        assert!(cell(Form::Functional).nl.starts_with("Gesloten"));
        assert!(cell(Form::Entrepreneurial).nl.starts_with("Gesloten"));
        assert!(cell(Form::Exploratory).en.starts_with("Open"));
        assert!(cell(Form::Exploratory).nl.starts_with("Open"));
        assert!(cell(Form::Transactional).nl.starts_with("Open"));
    }

    #[test]
    fn other_cells_pinned() {
        assert_eq!(
            Aspect::PromotedBehaviour.principle(Form::Transactional).nl,
            "Leverbetrouwbaarheid"
        );
        assert!(
            Aspect::Finances
                .principle(Form::Functional)
                .nl
                .contains("betaling voor geleverde diensten")
        );
        assert!(
            Aspect::DecisionMaking
                .principle(Form::Entrepreneurial)
                .en
                .starts_with("Joint decision making")
        );
        assert!(
            Aspect::PlanningControl
                .principle(Form::Functional)
                .en
                .contains("service level management")
        );
        assert!(
            Aspect::KeyRoles
                .principle(Form::Exploratory)
                .nl
                .contains("verkenners en vormers")
        );
    }

    #[test]
    fn cells_are_unique_within_an_aspect() {
        // Otherwise form_of_principle would be ambiguous.
        for aspect in Aspect::ALL {
            for a in Form::ALL {
                for b in Form::ALL.into_iter().filter(|&b| b != a) {
                    let (x, y) = (principle(aspect, a), principle(aspect, b));
                    for s in [x.en, x.nl] {
                        assert!(!y.matches(s), "{aspect:?}: {s}");
                    }
                }
            }
        }
    }
}
