//! The record of a session: rendered from its event log alone, so the same log always gives the
//! same record. One data structure (`Record`, the versioned JSON schema in
//! docs/record.schema.json) and three renderings of it: JSON, Markdown and print-ready HTML,
//! each carrying the SHA-256 hash of the canonical JSON.

mod build;
mod canonical;
mod diagnosis;
mod followup;
mod html;
mod layout;
mod markdown;
#[cfg(feature = "pdf")]
mod pdf;

pub use build::build;
pub use canonical::{VerifyError, content_hash, to_canonical_json, verify};
pub use diagnosis::{
    ActionEntry, DiagnosisAspectEntry, DiagnosisEntry, OrgProfileEntry, PlacementEntry,
};
pub use followup::{
    BaselineRef, EntrantEntry, FollowUpEntry, MoveEntry, OrgDriftEntry, ProfileMoveEntry,
    RecheckEntry, SeriesEntry, SeriesOrgEntry,
};
pub use html::{render_html, style_hash};
pub use markdown::render_markdown;

use crate::model::{Aspect, Cluster, Form, Lang};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The schema this code writes.
pub const SCHEMA: &str = "grondvorm.record/2";

/// The formats a record can be rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    /// JSON (the schema in docs/record.schema.json).
    Json,
    /// HTML, clean when printed to PDF from a browser.
    Html,
    /// PDF, made on the server (the `pdf` feature).
    Pdf,
}

impl Format {
    /// Parses `md`, `json`, `html` or `pdf`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "md" | "markdown" => Some(Format::Md),
            "json" => Some(Format::Json),
            "html" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The HTTP content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Md => "text/markdown; charset=utf-8",
            Format::Json => "application/json",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }

    /// The file extension a download of this format gets.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Json => "json",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// Why a record could not be rendered: only a PDF can fail, and only for want of the feature
/// or by a fault of ours, never because of what people wrote.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(
        "this server was built without PDF support (the `pdf` feature); ask for html and print it"
    )]
    PdfNotBuilt,
    #[error("{0}")]
    Pdf(String),
}

/// The JSON Schema of the record (docs/record.schema.json is this, written out by a test).
pub fn json_schema() -> String {
    let mut schema = serde_json::to_value(schemars::schema_for!(Record)).unwrap_or_default();
    if let Some(map) = schema.as_object_mut() {
        map.insert("$id".into(), serde_json::json!(SCHEMA));
    }
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Renders a record in a format, with its hash.
pub fn render(record: &Record, format: Format) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Json => to_canonical_json(record, true).into_bytes(),
        Format::Md => render_markdown(record).into_bytes(),
        Format::Html => render_html(record).into_bytes(),
        Format::Pdf => render_pdf(record, &record.title, layout::layout(record))?,
    })
}

/// Renders the agenda of the next meeting, made from the record: what remains to discuss. It
/// is a document to read, so it has no JSON (`None`).
pub fn render_agenda(record: &Record, format: Format) -> Option<Result<Vec<u8>, RenderError>> {
    let title = layout::agenda_title(record);
    let blocks = layout::agenda(record);
    Some(Ok(match format {
        Format::Json => return None,
        Format::Md => markdown::markdown_of(blocks).into_bytes(),
        Format::Html => html::html_of(record, &title, blocks).into_bytes(),
        Format::Pdf => return Some(render_pdf(record, &title, blocks)),
    }))
}

#[cfg(feature = "pdf")]
fn render_pdf(
    record: &Record,
    title: &str,
    blocks: Vec<layout::Block>,
) -> Result<Vec<u8>, RenderError> {
    pdf::pdf_of(record, title, blocks).map_err(|e| RenderError::Pdf(e.to_string()))
}

#[cfg(not(feature = "pdf"))]
fn render_pdf(_: &Record, _: &str, _: Vec<layout::Block>) -> Result<Vec<u8>, RenderError> {
    Err(RenderError::PdfNotBuilt)
}

/// A download's file name: the session's title as ASCII letters, digits and dashes (a header
/// carries it), and the day
/// (the record's last day, in its time zone) — "sell-and-lease-back-2026-11-24.pdf".
pub fn file_name(record: &Record, format: Format) -> String {
    named(record, format, "")
}

