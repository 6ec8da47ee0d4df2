//! A typed async client for plumb's management API, `/api/v1`, over the wire types of
//! `plumb-proto`.
//!
//! [`Client`] signs in with an email and password like the web UI does: it keeps the session
//! cookie and the CSRF token itself (no cookie jar), sends the token on every mutating request,
//! and can hand the session out as a [`SavedSession`] to be restored later. The endpoint methods
//! live in `api.rs`; this file holds the URL handling and the one request path they all share.
//!
//! Secrets never leave through `Debug` or errors: see [`ClientError`] and [`SavedSession`].

mod api;
mod error;
mod event_webhooks;
mod key_rules;
mod session;

use std::fmt;
use std::time::Duration;

use reqwest::header::{COOKIE, HeaderName, RETRY_AFTER};
use reqwest::{Response, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use plumb_proto::ErrorBody;

pub use error::ClientError;
pub use key_rules::RequestLogQuery;
pub use reqwest::Method;
pub use session::SavedSession;

use session::Session;

/// The header that carries the CSRF token on mutating requests.
const CSRF_HEADER: HeaderName = HeaderName::from_static("x-csrf-token");

/// A client for one plumb server, signed in or not.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// The server's base URL, always ending in `/` so paths can be appended.
    base_url: Url,
    session: Option<Session>,
}

impl Client {
    /// Creates a client for the server at `base_url` (for example `https://plumb.example.com`).
    ///
    /// The URL must be http or https, without a query, fragment, user name or password. A path
    /// is kept, for servers behind a reverse proxy under a prefix.
    pub fn new(base_url: &str) -> Result<Self, ClientError> {
        let base_url = parse_base_url(base_url)?;
        let http = reqwest::Client::builder()
            .user_agent(concat!("plumb-client/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            // A redirect could carry the session cookie to another origin; report it instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ClientError::transport)?;
        Ok(Self {
            http,
            base_url,
            session: None,
        })
    }

    /// Creates a client from a saved session, for the server it was saved for.
    pub fn from_saved_session(saved: SavedSession) -> Result<Self, ClientError> {
        let client = Self::new(saved.server_url())?;
        client.with_session(saved)
    }

    /// Restores a session saved earlier with [`Client::saved_session`].
    ///
    /// Fails with [`ClientError::InvalidSession`] when the session belongs to another server, so
    /// that a cookie is never sent anywhere but where it came from.
    pub fn with_session(mut self, saved: SavedSession) -> Result<Self, ClientError> {
        let (server_url, session) = saved.into_parts()?;
        if parse_base_url(&server_url)? != self.base_url {
            return Err(ClientError::InvalidSession(format!(
                "it belongs to {server_url}, not {}",
                self.base_url
            )));
        }
        self.session = Some(session);
        Ok(self)
    }

    /// The current session, to be stored and restored with [`Client::with_session`].
    pub fn saved_session(&self) -> Option<SavedSession> {
        self.session
            .as_ref()
            .map(|session| session.to_saved(self.base_url.as_str()))
    }

    /// The normalized base URL, ending in `/` (for example `http://localhost:8080/`).
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// Whether the client holds a session (which the server may still have expired).
    pub fn is_signed_in(&self) -> bool {
        self.session.is_some()
    }

    /// Builds `<base>/api/v1/<segments…>`, percent-encoding each segment.
    fn url(&self, segments: &[&str]) -> Result<Url, ClientError> {
        let mut url = self.base_url.clone();
        {
            let mut path = url
                .path_segments_mut()
                .map_err(|()| ClientError::InvalidUrl("the URL cannot have a path".into()))?;
            path.pop_if_empty().extend(["api", "v1"]).extend(segments);
        }
        Ok(url)
    }

    /// Sends a request with the session attached and returns the successful response.
    async fn send<B: Serialize + ?Sized>(
        &self,
        method: Method,
        url: Url,
        body: Option<&B>,
    ) -> Result<Response, ClientError> {
        let mutating = method != Method::GET && method != Method::HEAD;
        let mut request = self.http.request(method, url);
        if let Some(session) = &self.session {
            request = request.header(COOKIE, session.cookie_header.clone());
            if mutating {
                request = request.header(CSRF_HEADER, session.csrf_header.clone());
            }
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(ClientError::transport)?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(error_from_response(response).await)
        }
    }

    /// Sends a request and decodes a JSON response of type `T`.
    async fn call<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<&B>,
    ) -> Result<T, ClientError> {
        let response = self.send(method, url, body).await?;
        decode(response).await
    }

    /// Sends a request whose response has no body (204).
    async fn call_empty<B: Serialize + ?Sized>(
        &self,
        method: Method,
        url: Url,
        body: Option<&B>,
    ) -> Result<(), ClientError> {
        self.send(method, url, body).await.map(drop)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url.as_str())
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

/// Checks and normalizes a server URL. Error messages never repeat the URL, which could hold a
/// password.
fn parse_base_url(text: &str) -> Result<Url, ClientError> {
    let mut url =
        Url::parse(text.trim()).map_err(|error| ClientError::InvalidUrl(error.to_string()))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(ClientError::InvalidUrl(format!(
            "the scheme must be http or https, not {}",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ClientError::InvalidUrl(
            "it must not contain a user name or password".into(),
        ));
    }
    if url.query().is_some() {
        return Err(ClientError::InvalidUrl(
            "it must not have a query (`?…`)".into(),
        ));
    }
    if url.fragment().is_some() {
        return Err(ClientError::InvalidUrl(
            "it must not have a fragment (`#…`)".into(),
        ));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// Rejects ids that a URL path cannot carry as one segment. Everything else, `/` included, is
/// percent-encoded by [`Client::url`].
fn check_id(id: &str) -> Result<&str, ClientError> {
    if id.is_empty() || id == "." || id == ".." {
        return Err(ClientError::InvalidId(format!(
            "`{id}` cannot be used as an id"
        )));
    }
    Ok(id)
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    let bytes = response.bytes().await.map_err(ClientError::transport)?;
    serde_json::from_slice(&bytes)
        .map_err(|error| ClientError::decode("the response body could not be read", &error))
}

/// Turns a non-success response into [`ClientError::Api`], with a made-up body when the server
/// (or a proxy in front of it) did not send ours.
async fn error_from_response(response: Response) -> ClientError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse().ok());
    let body = match response.bytes().await {
        Ok(bytes) => serde_json::from_slice::<ErrorBody>(&bytes).ok(),
        Err(_) => None,
    };
    let body = body.unwrap_or_else(|| ErrorBody {
        error: status_sentence(status),
        code: None,
    });
    ClientError::Api {
        status: status.as_u16(),
        body,
        retry_after,
    }
}

fn status_sentence(status: StatusCode) -> String {
    let reason = status.canonical_reason().unwrap_or("unexpected status");
    let code = status.as_u16();
    if status.is_redirection() {
        format!("the server answered {code} {reason}: check the server URL (http or https?)")
    } else {
        format!("the server answered {code} {reason}")
    }
}

#[cfg(test)]
mod tests;
