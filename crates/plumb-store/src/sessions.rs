//! Sessions and one-time password links, both found by the SHA-256 of their token.
//!
//! A session is returned only while unexpired and while its user is enabled; a password link
//! works once, before its expiry. Neither is scoped by organization: the digest itself is the
//! 256-bit secret that proves who is asking.

use plumb_core::StoreError;
use plumb_core::crypto::Digest;
use plumb_core::id::UserId;
use plumb_core::store::{NewSession, Session, StoreResult, User};
use time::OffsetDateTime;

use crate::accounts::{read_user, user_select};
use crate::db::{Exec, FromRow, Row, args};

impl FromRow for Session {
    fn from_row(row: &Row<'_>) -> StoreResult<Self> {
        let mut columns = row.columns();
        Ok(Session {
            digest: columns.next()?,
            created_at: columns.next()?,
            expires_at: columns.next()?,
            user: read_user(&mut columns)?,
        })
    }
}

/// Stores a password link for a user.
pub(crate) async fn insert_password_token(
    exec: &impl Exec,
    digest: &Digest,
    user_id: UserId,
    expires_at: OffsetDateTime,
) -> StoreResult<()> {
    exec.execute(
        "insert into password_tokens (digest, user_id, expires_at) values (?1, ?2, ?3)",
        args![digest, user_id, expires_at],
    )
    .await
    .map(drop)
}

/// Uses a password link inside the caller's write transaction: sets the password and returns
/// the user, or `NotFound` for an unknown, used or expired link.
pub(crate) async fn consume_password_token(
    tx: &impl Exec,
    digest: &Digest,
    password_hash: &str,
    now: OffsetDateTime,
) -> StoreResult<User> {
    // Marking the link used and learning whose it is is one statement, so a link can never be
    // used twice.
    let user_id: Option<UserId> = tx
        .first(
            "update password_tokens set used_at = ?2 \
             where digest = ?1 and used_at is null and expires_at > ?2 returning user_id",
            args![digest, now],
        )
        .await?;
    let Some(user_id) = user_id else {
        return Err(StoreError::NotFound);
    };
    tx.execute(
        "update users set password_hash = ?2, updated_at = ?3 where id = ?1",
        args![user_id, password_hash, now],
    )
    .await?;
    tx.one(concat!(user_select!(), "where u.id = ?1"), args![user_id])
        .await
}

/// Stores a session.
pub(crate) async fn insert_session(exec: &impl Exec, session: &NewSession) -> StoreResult<()> {
    exec.execute(
        "insert into sessions (digest, user_id, created_at, expires_at) values (?1, ?2, ?3, ?4)",
        args![
            &session.digest,
            session.user_id,
            session.created_at,
            session.expires_at
        ],
    )
    .await
    .map(drop)
}

/// A session that is unexpired at `now` and whose user is enabled.
pub(crate) async fn live_session(
    exec: &impl Exec,
    digest: &Digest,
    now: OffsetDateTime,
) -> StoreResult<Option<Session>> {
    exec.first(
        concat!(
            "select s.digest, s.created_at, s.expires_at, ",
            // The user's columns, as `user_select!` reads them.
            "u.id, u.organization_id, o.name, o.created_at, u.email, u.name, u.role, \
             u.permissions, u.disabled, u.password_hash, u.created_at, u.updated_at \
             from sessions s join users u on u.id = s.user_id \
             join organizations o on o.id = u.organization_id \
             where s.digest = ?1 and s.expires_at > ?2 and not u.disabled"
        ),
        args![digest, now],
    )
    .await
}

/// Moves a session's expiry.
pub(crate) async fn touch_session(
    exec: &impl Exec,
    digest: &Digest,
    expires_at: OffsetDateTime,
) -> StoreResult<()> {
    // A session deleted in the meantime stays deleted; touching it is not an error.
    exec.execute(
        "update sessions set expires_at = ?2 where digest = ?1",
        args![digest, expires_at],
    )
    .await
    .map(drop)
}

/// Ends a session.
pub(crate) async fn delete_session(exec: &impl Exec, digest: &Digest) -> StoreResult<()> {
    // Signing out twice is not an error.
    exec.execute("delete from sessions where digest = ?1", args![digest])
        .await
        .map(drop)
}
