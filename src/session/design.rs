//! The design phase's own data: per track, the 13 aspects; per aspect the blind responses, the
//! reveals with their flags, and the outcome (agreed, parked, or still open).

use super::ids::{OrgId, ParticipantId};
use super::input::FreeText;
use crate::model::{Aspect, Form, Lang, form_of_principle};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a representative answers to an aspect's proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Choice {
    /// The model's principle for the track's own form.
    Accept,
    /// The principle of another form.
    OtherForm {
        /// That form.
        form: Form,
    },
    /// Their own text.
    Own {
        /// The text.
        text: FreeText,
    },
}

/// A representative's response to one aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// What they chose.
    pub choice: Choice,
    /// Why, or a nuance, optionally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<FreeText>,
}

impl Response {
    /// The text this response stands for, and the form that text belongs to (none for own
    /// text that is not one of the model's principles).
    pub fn resolve(
        &self,
        aspect: Aspect,
        track_form: Form,
        language: Lang,
    ) -> (String, Option<Form>) {
        match &self.choice {
            Choice::Accept => (
                aspect.principle(track_form).get(language).to_owned(),
                Some(track_form),
            ),
            Choice::OtherForm { form } => (
                aspect.principle(*form).get(language).to_owned(),
                Some(*form),
            ),
            Choice::Own { text } => (
                text.as_str().to_owned(),
                form_of_principle(aspect, text.as_str()),
            ),
        }
    }
}

/// One response as revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedResponse {
    /// Who.
    pub participant: ParticipantId,
    /// For which organisation.
    pub organisation: OrgId,
    /// What they answered.
    pub response: Response,
    /// The text it stands for.
    pub text: String,
    /// The form that text belongs to, if it is one of the model's principles.
    pub form: Option<Form>,
}

impl RevealedResponse {
    /// What the response stands for when comparing: a principle by its form (in whichever
    /// language it was written), anything else by its text.
    pub fn key(&self) -> String {
        choice_key(self.form, &self.text)
    }
}

/// The comparison key of a text that belongs to `form` (if any).
pub fn choice_key(form: Option<Form>, text: &str) -> String {
    match form {
        Some(f) => format!("form:{}", f.id()),
        None => format!("text:{text}"),
    }
}

/// A choice whose principle belongs to another form than the track's: the model's warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mixing {
    /// Who chose it.
    pub participant: ParticipantId,
    /// Their organisation.
    pub organisation: OrgId,
    /// The track's form.
    pub track_form: Form,
    /// The form the chosen principle belongs to.
    pub chosen_form: Form,
}

/// The reveal of one aspect's responses in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AspectReveal {
    /// Which aspect.
    pub aspect: Aspect,
    /// Which round of this aspect (a reopened aspect starts a new round).
    pub round: u32,
    /// Every response, in the order people joined.
    pub responses: Vec<RevealedResponse>,
    /// Organisations chose different texts (or one organisation's representatives did).
    pub disagreement: bool,
    /// Choices of another form's principle.
    pub mixing: Vec<Mixing>,
}

/// Builds the reveal of `responses` (in join order) for an aspect of a track with `track_form`.
pub fn reveal_aspect(
    aspect: Aspect,
    round: u32,
    track_form: Form,
    language: Lang,
    responses: Vec<(ParticipantId, OrgId, Response)>,
) -> AspectReveal {
    let revealed: Vec<RevealedResponse> = responses
        .into_iter()
        .map(|(participant, organisation, response)| {
            let (text, form) = response.resolve(aspect, track_form, language);
            RevealedResponse {
                participant,
                organisation,
                response,
                text,
                form,
            }
        })
        .collect();
    let mut keys: Vec<String> = revealed.iter().map(RevealedResponse::key).collect();
    keys.sort_unstable();
    keys.dedup();
    let mixing = revealed
        .iter()
        .filter_map(|r| {
            let chosen = r.form?;
            (chosen != track_form).then_some(Mixing {
                participant: r.participant,
                organisation: r.organisation,
                track_form,
                chosen_form: chosen,
            })
        })
        .collect();
    AspectReveal {
        aspect,
        round,
        disagreement: keys.len() > 1,
        responses: revealed,
        mixing,
    }
}

/// Where an aspect stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AspectStatus {
    /// Collecting responses (or none yet): the design is partial here.
    Open,
    /// Responses revealed, awaiting the facilitator's agreement.
    Revealed,
    /// Agreed.
    Agreed,
    /// Set aside, with a reason.
    Parked,
}

/// The agreed outcome of an aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// The agreed text.
    pub text: String,
    /// The form the text matches, if it is one of the model's principles.
    pub matches: Option<Form>,
    /// Organisations whose revealed responses differed from the agreed text.
    pub dissenting: Vec<OrgId>,
    /// When.
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub by: Option<ParticipantId>,
}

/// One aspect of one track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AspectState {
    /// Which aspect.
    pub aspect: Aspect,
    /// Where it stands.
    pub status: AspectStatus,
    /// The current round, from 1; a reopen starts the next.
    pub round: u32,
    /// The current round's responses, secret until revealed.
    #[serde(skip)]
    pub responses: BTreeMap<ParticipantId, Response>,
    /// Every reveal, oldest first.
    pub reveals: Vec<AspectReveal>,
    /// The agreement, when agreed.
    pub agreement: Option<Agreement>,
    /// Why it was parked, when parked.
    pub parked: Option<String>,
}

