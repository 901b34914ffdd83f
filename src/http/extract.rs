//! Extractors that turn a request's parts into checked values, so that no handler parses them
//! itself.

use super::AppState;
use super::error::ApiError;
use crate::session::{Rejection, SessionId};
use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;

/// The address a request counts as coming from, for the per-client limits: the connection's,
/// or behind a configured proxy the one its header names.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Infallible> {
        // The server puts the connection's address on every request; a router used without it
        // (a test calling it directly) counts as one client.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)), |c| c.0);
        Ok(ClientIp(app.guards.client_ip(&parts.headers, peer)))
    }
}

/// The session a path's `{id}` names. Not a UUID: `404 unknown_session`, the same answer as
/// for a well-formed id of no session, so that the two cannot be told apart.
#[derive(Debug, Clone, Copy)]
pub struct SessionPath(pub SessionId);

impl<S: Send + Sync> FromRequestParts<S> for SessionPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let unknown = || ApiError::from(Rejection::UnknownSession);
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| unknown())?;
        let raw = params
            .iter()
            .find(|(name, _)| *name == "id")
            .map(|(_, value)| value)
            .ok_or_else(unknown)?;
        SessionId::from_str(raw)
            .map(SessionPath)
            .map_err(|_| unknown())
    }
}
