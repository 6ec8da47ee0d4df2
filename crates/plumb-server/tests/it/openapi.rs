//! The OpenAPI documents: snapshots of both, the API routes of the table covered exactly (so a
//! document cannot drift from the code; `route_table.rs` checks that the router serves every
//! documented operation), compatibility with the Level reference
//! (`shared/level-v2/openapi.json`), and the served JSON.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use plumb_server::openapi::{v1_document, v2_document};
use plumb_server::routes::table;
use serde_json::Value;

use crate::helpers::TestApp;

/// Reference operations plumb does not serve, on purpose. Each must be listed, with its reason,
/// under "Differences from the reference" in docs/compatibility.md (checked below). None today:
/// plumb serves every operation of the reference.
const OMITTED: &[&str] = &[];

/// Reference component schemas and the plumb schema each must cover, property by property.
const SCHEMAS: &[(&str, &str)] = &[
    ("device", "Device"),
    ("group", "Group"),
    ("tag", "Tag"),
    ("custom_field", "CustomField"),
    ("custom_field_value", "CustomFieldValue"),
    ("alert", "Alert"),
    ("update", "Update"),
    ("automation", "Automation"),
    ("automation_webhook", "AutomationWebhook"),
    ("automation_run", "AutomationRun"),
    ("operating_system", "OperatingSystem"),
    ("cpu", "Cpu"),
    ("memory_module", "MemoryModule"),
    ("disk", "Disk"),
    ("disk_partition", "DiskPartition"),
    ("network_interface", "NetworkInterface"),
    ("motherboard", "Motherboard"),
    ("device_security", "Security"),
    ("success", "Success"),
    ("error", "ErrorBody"),
];

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

fn json(document: &utoipa::openapi::OpenApi) -> Value {
    serde_json::to_value(document).unwrap()
}

/// `"GET /v2/groups"` for every operation of a document, with its operation id.
fn operations(document: &Value) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(operation) = item.get(*method) {
                let id = operation["operationId"].as_str().map(str::to_owned);
                found.push((format!("{} {path}", method.to_uppercase()), id));
            }
        }
    }
    found
}

fn routes_under(prefix: &str) -> BTreeSet<String> {
    table()
        .into_iter()
        .filter(|route| route.path.starts_with(prefix))
        .map(|route| format!("{} {}", route.method, route.path))
        .collect()
}

fn documented(document: &Value) -> BTreeSet<String> {
    operations(document).into_iter().map(|(op, _)| op).collect()
}

fn reference() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/level-v2/openapi.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| {
        panic!(
            "the Level reference {path} is missing ({error}): clone the steering repository's \
             `shared` folder beside this one"
        )
    });
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_v2_document_matches_its_snapshot() {
    let pretty = serde_json::to_string_pretty(&json(&v2_document())).unwrap();
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("v2_openapi", pretty);
    });
}

#[test]
fn the_v1_document_matches_its_snapshot() {
    let pretty = serde_json::to_string_pretty(&json(&v1_document())).unwrap();
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("v1_openapi", pretty);
    });
}

#[test]
fn the_v2_document_describes_exactly_the_v2_routes_of_the_table() {
    assert_eq!(documented(&json(&v2_document())), routes_under("/v2/"));
}

#[test]
fn the_v1_document_describes_exactly_the_api_v1_routes_of_the_table() {
    assert_eq!(documented(&json(&v1_document())), routes_under("/api/v1/"));
}

#[test]
fn operation_ids_are_unique_in_each_document() {
    for document in [json(&v2_document()), json(&v1_document())] {
        let mut seen = BTreeSet::new();
        for (operation, id) in operations(&document) {
            let id = id.unwrap_or_else(|| panic!("{operation} has no operationId"));
            assert!(seen.insert(id.clone()), "{id} is used twice");
        }
    }
}

#[test]
fn every_reference_operation_is_served_with_levels_operation_id_except_the_listed_omissions() {
    let ours: Vec<(String, Option<String>)> = operations(&json(&v2_document()));
    let mut missing = Vec::new();
    for (operation, reference_id) in operations(&reference()) {
        match ours.iter().find(|(candidate, _)| *candidate == operation) {
            Some((_, id)) => assert_eq!(*id, reference_id, "operationId of {operation}"),
            None => missing.push(operation),
        }
    }
    assert_eq!(
        missing, OMITTED,
        "reference operations plumb does not serve"
    );
}

#[test]
fn the_omissions_are_the_ones_docs_compatibility_lists() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/compatibility.md");
    let text = std::fs::read_to_string(path).unwrap();
    let (_, differences) = text
        .split_once("## Differences from the reference")
        .expect("docs/compatibility.md has a section \"Differences from the reference\"");
    for omission in OMITTED {
        assert!(
            differences.contains(&format!("`{omission}`")),
            "docs/compatibility.md does not list `{omission}` as a difference"
        );
    }
}

