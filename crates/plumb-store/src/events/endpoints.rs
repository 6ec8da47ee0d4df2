//! `EndpointStore`: event webhook endpoints with their activity entries, the log of attempts
//! (newest first), re-runs and test events.

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::id::{AttemptId, EndpointId, EventId, OrganizationId};
use plumb_core::page::{Cursor, Page, PageRequest};
use plumb_core::store::{
    Activity, AttemptRecord, EndpointChange, EndpointRecord, EndpointStore, StoreResult,
};
use plumb_proto::v2::Severity;
use time::OffsetDateTime;

use crate::SqlStore;
use crate::activity::insert_activity;
use crate::codec::{parse_severity, severity_text};
use crate::db::{Exec, FromRow, Row, args};

const ENDPOINT_SELECT: &str = "select id, organization_id, url, description, sealed_secret, \
     event_types, severities, enabled, created_at, updated_at from event_endpoints ";

impl FromRow for EndpointRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(EndpointRecord {
            id: columns.next()?,
            organization_id: columns.next()?,
            url: columns.next()?,
            description: columns.next()?,
            sealed_secret: columns.next()?,
            event_types: columns.next::<Option<String>>()?.map(|list| split(&list)),
            severities: match columns.next::<Option<String>>()? {
                None => None,
                Some(list) => Some(
                    split(&list)
                        .iter()
                        .map(|text| parse_severity(text))
                        .collect::<StoreResult<Vec<_>>>()?,
                ),
            },
            enabled: columns.next()?,
            created_at: columns.next()?,
            updated_at: columns.next()?,
        })
    }
}

impl FromRow for AttemptRecord {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(AttemptRecord {
            id: columns.next()?,
            event_id: columns.next()?,
            event_type: columns.next()?,
            attempted_at: columns.next()?,
            status: columns
                .next::<Option<i64>>()?
                .map(|status| u16::try_from(status).unwrap_or(0)),
            ok: columns.next()?,
            duration_ms: columns.next()?,
            response: columns.next()?,
            request_body: columns.next()?,
            delivery_state: columns.next()?,
        })
    }
}

/// `,a,b,` from a list; `None` stays `None` (everything).
fn joined(list: Option<&[String]>) -> Option<String> {
    list.map(|items| format!(",{},", items.join(",")))
}

fn severities_text(list: Option<&[Severity]>) -> Option<String> {
    list.map(|items| {
        let names: Vec<&str> = items.iter().map(|item| severity_text(*item)).collect();
        format!(",{},", names.join(","))
    })
}

