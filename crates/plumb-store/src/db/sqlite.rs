//! SQLite in process through rusqlite: a pool of reader connections and one writer.
//!
//! A statement is a function call on the calling thread, not a hop to a worker thread, so a
//! point read costs a few microseconds. Reads run on a reader connection (`query_only`, many
//! at once under WAL). Writes queue for the one writer connection (an async mutex, FIFO), then
//! run `begin immediate`, their statements and `commit` on it. Waiting never blocks the
//! runtime: the writer's `busy_timeout` is zero and a busy database (another process writing,
//! e.g. `plumb db copy` or a backup) is retried with async sleeps for up to [`BUSY_TIMEOUT`];
//! the commit, which waits for the disk (`synchronous = full`), runs in `block_in_place` on a
//! multi-threaded runtime so the other tasks of its worker move elsewhere meanwhile.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use plumb_core::StoreError;
use plumb_core::store::StoreResult;
use rusqlite::ffi::ErrorCode;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use super::column::{FromRow, Row};
use super::sqlite_url::Options;
use super::{Arg, error::sqlite_error};

/// How long a write waits for another process's write lock before failing.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Prepared statements each connection keeps.
const STATEMENT_CACHE: usize = 256;
/// How much of the database file each reader maps (bytes): larger databases are read through
/// the cache for the rest.
const READER_MMAP: u64 = 1 << 30;
/// Idle reader connections kept open.
const IDLE_READERS: usize = 16;

/// What to do when the database file does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Fail, unless the URL itself asks for creation with `mode=rwc`. A mistyped path then
    /// reports an error instead of silently starting an empty installation.
    Existing,
    /// Create an empty database file (the server's own data directory on first start).
    CreateIfMissing,
}

/// The connections to one database file.
pub(crate) struct SqlitePool {
    options: Options,
    readers: Mutex<Vec<Connection>>,
    closed: AtomicBool,
    /// `None` once closed. The inner mutex is never contended (the outer one queues writers);
    /// it makes the connection shareable between the steps of a transaction.
    writer: Arc<AsyncMutex<Option<Mutex<Connection>>>>,
}

impl SqlitePool {
    /// Opens the writer (creating the file if the options say so, and switching it to WAL).
    pub(crate) fn open(url: &str, mode: OpenMode) -> StoreResult<SqlitePool> {
        let options = Options::parse(url, mode)?;
        let writer = connect(&options, Role::Writer)?;
        Ok(SqlitePool {
            options,
            readers: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
            writer: Arc::new(AsyncMutex::new(Some(Mutex::new(writer)))),
        })
    }

    /// Runs `read` on a reader connection.
    pub(crate) fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        if self.closed.load(Ordering::Acquire) {
            return Err(closed());
        }
        let idle = self.lock_readers().pop();
        let connection = match idle {
            Some(connection) => connection,
            None => connect(&self.options, Role::Reader)?,
        };
        let result = read(&connection);
        let mut readers = self.lock_readers();
        if readers.len() < IDLE_READERS {
            readers.push(connection);
        }
        result
    }

    /// Starts a write transaction: waits for the writer, then takes SQLite's write lock.
    pub(crate) async fn begin(&self) -> StoreResult<WriteTx> {
        let guard = self.writer.clone().lock_owned().await;
        let mut transaction = WriteTx {
            connection: guard,
            open: false,
        };
        let started = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            let begun = transaction.connection()?.execute_batch("begin immediate");
            match begun {
                Ok(()) => break,
                Err(error) if is_busy(&error) && started.elapsed() < BUSY_TIMEOUT => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                Err(error) => return Err(sqlite_error(error)),
            }
        }
        transaction.open = true;
        Ok(transaction)
    }

    /// Runs `work` on the writer connection, outside any transaction (migrations).
    pub(crate) async fn with_writer<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let guard = self.writer.lock().await;
        let shared = guard.as_ref().ok_or_else(closed)?;
        let mut connection = shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut connection)
    }

    /// Closes every connection; the writer, closing last, checkpoints the WAL into the file.
    pub(crate) async fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.lock_readers().clear();
        self.writer.lock().await.take();
    }

    fn lock_readers(&self) -> MutexGuard<'_, Vec<Connection>> {
        self.readers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A write transaction on the writer connection: rolled back unless committed.
pub(crate) struct WriteTx {
    connection: OwnedMutexGuard<Option<Mutex<Connection>>>,
    open: bool,
}