#[test]
fn every_property_of_the_reference_schemas_exists_in_ours() {
    let reference = reference();
    let ours = json(&v2_document());
    for (theirs, mine) in SCHEMAS {
        let expected = reference["components"]["schemas"][*theirs]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("the reference has no schema {theirs}"));
        let actual = ours["components"]["schemas"][*mine]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("our document has no schema {mine}"));
        let absent: Vec<&String> = expected
            .keys()
            .filter(|name| !actual.contains_key(*name))
            .collect();
        assert!(absent.is_empty(), "{mine} lacks {absent:?} of {theirs}");
    }
}

/// Reference properties plumb may send as `null` where the reference never does: an included
/// part the device has not reported yet (docs/compatibility.md, "Devices").
const NULL_UNTIL_REPORTED: &[(&str, &str)] =
    &[("device", "operating_system"), ("device", "motherboard")];

/// The JSON types a property's schema admits: `type` (one or several), a `$ref`'s target, or
/// the union of `oneOf`/`anyOf`/`allOf`; `any` when nothing constrains it.
fn admitted_types(document: &Value, schema: &Value) -> BTreeSet<String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        let target = &document["components"]["schemas"][name];
        return match target.get("type") {
            Some(_) => admitted_types(document, target),
            None => BTreeSet::from(["object".to_owned()]),
        };
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = schema[combinator].as_array() {
            return parts
                .iter()
                .flat_map(|part| admitted_types(document, part))
                .collect();
        }
    }
    match &schema["type"] {
        Value::String(name) => BTreeSet::from([name.clone()]),
        Value::Array(names) => names
            .iter()
            .map(|name| name.as_str().unwrap().to_owned())
            .collect(),
        _ => BTreeSet::from(["any".to_owned()]),
    }
}

#[test]
fn every_value_our_schemas_admit_is_one_the_reference_admits() {
    let reference = reference();
    let ours = json(&v2_document());
    let mut wider = Vec::new();
    for (theirs, mine) in SCHEMAS {
        let expected = reference["components"]["schemas"][*theirs]["properties"]
            .as_object()
            .unwrap();
        let actual = &ours["components"]["schemas"][*mine]["properties"];
        for (name, schema) in expected {
            let allowed = admitted_types(&reference, schema);
            let mut admitted = admitted_types(&ours, &actual[name]);
            if NULL_UNTIL_REPORTED.contains(&(*theirs, name.as_str())) {
                admitted.remove("null");
            }
            let outside: Vec<&String> = admitted
                .iter()
                .filter(|kind| {
                    let fits = allowed.contains(*kind)
                        || allowed.contains("any")
                        || (*kind == "integer" && allowed.contains("number"));
                    !fits
                })
                .collect();
            if !outside.is_empty() {
                wider.push(format!("{mine}.{name}: {outside:?} beyond {allowed:?}"));
            }
        }
    }
    assert!(
        wider.is_empty(),
        "types the reference does not admit: {wider:#?}"
    );
}

#[test]
fn timestamps_are_date_time_strings_and_include_parts_are_optional() {
    let ours = json(&v2_document());
    let device = &ours["components"]["schemas"]["Device"];
    let last_seen = &device["properties"]["last_seen_at"];
    assert_eq!(last_seen["format"], "date-time", "{last_seen}");
    assert_eq!(last_seen["type"], serde_json::json!(["string", "null"]));
    let required: Vec<&str> = device["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap())
        .collect();
    assert!(required.contains(&"hostname") && required.contains(&"last_seen_at"));
    for part in ["operating_system", "cpus", "security", "motherboard"] {
        assert!(!required.contains(&part), "{part} must be optional");
    }
    let severity = &ours["components"]["schemas"]["Severity"]["enum"];
    assert_eq!(
        *severity,
        serde_json::json!(["information", "warning", "critical", "emergency"])
    );
}

#[tokio::test]
async fn the_served_documents_are_the_generated_ones_without_credentials() {
    let app = TestApp::new().await;
    for (path, document) in [
        ("/v2/openapi.json", json(&v2_document())),
        ("/api/v1/openapi.json", json(&v1_document())),
    ] {
        let response = app.get(path).send(&app).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(response.headers["content-type"], "application/json");
        assert_eq!(response.body, document, "{path}");
        assert_eq!(response.body["openapi"], "3.1.0", "{path}");
    }
}

#[test]
fn the_v2_document_describes_levels_eight_webhook_events_with_their_signature_header() {
    let ours = json(&v2_document());
    let theirs = reference();
    let names = |document: &Value| -> Vec<String> {
        let mut names: Vec<String> = document["webhooks"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&ours), names(&theirs));
    for (name, event) in ours["webhooks"].as_object().unwrap() {
        let post = &event["post"];
        assert_eq!(
            post["operationId"],
            theirs["webhooks"][name]["post"]["operationId"]
        );
        let headers: Vec<&str> = post["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|header| header["name"].as_str().unwrap())
            .collect();
        assert!(headers.contains(&"X-Level-Signature"), "{name}");
        let schema = &post["requestBody"]["content"]["application/json"]["schema"];
        let data = schema["properties"]["data"]["$ref"].as_str().unwrap();
        let object = data.rsplit('/').next().unwrap();
        assert!(
            ours["components"]["schemas"][object].is_object(),
            "{name}: {data}"
        );
    }
}
