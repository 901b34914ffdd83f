//! The example record in docs/examples/: a full session of two partners and an advisor, with
//! stated goals, a forced reveal, a split, dissent, parked and open items with owners, approval
//! per track and a forced close, driven through the pure core with fixed ids and times so that it renders the same every
//! time. The test fails when the committed example is stale; run it with
//! `GRONDVORM_UPDATE_EXAMPLES=1` to write it anew.

use chrono::{TimeZone, Utc};
use grondvorm::model::{Aspect, Cluster, Form, Intent, Lang, Nature};
use grondvorm::record;
use grondvorm::session::*;
use std::path::PathBuf;
use uuid::Uuid;

struct Run {
    state: State,
    log: Vec<Recorded>,
}

impl Run {
    fn run(&mut self, by: Option<u128>, c: Command) {
        let by = by.map(p);
        // A workshop morning: one command a minute or so from 09:00.
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap()
            + chrono::Duration::minutes(self.state.last_seq as i64 + 1);
        let recorded = execute(&Limits::default(), &self.state, by, &c, at)
            .unwrap_or_else(|e| panic!("{c:?}: {e}"));
        for r in recorded {
            self.state.apply(&r);
            self.log.push(r);
        }
    }
}

fn p(n: u128) -> ParticipantId {
    ParticipantId(Uuid::from_u128(n))
}
fn o(n: u128) -> OrgId {
    OrgId(Uuid::from_u128(0x100 + n))
}
fn name(s: &str) -> Name {
    Name::parse("name", s).unwrap()
}
fn text(s: &str) -> FreeText {
    FreeText::parse("text", s).unwrap()
}
fn answer(axis_intent: Option<Intent>, nature: Option<Nature>, why: &str) -> Command {
    match (axis_intent, nature) {
        (Some(pole), _) => Command::Answer(AxisAnswer::Intent {
            pole,
            strength: Strength::parse(3).unwrap(),
            motivation: FreeText::parse_optional("motivation", Some(why)).unwrap(),
        }),
        (None, Some(pole)) => Command::Answer(AxisAnswer::Nature {
            pole,
            strength: Strength::parse(2).unwrap(),
            motivation: None,
        }),
        _ => unreachable!(),
    }
}
fn respond(track: usize, aspect: Aspect, choice: Choice) -> Command {
    Command::Respond {
        track,
        aspect,
        response: Response {
            choice,
            comment: None,
        },
    }
}