impl WriteTx {
    /// The writer connection, for one statement (never held across an await).
    pub(crate) fn connection(&self) -> StoreResult<MutexGuard<'_, Connection>> {
        let shared = self.connection.as_ref().ok_or_else(closed)?;
        Ok(shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Commits: returns once the transaction is on disk.
    pub(crate) fn commit(mut self) -> StoreResult<()> {
        self.open = false;
        let connection = self.connection()?;
        blocking(|| connection.execute_batch("commit")).map_err(|error| {
            // A failed commit (a deferred foreign key) leaves the transaction open.
            let _ = connection.execute_batch("rollback");
            sqlite_error(error)
        })
    }

    /// Rolls back now.
    pub(crate) fn rollback(mut self) -> StoreResult<()> {
        self.open = false;
        self.connection()?
            .execute_batch("rollback")
            .map_err(sqlite_error)
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        if let Ok(connection) = self.connection()
            && let Err(error) = connection.execute_batch("rollback")
        {
            tracing::warn!(error = %error, "could not roll back: {error}");
        }
    }
}

/// Rows of a statement.
pub(crate) fn rows<R: FromRow>(
    connection: &Connection,
    sql: &str,
    args: &[Arg<'_>],
) -> StoreResult<Vec<R>> {
    let mut statement = prepare(connection, sql, args)?;
    let mut rows = statement.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(sqlite_error)? {
        out.push(R::from_row(&Row::Sqlite(row))?);
    }
    Ok(out)
}

/// The first row of a statement, if any.
pub(crate) fn first<R: FromRow>(
    connection: &Connection,
    sql: &str,
    args: &[Arg<'_>],
) -> StoreResult<Option<R>> {
    let mut statement = prepare(connection, sql, args)?;
    let mut rows = statement.raw_query();
    match rows.next().map_err(sqlite_error)? {
        Some(row) => R::from_row(&Row::Sqlite(row)).map(Some),
        None => Ok(None),
    }
}

/// Runs a statement; returns the rows it changed.
pub(crate) fn execute(connection: &Connection, sql: &str, args: &[Arg<'_>]) -> StoreResult<u64> {
    let mut statement = prepare(connection, sql, args)?;
    let changed = statement.raw_execute().map_err(sqlite_error)?;
    Ok(changed as u64)
}

/// A cached statement with `args` bound, one per placeholder.
fn prepare<'c>(
    connection: &'c Connection,
    sql: &str,
    args: &[Arg<'_>],
) -> StoreResult<rusqlite::CachedStatement<'c>> {
    let mut statement = connection.prepare_cached(sql).map_err(sqlite_error)?;
    if statement.parameter_count() != args.len() {
        return Err(StoreError::Unavailable(
            format!(
                "statement has {} parameters, {} given: {sql}",
                statement.parameter_count(),
                args.len()
            )
            .into(),
        ));
    }
    for (index, arg) in args.iter().enumerate() {
        bind(&mut statement, index + 1, arg).map_err(sqlite_error)?;
    }
    Ok(statement)
}

/// Binds one parameter in SQLite's spelling.
fn bind(
    statement: &mut rusqlite::Statement<'_>,
    index: usize,
    arg: &Arg<'_>,
) -> rusqlite::Result<()> {
    match arg {
        Arg::Text(text) => statement.raw_bind_parameter(index, text),
        Arg::Owned(text) => statement.raw_bind_parameter(index, text),
        Arg::Id(Some(id)) => {
            let mut buffer = uuid::Uuid::encode_buffer();
            let text: &str = id.hyphenated().encode_lower(&mut buffer);
            statement.raw_bind_parameter(index, text)
        }
        Arg::Id(None) => statement.raw_bind_parameter(index, rusqlite::types::Null),
        Arg::Int(number) => statement.raw_bind_parameter(index, number),
        Arg::Bool(flag) => statement.raw_bind_parameter(index, flag),
        Arg::Bytes(bytes) => statement.raw_bind_parameter(index, bytes),
        Arg::Blob(bytes) => statement.raw_bind_parameter(index, bytes),
        Arg::Time(time) => statement.raw_bind_parameter(index, time.map(crate::stored::time_text)),
        Arg::Ids(ids) => {
            let texts: Vec<String> = ids.iter().map(ToString::to_string).collect();
            // A list of strings always serialises.
            let json = serde_json::to_string(&texts).unwrap_or_else(|_| "[]".to_owned());
            statement.raw_bind_parameter(index, json)
        }
    }
}

/// Which connection is opened.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Reader,
    Writer,
}

/// Opens a connection with plumb's settings: WAL, foreign keys enforced, `synchronous = full`
/// (every commit is on disk before it is acknowledged), and a 5-second busy timeout for
/// readers. Readers are `query_only`, so a write sent to one fails loudly.
fn connect(options: &Options, role: Role) -> StoreResult<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    if options.create && role == Role::Writer {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let connection = Connection::open_with_flags(&options.path, flags).map_err(sqlite_error)?;
    connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    let busy = if role == Role::Writer {
        Duration::ZERO
    } else {
        BUSY_TIMEOUT
    };
    connection.busy_timeout(busy).map_err(sqlite_error)?;
    let mut pragmas = String::from("pragma foreign_keys = on; pragma synchronous = full;");
    if role == Role::Writer {
        let mode: String = connection
            .query_row("pragma journal_mode = wal", [], |row| row.get(0))
            .map_err(sqlite_error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "the database could not switch to WAL");
        }
    } else {
        // Readers map the file: a page is read from the OS's cache in place instead of being
        // copied into SQLite's own cache by a system call (a page of 100 devices touches about
        // sixty pages).
        pragmas.push_str(&format!(
            " pragma query_only = on; pragma mmap_size = {READER_MMAP};"
        ));
    }
    connection.execute_batch(&pragmas).map_err(sqlite_error)?;
    Ok(connection)
}

/// Runs `work`, which may wait for the disk, without stalling the runtime's other tasks.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn closed() -> StoreError {
    StoreError::Unavailable("the store is closed".into())
}
