//! The Runs views: one automation's runs and one device's, newest first, paged by `before`,
//! never another organization's; and a person's Run now, whose activity entry is written with
//! its runs and only when a run was started.

use plumb_core::Store;
use plumb_core::id::RunId;
use plumb_core::store::{RunRecord, RunsOf};

use crate::support::tenant;
use crate::support::{activity, insert_automation, insert_group, insert_named_device, minutes};

conformance!(
    an_automations_runs_are_listed_newest_first_and_paged_by_before,
    a_devices_runs_are_listed_across_automations,
    another_organizations_runs_are_never_listed,
    a_run_now_writes_its_activity_entry_with_its_runs,
    a_run_now_that_starts_nothing_writes_no_activity_entry,
);

fn ids(runs: &[RunRecord]) -> Vec<RunId> {
    runs.iter().map(|run| run.id).collect()
}

async fn an_automations_runs_are_listed_newest_first_and_paged_by_before(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let first = insert_named_device(store, acme.id, None, "first").await;
    let second = insert_named_device(store, acme.id, None, "second").await;
    let patch = insert_automation(store, acme.id, "Patch", None).await;
    let other = insert_automation(store, acme.id, "Other", None).await;
    let mut started = Vec::new();
    for at in 0..3 {
        let runs = store
            .start_runs(acme.id, patch.id, Some(&[first]), minutes(at), None)
            .await
            .unwrap();
        started.push(runs[0].id);
    }
    store
        .start_runs(acme.id, other.id, Some(&[second]), minutes(5), None)
        .await
        .unwrap();
    let of = RunsOf::Automation(patch.id);

    let newest = store.list_runs(acme.id, of, None, 2).await.unwrap();
    assert_eq!(ids(&newest), [started[2], started[1]]);
    assert_eq!(newest[0].automation_name, "Patch");
    assert_eq!(newest[0].device_hostname.as_deref(), Some("first"));
    let older = store
        .list_runs(acme.id, of, Some(started[1]), 2)
        .await
        .unwrap();
    assert_eq!(ids(&older), [started[0]]);
}

async fn a_devices_runs_are_listed_across_automations(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let servers = insert_group(store, acme.id, None, "Servers").await;
    let device = insert_named_device(store, acme.id, Some(servers.id), "web-1").await;
    let elsewhere = insert_named_device(store, acme.id, None, "desk").await;
    let patch = insert_automation(store, acme.id, "Patch", Some(servers.id)).await;
    let audit = insert_automation(store, acme.id, "Audit", None).await;
    let one = store
        .start_runs(acme.id, patch.id, None, minutes(1), None)
        .await
        .unwrap();
    let both = store
        .start_runs(acme.id, audit.id, None, minutes(2), None)
        .await
        .unwrap();
    let theirs: Vec<_> = both.iter().filter(|run| run.device_id == device).collect();

    let listed = store
        .list_runs(acme.id, RunsOf::Device(device), None, 10)
        .await
        .unwrap();

    assert_eq!(ids(&listed), [theirs[0].id, one[0].id]);
    assert_eq!(listed[0].automation_name, "Audit");
    let desk = store
        .list_runs(acme.id, RunsOf::Device(elsewhere), None, 10)
        .await
        .unwrap();
    assert_eq!(desk.len(), 1);
}

async fn another_organizations_runs_are_never_listed(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let patch = insert_automation(store, acme.id, "Patch", None).await;
    store
        .start_runs(acme.id, patch.id, None, minutes(1), None)
        .await
        .unwrap();

    let by_automation = store
        .list_runs(other.id, RunsOf::Automation(patch.id), None, 10)
        .await
        .unwrap();
    let by_device = store
        .list_runs(other.id, RunsOf::Device(device), None, 10)
        .await
        .unwrap();

    assert!(by_automation.is_empty());
    assert!(by_device.is_empty());
}

async fn a_run_now_writes_its_activity_entry_with_its_runs(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let patch = insert_automation(store, acme.id, "Patch", None).await;
    let before = store.list_activity(acme.id, None, 100).await.unwrap().len();
    let entry = activity(acme.id, "automation.run_started");

    let started = store
        .start_runs(acme.id, patch.id, Some(&[device]), minutes(1), Some(&entry))
        .await
        .unwrap();

    assert_eq!(started.len(), 1);
    let log = store.list_activity(acme.id, None, 100).await.unwrap();
    assert_eq!(log.len(), before + 1);
    assert_eq!(log[0].action, "automation.run_started");
}

async fn a_run_now_that_starts_nothing_writes_no_activity_entry(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let empty = insert_group(store, acme.id, None, "Empty").await;
    insert_named_device(store, acme.id, None, "loose").await;
    let patch = insert_automation(store, acme.id, "Patch", Some(empty.id)).await;
    let before = store.list_activity(acme.id, None, 100).await.unwrap().len();
    let entry = activity(acme.id, "automation.run_started");

    let started = store
        .start_runs(acme.id, patch.id, None, minutes(1), Some(&entry))
        .await
        .unwrap();

    assert!(started.is_empty());
    let log = store.list_activity(acme.id, None, 100).await.unwrap().len();
    assert_eq!(log, before);
}
