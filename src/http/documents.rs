//! The documents made from a session's record, for anyone in it (their token as a Bearer
//! header): the record itself (`GET /api/sessions/{id}/record`) and the agenda of the next
//! meeting (`GET /api/sessions/{id}/agenda`).

use super::AppState;
use super::error::ApiError;
use super::extract::SessionPath;
use crate::record::{Format, RenderError};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct FormatQuery {
    #[serde(default)]
    format: Option<String>,
}

/// `GET /api/sessions/{id}/record?format=md|json|html|pdf`.
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn record(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    Query(query): Query<FormatQuery>,
    who: super::auth::Bearer,
) -> Result<Response, ApiError> {
    let reader = who.for_session(session)?;
    let format = format(
        query.format.as_deref().unwrap_or("json"),
        "md, json, html or pdf",
    )?;
    let record = app.registry.record(session, reader).await?;
    let filename = crate::record::file_name(&record, format);
    let body = off_the_runtime(move || crate::record::render(&record, format)).await?;
    Ok(respond(format, &filename, body))
}

/// `GET /api/sessions/{id}/agenda?format=md|html|pdf`: the aspects as the checklist of the
/// next meeting, what remains to discuss first.
#[tracing::instrument(skip_all, fields(session_id = %session))]
pub async fn agenda(
    State(app): State<AppState>,
    SessionPath(session): SessionPath,
    Query(query): Query<FormatQuery>,
    who: super::auth::Bearer,
) -> Result<Response, ApiError> {
    let reader = who.for_session(session)?;
    let format = format(query.format.as_deref().unwrap_or("md"), "md, html or pdf")?;
    if format == Format::Json {
        return Err(ApiError {
            field: Some("format"),
            ..ApiError::invalid_arguments(
                "the agenda is a document to read: md, html or pdf (the record has the JSON)",
            )
        });
    }
    let record = app.registry.record(session, reader).await?;
    let filename = crate::record::agenda_file_name(&record, format);
    let body = off_the_runtime(move || {
        crate::record::render_agenda(&record, format).unwrap_or(Err(RenderError::PdfNotBuilt))
    })
    .await?;
    Ok(respond(format, &filename, body))
}

fn format(raw: &str, which: &str) -> Result<Format, ApiError> {
    Format::parse(raw).ok_or_else(|| ApiError {
        field: Some("format"),
        ..ApiError::invalid_arguments(format!("unknown format '{raw}' ({which})"))
    })
}

/// Setting a PDF takes some milliseconds of CPU: off the runtime's threads.
async fn off_the_runtime(
    render: impl FnOnce() -> Result<Vec<u8>, RenderError> + Send + 'static,
) -> Result<Vec<u8>, ApiError> {
    tokio::task::spawn_blocking(render)
        .await
        .map_err(|e| ApiError::internal(e.into()))?
        .map_err(|e| match e {
            RenderError::PdfNotBuilt => ApiError {
                field: Some("format"),
                ..ApiError::new(StatusCode::NOT_IMPLEMENTED, "pdf_not_built", e.to_string())
            },
            other => ApiError::internal(other.into()),
        })
}

fn respond(format: Format, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'".to_owned(),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}