/// The example session: the telecom case with a consultancy beside it.
fn example_log(language: Lang) -> Vec<Recorded> {
    // The session's own texts in its language, as partners in that language would type them.
    let tr = |en: &'static str, nl: &'static str| if language == Lang::Nl { nl } else { en };
    let fac = 1;
    let mut s = Run {
        state: State::default(),
        log: Vec::new(),
    };
    s.run(
        None,
        Command::Create(Create {
            title: Title::parse(tr(
                "Telecom supplier and ICT provider: sell and lease-back",
                "Telecomaanbieder en ICT-dienstverlener: verkoop en terughuur",
            ))
            .unwrap(),
            language,
            facilitator: p(fac),
            facilitator_name: name("Fran de Vries"),
            auto_reveal: false,
            join_code: None,
            time_zone: Some(TimeZoneName::parse("Europe/Amsterdam").unwrap()),
            mode: Default::default(),
            subject: Default::default(),
            baseline: None,
        }),
    );
    for (person, who, org, org_name) in [
        (
            10,
            "Tess Bakker",
            1,
            tr("Telecom supplier", "Telecomaanbieder"),
        ),
        (
            11,
            "Tom Visser",
            1,
            tr("Telecom supplier", "Telecomaanbieder"),
        ),
        (
            20,
            "Ivo Jansen",
            2,
            tr("ICT service provider", "ICT-dienstverlener"),
        ),
        (30, "Carla Smit", 3, tr("Consultancy", "Adviesbureau")),
    ] {
        s.run(
            None,
            Command::Join(Join {
                participant: p(person),
                name: name(who),
                organisation: if s.state.organisation(o(org)).is_some() {
                    OrgChoice::Existing(o(org))
                } else {
                    OrgChoice::New {
                        id: o(org),
                        name: name(org_name),
                    }
                },
            }),
        );
    }
    // The facilitator's consultancy advises; it is no partner to the design.
    s.run(
        Some(fac),
        Command::SetAdvisor {
            organisation: o(3),
            advisor: true,
        },
    );
    for (by, org, goal) in [
        (
            10,
            Some(1),
            tr(
                "Reliable ICT services at a lower cost, so that we can pay for the UMTS frequencies.",
                "Betrouwbare ICT-diensten tegen lagere kosten, zodat we de UMTS-frequenties kunnen betalen.",
            ),
        ),
        (
            20,
            Some(2),
            tr(
                "Grow from supplier into a strategic partner that develops new products with the client.",
                "Van leverancier groeien naar strategische partner die samen met de klant nieuwe producten ontwikkelt.",
            ),
        ),
        (
            fac,
            None,
            tr(
                "Good, affordable ICT for the telecom supplier, and new telecom products developed together.",
                "Goede, betaalbare ICT voor de telecomaanbieder, en samen ontwikkelde nieuwe telecomproducten.",
            ),
        ),
    ] {
        s.run(
            Some(by),
            Command::StateGoal {
                organisation: org.map(o),
                text: Some(text(goal)),
            },
        );
    }
    s.run(Some(fac), Command::StartPositioning);
    for (person, intent, nature, why) in [
        (
            10,
            Intent::Improve,
            Nature::Share,
            tr(
                "We outsourced our ICT to cut costs.",
                "We hebben onze ICT uitbesteed om kosten te besparen.",
            ),
        ),
        (
            20,
            Intent::Innovate,
            Nature::Share,
            tr(
                "We are their strategic partner for new products.",
                "Wij zijn hun strategische partner voor nieuwe producten.",
            ),
        ),
        (
            30,
            Intent::Improve,
            Nature::Share,
            tr("The SLA is the heart of it.", "De SLA is de kern ervan."),
        ),
    ] {
        s.run(Some(person), answer(Some(intent), None, why));
        s.run(Some(person), answer(None, Some(nature), ""));
    }
    // Tom is called away before he answers: the facilitator reveals without him.
    s.run(Some(fac), Command::Reveal { force: true });
    s.run(
        Some(fac),
        Command::Split {
            tracks: vec![
                TrackSpec {
                    name: name(tr("ICT services", "ICT-diensten")),
                    form: Form::Functional,
                    organisations: vec![],
                },
                TrackSpec {
                    name: name(tr("Product development", "Productontwikkeling")),
                    form: Form::Entrepreneurial,
                    organisations: vec![o(1), o(2)],
                },
            ],
            rationale: FreeText::parse(
                "rationale",
                tr("The ICT services stay an exchange of services; the new products are a venture of the supplier and the provider together.", "De ICT-diensten blijven een uitwisseling van diensten; de nieuwe producten zijn een gezamenlijke onderneming van aanbieder en dienstverlener."),
            )
            .unwrap(),
        },
    );
    s.run(Some(fac), Command::StartDesign);
    // ICT services: governance agreed, the ICT provider mixing on finances.
    for aspect in Cluster::Governance.aspects() {
        for person in [10, 30] {
            s.run(Some(person), respond(0, *aspect, Choice::Accept));
        }
        let choice = if *aspect == Aspect::Finances {
            Choice::OtherForm {
                form: Form::Entrepreneurial,
            }
        } else {
            Choice::Accept
        };
        s.run(Some(20), respond(0, *aspect, choice));
    }
    s.run(
        Some(fac),
        Command::RevealAspects {
            track: 0,
            aspects: Cluster::Governance.aspects().to_vec(),
            cluster: Some(Cluster::Governance),
        },
    );
    for aspect in Cluster::Governance.aspects() {
        s.run(
            Some(fac),
            Command::AgreeAspect {
                track: 0,
                aspect: *aspect,
                text: None,
                resembles: None,
            },
        );
    }
    // Identity: the room's own words, in the track's own form.
    let own = tr(
        "Each keeps its own name; the service desk speaks for both.",
        "Ieder houdt zijn eigen naam; de servicedesk spreekt voor beide.",
    );
    for person in [10, 20, 30] {
        s.run(
            Some(person),
            respond(0, Aspect::Identity, Choice::Own { text: text(own) }),
        );
    }
    s.run(
        Some(fac),
        Command::RevealAspects {
            track: 0,
            aspects: vec![Aspect::Identity],
            cluster: None,
        },
    );
    s.run(
        Some(fac),
        Command::AgreeAspect {
            track: 0,
            aspect: Aspect::Identity,
            text: Some(text(own)),
            resembles: Some(Form::Functional),
        },
    );
    s.run(
        Some(fac),
        Command::AssignOpenItem {
            track: 0,
            aspect: Aspect::KeyRoles,
            owner: Some(Owner::Participant(p(10))),
            due: Some(DueDate::parse("2027-01-15").unwrap()),
        },
    );
    // Product development: contracting agreed, ICT parked.
    for person in [10, 20] {
        s.run(
            Some(person),
            respond(1, Aspect::Contracting, Choice::Accept),
        );
    }
    s.run(
        Some(fac),
        Command::RevealAspects {
            track: 1,
            aspects: vec![Aspect::Contracting],
            cluster: None,
        },
    );
    s.run(
        Some(fac),
        Command::AgreeAspect {
            track: 1,
            aspect: Aspect::Contracting,
            text: None,
            resembles: None,
        },
    );
    s.run(
        Some(fac),
        Command::ParkAspect {
            track: 1,
            aspect: Aspect::Ict,
            reason: text(tr(
                "Decide after the pilot with the first care provider.",
                "Beslissen na de pilot met de eerste zorgaanbieder.",
            )),
            owner: Some(Owner::Organisation(o(2))),
            due: Some(DueDate::parse("2027-03-01").unwrap()),
        },
    );
    s.run(
        Some(fac),
        Command::AddNote {
            about: Step {
                track: Some(0),
                cluster: Some(Cluster::Behaviour),
                aspect: None,
            },
            text: text(tr(
                "Behaviour agreements follow in the next workshop.",
                "Gedragsafspraken volgen in de volgende werksessie.",
            )),
        },
    );
    s.run(Some(fac), Command::OpenReview);
    s.run(Some(10), Command::Approve { track: Some(0) });
    s.run(Some(20), Command::Approve { track: None });
    s.run(
        Some(11),
        Command::Object {
            reason: text(tr(
                "Our board signs the product development track only after the pilot.",
                "Onze directie tekent het spoor productontwikkeling pas na de pilot.",
            )),
            aspects: vec![],
        },
    );
    s.run(Some(fac), Command::Close { force: true });
    s.log
}

