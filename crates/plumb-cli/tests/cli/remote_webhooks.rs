//! `plumb webhooks …` against a real server: an endpoint created with a generated secret
//! (printed once), listed, narrowed to some events, disabled, and deleted.

use crate::remote::{json, plumb, server};

#[tokio::test]
async fn webhooks_can_be_created_listed_edited_and_deleted_from_the_cli() {
    let server = server().await;
    let secret = plumb(
        &server,
        &[
            "webhooks",
            "create",
            "--url",
            "https://93.184.216.34/level",
            "--description",
            "PSA",
            "--generate-secret",
        ],
    )
    .await
    .unwrap();
    assert!(secret.trim().starts_with("whsec_"), "{secret}");

    let listed = json(
        &plumb(&server, &["webhooks", "list", "--json"])
            .await
            .unwrap(),
    );
    let endpoint = &listed["data"][0];
    assert_eq!(endpoint["url"], "https://93.184.216.34/level");
    assert_eq!(endpoint["has_secret"], true);
    assert!(endpoint.get("secret").is_none());
    let id = endpoint["id"].as_str().unwrap().to_owned();

    let edited = json(
        &plumb(
            &server,
            &[
                "webhooks",
                "edit",
                &id,
                "--event",
                "device_deleted,alert_active",
                "--disable",
                "--json",
            ],
        )
        .await
        .unwrap(),
    );
    assert_eq!(
        edited["event_types"],
        serde_json::json!(["alert_active", "device_deleted"])
    );
    assert_eq!(edited["enabled"], false);

    let refused = plumb(&server, &["webhooks", "test", &id])
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("disabled"), "{refused}");
    let log = plumb(&server, &["webhooks", "deliveries", &id])
        .await
        .unwrap();
    assert_eq!(log.trim(), "No deliveries yet.");

    let bad = plumb(
        &server,
        &["webhooks", "create", "--url", "http://93.184.216.34/"],
    )
    .await
    .unwrap_err();
    assert!(bad.to_string().contains("https://"), "{bad}");

    plumb(&server, &["webhooks", "delete", &id, "--yes"])
        .await
        .unwrap();
    let listed = plumb(&server, &["webhooks", "list"]).await.unwrap();
    assert_eq!(listed.trim(), "No webhooks.");
}
