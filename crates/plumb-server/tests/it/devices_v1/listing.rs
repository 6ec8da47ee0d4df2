//! `GET /api/v1/devices` and `GET /api/v1/groups`.

use axum::http::StatusCode;
use serde_json::Value;

use super::{enrolled, group, inventory};
use crate::helpers::{PASSWORD, Session, TestApp};

async fn list(app: &TestApp, session: &Session, query: &str) -> Value {
    let response = app
        .get(&format!("/api/v1/devices{query}"))
        .session(session)
        .send(app)
        .await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{query}: {}",
        response.text
    );
    response.body
}

fn hostnames(page: &Value) -> Vec<&str> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|device| device["hostname"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_list_shows_group_status_last_seen_and_os_of_each_device() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let office = group(&app, "Office", None).await;
    let id = enrolled(
        &app,
        org,
        Some(office),
        &inventory("ws-ada", "Debian GNU/Linux 12 (bookworm)"),
    )
    .await;
    app.device(org, None, "never-checked-in").await;

    let page = list(&app, &session, "").await;

    assert_eq!(page["has_more"], false);
    let [first, second] = page["data"].as_array().unwrap().as_slice() else {
        panic!("two devices expected: {page}");
    };
    assert_eq!(first["id"], id.to_string());
    assert_eq!(first["hostname"], "ws-ada");
    assert_eq!(first["group_id"], office.to_string());
    assert_eq!(first["group_name"], "Office");
    assert_eq!(first["online"], true);
    assert!(first["last_seen_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(first["os"], "Debian GNU/Linux 12 (bookworm)");
    assert_eq!(first["platform"], "Linux");
    assert_eq!(first["public_ip_address"], "203.0.113.7");
    assert_eq!(second["hostname"], "never-checked-in");
    assert_eq!(second["online"], false);
    assert_eq!(second["last_seen_at"], Value::Null);
    assert_eq!(second["os"], Value::Null);
    assert_eq!(second["group_name"], Value::Null);
}

#[tokio::test]
async fn search_group_and_online_filters_narrow_the_list_together() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    let office = group(&app, "Office", None).await;
    let lab = group(&app, "Lab", None).await;
    enrolled(&app, org, Some(office), &inventory("ws-ada", "Debian 12")).await;
    enrolled(&app, org, Some(lab), &inventory("ws-grace", "Ubuntu 24.04")).await;
    app.device(org, Some(office), "srv-offline").await;
    app.device(org, None, "WS-loose").await;

    let by_text = list(&app, &session, "?search=ws-").await;
    let by_group = list(&app, &session, &format!("?group_id={office}")).await;
    let no_group = list(&app, &session, "?group_id=null").await;
    let online = list(&app, &session, "?online=true").await;
    let offline = list(&app, &session, "?online=false").await;
    let combined = list(
        &app,
        &session,
        &format!("?search=WS&group_id={office}&online=true"),
    )
    .await;

    assert_eq!(hostnames(&by_text), ["ws-ada", "ws-grace", "WS-loose"]);
    assert_eq!(hostnames(&by_group), ["ws-ada", "srv-offline"]);
    assert_eq!(hostnames(&no_group), ["WS-loose"]);
    assert_eq!(hostnames(&online), ["ws-ada", "ws-grace"]);
    assert_eq!(hostnames(&offline), ["srv-offline", "WS-loose"]);
    assert_eq!(hostnames(&combined), ["ws-ada"]);
}

#[tokio::test]
async fn load_more_pages_with_starting_after_until_has_more_is_false() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let org = app.admin.organization.id;
    for n in 0..5 {
        app.device(org, None, &format!("device-{n}")).await;
    }

    let first = list(&app, &session, "?limit=2").await;
    let last_id = first["data"][1]["id"].as_str().unwrap();
    let second = list(
        &app,
        &session,
        &format!("?limit=2&starting_after={last_id}"),
    )
    .await;
    let last_id = second["data"][1]["id"].as_str().unwrap();
    let third = list(
        &app,
        &session,
        &format!("?limit=2&starting_after={last_id}"),
    )
    .await;

    assert_eq!(hostnames(&first), ["device-0", "device-1"]);
    assert_eq!(first["has_more"], true);
    assert_eq!(hostnames(&second), ["device-2", "device-3"]);
    assert_eq!(second["has_more"], true);
    assert_eq!(hostnames(&third), ["device-4"]);
    assert_eq!(third["has_more"], false);
}

#[tokio::test]
async fn malformed_filters_and_paging_values_are_a_400_that_names_the_problem() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let long = "x".repeat(256);

    for (query, words) in [
        ("?group_id=nope", "group_id"),
        ("?online=yes", "online"),
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?starting_after=nope", "starting_after"),
        ("?starting_after=a&ending_before=b", "not both"),
        (&format!("?search={long}") as &str, "search"),
    ] {
        let response = app
            .get(&format!("/api/v1/devices{query}"))
            .session(&session)
            .send(&app)
            .await;

        let message = response.error(StatusCode::BAD_REQUEST);
        assert_eq!(response.body["code"], "bad_request", "{query}");
        assert!(message.contains(words), "{query}: {message}");
    }
}

#[tokio::test]
async fn a_technician_without_settings_access_reads_devices_but_another_organization_sees_none() {
    let app = TestApp::new().await;
    let org = app.admin.organization.id;
    enrolled(&app, org, None, &inventory("ws-ada", "Debian 12")).await;
    app.add_user("tom@acme.test", "technician", &[]).await;
    let technician = app.sign_in("tom@acme.test", PASSWORD).await;
    let other = app.other_org("boss@other.test").await;
    let outsider = app.sign_in(&other.email, PASSWORD).await;

    let seen = list(&app, &technician, "").await;
    let unseen = list(&app, &outsider, "").await;

    assert_eq!(hostnames(&seen), ["ws-ada"]);
    assert_eq!(hostnames(&unseen), Vec::<&str>::new());
}

#[tokio::test]
async fn every_group_is_listed_with_its_parent_past_one_store_page() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let clients = group(&app, "Clients", None).await;
    let mut expected = vec![("Clients".to_owned(), None)];
    for n in 0..104 {
        let name = format!("Client {n:03}");
        group(&app, &name, Some(clients)).await;
        expected.push((name, Some(clients.to_string())));
    }
    let other = app.other_org("boss@other.test").await;
    app.app
        .state
        .groups
        .create(
            &plumb_core::activity::Actor::anonymous(other.organization.id, None),
            "Not ours",
            None,
            app.app.state.clock.now(),
        )
        .await
        .unwrap();

    let response = app.get("/api/v1/groups").session(&session).send(&app).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let listed: Vec<(String, Option<String>)> = response.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            (
                group["name"].as_str().unwrap().to_owned(),
                group["parent_id"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(listed, expected);
}
