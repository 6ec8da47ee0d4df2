//! `/etc/os-release` (freedesktop.org): the distribution's own name for itself.
//!
//! `PRETTY_NAME` ("Debian GNU/Linux 12 (bookworm)", "Ubuntu 22.04.3 LTS") is what people call
//! the system and what Level shows as `full_operating_system`; sysinfo's long name
//! ("Linux (Debian GNU/Linux 12)") only stands in when the file says nothing usable.

use std::fs;

use plumb_proto::inventory::OperatingSystem;

use super::clean;

/// Where the file lives; `/usr/lib/os-release` is the fallback the specification names.
const PATHS: [&str; 2] = ["/etc/os-release", "/usr/lib/os-release"];

/// Replaces the OS's full name and version with what os-release says, when it says it.
pub fn apply(os: &mut OperatingSystem) {
    let Some(text) = PATHS.iter().find_map(|path| fs::read_to_string(path).ok()) else {
        return;
    };
    if let Some(name) = pretty_name(&text) {
        os.full_operating_system = Some(name);
    }
    if let Some(version) = value(&text, "VERSION_ID") {
        let mut parts = version.split('.');
        os.major_version = parts.next().and_then(clean);
        os.minor_version = parts.next().and_then(clean);
    }
}

/// `PRETTY_NAME`, else `NAME` and `VERSION` joined.
pub fn pretty_name(text: &str) -> Option<String> {
    value(text, "PRETTY_NAME").or_else(|| {
        let name = value(text, "NAME")?;
        Some(match value(text, "VERSION") {
            Some(version) => format!("{name} {version}"),
            None => name,
        })
    })
}

/// One variable's value: shell-style assignment, the value optionally quoted with `"` or `'`
/// (backslash escapes inside double quotes). The last assignment wins.
pub fn value(text: &str, key: &str) -> Option<String> {
    let raw = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix(key)?.strip_prefix('='))
        .next_back()?;
    let unquoted = if let Some(inner) = quoted(raw, '"') {
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            out.push(if c == '\\' {
                chars.next().unwrap_or(c)
            } else {
                c
            });
        }
        out
    } else if let Some(inner) = quoted(raw, '\'') {
        inner.to_owned()
    } else {
        raw.to_owned()
    };
    clean(&unquoted)
}

fn quoted(raw: &str, quote: char) -> Option<&str> {
    raw.strip_prefix(quote)?.strip_suffix(quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEBIAN: &str = r#"PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
ID=debian
"#;

    #[test]
    fn the_pretty_name_is_read_unquoted() {
        assert_eq!(
            pretty_name(DEBIAN).as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(value(DEBIAN, "ID").as_deref(), Some("debian"));
        assert_eq!(value(DEBIAN, "VERSION_ID").as_deref(), Some("12"));
    }

    #[test]
    fn without_a_pretty_name_the_name_and_version_stand_in() {
        let text = "NAME='Alpine Linux'\nVERSION=\"3.19\"\n";
        assert_eq!(pretty_name(text).as_deref(), Some("Alpine Linux 3.19"));
        assert_eq!(pretty_name("ID=x\n"), None);
    }

    #[test]
    fn escapes_in_double_quotes_are_resolved_and_similar_keys_ignored() {
        let text = "PRETTY_NAME_EXTRA=\"no\"\nPRETTY_NAME=\"My \\\"Box\\\" 1\"\n";
        assert_eq!(pretty_name(text).as_deref(), Some("My \"Box\" 1"));
    }
}
