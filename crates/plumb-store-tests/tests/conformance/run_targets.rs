//! Starting runs: which devices an automation targets (its group's whole subtree, or the whole
//! organization), narrowing with `only`, and what each new run copies.

use plumb_core::Store;
use plumb_core::id::{AutomationId, DeviceId};
use plumb_core::store::{AutomationFields, RunRecord, StartedRun};
use plumb_proto::v2::RunStatus;

use crate::support::{T0, activity, assert_not_found, insert_automation, insert_group};
use crate::support::{insert_named_device, minutes, step, tenant};

conformance!(
    runs_target_every_device_of_the_groups_subtree,
    an_automation_without_a_group_targets_every_device_of_the_organization,
    only_narrows_the_target_and_skips_unknown_foreign_and_repeated_ids,
    an_automation_without_target_devices_starts_no_runs,
    starting_runs_of_a_missing_or_foreign_automation_is_not_found,
    a_started_run_copies_the_automation_and_the_device,
);

/// The device ids of started runs, checking they come in device id order.
fn devices(started: &[StartedRun]) -> Vec<DeviceId> {
    let ids: Vec<DeviceId> = started.iter().map(|run| run.device_id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "runs come back in device id order");
    ids
}

fn sorted(mut ids: Vec<DeviceId>) -> Vec<DeviceId> {
    ids.sort();
    ids
}

async fn runs_target_every_device_of_the_groups_subtree(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let sites = insert_group(store, acme.id, None, "Sites").await;
    let paris = insert_group(store, acme.id, Some(sites.id), "Paris").await;
    let floor = insert_group(store, acme.id, Some(paris.id), "Floor 2").await;
    let elsewhere = insert_group(store, acme.id, None, "Elsewhere").await;
    let top = insert_named_device(store, acme.id, Some(sites.id), "top").await;
    let middle = insert_named_device(store, acme.id, Some(paris.id), "middle").await;
    let deep = insert_named_device(store, acme.id, Some(floor.id), "deep").await;
    insert_named_device(store, acme.id, Some(elsewhere.id), "outside").await;
    insert_named_device(store, acme.id, None, "loose").await;
    let whole = insert_automation(store, acme.id, "Whole", Some(sites.id)).await;
    let branch = insert_automation(store, acme.id, "Branch", Some(paris.id)).await;

    let started = store
        .start_runs(acme.id, whole.id, None, T0, None)
        .await
        .unwrap();
    assert_eq!(devices(&started), sorted(vec![top, middle, deep]));
    let started = store
        .start_runs(acme.id, branch.id, None, T0, None)
        .await
        .unwrap();
    assert_eq!(devices(&started), sorted(vec![middle, deep]));
}

async fn an_automation_without_a_group_targets_every_device_of_the_organization(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let grouped = insert_named_device(store, acme.id, Some(group.id), "grouped").await;
    let loose = insert_named_device(store, acme.id, None, "loose").await;
    insert_named_device(store, other.id, None, "theirs").await;
    let everywhere = insert_automation(store, acme.id, "Everywhere", None).await;

    let started = store
        .start_runs(acme.id, everywhere.id, None, T0, None)
        .await
        .unwrap();

    assert_eq!(devices(&started), sorted(vec![grouped, loose]));
    let ids: Vec<_> = started.iter().map(|run| run.id).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

async fn only_narrows_the_target_and_skips_unknown_foreign_and_repeated_ids(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let first = insert_named_device(store, acme.id, Some(group.id), "first").await;
    let second = insert_named_device(store, acme.id, Some(group.id), "second").await;
    let outside = insert_named_device(store, acme.id, None, "outside").await;
    let theirs = insert_named_device(store, other.id, None, "theirs").await;
    let automation = insert_automation(store, acme.id, "Patch", Some(group.id)).await;

    let only = [second, outside, theirs, DeviceId::new(), second];
    let started = store
        .start_runs(acme.id, automation.id, Some(&only), T0, None)
        .await
        .unwrap();
    assert_eq!(devices(&started), [second]);

    let started = store
        .start_runs(acme.id, automation.id, Some(&[]), T0, None)
        .await
        .unwrap();
    assert!(started.is_empty());
    let started = store
        .start_runs(acme.id, automation.id, Some(&[first, second]), T0, None)
        .await
        .unwrap();
    assert_eq!(devices(&started), sorted(vec![first, second]));
}

async fn an_automation_without_target_devices_starts_no_runs(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let empty = insert_group(store, acme.id, None, "Empty").await;
    insert_named_device(store, acme.id, None, "loose").await;
    let automation = insert_automation(store, acme.id, "Patch", Some(empty.id)).await;

    let started = store
        .start_runs(acme.id, automation.id, None, T0, None)
        .await
        .unwrap();

    assert!(started.is_empty());
}

async fn starting_runs_of_a_missing_or_foreign_automation_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    insert_named_device(store, acme.id, None, "ours").await;
    let theirs = insert_automation(store, other.id, "Theirs", None).await;

    for id in [AutomationId::new(), theirs.id] {
        assert_not_found(store.start_runs(acme.id, id, None, T0, None).await);
    }
}

async fn a_started_run_copies_the_automation_and_the_device(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let automation = insert_automation(store, acme.id, "Patch", None).await;

    let started = store
        .start_runs(acme.id, automation.id, None, minutes(3), None)
        .await
        .unwrap();
    assert_eq!(started.len(), 1);
    let run_id = started[0].id;

    // Later changes to the automation leave the run as it was started.
    let changed = AutomationFields {
        name: "Patch v2".into(),
        description: None,
        group_id: None,
        steps: vec![step("other")],
    };
    let entry = activity(acme.id, "automation.updated");
    store
        .update_automation(acme.id, automation.id, &changed, minutes(4), &entry)
        .await
        .unwrap();

    let expected = RunRecord {
        id: run_id,
        organization_id: acme.id,
        automation_id: Some(automation.id),
        automation_name: "Patch".into(),
        device_id: Some(device),
        device_hostname: Some("web-1".into()),
        status: RunStatus::Pending,
        steps: automation.steps.clone(),
        results: Vec::new(),
        created_at: minutes(3),
        started_at: None,
        ended_at: None,
    };
    assert_eq!(store.run(acme.id, run_id).await.unwrap(), expected);
    assert_not_found(store.run(other.id, run_id).await);
    assert_not_found(store.run(acme.id, plumb_core::id::RunId::new()).await);
}
