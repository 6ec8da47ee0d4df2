//! What an owner limits about a key (stored and read back by the verification lookup), the
//! grace period of a regenerated value, the organization's default rate limit, and the request
//! log: written in batches, listed newest first by status class, counted and pruned.

use plumb_core::Store;
use plumb_core::id::{ApiKeyId, ApiKeyRequestId, OrganizationId};
use plumb_core::request_log::codec::{decode, encode, status_bits};
use plumb_core::store::{ApiKeyChange, BatchQuery, KeyRequest, RequestBatch};

use crate::support::{activity, digest, insert_key, minutes, secret, tenant};

conformance!(
    key_rules_are_stored_changed_and_cleared_and_the_lookup_sees_them,
    a_grace_period_keeps_the_old_digest_findable_until_it_is_ended,
    the_organization_default_rate_limit_reaches_every_key,
    the_request_log_lists_batches_by_status_newest_first_counts_and_prunes,
);

async fn key_rules_are_stored_changed_and_cleared_and_the_lookup_sees_them(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "Limited", 1, minutes(0)).await;
    let change = ApiKeyChange {
        expires_at: Some(Some(minutes(60))),
        disabled: Some(true),
        allowed_ips: Some(vec!["192.0.2.0/24".into(), "2001:db8::/32".into()]),
        rate_limit_per_minute: Some(Some(120)),
        ..Default::default()
    };
    let log = || activity(acme.id, "api_key.updated");

    store
        .update_api_key(acme.id, id, &change, minutes(1), &log())
        .await
        .unwrap();
    let limited = store.api_key_by_digest(&digest(1)).await.unwrap().unwrap();
    let clear = ApiKeyChange {
        expires_at: Some(None),
        rate_limit_per_minute: Some(None),
        ..Default::default()
    };
    store
        .update_api_key(acme.id, id, &clear, minutes(2), &log())
        .await
        .unwrap();
    let cleared = store.api_key(acme.id, id).await.unwrap();

    assert_eq!(limited.rules.expires_at, Some(minutes(60)));
    assert!(limited.rules.disabled);
    assert_eq!(limited.rules.allowed_ips, ["192.0.2.0/24", "2001:db8::/32"]);
    assert_eq!(limited.rules.rate_limit_per_minute, Some(120));
    assert_eq!(cleared.rules.expires_at, None);
    assert_eq!(cleared.rules.rate_limit_per_minute, None);
    assert!(
        cleared.rules.disabled,
        "a change leaves what it does not name"
    );
    assert_eq!(cleared.rules.allowed_ips.len(), 2);
}

async fn a_grace_period_keeps_the_old_digest_findable_until_it_is_ended(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let id = insert_key(store, &acme, "Rotating", 1, minutes(0)).await;
    let log = || activity(acme.id, "api_key.regenerated");

    let graced = store
        .replace_api_key_secret_with_grace(
            acme.id,
            id,
            &secret(2),
            Some(minutes(60)),
            minutes(1),
            &log(),
        )
        .await
        .unwrap();
    let old = store.api_key_by_digest(&digest(1)).await.unwrap();
    let new = store.api_key_by_digest(&digest(2)).await.unwrap();
    let ended = store
        .end_api_key_grace(acme.id, id, minutes(2), &log())
        .await
        .unwrap();
    let old_after = store.api_key_by_digest(&digest(1)).await.unwrap();

    let previous = graced.previous.unwrap();
    assert_eq!(
        (previous.digest, previous.valid_until),
        (digest(1), minutes(60))
    );
    assert_eq!(old.map(|key| key.id), Some(id));
    assert_eq!(new.map(|key| key.digest), Some(digest(2)));
    assert_eq!(ended.previous, None);
    assert_eq!(old_after, None);
}

