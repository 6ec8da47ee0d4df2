//! Typed ids. Every id is a UUIDv7, so ids sort in creation order and keyset pagination by id
//! follows creation order on every backend. On the wire an id is its hyphenated lower-case text.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Parses the wire form; `None` for anything that is not a hyphenated UUID.
            pub fn parse(text: &str) -> Option<Self> {
                // Only the canonical hyphenated lower-case form: one id, one spelling.
                if text.len() != 36 || text.bytes().any(|b| b.is_ascii_uppercase()) {
                    return None;
                }
                Uuid::from_str(text).ok().map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

id_type!(
    /// An organization (tenant).
    OrganizationId
);
id_type!(
    /// A person who signs in.
    UserId
);
id_type!(
    /// An API key; stays the same when the key is regenerated.
    ApiKeyId
);
id_type!(
    /// An activity log entry.
    ActivityId
);
id_type!(
    /// A write of an API key's request log: one key's requests of one flush.
    ApiKeyRequestId
);
id_type!(
    /// A group of devices.
    GroupId
);
id_type!(
    /// A managed device.
    DeviceId
);

id_type!(
    /// A tag.
    TagId
);
id_type!(
    /// A custom field.
    CustomFieldId
);
id_type!(
    /// An alert.
    AlertId
);

id_type!(
    /// A package update reported by a device.
    UpdateId
);
id_type!(
    /// An install key (enrolls devices into an organization).
    InstallKeyId
);
id_type!(
    /// An automation.
    AutomationId
);
id_type!(
    /// A webhook trigger of an automation.
    WebhookId
);
id_type!(
    /// A run of an automation on one device.
    RunId
);
id_type!(
    /// An event sent to event webhook endpoints; stays the same on every retry and re-run.
    EventId
);
id_type!(
    /// An event webhook endpoint (outgoing; not an automation's webhook trigger).
    EndpointId
);
id_type!(
    /// One attempt to deliver an event to an endpoint.
    AttemptId
);
id_type!(
    /// A tag on a device, or a custom field value (rows of link tables).
    LinkId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_wire_form() {
        let id = GroupId::new();
        assert_eq!(GroupId::parse(&id.to_string()), Some(id));
    }

    #[test]
    fn non_canonical_ids_are_refused() {
        let id = GroupId::new();
        assert_eq!(GroupId::parse(&id.0.simple().to_string()), None);
        assert_eq!(GroupId::parse("not-an-id"), None);
        assert_eq!(GroupId::parse(&id.to_string().to_uppercase()), None);
    }

    #[test]
    fn later_ids_sort_after_earlier_ones() {
        let first = DeviceId::new();
        let second = DeviceId::new();
        assert!(first.to_string() < second.to_string());
    }

    proptest::proptest! {
        #[test]
        fn any_uuid_round_trips_and_any_text_parses_to_its_canonical_form_or_nothing(
            bits in proptest::prelude::any::<u128>(),
            text in "\\PC{0,40}|[0-9a-fA-F-]{36}",
        ) {
            let id = DeviceId(Uuid::from_u128(bits));
            proptest::prop_assert_eq!(DeviceId::parse(&id.to_string()), Some(id));
            if let Some(parsed) = DeviceId::parse(&text) {
                proptest::prop_assert_eq!(parsed.to_string(), text);
            }
        }
    }
}
