//! The design phase's own data: per track, the 13 aspects; per aspect the blind responses, the
//! reveals with their flags, and the outcome (agreed, parked, or still open).

use super::ids::{OrgId, ParticipantId};
use super::input::FreeText;
use crate::model::{Aspect, Form, Lang, form_of_principle};
use serde::{Deserialize, Serialize};

/// What a representative answers to an aspect's proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Choice {
    /// The model's principle for the track's own form.
    Accept,
    /// The principle of another form.
    OtherForm {
        form: Form,
    },
    Own {
        text: FreeText,
    },
    /// In a follow-up, on an aspect agreed in the baseline: that agreement no longer holds
    /// (and no text is put in its place).
    NoLonger,
}

/// A representative's response to one aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub choice: Choice,
    /// Why, or a nuance, optionally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<FreeText>,
}

impl Response {
    /// The text this response stands for, and the form that text belongs to (none for own
    /// text that is not one of the model's principles): accepting takes the `proposal`; "no
    /// longer true" stands for no text.
    pub fn resolve(
        &self,
        aspect: Aspect,
        proposal: &(String, Option<Form>),
        language: Lang,
    ) -> (String, Option<Form>) {
        match &self.choice {
            Choice::Accept => proposal.clone(),
            Choice::NoLonger => (String::new(), None),
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
    pub participant: ParticipantId,
    pub organisation: OrgId,
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
    pub participant: ParticipantId,
    pub organisation: OrgId,
    pub track_form: Form,
    /// The form the chosen principle belongs to.
    pub chosen_form: Form,
}

/// The reveal of one aspect's responses in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AspectReveal {
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
/// Only the responses of organisations for which `partner` holds count towards a
/// disagreement: an advisor's different text is shown, but holds no one up.
pub fn reveal_aspect(
    aspect: Aspect,
    round: u32,
    track_form: Form,
    proposal: &(String, Option<Form>),
    language: Lang,
    responses: Vec<(ParticipantId, OrgId, Response)>,
    partner: impl Fn(OrgId) -> bool,
) -> AspectReveal {
    let revealed: Vec<RevealedResponse> = responses
        .into_iter()
        .map(|(participant, organisation, response)| {
            let (text, form) = response.resolve(aspect, proposal, language);
            RevealedResponse {
                participant,
                organisation,
                response,
                text,
                form,
            }
        })
        .collect();
    let mut keys: Vec<String> = revealed
        .iter()
        .filter(|r| partner(r.organisation))
        .map(RevealedResponse::key)
        .collect();
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
    /// The model's principle as an aspect's proposal.
    fn principle(aspect: Aspect, form: Form, lang: Lang) -> (String, Option<Form>) {
        (aspect.principle(form).get(lang).to_owned(), Some(form))
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
            &principle(Aspect::Contracting, Form::Functional, Lang::En),
            Lang::En,
            vec![
                (p(1), o(1), r(Choice::Accept)),
                (p(2), o(2), r(Choice::Accept)),
            ],
            |_| true,
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
            &principle(Aspect::Contracting, Form::Functional, Lang::Nl),
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
            |_| true,
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
    fn an_advisors_other_text_is_no_disagreement() {
        let rev = reveal_aspect(
            Aspect::Contracting,
            1,
            Form::Functional,
            &principle(Aspect::Contracting, Form::Functional, Lang::En),
            Lang::En,
            vec![
                (p(1), o(1), r(Choice::Accept)),
                (p(2), o(2), r(Choice::Accept)),
                (
                    p(3),
                    o(3),
                    r(Choice::OtherForm {
                        form: Form::Transactional,
                    }),
                ),
            ],
            |org| org != o(3),
        );
        assert!(!rev.disagreement, "the partners agree");
        assert_eq!(rev.responses.len(), 3, "the advisor's response is shown");
        assert_eq!(rev.mixing.len(), 1, "and its form is named");
    }

    #[test]
    fn own_text_that_is_a_principle_counts_as_that_form() {
        let text = FreeText::parse("text", Aspect::Ict.principle(Form::Exploratory).en).unwrap();
        let rev = reveal_aspect(
            Aspect::Ict,
            2,
            Form::Exploratory,
            &principle(Aspect::Ict, Form::Exploratory, Lang::En),
            Lang::En,
            vec![
                (p(1), o(1), r(Choice::Own { text })),
                (p(2), o(2), r(Choice::Accept)),
            ],
            |_| true,
        );
        assert!(!rev.disagreement, "the same text, however chosen");
        assert_eq!(rev.responses[0].form, Some(Form::Exploratory));
        let own = FreeText::parse("text", "We will see").unwrap();
        let rev = reveal_aspect(
            Aspect::Ict,
            2,
            Form::Exploratory,
            &principle(Aspect::Ict, Form::Exploratory, Lang::En),
            Lang::En,
            vec![(p(1), o(1), r(Choice::Own { text: own }))],
            |_| true,
        );
        assert_eq!(rev.responses[0].form, None);
        assert!(rev.mixing.is_empty(), "free text belongs to no form");
    }
}
