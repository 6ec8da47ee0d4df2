//! Organizations, people and sessions: bootstrap, sign-in with throttling, users, password links.

mod users;

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::activity::Actor;
use crate::crypto::Digest;
use crate::id::{OrganizationId, UserId};
use crate::store::{
    CreateMode, NewOrganization, NewSession, NewUser, Session, Store, User, UserRef,
};
use crate::throttle::Throttle;
use crate::token;
use crate::{DomainError, Permission, Role, StoreError, password, validate};

/// A session ends after this long without use.
pub const SESSION_IDLE: Duration = Duration::hours(12);
/// A session ends this long after sign-in, used or not.
pub const SESSION_ABSOLUTE: Duration = Duration::days(7);
/// A password link works this long.
pub const PASSWORD_LINK_LIFETIME: Duration = Duration::days(7);
/// Longest organization or user name, in characters.
pub const NAME_MAX: usize = 200;

/// What bootstrapping an organization needs.
pub struct NewAccount {
    /// Organization name.
    pub organization_name: String,
    /// Administrator email.
    pub email: String,
    /// Administrator display name (defaults to the email).
    pub name: Option<String>,
    /// Administrator password.
    pub password: SecretString,
}

/// A user to add to an organization.
pub struct UserInvite {
    /// Email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Flags.
    pub permissions: Vec<Permission>,
    /// Password; without one a password link is issued.
    pub password: Option<SecretString>,
}

/// A successful sign-in: the user and the session token for the cookie.
pub struct SignedIn {
    /// Who.
    pub user: User,
    /// The session token (goes into the cookie, never into a log).
    pub token: SecretString,
}

/// Accounts over a store, with the in-memory sign-in throttle.
pub struct Accounts {
    store: Arc<dyn Store>,
    throttle: Throttle,
}