/// The agenda's file name: "sell-and-lease-back-agenda-2026-11-24.md".
pub fn agenda_file_name(record: &Record, format: Format) -> String {
    named(record, format, "-agenda")
}

fn named(record: &Record, format: Format, kind: &str) -> String {
    let mut slug = String::new();
    for c in record.title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    if slug.is_empty() {
        slug.push_str("grondvorm");
    }
    let tz: chrono_tz::Tz = record.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let day = record
        .closed_at
        .unwrap_or(record.created_at)
        .with_timezone(&tz)
        .format("%Y-%m-%d");
    format!(
        "{}{kind}-{day}.{}",
        slug.trim_end_matches('-'),
        format.extension()
    )
}

/// The whole record of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Record {
    /// Always [`SCHEMA`]: the version of this format, so that a reader can tell a newer one.
    pub schema: String,
    /// "draft" until the session is closed, then "final".
    pub status: RecordStatus,
    pub session_id: String,
    pub title: String,
    /// The language of the texts in this record.
    pub language: Lang,
    /// When the session was created.
    pub created_at: DateTime<Utc>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The IANA time zone the renderings show times in (the JSON keeps UTC).
    pub time_zone: String,
    /// The partners' joint goal for the collaboration, as stated.
    pub joint_goal: Option<String>,
    /// The last event the record includes.
    pub last_seq: u64,
    pub facilitators: Vec<Person>,
    /// The organisations with their representatives.
    pub organisations: Vec<OrganisationEntry>,
    /// Every positioning round, once revealed.
    pub rounds: Vec<RoundEntry>,
    /// How each disagreement was resolved.
    pub resolutions: Vec<ResolutionEntry>,
    /// Per track, the design.
    pub tracks: Vec<TrackEntry>,
    /// Approvals of the (last) review.
    pub approvals: Vec<ApprovalEntry>,
    pub objections: Vec<ObjectionEntry>,
    /// How the session was closed.
    pub closure: Option<ClosureEntry>,
    pub notes: Vec<NoteEntry>,
    /// What a diagnosis session found; absent for a design session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<DiagnosisEntry>,
    /// A follow-up against the session it follows; absent for a session that follows none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUpEntry>,
    /// SHA-256 of the canonical JSON of everything else, as "sha256:<hex>".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_hash: String,
}

/// Draft (the session is still open, anything may change) or final (closed and frozen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// The session is not closed: this may still change.
    Draft,
    /// The session is closed: this is the agreed record.
    Final,
}

/// A person, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Person {
    pub id: String,
    pub name: String,
    /// Removed by a facilitator during the session.
    pub removed: bool,
}

/// An organisation and who represented it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OrganisationEntry {
    pub id: String,
    pub name: String,
    /// The organisation it was merged into, by name.
    pub merged_into: Option<String>,
    /// It took part as an advisor: in the conversation, not in the forms, gate or approvals.
    pub advisor: bool,
    /// Its own goal for the collaboration, as it stated it.
    pub goal: Option<String>,
    pub representatives: Vec<Person>,
}

/// One answer on one axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AxisEntry {
    pub pole: String,
    pub label: String,
    /// How sure the representative was: 1 (a little), 2 (fairly), 3 (very).
    pub strength: u8,
    pub motivation: Option<String>,
}

/// One representative's position in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PositionEntry {
    pub participant: String,
    pub organisation: String,
    pub intent: Option<AxisEntry>,
    pub nature: Option<AxisEntry>,
    pub form: Option<Form>,
}

/// Where an organisation stood in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StandingEntry {
    pub organisation: String,
    /// Its form, when its representatives agree.
    pub form: Option<Form>,
    pub split: bool,
}

/// A disagreement between two forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DisagreementEntry {
    pub a: Form,
    pub a_organisations: Vec<String>,
    pub b: Form,
    pub b_organisations: Vec<String>,
    pub explanation: String,
}

