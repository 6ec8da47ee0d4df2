//! The script-free pages: first-run setup and password links, rendered from templates and
//! usable with plain form posts.

use axum::http::{Method, StatusCode};

use crate::helpers::{RequestBuilder, TestApp};

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

#[tokio::test]
async fn the_setup_page_is_a_labelled_form_that_posts_without_script() {
    let (app, router, _dir) = TestApp::empty().await;
    let token = token_of(app.setup_link.as_deref().unwrap());

    let page = RequestBuilder::new(Method::GET, &format!("/setup?token={token}"))
        .send_to(&router)
        .await;

    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "<h1>Set up plumb</h1>",
        "<form method=\"post\" action=\"/setup\">",
        &format!("name=\"token\" value=\"{token}\""),
        ">Organization name</label>",
        ">Email</label>",
        ">Password</label>",
        ">Create organization</button>",
    ] {
        assert!(page.text.contains(text), "missing {text}");
    }
    assert!(!page.text.contains("<script"));
}

#[tokio::test]
async fn a_refused_setup_form_comes_back_with_the_message_and_what_was_typed_but_no_password() {
    let (app, router, _dir) = TestApp::empty().await;
    let token = token_of(app.setup_link.as_deref().unwrap());
    let form = format!(
        "token={token}&organization_name=Acme+%3CMSP%3E&name=&email=ada%40acme.test&password=short-pw"
    );

    let response = RequestBuilder::new(Method::POST, "/setup")
        .header("content-type", "application/x-www-form-urlencoded")
        .raw(form)
        .send_to(&router)
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text.contains("role=\"alert\""));
    assert!(response.text.contains("at least 10"));
    assert!(response.text.contains("value=\"Acme &#60;MSP&#62;\""));
    assert!(response.text.contains("value=\"ada@acme.test\""));
    assert!(!response.text.contains("short-pw"));
    assert!(app.state.setup.is_open());
}

#[tokio::test]
async fn a_finished_setup_links_to_sign_in() {
    let (app, router, _dir) = TestApp::empty().await;
    let token = token_of(app.setup_link.as_deref().unwrap());
    let form = format!(
        "token={token}&organization_name=Acme&name=Ada&email=ada%40acme.test&password=correct+horse+battery"
    );

    let response = RequestBuilder::new(Method::POST, "/setup")
        .header("content-type", "application/x-www-form-urlencoded")
        .raw(form)
        .send_to(&router)
        .await;

    assert_eq!(response.status, StatusCode::CREATED);
    assert!(response.text.contains("<h1>plumb is ready</h1>"));
    assert!(response.text.contains("href=\"/login\""));
}

#[tokio::test]
async fn the_password_page_is_a_labelled_form_and_a_bad_link_says_whom_to_ask() {
    let app = TestApp::new().await;

    let bad = app.get("/set-password?token=nope").send(&app).await;
    let good = app
        .get(&format!("/set-password?token={}", "A".repeat(43)))
        .send(&app)
        .await;

    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text.contains("Ask an administrator"));
    assert_eq!(good.status, StatusCode::OK);
    assert!(
        good.text
            .contains("<form method=\"post\" action=\"/set-password\">")
    );
    assert!(good.text.contains(">New password</label>"));
}
