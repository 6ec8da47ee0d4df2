//! The endpoint methods of [`Client`], one per `/api/v1` route, in the order of the API docs:
//! session, API keys, users, activity.
//!
//! Each method only builds the URL and picks the wire types; sending, the session cookie, the
//! CSRF header and error decoding all happen in `Client::send` (lib.rs).

use reqwest::Method;

use plumb_proto::v1::{
    ActivityPage, ApiKey, ApiKeyWithSecret, CreateApiKey, CreateUser, CreatedUser, List,
    LoginRequest, RevealedApiKey, SessionInfo, UpdateApiKey, UpdateUser, User,
};

use crate::session::Session;
use crate::{Client, ClientError, check_id, decode};

/// Placeholder body type for requests that send none.
type NoBody = ();

impl Client {
    /// Signs in: `POST /api/v1/session`. Keeps the session cookie and CSRF token for the calls
    /// that follow, replacing any earlier session.
    pub async fn login(&mut self, email: &str, password: &str) -> Result<SessionInfo, ClientError> {
        let url = self.url(&["session"])?;
        let body = LoginRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        };
        // Sign in from a clean slate: an old cookie must not ride along. A failed sign-in keeps
        // the old session.
        let previous = self.session.take();
        let response = match self.send(Method::POST, url, Some(&body)).await {
            Ok(response) => response,
            Err(error) => {
                self.session = previous;
                return Err(error);
            }
        };
        let headers = response.headers().clone();
        let info: SessionInfo = decode(response).await?;
        self.session = Some(Session::from_response(&headers, info.csrf_token.clone())?);
        Ok(info)
    }

    /// The signed-in user: `GET /api/v1/session`. A 401 means the session is gone.
    pub async fn session(&self) -> Result<SessionInfo, ClientError> {
        self.call(Method::GET, self.url(&["session"])?, None::<&NoBody>)
            .await
    }

    /// Signs out: `DELETE /api/v1/session`, then forgets the session. A session the server has
    /// already dropped (401) counts as signed out.
    pub async fn logout(&mut self) -> Result<(), ClientError> {
        let result = self
            .call_empty(Method::DELETE, self.url(&["session"])?, None::<&NoBody>)
            .await;
        match result {
            Ok(()) => {
                self.session = None;
                Ok(())
            }
            Err(error) if error.status() == Some(401) => {
                self.session = None;
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    /// Lists the organization's API keys, optionally filtered by a search text:
    /// `GET /api/v1/api-keys[?search=…]`.
    pub async fn list_api_keys(&self, search: Option<&str>) -> Result<Vec<ApiKey>, ClientError> {
        let mut url = self.url(&["api-keys"])?;
        if let Some(search) = search {
            url.query_pairs_mut().append_pair("search", search);
        }
        let list: List<ApiKey> = self.call(Method::GET, url, None::<&NoBody>).await?;
        Ok(list.data)
    }

    /// One API key: `GET /api/v1/api-keys/{id}`.
    pub async fn api_key(&self, id: &str) -> Result<ApiKey, ClientError> {
        let url = self.url(&["api-keys", check_id(id)?])?;
        self.call(Method::GET, url, None::<&NoBody>).await
    }

    /// Creates an API key and returns it with its full value: `POST /api/v1/api-keys`.
    pub async fn create_api_key(
        &self,
        request: &CreateApiKey,
    ) -> Result<ApiKeyWithSecret, ClientError> {
        self.call(Method::POST, self.url(&["api-keys"])?, Some(request))
            .await
    }

    /// Changes an API key's description or access: `PATCH /api/v1/api-keys/{id}`.
    pub async fn update_api_key(
        &self,
        id: &str,
        request: &UpdateApiKey,
    ) -> Result<ApiKey, ClientError> {
        let url = self.url(&["api-keys", check_id(id)?])?;
        self.call(Method::PATCH, url, Some(request)).await
    }

    /// Deletes an API key: `DELETE /api/v1/api-keys/{id}`.
    pub async fn delete_api_key(&self, id: &str) -> Result<(), ClientError> {
        let url = self.url(&["api-keys", check_id(id)?])?;
        self.call_empty(Method::DELETE, url, None::<&NoBody>).await
    }

    /// Replaces an API key's value, keeping its id; the old value stops working at once:
    /// `POST /api/v1/api-keys/{id}/regenerate`.
    pub async fn regenerate_api_key(&self, id: &str) -> Result<ApiKeyWithSecret, ClientError> {
        let url = self.url(&["api-keys", check_id(id)?, "regenerate"])?;
        self.call(Method::POST, url, None::<&NoBody>).await
    }

    /// Shows an API key's full value again: `POST /api/v1/api-keys/{id}/reveal`. Fails with a
    /// 409 [`ClientError::Api`] when the server keeps only key hashes.
    pub async fn reveal_api_key(&self, id: &str) -> Result<RevealedApiKey, ClientError> {
        let url = self.url(&["api-keys", check_id(id)?, "reveal"])?;
        self.call(Method::POST, url, None::<&NoBody>).await
    }

    /// Lists the organization's users: `GET /api/v1/users`.
    pub async fn list_users(&self) -> Result<Vec<User>, ClientError> {
        let list: List<User> = self
            .call(Method::GET, self.url(&["users"])?, None::<&NoBody>)
            .await?;
        Ok(list.data)
    }

    /// Creates a user: `POST /api/v1/users`.
    pub async fn create_user(&self, request: &CreateUser) -> Result<CreatedUser, ClientError> {
        self.call(Method::POST, self.url(&["users"])?, Some(request))
            .await
    }

    /// Changes a user's role, permissions or disabled flag: `PATCH /api/v1/users/{id}`.
    pub async fn update_user(&self, id: &str, request: &UpdateUser) -> Result<User, ClientError> {
        let url = self.url(&["users", check_id(id)?])?;
        self.call(Method::PATCH, url, Some(request)).await
    }

    /// One page of the activity log, newest first: `GET /api/v1/activity?limit=&cursor=`. Pass
    /// the previous page's `next_cursor` to go further back.
    pub async fn activity(
        &self,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<ActivityPage, ClientError> {
        let mut url = self.url(&["activity"])?;
        {
            let mut query = url.query_pairs_mut();
            if let Some(limit) = limit {
                query.append_pair("limit", &limit.to_string());
            }
            if let Some(cursor) = cursor {
                query.append_pair("cursor", cursor);
            }
        }
        // An empty query would leave a bare `?`; drop it.
        if url.query() == Some("") {
            url.set_query(None);
        }
        self.call(Method::GET, url, None::<&NoBody>).await
    }
}

/// Generic calls for the management routes that have no method of their own (devices, groups,
/// tags, alerts, install keys): the path segments under `/api/v1`, an optional query, and the
/// wire types of the caller's choosing.
impl Client {
    /// `GET /api/v1/<segments>?<query>`.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Result<T, ClientError> {
        for segment in segments {
            check_id(segment)?;
        }
        let mut url = self.url(segments)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        self.call(Method::GET, url, None::<&NoBody>).await
    }

    /// A write (`POST`, `PATCH`, `DELETE`) to `/api/v1/<segments>`; `None` for a 204 answer.
    pub async fn write_json<B: serde::Serialize + ?Sized>(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<&B>,
    ) -> Result<Option<serde_json::Value>, ClientError> {
        for segment in segments {
            check_id(segment)?;
        }
        let url = self.url(segments)?;
        let response = self.send(method, url, body).await?;
        if response.status() == reqwest::StatusCode::NO_CONTENT {
            return Ok(None);
        }
        decode(response).await.map(Some)
    }
}