/// A revealed positioning round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoundEntry {
    pub round: u32,
    /// When it was revealed.
    pub revealed_at: DateTime<Utc>,
    /// Revealed before everyone answered.
    pub forced: bool,
    /// Revealed by the server on the last answer.
    pub automatic: bool,
    /// Who had not answered.
    pub missing: Vec<String>,
    pub positions: Vec<PositionEntry>,
    pub standings: Vec<StandingEntry>,
    /// Axes on which representatives differed.
    pub axes_in_dispute: Vec<String>,
    /// Per pair of forms.
    pub disagreements: Vec<DisagreementEntry>,
    /// The form everyone shared, if any.
    pub agreed: Option<Form>,
}

/// How a disagreement was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResolutionEntry {
    /// "new_round", "decided" or "split".
    pub kind: String,
    /// The round it resolved.
    pub round: u32,
    pub at: DateTime<Utc>,
    pub by: Option<String>,
    pub form: Option<Form>,
    pub rationale: Option<String>,
    /// Organisations that dissented from the decision.
    pub dissenting: Vec<String>,
    /// The tracks of a split: "name (form)".
    pub tracks: Vec<String>,
}

/// One response to an aspect, as revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResponseEntry {
    pub participant: String,
    pub organisation: String,
    /// "accept", "other_form", "own", or in a follow-up "no_longer".
    pub choice: String,
    /// The text it stands for.
    pub text: String,
    /// The form that text belongs to.
    pub form: Option<Form>,
    pub comment: Option<String>,
}

/// A mixing warning: a choice of another form's principle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MixingEntry {
    /// Who chose it (organisation).
    pub organisation: String,
    /// Who chose it (person).
    pub participant: String,
    pub track_form: Form,
    /// The form of the chosen principle.
    pub chosen_form: Form,
}

/// One revealed round of an aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AspectRoundEntry {
    pub round: u32,
    pub responses: Vec<ResponseEntry>,
    pub disagreement: bool,
    /// Choices of another form's principle.
    pub mixing: Vec<MixingEntry>,
}

/// One aspect of a track's design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AspectEntry {
    pub aspect: Aspect,
    pub cluster: Cluster,
    pub label: String,
    pub question: String,
    /// The model's principle for the track's form: the starting proposal.
    pub proposal: String,
    /// "open", "revealed", "agreed" or "parked".
    pub status: String,
    pub agreed_text: Option<String>,
    /// The form the agreed text matches.
    pub matches: Option<Form>,
    /// For an agreed text of the facilitator's own: the form they judged it to resemble.
    pub resembles: Option<Form>,
    /// The agreed text belongs to another form than the track's.
    pub mixing_warning: bool,
    /// Organisations whose responses differed from the agreed text.
    pub dissenting: Vec<String>,
    /// Why it was parked.
    pub parked_reason: Option<String>,
    /// While not agreed: who takes it up ("organisation" or "person (organisation)").
    pub owner: Option<String>,
    /// By when.
    pub due: Option<chrono::NaiveDate>,
    pub rounds: Vec<AspectRoundEntry>,
}

/// One track's design: its form and where each of its 13 aspects ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TrackEntry {
    pub name: String,
    pub form: Form,
    /// The organisations taking part (all, when the track names none).
    pub organisations: Vec<String>,
    pub aspects: Vec<AspectEntry>,
    /// Aspects not yet agreed nor parked: the design is partial there.
    pub open: Vec<Aspect>,
    pub parked: Vec<Aspect>,
}

/// An organisation's approval of the draft, with who gave it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApprovalEntry {
    pub organisation: String,
    /// The tracks it approved with this, by name.
    pub tracks: Vec<String>,
    pub at: DateTime<Utc>,
    pub by: Option<String>,
}

/// An organisation's objection, with its reason and the aspects it named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ObjectionEntry {
    pub organisation: String,
    pub reason: String,
    /// The aspects it reopened: "track: aspect".
    pub aspects: Vec<String>,
    pub at: DateTime<Utc>,
    pub by: Option<String>,
}

/// How the session was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClosureEntry {
    pub at: DateTime<Utc>,
    pub by: Option<String>,
    /// Without every organisation's approval.
    pub forced: bool,
    /// Organisations that had not approved.
    pub not_approved: Vec<String>,
}

/// A facilitator's note, with the step and phase it was made in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NoteEntry {
    pub at: DateTime<Utc>,
    pub by: Option<String>,
    pub phase: String,
    /// The step, in words.
    pub about: String,
    pub text: String,
}
