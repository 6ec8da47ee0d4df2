//! `/v2/custom_field_values`: what each `assigned_to_id` returns, `custom_field_id`, paging by
//! field id, the PATCH answer, and the refusals.

use axum::http::StatusCode;
use plumb_core::id::{CustomFieldId, DeviceId};
use serde_json::{Value, json};

use super::{device, field, get, group, set, set_ok, triple, triples, unset, values_of};
use crate::helpers::TestApp;

#[tokio::test]
async fn without_assigned_to_id_only_organization_values_come_back() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let owner = field(&app, &key, "Owner").await;
    let clients = group(&app, &key, "Clients", None).await;
    let pc = device(&app, Some(&clients), "pc").await;
    set_ok(&app, &key, &region, None, "EU").await;
    set_ok(&app, &key, &owner, Some(&clients), "Ops").await;
    set_ok(&app, &key, &owner, Some(&pc), "Ada").await;

    let org = values_of(&app, &key, None).await;
    let null_literal = values_of(&app, &key, Some("null")).await;

    assert_eq!(org, [triple("Region", json!("EU"), Value::Null)]);
    assert_eq!(null_literal, org);
}

#[tokio::test]
async fn a_group_id_returns_that_groups_own_values_not_inherited_ones() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let owner = field(&app, &key, "Owner").await;
    let clients = group(&app, &key, "Clients", None).await;
    let acme = group(&app, &key, "Acme", Some(&clients)).await;
    set_ok(&app, &key, &region, None, "EU").await;
    set_ok(&app, &key, &region, Some(&clients), "DACH").await;
    set_ok(&app, &key, &owner, Some(&acme), "Acme IT").await;

    assert_eq!(
        values_of(&app, &key, Some(&clients)).await,
        [triple("Region", json!("DACH"), json!(clients))]
    );
    assert_eq!(
        values_of(&app, &key, Some(&acme)).await,
        [triple("Owner", json!("Acme IT"), json!(acme))]
    );
}

#[tokio::test]
async fn patch_answers_with_the_value_and_a_group_value_is_really_stored() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let clients = group(&app, &key, "Clients", None).await;

    let response = set(
        &app,
        &key,
        json!({"custom_field_id": region, "assigned_to_id": clients, "value": "DACH 🇩🇪"}),
    )
    .await;
    let org = set(&app, &key, json!({"custom_field_id": region, "value": ""})).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert_eq!(
        response.body,
        json!({"custom_field_id": region, "custom_field_name": "Region", "assigned_to_id": clients, "value": "DACH 🇩🇪"})
    );
    assert_eq!(org.body["assigned_to_id"], Value::Null);
    assert_eq!(org.body["value"], "");
    let shown = get(&app, &key, &format!("/v2/groups/{clients}")).await;
    assert_eq!(shown.body["custom_fields"], json!({"Region": "DACH 🇩🇪"}));
}

#[tokio::test]
async fn custom_field_id_narrows_to_one_field_at_every_level() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let owner = field(&app, &key, "Owner").await;
    let pc = device(&app, None, "pc").await;
    set_ok(&app, &key, &region, None, "EU").await;
    set_ok(&app, &key, &owner, None, "Ops").await;

    let org = get(
        &app,
        &key,
        &format!("/v2/custom_field_values?custom_field_id={owner}"),
    )
    .await;
    let on_device = get(
        &app,
        &key,
        &format!("/v2/custom_field_values?assigned_to_id={pc}&custom_field_id={region}"),
    )
    .await;

    assert_eq!(triples(&org), [triple("Owner", json!("Ops"), Value::Null)]);
    assert_eq!(
        triples(&on_device),
        [triple("Region", json!("EU"), Value::Null)]
    );
}

