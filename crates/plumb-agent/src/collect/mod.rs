//! Collecting the inventory of the machine the agent runs on.
//!
//! Portable facts (hostname, OS, CPUs, memory, mounted file systems, interfaces, boot time) come
//! from `sysinfo` on every platform. What only the OS's own files tell (DMI hardware identity,
//! block devices, routes, DNS, logins, package updates) is read per platform: Linux today, and
//! other platforms report what the portable part gives. A fact that cannot be read is `None` or
//! an empty list, never a guess.

mod dnf;
mod installed;
mod linux;
pub mod os_release;
mod system;
mod updates;

use plumb_proto::inventory::{Inventory, Platform};

/// Collects the whole inventory. Never fails: each part degrades to "unknown" on its own.
pub fn inventory() -> Inventory {
    let mut inventory = system::portable();
    inventory.platform = platform();
    if cfg!(target_os = "linux") {
        os_release::apply(&mut inventory.operating_system);
        linux::add_hardware(&mut inventory);
        linux::add_network_details(&mut inventory.network_interfaces);
        inventory.last_logged_in_user = linux::last_logged_in_user();
        inventory.updates = updates::reported();
    }
    inventory
}

/// The OS family of this build.
pub fn platform() -> Option<Platform> {
    match std::env::consts::OS {
        "linux" => Some(Platform::Linux),
        "macos" => Some(Platform::Mac),
        "windows" => Some(Platform::Windows),
        _ => None,
    }
}

/// A trimmed, non-empty string, or `None`.
fn clean(text: &str) -> Option<String> {
    let text = text.trim().trim_matches(char::from(0)).trim();
    (!text.is_empty()).then(|| text.to_owned())
}
