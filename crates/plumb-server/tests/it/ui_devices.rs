//! The Devices pages: the list's frame (labels, columns, states), the device page rendered
//! from the store with its inventory, the 404 page, the navigation entry for everyone signed in,
//! where `/` leads, and the strict policy on the device page.

use axum::http::StatusCode;
use axum::http::header::LOCATION;

use crate::devices_v1::{enrolled, group, inventory};
use crate::helpers::TestApp;
use crate::ui_support::{html, page, plain_technician, settings_technician};

#[tokio::test]
async fn the_devices_page_has_the_search_filters_columns_and_states_the_issue_names() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;

    let body = html(&app, "/devices", Some(&session), StatusCode::OK).await;

    for text in [
        "<h1>Devices</h1>",
        "<label for=\"device-search\" class=\"visually-hidden\">Search</label>",
        "<label for=\"device-group\">Group</label>",
        "<label for=\"device-status\">Status</label>",
        "<option value=\"\">All</option>",
        "<option value=\"true\">Online</option>",
        "<option value=\"false\">Offline</option>",
        "<th scope=\"col\">Device</th>",
        "<th scope=\"col\">Group</th>",
        "<th scope=\"col\">Status</th>",
        "<th scope=\"col\">Last seen</th>",
        "<th scope=\"col\">OS</th>",
        "<h2>No devices yet</h2>",
        ">Add devices</button>",
        "<label for=\"install-command-value\">Install command</label>",
        "data-copy=\"install-command-value\">Copy</button>",
        "Loading devices",
        ">Load more</button>",
        "href=\"/devices\" aria-current=\"page\"",
    ] {
        assert!(body.contains(text), "missing {text}");
    }
}

#[tokio::test]
async fn devices_come_first_in_the_navigation_for_everyone_signed_in() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let technician = plain_technician(&app).await;

    let admin_page = html(&app, "/settings/api-keys", Some(&admin), StatusCode::OK).await;
    let technician_page = html(&app, "/devices", Some(&technician), StatusCode::OK).await;

    let devices = admin_page.find(">Devices</a>").unwrap();
    let keys = admin_page.find(">API keys</a>").unwrap();
    assert!(devices < keys, "Devices is not first");
    assert!(technician_page.contains("<h1>Devices</h1>"));
    assert!(technician_page.contains(">Devices</a>"));
    assert!(!technician_page.contains("href=\"/settings/"));
}

#[tokio::test]
async fn home_leads_settings_users_to_api_keys_and_everyone_else_to_devices() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let with_settings = settings_technician(&app).await;
    let without = plain_technician(&app).await;

    for (session, expected) in [
        (&admin, "/settings/api-keys"),
        (&with_settings, "/settings/api-keys"),
        (&without, "/devices"),
    ] {
        let response = page(&app, "/", Some(session)).await;

        assert_eq!(response.status, StatusCode::SEE_OTHER);
        assert_eq!(response.headers[LOCATION], expected);
    }
}

