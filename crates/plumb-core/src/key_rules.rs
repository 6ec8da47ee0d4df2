//! The rules an owner sets on an API key, checked on every `/v2` request from memory: the
//! allowed addresses ([`AllowList`]) and the limits of each setting (expiry, addresses, rate,
//! grace period), with the sentences a person sees when a value is refused.

use std::net::IpAddr;
use std::sync::Arc;

use ipnet::IpNet;
use time::{Duration, OffsetDateTime};

use crate::DomainError;
use crate::crypto::Digest;
use crate::store::{ApiKeyRecord, KeyRef};
use crate::verifier::Principal;

/// Most entries in a key's address list.
pub const ALLOWED_IPS_MAX: usize = 256;
/// Highest rate limit, in requests per minute.
pub const RATE_LIMIT_MAX: u32 = 1_000_000;
/// Longest grace period of a regenerated key's old value: seven days.
pub const GRACE_MAX_SECONDS: i64 = 7 * 24 * 3600;

/// The addresses a key may be used from: empty admits every address. Cheap to clone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList(Option<Arc<[IpNet]>>);

impl AllowList {
    /// The list of already validated entries (as stored); an entry that does not parse is
    /// `Err` with its text.
    pub fn from_entries(entries: &[String]) -> Result<Self, String> {
        if entries.is_empty() {
            return Ok(Self(None));
        }
        let nets = entries
            .iter()
            .map(|entry| parse_entry(entry).ok_or_else(|| entry.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self(Some(nets.into())))
    }

    /// Whether a request from `address` may use the key. An IPv4-mapped IPv6 address counts
    /// as its IPv4 address.
    pub fn admits(&self, address: IpAddr) -> bool {
        let Some(nets) = &self.0 else {
            return true;
        };
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        nets.iter().any(|net| net.contains(&address))
    }

    /// Whether every address is admitted.
    pub fn is_open(&self) -> bool {
        self.0.is_none()
    }
}

/// A key as the verifier caches it under one of its digests: who it speaks for and every rule
/// the `/v2` gate checks, so a cache hit costs no statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedKey {
    /// Who the key speaks for.
    pub principal: Principal,
    /// Refused from this time on: the key's expiry, or for a regenerated key's old value the
    /// end of its grace period, whichever comes first.
    pub until: Option<OffsetDateTime>,
    /// Refused while disabled.
    pub disabled: bool,
    /// Where it may be used from.
    pub allowed: AllowList,
    /// Requests per minute (the key's own limit, else the organization's default).
    pub rate_limit: Option<u32>,
    /// How the activity log names the key (its masked value and description), for the changes
    /// it makes.
    pub label: Arc<KeyRef>,
}

impl VerifiedKey {
    /// The entry for `digest`, which is the record's value or its previous value.
    pub fn of(record: &ApiKeyRecord, digest: &Digest) -> Self {
        let mut until = record.rules.expires_at;
        if record.digest != *digest {
            // The previous value: only within its grace period (never after it was ended).
            let grace = record
                .previous
                .filter(|previous| previous.digest == *digest)
                .map_or(OffsetDateTime::UNIX_EPOCH, |previous| previous.valid_until);
            until = Some(until.map_or(grace, |expiry| expiry.min(grace)));
        }
        // Stored entries were validated when written; one that no longer parses admits nothing.
        let allowed = AllowList::from_entries(&record.rules.allowed_ips)
            .unwrap_or_else(|_| AllowList(Some(Arc::from(Vec::new()))));
        Self {
            principal: Principal::from(record),
            until,
            disabled: record.rules.disabled,
            allowed,
            rate_limit: record
                .rules
                .rate_limit_per_minute
                .or(record.organization_rate_limit),
            label: Arc::new(KeyRef {
                id: record.id,
                masked_key: crate::api_key::mask(&record.hint),
                description: record.description.clone(),
            }),
        }
    }

    /// Whether the key may be used at `now`: not disabled, not expired.
    pub fn is_live(&self, now: OffsetDateTime) -> bool {
        !self.disabled && self.until.is_none_or(|until| now < until)
    }
}

/// An address (`192.0.2.7`, `2001:db8::1`) or a range (`192.0.2.0/24`, `2001:db8::/32`).
fn parse_entry(text: &str) -> Option<IpNet> {
    if let Ok(address) = text.parse::<IpAddr>() {
        return Some(IpNet::from(address));
    }
    text.parse::<IpNet>().ok()
}

