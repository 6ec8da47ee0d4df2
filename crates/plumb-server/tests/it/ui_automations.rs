//! The Automations pages: the list and the editor with the labels people (and the browser
//! tests) rely on, a missing automation's 404, Settings access, and the device page's Runs
//! (Settings) and custom fields (everyone).

use axum::http::StatusCode;

use crate::automations::create_automation;
use crate::helpers::TestApp;
use crate::ui_support::{html, plain_technician, settings_technician};

#[tokio::test]
async fn the_editor_offers_name_description_target_ordered_steps_triggers_run_now_and_runs() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let id = create_automation(&app, &session, "Clear cache", None).await;

    let new = html(&app, "/automations/new", Some(&session), StatusCode::OK).await;
    let existing = html(
        &app,
        &format!("/automations/{id}"),
        Some(&session),
        StatusCode::OK,
    )
    .await;

    for text in [
        ">Name</label>",
        ">Description <span class=\"optional\">(optional)</span></label>",
        ">Runs on</label>",
        ">Step name</label>",
        ">Shell</label>",
        "<option value=\"powershell\">powershell</option>",
        ">Time limit (seconds)</label>",
        ">Script</label>",
        ">Move up</button>",
        ">Move down</button>",
        ">+ Add step</button>",
    ] {
        assert!(new.contains(text), "new: missing {text}");
        assert!(existing.contains(text), "existing: missing {text}");
    }
    assert!(new.contains(">Create automation</button>"));
    assert!(!new.contains("id=\"run-now\""));
    for text in [
        "<h1 id=\"automation-heading\">Clear cache</h1>",
        ">Save changes</button>",
        ">Run now</button>",
        ">+ New trigger</button>",
        ">Require an Authorization header</label>",
        ">Trigger URL</label>",
        ">Authorization value</label>",
        ">curl example</label>",
        ">Copy URL</button>",
        ">Copy curl</button>",
        ">Devices to run on</legend>",
        "<h2 id=\"runs-heading\">Runs</h2>",
        &format!("data-runs=\"/api/v1/automations/{id}/runs\""),
    ] {
        assert!(existing.contains(text), "existing: missing {text}");
    }
}

#[tokio::test]
async fn a_missing_or_foreign_automation_is_a_404_page() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    let other = app.other_org("boss@other.test").await;
    let boss = app.sign_in(&other.email, crate::helpers::PASSWORD).await;
    let id = create_automation(&app, &session, "Clear cache", None).await;

    for path in [
        "/automations/not-an-id".to_owned(),
        "/automations/0190a5f0-0000-7000-8000-000000000000".to_owned(),
    ] {
        let body = html(&app, &path, Some(&session), StatusCode::NOT_FOUND).await;
        assert!(body.contains("<h1>Automation not found</h1>"), "{path}");
    }
    let foreign = html(
        &app,
        &format!("/automations/{id}"),
        Some(&boss),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert!(foreign.contains("Automation not found"));
}

#[tokio::test]
async fn automations_and_runs_are_for_people_with_settings_access_only() {
    let app = TestApp::new().await;
    let admin = app.admin_session().await;
    let org = app.admin.organization.id;
    let device = app.device(org, None, "web-01").await;
    let id = create_automation(&app, &admin, "Clear cache", None).await;
    let tech = plain_technician(&app).await;
    let ops = settings_technician(&app).await;

    for path in [
        "/automations".to_owned(),
        "/automations/new".to_owned(),
        format!("/automations/{id}"),
    ] {
        let denied = html(&app, &path, Some(&tech), StatusCode::FORBIDDEN).await;
        assert!(denied.contains("You need Settings access"), "{path}");
        html(&app, &path, Some(&ops), StatusCode::OK).await;
    }
    let device_page = format!("/devices/{device}");
    let plain = html(&app, &device_page, Some(&tech), StatusCode::OK).await;
    assert!(!plain.contains("href=\"/automations\""));
    assert!(!plain.contains("id=\"runs\""));
    assert!(plain.contains("<h2 id=\"fields-heading\">Custom fields</h2>"));
    assert!(plain.contains(">Value for this device</label>"));
    let allowed = html(&app, &device_page, Some(&ops), StatusCode::OK).await;
    assert!(allowed.contains("href=\"/automations\""));
    assert!(allowed.contains("<h2 id=\"runs-heading\">Runs</h2>"));
}
