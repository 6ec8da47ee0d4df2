//! The methods of [`Client`] for outgoing event webhooks, `/api/v1/webhooks`: endpoints, their
//! delivery log, re-runs and test events.

use reqwest::Method;

use plumb_proto::v1::{
    CreateEventWebhook, EventDeliveryPage, EventWebhook, List, QueuedEvent, UpdateEventWebhook,
};

use crate::{Client, ClientError, check_id};

impl Client {
    /// Lists the endpoints: `GET /api/v1/webhooks`.
    pub async fn list_event_webhooks(&self) -> Result<Vec<EventWebhook>, ClientError> {
        let url = self.url(&["webhooks"])?;
        let list: List<EventWebhook> = self.call(Method::GET, url, None::<&()>).await?;
        Ok(list.data)
    }

    /// One endpoint: `GET /api/v1/webhooks/{id}`.
    pub async fn event_webhook(&self, id: &str) -> Result<EventWebhook, ClientError> {
        let url = self.url(&["webhooks", check_id(id)?])?;
        self.call(Method::GET, url, None::<&()>).await
    }

    /// Adds an endpoint: `POST /api/v1/webhooks`.
    pub async fn create_event_webhook(
        &self,
        request: &CreateEventWebhook,
    ) -> Result<EventWebhook, ClientError> {
        self.call(Method::POST, self.url(&["webhooks"])?, Some(request))
            .await
    }

    /// Changes an endpoint: `PATCH /api/v1/webhooks/{id}`.
    pub async fn update_event_webhook(
        &self,
        id: &str,
        request: &UpdateEventWebhook,
    ) -> Result<EventWebhook, ClientError> {
        let url = self.url(&["webhooks", check_id(id)?])?;
        self.call(Method::PATCH, url, Some(request)).await
    }

    /// Deletes an endpoint: `DELETE /api/v1/webhooks/{id}`.
    pub async fn delete_event_webhook(&self, id: &str) -> Result<(), ClientError> {
        let url = self.url(&["webhooks", check_id(id)?])?;
        self.call_empty(Method::DELETE, url, None::<&()>).await
    }

    /// A page of an endpoint's delivery log, newest first:
    /// `GET /api/v1/webhooks/{id}/deliveries[?limit=…&cursor=…]`.
    pub async fn event_webhook_deliveries(
        &self,
        id: &str,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<EventDeliveryPage, ClientError> {
        let mut url = self.url(&["webhooks", check_id(id)?, "deliveries"])?;
        if let Some(limit) = limit {
            url.query_pairs_mut()
                .append_pair("limit", &limit.to_string());
        }
        if let Some(cursor) = cursor {
            url.query_pairs_mut().append_pair("cursor", cursor);
        }
        self.call(Method::GET, url, None::<&()>).await
    }

    /// Sends a delivery's event again (same `event_id`):
    /// `POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/rerun`.
    pub async fn rerun_event_webhook_delivery(
        &self,
        id: &str,
        delivery_id: &str,
    ) -> Result<(), ClientError> {
        let url = self.url(&[
            "webhooks",
            check_id(id)?,
            "deliveries",
            check_id(delivery_id)?,
            "rerun",
        ])?;
        self.call_empty(Method::POST, url, None::<&()>).await
    }

    /// Queues a test event for one endpoint: `POST /api/v1/webhooks/{id}/test`.
    pub async fn test_event_webhook(&self, id: &str) -> Result<QueuedEvent, ClientError> {
        let url = self.url(&["webhooks", check_id(id)?, "test"])?;
        self.call(Method::POST, url, None::<&()>).await
    }
}
