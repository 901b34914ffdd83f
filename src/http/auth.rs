//! Secret tokens: 256 random bits, handed out once, stored only as SHA-256 hashes, compared in
//! constant time, never logged (the type's Debug hides it).

use crate::store::TokenHash;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// A secret token as handed to its owner.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A new random token.
    pub fn generate() -> Token {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Token(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A token as presented by a client; `None` if it cannot be one of ours.
    pub fn parse(raw: &str) -> Option<Token> {
        let bytes = URL_SAFE_NO_PAD.decode(raw).ok()?;
        (bytes.len() == 32).then(|| Token(raw.to_owned()))
    }

    /// The hash under which it is stored.
    pub fn hash(&self) -> TokenHash {
        Sha256::digest(self.0.as_bytes()).into()
    }

    /// The token itself, to hand to its owner (and nowhere else).
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Whether two hashes are equal, in time that does not depend on where they differ.
pub fn hashes_match(a: &TokenHash, b: &TokenHash) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_round_trip() {
        let a = Token::generate();
        let b = Token::generate();
        assert_ne!(a, b);
        assert_eq!(a.reveal().len(), 43, "256 bits in unpadded base64url");
        assert_eq!(Token::parse(a.reveal()), Some(a.clone()));
        assert!(hashes_match(&a.hash(), &a.hash()));
        assert!(!hashes_match(&a.hash(), &b.hash()));
    }

    #[test]
    fn garbage_is_not_a_token_and_debug_hides_it() {
        assert_eq!(Token::parse("nope"), None);
        assert_eq!(Token::parse(""), None);
        let t = Token::generate();
        assert!(!format!("{t:?}").contains(t.reveal()));
    }
}

/// Whom a token, as a client presented it, belongs to: `None` for anything that is not a live
/// token of ours (malformed, unknown, revoked). The one place where tokens are checked.
pub async fn resolve(
    app: &super::AppState,
    raw: &str,
) -> Result<Option<crate::store::TokenOwner>, super::error::ApiError> {
    lookup(app, raw, false).await
}

/// Whom a token belonged to if it is a replaced link (a facilitator gave its owner a new one):
/// so that a page reconnecting with it hears that, not that the link is unknown.
pub async fn replaced(
    app: &super::AppState,
    raw: &str,
) -> Result<Option<crate::store::TokenOwner>, super::error::ApiError> {
    lookup(app, raw, true).await
}

/// Parses, hashes and looks up a token among the live ones or the replaced ones, and compares
/// the stored hash in constant time.
async fn lookup(
    app: &super::AppState,
    raw: &str,
    replaced: bool,
) -> Result<Option<crate::store::TokenOwner>, super::error::ApiError> {
    let Some(token) = Token::parse(raw) else {
        return Ok(None);
    };
    let hash = token.hash();
    let owner = if replaced {
        app.store.replaced_token_owner(&hash).await
    } else {
        app.store.token_owner(&hash).await
    }
    .map_err(|e| super::error::ApiError::from(crate::live::LiveError::Internal(e)))?;
    Ok(owner.filter(|o| hashes_match(&o.hash, &hash)))
}

/// The participant a request's `Authorization: Bearer <token>` header names. As an extractor,
/// so that a handler that takes it cannot forget to check it.
#[derive(Debug, Clone, Copy)]
pub struct Bearer {
    /// The session the token opens.
    pub session: crate::session::SessionId,
    /// The participant it identifies.
    pub participant: crate::session::ParticipantId,
}

impl Bearer {
    /// The participant, if the token opens `session`; `unknown_token` if it opens another.
    pub fn for_session(
        self,
        session: crate::session::SessionId,
    ) -> Result<crate::session::ParticipantId, super::error::ApiError> {
        if self.session != session {
            return Err(super::error::ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "unknown_token",
                "this token is not valid for this session",
            ));
        }
        Ok(self.participant)
    }
}

impl axum::extract::FromRequestParts<super::AppState> for Bearer {
    type Rejection = super::error::ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        app: &super::AppState,
    ) -> Result<Self, Self::Rejection> {
        bearer(app, &parts.headers).await
    }
}

/// The participant the `Authorization: Bearer <token>` header of a request names, for a
/// handler where it is needed only sometimes.
pub async fn bearer(
    app: &super::AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Bearer, super::error::ApiError> {
    let unknown = || {
        super::error::ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "unknown_token",
            "send your token as 'Authorization: Bearer <token>'",
        )
    };
    let raw = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| {
            // The scheme is case-insensitive in HTTP.
            let (scheme, token) = h.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(token)
        })
        .ok_or_else(unknown)?;
    let owner = resolve(app, raw.trim()).await?.ok_or_else(unknown)?;
    Ok(Bearer {
        session: owner.session,
        participant: owner.participant,
    })
}
