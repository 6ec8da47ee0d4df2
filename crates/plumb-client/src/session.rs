//! The signed-in state of a [`Client`](crate::Client): the session cookie and the CSRF token.
//!
//! The cookie is kept by hand rather than in a cookie jar so that a caller (the CLI) can save it
//! with [`SavedSession`] and restore it later. Neither the cookie nor the CSRF token ever appears
//! in a `Debug` or error message: the `Debug` impls here are written out and redacted.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderValue, SET_COOKIE};
use serde::{Deserialize, Serialize};

use crate::ClientError;

/// A session that can be written to disk and handed back to [`Client::with_session`].
///
/// [`Client::with_session`]: crate::Client::with_session
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSession {
    server_url: String,
    cookie_name: String,
    cookie_value: String,
    csrf_token: String,
}

impl SavedSession {
    /// Assembles a session from its parts (normally it comes from [`Client::saved_session`]).
    ///
    /// [`Client::saved_session`]: crate::Client::saved_session
    pub fn new(
        server_url: impl Into<String>,
        cookie_name: impl Into<String>,
        cookie_value: impl Into<String>,
        csrf_token: impl Into<String>,
    ) -> Self {
        Self {
            server_url: server_url.into(),
            cookie_name: cookie_name.into(),
            cookie_value: cookie_value.into(),
            csrf_token: csrf_token.into(),
        }
    }

    /// The base URL of the server this session belongs to.
    pub fn server_url(&self) -> &str {
        &self.server_url
    }

    /// The session cookie's name (`plumb_session` or `__Host-plumb_session`).
    pub fn cookie_name(&self) -> &str {
        &self.cookie_name
    }

    pub(crate) fn into_parts(self) -> Result<(String, Session), ClientError> {
        let session = Session::new(self.cookie_name, self.cookie_value, self.csrf_token)?;
        Ok((self.server_url, session))
    }
}

impl fmt::Debug for SavedSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SavedSession")
            .field("server_url", &self.server_url)
            .field("cookie_name", &self.cookie_name)
            .field("cookie_value", &"[redacted]")
            .field("csrf_token", &"[redacted]")
            .finish()
    }
}

/// The live session inside a client, with its header values built once.
#[derive(Clone)]
pub(crate) struct Session {
    cookie_name: String,
    cookie_value: String,
    csrf_token: String,
    /// `Cookie: name=value`, marked sensitive so reqwest never prints it.
    pub(crate) cookie_header: HeaderValue,
    /// `X-CSRF-Token: token`, marked sensitive as well.
    pub(crate) csrf_header: HeaderValue,
}

impl Session {
    pub(crate) fn new(
        cookie_name: String,
        cookie_value: String,
        csrf_token: String,
    ) -> Result<Self, ClientError> {
        if cookie_name.is_empty() || cookie_name.contains(['=', ';', ' ']) {
            return Err(ClientError::InvalidSession("malformed cookie name".into()));
        }
        if cookie_value.contains(';') {
            return Err(ClientError::InvalidSession("malformed cookie value".into()));
        }
        let mut cookie_header = HeaderValue::from_str(&format!("{cookie_name}={cookie_value}"))
            .map_err(|_| ClientError::InvalidSession("malformed cookie value".into()))?;
        cookie_header.set_sensitive(true);
        let mut csrf_header = HeaderValue::from_str(&csrf_token)
            .map_err(|_| ClientError::InvalidSession("malformed CSRF token".into()))?;
        csrf_header.set_sensitive(true);
        Ok(Self {
            cookie_name,
            cookie_value,
            csrf_token,
            cookie_header,
            csrf_header,
        })
    }

    /// Reads the session cookie from a sign-in response.
    ///
    /// The server names it `plumb_session`, or `__Host-plumb_session` behind https; prefer those
    /// and fall back to the first cookie set, so that a renamed cookie still works.
    pub(crate) fn from_response(
        headers: &HeaderMap,
        csrf_token: String,
    ) -> Result<Self, ClientError> {
        let cookies: Vec<(&str, &str)> = headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter_map(parse_set_cookie)
            .collect();
        let chosen = cookies
            .iter()
            .find(|(name, _)| *name == "plumb_session" || *name == "__Host-plumb_session")
            .or_else(|| cookies.first());
        let Some((name, value)) = chosen else {
            return Err(ClientError::Decode(
                "the server did not set a session cookie".into(),
            ));
        };
        Self::new((*name).to_owned(), (*value).to_owned(), csrf_token)
    }

    pub(crate) fn to_saved(&self, server_url: &str) -> SavedSession {
        SavedSession::new(
            server_url,
            &self.cookie_name,
            &self.cookie_value,
            &self.csrf_token,
        )
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("cookie_name", &self.cookie_name)
            .field("cookie_value", &"[redacted]")
            .field("csrf_token", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// Splits `name=value; Attr; Attr=x` into `(name, value)`; `None` for a malformed or emptied
/// (deleted) cookie.
fn parse_set_cookie(header: &str) -> Option<(&str, &str)> {
    let pair = header.split(';').next()?;
    let (name, value) = pair.split_once('=')?;
    let (name, value) = (name.trim(), value.trim());
    (!name.is_empty() && !value.is_empty()).then_some((name, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookies: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for cookie in cookies {
            headers.append(SET_COOKIE, HeaderValue::from_str(cookie).unwrap());
        }
        headers
    }

    #[test]
    fn debug_output_never_shows_the_cookie_or_csrf_token() {
        let saved = SavedSession::new("http://localhost:8080/", "plumb_session", "s3cr3t", "c5rf");
        let session = saved.clone().into_parts().unwrap().1;
        for text in [format!("{saved:?}"), format!("{session:?}")] {
            assert!(!text.contains("s3cr3t"), "{text}");
            assert!(!text.contains("c5rf"), "{text}");
            assert!(text.contains("plumb_session"), "{text}");
        }
    }

    #[test]
    fn the_session_cookie_is_picked_among_others() {
        let headers = headers(&[
            "lb_sticky=abc; Path=/",
            "__Host-plumb_session=tok; HttpOnly; Secure; SameSite=Strict; Path=/",
        ]);
        let session = Session::from_response(&headers, "csrf".into()).unwrap();
        assert_eq!(session.to_saved("x").cookie_name(), "__Host-plumb_session");
        assert_eq!(
            session.cookie_header.to_str().unwrap(),
            "__Host-plumb_session=tok"
        );
        assert!(session.cookie_header.is_sensitive());
    }

    #[test]
    fn a_response_without_a_cookie_is_an_error() {
        let headers = headers(&["plumb_session=; Max-Age=0"]);
        let error = Session::from_response(&headers, "csrf".into()).unwrap_err();
        assert!(matches!(error, ClientError::Decode(_)), "{error:?}");
    }

    #[test]
    fn saved_sessions_with_header_breaking_bytes_are_rejected() {
        let saved = SavedSession::new("http://h/", "plumb_session", "a\nb", "c");
        assert!(matches!(
            saved.into_parts(),
            Err(ClientError::InvalidSession(_))
        ));
    }

    #[test]
    fn saved_sessions_round_trip_through_json() {
        let saved = SavedSession::new("http://h/", "plumb_session", "tok", "csrf");
        let json = serde_json::to_string(&saved).unwrap();
        assert_eq!(serde_json::from_str::<SavedSession>(&json).unwrap(), saved);
    }
}
