//! `plumb keys disable|enable|end-grace|requests|settings|revoke-value`, and the parsing of
//! the key settings the command line spells for people (times, grace periods, limits).

use std::io::BufRead;

use anyhow::{Context, bail};
use plumb_client::RequestLogQuery;
use plumb_proto::v1::{ApiKeySettings, UpdateApiKey};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::credentials::Connection;
use super::keys::Output;
use super::{KeysCommand, format};

/// Runs the subcommands of this module (others are refused).
pub(super) async fn run_command(
    connection: &Connection,
    command: KeysCommand,
    mut output: Output<'_>,
) -> anyhow::Result<()> {
    let client = &connection.client;
    let error = |error| connection.error(error);
    match command {
        KeysCommand::Disable { id } => set_disabled(connection, &id, true, output).await?,
        KeysCommand::Enable { id } => set_disabled(connection, &id, false, output).await?,
        KeysCommand::EndGrace { id } => {
            let key = client.end_api_key_grace(&id).await.map_err(error)?;
            if output.json {
                output.json(&key)?;
            } else {
                write!(output.out, "{}", format::key_details(&key))?;
            }
        }
        KeysCommand::Requests { id, status, limit } => {
            let query = RequestLogQuery {
                status: status.as_deref(),
                cursor: None,
                limit: Some(limit),
            };
            let page = client.api_key_requests(&id, &query).await.map_err(error)?;
            if output.json {
                output.json(&page)?;
            } else if page.data.is_empty() {
                writeln!(output.out, "No requests.")?;
            } else {
                write!(output.out, "{}", format::request_table(&page.data))?;
            }
        }
        KeysCommand::Settings { rate_limit } => {
            let settings = match rate_limit {
                None => client.api_key_settings().await.map_err(error)?,
                Some(text) => {
                    let wanted = ApiKeySettings {
                        rate_limit_per_minute: default_rate(&text)?,
                    };
                    client
                        .update_api_key_settings(&wanted)
                        .await
                        .map_err(error)?
                }
            };
            if output.json {
                output.json(&settings)?;
            } else {
                let limit = settings
                    .rate_limit_per_minute
                    .map_or_else(|| "none".to_owned(), |n| format!("{n} per minute"));
                writeln!(output.out, "Default rate limit of keys: {limit}")?;
            }
        }
        KeysCommand::RevokeValue => {
            let value = read_value()?;
            let revoked = client.revoke_api_key_value(&value).await.map_err(error)?;
            if output.json {
                output.json(&revoked)?;
            } else {
                writeln!(
                    output.out,
                    "Revoked: if that value was a live key, it no longer works."
                )?;
            }
        }
        _ => bail!("not a key rule command"),
    }
    Ok(())
}

async fn set_disabled(
    connection: &Connection,
    id: &str,
    disabled: bool,
    mut output: Output<'_>,
) -> anyhow::Result<()> {
    let request = UpdateApiKey {
        disabled: Some(disabled),
        ..UpdateApiKey::default()
    };
    let key = connection
        .client
        .update_api_key(id, &request)
        .await
        .map_err(|error| connection.error(error))?;
    if output.json {
        output.json(&key)?;
    } else {
        let state = if disabled { "Disabled" } else { "Enabled" };
        writeln!(
            output.out,
            "{state} API key {}.",
            format::clean(&key.id, usize::MAX)
        )?;
    }
    Ok(())
}

/// The key value to revoke: the first line of stdin (never an argument, which would stay in
/// the shell's history).
fn read_value() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("could not read the key value from stdin")?;
    let value = line.trim().to_owned();
    if value.is_empty() {
        bail!("give the key value on stdin, e.g. plumb keys revoke-value < leaked.txt");
    }
    Ok(value)
}

/// A clap value parser from one of the parsers below: the text is kept as given, and a value
/// the parser refuses is a usage error (exit 2) before anything is sent.
pub(super) fn check<T>(
    parse: fn(&str) -> anyhow::Result<T>,
) -> impl Fn(&str) -> Result<String, String> + Clone + Send + Sync + 'static
where
    T: 'static,
{
    move |text: &str| {
        parse(text)
            .map(|_| text.to_owned())
            .map_err(|error| format!("{error:#}"))
    }
}

/// The organization's default rate limit: a number, or `none` for no limit.
pub(super) fn default_rate(text: &str) -> anyhow::Result<Option<u32>> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    text.parse::<u32>()
        .map(Some)
        .with_context(|| format!("--rate-limit must be a number or none, not {text:?}"))
}

/// An ISO-8601 time as given on the command line.
pub(super) fn time(text: &str) -> anyhow::Result<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .with_context(|| format!("{text:?} is not an ISO-8601 time such as 2027-01-31T00:00:00Z"))
}

/// `--expires-at`: a time, or `never`.
pub(super) fn expiry(text: &str) -> anyhow::Result<Option<OffsetDateTime>> {
    if text.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    time(text).map(Some)
}

/// `--rate-limit` of `edit`: a number, or `default`.
pub(super) fn rate(text: &str) -> anyhow::Result<Option<u32>> {
    if text.eq_ignore_ascii_case("default") {
        return Ok(None);
    }
    text.parse::<u32>()
        .map(Some)
        .with_context(|| format!("--rate-limit must be a number or default, not {text:?}"))
}

/// `--grace`: none, 1h, 24h, 7d, or seconds.
pub(super) fn grace(text: &str) -> anyhow::Result<i64> {
    Ok(match text {
        "none" | "0" => 0,
        "1h" => 3600,
        "24h" => 24 * 3600,
        "7d" => 7 * 24 * 3600,
        seconds => seconds.parse::<i64>().with_context(|| {
            format!("--grace must be none, 1h, 24h, 7d or a number of seconds, not {seconds:?}")
        })?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_periods_are_named_as_the_web_ui_offers_them() {
        assert_eq!(grace("none").unwrap(), 0);
        assert_eq!(grace("1h").unwrap(), 3600);
        assert_eq!(grace("24h").unwrap(), 86_400);
        assert_eq!(grace("7d").unwrap(), 604_800);
        assert_eq!(grace("90").unwrap(), 90);
        assert!(grace("a while").is_err());
    }

    #[test]
    fn never_clears_an_expiry_and_default_a_rate_limit() {
        assert_eq!(expiry("never").unwrap(), None);
        assert!(expiry("2027-01-31T00:00:00Z").unwrap().is_some());
        assert!(expiry("tomorrow").is_err());
        assert_eq!(rate("default").unwrap(), None);
        assert_eq!(rate("120").unwrap(), Some(120));
    }
}
