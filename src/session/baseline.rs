//! A follow-up session's baseline: what a closed session (design or diagnosis) ended with, taken
//! once when the follow-up is created and kept in its first event. The same organisations
//! come back (their representatives are invited anew), the aspects agreed become the starting
//! proposals, and the forms everyone stood in are what drift is measured against.

use super::diagnosis::{Mode, Subject};
use super::ids::OrgId;
use crate::model::{Aspect, Form, Lang};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The closed session a follow-up starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// The earlier session's id.
    pub session: String,
    pub title: String,
    pub mode: Mode,
    /// A diagnosis's subject: a follow-up diagnosis reads the same unless asked otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    /// Its language: a follow-up speaks it unless asked otherwise.
    pub language: Lang,
    pub closed_at: DateTime<Utc>,
    /// The earlier record's content hash: the baseline is that record.
    pub content_hash: String,
    /// Its organisations, each with the id it has in the follow-up.
    pub organisations: Vec<BaselineOrg>,
    /// The form the partners agreed on or intended (none when they split or did not agree).
    pub intended: Option<Form>,
    /// A design's tracks with the aspects agreed in them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<BaselineTrack>,
    /// A diagnosis's profile: per aspect revealed, the form it belonged to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<ProfileForm>,
    /// The sessions before this one, oldest first, ending with the baseline itself: the series
    /// whose positions can be viewed over time.
    pub series: Vec<SeriesPoint>,
}

/// An organisation of the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineOrg {
    /// Its id in the follow-up (a new one: ids are per session).
    pub organisation: OrgId,
    pub name: String,
    pub advisor: bool,
    /// The form its positions shared in the last round (none: it did not answer, or its
    /// representatives stood apart).
    pub form: Option<Form>,
}

/// A design track of the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineTrack {
    pub name: String,
    pub form: Form,
    /// The aspects agreed, in the model's order.
    pub aspects: Vec<Carried>,
}

/// An aspect agreed in the baseline: the follow-up's starting proposal for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carried {
    pub aspect: Aspect,
    pub text: String,
    /// The form the text belongs to (its principle's, or the one the facilitator judged).
    pub form: Option<Form>,
}

/// The form one aspect belonged to in a diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub aspect: Aspect,
    pub form: Option<Form>,
}

/// One session of a series: where each organisation stood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesPoint {
    pub session: String,
    pub title: String,
    pub closed_at: DateTime<Utc>,
    pub organisations: Vec<SeriesOrg>,
}

/// An organisation in a session of a series, by name (ids are per session).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesOrg {
    pub name: String,
    pub form: Option<Form>,
}

impl Baseline {
    /// The baseline's organisation that is `organisation` in the follow-up.
    pub fn organisation(&self, organisation: OrgId) -> Option<&BaselineOrg> {
        self.organisations
            .iter()
            .find(|o| o.organisation == organisation)
    }

    /// The baseline track whose agreed aspects a follow-up track starts from: the one with the
    /// same name, else the one with the same form, else the only one.
    pub fn track_for(&self, name: &str, form: Form) -> Option<&BaselineTrack> {
        self.tracks
            .iter()
            .find(|t| t.name == name)
            .or_else(|| self.tracks.iter().find(|t| t.form == form))
            .or_else(|| (self.tracks.len() == 1).then(|| &self.tracks[0]))
    }
}
