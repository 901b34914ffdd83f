//! The shape of each command's arguments (one struct per command, unknown keys refused) and
//! the small parsers that turn their values into the core's types.

use crate::http::error::ApiError;
use crate::http::json::objects;
use crate::model::{Aspect, Axis, Cluster, Form};
use crate::session::{AspectRef, Choice, DueDate, FreeText, OrgId, Owner, ParticipantId};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NoArgs {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AnswerArgs {
    pub(super) axis: String,
    pub(super) pole: String,
    pub(super) strength: i64,
    #[serde(default)]
    pub(super) motivation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AxisArgs {
    pub(super) axis: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RevealArgs {
    #[serde(default)]
    pub(super) force: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SettingsArgs {
    pub(super) auto_reveal: Option<bool>,
    pub(super) new_organisations_allowed: Option<bool>,
    #[serde(default)]
    pub(super) time_zone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DecideArgs {
    pub(super) form: String,
    pub(super) rationale: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SplitArgs {
    #[serde(deserialize_with = "objects")]
    pub(super) tracks: Vec<TrackArgs>,
    pub(super) rationale: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TrackArgs {
    pub(super) name: String,
    pub(super) form: String,
    #[serde(default)]
    pub(super) organisations: Vec<OrgId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RespondArgs {
    pub(super) track: usize,
    pub(super) aspect: Aspect,
    pub(super) choice: String,
    #[serde(default)]
    pub(super) form: Option<Form>,
    #[serde(default)]
    pub(super) text: Option<String>,
    #[serde(default)]
    pub(super) comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RevealAspectsArgs {
    pub(super) track: usize,
    #[serde(default)]
    pub(super) aspect: Option<Aspect>,
    #[serde(default)]
    pub(super) cluster: Option<Cluster>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RationaleArgs {
    #[serde(default)]
    pub(super) axis: Option<String>,
    #[serde(default)]
    pub(super) track: Option<usize>,
    #[serde(default)]
    pub(super) aspect: Option<Aspect>,
    pub(super) text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AspectArgs {
    pub(super) track: usize,
    pub(super) aspect: Aspect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AgreeArgs {
    pub(super) track: usize,
    pub(super) aspect: Aspect,
    #[serde(default)]
    pub(super) proposal: Option<u32>,
    #[serde(default)]
    pub(super) text: Option<String>,
    #[serde(default)]
    pub(super) resembles: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ParkArgs {
    pub(super) track: usize,
    pub(super) aspect: Aspect,
    pub(super) reason: String,
    #[serde(default)]
    pub(super) owner: Option<OwnerArgs>,
    #[serde(default)]
    pub(super) due: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OpenItemArgs {
    pub(super) track: usize,
    pub(super) aspect: Aspect,
    #[serde(default)]
    pub(super) owner: Option<OwnerArgs>,
    #[serde(default)]
    pub(super) due: Option<String>,
}

/// `{"organisation": id}` or `{"participant": id}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OwnerArgs {
    #[serde(default)]
    pub(super) organisation: Option<OrgId>,
    #[serde(default)]
    pub(super) participant: Option<ParticipantId>,
}

pub(super) fn owner(raw: Option<OwnerArgs>) -> Result<Option<Owner>, ApiError> {
    match raw {
        None => Ok(None),
        Some(OwnerArgs {
            organisation: Some(o),
            participant: None,
        }) => Ok(Some(Owner::Organisation(o))),
        Some(OwnerArgs {
            organisation: None,
            participant: Some(p),
        }) => Ok(Some(Owner::Participant(p))),
        Some(_) => Err(ApiError {
            field: Some("owner"),
            ..ApiError::invalid_arguments(
                "owner names either an organisation or a participant: {\"organisation\": id} or {\"participant\": id}",
            )
        }),
    }
}

pub(super) fn due(raw: Option<&str>) -> Result<Option<DueDate>, ApiError> {
    match raw {
        Some(s) if !s.trim().is_empty() => Ok(Some(DueDate::parse(s)?)),
        _ => Ok(None),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GoalArgs {
    #[serde(default)]
    pub(super) organisation: Option<OrgId>,
    #[serde(default)]
    pub(super) text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AdvisorArgs {
    pub(super) organisation: OrgId,
    pub(super) advisor: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ApproveArgs {
    #[serde(default)]
    pub(super) track: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TimerArgs {
    pub(super) seconds: i64,
    #[serde(default)]
    pub(super) label: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RenameArgs {
    pub(super) organisation: OrgId,
    pub(super) name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MergeArgs {
    pub(super) from: OrgId,
    pub(super) into: OrgId,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RemoveArgs {
    pub(super) participant: ParticipantId,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NoteArgs {
    #[serde(default)]
    pub(super) track: Option<usize>,
    #[serde(default)]
    pub(super) cluster: Option<Cluster>,
    #[serde(default)]
    pub(super) aspect: Option<Aspect>,
    pub(super) text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FocusArgs {
    #[serde(default)]
    pub(super) track: Option<usize>,
    #[serde(default)]
    pub(super) cluster: Option<Cluster>,
    #[serde(default)]
    pub(super) aspect: Option<Aspect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ObjectArgs {
    pub(super) reason: String,
    #[serde(default, deserialize_with = "objects")]
    pub(super) aspects: Vec<AspectRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CloseArgs {
    #[serde(default)]
    pub(super) force: bool,
}

pub(super) fn choice(a: &RespondArgs) -> Result<Choice, ApiError> {
    let with_field = |field: &'static str, message: &str| ApiError {
        field: Some(field),
        ..ApiError::invalid_arguments(message)
    };
    match (a.choice.as_str(), a.form, a.text.as_deref()) {
        ("accept", None, None) => Ok(Choice::Accept),
        ("no_longer", None, None) => Ok(Choice::NoLonger),
        ("other_form", Some(form), None) => Ok(Choice::OtherForm { form }),
        ("own", None, Some(text)) => Ok(Choice::Own {
            text: FreeText::parse("text", text)?,
        }),
        ("other_form", None, _) => Err(with_field(
            "form",
            "choose the form whose principle you take",
        )),
        ("own", _, None) => Err(with_field("text", "write your own text")),
        ("accept" | "other_form" | "own" | "no_longer", _, _) => Err(with_field(
            "choice",
            "accept and no_longer take no form or text, other_form a form, own a text",
        )),
        _ => Err(with_field(
            "choice",
            "choose accept, other_form, own or no_longer",
        )),
    }
}

pub(super) fn axis(raw: &str) -> Result<Axis, ApiError> {
    Axis::parse(raw).ok_or_else(|| ApiError {
        field: Some("axis"),
        ..ApiError::invalid_arguments(format!("unknown axis '{raw}' (intent or nature)"))
    })
}

pub(super) fn form(raw: &str) -> Result<Form, ApiError> {
    Form::parse(raw).ok_or_else(|| ApiError {
        field: Some("form"),
        ..ApiError::invalid_arguments(format!(
            "unknown form '{raw}' (transactional, functional, entrepreneurial or exploratory)"
        ))
    })
}

/// The aspects a reveal or preview names: one aspect, or one cluster's.
pub(super) fn aspects_named(a: &RevealAspectsArgs) -> Result<Vec<Aspect>, ApiError> {
    match (a.aspect, a.cluster) {
        (Some(aspect), None) => Ok(vec![aspect]),
        (None, Some(cluster)) => Ok(cluster.aspects().to_vec()),
        _ => Err(ApiError::invalid_arguments(
            "name either one aspect or one cluster",
        )),
    }
}
