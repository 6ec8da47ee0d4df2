//! What deleting a group, an automation or a device does to install keys, automations,
//! triggers and runs: contents move up, triggers go, runs stay readable.

use plumb_core::Store;
use plumb_core::id::InstallKeyId;
use plumb_core::store::NewInstallKey;
use plumb_proto::v2::RunStatus;

use crate::support::{T0, activity, assert_not_found, digest, insert_automation, insert_group};
use crate::support::{insert_named_device, logged_actions, minutes, tenant};
use crate::webhooks::{insert_webhook, new_webhook};

conformance!(
    deleting_a_group_moves_its_install_keys_and_automations_to_its_parent,
    deleting_an_automation_deletes_its_webhooks,
    deleting_an_automation_keeps_its_runs_and_cancels_pending_ones,
    deleting_a_device_keeps_its_runs_without_the_device,
);

async fn deleting_a_group_moves_its_install_keys_and_automations_to_its_parent(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let sites = insert_group(store, acme.id, None, "Sites").await;
    let paris = insert_group(store, acme.id, Some(sites.id), "Paris").await;
    let mut keys = Vec::new();
    for (seed, group) in [(1, paris.id), (2, sites.id)] {
        let key = NewInstallKey {
            id: InstallKeyId::new(),
            organization_id: acme.id,
            group_id: Some(group),
            digest: digest(seed),
            hint: "hint".into(),
            created_at: T0,
        };
        let entry = activity(acme.id, "install_key.created");
        keys.push(store.insert_install_key(&key, &entry).await.unwrap());
    }
    let in_paris = insert_automation(store, acme.id, "Paris", Some(paris.id)).await;
    let in_sites = insert_automation(store, acme.id, "Sites", Some(sites.id)).await;

    store
        .delete_group(acme.id, paris.id, time::OffsetDateTime::UNIX_EPOCH, None)
        .await
        .unwrap();

    let moved = store.automation(acme.id, in_paris.id).await.unwrap();
    assert_eq!(moved.group_id, Some(sites.id));
    assert_eq!(moved.group_name.as_deref(), Some("Sites"));
    let key = store
        .install_key_by_digest(&digest(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(key.group_id, Some(sites.id));

    // A root group's contents end up in no group.
    store
        .delete_group(acme.id, sites.id, time::OffsetDateTime::UNIX_EPOCH, None)
        .await
        .unwrap();

    for automation in [in_paris.id, in_sites.id] {
        let stored = store.automation(acme.id, automation).await.unwrap();
        assert_eq!((stored.group_id, stored.group_name), (None, None));
    }
    let listed = store.list_install_keys(acme.id).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|key| key.group_id.is_none()));
}

async fn deleting_an_automation_deletes_its_webhooks(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let deleted = insert_automation(store, acme.id, "Patch", None).await;
    let kept = insert_automation(store, acme.id, "Reboot", None).await;
    insert_webhook(store, &new_webhook(acme.id, deleted.id, 1)).await;
    let survivor = insert_webhook(store, &new_webhook(acme.id, kept.id, 2)).await;

    let entry = activity(acme.id, "automation.deleted");
    store
        .delete_automation(acme.id, deleted.id, minutes(1), &entry)
        .await
        .unwrap();

    assert_not_found(store.automation(acme.id, deleted.id).await);
    assert_eq!(store.webhook_by_token(&digest(1)).await.unwrap(), None);
    assert_eq!(
        store.webhook_by_token(&digest(2)).await.unwrap(),
        Some(survivor)
    );
    assert_eq!(
        logged_actions(store, acme.id)
            .await
            .last()
            .map(String::as_str),
        Some("automation.deleted")
    );
    let entry = activity(acme.id, "automation.deleted");
    assert_not_found(
        store
            .delete_automation(acme.id, deleted.id, minutes(2), &entry)
            .await,
    );
}

async fn deleting_an_automation_keeps_its_runs_and_cancels_pending_ones(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let busy = insert_named_device(store, acme.id, None, "busy").await;
    let done = insert_named_device(store, acme.id, None, "done").await;
    let idle = insert_named_device(store, acme.id, None, "idle").await;
    let automation = insert_automation(store, acme.id, "Patch", None).await;
    let other = insert_automation(store, acme.id, "Other", None).await;
    let started = store
        .start_runs(acme.id, automation.id, None, T0, None)
        .await
        .unwrap();
    let untouched = store
        .start_runs(acme.id, other.id, Some(&[idle]), T0, None)
        .await
        .unwrap();
    let run_of = |device| {
        started
            .iter()
            .find(|run| run.device_id == device)
            .unwrap()
            .id
    };
    store.claim_runs(acme.id, busy, minutes(1)).await.unwrap();
    store.claim_runs(acme.id, done, minutes(1)).await.unwrap();
    store
        .finish_run(
            acme.id,
            done,
            run_of(done),
            RunStatus::Success,
            &[],
            minutes(2),
        )
        .await
        .unwrap();

    let entry = activity(acme.id, "automation.deleted");
    store
        .delete_automation(acme.id, automation.id, minutes(3), &entry)
        .await
        .unwrap();

    let busy_run = store.run(acme.id, run_of(busy)).await.unwrap();
    assert_eq!(busy_run.status, RunStatus::Running);
    assert_eq!(busy_run.ended_at, None);
    let done_run = store.run(acme.id, run_of(done)).await.unwrap();
    assert_eq!(done_run.status, RunStatus::Success);
    assert_eq!(done_run.ended_at, Some(minutes(2)));
    let idle_run = store.run(acme.id, run_of(idle)).await.unwrap();
    assert_eq!(idle_run.status, RunStatus::Canceled);
    assert_eq!(idle_run.ended_at, Some(minutes(3)));
    for run in [&busy_run, &done_run, &idle_run] {
        assert_eq!(run.automation_id, None);
        assert_eq!(run.automation_name, "Patch");
        assert_eq!(run.steps, automation.steps);
    }
    // The other automation's pending run is not canceled.
    let other_run = store.run(acme.id, untouched[0].id).await.unwrap();
    assert_eq!(other_run.status, RunStatus::Pending);
    assert_eq!(other_run.automation_id, Some(other.id));
    // A canceled run is over: the device's next claim gets only the other automation's run.
    let claimed = store.claim_runs(acme.id, idle, minutes(4)).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].id, untouched[0].id);
}

async fn deleting_a_device_keeps_its_runs_without_the_device(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let automation = insert_automation(store, acme.id, "Patch", None).await;
    let started = store
        .start_runs(acme.id, automation.id, None, T0, None)
        .await
        .unwrap();

    store
        .delete_device(acme.id, device, time::OffsetDateTime::UNIX_EPOCH, None)
        .await
        .unwrap();

    let run = store.run(acme.id, started[0].id).await.unwrap();
    assert_eq!(run.device_id, None);
    assert_eq!(run.device_hostname.as_deref(), Some("web-1"));
    assert_eq!(run.automation_id, Some(automation.id));
    assert!(
        store
            .claim_runs(acme.id, device, minutes(1))
            .await
            .unwrap()
            .is_empty()
    );
}
