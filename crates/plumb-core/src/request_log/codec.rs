//! How a [`RequestBatch`] holds its requests: JSON with each distinct text once (`s`), and one
//! array per request (`r`) naming its texts by index. A key's requests mostly repeat the same
//! method, route, path, address and user agent, so a batch of a busy key costs a few bytes per
//! request, and writing it costs one row for the whole batch.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;

use crate::StoreError;
use crate::id::ApiKeyRequestId;
use crate::store::{KeyRequest, RequestBatch};

/// One request: unix time in microseconds, method, route, path (indexes into the texts),
/// status, duration in microseconds, address and user agent (indexes, or absent).
type Row = (i64, u32, u32, u32, u16, u64, Option<u32>, Option<u32>);

#[derive(Serialize, Deserialize)]
struct Encoded<'a> {
    #[serde(borrow)]
    s: Vec<std::borrow::Cow<'a, str>>,
    r: Vec<Row>,
}

/// The distinct texts of a batch, each once, in order of first use.
#[derive(Default)]
struct Texts<'a> {
    texts: Vec<std::borrow::Cow<'a, str>>,
    seen: HashMap<&'a str, u32>,
    /// Each column's previous text: a key's requests mostly repeat it, and comparing is
    /// cheaper than hashing.
    previous: [Option<(&'a str, u32)>; 5],
}

impl<'a> Texts<'a> {
    fn index(&mut self, column: usize, text: &'a str) -> u32 {
        if let Some((previous, index)) = self.previous[column]
            && previous == text
        {
            return index;
        }
        let index = *self.seen.entry(text).or_insert_with(|| {
            self.texts.push(std::borrow::Cow::Borrowed(text));
            u32::try_from(self.texts.len() - 1).unwrap_or(u32::MAX)
        });
        self.previous[column] = Some((text, index));
        index
    }
}

/// The status class bit of a status (`1 << (status / 100)`, classes above 7 in bit 7).
pub fn status_bit(status: u16) -> u8 {
    1 << (status / 100).min(7)
}

/// The class bits of the statuses from `from` to `to` (inclusive).
pub fn status_bits(from: u16, to: u16) -> u8 {
    let (from, to) = ((from / 100).min(7), (to / 100).min(7));
    (from..=to).fold(0, |bits, class| bits | 1 << class)
}

/// One batch of one key's requests (all of `requests` are that key's, oldest first).
pub fn encode(id: ApiKeyRequestId, requests: &[&KeyRequest]) -> Option<RequestBatch> {
    let (first, last) = (requests.first()?, requests.last()?);
    let mut texts = Texts::default();
    let mut rows = Vec::with_capacity(requests.len());
    let mut statuses = 0;
    for request in requests {
        statuses |= status_bit(request.status);
        rows.push((
            micros(request.at),
            texts.index(0, &request.method),
            texts.index(1, &request.route),
            texts.index(2, &request.path),
            request.status,
            request.duration_us,
            request.client_ip.as_deref().map(|ip| texts.index(3, ip)),
            request
                .user_agent
                .as_deref()
                .map(|agent| texts.index(4, agent)),
        ));
    }
    let entries = serde_json::to_string(&Encoded {
        s: texts.texts,
        r: rows,
    })
    .ok()?;
    Some(RequestBatch {
        id,
        organization_id: first.organization_id,
        api_key_id: first.api_key_id,
        first_at: first.at,
        last_at: last.at,
        requests: u32::try_from(requests.len()).unwrap_or(u32::MAX),
        statuses,
        entries,
    })
}

/// The requests of a batch, oldest first.
pub fn decode(batch: &RequestBatch) -> Result<Vec<KeyRequest>, StoreError> {
    let damaged = || StoreError::Unavailable("a request log batch is damaged".into());
    let encoded: Encoded<'_> = serde_json::from_str(&batch.entries).map_err(|_| damaged())?;
    let text = |index: u32| -> Result<String, StoreError> {
        encoded
            .s
            .get(index as usize)
            .map(|text| text.clone().into_owned())
            .ok_or_else(damaged)
    };
    let optional = |index: Option<u32>| index.map(text).transpose();
    encoded
        .r
        .iter()
        .map(
            |&(at, method, route, path, status, duration_us, ip, agent)| {
                Ok(KeyRequest {
                    organization_id: batch.organization_id,
                    api_key_id: batch.api_key_id,
                    at: from_micros(at).ok_or_else(damaged)?,
                    method: text(method)?.into(),
                    route: text(route)?,
                    path: text(path)?,
                    status,
                    duration_us,
                    client_ip: optional(ip)?,
                    user_agent: optional(agent)?,
                })
            },
        )
        .collect()
}

fn micros(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

fn from_micros(micros: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{ApiKeyId, OrganizationId};

    fn request(status: u16, path: &str) -> KeyRequest {
        KeyRequest {
            organization_id: OrganizationId::new(),
            api_key_id: ApiKeyId::new(),
            at: OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
            method: "GET".into(),
            route: "/v2/groups/{id}".into(),
            path: path.into(),
            status,
            duration_us: 812,
            client_ip: Some("2001:db8::7".into()),
            user_agent: None,
        }
    }

    #[test]
    fn a_batch_gives_back_exactly_the_requests_it_was_made_of() {
        let first = request(200, "/v2/groups/a");
        let mut second = request(404, "/v2/groups/b");
        second.organization_id = first.organization_id;
        second.api_key_id = first.api_key_id;
        second.user_agent = Some("sync/1.0 \"quoted\"".into());
        second.at += time::Duration::microseconds(1_234_567);
        let batch = encode(ApiKeyRequestId::new(), &[&first, &second]).unwrap();
        assert_eq!(batch.requests, 2);
        assert_eq!(batch.statuses, status_bit(200) | status_bit(404));
        assert_eq!((batch.first_at, batch.last_at), (first.at, second.at));
        assert_eq!(decode(&batch).unwrap(), [first, second]);
    }

    #[test]
    fn status_ranges_name_their_classes() {
        assert_eq!(status_bits(400, 599), status_bit(404) | status_bit(503));
        assert_eq!(status_bits(429, 429), status_bit(400));
        assert_eq!(status_bits(0, 999) & status_bit(201), status_bit(201));
    }
}
