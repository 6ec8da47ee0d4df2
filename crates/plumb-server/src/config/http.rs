//! `[http]`: the limits every connection lives under (timeouts and the connection cap), read by
//! `crate::serving`.

use serde::{Deserialize, Serialize};

/// `[http]`: how long a client may take and how many may be connected at once. A client that
/// is too slow is disconnected; the others never notice (docs/configuration.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Seconds a client has to send a whole request head (request line and headers), counted
    /// from the connection's opening or from the first byte of a request on a kept-alive
    /// connection (`PLUMB_HTTP__HEADER_TIMEOUT_SECONDS`).
    pub header_timeout_seconds: u64,
    /// Seconds a client has to send a request body once its head arrived, and that a
    /// response may wait for a client that does not read it
    /// (`PLUMB_HTTP__BODY_TIMEOUT_SECONDS`).
    pub body_timeout_seconds: u64,
    /// Seconds a kept-alive connection may stay idle between two requests
    /// (`PLUMB_HTTP__IDLE_TIMEOUT_SECONDS`).
    pub idle_timeout_seconds: u64,
    /// Connections served at once; one more is answered 503 and closed
    /// (`PLUMB_HTTP__MAX_CONNECTIONS`).
    pub max_connections: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or CIDR ranges;
    /// default none: the client is the connection's peer). Only a request whose peer is in
    /// this list is believed (`PLUMB_HTTP__TRUSTED_PROXIES`, e.g. `["10.0.0.0/8"]`).
    pub trusted_proxies: Vec<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            header_timeout_seconds: 10,
            body_timeout_seconds: 30,
            idle_timeout_seconds: 75,
            max_connections: 4096,
            trusted_proxies: Vec::new(),
        }
    }
}

impl HttpConfig {
    /// Refuses values that would disable a limit.
    pub fn validate(&self) -> Result<(), String> {
        let timeouts = [
            ("header_timeout_seconds", self.header_timeout_seconds),
            ("body_timeout_seconds", self.body_timeout_seconds),
            ("idle_timeout_seconds", self.idle_timeout_seconds),
        ];
        for (key, value) in timeouts {
            if !(1..=3600).contains(&value) {
                return Err(format!(
                    "http.{key} must be between 1 and 3600 seconds (PLUMB_HTTP__{})",
                    key.to_uppercase()
                ));
            }
        }
        if let Some(bad) = self
            .trusted_proxies
            .iter()
            .find(|entry| crate::extract::parse_net(entry).is_none())
        {
            return Err(format!(
                "http.trusted_proxies: {bad:?} is neither an IP address nor a CIDR range \
                 (PLUMB_HTTP__TRUSTED_PROXIES)"
            ));
        }
        if self.max_connections < 1 {
            return Err(
                "http.max_connections must be at least 1 (PLUMB_HTTP__MAX_CONNECTIONS)".to_owned(),
            );
        }
        Ok(())
    }
}