/// Checks a list given by a person and returns it canonically spelled, without duplicates, in
/// the order given; a range with host bits set is refused with the range it probably meant.
pub fn allowed_ips(entries: &[String]) -> Result<Vec<String>, DomainError> {
    if entries.len() > ALLOWED_IPS_MAX {
        return Err(DomainError::invalid(format!(
            "allowed_ips may hold at most {ALLOWED_IPS_MAX} addresses or ranges"
        )));
    }
    let mut canonical: Vec<String> = Vec::with_capacity(entries.len());
    for entry in entries {
        let text = entry.trim();
        let spelled = if let Ok(address) = text.parse::<IpAddr>() {
            address.to_string()
        } else if let Ok(net) = text.parse::<IpNet>() {
            if net.trunc() != net {
                return Err(DomainError::invalid(format!(
                    "{text} is not the start of its range; did you mean {}?",
                    net.trunc()
                )));
            }
            net.to_string()
        } else {
            return Err(DomainError::invalid(format!(
                "{text:?} is neither an IP address nor a CIDR range (such as 192.0.2.0/24 or \
                 2001:db8::/32)"
            )));
        };
        if !canonical.contains(&spelled) {
            canonical.push(spelled);
        }
    }
    Ok(canonical)
}

/// Checks a per-key or default rate limit.
pub fn rate_limit(limit: Option<u32>) -> Result<Option<u32>, DomainError> {
    match limit {
        Some(value) if !(1..=RATE_LIMIT_MAX).contains(&value) => Err(DomainError::invalid(
            format!("rate_limit_per_minute must be from 1 to {RATE_LIMIT_MAX}, or null"),
        )),
        other => Ok(other),
    }
}

/// Checks an expiry: it must lie in the future (an expired key is made by waiting, or by
/// disabling it now).
pub fn expiry(
    expires_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, DomainError> {
    match expires_at {
        Some(at) if at <= now => Err(DomainError::invalid(
            "expires_at must be in the future (disable the key to stop it now)",
        )),
        other => Ok(other),
    }
}

/// Checks a grace period and returns its end.
pub fn grace_end(seconds: i64, now: OffsetDateTime) -> Result<Option<OffsetDateTime>, DomainError> {
    match seconds {
        0 => Ok(None),
        1..=GRACE_MAX_SECONDS => Ok(Some(now + Duration::seconds(seconds))),
        _ => Err(DomainError::invalid(format!(
            "grace_seconds must be from 0 to {GRACE_MAX_SECONDS} (seven days)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[&str]) -> AllowList {
        let entries: Vec<String> = entries.iter().map(|entry| (*entry).to_owned()).collect();
        AllowList::from_entries(&allowed_ips(&entries).unwrap()).unwrap()
    }

    #[test]
    fn an_address_list_admits_its_addresses_and_ranges_of_both_families() {
        let allowed = list(&["192.0.2.7", "198.51.100.0/24", "2001:db8::/32"]);
        for address in [
            "192.0.2.7",
            "198.51.100.200",
            "2001:db8:1::5",
            "::ffff:192.0.2.7",
        ] {
            assert!(allowed.admits(address.parse().unwrap()), "{address}");
        }
        for address in ["192.0.2.8", "203.0.113.1", "2001:db9::1"] {
            assert!(!allowed.admits(address.parse().unwrap()), "{address}");
        }
        assert!(list(&[]).admits("203.0.113.1".parse().unwrap()));
    }

    #[test]
    fn a_range_with_host_bits_is_refused_with_the_range_it_probably_meant() {
        let error = allowed_ips(&["10.1.2.3/8".to_owned()]).unwrap_err();
        assert!(error.to_string().contains("10.0.0.0/8"), "{error}");
        assert!(allowed_ips(&["example.com".to_owned()]).is_err());
    }

    #[test]
    fn entries_are_spelled_canonically_once() {
        let spelled = allowed_ips(&[" 2001:DB8::1 ".to_owned(), "2001:db8::1".to_owned()]);
        assert_eq!(spelled.unwrap(), vec!["2001:db8::1".to_owned()]);
    }
}
