//! Join codes: six characters a person can type from the projector, for those who cannot scan
//! the QR code. The alphabet leaves out everything that reads as something else (0/O/D/Q,
//! 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V), codes are compared without regard to case, spaces or dashes, and
//! a code is unique among open sessions: the store refuses a second one, and closing a session
//! frees its code.

use super::AppState;
use super::error::ApiError;
use crate::session::SessionId;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::Serialize;

/// The characters a code is made of.
pub const ALPHABET: &[u8] = b"ACEFHJKMNPRTWXY3479";
/// How long a code is.
pub const LENGTH: usize = 6;

/// A new random code.
pub fn generate() -> String {
    let mut rng = rand::rng();
    (0..LENGTH)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// A code as a person typed it, in the form it is stored; `None` if it cannot be one.
pub fn normalise(raw: &str) -> Option<String> {
    let code: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// The short link that opens the join page of the session with `code`.
pub fn short_link(app: &AppState, headers: &HeaderMap, code: &str) -> String {
    format!("{}/j/{code}", app.base_url(headers))
}

fn unknown_code() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_code",
        "no open session has this code; check it on the screen, or ask the facilitator",
    )
}

async fn find(app: &AppState, raw: &str) -> Result<SessionId, ApiError> {
    let code = normalise(raw).ok_or_else(unknown_code)?;
    app.store
        .session_by_code(&code)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(unknown_code)
}

/// Where a code leads.
#[derive(Serialize)]
pub struct Found {
    session_id: SessionId,
    title: String,
    join_link: String,
}

/// `GET /api/codes/{code}`: the open session a code names.
pub async fn lookup(
    State(app): State<AppState>,
    Path(raw): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Found>, ApiError> {
    let session = find(&app, &raw).await?;
    let info = app.registry.info(session).await?;
    Ok(Json(Found {
        session_id: session,
        title: info.title,
        join_link: format!("{}/join/{session}", app.base_url(&headers)),
    }))
}

/// `GET /j/{code}`: the short link. A known code redirects to its join page; anything else
/// gets the page itself, which says the code is unknown and lets the person type it again.
pub async fn short(State(app): State<AppState>, Path(raw): Path<String>) -> Response {
    match find(&app, &raw).await {
        Ok(session) => (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, format!("/join/{session}")),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
        )
            .into_response(),
        Err(_) => super::assets::page().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_unambiguous_characters_and_typing_them_loosely_works() {
        for _ in 0..200 {
            let c = generate();
            assert_eq!(c.len(), LENGTH);
            assert_eq!(normalise(&c).as_deref(), Some(c.as_str()));
            assert_eq!(normalise(&c.to_lowercase()).as_deref(), Some(c.as_str()));
        }
        assert_eq!(normalise(" k7r-4mx ").as_deref(), Some("K7R4MX"));
        assert_eq!(normalise("A3C-9FH").as_deref(), Some("A3C9FH"));
        assert_eq!(normalise("a3c 9fh").as_deref(), Some("A3C9FH"));
        for lookalike in [
            "A3C9F0", "A3C9FO", "A3C9FQ", "A3C9F1", "A3C9FI", "A3C9FS", "A3C9FB",
        ] {
            assert_eq!(normalise(lookalike), None, "{lookalike}");
        }
        assert_eq!(normalise("A3C9F"), None, "too short");
    }
}
