//! `AccountStore` for PostgreSQL: settings, organizations, users, sessions and password links.
//!
//! Every per-organization read filters on `organization_id`, so another organization's user
//! looks exactly like a missing one. The SQL for sessions and password links is in `sessions`.

use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{OrganizationId, UserId};
use plumb_core::store::{AccountStore, Activity, CreateMode, NewOrganization, NewSession, NewUser};
use plumb_core::store::{Organization, Session, StoreResult, User, UserChange};
use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::PgStore;
use crate::activity::insert_activity;
use crate::codec::{permissions_text, role_text};
use crate::error::{db_error, rollback};
use crate::rows::{OrganizationRow, UserRow, user_select};
use crate::sessions;

#[async_trait]
impl AccountStore for PgStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("select 1")
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn setting(&self, name: &str) -> StoreResult<Option<Vec<u8>>> {
        sqlx::query_scalar("select value from settings where name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)
    }

    async fn init_setting(
        &self,
        name: &str,
        value: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<Vec<u8>> {
        // Whoever inserts first wins: a racing insert waits for the winner's commit and then
        // does nothing, and the select (a new snapshot at READ COMMITTED) reads the winner's value.
        let mut tx = self.write().await?;
        sqlx::query(
            "insert into settings (name, value, created_at, updated_at) values ($1, $2, $3, $3) \
             on conflict (name) do nothing",
        )
        .bind(name)
        .bind(value)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let stored = sqlx::query_scalar("select value from settings where name = $1")
            .bind(name)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(stored)
    }

    async fn create_organization(
        &self,
        organization: &NewOrganization,
        admin: &NewUser,
        mode: CreateMode,
        activity: &Activity,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        // At READ COMMITTED two nodes could both see no organization and both insert one. This
        // lock mode conflicts with itself (and lets plain reads through), so creations queue
        // and each one's existence check sees the ones committed before it.
        sqlx::query("lock table organizations in share row exclusive mode")
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        let sql = match mode {
            CreateMode::FirstOnly => {
                "insert into organizations (id, name, created_at, updated_at) \
                 select $1, $2, $3, $3 where not exists (select 1 from organizations)"
            }
            CreateMode::Additional => {
                "insert into organizations (id, name, created_at, updated_at) \
                 values ($1, $2, $3, $3)"
            }
        };
        let inserted = sqlx::query(sql)
            .bind(organization.id.to_string())
            .bind(&organization.name)
            .bind(organization.created_at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if inserted.rows_affected() == 0 {
            return rollback(
                tx,
                StoreError::Conflict {
                    constraint: "organizations.first",
                },
            )
            .await;
        }
        insert_user_row(&mut tx, admin).await?;
        insert_activity(&mut tx, activity).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn has_organizations(&self) -> StoreResult<bool> {
        sqlx::query_scalar("select exists (select 1 from organizations)")
            .fetch_one(&self.pool)
            .await
            .map_err(db_error)
    }

    async fn organization(&self, id: OrganizationId) -> StoreResult<Organization> {
        sqlx::query_as::<_, OrganizationRow>(
            "select id, name, created_at from organizations where id = $1",
        )
        .bind(id.to_string())
        .fetch_one(&self.pool)
        .await
        .map_err(db_error)?
        .try_into()
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        sqlx::query_as::<_, UserRow>(concat!(user_select!(), "where u.email = $1"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?
            .map(User::try_from)
            .transpose()
    }

    async fn user(&self, organization_id: OrganizationId, id: UserId) -> StoreResult<User> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        fetch_user(&mut conn, organization_id, id).await
    }

    async fn list_users(&self, organization_id: OrganizationId) -> StoreResult<Vec<User>> {
        sqlx::query_as::<_, UserRow>(concat!(
            user_select!(),
            "where u.organization_id = $1 order by u.created_at, u.id"
        ))
        .bind(organization_id.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(User::try_from)
        .collect()
    }

    async fn insert_user(&self, user: &NewUser, activity: &Activity) -> StoreResult<User> {
        let mut tx = self.write().await?;
        insert_user_row(&mut tx, user).await?;
        insert_activity(&mut tx, activity).await?;
        let stored = fetch_user(&mut tx, user.organization_id, user.id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(stored)
    }

    async fn update_user(
        &self,
        organization_id: OrganizationId,
        id: UserId,
        change: &UserChange,
        updated_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<User> {
        let mut tx = self.write().await?;
        // A null parameter keeps the column as it is.
        let updated = sqlx::query(
            "update users set role = coalesce($3, role), \
             permissions = coalesce($4, permissions), disabled = coalesce($5, disabled), \
             updated_at = $6 where organization_id = $1 and id = $2",
        )
        .bind(organization_id.to_string())
        .bind(id.to_string())
        .bind(change.role.map(role_text))
        .bind(change.permissions.as_deref().map(permissions_text))
        .bind(change.disabled)
        .bind(updated_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if updated.rows_affected() == 0 {
            return rollback(tx, StoreError::NotFound).await;
        }
        if change.disabled == Some(true) {
            // Disabling takes effect at once, on every node: sessions live in the database.
            sqlx::query("delete from sessions where user_id = $1")
                .bind(id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        insert_activity(&mut tx, activity).await?;
        let stored = fetch_user(&mut tx, organization_id, id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(stored)
    }

    async fn insert_password_token(
        &self,
        digest: &Digest,
        user_id: UserId,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        sessions::insert_password_token(&self.pool, digest, user_id, expires_at).await
    }

    async fn consume_password_token(
        &self,
        digest: &Digest,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<User> {
        let mut tx = self.write().await?;
        match sessions::consume_password_token(&mut tx, digest, password_hash, now).await {
            Ok(user) => {
                tx.commit().await.map_err(db_error)?;
                Ok(user)
            }
            Err(error) => rollback(tx, error).await,
        }
    }

    async fn insert_session(&self, session: &NewSession) -> StoreResult<()> {
        sessions::insert_session(&self.pool, session).await
    }

    async fn session(&self, digest: &Digest, now: OffsetDateTime) -> StoreResult<Option<Session>> {
        sessions::live_session(&self.pool, digest, now).await
    }

    async fn touch_session(&self, digest: &Digest, expires_at: OffsetDateTime) -> StoreResult<()> {
        sessions::touch_session(&self.pool, digest, expires_at).await
    }

    async fn delete_session(&self, digest: &Digest) -> StoreResult<()> {
        sessions::delete_session(&self.pool, digest).await
    }
}

/// Inserts a user row; the email and the organization are checked by the schema.
async fn insert_user_row(conn: &mut PgConnection, user: &NewUser) -> StoreResult<()> {
    sqlx::query(
        "insert into users (id, organization_id, email, name, role, permissions, disabled, \
         password_hash, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, false, $7, $8, $8)",
    )
    .bind(user.id.to_string())
    .bind(user.organization_id.to_string())
    .bind(&user.email)
    .bind(&user.name)
    .bind(role_text(user.role))
    .bind(permissions_text(&user.permissions))
    .bind(&user.password_hash)
    .bind(user.created_at)
    .execute(conn)
    .await
    .map_err(db_error)?;
    Ok(())
}

/// A user of an organization, with the organization.
async fn fetch_user(
    conn: &mut PgConnection,
    organization_id: OrganizationId,
    id: UserId,
) -> StoreResult<User> {
    sqlx::query_as::<_, UserRow>(concat!(
        user_select!(),
        "where u.organization_id = $1 and u.id = $2"
    ))
    .bind(organization_id.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await
    .map_err(db_error)?
    .try_into()
}
