//! The arguments of the commands that negotiate an aspect, and their parsers.

use crate::http::error::ApiError;
use crate::model::{Aspect, Form};
use crate::session::negotiation::{Consent, Source};
use crate::session::{Command, FreeText, ParticipantId};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProposeArgs {
    track: usize,
    aspect: Aspect,
    /// "principle", "response", "own" or "amendment".
    source: String,
    #[serde(default)]
    form: Option<Form>,
    #[serde(default)]
    participant: Option<ParticipantId>,
    #[serde(default)]
    proposal: Option<u32>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TagProposalArgs {
    track: usize,
    aspect: Aspect,
    proposal: u32,
    #[serde(default)]
    form: Option<Form>,
}

fn with_field(field: &'static str, message: &str) -> ApiError {
    ApiError {
        field: Some(field),
        ..ApiError::invalid_arguments(message)
    }
}

pub(super) fn propose(a: ProposeArgs) -> Result<Command, ApiError> {
    let (source, needs_text) = match (a.source.as_str(), a.form, a.participant, a.proposal) {
        ("principle", Some(form), None, None) => (Source::Principle { form }, false),
        ("response", None, Some(participant), None) => (Source::Response { participant }, false),
        ("own", None, None, None) => (Source::Own, true),
        ("amendment", None, None, Some(of)) => (Source::Amendment { of }, true),
        ("principle", None, _, _) => {
            return Err(with_field(
                "form",
                "name the form whose principle you propose",
            ));
        }
        ("response", _, None, _) => {
            return Err(with_field(
                "participant",
                "name whose revealed response you propose",
            ));
        }
        ("amendment", _, _, None) => {
            return Err(with_field("proposal", "name the proposal you amend"));
        }
        ("principle" | "response" | "own" | "amendment", ..) => {
            return Err(with_field(
                "source",
                "principle takes a form, response a participant, amendment a proposal, own nothing of these",
            ));
        }
        _ => {
            return Err(with_field(
                "source",
                "choose principle, response, own or amendment",
            ));
        }
    };
    let text = match (needs_text, a.text.as_deref()) {
        (true, Some(t)) => Some(FreeText::parse("text", t)?),
        (true, None) => return Err(with_field("text", "write the text you propose")),
        (false, None) => None,
        (false, Some(_)) => {
            return Err(with_field(
                "text",
                "a principle or a response brings its own text",
            ));
        }
    };
    Ok(Command::Propose {
        track: a.track,
        aspect: a.aspect,
        source,
        text,
    })
}

pub(super) fn tag(a: TagProposalArgs) -> Command {
    Command::TagProposal {
        track: a.track,
        aspect: a.aspect,
        proposal: a.proposal,
        form: a.form,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CallRoundArgs {
    track: usize,
    aspect: Aspect,
    proposal: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AnswerRoundArgs {
    track: usize,
    aspect: Aspect,
    /// "consent", "concern" or "object".
    answer: String,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RoundArgs {
    track: usize,
    aspect: Aspect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OverrideArgs {
    track: usize,
    aspect: Aspect,
    rationale: String,
}

pub(super) fn call(a: CallRoundArgs) -> Command {
    Command::CallRound {
        track: a.track,
        aspect: a.aspect,
        proposal: a.proposal,
    }
}

pub(super) fn answer(a: AnswerRoundArgs) -> Result<Command, ApiError> {
    Ok(Command::AnswerRound {
        track: a.track,
        aspect: a.aspect,
        consent: consent(&a.answer, a.text.as_deref())?,
    })
}

/// An answer in a round, of an aspect or of the form.
fn consent(answer: &str, text: Option<&str>) -> Result<Consent, ApiError> {
    let reason = |t: Option<&str>| -> Result<String, ApiError> {
        let t =
            t.ok_or_else(|| with_field("text", "a concern or an objection needs its reason"))?;
        Ok(FreeText::parse("text", t)?.as_str().to_owned())
    };
    Ok(match (answer, text) {
        ("consent", None) => Consent::Consent,
        ("consent", Some(_)) => {
            return Err(with_field(
                "text",
                "a consent needs no text; give a concern instead",
            ));
        }
        ("concern", t) => Consent::Concern { text: reason(t)? },
        ("object", t) => Consent::Object { reason: reason(t)? },
        _ => return Err(with_field("answer", "answer consent, concern or object")),
    })
}

pub(super) fn close(a: RoundArgs) -> Command {
    Command::CloseRound {
        track: a.track,
        aspect: a.aspect,
    }
}

pub(super) fn override_round(a: OverrideArgs) -> Result<Command, ApiError> {
    Ok(Command::OverrideRound {
        track: a.track,
        aspect: a.aspect,
        rationale: FreeText::parse("rationale", &a.rationale)?,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CallFormRoundArgs {
    form: Form,
    rationale: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AnswerFormRoundArgs {
    answer: String,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RationaleArgs {
    rationale: String,
}

pub(super) fn call_form(a: CallFormRoundArgs) -> Result<Command, ApiError> {
    Ok(Command::CallFormRound {
        form: a.form,
        rationale: FreeText::parse("rationale", &a.rationale)?,
    })
}

pub(super) fn answer_form(a: AnswerFormRoundArgs) -> Result<Command, ApiError> {
    Ok(Command::AnswerFormRound {
        consent: consent(&a.answer, a.text.as_deref())?,
    })
}

pub(super) fn override_form(a: RationaleArgs) -> Result<Command, ApiError> {
    Ok(Command::OverrideFormRound {
        rationale: FreeText::parse("rationale", &a.rationale)?,
    })
}
