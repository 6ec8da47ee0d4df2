//! `AccountStore`: settings, organizations, users, sessions and password links.
//!
//! Every per-organization read filters on `organization_id`, so another organization's user
//! looks exactly like a missing one. The SQL for sessions and password links is in `sessions`.

use crate::codec::{parse_permissions, parse_role, permissions_text, role_text};
use async_trait::async_trait;
use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::{OrganizationId, UserId};
use plumb_core::store::{AccountStore, Activity, CreateMode, NewOrganization, NewSession, NewUser};
use plumb_core::store::{Organization, Session, StoreResult, User, UserChange};
use time::OffsetDateTime;

use crate::SqlStore;
use crate::activity::insert_activity;
use crate::db::{Columns, Dialect, Exec, FromRow, Row, args};
use crate::sessions;

/// Selects a [`User`]; callers append a `where` on `u` (users) or `o` (organizations).
macro_rules! user_select {
    () => {
        "select u.id, u.organization_id, o.name, o.created_at, u.email, u.name, u.role, \
         u.permissions, u.disabled, u.password_hash, u.created_at, u.updated_at \
         from users u join organizations o on o.id = u.organization_id "
    };
}

pub(crate) use user_select;

impl FromRow for User {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        read_user(&mut row.columns())
    }
}

/// Reads the columns of [`user_select!`] from where `columns` stands.
pub(crate) fn read_user(columns: &mut Columns<'_>) -> StoreResult<User> {
    let id = columns.next()?;
    let organization = Organization {
        id: columns.next()?,
        name: columns.next()?,
        created_at: columns.next()?,
    };
    Ok(User {
        id,
        organization,
        email: columns.next()?,
        name: columns.next()?,
        role: parse_role(&columns.next::<String>()?)?,
        permissions: parse_permissions(&columns.next::<String>()?)?,
        disabled: columns.next()?,
        password_hash: columns.next()?,
        created_at: columns.next()?,
        updated_at: columns.next()?,
    })
}

