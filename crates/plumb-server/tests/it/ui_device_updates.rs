//! The device page's update tables: the updates available now, and the most recently installed
//! ones (newest first, at most 20), with times the browser shows in its own zone.

use axum::http::StatusCode;
use plumb_proto::inventory::PackageUpdate;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::devices_v1::{enrolled, inventory};
use crate::helpers::TestApp;
use crate::ui_support::{html, plain_technician};

/// An installed package upgraded at `installed_on`.
fn installed(name: &str, installed_on: Option<OffsetDateTime>) -> PackageUpdate {
    PackageUpdate {
        name: name.to_owned(),
        version: Some(format!("{name}-2")),
        is_available: false,
        installed_on,
        ..PackageUpdate::default()
    }
}

#[tokio::test]
async fn installed_updates_are_listed_newest_first_with_local_times() {
    let app = TestApp::new().await;
    let session = plain_technician(&app).await;
    let mut reported = inventory("srv-01", "Debian GNU/Linux 12 (bookworm)");
    reported.updates.extend([
        installed("tzdata", Some(datetime!(2026-11-01 09:00 UTC))),
        installed("curl", Some(datetime!(2026-11-21 08:15 UTC))),
        installed("htop", None),
    ]);
    let id = enrolled(&app, app.admin.organization.id, None, &reported).await;

    let body = html(
        &app,
        &format!("/devices/{id}"),
        Some(&session),
        StatusCode::OK,
    )
    .await;

    let (available, recent) = body
        .split_once("<h2 id=\"installed-title\">Recently installed updates</h2>")
        .expect("the installed updates have their own section");
    assert!(available.contains("<td data-label=\"Package\">openssl</td>"));
    assert!(
        !recent.contains("openssl"),
        "an available update is not installed"
    );
    let order: Vec<usize> = ["curl", "tzdata", "htop"]
        .iter()
        .map(|name| recent.find(&format!(">{name}</td>")).unwrap())
        .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{order:?}");
    assert!(recent.contains(
        "<td data-label=\"Installed\"><time datetime=\"2026-11-21T08:15:00.000Z\" \
         title=\"2026-11-21 08:15:00 UTC\" data-local>2026-11-21 08:15:00 UTC</time></td>"
    ));
    assert!(recent.contains("<td data-label=\"Installed\">--</td>"));
}

#[tokio::test]
async fn only_the_twenty_most_recent_installed_updates_are_shown() {
    let app = TestApp::new().await;
    let session = plain_technician(&app).await;
    let mut reported = inventory("srv-02", "Debian GNU/Linux 12 (bookworm)");
    let start = datetime!(2026-11-01 00:00 UTC);
    reported.updates.extend(
        (0..25).map(|day| installed(&format!("pkg{day:02}"), Some(start + Duration::days(day)))),
    );
    let id = enrolled(&app, app.admin.organization.id, None, &reported).await;

    let body = html(
        &app,
        &format!("/devices/{id}"),
        Some(&session),
        StatusCode::OK,
    )
    .await;

    let shown = (0..25)
        .filter(|day| body.contains(&format!(">pkg{day:02}</td>")))
        .collect::<Vec<_>>();
    assert_eq!(shown, (5..25).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_device_without_installed_updates_says_so() {
    let app = TestApp::new().await;
    let session = plain_technician(&app).await;
    let reported = inventory("srv-03", "Debian GNU/Linux 12 (bookworm)");
    let id = enrolled(&app, app.admin.organization.id, None, &reported).await;

    let body = html(
        &app,
        &format!("/devices/{id}"),
        Some(&session),
        StatusCode::OK,
    )
    .await;

    assert!(body.contains("The device reported no installed updates."));
}
