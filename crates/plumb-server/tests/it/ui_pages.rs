//! The web UI's pages: who sees what, the redirects without a session, the "you need access"
//! pages, and the key labels people (and the browser tests) rely on.

use axum::http::StatusCode;
use axum::http::header::LOCATION;

use crate::helpers::TestApp;
use crate::ui_support::{ADMIN_PAGES, html, page, plain_technician, settings_technician};

#[tokio::test]
async fn pages_that_need_a_session_send_a_visitor_to_sign_in_and_back() {
    let app = TestApp::new().await;

    for (path, next) in [
        ("/", "/"),
        ("/settings", "/settings"),
        ("/settings/api-keys", "/settings/api-keys"),
        ("/settings/users", "/settings/users"),
        (
            "/settings/activity?kind=user",
            "/settings/activity%3Fkind%3Duser",
        ),
    ] {
        let response = page(&app, path, None).await;

        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(response.headers[LOCATION], format!("/login?next={next}"));
    }
}

#[tokio::test]
async fn an_ended_session_is_sent_to_sign_in_like_no_session() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;
    app.delete("/api/v1/session")
        .session(&session)
        .send(&app)
        .await;

    let response = page(&app, "/settings/api-keys", Some(&session)).await;

    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.headers[LOCATION], "/login?next=/settings/api-keys");
}

#[tokio::test]
async fn the_sign_in_page_has_email_and_password_fields_and_a_sign_in_button() {
    let app = TestApp::new().await;

    let login = html(&app, "/login?next=/settings/users", None, StatusCode::OK).await;

    assert!(login.contains("<label for=\"email\">Email</label>"));
    assert!(login.contains("<label for=\"password\">Password</label>"));
    assert!(login.contains(">Sign in</button>"));
    assert!(login.contains("role=\"alert\""));
    assert!(login.contains("data-next=\"/settings/users\""));
}

#[tokio::test]
async fn the_sign_in_page_never_sends_anyone_to_another_site() {
    let app = TestApp::new().await;

    for next in ["https://evil.test/", "//evil.test/", "/%5Cevil.test"] {
        let login = html(&app, &format!("/login?next={next}"), None, StatusCode::OK).await;

        assert!(login.contains("data-next=\"/\""), "{next}");
    }
}

#[tokio::test]
async fn someone_signed_in_skips_the_sign_in_page_and_home_leads_to_api_keys() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;

    let login = page(&app, "/login?next=/settings/activity", Some(&session)).await;
    let home = page(&app, "/", Some(&session)).await;

    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.headers[LOCATION], "/settings/activity");
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.headers[LOCATION], "/settings/api-keys");
}

#[tokio::test]
async fn an_administrator_opens_every_settings_page_from_a_shell_with_all_entries() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;

    for path in ADMIN_PAGES {
        let body = html(&app, path, Some(&session), StatusCode::OK).await;

        for entry in ["API keys", "Users", "Activity"] {
            assert!(body.contains(&format!(">{entry}</a>")), "{path}: {entry}");
        }
        assert!(body.contains(&format!("href=\"{path}\" aria-current=\"page\"")));
        assert!(body.contains("admin@acme.test"));
        assert!(body.contains(">Sign out</button>"));
        assert!(body.contains(&format!(
            "<meta name=\"csrf-token\" content=\"{}\">",
            session.csrf
        )));
    }
}

#[tokio::test]
async fn the_api_keys_page_has_the_heading_dialogs_search_and_columns_the_issue_names() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;

    let body = html(&app, "/settings/api-keys", Some(&session), StatusCode::OK).await;

    for text in [
        "<h1>API keys</h1>",
        ">+ Create API key</button>",
        "<h2 id=\"create-title\">Create API key</h2>",
        ">Description</label>",
        ">Access level</legend>",
        ">Read and write</label>",
        ">Read-only</label>",
        ">Create key</button>",
        "<h2 id=\"edit-title\">Update API key</h2>",
        ">Save</button>",
        "<label for=\"key-search\" class=\"visually-hidden\">Search</label>",
        "<th scope=\"col\">API key</th>",
        "<th scope=\"col\">Description</th>",
        "<th scope=\"col\">Access</th>",
        "<th scope=\"col\">Last used</th>",
        "<th scope=\"col\">Created</th>",
        ">Copy key</button>",
        ">Edit</button>",
        ">Regenerate</button>",
        ">Delete</button>",
        ">Copy</button>",
        "No API keys yet",
        "Loading API keys",
    ] {
        assert!(body.contains(text), "missing {text}");
    }
    assert!(body.contains("aria-labelledby=\"create-title\""));
}

#[tokio::test]
async fn a_technician_without_settings_access_sees_no_settings_and_gets_a_clear_403() {
    let app = TestApp::new().await;
    let session = plain_technician(&app).await;

    for path in ["/settings/api-keys", "/settings/activity"] {
        let body = html(&app, path, Some(&session), StatusCode::FORBIDDEN).await;

        assert!(body.contains("<h1>You need Settings access</h1>"), "{path}");
        assert!(body.contains("Ask an administrator"));
        assert!(
            !body.contains("href=\"/settings/"),
            "{path} links to Settings"
        );
        assert!(body.contains(">Sign out</button>"));
    }
    let users = html(
        &app,
        "/settings/users",
        Some(&session),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert!(users.contains("<h1>You need to be an administrator</h1>"));
}

#[tokio::test]
async fn a_technician_with_settings_access_sees_keys_and_activity_but_not_users() {
    let app = TestApp::new().await;
    let session = settings_technician(&app).await;

    let keys = html(&app, "/settings/api-keys", Some(&session), StatusCode::OK).await;
    let activity = html(&app, "/settings/activity", Some(&session), StatusCode::OK).await;
    let users = html(
        &app,
        "/settings/users",
        Some(&session),
        StatusCode::FORBIDDEN,
    )
    .await;

    assert!(!keys.contains("href=\"/settings/users\""));
    assert!(keys.contains("href=\"/settings/activity\""));
    assert!(activity.contains("<h1>Activity</h1>"));
    assert!(activity.contains(">Load more</button>"));
    assert!(users.contains("You need to be an administrator"));
}

#[tokio::test]
async fn the_users_page_offers_adding_a_technician_with_role_settings_and_optional_password() {
    let app = TestApp::new().await;
    let session = app.admin_session().await;

    let body = html(&app, "/settings/users", Some(&session), StatusCode::OK).await;

    for text in [
        "<h1>Users</h1>",
        ">+ Add user</button>",
        ">Email</label>",
        ">Name</label>",
        ">Role</legend>",
        ">Technician</label>",
        ">Administrator</label>",
        ">Settings access</label>",
        "Password <span class=\"optional\">(optional)</span>",
        ">Password link</label>",
        &format!("data-me=\"{}\"", app.admin.id),
    ] {
        assert!(body.contains(text), "missing {text}");
    }
}

#[tokio::test]
async fn browsers_get_a_404_page_and_api_clients_keep_their_json_404() {
    let app = TestApp::new().await;

    let browser = html(&app, "/no/such/page", None, StatusCode::NOT_FOUND).await;
    let api = page(&app, "/api/v1/nothing", None).await;
    let plain = app.get("/no/such/page").send(&app).await;

    assert!(browser.contains("<h1>Page not found</h1>"));
    assert_eq!(api.body["code"], "not_found");
    assert_eq!(plain.body["code"], "not_found");
}
