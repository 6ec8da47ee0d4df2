//! The cascade: organization → group → subgroup → device, as a device's values show it, and
//! `force` on set and delete.

use serde_json::{Value, json};

use super::{device, field, group, set, set_ok, triple, unset, values_of};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_device_sees_the_nearest_value_from_itself_up_to_the_organization() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let owner = field(&app, &key, "Owner").await;
    // A third field nobody sets: a device still lists it, with no value.
    field(&app, &key, "Site").await;
    let clients = group(&app, &key, "Clients", None).await;
    let acme = group(&app, &key, "Acme", Some(&clients)).await;
    let pc = device(&app, Some(&acme), "acme-pc").await;
    let loose = device(&app, None, "loose").await;

    set_ok(&app, &key, &region, None, "EU").await;
    let org_only = values_of(&app, &key, Some(&pc)).await;
    set_ok(&app, &key, &region, Some(&clients), "DACH").await;
    let from_group = values_of(&app, &key, Some(&pc)).await;
    set_ok(&app, &key, &region, Some(&acme), "Zürich").await;
    set_ok(&app, &key, &owner, None, "Ops").await;
    let from_subgroup = values_of(&app, &key, Some(&pc)).await;
    set_ok(&app, &key, &owner, Some(&pc), "Ada").await;
    let from_device = values_of(&app, &key, Some(&pc)).await;
    let elsewhere = values_of(&app, &key, Some(&loose)).await;

    let null = Value::Null;
    assert_eq!(
        org_only,
        [
            triple("Region", json!("EU"), null.clone()),
            triple("Owner", null.clone(), null.clone()),
            triple("Site", null.clone(), null.clone()),
        ]
    );
    assert_eq!(
        from_group[0],
        triple("Region", json!("DACH"), json!(clients))
    );
    assert_eq!(
        from_subgroup[0],
        triple("Region", json!("Zürich"), json!(acme))
    );
    assert_eq!(
        from_subgroup[1],
        triple("Owner", json!("Ops"), null.clone())
    );
    assert_eq!(from_device[1], triple("Owner", json!("Ada"), json!(pc)));
    assert_eq!(from_device[2], triple("Site", null.clone(), null.clone()));
    assert_eq!(
        elsewhere,
        [
            triple("Region", json!("EU"), null.clone()),
            triple("Owner", json!("Ops"), null.clone()),
            triple("Site", null.clone(), null),
        ]
    );
}

#[tokio::test]
async fn force_on_a_group_clears_the_values_set_below_it_and_only_there() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let clients = group(&app, &key, "Clients", None).await;
    let acme = group(&app, &key, "Acme", Some(&clients)).await;
    let other = group(&app, &key, "Other", None).await;
    let pc = device(&app, Some(&acme), "acme-pc").await;
    let outside = device(&app, Some(&other), "other-pc").await;
    set_ok(&app, &key, &region, Some(&acme), "Zürich").await;
    set_ok(&app, &key, &region, Some(&pc), "Desk").await;
    set_ok(&app, &key, &region, Some(&outside), "Mine").await;

    let unforced = set(
        &app,
        &key,
        json!({"custom_field_id": region, "assigned_to_id": clients, "value": "DACH"}),
    )
    .await;
    let before_force = values_of(&app, &key, Some(&pc)).await;
    let forced = set(
        &app,
        &key,
        json!({"custom_field_id": region, "assigned_to_id": clients, "value": "DACH", "force": true}),
    )
    .await;
    let after_force = values_of(&app, &key, Some(&pc)).await;

    assert_eq!(unforced.body["value"], "DACH");
    assert_eq!(before_force[0], triple("Region", json!("Desk"), json!(pc)));
    assert_eq!(forced.status, axum::http::StatusCode::OK, "{}", forced.text);
    assert_eq!(
        after_force[0],
        triple("Region", json!("DACH"), json!(clients))
    );
    assert_eq!(values_of(&app, &key, Some(&acme)).await, []);
    assert_eq!(
        values_of(&app, &key, Some(&outside)).await[0],
        triple("Region", json!("Mine"), json!(outside))
    );
}

#[tokio::test]
async fn force_for_the_organization_clears_every_group_and_device_value() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let clients = group(&app, &key, "Clients", None).await;
    let pc = device(&app, Some(&clients), "pc").await;
    set_ok(&app, &key, &region, Some(&clients), "DACH").await;
    set_ok(&app, &key, &region, Some(&pc), "Desk").await;

    set(
        &app,
        &key,
        json!({"custom_field_id": region, "value": "EU", "force": true}),
    )
    .await;

    assert_eq!(
        values_of(&app, &key, Some(&pc)).await[0],
        triple("Region", json!("EU"), Value::Null)
    );
    assert_eq!(values_of(&app, &key, Some(&clients)).await, []);
}

#[tokio::test]
async fn deleting_a_value_uncovers_the_one_above_and_force_deletes_below_too() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let clients = group(&app, &key, "Clients", None).await;
    let pc = device(&app, Some(&clients), "pc").await;
    set_ok(&app, &key, &region, None, "EU").await;
    set_ok(&app, &key, &region, Some(&clients), "DACH").await;
    set_ok(&app, &key, &region, Some(&pc), "Desk").await;

    let device_deleted = unset(
        &app,
        &key,
        json!({"custom_field_id": region, "assigned_to_id": pc}),
    )
    .await;
    let after_device = values_of(&app, &key, Some(&pc)).await;
    set_ok(&app, &key, &region, Some(&pc), "Desk").await;
    let unforced = unset(
        &app,
        &key,
        json!({"custom_field_id": region, "assigned_to_id": clients}),
    )
    .await;
    let after_group = values_of(&app, &key, Some(&pc)).await;
    set_ok(&app, &key, &region, Some(&clients), "DACH").await;
    let forced = unset(
        &app,
        &key,
        json!({"custom_field_id": region, "assigned_to_id": null, "force": true}),
    )
    .await;
    let after_all = values_of(&app, &key, Some(&pc)).await;
    let nothing_left = unset(&app, &key, json!({"custom_field_id": region})).await;

    assert_eq!(device_deleted.body, json!({"success": true}));
    assert_eq!(
        after_device[0],
        triple("Region", json!("DACH"), json!(clients))
    );
    assert_eq!(unforced.body, json!({"success": true}));
    assert_eq!(after_group[0], triple("Region", json!("Desk"), json!(pc)));
    assert_eq!(forced.body, json!({"success": true}));
    assert_eq!(after_all[0], triple("Region", Value::Null, Value::Null));
    assert_eq!(
        nothing_left.body,
        json!({"success": true}),
        "deleting an unset value is harmless"
    );
}
