//! The device page's view: the device and its available updates turned into the text the
//! template shows (sizes in binary units, clock speeds, yes/no), with "--" for anything the
//! agent did not report. Made from the records by value.

use plumb_core::devices::DeviceDetail;
use plumb_proto::inventory::Inventory;

use super::format::{UNKNOWN, bytes, list, platform_name, text, time_view};
use super::sections::inventory_sections;
use super::updates::update_sections;

/// A time: the ISO form for `<time datetime>` and the script, and the UTC text shown without it.
pub struct TimeView {
    /// `2026-11-23T16:52:41.000Z`.
    pub iso: String,
    /// `2026-11-23 16:52:41 UTC`.
    pub utc: String,
}

/// A label and its value, for the summary list.
pub struct Fact {
    /// What it is.
    pub label: &'static str,
    /// Its value, or [`UNKNOWN`].
    pub value: String,
}

/// One cell of a table: text, or a time the page shows in the browser's zone (UTC on hover).
pub struct Cell {
    /// The text, or the UTC text of the time.
    pub text: String,
    /// The time, if the cell is one.
    pub time: Option<TimeView>,
}

impl Cell {
    /// A cell of text.
    pub fn text(text: String) -> Self {
        Self { text, time: None }
    }

    /// A cell holding a time, or [`UNKNOWN`] without one.
    pub fn time(time: Option<time::OffsetDateTime>) -> Self {
        match time.map(time_view) {
            Some(view) => Self {
                text: view.utc.clone(),
                time: Some(view),
            },
            None => Self::text(UNKNOWN.to_owned()),
        }
    }
}

/// A row of text cells.
pub(super) fn cells(texts: Vec<String>) -> Vec<Cell> {
    texts.into_iter().map(Cell::text).collect()
}

/// One table of the page: its caption, column headers and rows of cells.
pub struct Section {
    /// The `id` of its heading.
    pub id: &'static str,
    /// Heading and caption.
    pub title: &'static str,
    /// Column headers.
    pub columns: &'static [&'static str],
    /// Rows; each cell lines up with `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// What the section says when it has no rows.
    pub empty: &'static str,
}

/// Everything the device page shows.
pub struct DeviceView {
    /// Hostname.
    pub hostname: String,
    /// Nickname, if set.
    pub nickname: Option<String>,
    /// Online now.
    pub online: bool,
    /// Last check-in.
    pub last_seen: Option<TimeView>,
    /// Last boot.
    pub last_boot: Option<TimeView>,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether the agent reported an inventory yet.
    pub reported: bool,
    /// The summary facts after status and last seen.
    pub facts: Vec<Fact>,
    /// CPUs, memory, disks, partitions, interfaces, motherboard, updates available and
    /// recently installed.
    pub sections: Vec<Section>,
}

impl DeviceView {
    /// The view of a device with its available updates.
    pub fn new(detail: DeviceDetail) -> Self {
        let device = detail.device;
        let reported = device.inventory.is_some();
        let inventory = device
            .inventory
            .map(|inventory| *inventory)
            .unwrap_or_default();
        let facts = facts(
            device.group_name.as_deref(),
            device.public_ip_address.as_deref(),
            &inventory,
        );
        let mut sections = inventory_sections(&inventory);
        sections.extend(update_sections(
            detail.updates_available,
            &inventory.updates,
        ));
        Self {
            hostname: device.hostname,
            nickname: device.nickname,
            online: device.online,
            last_seen: device.last_seen_at.map(time_view),
            last_boot: inventory.last_reboot_time.map(time_view),
            tags: device.tags,
            reported,
            facts,
            sections,
        }
    }
}

fn facts(group: Option<&str>, public_ip: Option<&str>, inventory: &Inventory) -> Vec<Fact> {
    let fact = |label, value: String| Fact { label, value };
    let os = &inventory.operating_system;
    vec![
        fact("Group", group.unwrap_or("No group").to_owned()),
        fact("Public IP", text(public_ip.map(str::to_owned))),
        fact("Private IPs", list(&inventory.private_ip_addresses)),
        fact("Manufacturer", text(inventory.manufacturer.clone())),
        fact("Model", text(inventory.model.clone())),
        fact("Serial number", text(inventory.serial_number.clone())),
        fact("Operating system", text(os.full_operating_system.clone())),
        fact("Platform", text(inventory.platform.map(platform_name))),
        fact(
            "Architecture",
            text(
                inventory
                    .architecture
                    .clone()
                    .or_else(|| os.architecture.clone()),
            ),
        ),
        fact(
            "Logged-in user",
            text(inventory.last_logged_in_user.clone()),
        ),
        fact("Memory", bytes(inventory.total_memory)),
        fact(
            "CPU cores",
            text(inventory.cpu_cores.map(|n| n.to_string())),
        ),
    ]
}