async fn the_organization_default_rate_limit_reaches_every_key(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let other = tenant(store, "other").await;
    let id = insert_key(store, &acme, "Default", 1, minutes(0)).await;
    insert_key(store, &other, "Elsewhere", 2, minutes(0)).await;

    let before = store.api_key_rate_limit_default(acme.id).await.unwrap();
    store
        .set_api_key_rate_limit_default(acme.id, Some(300), &activity(acme.id, "settings"))
        .await
        .unwrap();

    assert_eq!(before, None);
    assert_eq!(
        store.api_key_rate_limit_default(acme.id).await.unwrap(),
        Some(300)
    );
    assert_eq!(
        store
            .api_key(acme.id, id)
            .await
            .unwrap()
            .organization_rate_limit,
        Some(300)
    );
    let elsewhere = store.api_key_by_digest(&digest(2)).await.unwrap().unwrap();
    assert_eq!(elsewhere.organization_rate_limit, None);
}

fn request(organization_id: OrganizationId, key: ApiKeyId, at: i64, status: u16) -> KeyRequest {
    KeyRequest {
        organization_id,
        api_key_id: key,
        at: minutes(at),
        method: "GET".into(),
        route: "/v2/groups/{id}".into(),
        path: format!("/v2/groups/{at}"),
        status,
        duration_us: 1_250,
        client_ip: Some("192.0.2.7".into()),
        user_agent: None,
    }
}

fn batch(requests: &[KeyRequest]) -> RequestBatch {
    encode(ApiKeyRequestId::new(), &requests.iter().collect::<Vec<_>>()).unwrap()
}

async fn the_request_log_lists_batches_by_status_newest_first_counts_and_prunes(store: &dyn Store) {
    let acme = tenant(store, "acme").await;
    let key = insert_key(store, &acme, "Logged", 1, minutes(0)).await;
    let idle = insert_key(store, &acme, "Idle", 2, minutes(0)).await;
    let old = batch(&[request(acme.id, key, 1, 500)]);
    // More batches than one statement writes, so the write spans several.
    let recent: Vec<RequestBatch> = (0..150)
        .map(|n| {
            let requests: Vec<KeyRequest> = (0..8)
                .map(|m| request(acme.id, key, 10, if (n + m) % 3 == 0 { 404 } else { 200 }))
                .collect();
            batch(&requests)
        })
        .collect();
    store
        .insert_api_key_requests(std::slice::from_ref(&old))
        .await
        .unwrap();
    store.insert_api_key_requests(&recent).await.unwrap();
    let query = |statuses, through, limit| BatchQuery {
        statuses,
        through,
        limit,
    };

    let newest = store
        .list_api_key_requests(acme.id, key, &query(status_bits(0, 999), None, 2))
        .await
        .unwrap();
    let from_the_second = store
        .list_api_key_requests(acme.id, key, &query(0xff, Some(newest[1].id), 1))
        .await
        .unwrap();
    let failed = store
        .list_api_key_requests(acme.id, key, &query(status_bits(500, 599), None, 10))
        .await
        .unwrap();
    let counted = store
        .count_api_key_requests(acme.id, minutes(5))
        .await
        .unwrap();
    let pruned = store.prune_api_key_requests(minutes(5)).await.unwrap();
    let left = store
        .list_api_key_requests(acme.id, key, &query(status_bits(500, 599), None, 10))
        .await
        .unwrap();

    assert_eq!(
        newest,
        [recent[149].clone(), recent[148].clone()],
        "newest first"
    );
    assert_eq!(
        from_the_second,
        [recent[148].clone()],
        "through is inclusive"
    );
    assert_eq!(
        failed,
        std::slice::from_ref(&old),
        "only batches holding a 5xx"
    );
    assert_eq!(decode(&failed[0]).unwrap(), [request(acme.id, key, 1, 500)]);
    assert_eq!(counted, [(key, 1_200)]);
    assert!(!counted.iter().any(|(id, _)| *id == idle));
    assert_eq!(pruned, 1, "one request went");
    assert!(left.is_empty());
}