fn split(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

#[async_trait]
impl EndpointStore for SqlStore {
    async fn insert_endpoint(
        &self,
        endpoint: &EndpointRecord,
        entry: &Activity,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.execute(
                "insert into event_endpoints (id, organization_id, url, description, \
                 sealed_secret, event_types, severities, enabled, created_at, updated_at) \
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                args![
                    endpoint.id,
                    endpoint.organization_id,
                    &endpoint.url,
                    &endpoint.description,
                    &endpoint.sealed_secret[..],
                    joined(endpoint.event_types.as_deref()),
                    severities_text(endpoint.severities.as_deref()),
                    endpoint.enabled,
                    endpoint.created_at,
                ],
            )
            .await?;
            insert_activity(&tx, entry).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn list_endpoints(
        &self,
        organization_id: OrganizationId,
    ) -> StoreResult<Vec<EndpointRecord>> {
        self.db
            .rows(
                &format!("{ENDPOINT_SELECT}where organization_id = ?1 order by id"),
                args![organization_id],
            )
            .await
    }

    async fn endpoint(
        &self,
        organization_id: OrganizationId,
        id: EndpointId,
    ) -> StoreResult<EndpointRecord> {
        self.db
            .one(
                &format!("{ENDPOINT_SELECT}where organization_id = ?1 and id = ?2"),
                args![organization_id, id],
            )
            .await
    }

    async fn update_endpoint(
        &self,
        organization_id: OrganizationId,
        id: EndpointId,
        change: &EndpointChange,
        entry: &Activity,
    ) -> StoreResult<EndpointRecord> {
        let (sets_types, types) = match &change.event_types {
            Some(list) => (true, joined(list.as_deref())),
            None => (false, None),
        };
        let (sets_severities, severities) = match &change.severities {
            Some(list) => (true, severities_text(list.as_deref())),
            None => (false, None),
        };
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.change(
                "update event_endpoints set url = coalesce(?3, url), \
                 description = coalesce(?4, description), \
                 sealed_secret = coalesce(?5, sealed_secret), \
                 event_types = case when ?6 then ?7 else event_types end, \
                 severities = case when ?8 then ?9 else severities end, \
                 enabled = coalesce(?10, enabled), updated_at = ?11 \
                 where organization_id = ?1 and id = ?2",
                args![
                    organization_id,
                    id,
                    change.url.as_deref(),
                    change.description.as_deref(),
                    change.sealed_secret.as_deref(),
                    sets_types,
                    types,
                    sets_severities,
                    severities,
                    change.enabled,
                    entry.created_at,
                ],
            )
            .await?;
            insert_activity(&tx, entry).await?;
            tx.one(
                &format!("{ENDPOINT_SELECT}where organization_id = ?1 and id = ?2"),
                args![organization_id, id],
            )
            .await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn delete_endpoint(
        &self,
        organization_id: OrganizationId,
        id: EndpointId,
        entry: &Activity,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            // Attempts hang off deliveries, deliveries off the endpoint: both cascade.
            tx.change(
                "delete from event_endpoints where organization_id = ?1 and id = ?2",
                args![organization_id, id],
            )
            .await?;
            insert_activity(&tx, entry).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn list_attempts(
        &self,
        organization_id: OrganizationId,
        endpoint_id: EndpointId,
        page: &PageRequest<AttemptId>,
    ) -> StoreResult<Page<AttemptRecord>> {
        // Newest first: `After(id)` continues with the attempts older than `id`.
        let (condition, cursor) = match page.cursor {
            Cursor::First => ("", None),
            Cursor::After(id) | Cursor::Before(id) => (" and a.id < ?4", Some(id)),
        };
        let sql = format!(
            "select a.id, e.id, e.event_type, a.attempted_at, a.status, a.ok, a.duration_ms, \
             a.response, e.body, d.state from event_attempts a \
             join event_deliveries d on d.id = a.delivery_id \
             join events e on e.id = d.event_id \
             where a.organization_id = ?1 and a.endpoint_id = ?2{condition} \
             order by a.id desc limit ?3"
        );
        let limit = i64::from(page.limit) + 1;
        let mut rows: Vec<AttemptRecord> = match cursor {
            None => {
                self.db
                    .rows(&sql, args![organization_id, endpoint_id, limit])
                    .await?
            }
            Some(id) => {
                self.db
                    .rows(&sql, args![organization_id, endpoint_id, limit, id])
                    .await?
            }
        };
        let has_more = rows.len() > page.limit as usize;
        rows.truncate(page.limit as usize);
        Ok(Page {
            items: rows,
            has_more,
        })
    }

    async fn rerun_attempt(
        &self,
        organization_id: OrganizationId,
        endpoint_id: EndpointId,
        attempt_id: AttemptId,
        now: OffsetDateTime,
        entry: &Activity,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            // One more attempt, due now; a delivery a worker holds right now is left to it.
            let requeued = tx
                .execute(
                    "update event_deliveries set state = 'pending', attempts_left = 1, \
                     due_at = ?4, updated_at = ?4 \
                     where claim is null and id = (select delivery_id from event_attempts \
                       where organization_id = ?1 and endpoint_id = ?2 and id = ?3)",
                    args![organization_id, endpoint_id, attempt_id, now],
                )
                .await?;
            if requeued == 0 {
                let exists: bool = tx
                    .one(
                        "select exists (select 1 from event_attempts \
                         where organization_id = ?1 and endpoint_id = ?2 and id = ?3)",
                        args![organization_id, endpoint_id, attempt_id],
                    )
                    .await?;
                return Err(if exists {
                    StoreError::Conflict {
                        constraint: "event_deliveries.claimed",
                    }
                } else {
                    StoreError::NotFound
                });
            }
            insert_activity(&tx, entry).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn insert_test_event(
        &self,
        organization_id: OrganizationId,
        endpoint_id: EndpointId,
        event_id: EventId,
        body: &str,
        occurred_at: OffsetDateTime,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.execute(
                "insert into events (id, organization_id, event_type, severity, body, \
                 occurred_at, fanned_out) values (?1, ?2, 'test', null, ?3, ?4, true)",
                args![event_id, organization_id, body, occurred_at],
            )
            .await?;
            let queued = tx
                .execute(
                    "insert into event_deliveries (id, event_id, endpoint_id, organization_id, \
                     state, attempts_left, due_at, claim, updated_at) \
                     select ?1 || '/' || id, ?1, id, ?2, 'pending', null, ?4, null, ?5 \
                     from event_endpoints where organization_id = ?2 and id = ?3",
                    args![
                        event_id,
                        organization_id,
                        endpoint_id,
                        OffsetDateTime::UNIX_EPOCH,
                        occurred_at
                    ],
                )
                .await?;
            if queued == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        }
        .await;
        tx.finish(outcome).await
    }
}