#[test]
fn the_example_record_in_docs_is_current() {
    let session = SessionId(Uuid::from_u128(0xE8A3_91E5));
    let record = record::build(session, &example_log(Lang::En)).unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let update = std::env::var_os("GRONDVORM_UPDATE_EXAMPLES").is_some();
    for format in [
        record::Format::Json,
        record::Format::Md,
        record::Format::Html,
        record::Format::Pdf,
    ] {
        let path = dir.join(format!("record.{}", format.extension()));
        let rendered = record::render(&record, format).unwrap();
        if update {
            std::fs::write(&path, &rendered).unwrap();
        } else {
            let committed = std::fs::read(&path).unwrap_or_default();
            assert!(
                committed == rendered,
                "{} is stale: run the tests with GRONDVORM_UPDATE_EXAMPLES=1 and commit it",
                path.display()
            );
        }
    }
    assert!(record::verify(&rendered(&record, record::Format::Json)).is_ok());
}

fn rendered(record: &record::Record, format: record::Format) -> String {
    String::from_utf8(record::render(record, format).unwrap()).unwrap()
}

#[test]
fn the_record_schema_in_docs_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/record.schema.json");
    let schema = record::json_schema();
    if std::env::var_os("GRONDVORM_UPDATE_EXAMPLES").is_some() {
        std::fs::write(&path, &schema).unwrap();
    } else {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == schema,
            "{} is stale: run the tests with GRONDVORM_UPDATE_EXAMPLES=1 and commit it",
            path.display()
        );
    }
    assert!(schema.contains("\"content_hash\""));
}

