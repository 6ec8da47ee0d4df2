//! Package updates, where the platform can tell without network access of its own: on Debian
//! and Ubuntu the available ones through `apt list --upgradable` (from the last
//! `apt-get update`) and the installed ones from dpkg's log (`installed`); on Fedora and RHEL
//! the available ones from dnf's cache (`dnf`).

use std::collections::BTreeSet;
use std::process::Command;

use plumb_proto::inventory::PackageUpdate;

use super::{dnf, installed};

/// Every update to report: the available ones, then the installed ones of packages that have
/// no update available (one entry per package name, as the protocol wants).
pub fn reported() -> Vec<PackageUpdate> {
    merge(available(), installed::installed())
}

/// `available`, then each of `installed` whose package is not among them.
pub fn merge(available: Vec<PackageUpdate>, installed: Vec<PackageUpdate>) -> Vec<PackageUpdate> {
    let pending: BTreeSet<String> = available.iter().map(|update| update.name.clone()).collect();
    let mut updates = available;
    updates.extend(
        installed
            .into_iter()
            .filter(|update| !pending.contains(&update.name)),
    );
    updates
}

/// The updates the package manager knows of (apt, else dnf); empty when none can tell.
pub fn available() -> Vec<PackageUpdate> {
    apt_available().or_else(dnf::available).unwrap_or_default()
}

/// apt's upgradable packages, or `None` when apt is missing or fails.
fn apt_available() -> Option<Vec<PackageUpdate>> {
    let output = Command::new("apt")
        .args(["list", "--upgradable"])
        .env("LC_ALL", "C")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| parse_apt_upgradable(&String::from_utf8_lossy(&output.stdout)))
}

/// Parses lines like `openssl/stable-security 3.0.15-1~deb12u1 amd64 [upgradable from: 3.0.14-1]`.
pub fn parse_apt_upgradable(text: &str) -> Vec<PackageUpdate> {
    text.lines()
        .filter(|line| line.contains("[upgradable from"))
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let (name, suites) = words.next()?.split_once('/')?;
            let version = words.next()?;
            let category = if suites.split(',').any(|suite| suite.ends_with("-security")) {
                "security"
            } else {
                "software"
            };
            Some(PackageUpdate {
                name: name.to_owned(),
                category: Some(category.to_owned()),
                version: Some(version.to_owned()),
                is_available: true,
                ..PackageUpdate::default()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apt_lines_become_updates_with_security_marked() {
        let text = "Listing... Done\n\
                    openssl/stable-security 3.0.15-1~deb12u1 amd64 [upgradable from: 3.0.14-1~deb12u2]\n\
                    curl/stable 7.88.1-10+deb12u8 amd64 [upgradable from: 7.88.1-10+deb12u7]\n";
        let updates = parse_apt_upgradable(text);
        assert_eq!(updates.len(), 2);
        assert_eq!(updates[0].name, "openssl");
        assert_eq!(updates[0].category.as_deref(), Some("security"));
        assert_eq!(updates[1].version.as_deref(), Some("7.88.1-10+deb12u8"));
        assert!(updates.iter().all(|update| update.is_available));
    }

    #[test]
    fn an_installed_update_of_a_package_with_one_available_is_left_out() {
        let available = parse_apt_upgradable(
            "curl/stable 7.88.1-10+deb12u8 amd64 [upgradable from: 7.88.1-10+deb12u7]\n",
        );
        let installed = installed::parse_dpkg_upgrades(
            "2026-11-01 09:00:01 upgrade curl:amd64 7.88.1-10+deb12u6 7.88.1-10+deb12u7\n\
             2026-11-01 09:00:02 upgrade tzdata:all 2025a-1 2025b-1\n",
            None,
        );

        let updates = merge(available, installed);

        let listed: Vec<(&str, bool)> = updates
            .iter()
            .map(|update| (update.name.as_str(), update.is_available))
            .collect();
        assert_eq!(listed, [("curl", true), ("tzdata", false)]);
    }
}
