//! Keyset pages of automations and of webhook triggers: forward and backward travel,
//! `has_more` at the edges, the automation filter, and one organization per page.

use plumb_core::Store;
use plumb_core::id::{AutomationId, OrganizationId, WebhookId};
use plumb_core::page::{Cursor, PageRequest};

use crate::support::{insert_automation, tenant};
use crate::webhooks::{insert_webhook, new_webhook};

conformance!(
    an_organization_without_automations_has_an_empty_last_page,
    automation_pages_walk_forward_and_backward_in_id_order,
    webhook_pages_walk_in_id_order_and_filter_by_automation,
    webhook_pages_hold_only_the_organizations_triggers,
);

async fn automation_page(
    store: &dyn Store,
    organization_id: OrganizationId,
    limit: u32,
    cursor: Cursor<AutomationId>,
) -> (Vec<AutomationId>, bool) {
    let page = store
        .list_automations(organization_id, &PageRequest { limit, cursor })
        .await
        .unwrap();
    (
        page.items.iter().map(|item| item.id).collect(),
        page.has_more,
    )
}

async fn webhook_page(
    store: &dyn Store,
    organization_id: OrganizationId,
    automation: Option<AutomationId>,
    limit: u32,
    cursor: Cursor<WebhookId>,
) -> (Vec<WebhookId>, bool) {
    let page = store
        .list_webhooks(organization_id, automation, &PageRequest { limit, cursor })
        .await
        .unwrap();
    (
        page.items.iter().map(|item| item.id).collect(),
        page.has_more,
    )
}

/// Inserts `count` automations and returns their ids in id order.
async fn automations(
    store: &dyn Store,
    organization_id: OrganizationId,
    count: usize,
) -> Vec<AutomationId> {
    let mut ids = Vec::new();
    for number in 0..count {
        let name = format!("automation {number}");
        ids.push(
            insert_automation(store, organization_id, &name, None)
                .await
                .id,
        );
    }
    ids.sort();
    ids
}

async fn an_organization_without_automations_has_an_empty_last_page(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    automations(store, other.id, 2).await;

    for cursor in [
        Cursor::First,
        Cursor::After(AutomationId::new()),
        Cursor::Before(AutomationId::new()),
    ] {
        assert_eq!(
            automation_page(store, acme.id, 5, cursor).await,
            (Vec::new(), false)
        );
    }
    assert_eq!(
        webhook_page(store, acme.id, None, 5, Cursor::First).await,
        (Vec::new(), false)
    );
}

async fn automation_pages_walk_forward_and_backward_in_id_order(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let ids = automations(store, acme.id, 5).await;

    let first = automation_page(store, acme.id, 2, Cursor::First).await;
    assert_eq!(first, (ids[0..2].to_vec(), true));
    let second = automation_page(store, acme.id, 2, Cursor::After(ids[1])).await;
    assert_eq!(second, (ids[2..4].to_vec(), true));
    let last = automation_page(store, acme.id, 2, Cursor::After(ids[3])).await;
    assert_eq!(last, (ids[4..].to_vec(), false));
    // An exact fit ends without more.
    let exact = automation_page(store, acme.id, 5, Cursor::First).await;
    assert_eq!(exact, (ids.clone(), false));

    let back = automation_page(store, acme.id, 2, Cursor::Before(ids[4])).await;
    assert_eq!(back, (ids[2..4].to_vec(), true));
    let start = automation_page(store, acme.id, 2, Cursor::Before(ids[2])).await;
    assert_eq!(start, (ids[0..2].to_vec(), false));
    let beyond = automation_page(store, acme.id, 2, Cursor::After(ids[4])).await;
    assert_eq!(beyond, (Vec::new(), false));
}

async fn webhook_pages_walk_in_id_order_and_filter_by_automation(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let patch = insert_automation(store, acme.id, "Patch", None).await;
    let reboot = insert_automation(store, acme.id, "Reboot", None).await;
    let mut all = Vec::new();
    let mut of_patch = Vec::new();
    for seed in 0..5 {
        let automation = if seed % 2 == 0 { patch.id } else { reboot.id };
        let webhook = insert_webhook(store, &new_webhook(acme.id, automation, seed)).await;
        all.push(webhook.id);
        if automation == patch.id {
            of_patch.push(webhook.id);
        }
    }
    all.sort();
    of_patch.sort();

    let first = webhook_page(store, acme.id, None, 3, Cursor::First).await;
    assert_eq!(first, (all[0..3].to_vec(), true));
    let rest = webhook_page(store, acme.id, None, 3, Cursor::After(all[2])).await;
    assert_eq!(rest, (all[3..].to_vec(), false));
    let back = webhook_page(store, acme.id, None, 3, Cursor::Before(all[3])).await;
    assert_eq!(back, (all[0..3].to_vec(), false));

    let filtered = webhook_page(store, acme.id, Some(patch.id), 2, Cursor::First).await;
    assert_eq!(filtered, (of_patch[0..2].to_vec(), true));
    let after = Cursor::After(of_patch[1]);
    let filtered = webhook_page(store, acme.id, Some(patch.id), 2, after).await;
    assert_eq!(filtered, (of_patch[2..].to_vec(), false));
    let before = Cursor::Before(of_patch[2]);
    let filtered = webhook_page(store, acme.id, Some(patch.id), 5, before).await;
    assert_eq!(filtered, (of_patch[0..2].to_vec(), false));
    let unknown = webhook_page(store, acme.id, Some(AutomationId::new()), 5, Cursor::First).await;
    assert_eq!(unknown, (Vec::new(), false));
}

async fn webhook_pages_hold_only_the_organizations_triggers(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let ours = insert_automation(store, acme.id, "Patch", None).await;
    let theirs = insert_automation(store, other.id, "Patch", None).await;
    let mine = insert_webhook(store, &new_webhook(acme.id, ours.id, 1)).await;
    insert_webhook(store, &new_webhook(other.id, theirs.id, 2)).await;

    let page = webhook_page(store, acme.id, None, 10, Cursor::First).await;
    assert_eq!(page, (vec![mine.id], false));
    // Filtering by another organization's automation finds nothing either.
    let foreign = webhook_page(store, acme.id, Some(theirs.id), 10, Cursor::First).await;
    assert_eq!(foreign, (Vec::new(), false));
}
