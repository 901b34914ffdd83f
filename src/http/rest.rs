//! The HTTP endpoints: create a session, read its public facts, join it, the model, health.

use super::AppState;
use super::auth::{Token, hashes_match};
use super::codes;
use super::error::ApiError;
use super::extract::{ClientIp, SessionPath};
use super::manage::{cofacilitator_link, personal_link};
use crate::live::{LiveError, Secrets};
use crate::model::Lang;
use crate::session::baseline::Baseline;
use crate::session::{
    Command, Create, Join, Mode, Name, OrgChoice, OrgId, ParticipantId, SessionId, SessionInfo,
    Subject, TimeZoneName, Title,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    title: String,
    facilitator_name: String,
    #[serde(default)]
    create_key: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    auto_reveal: bool,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    /// A follow-up of this closed session (with a facilitator's token of it).
    #[serde(default)]
    follow_up: Option<String>,
}

/// The answer to creating a session.
#[derive(Serialize)]
pub struct Created {
    session_id: SessionId,
    participant_id: ParticipantId,
    token: String,
    facilitator_link: String,
    cofacilitator_link: String,
    join_link: String,
    join_code: String,
    join_short_link: String,
}

/// The server's own time zone, the default of a session's: the system's IANA zone, or UTC
/// when the system does not say (or names one this build does not know).
fn server_time_zone() -> TimeZoneName {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| TimeZoneName::parse(&name).ok())
        .unwrap_or_else(|| TimeZoneName::parse("UTC").expect("UTC is a time zone"))
}

/// A new session's mode (design unless asked) and, for a diagnosis, what it reads.
fn mode_and_subject(
    mode: Option<&str>,
    subject: Option<&str>,
) -> Result<(Mode, Subject), ApiError> {
    let mode = match mode {
        None | Some("design") => Mode::Design,
        Some("diagnosis") => Mode::Diagnosis,
        Some(other) => {
            return Err(ApiError {
                field: Some("mode"),
                ..ApiError::invalid_arguments(format!(
                    "unknown mode '{other}' (design or diagnosis)"
                ))
            });
        }
    };
    let subject = match (mode, subject) {
        (_, None) => Subject::Practice,
        (Mode::Diagnosis, Some("practice")) => Subject::Practice,
        (Mode::Diagnosis, Some("plan")) => Subject::Plan,
        (Mode::Design, Some(_)) => {
            return Err(ApiError {
                field: Some("subject"),
                ..ApiError::invalid_arguments("a subject is only for a diagnosis (mode diagnosis)")
            });
        }
        (Mode::Diagnosis, Some(other)) => {
            return Err(ApiError {
                field: Some("subject"),
                ..ApiError::invalid_arguments(format!(
                    "unknown subject '{other}' (practice or plan)"
                ))
            });
        }
    };
    Ok((mode, subject))
}

/// How often creating tries another join code when the one it drew is taken.
const CODE_TRIES: usize = 8;