#[tokio::test]
async fn values_page_by_custom_field_id_in_field_order_both_ways() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let mut fields = Vec::new();
    for n in 0..5 {
        let id = field(&app, &key, &format!("Field {n}")).await;
        set_ok(&app, &key, &id, None, &format!("v{n}")).await;
        fields.push(id);
    }
    let page = |query: String| {
        let app = &app;
        let key = &key;
        async move { get(app, key, &format!("/v2/custom_field_values?{query}")).await }
    };

    let first = page("limit=2".to_owned()).await;
    let second = page(format!("limit=2&starting_after={}", fields[1])).await;
    let last = page(format!("limit=2&starting_after={}", fields[3])).await;
    let back = page(format!("limit=2&ending_before={}", fields[3])).await;
    let exact = page(format!("limit=1&starting_after={}", fields[3])).await;
    let unknown = page(format!("starting_after={}", CustomFieldId::new())).await;
    let pc = device(&app, None, "pc").await;
    let device_page = page(format!(
        "assigned_to_id={pc}&limit=3&starting_after={}",
        fields[0]
    ))
    .await;

    let ids = |response: &crate::helpers::TestResponse| -> Vec<String> {
        response.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|value| value["custom_field_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&first), fields[..2]);
    assert_eq!(first.body["has_more"], true);
    assert_eq!(ids(&second), fields[2..4]);
    assert_eq!(second.body["has_more"], true);
    assert_eq!(ids(&last), fields[4..]);
    assert_eq!(last.body["has_more"], false);
    assert_eq!(ids(&back), fields[1..3]);
    assert_eq!(back.body["has_more"], true);
    assert_eq!(ids(&exact), fields[4..]);
    assert_eq!(exact.body["has_more"], false);
    assert_eq!(unknown.body, json!({"data": [], "has_more": false}));
    assert_eq!(ids(&device_page), fields[1..4]);
    assert_eq!(device_page.body["has_more"], true);
}

#[tokio::test]
async fn unknown_fields_or_assignees_are_a_404_and_bad_input_a_400_or_422() {
    let app = TestApp::new().await;
    let key = app.key("read_write").await;
    let region = field(&app, &key, "Region").await;
    let unknown_device = DeviceId::new().to_string();
    let unknown_field = CustomFieldId::new().to_string();
    set_ok(&app, &key, &region, None, "EU").await;

    let cases = [
        (
            set(
                &app,
                &key,
                json!({"custom_field_id": unknown_field, "value": "x"}),
            )
            .await,
            StatusCode::NOT_FOUND,
        ),
        (
            set(&app, &key, json!({"custom_field_id": "nope", "value": "x"})).await,
            StatusCode::NOT_FOUND,
        ),
        (
            set(
                &app,
                &key,
                json!({"custom_field_id": region, "assigned_to_id": unknown_device, "value": "x"}),
            )
            .await,
            StatusCode::NOT_FOUND,
        ),
        (
            set(
                &app,
                &key,
                json!({"custom_field_id": region, "assigned_to_id": "nope", "value": "x"}),
            )
            .await,
            StatusCode::NOT_FOUND,
        ),
        (
            set(&app, &key, json!({"custom_field_id": region})).await,
            StatusCode::BAD_REQUEST,
        ),
        (
            set(&app, &key, json!({"custom_field_id": region, "value": 5})).await,
            StatusCode::BAD_REQUEST,
        ),
        (
            set(
                &app,
                &key,
                json!({"custom_field_id": region, "value": "x", "forse": true}),
            )
            .await,
            StatusCode::BAD_REQUEST,
        ),
        (
            set(
                &app,
                &key,
                json!({"custom_field_id": region, "value": "v".repeat(10_001)}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            unset(&app, &key, json!({"custom_field_id": unknown_field})).await,
            StatusCode::NOT_FOUND,
        ),
        (
            unset(
                &app,
                &key,
                json!({"custom_field_id": region, "assigned_to_id": unknown_device}),
            )
            .await,
            StatusCode::NOT_FOUND,
        ),
        (unset(&app, &key, json!({})).await, StatusCode::BAD_REQUEST),
        (
            get(
                &app,
                &key,
                &format!("/v2/custom_field_values?assigned_to_id={unknown_device}"),
            )
            .await,
            StatusCode::NOT_FOUND,
        ),
        (
            get(
                &app,
                &key,
                &format!("/v2/custom_field_values?custom_field_id={unknown_field}"),
            )
            .await,
            StatusCode::NOT_FOUND,
        ),
        (
            get(&app, &key, "/v2/custom_field_values?custom_field_id=nope").await,
            StatusCode::BAD_REQUEST,
        ),
        (
            get(&app, &key, "/v2/custom_field_values?starting_after=nope").await,
            StatusCode::BAD_REQUEST,
        ),
        (
            get(&app, &key, "/v2/custom_field_values?limit=0").await,
            StatusCode::BAD_REQUEST,
        ),
    ];

    for (n, (response, status)) in cases.iter().enumerate() {
        assert_eq!(response.status, *status, "case {n}: {}", response.text);
        assert!(
            response.body["code"].is_string(),
            "case {n}: {}",
            response.text
        );
    }
    assert_eq!(
        values_of(&app, &key, None).await,
        [triple("Region", json!("EU"), Value::Null)]
    );
}
