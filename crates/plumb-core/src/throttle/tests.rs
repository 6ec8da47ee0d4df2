//! The throttle's rules, one test each.

use time::macros::datetime;

use super::*;

const NOW: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);
const ATTACKER: Option<&str> = Some("203.0.113.7");
const OWNER: Option<&str> = Some("198.51.100.20");

#[test]
fn five_failures_pause_that_address_for_that_account_until_the_window_ends() {
    let throttle = Throttle::standard();
    for _ in 0..4 {
        throttle.fail("ada@example.com", ATTACKER, NOW);
    }
    assert_eq!(throttle.retry_after("ada@example.com", ATTACKER, NOW), None);
    throttle.fail("ADA@example.com", ATTACKER, NOW);
    assert_eq!(
        throttle.retry_after("ada@example.com", ATTACKER, NOW),
        Some(900)
    );
    let later = NOW + Duration::minutes(15);
    assert_eq!(
        throttle.retry_after("ada@example.com", ATTACKER, later),
        None
    );
}

#[test]
fn the_owner_signs_in_from_another_address_while_an_attacker_is_paused() {
    let throttle = Throttle::standard();
    for _ in 0..50 {
        throttle.fail("ada@example.com", ATTACKER, NOW);
    }
    assert!(
        throttle
            .retry_after("ada@example.com", ATTACKER, NOW)
            .is_some()
    );
    assert_eq!(throttle.retry_after("ada@example.com", OWNER, NOW), None);
}

#[test]
fn failures_spread_over_many_addresses_never_pause_the_account() {
    let throttle = Throttle::standard();
    for n in 0..200 {
        let ip = format!("192.0.2.{n}");
        for _ in 0..4 {
            throttle.fail("ada@example.com", Some(&ip), NOW);
        }
    }
    assert_eq!(throttle.retry_after("ada@example.com", OWNER, NOW), None);
}

#[test]
fn twenty_failures_pause_an_address_for_every_account() {
    let throttle = Throttle::standard();
    for n in 0..20 {
        throttle.fail(&format!("user{n}@example.com"), Some("10.0.0.9"), NOW);
    }
    assert!(
        throttle
            .retry_after("fresh@example.com", Some("10.0.0.9"), NOW)
            .is_some()
    );
    assert!(
        throttle
            .retry_after("fresh@example.com", Some("10.0.0.8"), NOW)
            .is_none()
    );
}

#[test]
fn ipv6_addresses_count_by_their_64_bit_network() {
    let throttle = Throttle::standard();
    for n in 0..5 {
        let ip = format!("2001:db8:1:2::{n:x}");
        throttle.fail("ada@example.com", Some(&ip), NOW);
    }
    let same_network = Some("2001:db8:1:2:ffff::1");
    assert!(
        throttle
            .retry_after("ada@example.com", same_network, NOW)
            .is_some()
    );
    let other_network = Some("2001:db8:1:3::1");
    assert!(
        throttle
            .retry_after("ada@example.com", other_network, NOW)
            .is_none()
    );
    let mapped = Some("::ffff:203.0.113.7");
    for _ in 0..5 {
        throttle.fail("bob@example.com", mapped, NOW);
    }
    assert!(
        throttle
            .retry_after("bob@example.com", ATTACKER, NOW)
            .is_some()
    );
}

#[test]
fn success_clears_only_its_own_address_and_account() {
    let throttle = Throttle::standard();
    for _ in 0..4 {
        throttle.fail("ada@example.com", OWNER, NOW);
        throttle.fail("ada@example.com", ATTACKER, NOW);
    }
    throttle.succeed("ada@example.com", OWNER);
    throttle.fail("ada@example.com", OWNER, NOW);
    throttle.fail("ada@example.com", ATTACKER, NOW);
    assert_eq!(throttle.retry_after("ada@example.com", OWNER, NOW), None);
    assert!(
        throttle
            .retry_after("ada@example.com", ATTACKER, NOW)
            .is_some()
    );
}

#[test]
fn the_table_never_grows_past_its_capacity_and_keeps_the_newest_windows() {
    let limit = Limit {
        failures: 5,
        window: Duration::minutes(15),
    };
    let throttle = Throttle::new(limit, limit, 1_000);
    for n in 0..10_000u32 {
        let ip = std::net::Ipv4Addr::from(n).to_string();
        let at = NOW + Duration::milliseconds(i64::from(n));
        throttle.fail(&format!("{n}@example.com"), Some(&ip), at);
        assert!(throttle.len() <= 1_000, "{} windows", throttle.len());
    }
    let newest = std::net::Ipv4Addr::from(9_999u32).to_string();
    for _ in 0..4 {
        throttle.fail(
            "9999@example.com",
            Some(&newest),
            NOW + Duration::seconds(20),
        );
    }
    assert!(
        throttle
            .retry_after(
                "9999@example.com",
                Some(&newest),
                NOW + Duration::seconds(20)
            )
            .is_some()
    );
}

#[test]
fn a_long_email_costs_no_more_than_a_short_one() {
    let throttle = Throttle::standard();
    let long = "x".repeat(60_000);
    throttle.fail(&long, ATTACKER, NOW);
    assert_eq!(throttle.len(), 2);
}
