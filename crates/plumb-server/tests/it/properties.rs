//! Property tests (proptest) for everything the network hands plumb's parsers: API keys and
//! tokens in `Authorization`, ids and tokens in paths, cursors, `include_*` flags and every
//! query parameter of every `/v2` list, and JSON bodies of every write. Whatever the input, the
//! answer is never a 5xx, and every answer of 400 or more is the JSON envelope.
//!
//! Each property drives the real router in process; the number of cases is fixed (and the
//! seed is proptest's, with failures kept in `proptest-regressions/`), so a run takes seconds.

use axum::http::Method;
use plumb_server::routes::{Guard, table};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

use crate::helpers::{RequestBuilder, TestApp, TestResponse};

const CASES: u32 = 64;

/// One app for every case of a property, on a runtime the synchronous runner blocks on.
struct Harness {
    runtime: tokio::runtime::Runtime,
    app: TestApp,
    key: String,
    session: crate::helpers::Session,
}

impl Harness {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (app, key, session) = runtime.block_on(async {
            let app = TestApp::new().await;
            let key = app.key("read_write").await;
            let session = app.admin_session().await;
            (app, key, session)
        });
        Self {
            runtime,
            app,
            key,
            session,
        }
    }

    fn send(&self, request: RequestBuilder) -> TestResponse {
        self.runtime.block_on(request.send(&self.app))
    }

    fn run<S: Strategy>(&self, strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>) {
        let mut runner = TestRunner::new(Config {
            cases: CASES,
            failure_persistence: None,
            ..Config::default()
        });
        runner.run(&strategy, check).unwrap();
    }
}

fn well_formed(response: &TestResponse, case: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !response.status.is_server_error(),
        "{case}: {} {}",
        response.status,
        response.text
    );
    if response.status.as_u16() >= 400 {
        prop_assert!(
            response.body["error"].is_string(),
            "{case}: {}",
            response.text
        );
        prop_assert!(
            response.body["code"].is_string(),
            "{case}: {}",
            response.text
        );
    }
    Ok(())
}

/// Text as a percent-encoded query value or path segment.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Anything a client might put where a key, id, token or cursor goes: random text, and text
/// that looks almost right.
fn credential_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z]{0,8}_[0-9A-Za-z]{0,50}",
        "plumb[diw]?_[0-9A-Za-z]{38}",
        "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
    ]
}

#[test]
fn any_presented_api_key_is_refused_with_access_denied_or_accepted() {
    let harness = Harness::new();
    harness.run(credential_like(), |presented| {
        let Ok(value) = axum::http::HeaderValue::from_str(&presented) else {
            return Ok(());
        };
        let value = value.to_str().unwrap_or_default().to_owned();
        let response = harness.send(RequestBuilder::new(Method::GET, "/v2/groups").key(&value));
        well_formed(&response, &presented)?;
        prop_assert_eq!(response.status.as_u16(), 401);
        prop_assert_eq!(&response.body["error"], "Access denied");
        Ok(())
    });
}

#[test]
fn any_id_or_token_in_a_path_is_not_found_or_served() {
    let harness = Harness::new();
    let patterns: Vec<(Method, String)> = table()
        .into_iter()
        .filter(|route| route.path.contains("{id}") || route.path.contains("{token}"))
        .filter(|route| route.guard != Guard::Page)
        .map(|route| (route.method, route.path))
        .collect();
    let strategy = (0..patterns.len(), credential_like());
    harness.run(strategy, |(index, id)| {
        let (method, pattern) = &patterns[index];
        let path = pattern
            .replace("{id}", &encoded(&id))
            .replace("{token}", &encoded(&id));
        let request = RequestBuilder::new(method.clone(), &path)
            .session(&harness.session)
            .header("authorization", &harness.key);
        let response = harness.send(request);
        well_formed(&response, &format!("{method} {path}"))
    });
}

/// The query parameters plumb's `/v2` lists read, and a few it does not.
const PARAMETERS: &[&str] = &[
    "limit",
    "starting_after",
    "ending_before",
    "group_id",
    "ancestor_group_id",
    "tag_id",
    "hostname",
    "serial_number",
    "device_id",
    "automation_id",
    "custom_field_id",
    "status",
    "severity",
    "resolved",
    "force",
    "include_steps",
    "include_operating_system",
    "include_cpus",
    "include_memory",
    "include_disks",
    "include_disk_partitions",
    "include_network_interfaces",
    "include_motherboard",
    "include_security",
    "unknown",
];

#[test]
fn any_query_on_any_v2_list_is_answered_or_refused_with_a_400() {
    let harness = Harness::new();
    let lists: Vec<String> = table()
        .into_iter()
        .filter(|route| route.method == Method::GET && route.path.starts_with("/v2/"))
        .map(|route| {
            route
                .path
                .replace("{id}", "00000000-0000-7000-8000-000000000000")
        })
        .collect();
    let value = prop_oneof![
        any::<String>(),
        "-?[0-9]{1,25}",
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just(String::new()),
        credential_like(),
    ];
    let pairs = prop::collection::vec((0..PARAMETERS.len(), value), 1..5);
    harness.run((0..lists.len(), pairs), |(index, pairs)| {
        let query: Vec<String> = pairs
            .iter()
            .map(|(name, value)| format!("{}={}", PARAMETERS[*name], encoded(value)))
            .collect();
        let path = format!("{}?{}", lists[index], query.join("&"));
        let response = harness.send(RequestBuilder::new(Method::GET, &path).key(&harness.key));
        well_formed(&response, &path)
    });
}

/// Any JSON value, nested a little.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        credential_like().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        let keys = prop_oneof![
            "[a-z_]{1,12}",
            Just("name".to_owned()),
            Just("description".to_owned()),
            Just("access".to_owned()),
            Just("device_ids".to_owned()),
            Just("parent_id".to_owned()),
            Just("email".to_owned()),
            Just("password".to_owned()),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(keys, inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

#[test]
fn any_json_body_on_any_write_is_answered_or_refused_in_our_format() {
    let harness = Harness::new();
    let writes: Vec<(Method, String)> = table()
        .into_iter()
        .filter(|route| route.method != Method::GET)
        .filter(|route| route.path.starts_with("/v2/") || route.path.starts_with("/api/v1/"))
        // Signing out would end the session the other cases use.
        .filter(|route| !(route.method == Method::DELETE && route.path == "/api/v1/session"))
        .map(|route| {
            let path = route
                .path
                .replace("{id}", "00000000-0000-7000-8000-000000000000");
            (route.method, path)
        })
        .collect();
    harness.run((0..writes.len(), json_value()), |(index, body)| {
        let (method, path) = &writes[index];
        let request = RequestBuilder::new(method.clone(), path)
            .json(body.clone())
            .session(&harness.session)
            .header("authorization", &harness.key);
        let response = harness.send(request);
        well_formed(&response, &format!("{method} {path} {body}"))
    });
}
