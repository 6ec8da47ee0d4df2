//! Available package updates, where the platform can tell without network access of its own:
//! Debian and Ubuntu through `apt list --upgradable` (from the last `apt-get update`).

use std::process::Command;

use plumb_proto::inventory::PackageUpdate;

/// The updates the package manager knows of; empty when it cannot tell.
pub fn available() -> Vec<PackageUpdate> {
    let Ok(output) = Command::new("apt")
        .args(["list", "--upgradable"])
        .env("LC_ALL", "C")
        .output()
    else {
        return Vec::new();
    };
    if !output.status.success() {
        return Vec::new();
    }
    parse_apt_upgradable(&String::from_utf8_lossy(&output.stdout))
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
}
