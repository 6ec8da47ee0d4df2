//! Webhook triggers: a token in a URL that starts an automation's runs, optionally guarded by a
//! required `Authorization` value. Tokens are found by keyed digest; a sealed copy lets the URL
//! be listed again. The required `Authorization` value is kept as a digest only.

use serde_json::json;
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use super::Automations;
use crate::activity::Actor;
use crate::credential::{self, PlainToken, TokenKind};
use crate::id::{AutomationId, DeviceId, OrganizationId, WebhookId};
use crate::keys::not_found;
use crate::page::{Cursor, Page, PageRequest};
use crate::store::{NewWebhook, StartedRun, WebhookRecord};
use crate::{DomainError, StoreError};

/// A trigger just created, with its secrets shown this once.
#[derive(Debug)]
pub struct CreatedWebhook {
    /// The trigger.
    pub record: WebhookRecord,
    /// Its token (the last path segment of its URL).
    pub token: PlainToken,
    /// The `Authorization` value calls must carry, when one is required.
    pub authorization: Option<PlainToken>,
}

/// What a trigger call comes to.
#[derive(Debug, PartialEq, Eq)]
pub enum Triggered {
    /// No live trigger has this token.
    Unknown,
    /// The trigger needs an `Authorization` value and the call's is missing or wrong.
    Denied,
    /// Runs were started (possibly none).
    Started(Vec<StartedRun>),
}

impl Automations {
    /// Adds a trigger to an automation.
    pub async fn create_webhook(
        &self,
        actor: &Actor,
        automation_id: AutomationId,
        require_authorization: bool,
        now: OffsetDateTime,
    ) -> Result<CreatedWebhook, DomainError> {
        let automation = self.get(actor.organization_id, automation_id).await?;
        let id = WebhookId::new();
        let token = PlainToken::generate(TokenKind::WebhookToken);
        let authorization =
            require_authorization.then(|| PlainToken::generate(TokenKind::WebhookToken));
        let new = NewWebhook {
            id,
            organization_id: actor.organization_id,
            automation_id,
            token_digest: self.hasher.digest(token.expose()),
            sealed_token: self
                .sealer
                .as_ref()
                .map(|sealer| sealer.seal(token.expose(), id.to_string().as_bytes()))
                .unwrap_or_default(),
            authorization_digest: authorization
                .as_ref()
                .map(|value| self.hasher.digest(value.expose())),
            created_at: now,
        };
        let entry = actor.record(
            "automation_webhook.created",
            ("automation_webhook", Some(id.to_string())),
            json!({
                "automation_id": automation_id.to_string(),
                "automation_name": automation.name,
                "requires_authorization_header": require_authorization,
            }),
            now,
        );
        let record = self
            .store
            .insert_webhook(&new, &entry)
            .await
            .map_err(not_found("automation"))?;
        tracing::info!(webhook.id = %id, automation.id = %automation_id, "created webhook trigger {id}");
        Ok(CreatedWebhook {
            record,
            token,
            authorization,
        })
    }

    /// A page of triggers in id order, of one automation or of all.
    pub async fn list_webhooks(
        &self,
        organization_id: OrganizationId,
        automation: Option<AutomationId>,
        page: &PageRequest<WebhookId>,
    ) -> Result<Page<WebhookRecord>, DomainError> {
        if let Some(automation) = automation {
            self.get(organization_id, automation).await?;
        }
        Ok(self
            .store
            .list_webhooks(organization_id, automation, page)
            .await?)
    }

    /// The token of a listed trigger, when it can be recovered (a sealed copy exists and this
    /// server holds the master key it was sealed under).
    pub fn webhook_token(&self, record: &WebhookRecord) -> Option<String> {
        let sealer = self.sealer.as_ref()?;
        if record.sealed_token.is_empty() {
            return None;
        }
        match sealer.open(&record.sealed_token, record.id.to_string().as_bytes()) {
            Ok(token) => Some(token),
            Err(error) => {
                tracing::warn!(webhook.id = %record.id, "cannot show webhook trigger {}'s url: {error}", record.id);
                None
            }
        }
    }

