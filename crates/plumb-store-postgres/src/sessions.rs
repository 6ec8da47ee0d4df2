//! Sessions and one-time password links, both found by the SHA-256 of their token.
//!
//! A session is returned only while unexpired and while its user is enabled; a password link
//! works once, before its expiry. Neither is scoped by organization: the digest itself is the
//! 256-bit secret that proves who is asking. Both live in the database, so every node of a
//! deployment sees a sign-in, a sign-out or a used link at once.

use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::UserId;
use plumb_core::store::{NewSession, Session, StoreResult, User};
use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;

use crate::error::db_error;
use crate::rows::{SessionRow, UserRow, user_select};

/// Stores a password link for a user.
pub(crate) async fn insert_password_token(
    pool: &PgPool,
    digest: &Digest,
    user_id: UserId,
    expires_at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("insert into password_tokens (digest, user_id, expires_at) values ($1, $2, $3)")
        .bind(&digest.0[..])
        .bind(user_id.to_string())
        .bind(expires_at)
        .execute(pool)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Uses a password link inside the caller's transaction: sets the password and returns the
/// user, or `NotFound` for an unknown, used or expired link.
pub(crate) async fn consume_password_token(
    conn: &mut PgConnection,
    digest: &Digest,
    password_hash: &str,
    now: OffsetDateTime,
) -> StoreResult<User> {
    // Marking the link used and learning whose it is is one statement; a racing node waits on
    // the row lock, re-reads the row and finds it used, so a link can never be used twice.
    let user_id: Option<String> = sqlx::query_scalar(
        "update password_tokens set used_at = $2 \
         where digest = $1 and used_at is null and expires_at > $2 returning user_id",
    )
    .bind(&digest.0[..])
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db_error)?;
    let Some(user_id) = user_id else {
        return Err(StoreError::NotFound);
    };
    sqlx::query("update users set password_hash = $2, updated_at = $3 where id = $1")
        .bind(&user_id)
        .bind(password_hash)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    sqlx::query_as::<_, UserRow>(concat!(user_select!(), "where u.id = $1"))
        .bind(&user_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error)?
        .try_into()
}

/// Stores a session.
pub(crate) async fn insert_session(pool: &PgPool, session: &NewSession) -> StoreResult<()> {
    sqlx::query(
        "insert into sessions (digest, user_id, created_at, expires_at) values ($1, $2, $3, $4)",
    )
    .bind(&session.digest.0[..])
    .bind(session.user_id.to_string())
    .bind(session.created_at)
    .bind(session.expires_at)
    .execute(pool)
    .await
    .map_err(db_error)?;
    Ok(())
}

/// A session that is unexpired at `now` and whose user is enabled.
pub(crate) async fn live_session(
    pool: &PgPool,
    digest: &Digest,
    now: OffsetDateTime,
) -> StoreResult<Option<Session>> {
    sqlx::query_as::<_, SessionRow>(
        "select s.digest, s.created_at as session_created_at, \
         s.expires_at as session_expires_at, u.id, u.organization_id, \
         o.name as organization_name, o.created_at as organization_created_at, u.email, \
         u.name, u.role, u.permissions, u.disabled, u.password_hash, u.created_at, \
         u.updated_at \
         from sessions s join users u on u.id = s.user_id \
         join organizations o on o.id = u.organization_id \
         where s.digest = $1 and s.expires_at > $2 and not u.disabled",
    )
    .bind(&digest.0[..])
    .bind(now)
    .fetch_optional(pool)
    .await
    .map_err(db_error)?
    .map(Session::try_from)
    .transpose()
}

/// Moves a session's expiry.
pub(crate) async fn touch_session(
    pool: &PgPool,
    digest: &Digest,
    expires_at: OffsetDateTime,
) -> StoreResult<()> {
    // A session deleted in the meantime stays deleted; touching it is not an error.
    sqlx::query("update sessions set expires_at = $2 where digest = $1")
        .bind(&digest.0[..])
        .bind(expires_at)
        .execute(pool)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Ends a session.
pub(crate) async fn delete_session(pool: &PgPool, digest: &Digest) -> StoreResult<()> {
    // Signing out twice is not an error.
    sqlx::query("delete from sessions where digest = $1")
        .bind(&digest.0[..])
        .execute(pool)
        .await
        .map_err(db_error)?;
    Ok(())
}
