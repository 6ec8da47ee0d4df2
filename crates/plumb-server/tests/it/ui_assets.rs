//! The embedded CSS, JS and icon: served at content-hashed URLs with a year-long immutable cache
//! lifetime and the right content type; anything else under /static is 404.

use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use sha2::{Digest, Sha256};

use crate::helpers::TestApp;
use crate::ui_support::{ADMIN_PAGES, asset_urls, html};

/// Every asset URL the pages reference, plus the modules those modules import.
async fn every_asset_url(app: &TestApp) -> Vec<String> {
    let session = app.admin_session().await;
    let mut urls = asset_urls(&html(app, "/login", None, StatusCode::OK).await);
    for path in ADMIN_PAGES {
        urls.extend(asset_urls(
            &html(app, path, Some(&session), StatusCode::OK).await,
        ));
    }
    let mut index = 0;
    while index < urls.len() {
        let body = app.get(&urls[index]).send(app).await.text;
        for line in body.lines().filter(|line| line.starts_with("import ")) {
            let file = line.split('"').nth(1).unwrap().trim_start_matches("./");
            urls.push(format!("/static/{file}"));
        }
        index += 1;
    }
    urls.sort();
    urls.dedup();
    urls
}

#[tokio::test]
async fn every_referenced_asset_is_served_with_its_type_and_an_immutable_cache() {
    let app = TestApp::new().await;

    let urls = every_asset_url(&app).await;

    assert!(urls.len() >= 10, "only {urls:?}");
    for url in &urls {
        let response = app.get(url).send(&app).await;
        assert_eq!(response.status, StatusCode::OK, "{url}");
        let expected = match url.rsplit('.').next().unwrap() {
            "css" => "text/css; charset=utf-8",
            "js" => "text/javascript; charset=utf-8",
            "svg" => "image/svg+xml",
            other => panic!("unexpected asset type {other}"),
        };
        assert_eq!(response.headers[CONTENT_TYPE], expected, "{url}");
        assert_eq!(
            response.headers[CACHE_CONTROL], "public, max-age=31536000, immutable",
            "{url}"
        );
        assert_eq!(response.headers[X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}

#[tokio::test]
async fn asset_names_carry_the_first_twelve_hex_digits_of_the_sha256_of_what_is_served() {
    let app = TestApp::new().await;

    for url in every_asset_url(&app).await {
        let response = app.get(&url).send(&app).await;
        let digest = hex::encode(Sha256::digest(response.text.as_bytes()));
        let name = url.rsplit('/').next().unwrap();
        let hash = name.split('.').nth(1).unwrap();

        assert_eq!(hash, &digest[..12], "{url}");
    }
}

#[tokio::test]
async fn unknown_and_unhashed_asset_names_are_404() {
    let app = TestApp::new().await;

    for url in [
        "/static/app.css",
        "/static/app.000000000000.css",
        "/static/api-keys.js",
        "/static/..%2FCargo.toml",
        "/static/",
    ] {
        let response = app.get(url).send(&app).await;

        assert_eq!(response.status, StatusCode::NOT_FOUND, "{url}");
        assert_ne!(
            response.headers.get(CACHE_CONTROL).unwrap(),
            "public, max-age=31536000, immutable",
            "{url}"
        );
    }
}
