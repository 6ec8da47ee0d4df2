use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, RequestBuilder, TestApp};

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

#[tokio::test]
async fn a_fresh_installation_offers_a_setup_link_that_creates_the_organization_and_admin() {
    let (app, router, _dir) = TestApp::empty().await;
    let link = app
        .setup_link
        .clone()
        .expect("a setup link on a fresh installation");
    assert!(link.starts_with("http://127.0.0.1:8080/setup?token="));
    let token = token_of(&link);

    let page = RequestBuilder::new(axum::http::Method::GET, &format!("/setup?token={token}"))
        .send_to(&router)
        .await;
    let body = json!({"token": token, "organization_name": "Acme MSP", "email": "Owner@Acme.test", "password": PASSWORD});
    let created = RequestBuilder::new(axum::http::Method::POST, "/api/v1/setup")
        .json(body.clone())
        .send_to(&router)
        .await;
    let again = RequestBuilder::new(axum::http::Method::POST, "/api/v1/setup")
        .json(body)
        .send_to(&router)
        .await;
    let page_after = RequestBuilder::new(axum::http::Method::GET, &format!("/setup?token={token}"))
        .send_to(&router)
        .await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains("<form method=\"post\" action=\"/setup\">")
    );
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["email"], "owner@acme.test");
    assert_eq!(created.body["role"], "admin");
    assert_eq!(created.body["organization"]["name"], "Acme MSP");
    again.error(StatusCode::FORBIDDEN);
    assert_eq!(page_after.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_setup_form_works_without_javascript() {
    let (app, router, _dir) = TestApp::empty().await;
    let token = token_of(app.setup_link.as_deref().unwrap());
    let form = format!(
        "token={token}&organization_name=Acme+MSP&name=Ada&email=ada%40acme.test&password=correct+horse+battery"
    );

    let response = RequestBuilder::new(axum::http::Method::POST, "/setup")
        .header("content-type", "application/x-www-form-urlencoded")
        .raw(form)
        .send_to(&router)
        .await;

    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    assert!(response.text.contains("Acme MSP"));
    assert!(!app.state.setup.is_open());
}

#[tokio::test]
async fn a_wrong_setup_token_is_refused_and_creates_nothing() {
    let (app, router, _dir) = TestApp::empty().await;
    let body = json!({"token": "A".repeat(43), "organization_name": "Evil", "email": "evil@x.test", "password": PASSWORD});

    let response = RequestBuilder::new(axum::http::Method::POST, "/api/v1/setup")
        .json(body)
        .send_to(&router)
        .await;

    response.error(StatusCode::FORBIDDEN);
    assert!(!app.state.store.has_organizations().await.unwrap());
    assert!(app.state.setup.is_open());
}

#[tokio::test]
async fn setup_with_a_short_password_is_refused_and_the_link_keeps_working() {
    let (app, router, _dir) = TestApp::empty().await;
    let token = token_of(app.setup_link.as_deref().unwrap());
    let body = json!({"token": token, "organization_name": "Acme", "email": "a@acme.test", "password": "short"});

    let response = RequestBuilder::new(axum::http::Method::POST, "/api/v1/setup")
        .json(body)
        .send_to(&router)
        .await;

    assert!(
        response
            .error(StatusCode::UNPROCESSABLE_ENTITY)
            .contains("at least 10")
    );
    assert!(app.state.setup.is_open());
}

#[tokio::test]
async fn a_setup_link_stops_working_once_an_organization_exists_by_other_means() {
    // TestApp::new starts on an empty database (so a link was printed), then creates the
    // organization the way `plumb init` would.
    let app = TestApp::new().await;
    let token = token_of(app.app.setup_link.as_deref().unwrap());
    let body = json!({"token": token, "organization_name": "Late", "email": "late@acme.test", "password": PASSWORD});

    let page = app.get(&format!("/setup?token={token}")).send(&app).await;
    let submit = app.post("/api/v1/setup", body).send(&app).await;

    assert_eq!(page.status, StatusCode::FORBIDDEN);
    submit.error(StatusCode::FORBIDDEN);
    assert!(!app.app.state.setup.is_open());
}

#[tokio::test]
async fn an_installation_that_starts_with_an_organization_prints_no_setup_link() {
    let app = TestApp::new().await;
    let config = app.config();
    let restarted = plumb_server::App::start(&config).await.unwrap();
    assert!(restarted.setup_link.is_none());
}

#[tokio::test]
async fn creating_a_first_organization_twice_is_refused_clearly() {
    let app = TestApp::new().await;
    let account = plumb_core::accounts::NewAccount {
        organization_name: "Second".to_owned(),
        email: "second@acme.test".to_owned(),
        name: None,
        password: secrecy::SecretString::from(PASSWORD),
    };
    let result = app
        .app
        .state
        .accounts
        .create_organization(
            account,
            plumb_core::store::CreateMode::FirstOnly,
            None,
            app.app.state.clock.now(),
        )
        .await;
    let error = result
        .expect_err("a second first organization is refused")
        .to_string();
    assert!(error.contains("already set up"), "{error}");
}
