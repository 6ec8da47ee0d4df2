//! Claiming and finishing runs: a check-in takes its device's pending runs oldest first and
//! exactly once, and a run ends once, with its results, for its own device only.

use plumb_core::Store;
use plumb_core::id::{DeviceId, OrganizationId, RunId};
use plumb_core::store::{RunRecord, StepResult};
use plumb_proto::v2::RunStatus;

use crate::support::{assert_conflict, assert_not_found, insert_automation, insert_named_device};
use crate::support::{minutes, tenant};

conformance!(
    a_claim_takes_the_devices_pending_runs_oldest_first,
    a_claimed_run_is_not_claimed_again,
    two_concurrent_claims_never_both_get_a_run,
    another_organization_cannot_claim_a_devices_runs,
    finishing_a_run_records_its_status_and_results,
    finishing_a_pending_run_also_sets_its_start,
    finishing_a_run_twice_is_a_conflict,
    finishing_another_devices_or_organizations_run_is_not_found,
);

/// Starts the automation `name` (targeting every device) at `minutes(at)`, returning the run
/// of `device`.
async fn start(
    store: &dyn Store,
    organization_id: OrganizationId,
    name: &str,
    device: DeviceId,
    at: i64,
) -> RunId {
    let automation = insert_automation(store, organization_id, name, None).await;
    let started = store
        .start_runs(
            organization_id,
            automation.id,
            Some(&[device]),
            minutes(at),
            None,
        )
        .await
        .unwrap();
    started[0].id
}

fn results() -> Vec<StepResult> {
    vec![
        StepResult {
            name: "check".into(),
            status: RunStatus::Success,
            output: "ok\n".into(),
        },
        StepResult {
            name: "disk".into(),
            status: RunStatus::Warning,
            output: "91% \u{2014} \"full\"".into(),
        },
    ]
}

fn ids(runs: &[RunRecord]) -> Vec<RunId> {
    runs.iter().map(|run| run.id).collect()
}

async fn a_claim_takes_the_devices_pending_runs_oldest_first(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let neighbour = insert_named_device(store, acme.id, None, "web-2").await;
    let later = start(store, acme.id, "Later", device, 5).await;
    let earlier = start(store, acme.id, "Earlier", device, 1).await;
    let theirs = start(store, acme.id, "Neighbour", neighbour, 0).await;

    let claimed = store.claim_runs(acme.id, device, minutes(9)).await.unwrap();

    assert_eq!(ids(&claimed), [earlier, later]);
    for run in &claimed {
        assert_eq!(run.status, RunStatus::Running);
        assert_eq!(run.started_at, Some(minutes(9)));
        assert_eq!(store.run(acme.id, run.id).await.unwrap(), *run);
    }
    assert_eq!(claimed[0].automation_name, "Earlier");
    assert_eq!(
        store.run(acme.id, theirs).await.unwrap().status,
        RunStatus::Pending
    );
}

async fn a_claimed_run_is_not_claimed_again(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let first = start(store, acme.id, "First", device, 0).await;

    assert_eq!(
        ids(&store.claim_runs(acme.id, device, minutes(1)).await.unwrap()),
        [first]
    );
    assert!(
        store
            .claim_runs(acme.id, device, minutes(2))
            .await
            .unwrap()
            .is_empty()
    );

    // A run started afterwards is the only one the next check-in gets.
    let second = start(store, acme.id, "Second", device, 3).await;
    assert_eq!(
        ids(&store.claim_runs(acme.id, device, minutes(4)).await.unwrap()),
        [second]
    );
    assert_eq!(
        store.run(acme.id, first).await.unwrap().started_at,
        Some(minutes(1))
    );
}

async fn two_concurrent_claims_never_both_get_a_run(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    for round in 0..10 {
        let mut started = Vec::new();
        for number in 0..3 {
            started.push(
                start(
                    store,
                    acme.id,
                    &format!("r{round} n{number}"),
                    device,
                    round,
                )
                .await,
            );
        }

        let (left, right) = tokio::join!(
            store.claim_runs(acme.id, device, minutes(100)),
            store.claim_runs(acme.id, device, minutes(100)),
        );

        let mut claimed = ids(&left.unwrap());
        claimed.extend(ids(&right.unwrap()));
        claimed.sort();
        started.sort();
        assert_eq!(
            claimed, started,
            "round {round}: every run claimed exactly once"
        );
    }
}

async fn another_organization_cannot_claim_a_devices_runs(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let run = start(store, acme.id, "Patch", device, 0).await;

    assert!(
        store
            .claim_runs(other.id, device, minutes(1))
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(
        store.run(acme.id, run).await.unwrap().status,
        RunStatus::Pending
    );
}

async fn finishing_a_run_records_its_status_and_results(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let run = start(store, acme.id, "Patch", device, 0).await;
    let claimed = store.claim_runs(acme.id, device, minutes(1)).await.unwrap();

    let finished = store
        .finish_run(
            acme.id,
            device,
            run,
            RunStatus::Warning,
            &results(),
            minutes(2),
        )
        .await
        .unwrap();

    let expected = RunRecord {
        status: RunStatus::Warning,
        results: results(),
        ended_at: Some(minutes(2)),
        ..claimed[0].clone()
    };
    assert_eq!(finished, expected);
    assert_eq!(finished.started_at, Some(minutes(1)));
    assert_eq!(store.run(acme.id, run).await.unwrap(), expected);
}

async fn finishing_a_pending_run_also_sets_its_start(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let run = start(store, acme.id, "Patch", device, 0).await;

    let finished = store
        .finish_run(acme.id, device, run, RunStatus::Error, &[], minutes(3))
        .await
        .unwrap();

    assert_eq!(finished.status, RunStatus::Error);
    assert_eq!(finished.started_at, Some(minutes(3)));
    assert_eq!(finished.ended_at, Some(minutes(3)));
    assert!(finished.results.is_empty());
}

async fn finishing_a_run_twice_is_a_conflict(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let run = start(store, acme.id, "Patch", device, 0).await;
    store.claim_runs(acme.id, device, minutes(1)).await.unwrap();
    let first = store
        .finish_run(
            acme.id,
            device,
            run,
            RunStatus::Success,
            &results(),
            minutes(2),
        )
        .await
        .unwrap();

    for status in [RunStatus::Success, RunStatus::Error, RunStatus::Canceled] {
        let again = store
            .finish_run(acme.id, device, run, status, &[], minutes(5))
            .await;
        assert_conflict(again, "automation_runs.finished");
    }

    assert_eq!(store.run(acme.id, run).await.unwrap(), first);
}

async fn finishing_another_devices_or_organizations_run_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let device = insert_named_device(store, acme.id, None, "web-1").await;
    let neighbour = insert_named_device(store, acme.id, None, "web-2").await;
    let run = start(store, acme.id, "Patch", device, 0).await;
    let claimed = store.claim_runs(acme.id, device, minutes(1)).await.unwrap();

    for (organization_id, device_id, run_id) in [
        (acme.id, neighbour, run),
        (other.id, device, run),
        (acme.id, device, RunId::new()),
    ] {
        let result = store
            .finish_run(
                organization_id,
                device_id,
                run_id,
                RunStatus::Success,
                &[],
                minutes(2),
            )
            .await;
        assert_not_found(result);
    }

    assert_eq!(store.run(acme.id, run).await.unwrap(), claimed[0]);
}
