//! How the device page spells values: sizes in binary units, clock speeds, yes/no, lists, times
//! (ISO for the script, UTC text without it), and "--" for anything the agent did not report.

use plumb_proto::inventory::Platform;
use plumb_proto::timestamp;
use time::OffsetDateTime;

use super::view::TimeView;

/// What the page shows for a value nobody reported.
pub const UNKNOWN: &str = "--";

pub(super) fn time_view(time: OffsetDateTime) -> TimeView {
    let iso = timestamp::format(time);
    let utc = format!("{} UTC", iso.trim_end_matches('Z').replace('T', " "))
        .replacen(".000 UTC", " UTC", 1);
    TimeView { iso, utc }
}

pub(super) fn text(value: Option<String>) -> String {
    value
        .filter(|value| !value.trim().is_empty())
        .unwrap_or_else(|| UNKNOWN.to_owned())
}

pub(super) fn list(values: &[String]) -> String {
    if values.is_empty() {
        UNKNOWN.to_owned()
    } else {
        values.join(", ")
    }
}

pub(super) fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "Yes",
        Some(false) => "No",
        None => UNKNOWN,
    }
    .to_owned()
}

pub(super) fn platform_name(platform: Platform) -> String {
    match platform {
        Platform::Windows => "Windows",
        Platform::Mac => "macOS",
        Platform::Linux => "Linux",
    }
    .to_owned()
}

/// A size in binary units: `512 B`, `1.5 KiB`, `16 GiB`, `931.5 GiB`.
pub fn bytes(value: Option<u64>) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let Some(value) = value else {
        return UNKNOWN.to_owned();
    };
    let mut unit = 0;
    let mut scaled = value as f64;
    while scaled >= 1024.0 && unit < UNITS.len() - 1 {
        scaled /= 1024.0;
        unit += 1;
    }
    let rounded = format!("{scaled:.1}");
    let number = rounded.strip_suffix(".0").unwrap_or(&rounded);
    format!("{number} {}", UNITS[unit])
}

/// A clock speed: `800 MHz`, `3.4 GHz`.
pub fn megahertz(value: Option<u64>) -> String {
    match value {
        None => UNKNOWN.to_owned(),
        Some(mhz) if mhz < 1000 => format!("{mhz} MHz"),
        Some(mhz) => {
            let rounded = format!("{:.2}", mhz as f64 / 1000.0);
            let number = rounded.trim_end_matches('0').trim_end_matches('.');
            format!("{number} GHz")
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn sizes_are_shown_in_binary_units_with_at_most_one_decimal() {
        assert_eq!(bytes(Some(512)), "512 B");
        assert_eq!(bytes(Some(1536)), "1.5 KiB");
        assert_eq!(bytes(Some(16 * 1024 * 1024 * 1024)), "16 GiB");
        assert_eq!(bytes(Some(1_000_204_886_016)), "931.5 GiB");
        assert_eq!(bytes(None), "--");
    }

    #[test]
    fn clock_speeds_switch_to_gigahertz_from_a_thousand_megahertz() {
        assert_eq!(megahertz(Some(800)), "800 MHz");
        assert_eq!(megahertz(Some(3400)), "3.4 GHz");
        assert_eq!(megahertz(Some(2999)), "3 GHz");
        assert_eq!(megahertz(Some(2450)), "2.45 GHz");
        assert_eq!(megahertz(None), "--");
    }

    #[test]
    fn times_carry_the_iso_form_and_a_readable_utc_text() {
        let view = time_view(datetime!(2026-11-23 16:52:41 UTC));

        assert_eq!(view.iso, "2026-11-23T16:52:41.000Z");
        assert_eq!(view.utc, "2026-11-23 16:52:41 UTC");
    }

    #[test]
    fn blank_or_missing_values_show_as_unknown() {
        assert_eq!(text(Some("  ".to_owned())), "--");
        assert_eq!(text(None), "--");
        assert_eq!(list(&[]), "--");
        assert_eq!(yes_no(None), "--");
        assert_eq!(yes_no(Some(true)), "Yes");
    }
}
