//! Installed package updates on Debian and Ubuntu: the `upgrade` lines of `/var/log/dpkg.log`
//! (since the log last rotated, about a month), the latest per package. dpkg writes local
//! times without an offset; the machine's current offset (`date +%z`) turns them into UTC, and
//! without it `installed_on` stays unknown.

use std::collections::BTreeMap;
use std::process::Command;

use plumb_proto::inventory::PackageUpdate;
use time::macros::format_description;
use time::{PrimitiveDateTime, UtcOffset};

/// dpkg's log.
const DPKG_LOG: &str = "/var/log/dpkg.log";
/// The most installed updates reported: the most recent ones.
pub const MOST: usize = 500;

/// The updates dpkg installed, most recent first; empty when the log cannot be read.
pub fn installed() -> Vec<PackageUpdate> {
    let Ok(log) = std::fs::read_to_string(DPKG_LOG) else {
        return Vec::new();
    };
    parse_dpkg_upgrades(&log, local_offset())
}

/// The machine's UTC offset now, from `date +%z` (`+0100`).
fn local_offset() -> Option<UtcOffset> {
    let output = Command::new("date").arg("+%z").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let text = text.trim();
    let sign = match text.get(..1)? {
        "+" => 1,
        "-" => -1,
        _ => return None,
    };
    let hours: i8 = text.get(1..3)?.parse().ok()?;
    let minutes: i8 = text.get(3..5)?.parse().ok()?;
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

/// Parses lines like `2026-11-20 10:00:01 upgrade openssl:amd64 3.0.14-1 3.0.15-1`: the
/// latest upgrade of each package, most recent first, at most [`MOST`].
pub fn parse_dpkg_upgrades(log: &str, offset: Option<UtcOffset>) -> Vec<PackageUpdate> {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let mut latest: BTreeMap<&str, (usize, PackageUpdate)> = BTreeMap::new();
    for (line_number, line) in log.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let [date, clock, "upgrade", package, _from, to] = words[..] else {
            continue;
        };
        let name = package.split_once(':').map_or(package, |(name, _)| name);
        let installed_on = offset.and_then(|offset| {
            PrimitiveDateTime::parse(&format!("{date} {clock}"), format)
                .ok()
                .map(|local| local.assume_offset(offset).to_offset(UtcOffset::UTC))
        });
        let update = PackageUpdate {
            name: name.to_owned(),
            version: Some(to.to_owned()),
            is_available: false,
            installed_on,
            ..PackageUpdate::default()
        };
        latest.insert(name, (line_number, update));
    }
    let mut updates: Vec<(usize, PackageUpdate)> = latest.into_values().collect();
    updates.sort_by_key(|(line, _)| std::cmp::Reverse(*line));
    updates
        .into_iter()
        .take(MOST)
        .map(|(_, update)| update)
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::{datetime, offset};

    use super::*;

    const LOG: &str = "\
2026-11-01 09:00:00 startup packages configure
2026-11-01 09:00:01 upgrade openssl:amd64 3.0.14-1 3.0.15-1
2026-11-01 09:00:02 status installed openssl:amd64 3.0.15-1
2026-11-02 10:30:00 install htop:amd64 <none> 3.2.2-2
2026-11-20 10:00:01 upgrade tzdata:all 2025a-1 2025b-1
2026-11-21 08:15:00 upgrade openssl:amd64 3.0.15-1 3.0.16-1
";

    #[test]
    fn the_latest_upgrade_of_each_package_is_listed_most_recent_first() {
        let updates = parse_dpkg_upgrades(LOG, Some(UtcOffset::UTC));

        let names: Vec<(&str, Option<&str>)> = updates
            .iter()
            .map(|update| (update.name.as_str(), update.version.as_deref()))
            .collect();
        assert_eq!(
            names,
            [("openssl", Some("3.0.16-1")), ("tzdata", Some("2025b-1"))]
        );
        assert!(updates.iter().all(|update| !update.is_available));
        assert_eq!(
            updates[0].installed_on,
            Some(datetime!(2026-11-21 08:15:00 UTC))
        );
    }

    #[test]
    fn local_times_become_utc_and_stay_unknown_without_an_offset() {
        let east = parse_dpkg_upgrades(LOG, Some(offset!(+01:00)));
        let unknown = parse_dpkg_upgrades(LOG, None);

        assert_eq!(
            east[0].installed_on,
            Some(datetime!(2026-11-21 07:15:00 UTC))
        );
        assert_eq!(unknown[0].installed_on, None);
        assert_eq!(unknown.len(), 2);
    }

    #[test]
    fn only_the_most_recent_upgrades_are_kept() {
        let log: String = (0..MOST + 20)
            .map(|n| format!("2026-11-01 09:00:00 upgrade pkg{n}:amd64 1 2\n"))
            .collect();

        let updates = parse_dpkg_upgrades(&log, None);

        assert_eq!(updates.len(), MOST);
        assert_eq!(updates[0].name, format!("pkg{}", MOST + 19));
    }
}
