//! One error shape for the whole edge: a stable code, a readable message, the field it is
//! about, and (over HTTP) a status. An internal failure is answered generically; its cause
//! travels with the error to the edge and is logged there once (`log_internal_errors` for
//! HTTP, the WebSocket's error message for a connection).

use crate::live::LiveError;
use crate::session::{InputError, Rejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;

/// An error as the client sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    /// HTTP status (not sent in the body).
    #[serde(skip)]
    pub status: StatusCode,
    /// Stable, machine-readable code (docs/protocol.md lists them all).
    pub code: &'static str,
    /// What went wrong, in words.
    pub message: String,
    /// The field of the request it is about, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// What really failed, for the log only (internal errors).
    #[serde(skip)]
    pub cause: Option<Arc<anyhow::Error>>,
    /// For a refusal over a rate: how long to wait before trying again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
}

/// The cause of an internal error, handed from a response to the logging middleware.
#[derive(Debug, Clone)]
pub struct InternalCause(pub Arc<anyhow::Error>);

impl ApiError {
    /// An error with a code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            cause: None,
            retry_after_ms: None,
        }
    }

    /// JSON that does not parse.
    pub fn malformed_json(e: &serde_json::Error) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the message is not valid JSON: {e}"),
        )
    }

    /// JSON that parses but does not have the expected shape.
    pub fn invalid_arguments(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_arguments", message)
    }

    /// A failure the client cannot do anything about; `cause` goes to the log only.
    pub fn internal(cause: anyhow::Error) -> ApiError {
        ApiError {
            cause: Some(Arc::new(cause)),
            ..ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "something went wrong on the server; nothing was changed",
            )
        }
    }

    /// Logs the cause of an internal error; the one place where that happens.
    pub fn log_cause(&self) {
        if let Some(cause) = &self.cause {
            tracing::error!(error = ?cause, code = self.code, "internal error");
        }
    }

    /// Parses a JSON object, telling malformed JSON from a wrong shape (see `json.rs`).
    pub fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
        super::json::parse_object(bytes)
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> ApiError {
        ApiError {
            field: Some(e.field()),
            ..ApiError::new(StatusCode::BAD_REQUEST, e.code(), e.to_string())
        }
    }
}

impl From<Rejection> for ApiError {
    fn from(r: Rejection) -> ApiError {
        if let Rejection::Input(e) = r {
            return e.into();
        }
        let status = match &r {
            Rejection::Input(_) => StatusCode::BAD_REQUEST,
            Rejection::UnknownSession | Rejection::UnknownOrganisation => StatusCode::NOT_FOUND,
            Rejection::Forbidden { .. }
            | Rejection::NotAParticipant
            | Rejection::NewOrganisationsClosed => StatusCode::FORBIDDEN,
            Rejection::InvalidTracks(_) => StatusCode::BAD_REQUEST,
            Rejection::UnknownTrack | Rejection::UnknownParticipant => StatusCode::NOT_FOUND,
            Rejection::NotInTrack | Rejection::CannotRemoveSelf => StatusCode::FORBIDDEN,
            Rejection::SameOrganisation | Rejection::AdvisorAndPartner => StatusCode::BAD_REQUEST,
            Rejection::RecordNotAvailable | Rejection::ReadOnly | Rejection::NotAsked => {
                StatusCode::FORBIDDEN
            }
            Rejection::UnknownBoardLink => StatusCode::NOT_FOUND,
            Rejection::TooManyBoardLinks(_) => StatusCode::CONFLICT,
            Rejection::SessionFull(_)
            | Rejection::TooManyOrganisations(_)
            | Rejection::NothingToWithdraw
            | Rejection::NotCarried => StatusCode::CONFLICT,
            Rejection::NotConfirmed => StatusCode::BAD_REQUEST,
            Rejection::SessionClosed
            | Rejection::AspectNotOpen(_)
            | Rejection::AspectNotRevealed
            | Rejection::AspectAlreadyOpen
            | Rejection::AspectAlreadyParked
            | Rejection::NoResponses
            | Rejection::AlreadyApproved
            | Rejection::AspectAgreed
            | Rejection::NotAllApproved(_)
            | Rejection::WrongMode { .. }
            | Rejection::NoPlacements
            | Rejection::PlacementsNotOpen
            | Rejection::PlacementsNotRevealed
            | Rejection::NotOwnWords
            | Rejection::TooManyActions(_)
            | Rejection::TooManyProposals(_)
            | Rejection::RoundOpen
            | Rejection::NoOpenRound
            | Rejection::AdvisorDoesNotConsent
            | Rejection::NotBlocked
            | Rejection::Blocked => StatusCode::CONFLICT,
            Rejection::NoSuchPlacement
            | Rejection::UnknownAction
            | Rejection::UnknownProposal
            | Rejection::NoSuchResponse => StatusCode::NOT_FOUND,
            Rejection::AdvisorDoesNotApprove => StatusCode::FORBIDDEN,
            Rejection::AlreadyCreated
            | Rejection::WrongPhase { .. }
            | Rejection::NameTaken(_)
            | Rejection::OrganisationTaken(_)
            | Rejection::NotAllAnswered(_)
            | Rejection::NoAnswers
            | Rejection::GateClosed => StatusCode::CONFLICT,
        };
        let field = match &r {
            Rejection::NameTaken(_) => Some("name"),
            Rejection::OrganisationTaken(_) | Rejection::UnknownOrganisation => {
                Some("organisation")
            }
            Rejection::InvalidTracks(_) => Some("tracks"),
            Rejection::UnknownTrack | Rejection::NotInTrack => Some("track"),
            Rejection::UnknownParticipant
            | Rejection::CannotRemoveSelf
            | Rejection::NoSuchPlacement
            | Rejection::NoSuchResponse => Some("participant"),
            Rejection::UnknownAction => Some("action"),
            Rejection::UnknownProposal => Some("proposal"),
            _ => None,
        };
        ApiError {
            field,
            ..ApiError::new(status, r.code(), r.to_string())
        }
    }
}

impl From<LiveError> for ApiError {
    fn from(e: LiveError) -> ApiError {
        match e {
            LiveError::Rejected(r) => r.into(),
            LiveError::UnknownSession => Rejection::UnknownSession.into(),
            LiveError::Busy => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the session is busy; try again in a moment",
            ),
            // The edge retries with another code; if it still comes here, every try lost.
            LiveError::CodeTaken => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "no free join code was found; try again in a moment",
            ),
            LiveError::Internal(e) => ApiError::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": &self });
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(ms) = self.retry_after_ms {
            let seconds = ms.div_ceil(1000).to_string();
            if let Ok(v) = axum::http::HeaderValue::from_str(&seconds) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        if let Some(cause) = self.cause {
            response.extensions_mut().insert(InternalCause(cause));
        }
        response
    }
}

/// Middleware: logs the cause of every internal error a handler answered.
pub async fn log_internal_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if let Some(InternalCause(cause)) = response.extensions().get::<InternalCause>() {
        tracing::error!(error = ?cause, "internal error");
    }
    response
}
