//! Safe targets: where events may be sent. By default only `https://` URLs whose host is a
//! public address: never loopback, private, link-local (which holds the cloud metadata address
//! 169.254.169.254), shared (CGNAT), multicast or otherwise reserved. The check runs when an
//! endpoint is saved (the URL's literal address, or every address its name resolves to) and
//! again by the delivery worker against the address it actually connects to, so a name that
//! later resolves elsewhere (DNS rebinding) is still refused. An operator can allow private
//! targets (`[webhooks] allow_private_targets`), which also admits `http://`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The longest URL an endpoint may have.
pub const URL_MAX: usize = 2048;

/// Whether an address is a public one events may be sent to.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(address: Ipv4Addr) -> bool {
    let [a, b, ..] = address.octets();
    !(address.is_unspecified()
        || address.is_loopback()
        || address.is_private()
        || address.is_link_local()
        || address.is_broadcast()
        || address.is_multicast()
        || address.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && address.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(address: Ipv6Addr) -> bool {
    let first = address.segments()[0];
    !(address.is_unspecified()
        || address.is_loopback()
        || address.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local (fd00:ec2::254 is AWS's metadata)
        || (first & 0xffc0) == 0xfe80 // link-local
        || first == 0x2001 && address.segments()[1] == 0x0db8 // documentation
        || first == 0x0064 && address.segments()[1] == 0xff9b) // NAT64 of any IPv4 address
}

/// A URL's parts the checks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The host name or address, without brackets.
    pub host: String,
    /// The port (443 or 80 unless given).
    pub port: u16,
}

/// Checks an endpoint URL's form: `https://host[:port]/...` (or `http://` when private targets
/// are allowed), no user name or password, at most [`URL_MAX`] characters; and, unless private
/// targets are allowed, that a literal address is public. Returns the host and port.
pub fn check_url(url: &str, allow_private: bool) -> Result<Target, String> {
    if url.len() > URL_MAX {
        return Err(format!("url must be at most {URL_MAX} characters"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("url must not contain spaces".to_owned());
    }
    let (rest, default_port) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, 443)
    } else if let Some(rest) = url.strip_prefix("http://").filter(|_| allow_private) {
        (rest, 80)
    } else {
        return Err("url must start with https://".to_owned());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("url must not contain a user name or password".to_owned());
    }
    let (host, port) = split_port(authority)?;
    let port = port.unwrap_or(default_port);
    if host.is_empty() {
        return Err("url must name a host".to_owned());
    }
    if let Ok(address) = host.parse::<IpAddr>() {
        if !allow_private && !is_public(address) {
            return Err(refused(&host));
        }
    } else if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Err("url's host is not a valid name".to_owned());
    } else if !allow_private && is_local_name(&host) {
        return Err(refused(&host));
    }
    Ok(Target { host, port })
}

/// Resolves a host (unless private targets are allowed) and refuses it if any of its
/// addresses is not public, or if it does not resolve.
pub async fn check_resolved(target: &Target, allow_private: bool) -> Result<(), String> {
    if allow_private || target.host.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    let addresses = tokio::net::lookup_host((target.host.as_str(), target.port))
        .await
        .map_err(|_| format!("url's host {} does not resolve", target.host))?;
    let mut any = false;
    for address in addresses {
        any = true;
        if !is_public(address.ip()) {
            return Err(refused(&target.host));
        }
    }
    if !any {
        return Err(format!("url's host {} does not resolve", target.host));
    }
    Ok(())
}

/// The message for a refused target.
pub fn refused(host: &str) -> String {
    format!(
        "url's host {host} is a private, loopback, link-local or reserved address; \
         events are sent to public addresses only (an operator can allow private targets)"
    )
}

fn is_local_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost") || host.ends_with(".internal")
}

fn split_port(authority: &str) -> Result<(String, Option<u16>), String> {
    let bad_port = || "url's port is not a number from 1 to 65535".to_owned();
    let parse_port = |text: &str| match text.parse::<u16>() {
        Ok(0) | Err(_) => Err(bad_port()),
        Ok(port) => Ok(Some(port)),
    };
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| "url's address is not closed by ]".to_owned())?;
        let port = match after.strip_prefix(':') {
            Some(port) => parse_port(port)?,
            None if after.is_empty() => None,
            None => return Err(bad_port()),
        };
        return Ok((host.to_owned(), port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Ok((host.to_ascii_lowercase(), parse_port(port)?)),
        None => Ok((authority.to_ascii_lowercase(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_not_public() {
        for text in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(text.parse().unwrap()), "{text}");
        }
        for text in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(text.parse().unwrap()), "{text}");
        }
    }

    #[test]
    fn only_https_urls_to_public_hosts_pass_by_default() {
        assert_eq!(
            check_url("https://hooks.example.com/level?x=1", false),
            Ok(Target {
                host: "hooks.example.com".to_owned(),
                port: 443
            })
        );
        assert!(check_url("http://hooks.example.com/", false).is_err());
        assert!(check_url("https://127.0.0.1:8443/", false).is_err());
        assert!(check_url("https://[::1]/", false).is_err());
        assert!(check_url("https://localhost/", false).is_err());
        assert!(check_url("https://user:pw@example.com/", false).is_err());
        assert!(check_url("ftp://example.com/", false).is_err());
        assert!(check_url("https://example.com:99999/", false).is_err());
    }

    #[test]
    fn allowing_private_targets_admits_http_and_loopback() {
        assert_eq!(
            check_url("http://127.0.0.1:9000/hook", true),
            Ok(Target {
                host: "127.0.0.1".to_owned(),
                port: 9000
            })
        );
    }
}
