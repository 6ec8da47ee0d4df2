//! Webhook triggers: what reads back by token, the automation's name beside each, deletion
//! stopping the token, digests never issued twice, and tenant isolation.

use plumb_core::Store;
use plumb_core::id::{AutomationId, OrganizationId, WebhookId};
use plumb_core::store::{NewWebhook, WebhookRecord};

use crate::support::{T0, activity, assert_conflict, assert_not_found, digest};
use crate::support::{insert_automation, logged_actions, minutes, tenant};

conformance!(
    a_webhook_reads_back_by_token_with_its_automation_name,
    a_webhook_for_a_missing_or_foreign_automation_is_not_found,
    deleting_a_webhook_stops_its_token_at_once,
    deleting_another_organizations_webhook_is_not_found,
    a_webhook_token_is_never_issued_twice,
);

/// A new trigger whose token digest comes from `seed`.
pub fn new_webhook(
    organization_id: OrganizationId,
    automation_id: AutomationId,
    seed: u8,
) -> NewWebhook {
    NewWebhook {
        id: WebhookId::new(),
        organization_id,
        automation_id,
        token_digest: digest(seed),
        sealed_token: vec![seed; 48],
        authorization_digest: None,
        created_at: T0,
    }
}

/// Inserts a trigger.
pub async fn insert_webhook(store: &dyn Store, webhook: &NewWebhook) -> WebhookRecord {
    let entry = activity(webhook.organization_id, "webhook.created");
    store.insert_webhook(webhook, &entry).await.unwrap()
}

async fn a_webhook_reads_back_by_token_with_its_automation_name(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let automation = insert_automation(store, acme.id, "Patch", None).await;
    let webhook = NewWebhook {
        authorization_digest: Some(digest(200)),
        created_at: minutes(2),
        ..new_webhook(acme.id, automation.id, 1)
    };

    let stored = insert_webhook(store, &webhook).await;

    let expected = WebhookRecord {
        id: webhook.id,
        organization_id: acme.id,
        automation_id: automation.id,
        automation_name: "Patch".into(),
        sealed_token: vec![1; 48],
        authorization_digest: Some(digest(200)),
        created_at: minutes(2),
    };
    assert_eq!(stored, expected);
    assert_eq!(
        store.webhook_by_token(&digest(1)).await.unwrap(),
        Some(expected)
    );
    assert_eq!(store.webhook_by_token(&digest(200)).await.unwrap(), None);
    assert_eq!(
        logged_actions(store, acme.id)
            .await
            .last()
            .map(String::as_str),
        Some("webhook.created")
    );
}

async fn a_webhook_for_a_missing_or_foreign_automation_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let theirs = insert_automation(store, other.id, "Theirs", None).await;
    let logged = logged_actions(store, acme.id).await;

    for (seed, automation_id) in [(1, AutomationId::new()), (2, theirs.id)] {
        let webhook = new_webhook(acme.id, automation_id, seed);
        let entry = activity(acme.id, "webhook.created");
        assert_not_found(store.insert_webhook(&webhook, &entry).await);
        assert_eq!(store.webhook_by_token(&digest(seed)).await.unwrap(), None);
    }
    assert_eq!(logged_actions(store, acme.id).await, logged);
}

async fn deleting_a_webhook_stops_its_token_at_once(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let automation = insert_automation(store, acme.id, "Patch", None).await;
    let kept = insert_webhook(store, &new_webhook(acme.id, automation.id, 1)).await;
    let deleted = insert_webhook(store, &new_webhook(acme.id, automation.id, 2)).await;

    let entry = activity(acme.id, "webhook.deleted");
    store
        .delete_webhook(acme.id, deleted.id, &entry)
        .await
        .unwrap();

    assert_eq!(store.webhook_by_token(&digest(2)).await.unwrap(), None);
    assert_eq!(
        store.webhook_by_token(&digest(1)).await.unwrap(),
        Some(kept)
    );
    assert_eq!(
        logged_actions(store, acme.id)
            .await
            .last()
            .map(String::as_str),
        Some("webhook.deleted")
    );
    let entry = activity(acme.id, "webhook.deleted");
    assert_not_found(store.delete_webhook(acme.id, deleted.id, &entry).await);
}

async fn deleting_another_organizations_webhook_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let automation = insert_automation(store, other.id, "Theirs", None).await;
    let theirs = insert_webhook(store, &new_webhook(other.id, automation.id, 1)).await;
    let logged = logged_actions(store, acme.id).await;

    let entry = activity(acme.id, "webhook.deleted");
    assert_not_found(store.delete_webhook(acme.id, theirs.id, &entry).await);

    assert_eq!(
        store.webhook_by_token(&digest(1)).await.unwrap(),
        Some(theirs)
    );
    assert_eq!(logged_actions(store, acme.id).await, logged);
}

async fn a_webhook_token_is_never_issued_twice(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let ours = insert_automation(store, acme.id, "Patch", None).await;
    let theirs = insert_automation(store, other.id, "Patch", None).await;
    let first = insert_webhook(store, &new_webhook(acme.id, ours.id, 5)).await;

    let clash = new_webhook(other.id, theirs.id, 5);
    let entry = activity(other.id, "webhook.created");
    assert_conflict(
        store.insert_webhook(&clash, &entry).await,
        "automation_webhooks.token",
    );
    assert_eq!(
        store.webhook_by_token(&digest(5)).await.unwrap(),
        Some(first)
    );
}
