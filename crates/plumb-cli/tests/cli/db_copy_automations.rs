//! The enrollment and automation rows of the `plumb db copy` seed (install keys, an
//! automation, its webhook trigger, runs with and without results), and the check that they
//! read back the same through the `Store` trait after a copy.

use plumb_core::Store;
use plumb_core::crypto::Digest;
use plumb_core::id::{ActivityId, WebhookId};
use plumb_core::id::{AutomationId, DeviceId, GroupId, InstallKeyId, OrganizationId, RunId};
use plumb_core::page::{Cursor, PageRequest};
use plumb_core::store::{Activity, AutomationFields, NewInstallKey, NewWebhook, StepResult};
use plumb_proto::agent::ScriptStep;
use plumb_proto::v2::RunStatus;
use time::{Duration, OffsetDateTime};

/// What was seeded, to look it up again: runs have no list, only ids.
pub struct SeededAutomations {
    runs: Vec<RunId>,
}

fn log(organization_id: OrganizationId, at: OffsetDateTime) -> Activity {
    Activity {
        api_key: None,
        id: ActivityId::new(),
        organization_id,
        actor: None,
        action: "automation.test".into(),
        target_type: "test".into(),
        target_id: None,
        details: serde_json::json!({}),
        ip: None,
        created_at: at,
    }
}

/// Seeds a live and a revoked install key, an automation over `group` (which holds one
/// device) with a trigger, and two runs on that device: one finished with results, one running.
pub async fn seed_automations(
    store: &dyn Store,
    organization_id: OrganizationId,
    group: GroupId,
    t0: OffsetDateTime,
) -> SeededAutomations {
    for (seed, group_id) in [(40, Some(group)), (41, None)] {
        let key = NewInstallKey {
            id: InstallKeyId::new(),
            organization_id,
            group_id,
            digest: Digest([seed; 32]),
            hint: format!("ik{seed}"),
            created_at: t0,
        };
        store
            .insert_install_key(&key, &log(organization_id, t0))
            .await
            .unwrap();
        if seed == 41 {
            store
                .revoke_install_key(organization_id, key.id, &log(organization_id, t0))
                .await
                .unwrap();
        }
    }
    let fields = AutomationFields {
        name: "Patch \u{e9}t\u{e9}".into(),
        description: Some("monthly".into()),
        group_id: Some(group),
        steps: vec![ScriptStep {
            name: "update".into(),
            shell: "bash".into(),
            script: "apt-get -y upgrade\necho \"done\"".into(),
            timeout_seconds: 600,
        }],
    };
    let automation = AutomationId::new();
    store
        .insert_automation(
            organization_id,
            automation,
            &fields,
            t0,
            &log(organization_id, t0),
        )
        .await
        .unwrap();
    let webhook = NewWebhook {
        id: WebhookId::new(),
        organization_id,
        automation_id: automation,
        token_digest: Digest([42; 32]),
        sealed_token: vec![0, 1, 254, 255],
        authorization_digest: Some(Digest([43; 32])),
        created_at: t0,
    };
    store
        .insert_webhook(&webhook, &log(organization_id, t0))
        .await
        .unwrap();
    // Two runs on the group's device: both claimed, the first finished with results.
    let mut started = Vec::new();
    for second in [0, 1] {
        let at = t0 + Duration::seconds(second);
        started.extend(
            store
                .start_runs(organization_id, automation, None, at, None)
                .await
                .unwrap(),
        );
    }
    let device: DeviceId = started[0].device_id;
    store
        .claim_runs(organization_id, device, t0 + Duration::seconds(2))
        .await
        .unwrap();
    let results = [StepResult {
        name: "update".into(),
        status: RunStatus::Warning,
        output: "3 upgraded\n\u{1F600}".into(),
    }];
    store
        .finish_run(
            organization_id,
            device,
            started[0].id,
            RunStatus::Warning,
            &results,
            t0 + Duration::seconds(3),
        )
        .await
        .unwrap();
    SeededAutomations {
        runs: started.iter().map(|run| run.id).collect(),
    }
}

/// Asserts that `copy` holds the same enrollment and automation rows as `original`.
pub async fn assert_same_automations(
    original: &dyn Store,
    copy: &dyn Store,
    organization_id: OrganizationId,
    seeded: &SeededAutomations,
) {
    assert_eq!(
        copy.list_install_keys(organization_id).await.unwrap(),
        original.list_install_keys(organization_id).await.unwrap()
    );
    assert_eq!(
        copy.install_key_by_digest(&Digest([41; 32])).await.unwrap(),
        None
    );
    let page = PageRequest {
        limit: 10,
        cursor: Cursor::First,
    };
    let automations = copy.list_automations(organization_id, &page).await.unwrap();
    assert_eq!(automations.items.len(), 1);
    assert_eq!(
        automations,
        original
            .list_automations(organization_id, &page)
            .await
            .unwrap()
    );
    let page = PageRequest {
        limit: 10,
        cursor: Cursor::First,
    };
    assert_eq!(
        copy.list_webhooks(organization_id, None, &page)
            .await
            .unwrap(),
        original
            .list_webhooks(organization_id, None, &page)
            .await
            .unwrap()
    );
    assert!(
        copy.webhook_by_token(&Digest([42; 32]))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(seeded.runs.len(), 2);
    for run in &seeded.runs {
        assert_eq!(
            copy.run(organization_id, *run).await.unwrap(),
            original.run(organization_id, *run).await.unwrap()
        );
    }
    let finished = copy.run(organization_id, seeded.runs[0]).await.unwrap();
    assert_eq!(finished.status, RunStatus::Warning);
    assert_eq!(finished.results.len(), 1);
    let running = copy.run(organization_id, seeded.runs[1]).await.unwrap();
    assert_eq!(
        (running.status, running.ended_at),
        (RunStatus::Running, None)
    );
}
