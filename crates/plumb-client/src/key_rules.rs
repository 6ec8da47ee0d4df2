//! The endpoint methods of [`Client`] for API keys beyond create/edit/delete: regenerating
//! with a grace period and ending it, a key's request log, the organization's key settings,
//! and revoking a value (which needs no session).

use reqwest::Method;

use plumb_proto::v1::{
    ApiKey, ApiKeyRequestPage, ApiKeySettings, ApiKeyWithSecret, RegenerateApiKey, RevokeApiKey,
    RevokedApiKey,
};

use crate::{Client, ClientError, check_id};

/// Placeholder body type for requests that send none.
type NoBody = ();

/// Which page of a key's request log to get.
#[derive(Debug, Clone, Default)]
pub struct RequestLogQuery<'a> {
    /// `2xx`, `3xx`, `4xx`, `5xx`, `failed` or one status.
    pub status: Option<&'a str>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<&'a str>,
    /// Requests per page (1 to 200).
    pub limit: Option<u32>,
}

impl Client {
    /// Replaces an API key's value; the old value keeps working for `grace_seconds` (0: stops
    /// at once): `POST /api/v1/api-keys/{id}/regenerate`.
    pub async fn regenerate_api_key_with_grace(
        &self,
        id: &str,
        grace_seconds: i64,
    ) -> Result<ApiKeyWithSecret, ClientError> {
        let url = self.url(&["api-keys", check_id(id)?, "regenerate"])?;
        let body = RegenerateApiKey { grace_seconds };
        self.call(Method::POST, url, Some(&body)).await
    }

    /// Ends a key's grace period now: `POST /api/v1/api-keys/{id}/end-grace`.
    pub async fn end_api_key_grace(&self, id: &str) -> Result<ApiKey, ClientError> {
        let url = self.url(&["api-keys", check_id(id)?, "end-grace"])?;
        self.call(Method::POST, url, None::<&NoBody>).await
    }

    /// A page of a key's request log, newest first: `GET /api/v1/api-keys/{id}/requests`.
    pub async fn api_key_requests(
        &self,
        id: &str,
        query: &RequestLogQuery<'_>,
    ) -> Result<ApiKeyRequestPage, ClientError> {
        let mut url = self.url(&["api-keys", check_id(id)?, "requests"])?;
        {
            let mut pairs = url.query_pairs_mut();
            if let Some(status) = query.status {
                pairs.append_pair("status", status);
            }
            if let Some(cursor) = query.cursor {
                pairs.append_pair("cursor", cursor);
            }
            if let Some(limit) = query.limit {
                pairs.append_pair("limit", &limit.to_string());
            }
        }
        self.call(Method::GET, url, None::<&NoBody>).await
    }

    /// The organization's key settings: `GET /api/v1/api-key-settings`.
    pub async fn api_key_settings(&self) -> Result<ApiKeySettings, ClientError> {
        let url = self.url(&["api-key-settings"])?;
        self.call(Method::GET, url, None::<&NoBody>).await
    }

    /// Changes them: `PATCH /api/v1/api-key-settings`.
    pub async fn update_api_key_settings(
        &self,
        settings: &ApiKeySettings,
    ) -> Result<ApiKeySettings, ClientError> {
        let url = self.url(&["api-key-settings"])?;
        self.call(Method::PATCH, url, Some(settings)).await
    }

    /// Revokes whatever live key `value` is; answers the same either way, and needs no
    /// session: `POST /api/v1/api-keys/revoke`.
    pub async fn revoke_api_key_value(&self, value: &str) -> Result<RevokedApiKey, ClientError> {
        let url = self.url(&["api-keys", "revoke"])?;
        let body = RevokeApiKey {
            key: value.to_owned(),
        };
        self.call(Method::POST, url, Some(&body)).await
    }
}
