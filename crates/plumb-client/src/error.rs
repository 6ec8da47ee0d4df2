//! [`ClientError`]: everything a call to the management API can fail with.
//!
//! No message built here contains a password, a session cookie, a CSRF token or a full URL:
//! callers print these errors to terminals and logs as they are.

use plumb_proto::{ErrorBody, ErrorCode};

/// Why a call to the management API failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with a 4xx or 5xx status (or an unexpected redirect).
    ///
    /// `Display` is the server's own sentence, `body.error`.
    #[error("{}", api_message(body, *retry_after))]
    Api {
        /// The HTTP status code.
        status: u16,
        /// The server's error body, or one made up from the status when the body was not ours
        /// (for example an HTML page from a reverse proxy).
        body: ErrorBody,
        /// Seconds to wait before trying again, from `Retry-After` (sent with 429).
        retry_after: Option<u64>,
    },
    /// The request did not get an answer: DNS, connection, TLS or timeout.
    #[error("could not reach the server: {0}")]
    Transport(String),
    /// The server URL is unusable: not http or https, or it has a query, fragment or password.
    #[error("invalid server URL: {0}")]
    InvalidUrl(String),
    /// An id cannot be put in a URL path (empty, `.` or `..`).
    #[error("invalid id: {0}")]
    InvalidId(String),
    /// A saved session cannot be used: it belongs to another server or holds bytes that cannot
    /// be sent in a header.
    #[error("invalid saved session: {0}")]
    InvalidSession(String),
    /// The server answered with a success status but a body we could not read.
    #[error("unexpected response from the server: {0}")]
    Decode(String),
}

impl ClientError {
    /// The HTTP status, for [`ClientError::Api`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The stable error code the server sent, if any.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Api { body, .. } => body.code,
            _ => None,
        }
    }

    /// Builds a transport error from a reqwest error: the whole cause chain, but never the URL.
    pub(crate) fn transport(error: reqwest::Error) -> Self {
        let error = error.without_url();
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            let cause_text = cause.to_string();
            // Hyper repeats a cause's text in its wrapper now and then; print it once.
            if !message.ends_with(&cause_text) {
                message.push_str(": ");
                message.push_str(&cause_text);
            }
            source = cause.source();
        }
        Self::Transport(message)
    }

    /// Builds a decode error from a serde_json error without quoting the body.
    ///
    /// serde_json's "invalid type" messages quote the offending value, which could be a key or a
    /// token, so only messages that name a field (and never a value) are kept.
    pub(crate) fn decode(what: &str, error: &serde_json::Error) -> Self {
        let text = error.to_string();
        let detail = if text.starts_with("missing field") || text.starts_with("unknown field") {
            text
        } else {
            format!(
                "{} at line {} column {}",
                match error.classify() {
                    serde_json::error::Category::Data => "unexpected value",
                    serde_json::error::Category::Eof => "truncated JSON",
                    serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                        "malformed JSON"
                    }
                },
                error.line(),
                error.column()
            )
        };
        Self::Decode(format!("{what}: {detail}"))
    }
}

fn api_message(body: &ErrorBody, retry_after: Option<u64>) -> String {
    match retry_after {
        Some(seconds) => format!("{} (try again in {seconds} s)", body.error),
        None => body.error.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_display_the_server_sentence() {
        let error = ClientError::Api {
            status: 404,
            body: ErrorBody {
                error: "api key not found".into(),
                code: Some(ErrorCode::NotFound),
            },
            retry_after: None,
        };
        assert_eq!(error.to_string(), "api key not found");
        assert_eq!(error.status(), Some(404));
        assert_eq!(error.code(), Some(ErrorCode::NotFound));
    }

    #[test]
    fn rate_limit_errors_say_when_to_try_again() {
        let error = ClientError::Api {
            status: 429,
            body: ErrorBody {
                error: "too many attempts".into(),
                code: None,
            },
            retry_after: Some(30),
        };
        assert_eq!(error.to_string(), "too many attempts (try again in 30 s)");
    }

    #[test]
    fn decode_errors_never_quote_values() {
        let error = serde_json::from_str::<u64>(r#""plumb_secretvalue""#).unwrap_err();
        let message = ClientError::decode("api key", &error).to_string();
        assert!(!message.contains("secretvalue"), "{message}");
        assert!(message.contains("unexpected value"), "{message}");
    }
}