#[test]
fn a_dutch_session_gets_a_dutch_record() {
    let session = SessionId(Uuid::from_u128(0xD07C));
    let record = record::build(session, &example_log(Lang::Nl)).unwrap();
    let md = rendered(&record, record::Format::Md);
    let html = rendered(&record, record::Format::Html);
    // The Dutch record is an example too, for readers of the article's language.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    for format in [record::Format::Md, record::Format::Pdf] {
        let path = dir.join(format!("record.nl.{}", format.extension()));
        let rendered = record::render(&record, format).unwrap();
        if std::env::var_os("GRONDVORM_UPDATE_EXAMPLES").is_some() {
            std::fs::write(&path, &rendered).unwrap();
        } else {
            assert!(
                std::fs::read(&path).unwrap_or_default() == rendered,
                "{} is stale: run the tests with GRONDVORM_UPDATE_EXAMPLES=1 and commit it",
                path.display()
            );
        }
    }
    for needle in [
        "Samenvatting",
        "Positionering",
        "De inrichting",
        "Functioneel",
        "Ondernemend",
        "Convenanten, gedragscodes",
        "vermenging",
    ] {
        assert!(
            md.contains(needle),
            "{needle} missing from the Dutch Markdown"
        );
    }
    assert!(html.contains("<html lang=\"nl\">"));
    assert!(
        !md.contains("Covenants"),
        "no English model text in a Dutch record"
    );
    assert!(record::verify(&rendered(&record, record::Format::Json)).is_ok());
}

/// The words on pages `first..=last` of a PDF, or None without poppler's pdftotext (CI has it).
fn pdf_pages(pdf: &[u8], first: u32, last: u32) -> Option<String> {
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("record.pdf");
    std::fs::write(&file, pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .args(["-f", &first.to_string(), "-l", &last.to_string()])
        .arg(&file)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ if std::env::var_os("GRONDVORM_REQUIRE_TOOLS").is_some_and(|v| v == "1") => {
            panic!("pdftotext is missing, but GRONDVORM_REQUIRE_TOOLS=1 requires it")
        }
        _ => None,
    }
}

#[test]
fn the_summary_of_the_example_is_one_page_in_both_languages() {
    for (lang, last_risk, detail) in [
        (Lang::En, "Closed without the approval of", "Who took part"),
        (Lang::Nl, "Gesloten zonder instemming van", "Wie deden mee"),
    ] {
        let record = record::build(SessionId(Uuid::from_u128(0xE1)), &example_log(lang)).unwrap();
        let pdf = record::render(&record, record::Format::Pdf).unwrap();
        let (Some(one), Some(two)) = (pdf_pages(&pdf, 1, 1), pdf_pages(&pdf, 2, 2)) else {
            eprintln!("PDF page check skipped: no pdftotext (poppler-utils)");
            return;
        };
        assert!(
            one.contains(last_risk),
            "{lang:?}: the summary's last line is on page 1: {one}"
        );
        assert!(
            two.trim_start().starts_with(detail),
            "{lang:?}: the detail starts page 2: {two}"
        );
    }
}
