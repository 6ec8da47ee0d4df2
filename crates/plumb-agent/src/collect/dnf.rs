//! Available updates on Fedora, RHEL and their rebuilds, from dnf's metadata cache (like apt's
//! list, no network access of its own): `dnf --cacheonly --quiet check-update`, with category
//! `security` for the packages `dnf --cacheonly --quiet updateinfo list --security` names.

use std::collections::BTreeSet;
use std::process::Command;

use plumb_proto::inventory::PackageUpdate;

/// The updates dnf knows of, or `None` when dnf is missing or fails.
pub fn available() -> Option<Vec<PackageUpdate>> {
    let output = dnf(&["check-update"])?;
    // 100: updates are available; 0: none; anything else: dnf could not tell.
    match output.status.code() {
        Some(0) => return Some(Vec::new()),
        Some(100) => {}
        _ => return None,
    }
    let security = dnf(&["updateinfo", "list", "--security"])
        .filter(|output| output.status.success())
        .map(|output| parse_security(&String::from_utf8_lossy(&output.stdout)))
        .unwrap_or_default();
    Some(parse_check_update(
        &String::from_utf8_lossy(&output.stdout),
        &security,
    ))
}

fn dnf(args: &[&str]) -> Option<std::process::Output> {
    Command::new("dnf")
        .args(["--cacheonly", "--quiet"])
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .ok()
}

/// Parses `check-update`'s table (`openssl.x86_64  1:3.0.7-17.el9  baseos`), including a name
/// too long for its column, which dnf puts on a line of its own; stops at "Obsoleting Packages".
pub fn parse_check_update(text: &str, security: &BTreeSet<String>) -> Vec<PackageUpdate> {
    let mut updates = Vec::new();
    let mut pending: Option<&str> = None;
    for line in text.lines() {
        if line.starts_with("Obsoleting Packages") {
            break;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let (package, version) = match (pending.take(), words.as_slice()) {
            (None, [package]) if package.contains('.') => {
                pending = Some(package);
                continue;
            }
            (None, [package, version, _repository]) => (*package, *version),
            (Some(package), [version, _repository]) => (package, *version),
            _ => continue,
        };
        let Some((name, _arch)) = package.rsplit_once('.') else {
            continue;
        };
        let category = if security.contains(name) {
            "security"
        } else {
            "software"
        };
        updates.push(PackageUpdate {
            name: name.to_owned(),
            category: Some(category.to_owned()),
            version: Some(version.to_owned()),
            is_available: true,
            ..PackageUpdate::default()
        });
    }
    updates
}

/// The package names of `updateinfo list --security` lines
/// (`RHSA-2024:1234 Important/Sec. openssl-1:3.0.7-18.el9.x86_64`).
pub fn parse_security(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|line| {
            let nevra = line.split_whitespace().nth(2)?;
            let (name_version_release, _arch) = nevra.rsplit_once('.')?;
            let (name_version, _release) = name_version_release.rsplit_once('-')?;
            let (name, _version) = name_version.rsplit_once('-')?;
            Some(name.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECK_UPDATE: &str = "\
Last metadata expiration check: 0:12:34 ago on Mon 23 Nov 2026 10:00:00 AM UTC.

openssl.x86_64                      1:3.0.7-18.el9_2               baseos
kernel-core.x86_64                  5.14.0-362.8.1.el9_3           baseos
python3-very-long-package-name-for-the-column.noarch
                                    2.1-3.el9                      appstream

Obsoleting Packages
grub2-tools.x86_64                  1:2.06-70.el9                  baseos
";

    const SECURITY: &str = "\
RHSA-2024:1234 Important/Sec. openssl-1:3.0.7-18.el9_2.x86_64
RHSA-2024:1240 Moderate/Sec.  openssl-libs-1:3.0.7-18.el9_2.x86_64
";

    #[test]
    fn check_update_rows_become_updates_with_security_marked() {
        let updates = parse_check_update(CHECK_UPDATE, &parse_security(SECURITY));

        let rows: Vec<(&str, &str, &str)> = updates
            .iter()
            .map(|update| {
                (
                    update.name.as_str(),
                    update.version.as_deref().unwrap(),
                    update.category.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("openssl", "1:3.0.7-18.el9_2", "security"),
                ("kernel-core", "5.14.0-362.8.1.el9_3", "software"),
                (
                    "python3-very-long-package-name-for-the-column",
                    "2.1-3.el9",
                    "software"
                ),
            ]
        );
        assert!(updates.iter().all(|update| update.is_available));
    }

    #[test]
    fn security_advisories_name_their_packages_without_version_or_arch() {
        let names = parse_security(SECURITY);

        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            ["openssl", "openssl-libs"]
        );
    }
}
