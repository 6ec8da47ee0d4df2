//! Errors of the domain: [`StoreError`] from the storage backends and [`DomainError`] from the
//! rules. The server maps each variant to exactly one HTTP status.

/// A boxed error from a backend, kept for the log and never shown to a client.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What a [`crate::Store`] can report, in its own terms (no sqlx types leak through).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (in this organization).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the name says which.
    #[error("conflict on {constraint}")]
    Conflict {
        /// The rule, e.g. `users.email` or `groups.name`.
        constraint: &'static str,
    },
    /// The backend failed: unreachable, full, corrupt.
    #[error("the database is unavailable")]
    Unavailable(#[source] BoxError),
}

/// A rule of the domain was broken, or a dependency failed.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input breaks a rule; the message says which, for a person.
    #[error("{0}")]
    Invalid(String),
    /// The named thing does not exist in the caller's organization.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Something named in the request does not exist; the message names it.
    #[error("{0}")]
    NotFoundNamed(String),
    /// The request conflicts with the current state; the message explains.
    #[error("{0}")]
    Conflict(String),
    /// The caller may not do this; the message says why.
    #[error("{0}")]
    Forbidden(String),
    /// Credentials were wrong (deliberately vague).
    #[error("invalid email or password")]
    BadCredentials,
    /// Too many attempts; retry after this many seconds.
    #[error("too many attempts, retry in {0} seconds")]
    Throttled(u64),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// Something that should not fail did (a worker thread panicked, a secret is damaged).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for DomainError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => DomainError::NotFound("record"),
            other => DomainError::Store(other),
        }
    }
}

impl DomainError {
    /// A validation failure with a message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }
}
