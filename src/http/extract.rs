//! Extractors that turn a request's parts into checked values, so that no handler parses them
//! itself.

use super::error::ApiError;
use crate::session::{Rejection, SessionId};
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use std::str::FromStr;

/// The session a path's `{id}` names. Not a UUID: `404 unknown_session`, the same answer as
/// for a well-formed id of no session, so that the two cannot be told apart.
#[derive(Debug, Clone, Copy)]
pub struct SessionPath(pub SessionId);

impl<S: Send + Sync> FromRequestParts<S> for SessionPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::from(Rejection::UnknownSession))?;
        SessionId::from_str(&raw)
            .map(SessionPath)
            .map_err(|_| Rejection::UnknownSession.into())
    }
}
