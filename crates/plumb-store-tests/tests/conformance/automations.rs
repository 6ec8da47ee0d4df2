//! Automations: what reads back, names unique per organization, groups inside the
//! organization, full replacement on update, and tenant isolation of every write.

use plumb_core::Store;
use plumb_core::id::{AutomationId, GroupId};
use plumb_core::store::{AutomationFields, AutomationRecord};

use crate::support::{T0, activity, assert_conflict, assert_not_found, automation_fields};
use crate::support::{insert_automation, insert_group, logged_actions, minutes, step, tenant};

conformance!(
    an_automation_reads_back_with_its_steps_and_group_name,
    automation_names_are_unique_within_an_organization,
    an_automation_for_a_missing_or_foreign_group_is_not_found,
    updating_an_automation_replaces_its_fields,
    another_organizations_automation_is_not_found,
    an_automation_without_a_group_has_no_group_name,
);

async fn an_automation_reads_back_with_its_steps_and_group_name(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let id = AutomationId::new();
    let fields = AutomationFields {
        name: "Patch".into(),
        description: None,
        group_id: Some(group.id),
        steps: vec![step("stop"), step("patch"), step("start")],
    };

    let stored = store
        .insert_automation(
            acme.id,
            id,
            &fields,
            T0,
            &activity(acme.id, "automation.created"),
        )
        .await
        .unwrap();

    let expected = AutomationRecord {
        id,
        organization_id: acme.id,
        name: "Patch".into(),
        description: None,
        group_id: Some(group.id),
        group_name: Some("Servers".into()),
        steps: fields.steps.clone(),
        created_at: T0,
        updated_at: T0,
    };
    assert_eq!(stored, expected);
    assert_eq!(store.automation(acme.id, id).await.unwrap(), expected);
    assert_eq!(
        logged_actions(store, acme.id)
            .await
            .last()
            .map(String::as_str),
        Some("automation.created")
    );
}

async fn automation_names_are_unique_within_an_organization(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    insert_automation(store, acme.id, "Patch", None).await;
    let renamed = insert_automation(store, acme.id, "Reboot", None).await;
    let logged = logged_actions(store, acme.id).await;

    let taken = automation_fields("Patch", None);
    let entry = activity(acme.id, "automation.created");
    let inserted = store
        .insert_automation(acme.id, AutomationId::new(), &taken, T0, &entry)
        .await;
    assert_conflict(inserted, "automations.name");
    let entry = activity(acme.id, "automation.updated");
    let updated = store
        .update_automation(acme.id, renamed.id, &taken, minutes(1), &entry)
        .await;
    assert_conflict(updated, "automations.name");

    assert_eq!(
        store.automation(acme.id, renamed.id).await.unwrap(),
        renamed
    );
    assert_eq!(logged_actions(store, acme.id).await, logged);
    // Another organization may use the name.
    insert_automation(store, other.id, "Patch", None).await;
}

async fn an_automation_for_a_missing_or_foreign_group_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let foreign = insert_group(store, other.id, None, "Theirs").await;
    let existing = insert_automation(store, acme.id, "Existing", None).await;

    for group_id in [GroupId::new(), foreign.id] {
        let fields = automation_fields("Stray", Some(group_id));
        let entry = activity(acme.id, "automation.created");
        let id = AutomationId::new();
        assert_not_found(
            store
                .insert_automation(acme.id, id, &fields, T0, &entry)
                .await,
        );
        assert_not_found(store.automation(acme.id, id).await);
        let entry = activity(acme.id, "automation.updated");
        let updated = store
            .update_automation(acme.id, existing.id, &fields, minutes(1), &entry)
            .await;
        assert_not_found(updated);
    }
    assert_eq!(
        store.automation(acme.id, existing.id).await.unwrap(),
        existing
    );
}

async fn updating_an_automation_replaces_its_fields(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let first = insert_group(store, acme.id, None, "First").await;
    let second = insert_group(store, acme.id, None, "Second").await;
    let created = insert_automation(store, acme.id, "Patch", Some(first.id)).await;

    let fields = AutomationFields {
        name: "Patch all".into(),
        description: None,
        group_id: Some(second.id),
        steps: vec![step("one"), step("two")],
    };
    let entry = activity(acme.id, "automation.updated");
    let updated = store
        .update_automation(acme.id, created.id, &fields, minutes(5), &entry)
        .await
        .unwrap();

    let expected = AutomationRecord {
        name: "Patch all".into(),
        description: None,
        group_id: Some(second.id),
        group_name: Some("Second".into()),
        steps: fields.steps.clone(),
        updated_at: minutes(5),
        ..created
    };
    assert_eq!(updated, expected);
    assert_eq!(
        store.automation(acme.id, created.id).await.unwrap(),
        expected
    );
    assert_eq!(
        logged_actions(store, acme.id)
            .await
            .last()
            .map(String::as_str),
        Some("automation.updated")
    );
}

async fn another_organizations_automation_is_not_found(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let theirs = insert_automation(store, other.id, "Theirs", None).await;
    let logged = logged_actions(store, acme.id).await;

    for id in [theirs.id, AutomationId::new()] {
        assert_not_found(store.automation(acme.id, id).await);
        let fields = automation_fields("Mine now", None);
        let entry = activity(acme.id, "automation.updated");
        assert_not_found(
            store
                .update_automation(acme.id, id, &fields, minutes(1), &entry)
                .await,
        );
        let entry = activity(acme.id, "automation.deleted");
        assert_not_found(
            store
                .delete_automation(acme.id, id, minutes(1), &entry)
                .await,
        );
    }

    assert_eq!(store.automation(other.id, theirs.id).await.unwrap(), theirs);
    assert_eq!(logged_actions(store, acme.id).await, logged);
}

async fn an_automation_without_a_group_has_no_group_name(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let group = insert_group(store, acme.id, None, "Servers").await;
    let created = insert_automation(store, acme.id, "Everywhere", Some(group.id)).await;

    let entry = activity(acme.id, "automation.updated");
    let updated = store
        .update_automation(
            acme.id,
            created.id,
            &automation_fields("Everywhere", None),
            minutes(1),
            &entry,
        )
        .await
        .unwrap();

    assert_eq!((updated.group_id, updated.group_name), (None, None));
}
