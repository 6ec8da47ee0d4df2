//! Statement parameters, typed once for both databases: [`Arg`] says what a value is, and each
//! driver binds it in its own spelling (a time as fixed-width UTC text for SQLite and as
//! `timestamptz` for PostgreSQL, an id list as a JSON array for SQLite's `json_each` and as a
//! `text[]` for PostgreSQL's `any`). Every variant carries its type even when null, so
//! PostgreSQL never has to guess a parameter's type.

use plumb_core::crypto::Digest;
use plumb_core::id::*;
use time::OffsetDateTime;
use uuid::Uuid;

/// A value bound to a statement's placeholder.
#[derive(Debug, Clone)]
pub(crate) enum Arg<'a> {
    /// Text.
    Text(Option<&'a str>),
    /// Text made for this statement (a `like` pattern, a JSON document).
    Owned(Option<String>),
    /// An id, stored as its hyphenated text.
    Id(Option<Uuid>),
    /// A whole number.
    Int(Option<i64>),
    /// A flag.
    Bool(Option<bool>),
    /// Bytes (digests, sealed secrets).
    Bytes(Option<&'a [u8]>),
    /// Bytes made for this statement (a copy's decoded hex).
    Blob(Option<Vec<u8>>),
    /// A time.
    Time(Option<OffsetDateTime>),
    /// A list of ids, for `Dialect::any`.
    Ids(Vec<Uuid>),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(Some(text))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(Some(text))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(text: Option<&'a str>) -> Self {
        Arg::Text(text)
    }
}

impl From<String> for Arg<'_> {
    fn from(text: String) -> Self {
        Arg::Owned(Some(text))
    }
}

impl From<Option<String>> for Arg<'_> {
    fn from(text: Option<String>) -> Self {
        Arg::Owned(text)
    }
}

impl From<i64> for Arg<'_> {
    fn from(number: i64) -> Self {
        Arg::Int(Some(number))
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(number: Option<i64>) -> Self {
        Arg::Int(number)
    }
}

impl From<bool> for Arg<'_> {
    fn from(flag: bool) -> Self {
        Arg::Bool(Some(flag))
    }
}

impl From<Option<bool>> for Arg<'_> {
    fn from(flag: Option<bool>) -> Self {
        Arg::Bool(flag)
    }
}

impl<'a> From<&'a [u8]> for Arg<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Arg::Bytes(Some(bytes))
    }
}

impl<'a> From<Option<&'a [u8]>> for Arg<'a> {
    fn from(bytes: Option<&'a [u8]>) -> Self {
        Arg::Bytes(bytes)
    }
}

impl<'a> From<&'a Digest> for Arg<'a> {
    fn from(digest: &'a Digest) -> Self {
        Arg::Bytes(Some(&digest.0))
    }
}

impl From<OffsetDateTime> for Arg<'_> {
    fn from(time: OffsetDateTime) -> Self {
        Arg::Time(Some(time))
    }
}

impl From<Option<OffsetDateTime>> for Arg<'_> {
    fn from(time: Option<OffsetDateTime>) -> Self {
        Arg::Time(time)
    }
}

impl From<Uuid> for Arg<'_> {
    fn from(id: Uuid) -> Self {
        Arg::Id(Some(id))
    }
}

/// Every typed id binds as its UUID, and a list of them as an id list.
macro_rules! id_args {
    ($($id:ident),+) => {
        $(
            impl From<$id> for Arg<'_> {
                fn from(id: $id) -> Self {
                    Arg::Id(Some(id.0))
                }
            }

            impl From<Option<$id>> for Arg<'_> {
                fn from(id: Option<$id>) -> Self {
                    Arg::Id(id.map(|id| id.0))
                }
            }

            impl From<&[$id]> for Arg<'_> {
                fn from(ids: &[$id]) -> Self {
                    Arg::Ids(ids.iter().map(|id| id.0).collect())
                }
            }
        )+
    };
}

id_args!(
    OrganizationId,
    UserId,
    ApiKeyId,
    ActivityId,
    ApiKeyRequestId,
    GroupId,
    DeviceId,
    TagId,
    CustomFieldId,
    AlertId,
    UpdateId,
    InstallKeyId,
    AutomationId,
    EventId,
    EndpointId,
    AttemptId,
    WebhookId,
    RunId,
    LinkId
);

/// Builds a parameter list: `args![organization_id, id, name]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::db::Arg::from($value)),*]
    };
}

pub(crate) use args;

/// The parameters of a statement built at run time: each [`Params::push`] returns the
/// placeholder (`?N`) to write where the value goes, so numbers never depend on where a
/// placeholder lands in the text.
#[derive(Debug, Default)]
pub(crate) struct Params<'a>(Vec<Arg<'a>>);

impl<'a> Params<'a> {
    /// Adds a value; returns its placeholder.
    pub(crate) fn push(&mut self, arg: impl Into<Arg<'a>>) -> String {
        self.0.push(arg.into());
        format!("?{}", self.0.len())
    }

    /// The values, in placeholder order.
    pub(crate) fn as_slice(&self) -> &[Arg<'a>] {
        &self.0
    }
}