/// `POST /api/sessions`: creates a session with its first facilitator, who gets the only
/// copy of their token in the answer.
#[tracing::instrument(skip_all)]
pub async fn create_session(
    State(app): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let body: CreateBody = ApiError::parse(&body)?;
    app.guards.check_create_key(body.create_key.as_deref())?;
    let baseline = match body.follow_up.as_deref() {
        None => None,
        Some(raw) => Some(Box::new(follow_up(&app, &headers, raw).await?)),
    };
    let language = match body.language.as_deref() {
        // A follow-up speaks the language of the session it follows, unless asked otherwise.
        None => baseline.as_ref().map_or(Lang::En, |b| b.language),
        Some(raw) => Lang::parse(raw).ok_or_else(|| ApiError {
            field: Some("language"),
            ..ApiError::invalid_arguments(format!("unknown language '{raw}' (en or nl)"))
        })?,
    };
    // A follow-up is of the same kind as the session it follows (a diagnosis of the same
    // subject), unless asked otherwise.
    let mode_raw = body
        .mode
        .as_deref()
        .or(baseline.as_ref().map(|b| b.mode.id()));
    let inherited = baseline
        .as_ref()
        .filter(|_| mode_raw == Some("diagnosis"))
        .and_then(|b| b.subject)
        .map(|s| s.id());
    let (mode, subject) = mode_and_subject(mode_raw, body.subject.as_deref().or(inherited))?;
    let session = SessionId::new_random();
    let facilitator = ParticipantId::new_random();
    let create = Create {
        title: Title::parse(&body.title)?,
        language,
        facilitator,
        facilitator_name: Name::parse("facilitator_name", &body.facilitator_name)?,
        auto_reveal: body.auto_reveal,
        join_code: None,
        time_zone: Some(match body.time_zone.as_deref() {
            Some(raw) => TimeZoneName::parse(raw)?,
            None => server_time_zone(),
        }),
        mode,
        subject,
        baseline,
    };
    // Only a request that would create a session uses up the client's allowance.
    app.guards.take_creation(client)?;
    let token = Token::generate();
    // The facilitator link lets co-facilitators join; like a token, it is stored hashed.
    let invite = Token::generate();
    // A code another open session has is refused by the store; then draw again.
    let mut tries = 0;
    let code = loop {
        let code = codes::generate();
        let command = Command::Create(Create {
            join_code: Some(code.clone()),
            ..create.clone()
        });
        let secrets = Secrets {
            tokens: vec![(token.hash(), facilitator)],
            invite: Some(invite.hash()),
        };
        match app.registry.create(session, command, secrets).await {
            Ok(_) => break code,
            Err(LiveError::CodeTaken) if tries < CODE_TRIES => tries += 1,
            Err(e) => return Err(e.into()),
        }
    };
    tracing::info!(session_id = %session, "session created");
    Ok((
        StatusCode::CREATED,
        Json(Created {
            session_id: session,
            participant_id: facilitator,
            facilitator_link: personal_link(&app, &headers, session, &token),
            cofacilitator_link: cofacilitator_link(&app, &headers, session, &invite),
            join_link: format!("{}/join/{session}", app.base_url(&headers)),
            join_short_link: codes::short_link(&app, &headers, &code),
            join_code: code,
            token: token.reveal().to_owned(),
        }),
    ))
}

/// The baseline for a follow-up of session `raw`, for the facilitator of it whose token the
/// request carries (`Authorization: Bearer`).
async fn follow_up(app: &AppState, headers: &HeaderMap, raw: &str) -> Result<Baseline, ApiError> {
    let earlier: SessionId = std::str::FromStr::from_str(raw).map_err(|_| ApiError {
        field: Some("follow_up"),
        ..ApiError::invalid_arguments("follow_up is the id of the session to follow up")
    })?;
    let bearer = super::auth::bearer(app, headers).await?;
    let viewer = bearer.for_session(earlier)?;
    Ok(app.registry.baseline(earlier, viewer).await?)
}

