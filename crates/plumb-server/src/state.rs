//! `AppState`: what every handler can reach. Cloning it is one reference count: axum clones the
//! state for every extractor and layer that takes it, several times per request, and copying
//! the services themselves (the key sealer's cipher among them) once cost a fifth of an
//! authenticated request's CPU.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use plumb_core::accounts::Accounts;
use plumb_core::activity::Activities;
use plumb_core::agents::Agents;
use plumb_core::alerts::Alerts;
use plumb_core::automations::Automations;
use plumb_core::clock::Clock;
use plumb_core::crypto::Digest;
use plumb_core::custom_fields::CustomFields;
use plumb_core::devices::Devices;
use plumb_core::events::endpoints::Endpoints;
use plumb_core::groups::Groups;
use plumb_core::install_keys::InstallKeys;
use plumb_core::key_limits::{BadKeyGuard, RateLimiter};
use plumb_core::keys::Keys;
use plumb_core::request_log::RequestLog;
use plumb_core::tags::Tags;
use plumb_core::updates::Updates;
use plumb_core::{DomainError, Store};
use subtle::ConstantTimeEq;

use crate::downloads::Downloads;

/// Shared state of one running server: its [`Services`], shared.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    /// The state of a server with these services.
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// What every handler can reach. Handlers go through the domain services; `store` is for what
/// no domain rule governs: the readiness probe's ping, and tests that seed data.
pub struct Services {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The API key lifecycle (and through it, the verifier).
    pub keys: Keys,
    /// Organizations, users, sessions.
    pub accounts: Arc<Accounts>,
    /// Groups.
    pub groups: Groups,
    /// Devices: lists, edits, deletion, the offline sweep.
    pub devices: Devices,
    /// Tags and which devices carry them.
    pub tags: Tags,
    /// Custom fields and their values.
    pub custom_fields: CustomFields,
    /// Alerts.
    pub alerts: Alerts,
    /// Updates devices report.
    pub updates: Updates,
    /// Reading the activity log.
    pub activities: Activities,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The first-run setup link, while the installation has no organization.
    pub setup: Arc<SetupGate>,
    /// Settings derived from the configuration.
    pub web: Arc<WebSettings>,
    /// Install keys.
    pub install_keys: InstallKeys,
    /// Enrollment, check-ins and run reports of agents.
    pub agents: Agents,
    /// Automations, their webhook triggers and runs.
    pub automations: Automations,
    /// Outgoing event webhook endpoints (not the automations' incoming triggers).
    pub endpoints: Endpoints,
    /// The request log of API keys (written behind).
    pub request_log: Arc<RequestLog>,
    /// Each key's requests per minute, on this node.
    pub rate_limits: Arc<RateLimiter>,
    /// The brute-force guard on unknown keys, on this node.
    pub bad_keys: Arc<BadKeyGuard>,
    /// The agent binaries served under `/downloads/`.
    pub downloads: Arc<Downloads>,
}

/// What the HTTP layer needs from the configuration.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Public URL without a trailing slash, for links.
    pub public_url: String,
    /// Whether cookies are `Secure` (public URL is https).
    pub secure_cookies: bool,
    /// Whether `public_url` was configured; if not, webhook trigger URLs are built from the
    /// request's `Host` header.
    pub public_url_configured: bool,
    /// The reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: crate::extract::TrustedProxies,
}

impl WebSettings {
    /// The session cookie's name: `__Host-` prefixed when cookies are `Secure`.
    pub fn session_cookie(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-plumb_session"
        } else {
            "plumb_session"
        }
    }
}

/// Holds the digest of the one-time setup token until it is used.
#[derive(Debug, Default)]
pub struct SetupGate(Mutex<Option<Digest>>);

impl SetupGate {
    /// Arms the gate with a token digest.
    pub fn arm(&self, digest: Digest) {
        *self.lock() = Some(digest);
    }

    /// Whether `digest` is the armed token (constant-time comparison).
    pub fn admits(&self, digest: &Digest) -> bool {
        self.lock()
            .as_ref()
            .is_some_and(|armed| bool::from(armed.0.ct_eq(&digest.0)))
    }

    /// Disarms the gate: the link stops working.
    pub fn close(&self) {
        *self.lock() = None;
    }

    /// Whether `presented` opens the gate right now: the token matches and the installation
    /// still has no organization (one may have been created by `plumb init` meanwhile, which
    /// closes the gate for good).
    pub async fn admits_token(
        &self,
        presented: &str,
        accounts: &Accounts,
    ) -> Result<bool, DomainError> {
        let Some(digest) = plumb_core::token::digest_of(presented) else {
            return Ok(false);
        };
        if !self.admits(&digest) {
            return Ok(false);
        }
        if accounts.has_organizations().await? {
            self.close();
            return Ok(false);
        }
        Ok(true)
    }

    /// Whether setup is still possible through the link.
    pub fn is_open(&self) -> bool {
        self.lock().is_some()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Digest>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
