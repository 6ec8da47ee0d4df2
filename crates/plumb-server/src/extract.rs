//! Extractors that turn malformed input into our error body: [`AppJson`] for bodies (any
//! content type, JSON only), [`AppQuery`] for query strings, [`ClientInfo`] for the caller's
//! address and user agent.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::header::USER_AGENT;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::serving::BodyTimedOut;
use crate::state::AppState;

/// Largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body. The content type is not checked here (Level's clients are not all careful
/// about it on `/v2`; `/api/v1` insists on JSON in `crate::auth::origin`); the bytes must be one
/// JSON value of the expected shape, without unknown fields.
pub struct AppJson<T>(pub T);

/// A raw body, read whole under the route's size limit and the body deadline; either failure
/// is our error body (413, 408), never axum's plain text.
pub struct AppBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for AppBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Bytes::from_request(req, state)
            .await
            .map(Self)
            .map_err(|rejection| body_rejection(&rejection))
    }
}

/// Our error for a body that could not be read.
fn body_rejection(rejection: &BytesRejection) -> ApiError {
    match rejection {
        BytesRejection::FailedToBufferBody(failure)
            if failure.status() == StatusCode::PAYLOAD_TOO_LARGE =>
        {
            ApiError::PayloadTooLarge(BODY_LIMIT)
        }
        other if BodyTimedOut::caused(other) => ApiError::RequestTimeout,
        other => ApiError::BadRequest(format!(
            "could not read the request body: {}",
            other.body_text()
        )),
    }
}

impl<S, T> FromRequest<S> for AppJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let AppBytes(bytes) = AppBytes::from_request(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::BadRequest(
                "the request body must be a JSON object".to_owned(),
            ));
        }
        json_object(&bytes).map(Self)
    }
}

/// A JSON body that may be left out: no body (or only whitespace) is `T::default()`.
pub struct OptionalJson<T>(pub T);

impl<S, T> FromRequest<S> for OptionalJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let AppBytes(bytes) = AppBytes::from_request(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        json_object(&bytes).map(Self)
    }
}

/// One JSON object of the expected shape.
fn json_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    {
        // Parse to a JSON value first: a derived struct would also accept an array of its
        // fields in order, and a body that is not an object is never what a client meant.
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|error| {
            ApiError::BadRequest(format!("malformed JSON in request body: {error}"))
        })?;
        if !value.is_object() {
            return Err(ApiError::BadRequest(
                "the request body must be a JSON object".to_owned(),
            ));
        }
        serde_json::from_value(value)
            .map_err(|error| ApiError::BadRequest(format!("invalid request body: {error}")))
    }
}

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A query string, deserialized; unknown parameters are ignored (see docs/compatibility.md).
pub struct AppQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for AppQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(value) =
            Query::<T>::from_request_parts(parts, state)
                .await
                .map_err(|rejection| {
                    ApiError::BadRequest(format!("invalid query string: {}", rejection.body_text()))
                })?;
        Ok(Self(value))
    }
}

/// The caller's address (the TCP peer) and `User-Agent`, for the activity log and key usage.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// The client's address: the connection's peer, or behind a trusted proxy the address
    /// that proxy forwarded ([`TrustedProxies`]).
    pub ip: Option<String>,
    /// The same, parsed.
    pub address: Option<IpAddr>,
    /// `User-Agent`, truncated to 256 characters.
    pub user_agent: Option<String>,
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`[http] trusted_proxies`), kept in
/// [`crate::state::WebSettings`]. Empty: the peer is the client.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Arc<[IpNet]>);

impl TrustedProxies {
    /// The configured entries (validated at startup; an entry that does not parse is left out).
    pub fn from_entries(entries: &[String]) -> Self {
        Self(
            entries
                .iter()
                .filter_map(|entry| parse_net(entry))
                .collect(),
        )
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&address))
    }
}

/// An address (`10.0.0.1`) or a CIDR range (`10.0.0.0/8`).
pub fn parse_net(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpAddr>()
        .map(IpNet::from)
        .ok()
        .or_else(|| text.parse::<IpNet>().ok())
}

/// The client behind `peer`: if the peer is a trusted proxy, the nearest address in
/// `X-Forwarded-For` (read from the right) that is not itself a trusted proxy; otherwise, or
/// when the header holds nothing usable, the peer. An untrusted client can write anything into
/// the header, so it is only read after a trusted hop.
fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    if !trusted.trusts(peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map_while(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !trusted.trusts(hop) {
            break;
        }
    }
    client
}

impl ClientInfo {
    /// Reads the client info from request parts; never fails.
    pub fn from_parts(parts: &Parts, trusted: &TrustedProxies) -> Self {
        let address =
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| {
                    let peer = address.ip().to_canonical();
                    if trusted.0.is_empty() {
                        peer
                    } else {
                        client_address(peer, &parts.headers, trusted)
                    }
                });
        let user_agent = parts
            .headers
            .get(USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|value| value.chars().take(256).collect());
        Self {
            ip: address.map(|address| address.to_string()),
            address,
            user_agent,
        }
    }
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts, &state.web.trusted_proxies))
    }
}

/// The `{id}` segment of a path, as text. A segment that is not valid UTF-8 is simply not found,
/// like any other malformed id (axum would answer a plain-text 400).
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound("not found".to_owned()))?;
        Ok(Self(id))
    }
}

/// Parses a path id of the given kind; a malformed id is simply not found.
pub fn path_id<T>(text: &str, parse: fn(&str) -> Option<T>, what: &str) -> Result<T, ApiError> {
    parse(text).ok_or_else(|| ApiError::not_found(what))
}