#[tokio::test]
async fn the_device_page_shows_the_summary_and_every_inventory_section() {
    let app = TestApp::new().await;
    let session = plain_technician(&app).await;
    let org = app.admin.organization.id;
    let office = group(&app, "Office", None).await;
    let id = enrolled(
        &app,
        org,
        Some(office),
        &inventory("ws-ada", "Debian GNU/Linux 12 (bookworm)"),
    )
    .await;

    let body = html(
        &app,
        &format!("/devices/{id}"),
        Some(&session),
        StatusCode::OK,
    )
    .await;

    for text in [
        "<h1 id=\"device-name\">ws-ada</h1>",
        "<dt>Status</dt><dd><span class=\"status online\">",
        "Online</span>",
        "<dt>Group</dt><dd>Office</dd>",
        "<dt>Public IP</dt><dd>203.0.113.7</dd>",
        "<dt>Private IPs</dt><dd>192.168.1.20</dd>",
        "<dt>Manufacturer</dt><dd>Dell Inc.</dd>",
        "<dt>Model</dt><dd>OptiPlex 7090</dd>",
        "<dt>Serial number</dt><dd>SN-ws-ada</dd>",
        "<dt>Operating system</dt><dd>Debian GNU/Linux 12 (bookworm)</dd>",
        "<dt>Logged-in user</dt><dd>alice</dd>",
        "<dt>Memory</dt><dd>16 GiB</dd>",
        "<time datetime=\"2026-11-20T07:15:00.000Z\" title=\"2026-11-20 07:15:00 UTC\" data-local>",
        "<caption class=\"visually-hidden\">CPUs</caption>",
        "<td data-label=\"Model\">Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz</td>",
        "<td data-label=\"Clock speed\">2.9 GHz</td>",
        "<td data-label=\"Type\">DDR4</td>",
        "<td data-label=\"Model\">Samsung SSD 980 PRO 1TB</td>",
        "<td data-label=\"Size\">931.5 GiB</td>",
        "<td data-label=\"Mount point\">/</td>",
        "<td data-label=\"Encrypted\">Yes</td>",
        "<td data-label=\"Addresses\">192.168.1.20/24, fe80::1/64</td>",
        "<td data-label=\"MAC address\">3c:52:82:aa:bb:cc</td>",
        "<td data-label=\"BIOS version\">1.21.0</td>",
        "<h2 id=\"updates-title\">Updates available</h2>",
        "<td data-label=\"Package\">openssl</td>",
        "href=\"/devices\" aria-current=\"page\"",
    ] {
        assert!(body.contains(text), "missing {text}");
    }
    assert!(body.contains("<dt>Last seen</dt><dd><time datetime=\""));
}

#[tokio::test]
async fn a_device_that_never_reported_says_so_instead_of_showing_empty_tables() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let id = app
        .device(app.admin.organization.id, None, "just-enrolled")
        .await;

    let body = html(
        &app,
        &format!("/devices/{id}"),
        Some(&session),
        StatusCode::OK,
    )
    .await;

    assert!(body.contains("Offline</span>"));
    assert!(body.contains("has not reported this device's inventory yet"));
    assert!(body.contains("<dt>Group</dt><dd>No group</dd>"));
    assert!(body.contains("The agent reported no CPUs."));
    // No inventory table: the only one is the custom fields', filled in by the browser.
    assert_eq!(body.matches("<caption").count(), 1);
    assert!(body.contains("Custom field values of this device</caption>"));
}

#[tokio::test]
async fn unknown_malformed_and_other_organizations_devices_get_the_404_page_in_the_shell() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let other = app.other_org("boss@other.test").await;
    let theirs = app.device(other.organization.id, None, "theirs").await;
    let unknown = plumb_core::id::DeviceId::new().to_string();

    for id in [theirs.as_str(), unknown.as_str(), "nope"] {
        let body = html(
            &app,
            &format!("/devices/{id}"),
            Some(&session),
            StatusCode::NOT_FOUND,
        )
        .await;

        assert!(body.contains("<h1>Device not found</h1>"), "{id}");
        assert!(body.contains("href=\"/devices\""));
        assert!(body.contains(">Sign out</button>"));
        assert!(!body.contains("theirs"));
    }
}

#[tokio::test]
async fn the_device_page_needs_a_session_and_holds_no_inline_script_or_style() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let id = enrolled(
        &app,
        app.admin.organization.id,
        None,
        &inventory("ws-ada", "Debian 12"),
    )
    .await;
    let path = format!("/devices/{id}");

    let anonymous = page(&app, &path, None).await;
    let body = html(&app, &path, Some(&session), StatusCode::OK).await;

    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers[LOCATION],
        format!("/login?next=/devices/{id}")
    );
    for script in body.split("<script").skip(1) {
        let (tag, rest) = script.split_once('>').unwrap();
        assert!(tag.contains(" src=\"/static/devices-show."), "{tag}");
        assert!(rest.starts_with("</script>"));
    }
    assert!(!body.contains("<style") && !body.contains(" style="));
    assert!(!body.to_lowercase().contains(" onclick="));
}
