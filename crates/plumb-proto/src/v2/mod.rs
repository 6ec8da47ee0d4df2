//! Bodies of the public API, `/v2`, in the shapes of Level's v2 API, one module per resource.

mod activities;
mod alerts;
mod automations;
mod devices;
mod fields;
mod groups;

pub use activities::*;
pub use alerts::*;
pub use automations::*;
pub use devices::*;
pub use fields::*;
pub use groups::*;

use serde::{Deserialize, Serialize};

/// A page of a list: `{"data": [...], "has_more": bool}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items, in the list's stable order.
    pub data: Vec<T>,
    /// Whether more items exist in the direction of travel.
    pub has_more: bool,
}

/// The body of deletes: `{"success": true}`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Success {
    /// Always `true`.
    pub success: bool,
}
