//! The HTTP side of the agent protocol, `/agent/v1` (docs/agent-protocol.md): enroll, check in,
//! report a run. Every request has a time limit; the device token travels only in the
//! `Authorization` header, marked sensitive.

use std::time::Duration;

use plumb_proto::agent::{CheckinRequest, CheckinResponse, EnrollRequest, Enrolled, RunReport};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::secret::Secret;

/// The longest any request may take, answer included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server refused the credential (401): an unknown or revoked install key, or a device
    /// token that is no longer valid.
    #[error("{message}")]
    Unauthorized {
        /// The server's message.
        message: String,
    },
    /// The server answered with another error status.
    #[error("the server answered {status}: {message}")]
    Refused {
        /// The HTTP status.
        status: StatusCode,
        /// The server's message (or the status' reason when the body had none).
        message: String,
    },
    /// The request did not get an answer (connection, time limit) or the answer was unreadable.
    #[error("no usable answer from {url}")]
    Network {
        /// The URL called (never carries a credential).
        url: Url,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
}

/// A client for one plumb server.
#[derive(Debug, Clone)]
pub struct AgentClient {
    http: reqwest::Client,
    base: Url,
}

impl AgentClient {
    /// A client for the server at `server` (an `http://` or `https://` URL).
    pub fn new(server: &str) -> anyhow::Result<Self> {
        let base = parse_server(server)?;
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("plumb-agent/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { http, base })
    }

    /// `POST /agent/v1/enroll`.
    pub async fn enroll(&self, request: &EnrollRequest) -> Result<Enrolled, ClientError> {
        let url = self.url(&["enroll"]);
        let call = self.http.post(url.clone()).json(request);
        answer(url, call).await
    }

    /// `POST /agent/v1/checkin`.
    pub async fn checkin(
        &self,
        token: &Secret,
        request: &CheckinRequest,
    ) -> Result<CheckinResponse, ClientError> {
        let url = self.url(&["checkin"]);
        let call = self
            .http
            .post(url.clone())
            .bearer_auth(token.expose())
            .json(request);
        answer(url, call).await
    }

    /// `POST /agent/v1/runs/{id}`.
    pub async fn report(
        &self,
        token: &Secret,
        run_id: &str,
        report: &RunReport,
    ) -> Result<(), ClientError> {
        let url = self.url(&["runs", run_id]);
        let call = self
            .http
            .post(url.clone())
            .bearer_auth(token.expose())
            .json(report);
        answer::<serde_json::Value>(url, call).await.map(drop)
    }

    /// `<server>/agent/v1/<segments>`, each segment percent-encoded.
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(["agent", "v1"]).extend(segments);
        }
        url
    }
}

/// Checks a server URL: absolute, `http` or `https`, with a host and nothing after the path.
pub fn parse_server(server: &str) -> anyhow::Result<Url> {
    let url = Url::parse(server.trim())
        .map_err(|error| anyhow::anyhow!("--server {server:?} is not a URL: {error}"))?;
    let usable = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if !usable {
        anyhow::bail!(
            "--server must be an http:// or https:// URL of the plumb server, without user, \
             query or fragment (e.g. https://plumb.example.com)"
        );
    }
    Ok(url)
}

async fn answer<T: DeserializeOwned>(
    url: Url,
    call: reqwest::RequestBuilder,
) -> Result<T, ClientError> {
    let network = |source| ClientError::Network {
        url: url.clone(),
        source,
    };
    let response = call.send().await.map_err(network)?;
    let status = response.status();
    if status.is_success() {
        return response.json().await.map_err(network);
    }
    // The error envelope, {"error": ..., "code": ...}; anything else is summed up by the status.
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    let message = body["error"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
    Err(if status == StatusCode::UNAUTHORIZED {
        ClientError::Unauthorized { message }
    } else {
        ClientError::Refused { status, message }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_joined_under_the_server_url_whatever_its_trailing_slash() {
        for server in ["https://rmm.example.com", "https://rmm.example.com/"] {
            let client = AgentClient::new(server).unwrap();
            assert_eq!(
                client.url(&["checkin"]).as_str(),
                "https://rmm.example.com/agent/v1/checkin"
            );
        }
        let prefixed = AgentClient::new("http://10.0.0.5:8080/plumb/").unwrap();
        assert_eq!(
            prefixed.url(&["runs", "r1"]).as_str(),
            "http://10.0.0.5:8080/plumb/agent/v1/runs/r1"
        );
    }

    #[test]
    fn a_run_id_cannot_escape_its_path_segment() {
        let client = AgentClient::new("https://rmm.example.com").unwrap();
        let url = client.url(&["runs", "../../v2/devices?x=1"]);
        assert_eq!(url.path(), "/agent/v1/runs/..%2F..%2Fv2%2Fdevices%3Fx=1");
        assert_eq!(url.query(), None);
    }

    #[test]
    fn a_server_must_be_an_http_url_without_credentials() {
        for bad in [
            "rmm.example.com",
            "ftp://rmm.example.com",
            "https://user:pw@rmm.example.com",
            "https://rmm.example.com/?a=b",
            "",
        ] {
            assert!(parse_server(bad).is_err(), "{bad} accepted");
        }
        assert!(parse_server("http://127.0.0.1:3000").is_ok());
    }
}
