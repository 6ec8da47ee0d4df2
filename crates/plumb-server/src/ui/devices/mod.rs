//! Devices, for everyone signed in: the list at `/devices` (a frame; `static/devices.js` loads
//! `GET /api/v1/devices` with search, group and status filters and "Load more", and the groups
//! from `GET /api/v1/groups`) and one device at `/devices/{id}`, rendered here from the same
//! `Devices::detail` that `GET /api/v1/devices/{id}` answers with, so the page needs no second
//! round trip and a missing device is a real 404. `static/devices-show.js` only shows its times
//! in the browser's zone.

mod format;
mod sections;
mod updates;
mod view;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use plumb_core::id::DeviceId;

use self::view::DeviceView;
use super::{Nav, PageMeta, Shell, problem, render};
use crate::auth::session::SignedIn;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "devices.html")]
struct DevicesPage {
    page: PageMeta,
    shell: Shell,
    /// The address agents enroll with, for the empty state's instructions.
    server: String,
    /// Whether `/downloads/` has an agent to offer (else Add devices says how to provide one).
    agents_available: bool,
}

#[derive(Template)]
#[template(path = "devices_show.html")]
struct DevicePage {
    page: PageMeta,
    shell: Shell,
    device: DeviceView,
}

#[derive(Template)]
#[template(path = "devices_missing.html")]
struct MissingPage {
    page: PageMeta,
    shell: Shell,
}

/// `GET /devices`
pub async fn devices_page(State(state): State<AppState>, signed_in: SignedIn) -> Response {
    let page = DevicesPage {
        page: PageMeta {
            title: "Devices",
            script: Some("devices.js"),
        },
        shell: Shell::new(&signed_in, Nav::Devices),
        server: state.web.public_url.trim_end_matches('/').to_owned(),
        agents_available: !state.downloads.list().await.is_empty(),
    };
    render(StatusCode::OK, &page)
}

/// `GET /devices/{id}`
pub async fn device_page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PathId(id): PathId,
) -> Response {
    let organization_id = signed_in.user().organization.id;
    // A malformed id is as missing as an unknown one, or another organization's.
    let detail = match DeviceId::parse(&id) {
        Some(id) => state
            .devices
            .detail(organization_id, id)
            .await
            .map_err(ApiError::from),
        None => Err(ApiError::not_found("device")),
    };
    match detail {
        Ok(detail) => {
            let page = DevicePage {
                page: PageMeta {
                    title: "Device",
                    script: Some("devices-show.js"),
                },
                shell: Shell::new(&signed_in, Nav::Devices),
                device: DeviceView::new(detail),
            };
            render(StatusCode::OK, &page)
        }
        Err(ApiError::NotFound(_)) => {
            let page = MissingPage {
                page: PageMeta {
                    title: "Device not found",
                    script: Some("shell.js"),
                },
                shell: Shell::new(&signed_in, Nav::Devices),
            };
            render(StatusCode::NOT_FOUND, &page)
        }
        Err(error) => problem::server_error(error),
    }
}