    /// Deletes a trigger of an automation: its token stops working at once.
    pub async fn delete_webhook(
        &self,
        actor: &Actor,
        automation_id: AutomationId,
        id: WebhookId,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let automation = self.get(actor.organization_id, automation_id).await?;
        if !self
            .has_webhook(actor.organization_id, automation_id, id)
            .await?
        {
            return Err(DomainError::NotFound("webhook trigger"));
        }
        let entry = actor.record(
            "automation_webhook.deleted",
            ("automation_webhook", Some(id.to_string())),
            json!({
                "automation_id": automation_id.to_string(),
                "automation_name": automation.name,
            }),
            now,
        );
        self.store
            .delete_webhook(actor.organization_id, id, &entry)
            .await
            .map_err(not_found("webhook trigger"))?;
        tracing::info!(webhook.id = %id, "deleted webhook trigger {id}");
        Ok(())
    }

    /// Calls a trigger: checks the token and, when required, the `Authorization` value (in
    /// constant time), then starts one run per target device, narrowed to `only` if given.
    /// Runs started are logged (`automation.triggered`, from `ip`, by no person or key: the
    /// token is the caller's credential).
    pub async fn trigger(
        &self,
        presented_token: &str,
        authorization: Option<&str>,
        (only, ip): (Option<&[DeviceId]>, Option<String>),
        now: OffsetDateTime,
    ) -> Result<Triggered, DomainError> {
        if credential::check_format(TokenKind::WebhookToken, presented_token).is_err() {
            return Ok(Triggered::Unknown);
        }
        let digest = self.hasher.digest(presented_token);
        let Some(webhook) = self.store.webhook_by_token(&digest).await? else {
            return Ok(Triggered::Unknown);
        };
        if let Some(required) = &webhook.authorization_digest {
            let presented = authorization.map(|value| self.hasher.digest(value));
            let matches =
                presented.is_some_and(|presented| bool::from(presented.0.ct_eq(&required.0)));
            if !matches {
                tracing::info!(webhook.id = %webhook.id, "refused a webhook trigger call without the right authorization");
                return Ok(Triggered::Denied);
            }
        }
        let caller = Actor::anonymous(webhook.organization_id, ip);
        let details = json!({
            "webhook_id": webhook.id.to_string(),
            "device_ids": only.map(|ids| ids.iter().map(ToString::to_string).collect::<Vec<_>>()),
        });
        let target = ("automation", Some(webhook.automation_id.to_string()));
        let entry = caller.record("automation.triggered", target, details, now);
        let runs = match self
            .store
            .start_runs(
                webhook.organization_id,
                webhook.automation_id,
                only,
                now,
                Some(&entry),
            )
            .await
        {
            Ok(runs) => runs,
            // The automation was deleted meanwhile, taking the trigger with it.
            Err(StoreError::NotFound) => return Ok(Triggered::Unknown),
            Err(other) => return Err(other.into()),
        };
        tracing::info!(
            webhook.id = %webhook.id,
            automation.id = %webhook.automation_id,
            runs = runs.len(),
            "webhook trigger {} started {} runs",
            webhook.id,
            runs.len()
        );
        Ok(Triggered::Started(runs))
    }

    async fn has_webhook(
        &self,
        organization_id: OrganizationId,
        automation_id: AutomationId,
        id: WebhookId,
    ) -> Result<bool, DomainError> {
        let mut cursor = Cursor::First;
        loop {
            let page = PageRequest { limit: 100, cursor };
            let found = self
                .store
                .list_webhooks(organization_id, Some(automation_id), &page)
                .await?;
            if found.items.iter().any(|webhook| webhook.id == id) {
                return Ok(true);
            }
            match found.items.last() {
                Some(last) if found.has_more => cursor = Cursor::After(last.id),
                _ => return Ok(false),
            }
        }
    }
}
