//! Outgoing event webhooks: raising events inside the writes' transactions (`raise`), the
//! endpoints and their logs (`endpoints`, `EndpointStore`) and the delivery worker's outbox
//! (`outbox`, `OutboxStore`).

mod endpoints;
mod outbox;
mod raise;

pub(crate) use raise::{
    activity_event, alert_event, device_created, device_deleted, device_updated, group_event,
    group_record_event,
};
