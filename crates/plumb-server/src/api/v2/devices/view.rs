//! The `include_*` query parameters of `/v2`'s device routes; the device object itself is
//! built by `plumb_core::views::device_view`, which the event webhooks share.

pub use plumb_core::views::{Includes, device_view};

use crate::api::v2::params::flag;
use crate::error::ApiError;

/// The `include_*` query parameters, as sent.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncludeQuery {
    /// Add `operating_system` (`true`, `false`, `1` or `0`).
    #[param(value_type = Option<bool>)]
    include_operating_system: Option<String>,
    /// Add `cpus`.
    #[param(value_type = Option<bool>)]
    include_cpus: Option<String>,
    /// Add `memory`.
    #[param(value_type = Option<bool>)]
    include_memory: Option<String>,
    /// Add `disks`.
    #[param(value_type = Option<bool>)]
    include_disks: Option<String>,
    /// Add `disk_partitions`.
    #[param(value_type = Option<bool>)]
    include_disk_partitions: Option<String>,
    /// Add `network_interfaces`.
    #[param(value_type = Option<bool>)]
    include_network_interfaces: Option<String>,
    /// Add `motherboard`.
    #[param(value_type = Option<bool>)]
    include_motherboard: Option<String>,
    /// Add `security`.
    #[param(value_type = Option<bool>)]
    include_security: Option<String>,
}

impl IncludeQuery {
    /// Parses every flag (`true`, `false`, `1`, `0`); anything else is a 400.
    pub fn parse(&self) -> Result<Includes, ApiError> {
        let get = |name: &str, value: &Option<String>| flag(name, value.as_deref());
        Ok(Includes {
            operating_system: get("include_operating_system", &self.include_operating_system)?,
            cpus: get("include_cpus", &self.include_cpus)?,
            memory: get("include_memory", &self.include_memory)?,
            disks: get("include_disks", &self.include_disks)?,
            disk_partitions: get("include_disk_partitions", &self.include_disk_partitions)?,
            network_interfaces: get(
                "include_network_interfaces",
                &self.include_network_interfaces,
            )?,
            motherboard: get("include_motherboard", &self.include_motherboard)?,
            security: get("include_security", &self.include_security)?,
        })
    }
}
