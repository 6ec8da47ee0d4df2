//! Managing an organization's people: listing, adding and changing users, and the one-time
//! password links that let a new user set a password. A second `impl` block of [`Accounts`].

use secrecy::SecretString;
use serde_json::json;
use time::OffsetDateTime;

use super::{Accounts, NAME_MAX, PASSWORD_LINK_LIFETIME, UserInvite};
use crate::activity::Actor;
use crate::id::{OrganizationId, UserId};
use crate::keys::not_found;
use crate::store::{NewUser, User, UserChange};
use crate::token::{self, IssuedToken};
use crate::{DomainError, Permission, Role, StoreError, password, validate};

impl Accounts {
    /// The organization's users.
    pub async fn list_users(
        &self,
        organization_id: OrganizationId,
    ) -> Result<Vec<User>, DomainError> {
        Ok(self.store.list_users(organization_id).await?)
    }

    /// Adds a user; returns the password link token when no password was given.
    pub async fn create_user(
        &self,
        actor: &Actor,
        invite: UserInvite,
        now: OffsetDateTime,
    ) -> Result<(User, Option<SecretString>), DomainError> {
        let email = validate::email(&invite.email)?;
        let name = validate::text("name", &invite.name, NAME_MAX)?;
        let password_hash = match invite.password {
            Some(password) => {
                password::check_new(&password)?;
                Some(password::hash_blocking(password).await?)
            }
            None => None,
        };
        let new = NewUser {
            id: UserId::new(),
            organization_id: actor.organization_id,
            email,
            name,
            role: invite.role,
            permissions: normalise(invite.permissions),
            password_hash,
            created_at: now,
        };
        let entry = actor.record(
            "user.created",
            ("user", Some(new.id.to_string())),
            json!({ "email": new.email, "name": new.name, "role": new.role, "permissions": new.permissions }),
            now,
        );
        let has_password = new.password_hash.is_some();
        let user = self
            .store
            .insert_user(&new, &entry)
            .await
            .map_err(|error| match error {
                StoreError::Conflict { .. } => {
                    DomainError::Invalid("a user with this email already exists".to_owned())
                }
                other => other.into(),
            })?;
        let link = if has_password {
            None
        } else {
            Some(self.issue_password_link(user.id, now).await?)
        };
        Ok((user, link))
    }

    /// Changes a user's role, permissions or disabled state. Administrators cannot disable or
    /// demote themselves, so an organization never locks itself out by accident.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        change: UserChange,
        now: OffsetDateTime,
    ) -> Result<User, DomainError> {
        if change.role.is_none() && change.permissions.is_none() && change.disabled.is_none() {
            return Err(DomainError::invalid(
                "give a role, permissions or disabled to change",
            ));
        }
        let is_self = actor.user.as_ref().is_some_and(|user| user.id == id);
        if is_self && (change.disabled == Some(true) || change.role == Some(Role::Technician)) {
            return Err(DomainError::invalid(
                "you cannot disable or demote your own account",
            ));
        }
        let before = self
            .store
            .user(actor.organization_id, id)
            .await
            .map_err(not_found("user"))?;
        let change = UserChange {
            permissions: change.permissions.map(normalise),
            ..change
        };
        let before_json = json!({ "role": before.role, "permissions": before.permissions, "disabled": before.disabled });
        let after_json = json!({
            "role": change.role.unwrap_or(before.role),
            "permissions": change.permissions.clone().unwrap_or_else(|| before.permissions.clone()),
            "disabled": change.disabled.unwrap_or(before.disabled),
        });
        let entry = actor.record(
            "user.updated",
            ("user", Some(id.to_string())),
            crate::activity::changes(&before_json, &after_json),
            now,
        );
        self.store
            .update_user(actor.organization_id, id, &change, now, &entry)
            .await
            .map_err(not_found("user"))
    }

    /// Sets a password with a one-time link token.
    pub async fn set_password(
        &self,
        presented: &str,
        password: SecretString,
        now: OffsetDateTime,
    ) -> Result<User, DomainError> {
        let invalid = || {
            DomainError::invalid(
                "this password link is invalid, used or expired; ask an administrator for a new one",
            )
        };
        let digest = token::digest_of(presented).ok_or_else(invalid)?;
        password::check_new(&password)?;
        let hash = password::hash_blocking(password).await?;
        self.store
            .consume_password_token(&digest, &hash, now)
            .await
            .map_err(|error| match error {
                StoreError::NotFound => invalid(),
                other => other.into(),
            })
    }

    async fn issue_password_link(
        &self,
        user_id: UserId,
        now: OffsetDateTime,
    ) -> Result<SecretString, DomainError> {
        let IssuedToken { value, digest } = token::issue();
        self.store
            .insert_password_token(&digest, user_id, now + PASSWORD_LINK_LIFETIME)
            .await?;
        Ok(value)
    }
}

fn normalise(mut permissions: Vec<Permission>) -> Vec<Permission> {
    permissions.sort();
    permissions.dedup();
    permissions
}
