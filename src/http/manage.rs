//! What a facilitator does with a session's secrets and data over HTTP (the answers carry
//! secrets, which a WebSocket ack cannot): a person's new link, the co-facilitator key, the
//! board links, and deleting the session.

use super::AppState;
use super::auth::{Bearer, Token};
use super::error::ApiError;
use super::extract::SessionPath;
use crate::live::Secrets;
use crate::session::{Command, ParticipantId, SessionId};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A new link for a person.
#[derive(Serialize)]
pub struct Reissued {
    participant_id: ParticipantId,
    token: String,
    link: String,
}

/// `POST /api/sessions/{id}/participants/{participant}/link`: a facilitator gives a person a
/// new link, for a lost phone or a closed tab. The old link stops working at once (its
/// connections close with 4004); the person keeps their id, answers and organisation.
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn reissue_link(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    Path((_, raw)): Path<(String, String)>,
    headers: HeaderMap,
    who: Bearer,
) -> Result<Json<Reissued>, ApiError> {
    let by = who.for_session(session)?;
    let participant = ParticipantId::from_str(&raw)
        .map_err(|_| ApiError::from(crate::session::Rejection::UnknownParticipant))?;
    let token = Token::generate();
    app.registry
        .command(
            session,
            Some(by),
            None,
            Command::ReissueLink { participant },
            Secrets {
                tokens: vec![(token.hash(), participant)],
                invite: None,
            },
        )
        .await?;
    tracing::info!(participant_id = %participant, "link reissued");
    Ok(Json(Reissued {
        participant_id: participant,
        link: personal_link(&app, &headers, session, &token),
        token: token.reveal().to_owned(),
    }))
}

/// A person's own link into a session.
pub(super) fn personal_link(
    app: &AppState,
    headers: &HeaderMap,
    session: SessionId,
    token: &Token,
) -> String {
    format!(
        "{}/session/{session}#token={}",
        app.base_url(headers),
        token.reveal()
    )
}

/// The co-facilitator link of a session.
pub(super) fn cofacilitator_link(
    app: &AppState,
    headers: &HeaderMap,
    session: SessionId,
    key: &Token,
) -> String {
    format!(
        "{}/facilitate/{session}#key={}",
        app.base_url(headers),
        key.reveal()
    )
}

/// A new co-facilitator key.
#[derive(Serialize)]
pub struct NewKey {
    cofacilitator_link: String,
}

/// `POST /api/sessions/{id}/facilitator-key`: a new co-facilitator link; the old one stops
/// working.
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn replace_key(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    headers: HeaderMap,
    who: Bearer,
) -> Result<Json<NewKey>, ApiError> {
    let by = who.for_session(session)?;
    let key = Token::generate();
    app.registry
        .command(
            session,
            Some(by),
            None,
            Command::ReplaceFacilitatorKey,
            Secrets {
                tokens: Vec::new(),
                invite: Some(key.hash()),
            },
        )
        .await?;
    Ok(Json(NewKey {
        cofacilitator_link: cofacilitator_link(&app, &headers, session, &key),
    }))
}

/// `DELETE /api/sessions/{id}/facilitator-key`: no co-facilitator link at all until a new one
/// is made.
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn revoke_key(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    who: Bearer,
) -> Result<StatusCode, ApiError> {
    let by = who.for_session(session)?;
    app.registry
        .command(
            session,
            Some(by),
            None,
            Command::RevokeFacilitatorKey,
            Secrets::default(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BoardLinkBody {
    label: String,
}

/// A new board link.
#[derive(Serialize)]
pub struct BoardLink {
    observer_id: ParticipantId,
    label: String,
    token: String,
    link: String,
}

/// `POST /api/sessions/{id}/board-links`: a read-only link for the projector or an observer.
/// Its token opens the board view: it sees what everyone may see, sends nothing, and counts
/// as nobody.
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn create_board_link(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    headers: HeaderMap,
    who: Bearer,
    body: Bytes,
) -> Result<(StatusCode, Json<BoardLink>), ApiError> {
    let by = who.for_session(session)?;
    let body: BoardLinkBody = ApiError::parse(&body)?;
    let label = crate::session::Name::parse("label", &body.label)?;
    let observer = ParticipantId::new_random();
    let token = Token::generate();
    app.registry
        .command(
            session,
            Some(by),
            None,
            Command::CreateBoardLink {
                observer,
                label: label.clone(),
            },
            Secrets {
                tokens: vec![(token.hash(), observer)],
                invite: None,
            },
        )
        .await?;
    tracing::info!(observer_id = %observer, "board link made");
    Ok((
        StatusCode::CREATED,
        Json(BoardLink {
            observer_id: observer,
            label: label.as_str().to_owned(),
            link: format!(
                "{}/board/{session}#token={}",
                app.base_url(&headers),
                token.reveal()
            ),
            token: token.reveal().to_owned(),
        }),
    ))
}

/// `DELETE /api/sessions/{id}/board-links/{observer}`: the link stops working at once and its
/// screens close (4006).
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn revoke_board_link(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    Path((_, raw)): Path<(String, String)>,
    who: Bearer,
) -> Result<StatusCode, ApiError> {
    let by = who.for_session(session)?;
    let observer = ParticipantId::from_str(&raw)
        .map_err(|_| ApiError::from(crate::session::Rejection::UnknownBoardLink))?;
    app.registry
        .command(
            session,
            Some(by),
            None,
            Command::RevokeBoardLink { observer },
            Secrets::default(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeleteBody {
    confirm: String,
}

/// `DELETE /api/sessions/{id}`: a facilitator deletes the session and all its personal data,
/// confirming with the session's title. Everyone's connection closes (4005); only the note
/// that the session was deleted stays. An exported record still verifies.
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn delete_session(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    who: Bearer,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let by = who.for_session(session)?;
    let body: DeleteBody = ApiError::parse(&body)?;
    app.registry
        .delete(session, Some(by), Some(body.confirm))
        .await?;
    tracing::info!("session deleted by a facilitator");
    Ok(StatusCode::NO_CONTENT)
}
