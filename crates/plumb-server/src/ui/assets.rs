//! The web UI's own CSS, JavaScript modules and icon, embedded in the binary and served at
//! content-addressed URLs (`/static/app.<first 12 hex of SHA-256>.js`) with a year-long
//! `immutable` cache lifetime: a new release changes the names, so browsers never run stale code.
//!
//! ES modules import each other by relative name (`import { api } from "./api.js"`). The browser
//! must fetch the hashed name, so each module's imports are rewritten to the hashed names of the
//! modules before it in [`SOURCES`] (which lists dependencies first), and its own hash is taken
//! after that rewrite: changing a dependency changes every importer's name too. No third-party
//! file is ever embedded here.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const SVG: &str = "image/svg+xml";

/// The `Cache-Control` of every hashed asset.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Every asset as (logical name, content type, bytes), each module after the modules it imports.
const SOURCES: &[(&str, &str, &[u8])] = &[
    ("app.css", CSS, include_bytes!("../../static/app.css")),
    (
        "favicon.svg",
        SVG,
        include_bytes!("../../static/favicon.svg"),
    ),
    ("api.js", JS, include_bytes!("../../static/api.js")),
    ("time.js", JS, include_bytes!("../../static/time.js")),
    ("notify.js", JS, include_bytes!("../../static/notify.js")),
    ("copy.js", JS, include_bytes!("../../static/copy.js")),
    ("dialog.js", JS, include_bytes!("../../static/dialog.js")),
    ("menu.js", JS, include_bytes!("../../static/menu.js")),
    ("shell.js", JS, include_bytes!("../../static/shell.js")),
    ("login.js", JS, include_bytes!("../../static/login.js")),
    (
        "api-key-rules.js",
        JS,
        include_bytes!("../../static/api-key-rules.js"),
    ),
    (
        "api-key-requests.js",
        JS,
        include_bytes!("../../static/api-key-requests.js"),
    ),
    (
        "api-key-regenerate.js",
        JS,
        include_bytes!("../../static/api-key-regenerate.js"),
    ),
    (
        "api-key-settings.js",
        JS,
        include_bytes!("../../static/api-key-settings.js"),
    ),
    (
        "api-keys.js",
        JS,
        include_bytes!("../../static/api-keys.js"),
    ),
    ("users.js", JS, include_bytes!("../../static/users.js")),
    (
        "activity.js",
        JS,
        include_bytes!("../../static/activity.js"),
    ),
    ("groups.js", JS, include_bytes!("../../static/groups.js")),
    ("confirm.js", JS, include_bytes!("../../static/confirm.js")),
    ("bulk.js", JS, include_bytes!("../../static/bulk.js")),
    (
        "add-devices.js",
        JS,
        include_bytes!("../../static/add-devices.js"),
    ),
    ("devices.js", JS, include_bytes!("../../static/devices.js")),
    (
        "webhooks.js",
        JS,
        include_bytes!("../../static/webhooks.js"),
    ),
    (
        "groups-page.js",
        JS,
        include_bytes!("../../static/groups-page.js"),
    ),
    ("alerts.js", JS, include_bytes!("../../static/alerts.js")),
    ("runs.js", JS, include_bytes!("../../static/runs.js")),
    (
        "device-fields.js",
        JS,
        include_bytes!("../../static/device-fields.js"),
    ),
    ("steps.js", JS, include_bytes!("../../static/steps.js")),
    (
        "triggers.js",
        JS,
        include_bytes!("../../static/triggers.js"),
    ),
    ("run-now.js", JS, include_bytes!("../../static/run-now.js")),
    (
        "automations.js",
        JS,
        include_bytes!("../../static/automations.js"),
    ),
    (
        "automation-edit.js",
        JS,
        include_bytes!("../../static/automation-edit.js"),
    ),
    (
        "install-keys.js",
        JS,
        include_bytes!("../../static/install-keys.js"),
    ),
    (
        "devices-show.js",
        JS,
        include_bytes!("../../static/devices-show.js"),
    ),
];

/// One servable asset.
#[derive(Debug)]
pub struct Asset {
    /// The logical name, as in `static/` (`app.js`).
    pub name: &'static str,
    /// The URL it is served at (`/static/app.0123456789ab.js`).
    pub url: String,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The bytes served (modules with their imports rewritten).
    pub body: Vec<u8>,
}

/// All assets, by logical name and by served file name.
#[derive(Debug)]
pub struct Assets {
    by_name: HashMap<&'static str, usize>,
    by_file: HashMap<String, usize>,
    assets: Vec<Asset>,
}