impl AspectState {
    /// A fresh, open aspect.
    pub fn new(aspect: Aspect) -> AspectState {
        AspectState {
            aspect,
            status: AspectStatus::Open,
            round: 1,
            responses: BTreeMap::new(),
            reveals: Vec::new(),
            agreement: None,
            parked: None,
        }
    }

    /// Starts a new round: answers reopen, earlier reveals stay.
    pub fn reopen(&mut self) {
        self.status = AspectStatus::Open;
        self.round += 1;
        self.responses.clear();
        self.agreement = None;
        self.parked = None;
    }
}

/// One track being designed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Track {
    /// Its name.
    pub name: String,
    /// Its form.
    pub form: Form,
    /// The organisations taking part; empty means all.
    pub organisations: Vec<OrgId>,
    /// The 13 aspects, in the model's order.
    pub aspects: Vec<AspectState>,
}

impl Track {
    /// A track with every aspect open.
    pub fn new(name: String, form: Form, organisations: Vec<OrgId>) -> Track {
        Track {
            name,
            form,
            organisations,
            aspects: Aspect::ALL.iter().map(|&a| AspectState::new(a)).collect(),
        }
    }

    /// Whether `organisation` takes part in this track.
    pub fn includes(&self, organisation: OrgId) -> bool {
        self.organisations.is_empty() || self.organisations.contains(&organisation)
    }

    /// The state of one aspect.
    pub fn aspect(&self, aspect: Aspect) -> &AspectState {
        &self.aspects[index(aspect)]
    }

    /// The state of one aspect, to change.
    pub fn aspect_mut(&mut self, aspect: Aspect) -> &mut AspectState {
        &mut self.aspects[index(aspect)]
    }
}

/// An aspect's place in the model's order.
pub fn index(aspect: Aspect) -> usize {
    Aspect::ALL.iter().position(|a| *a == aspect).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn p(n: u128) -> ParticipantId {
        ParticipantId(Uuid::from_u128(n))
    }
    fn o(n: u128) -> OrgId {
        OrgId(Uuid::from_u128(100 + n))
    }
    fn r(choice: Choice) -> Response {
        Response {
            choice,
            comment: None,
        }
    }

    #[test]
    fn accepting_everywhere_is_agreement_without_mixing() {
        let rev = reveal_aspect(
            Aspect::Contracting,
            1,
            Form::Functional,
            Lang::En,
            vec![
                (p(1), o(1), r(Choice::Accept)),
                (p(2), o(2), r(Choice::Accept)),
            ],
        );
        assert!(!rev.disagreement);
        assert!(rev.mixing.is_empty());
        assert_eq!(rev.responses[0].form, Some(Form::Functional));
        assert_eq!(
            rev.responses[0].text,
            Aspect::Contracting.principle(Form::Functional).en
        );
    }

    #[test]
    fn choosing_another_forms_principle_is_mixing_naming_both_forms() {
        let rev = reveal_aspect(
            Aspect::Contracting,
            1,
            Form::Functional,
            Lang::Nl,
            vec![
                (p(1), o(1), r(Choice::Accept)),
                (
                    p(2),
                    o(2),
                    r(Choice::OtherForm {
                        form: Form::Entrepreneurial,
                    }),
                ),
            ],
        );
        assert!(rev.disagreement);
        assert_eq!(
            rev.mixing,
            vec![Mixing {
                participant: p(2),
                organisation: o(2),
                track_form: Form::Functional,
                chosen_form: Form::Entrepreneurial
            }]
        );
        assert_eq!(
            rev.responses[1].text,
            Aspect::Contracting.principle(Form::Entrepreneurial).nl
        );
    }

    #[test]
    fn own_text_that_is_a_principle_counts_as_that_form() {
        let text = FreeText::parse("text", Aspect::Ict.principle(Form::Exploratory).en).unwrap();
        let rev = reveal_aspect(
            Aspect::Ict,
            2,
            Form::Exploratory,
            Lang::En,
            vec![
                (p(1), o(1), r(Choice::Own { text })),
                (p(2), o(2), r(Choice::Accept)),
            ],
        );
        assert!(!rev.disagreement, "the same text, however chosen");
        assert_eq!(rev.responses[0].form, Some(Form::Exploratory));
        let own = FreeText::parse("text", "We will see").unwrap();
        let rev = reveal_aspect(
            Aspect::Ict,
            2,
            Form::Exploratory,
            Lang::En,
            vec![(p(1), o(1), r(Choice::Own { text: own }))],
        );
        assert_eq!(rev.responses[0].form, None);
        assert!(rev.mixing.is_empty(), "free text belongs to no form");
    }

    #[test]
    fn a_track_has_all_13_aspects_open_and_may_limit_its_organisations() {
        let t = Track::new("ICT services".into(), Form::Functional, vec![o(1)]);
        assert_eq!(t.aspects.len(), 13);
        assert!(t.aspects.iter().all(|a| a.status == AspectStatus::Open));
        assert!(t.includes(o(1)));
        assert!(!t.includes(o(2)));
        assert!(Track::new("All".into(), Form::Functional, vec![]).includes(o(2)));
    }
}