/// `GET /api/sessions/{id}`: what the join page needs.
pub async fn session_info(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
) -> Result<Json<SessionInfo>, ApiError> {
    Ok(Json(app.registry.info(session).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JoinBody {
    name: String,
    #[serde(default)]
    organisation_id: Option<String>,
    #[serde(default)]
    organisation_name: Option<String>,
}

/// The answer to joining.
#[derive(Serialize)]
pub struct Joined {
    session_id: SessionId,
    participant_id: ParticipantId,
    organisation_id: Option<OrgId>,
    token: String,
    link: String,
}

/// `POST /api/sessions/{id}/join`: a representative joins for an organisation and gets the
/// only copy of their token.
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn join(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Joined>), ApiError> {
    let body: JoinBody = ApiError::parse(&body)?;
    let name = Name::parse("name", &body.name)?;
    let organisation = match (
        body.organisation_id.as_deref(),
        body.organisation_name.as_deref(),
    ) {
        (Some(raw), None) => OrgChoice::Existing(
            OrgId::from_str(raw)
                .map_err(|_| ApiError::from(crate::session::Rejection::UnknownOrganisation))?,
        ),
        (None, Some(raw)) => OrgChoice::New {
            id: OrgId::new_random(),
            name: Name::parse("organisation_name", raw)?,
        },
        _ => {
            return Err(ApiError {
                field: Some("organisation"),
                ..ApiError::invalid_arguments(
                    "give either organisation_id (one from the list) or organisation_name (a new one)",
                )
            });
        }
    };
    let organisation_id = match &organisation {
        OrgChoice::Existing(id) | OrgChoice::New { id, .. } => *id,
    };
    let participant = ParticipantId::new_random();
    let command = Command::Join(Join {
        participant,
        name,
        organisation,
    });
    let joined = admit(&app, &headers, session, participant, command).await?;
    tracing::info!(participant_id = %participant, "representative joined");
    Ok((
        StatusCode::CREATED,
        Json(Joined {
            organisation_id: Some(organisation_id),
            ..joined
        }),
    ))
}

/// Admits a new person with a token of their own: the token's hash is stored with the join's
/// events, and only the person ever sees the token itself.
async fn admit(
    app: &AppState,
    headers: &HeaderMap,
    session: SessionId,
    participant: ParticipantId,
    command: Command,
) -> Result<Joined, ApiError> {
    let token = Token::generate();
    app.registry
        .command(
            session,
            None,
            None,
            command,
            Secrets {
                tokens: vec![(token.hash(), participant)],
                invite: None,
            },
        )
        .await?;
    Ok(Joined {
        session_id: session,
        participant_id: participant,
        organisation_id: None,
        link: personal_link(app, headers, session, &token),
        token: token.reveal().to_owned(),
    })
}

/// What a client may know of the server before it does anything: whether creating a session
/// needs a key, and the limits it keeps.
#[derive(Serialize)]
pub struct ServerInfo {
    version: &'static str,
    create_key_required: bool,
    limits: LimitsInfo,
}

#[derive(Serialize)]
struct LimitsInfo {
    max_participants: usize,
    max_organisations: usize,
    max_board_links: usize,
    max_actions: usize,
    max_proposals: usize,
    ping_interval_secs: u64,
    stale_after_secs: u64,
    create_per_minute: u32,
    create_burst: u32,
    commands_per_second: u32,
    command_burst: u32,
    max_message_bytes: usize,
}

/// `GET /api/server`: the facts of this server a client may need up front.
pub async fn server_info(State(app): State<AppState>) -> Json<ServerInfo> {
    let c = &app.config;
    let limits = c.limits();
    Json(ServerInfo {
        version: env!("CARGO_PKG_VERSION"),
        create_key_required: app.guards.create_key_required(),
        limits: LimitsInfo {
            max_participants: limits.max_participants,
            max_organisations: limits.max_organisations,
            max_board_links: limits.max_board_links,
            max_actions: limits.max_actions,
            max_proposals: limits.max_proposals,
            ping_interval_secs: c.ping_interval().as_secs(),
            stale_after_secs: c.stale_after().as_secs(),
            create_per_minute: c.create_per_minute,
            create_burst: c.create_burst,
            commands_per_second: c.commands_per_second,
            command_burst: c.command_burst,
            max_message_bytes: super::ws::MAX_MESSAGE_BYTES,
        },
    })
}

/// `GET /healthz`: 200 while the database answers, 503 when it does not, so that a load
/// balancer takes a node out of rotation.
pub async fn healthz(State(app): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    match app.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({
                "status": "ok",
                "database": "ok",
                "active_sessions": app.registry.active_sessions(),
            })),
        ),
        Err(e) => {
            tracing::error!(error = ?e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
            )
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FacilitatorBody {
    key: String,
    name: String,
}

/// `POST /api/sessions/{id}/facilitators`: a co-facilitator joins with the facilitator link's
/// key and gets a personal token.
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn join_facilitator(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Joined>), ApiError> {
    let body: FacilitatorBody = ApiError::parse(&body)?;
    let refused = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unknown_key",
            "this facilitator link is not valid for this session",
        )
    };
    let key = Token::parse(&body.key).ok_or_else(refused)?;
    let hash = key.hash();
    let (invited, stored) = app
        .store
        .invite_session(&hash)
        .await
        .map_err(|e| ApiError::from(LiveError::Internal(e)))?
        .ok_or_else(refused)?;
    if invited != session || !hashes_match(&stored, &hash) {
        return Err(refused());
    }
    let name = Name::parse("name", &body.name)?;
    let participant = ParticipantId::new_random();
    let command = Command::JoinFacilitator { participant, name };
    let joined = admit(&app, &headers, session, participant, command).await?;
    tracing::info!(participant_id = %participant, "facilitator joined");
    Ok((StatusCode::CREATED, Json(joined)))
}

/// `GET /api/sessions/{id}/join-qr.svg`: the join link as a QR code, for the projector. Drawn
/// here so that the page needs no library and works on a closed network.
pub async fn join_qr(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    // Only for sessions that exist: the info request loads (or finds) it. The short link makes
    // a smaller code, with larger squares: readable from further away.
    let info = app.registry.info(session).await?;
    let link = match &info.join_code {
        Some(code) => codes::short_link(&app, &headers, code),
        None => format!("{}/join/{session}", app.base_url(&headers)),
    };
    let code = qrcode::QrCode::new(link.as_bytes())
        .map_err(|e| ApiError::internal(anyhow::anyhow!("drawing the QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        svg,
    )
        .into_response())
}