impl FromRow for Organization {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(Organization {
            id: columns.next()?,
            name: columns.next()?,
            created_at: columns.next()?,
        })
    }
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        self.db.one::<bool>("select true", &[]).await.map(drop)
    }

    async fn setting(&self, name: &str) -> StoreResult<Option<Vec<u8>>> {
        self.db
            .first("select value from settings where name = ?1", args![name])
            .await
    }

    async fn init_setting(
        &self,
        name: &str,
        value: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<Vec<u8>> {
        // Whoever inserts first wins: on PostgreSQL a racing insert waits for the winner's
        // commit and then does nothing, and the select (a new snapshot at READ COMMITTED)
        // reads the winner's value.
        let tx = self.db.begin().await?;
        let outcome = async {
            tx.execute(
                "insert into settings (name, value, created_at, updated_at) \
                 values (?1, ?2, ?3, ?3) on conflict (name) do nothing",
                args![name, value, now],
            )
            .await?;
            tx.one("select value from settings where name = ?1", args![name])
                .await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn create_organization(
        &self,
        organization: &NewOrganization,
        admin: &NewUser,
        mode: CreateMode,
        activity: &Activity,
    ) -> StoreResult<()> {
        let tx = self.db.begin().await?;
        let outcome = async {
            if tx.dialect() == Dialect::Postgres {
                // At READ COMMITTED two nodes could both see no organization and both insert
                // one. This lock mode conflicts with itself (and lets plain reads through), so
                // creations queue and each one's existence check sees the ones committed
                // before it. SQLite's `begin immediate` already serialises writers.
                tx.execute("lock table organizations in share row exclusive mode", &[])
                    .await?;
            }
            let sql = match mode {
                CreateMode::FirstOnly => {
                    "insert into organizations (id, name, created_at, updated_at) \
                     select ?1, ?2, ?3, ?3 where not exists (select 1 from organizations)"
                }
                CreateMode::Additional => {
                    "insert into organizations (id, name, created_at, updated_at) \
                     values (?1, ?2, ?3, ?3)"
                }
            };
            let inserted = tx
                .execute(
                    sql,
                    args![organization.id, &organization.name, organization.created_at],
                )
                .await?;
            if inserted == 0 {
                return Err(StoreError::Conflict {
                    constraint: "organizations.first",
                });
            }
            insert_user_row(&tx, admin).await?;
            insert_activity(&tx, activity).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn has_organizations(&self) -> StoreResult<bool> {
        self.db
            .one("select exists (select 1 from organizations)", &[])
            .await
    }

    async fn organization(&self, id: OrganizationId) -> StoreResult<Organization> {
        self.db
            .one(
                "select id, name, created_at from organizations where id = ?1",
                args![id],
            )
            .await
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        self.db
            .first(concat!(user_select!(), "where u.email = ?1"), args![email])
            .await
    }

    async fn user(&self, organization_id: OrganizationId, id: UserId) -> StoreResult<User> {
        fetch_user(&self.db, organization_id, id).await
    }

    async fn list_users(&self, organization_id: OrganizationId) -> StoreResult<Vec<User>> {
        self.db
            .rows(
                concat!(
                    user_select!(),
                    "where u.organization_id = ?1 order by u.created_at, u.id"
                ),
                args![organization_id],
            )
            .await
    }

    async fn insert_user(&self, user: &NewUser, activity: &Activity) -> StoreResult<User> {
        let tx = self.db.begin().await?;
        let outcome = async {
            insert_user_row(&tx, user).await?;
            insert_activity(&tx, activity).await?;
            fetch_user(&tx, user.organization_id, user.id).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn update_user(
        &self,
        organization_id: OrganizationId,
        id: UserId,
        change: &UserChange,
        updated_at: OffsetDateTime,
        activity: &Activity,
    ) -> StoreResult<User> {
        let tx = self.db.begin().await?;
        let outcome = async {
            // A null parameter keeps the column as it is.
            tx.change(
                "update users set role = coalesce(?3, role), \
                     permissions = coalesce(?4, permissions), \
                     disabled = coalesce(?5, disabled), updated_at = ?6 \
                     where organization_id = ?1 and id = ?2",
                args![
                    organization_id,
                    id,
                    change.role.map(role_text),
                    change.permissions.as_deref().map(permissions_text),
                    change.disabled,
                    updated_at,
                ],
            )
            .await?;
            if change.disabled == Some(true) {
                // Disabling takes effect at once, on every node: sessions live in the database.
                tx.execute("delete from sessions where user_id = ?1", args![id])
                    .await?;
            }
            insert_activity(&tx, activity).await?;
            fetch_user(&tx, organization_id, id).await
        }
        .await;
        tx.finish(outcome).await
    }

    async fn insert_password_token(
        &self,
        digest: &Digest,
        user_id: UserId,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        sessions::insert_password_token(&self.db, digest, user_id, expires_at).await
    }

    async fn consume_password_token(
        &self,
        digest: &Digest,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<User> {
        let tx = self.db.begin().await?;
        let outcome = sessions::consume_password_token(&tx, digest, password_hash, now).await;
        tx.finish(outcome).await
    }

    async fn insert_session(&self, session: &NewSession) -> StoreResult<()> {
        sessions::insert_session(&self.db, session).await
    }

    async fn session(&self, digest: &Digest, now: OffsetDateTime) -> StoreResult<Option<Session>> {
        sessions::live_session(&self.db, digest, now).await
    }

    async fn touch_session(&self, digest: &Digest, expires_at: OffsetDateTime) -> StoreResult<()> {
        sessions::touch_session(&self.db, digest, expires_at).await
    }

    async fn delete_session(&self, digest: &Digest) -> StoreResult<()> {
        sessions::delete_session(&self.db, digest).await
    }
}

/// Inserts a user row; the email and the organization are checked by the schema.
async fn insert_user_row(tx: &impl Exec, user: &NewUser) -> StoreResult<()> {
    tx.execute(
        "insert into users (id, organization_id, email, name, role, permissions, disabled, \
         password_hash, created_at, updated_at) \
         values (?1, ?2, ?3, ?4, ?5, ?6, false, ?7, ?8, ?8)",
        args![
            user.id,
            user.organization_id,
            &user.email,
            &user.name,
            role_text(user.role),
            permissions_text(&user.permissions),
            user.password_hash.as_deref(),
            user.created_at,
        ],
    )
    .await
    .map(drop)
}

/// A user of an organization, with the organization.
async fn fetch_user(
    exec: &impl Exec,
    organization_id: OrganizationId,
    id: UserId,
) -> StoreResult<User> {
    exec.one(
        concat!(user_select!(), "where u.organization_id = ?1 and u.id = ?2"),
        args![organization_id, id],
    )
    .await
}