impl Accounts {
    /// Accounts with the standard throttle.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            throttle: Throttle::standard(),
        }
    }

    /// Whether the installation has an organization yet (the first-run setup link works only
    /// while it has none).
    pub async fn has_organizations(&self) -> Result<bool, DomainError> {
        self.store
            .has_organizations()
            .await
            .map_err(DomainError::Store)
    }

    /// Creates an organization and its administrator. `CreateMode::FirstOnly` refuses if the
    /// installation already has one.
    pub async fn create_organization(
        &self,
        account: NewAccount,
        mode: CreateMode,
        ip: Option<String>,
        now: OffsetDateTime,
    ) -> Result<User, DomainError> {
        let organization_name =
            validate::text("organization name", &account.organization_name, NAME_MAX)?;
        let email = validate::email(&account.email)?;
        let name = match account
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            Some(name) => validate::text("name", name, NAME_MAX)?,
            None => email.clone(),
        };
        password::check_new(&account.password)?;
        let password_hash = password::hash_blocking(account.password).await?;
        let organization = NewOrganization {
            id: OrganizationId::new(),
            name: organization_name,
            created_at: now,
        };
        let admin = NewUser {
            id: UserId::new(),
            organization_id: organization.id,
            email: email.clone(),
            name,
            role: Role::Admin,
            permissions: vec![Permission::Settings],
            password_hash: Some(password_hash),
            created_at: now,
        };
        let actor = Actor {
            api_key: None,
            user: Some(UserRef {
                id: admin.id,
                email,
            }),
            organization_id: organization.id,
            ip,
        };
        let entry = actor.record(
            "organization.created",
            ("organization", Some(organization.id.to_string())),
            json!({ "name": organization.name, "admin": admin.email }),
            now,
        );
        self.store.create_organization(&organization, &admin, mode, &entry).await.map_err(|error| match error {
            StoreError::Conflict { constraint: "organizations.first" } => DomainError::Conflict(
                "plumb is already set up: an organization exists (use `plumb org create` for another)".to_owned(),
            ),
            StoreError::Conflict { .. } => DomainError::Conflict("a user with this email already exists".to_owned()),
            other => other.into(),
        })?;
        Ok(self.store.user(organization.id, admin.id).await?)
    }

    /// Signs in with email and password. Wrong password and unknown email look the same;
    /// repeated failures per address and per address and account are throttled (never per
    /// account alone, so an attacker cannot lock the owner out: see [`crate::throttle`]).
    pub async fn sign_in(
        &self,
        email: &str,
        password: SecretString,
        ip: Option<String>,
        now: OffsetDateTime,
    ) -> Result<SignedIn, DomainError> {
        let normalised = email.trim().to_lowercase();
        if let Some(seconds) = self.throttle.retry_after(&normalised, ip.as_deref(), now) {
            return Err(DomainError::Throttled(seconds));
        }
        let user = self.store.user_by_email(&normalised).await?;
        let phc = user.as_ref().and_then(|user| user.password_hash.clone());
        let verified = password::verify_blocking(password, phc).await;
        let user = match user {
            Some(user) if verified && !user.disabled => user,
            other => {
                self.throttle.fail(&normalised, ip.as_deref(), now);
                if let Some(user) = other {
                    let actor = Actor {
                        api_key: None,
                        user: None,
                        organization_id: user.organization.id,
                        ip,
                    };
                    let entry = actor.record(
                        "session.sign_in_failed",
                        ("user", Some(user.id.to_string())),
                        json!({ "email": user.email, "reason": if user.disabled { "account disabled" } else { "wrong password" } }),
                        now,
                    );
                    self.store.insert_activity(&entry).await?;
                }
                return Err(DomainError::BadCredentials);
            }
        };
        self.throttle.succeed(&normalised, ip.as_deref());
        let issued = token::issue();
        let session = NewSession {
            digest: issued.digest,
            user_id: user.id,
            created_at: now,
            expires_at: now + SESSION_IDLE,
        };
        self.store.insert_session(&session).await?;
        let actor = Actor {
            api_key: None,
            user: Some(user_ref(&user)),
            organization_id: user.organization.id,
            ip,
        };
        let entry = actor.record(
            "session.signed_in",
            ("user", Some(user.id.to_string())),
            json!({}),
            now,
        );
        self.store.insert_activity(&entry).await?;
        Ok(SignedIn {
            user,
            token: issued.value,
        })
    }

    /// The live session for a presented cookie value, extending its idle expiry when due.
    pub async fn session(
        &self,
        presented: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Session>, DomainError> {
        let Some(digest) = token::digest_of(presented) else {
            return Ok(None);
        };
        let Some(session) = self.store.session(&digest, now).await? else {
            return Ok(None);
        };
        let absolute_end = session.created_at + SESSION_ABSOLUTE;
        if now >= absolute_end {
            self.store.delete_session(&digest).await?;
            return Ok(None);
        }
        // Extend at most every few minutes: one write per busy session, not per request.
        let wanted = (now + SESSION_IDLE).min(absolute_end);
        if wanted - session.expires_at > Duration::minutes(5) {
            self.store.touch_session(&digest, wanted).await?;
        }
        Ok(Some(session))
    }

    /// Ends a session.
    pub async fn sign_out(&self, digest: &Digest) -> Result<(), DomainError> {
        Ok(self.store.delete_session(digest).await?)
    }
}

/// A short reference to a user.
pub fn user_ref(user: &User) -> UserRef {
    UserRef {
        id: user.id,
        email: user.email.clone(),
    }
}

/// The permissions a user effectively holds: administrators hold them all.
pub fn effective_permissions(user: &User) -> Vec<Permission> {
    match user.role {
        Role::Admin => vec![Permission::Settings],
        Role::Technician => user.permissions.clone(),
    }
}

/// Whether a user may use Settings (API keys, activity).
pub fn may_use_settings(user: &User) -> bool {
    effective_permissions(user).contains(&Permission::Settings)
}

/// Exposes a secret for the one place that must show it (a response body).
pub fn reveal(secret: &SecretString) -> &str {
    secret.expose_secret()
}
