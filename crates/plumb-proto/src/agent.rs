//! The agent protocol, `/agent/v1`: enrollment with an install key, check-ins with the device
//! token, and automation runs the agent executes. Described in docs/agent-protocol.md.

use serde::{Deserialize, Serialize};

use crate::inventory::Inventory;
use crate::v2::RunStatus;

/// `POST /agent/v1/enroll`: exchanges an install key for a device token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The organization's install key (`plumbi_...`).
    pub install_key: String,
    /// The machine's inventory at enrollment.
    pub inventory: Inventory,
}

/// `POST /agent/v1/enroll` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrolled {
    /// The new device's id.
    pub device_id: String,
    /// The device token (`plumbd_...`), shown once; the agent keeps it private.
    pub device_token: String,
    /// Seconds between check-ins the server expects.
    pub checkin_interval_seconds: u32,
}

/// `POST /agent/v1/checkin`, with `Authorization: Bearer <device token>`.
///
/// A full check-in carries the inventory (with or without its digests; without them it is an
/// agent from before digests). A digest check-in carries only the digests of an inventory the
/// server already holds: the server records that the device is alive, or answers
/// [`CheckinResponse::send_full`] when its stored digests differ.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckinRequest {
    /// The machine's current inventory; absent in a digest check-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<Inventory>,
    /// The digest of the machine's current inventory ([`InventoryDigests::of`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory_digest: Option<String>,
    /// The digest of its update list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updates_digest: Option<String>,
    /// The interval the agent runs at, so the server knows when it is late.
    pub checkin_interval_seconds: u32,
}

impl CheckinRequest {
    /// A full check-in: the inventory with its digests.
    pub fn full(inventory: Inventory, checkin_interval_seconds: u32) -> Self {
        let digests = InventoryDigests::of(&inventory);
        Self {
            inventory: Some(inventory),
            inventory_digest: Some(digests.inventory_digest),
            updates_digest: Some(digests.updates_digest),
            checkin_interval_seconds,
        }
    }

    /// A digest check-in: the digests of an inventory the server already holds.
    pub fn digest(digests: &InventoryDigests, checkin_interval_seconds: u32) -> Self {
        Self {
            inventory: None,
            inventory_digest: Some(digests.inventory_digest.clone()),
            updates_digest: Some(digests.updates_digest.clone()),
            checkin_interval_seconds,
        }
    }

    /// Both digests, when the request carries both.
    pub fn digests(&self) -> Option<InventoryDigests> {
        Some(InventoryDigests {
            inventory_digest: self.inventory_digest.clone()?,
            updates_digest: self.updates_digest.clone()?,
        })
    }
}

/// The digests of an inventory: SHA-256 of its canonical JSON (the serialization of
/// [`Inventory`] by this crate, fields in declaration order, no whitespace), in lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InventoryDigests {
    /// The digest of the whole inventory document, its updates included.
    pub inventory_digest: String,
    /// The digest of its update list alone.
    pub updates_digest: String,
}

impl InventoryDigests {
    /// The digests of `inventory`.
    pub fn of(inventory: &Inventory) -> Self {
        let document = serde_json::to_vec(inventory).unwrap_or_default();
        Self::of_parts(&document, &inventory.updates)
    }

    /// The digests of an inventory already serialized as `document` (its canonical JSON) whose
    /// update list is `updates`.
    pub fn of_parts(document: &[u8], updates: &[crate::inventory::PackageUpdate]) -> Self {
        let updates = serde_json::to_vec(updates).unwrap_or_default();
        Self {
            inventory_digest: sha256_hex(document),
            updates_digest: sha256_hex(&updates),
        }
    }

    /// Whether both digests are 64 lowercase hex digits.
    pub fn well_formed(&self) -> bool {
        [&self.inventory_digest, &self.updates_digest]
            .iter()
            .all(|digest| {
                digest.len() == 64
                    && digest
                        .bytes()
                        .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
            })
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// `POST /agent/v1/checkin` response: the runs waiting for this device.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinResponse {
    /// Pending automation runs, oldest first.
    pub runs: Vec<PendingRun>,
    /// The server does not hold the inventory a digest check-in named (it changed, the
    /// database was restored, the device is new to it): nothing was recorded, and the agent
    /// checks in again at once with the full inventory. Absent (false) otherwise.
    #[serde(default, skip_serializing_if = "is_false")]
    pub send_full: bool,
}

fn is_false(flag: &bool) -> bool {
    !flag
}

/// An automation run for the agent to execute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingRun {
    /// Run id.
    pub id: String,
    /// The automation's name.
    pub automation_name: String,
    /// Steps, in order.
    pub steps: Vec<ScriptStep>,
}

/// One script step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScriptStep {
    /// Step name.
    pub name: String,
    /// The interpreter: `sh`, `bash`, `powershell` or `python3`.
    pub shell: String,
    /// The script text.
    pub script: String,
    /// Seconds before the step is stopped.
    pub timeout_seconds: u32,
}

/// `POST /agent/v1/runs/{id}`: the outcome of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    /// The run's final status.
    pub status: RunStatus,
    /// Each executed step.
    pub steps: Vec<StepReport>,
}

/// The outcome of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepReport {
    /// Step name.
    pub name: String,
    /// Its status.
    pub status: RunStatus,
    /// Standard output and error, truncated to 64 KiB.
    pub output: String,
}
