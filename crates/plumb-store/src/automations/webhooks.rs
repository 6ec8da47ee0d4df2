//! Webhook triggers: inserted and deleted with their activity entries, listed in keyset
//! pages, and found by the digest of their URL token.
//!
//! A trigger keeps the keyed digest of its URL token (the lookup) and a copy of the token
//! sealed under the master key (to show the URL again), plus the digest of the
//! `Authorization` value it requires, if any.

use async_trait::async_trait;
use plumb_core::crypto::Digest;
use plumb_core::id::{AutomationId, OrganizationId, WebhookId};
use plumb_core::page::{Page, PageRequest};
use plumb_core::store::WebhookStore;
use plumb_core::store::{Activity, NewWebhook, StoreResult, WebhookRecord};

use crate::SqlStore;
use crate::activity::insert_activity;
use crate::db::{Arg, Exec, FromRow, Row, args};
use crate::keyset;

/// Selects a [`WebhookRecord`] with its automation's name; callers append a `where` on `w`
/// (automation_webhooks).
macro_rules! webhook_select {
    () => {
        "select w.id, w.organization_id, w.automation_id, a.name, w.token_sealed, \
         w.authorization_digest, w.created_at \
         from automation_webhooks w join automations a on a.id = w.automation_id "
    };
}

impl FromRow for WebhookRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(WebhookRecord {
            id: columns.next()?,
            organization_id: columns.next()?,
            automation_id: columns.next()?,
            automation_name: columns.next()?,
            sealed_token: columns.next()?,
            authorization_digest: columns.next()?,
            created_at: columns.next()?,
        })
    }
}

#[async_trait]
impl WebhookStore for SqlStore {
    async fn insert_webhook(
        &self,
        webhook: &NewWebhook,
        activity: &Activity,
    ) -> StoreResult<WebhookRecord> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.execute(
                "insert into automation_webhooks (id, organization_id, automation_id, \
             token_digest, token_sealed, authorization_digest, created_at) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                args![
                    webhook.id,
                    webhook.organization_id,
                    webhook.automation_id,
                    &webhook.token_digest,
                    webhook.sealed_token.as_slice(),
                    webhook
                        .authorization_digest
                        .as_ref()
                        .map(|digest| &digest.0[..]),
                    webhook.created_at,
                ],
            )
            .await?;
            insert_activity(&tx, activity).await?;
            tx.one(
                concat!(webhook_select!(), "where w.id = ?1"),
                args![webhook.id],
            )
            .await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn list_webhooks(
        &self,
        organization_id: OrganizationId,
        automation: Option<AutomationId>,
        page: &PageRequest<WebhookId>,
    ) -> StoreResult<Page<WebhookRecord>> {
        let conditions: Vec<(&str, Option<Arg<'_>>)> = automation
            .map(|id| ("w.automation_id = ?", Some(Arg::from(id))))
            .into_iter()
            .collect();
        keyset::page(
            &self.db,
            (webhook_select!(), "w"),
            organization_id,
            &conditions,
            page,
        )
        .await
    }

    async fn delete_webhook(
        &self,
        organization_id: OrganizationId,
        id: WebhookId,
        activity: &Activity,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.change(
                "delete from automation_webhooks where organization_id = ?1 and id = ?2",
                args![organization_id, id],
            )
            .await?;
            insert_activity(&tx, activity).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn webhook_by_token(&self, digest: &Digest) -> StoreResult<Option<WebhookRecord>> {
        self.db
            .first(
                concat!(webhook_select!(), "where w.token_digest = ?1"),
                args![digest],
            )
            .await
    }
}
