//! The device page's update sections: the updates available now (plumb's list, with the ids
//! `/v2/updates` shows) and the most recently installed ones the agent reported.

use plumb_core::store::UpdateRecord;
use plumb_proto::inventory::PackageUpdate;

use super::format::{bytes, text};
use super::view::{Cell, Section};

/// How many installed updates the page lists, most recent first.
pub const RECENTLY_INSTALLED: usize = 20;

pub(super) fn update_sections(
    available: Vec<UpdateRecord>,
    reported: &[PackageUpdate],
) -> Vec<Section> {
    let mut installed: Vec<&PackageUpdate> = reported
        .iter()
        .filter(|update| !update.is_available)
        .collect();
    // Most recent first; an update without an installation time last.
    installed.sort_by_key(|update| std::cmp::Reverse(update.installed_on));
    vec![
        Section {
            id: "updates",
            title: "Updates available",
            columns: &["Package", "Version", "Category", "Size", "Published"],
            rows: available
                .into_iter()
                .map(|record| {
                    let update = record.update;
                    vec![
                        Cell::text(update.name),
                        Cell::text(text(update.version)),
                        Cell::text(text(update.category)),
                        Cell::text(bytes(update.size)),
                        Cell::time(update.published_on),
                    ]
                })
                .collect(),
            empty: "No updates are waiting: the device reported none available.",
        },
        Section {
            id: "installed",
            title: "Recently installed updates",
            columns: &["Package", "Version", "Installed"],
            rows: installed
                .into_iter()
                .take(RECENTLY_INSTALLED)
                .map(|update| {
                    vec![
                        Cell::text(update.name.clone()),
                        Cell::text(text(update.version.clone())),
                        Cell::time(update.installed_on),
                    ]
                })
                .collect(),
            empty: "The device reported no installed updates.",
        },
    ]
}