/// The assets, hashed once: [`crate::routes::router`] touches this so the work happens at startup.
pub static ASSETS: LazyLock<Assets> = LazyLock::new(Assets::build);

impl Assets {
    fn build() -> Self {
        let mut assets: Vec<Asset> = Vec::with_capacity(SOURCES.len());
        for (name, content_type, bytes) in SOURCES {
            let body = if *content_type == JS {
                rewrite_imports(bytes, &assets)
            } else {
                bytes.to_vec()
            };
            let url = format!("/static/{}", hashed_name(name, &body));
            assets.push(Asset {
                name,
                url,
                content_type,
                body,
            });
        }
        let by_name = assets
            .iter()
            .enumerate()
            .map(|(index, asset)| (asset.name, index))
            .collect();
        let by_file = assets
            .iter()
            .enumerate()
            .map(|(index, asset)| (asset.url["/static/".len()..].to_owned(), index))
            .collect();
        Self {
            by_name,
            by_file,
            assets,
        }
    }

    /// Every asset, in dependency order.
    pub fn all(&self) -> &[Asset] {
        &self.assets
    }

    /// The asset served as `/static/{file}`.
    pub fn by_file(&self, file: &str) -> Option<&Asset> {
        self.by_file.get(file).map(|&index| &self.assets[index])
    }

    /// The hashed URL of a logical name; templates call this through [`url`].
    pub fn url(&self, name: &str) -> &str {
        match self.by_name.get(name) {
            Some(&index) => &self.assets[index].url,
            // A template naming a missing asset is a programming error the UI tests catch
            // (they fetch every URL a page references); a dead link beats a crash.
            None => "/static/missing",
        }
    }
}

/// The hashed URL of an asset, for templates: `{{ crate::ui::assets::url("app.css") }}`.
pub fn url(name: &str) -> &'static str {
    ASSETS.url(name)
}

/// `GET /static/{file}`
pub async fn serve_asset(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.by_file(&file) else {
        return ApiError::NotFound("no such asset".to_owned()).into_response();
    };
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        ],
        asset.body.clone(),
    )
        .into_response()
}

/// `app.js` → `app.0123456789ab.js`: the first 12 hex digits of the SHA-256 of the body.
fn hashed_name(name: &str, body: &[u8]) -> String {
    let digest = hex::encode(Sha256::digest(body));
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{}.{extension}", &digest[..12]),
        None => format!("{name}.{}", &digest[..12]),
    }
}

/// Replaces `"./dep.js"` and `'./dep.js'` with the hashed file names of the assets built so far.
fn rewrite_imports(bytes: &[u8], built: &[Asset]) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(bytes).into_owned();
    for dependency in built.iter().filter(|asset| asset.content_type == JS) {
        let file = &dependency.url["/static/".len()..];
        for quote in ['"', '\''] {
            text = text.replace(
                &format!("{quote}./{}{quote}", dependency.name),
                &format!("{quote}./{file}{quote}"),
            );
        }
    }
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The relative module specifiers (`./x.js`) a module imports.
    fn imports(body: &str) -> Vec<String> {
        body.lines()
            .filter(|line| line.trim_start().starts_with("import "))
            .filter_map(|line| line.split(['"', '\'']).nth(1))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_module_import_points_at_a_served_hashed_asset() {
        for asset in ASSETS.all().iter().filter(|asset| asset.content_type == JS) {
            let body = String::from_utf8(asset.body.clone()).unwrap();
            for specifier in imports(&body) {
                let file = specifier.strip_prefix("./").unwrap_or(&specifier);
                assert!(
                    ASSETS.by_file(file).is_some(),
                    "{} imports {specifier}, which is not served (list it earlier in SOURCES)",
                    asset.name
                );
            }
        }
    }

    #[test]
    fn hashed_names_keep_the_extension_and_take_twelve_hex_digits() {
        let name = hashed_name("app.js", b"x");
        assert_eq!(name.len(), "app.".len() + 12 + ".js".len());
        assert!(name.starts_with("app.") && name.ends_with(".js"));
    }

    #[test]
    fn a_change_in_a_dependency_renames_its_importers() {
        let dependency = |body: &[u8]| Asset {
            name: "api.js",
            url: format!("/static/{}", hashed_name("api.js", body)),
            content_type: JS,
            body: body.to_vec(),
        };
        let importer = b"import { api } from \"./api.js\";";

        let before = rewrite_imports(importer, &[dependency(b"one")]);
        let after = rewrite_imports(importer, &[dependency(b"two")]);

        assert_ne!(
            hashed_name("page.js", &before),
            hashed_name("page.js", &after)
        );
    }
}
