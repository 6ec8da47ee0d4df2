//! Human output of `plumb keys`: the list table and the one-key details.
//!
//! Text from the server (descriptions) is cleaned of control characters before it reaches the
//! terminal, so a description cannot move the cursor or recolour the screen.

use std::fmt::Write as _;

use time::OffsetDateTime;
use time::macros::format_description;

use plumb_proto::v1::{Access, ApiKey};

/// The longest description shown in the table before it is cut with `…`.
const DESCRIPTION_WIDTH: usize = 40;

/// How an access level reads for a person.
pub(crate) fn access_label(access: Access) -> &'static str {
    match access {
        Access::ReadWrite => "read & write",
        Access::ReadOnly => "read-only",
    }
}

/// `2025-03-15 14:30 UTC`.
pub(crate) fn time(value: OffsetDateTime) -> String {
    let layout = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    value
        .to_offset(time::UtcOffset::UTC)
        .format(&layout)
        .unwrap_or_else(|_| plumb_proto::timestamp::format(value))
}

/// The `plumb keys list` table.
pub(crate) fn key_table(keys: &[ApiKey]) -> String {
    let header = ["ID", "DESCRIPTION", "ACCESS", "KEY", "LAST USED", "CREATED"];
    let rows: Vec<[String; 6]> = keys
        .iter()
        .map(|key| {
            [
                clean(&key.id, usize::MAX),
                clean(&key.description, DESCRIPTION_WIDTH),
                access_label(key.access).to_owned(),
                clean(&key.masked_key, usize::MAX),
                key.last_used_at.map_or_else(|| "--".to_owned(), time),
                time(key.created_at),
            ]
        })
        .collect();
    let mut widths = header.map(|title| title.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut table = String::new();
    let header = header.map(str::to_owned);
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            let _ = write!(line, "{cell:<width$}  ");
        }
        table.push_str(line.trim_end());
        table.push('\n');
    }
    table
}

/// One key, a field per line, for `plumb keys edit`.
pub(crate) fn key_details(key: &ApiKey) -> String {
    let fields = [
        ("ID", clean(&key.id, usize::MAX)),
        ("DESCRIPTION", clean(&key.description, usize::MAX)),
        ("ACCESS", access_label(key.access).to_owned()),
        ("KEY", clean(&key.masked_key, usize::MAX)),
        (
            "LAST USED",
            key.last_used_at.map_or_else(|| "--".to_owned(), time),
        ),
        ("CREATED", time(key.created_at)),
        ("CREATED BY", clean(&key.created_by.email, usize::MAX)),
        (
            "REQUESTS",
            format!(
                "{} succeeded, {} failed, {} in the last 24 h",
                key.usage.success_count, key.usage.failure_count, key.requests_last_24h
            ),
        ),
        (
            "STATUS",
            if key.disabled { "disabled" } else { "enabled" }.to_owned(),
        ),
        (
            "EXPIRES",
            key.expires_at.map_or_else(|| "never".to_owned(), time),
        ),
        (
            "ALLOWED IPS",
            if key.allowed_ips.is_empty() {
                "anywhere".to_owned()
            } else {
                clean(&key.allowed_ips.join(", "), usize::MAX)
            },
        ),
        (
            "RATE LIMIT",
            match (
                key.rate_limit_per_minute,
                key.effective_rate_limit_per_minute,
            ) {
                (Some(own), _) => format!("{own} per minute"),
                (None, Some(default)) => format!("{default} per minute (organization default)"),
                (None, None) => "none".to_owned(),
            },
        ),
    ];
    let mut text = String::new();
    for (name, value) in fields {
        let _ = writeln!(text, "{name:<12} {value}");
    }
    if let Some(until) = key.previous_valid_until {
        let _ = writeln!(text, "{:<12} works until {}", "OLD VALUE", time(until));
    }
    text
}

/// A key's requests, newest first, for `plumb keys requests`.
pub(crate) fn request_table(requests: &[plumb_proto::v1::ApiKeyRequest]) -> String {
    let mut text = String::from("TIME                  STATUS  METHOD  PATH  FROM  AGENT\n");
    for request in requests {
        let _ = writeln!(
            text,
            "{}  {}     {:<6}  {}  {}  {}",
            time(request.at),
            request.status,
            clean(&request.method, 8),
            clean(&request.path, 80),
            clean(request.client_ip.as_deref().unwrap_or("--"), 45),
            clean(request.user_agent.as_deref().unwrap_or("--"), 40),
        );
    }
    text
}

/// Replaces control characters with spaces and cuts the text to `width` characters.
pub(crate) fn clean(text: &str, width: usize) -> String {
    let mut cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if cleaned.chars().count() > width {
        cleaned = cleaned.chars().take(width.saturating_sub(1)).collect();
        cleaned.push('…');
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use plumb_proto::v1::{Actor, KeyUsage};
    use time::macros::datetime;

    use super::*;

    fn key(id: &str, description: &str, last_used_at: Option<OffsetDateTime>) -> ApiKey {
        ApiKey {
            id: id.into(),
            description: description.into(),
            access: Access::ReadOnly,
            masked_key: "plumb_****Ab12".into(),
            last_used_at,
            created_at: datetime!(2025-03-15 14:30:00 UTC),
            created_by: Actor {
                id: "u1".into(),
                email: "a@example.com".into(),
            },
            usage: KeyUsage::default(),
            requests_last_24h: 0,
            expires_at: None,
            disabled: false,
            allowed_ips: Vec::new(),
            rate_limit_per_minute: None,
            effective_rate_limit_per_minute: None,
            previous_valid_until: None,
        }
    }

    #[test]
    fn the_table_aligns_columns_and_shows_never_used_keys_as_dashes() {
        let keys = [
            key("k1", "CI deploys", None),
            key(
                "k22",
                "Grafana",
                Some(datetime!(2025-03-16 09:05:59 +02:00)),
            ),
        ];

        let table = key_table(&keys);

        assert_eq!(
            table,
            "\
ID   DESCRIPTION  ACCESS     KEY             LAST USED             CREATED
k1   CI deploys   read-only  plumb_****Ab12  --                    2025-03-15 14:30 UTC
k22  Grafana      read-only  plumb_****Ab12  2025-03-16 07:05 UTC  2025-03-15 14:30 UTC
"
        );
    }

    #[test]
    fn descriptions_lose_control_characters_and_long_ones_are_cut() {
        assert_eq!(clean("a\x1b[31mb\nc", 40), "a [31mb c");
        let cut = clean(&"x".repeat(50), DESCRIPTION_WIDTH);
        assert_eq!(cut.chars().count(), DESCRIPTION_WIDTH);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn details_name_the_access_level_for_people() {
        let mut key = key("k1", "CI", None);
        key.access = Access::ReadWrite;
        let details = key_details(&key);
        assert!(details.contains("ACCESS       read & write\n"), "{details}");
        assert!(details.contains("LAST USED    --\n"), "{details}");
    }
}
