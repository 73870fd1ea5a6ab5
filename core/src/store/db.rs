//! The one place that creates, checks and migrates the core's SQLite file.
//!
//! Every module that keeps state in `<storage_dir>/pushcore.db` adds its
//! tables as a step in [`MIGRATIONS`] (a file in `migrations/`); nothing
//! else runs DDL. A file this
//! code cannot trust (not SQLite, corrupt, written by a newer core, or some
//! other program's database) is moved aside and replaced by an empty one:
//! the core's state is a cache of recent history, so starting empty is
//! always better than refusing to start.

use super::{Clock, StoreEvent};
use crate::error::{Error, PushError, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The core's database file name inside the storage directory.
pub const DB_FILE_NAME: &str = "pushcore.db";

/// How long a statement waits for another connection or process to release
/// its lock before failing. Writes here take microseconds, so reaching this
/// means something is wedged; the wait stays under Android's 5 s ANR limit.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(4000);

/// One schema step. Its version is its position in [`MIGRATIONS`] plus one,
/// recorded in `PRAGMA user_version` once applied.
pub struct Migration {
    /// Shown in logs and errors.
    pub name: &'static str,
    /// Runs inside the migration transaction; may hold several statements.
    pub sql: &'static str,
}

/// Ordered, append-only, one file per step in `migrations/`: never edit or
/// reorder a step that has shipped, add a new one at the end instead. The
/// store's schema tests hold each shipped step's hash and upgrade every
/// frozen schema in `fixtures/` (one per shipped version) to the latest.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        name: "dedup: seen keys per kind",
        sql: include_str!("migrations/0001_dedup_seen.sql"),
    },
    Migration {
        name: "registration: the token last reported",
        sql: include_str!("migrations/0002_registration_reported.sql"),
    },
    Migration {
        name: "registration: sequence and pending clears",
        sql: include_str!("migrations/0003_registration_sequence.sql"),
    },
    // The ledger (store/ledger/): one row per message the device showed (or
    // learnt was recalled before it arrived) keyed by its dedup key, the
    // logged-in account's receiver digest (no user id in clear), and the
    // unread count per account kept by triggers in the same transaction as
    // every change, so reading the badge is one lookup.
    Migration {
        name: "ledger: shown notifications, their state and the logged-in account",
        sql: include_str!("migrations/0004_ledger.sql"),
    },
    // Conversations (store/ledger/conversation.rs): each row's sender name
    // and line, the shown count per conversation kept by triggers, the
    // mutes and the quiet hours.
    Migration {
        name: "ledger: conversation lines, mutes and quiet hours",
        sql: include_str!("migrations/0005_conversations.sql"),
    },
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Tables created by the first step, so present in every versioned file: a
/// file claiming a version without them was not written by us. Checked
/// before anything is written, so a foreign file is moved aside untouched.
const EXPECTED_TABLES: &[&str] = &["dedup_seen"];

/// Opens (creating if needed) the database at `path`, ready for use, and
/// reports any file it had to move aside.
pub fn open(path: &Path, clock: &dyn Clock) -> Result<(Connection, Vec<StoreEvent>)> {
    let mut events = Vec::new();
    match open_patiently(path) {
        Ok(conn) => return Ok((conn, events)),
        Err(Untrusted::Io(e)) => return Err(with_path(path, e)),
        Err(Untrusted::File(reason)) => {
            events.push(move_aside(path, &reason, clock)?);
        }
    }
    match open_patiently(path) {
        Ok(conn) => Ok((conn, events)),
        Err(Untrusted::Io(e)) => Err(with_path(path, e)),
        Err(Untrusted::File(reason)) => Err(storage(format!(
            "{} is unusable even after recreating it: {reason}",
            path.display()
        ))),
    }
}

/// Moves a file that turned out to be corrupt while in use aside, so the
/// next [`open`] starts afresh. The caller must have closed its connection.
pub fn discard(path: &Path, reason: &str, clock: &dyn Clock) -> Result<StoreEvent> {
    move_aside(path, reason, clock)
}

/// Whether an error means the file's content cannot be trusted (as opposed
/// to a full disk or a permission problem, which moving aside won't fix).
pub fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

enum Untrusted {
    /// The file should be moved aside; the reason says why.
    File(String),
    /// The environment is at fault (permissions, disk): report, keep file.
    Io(Error),
}

impl From<rusqlite::Error> for Untrusted {
    fn from(e: rusqlite::Error) -> Self {
        if is_corruption(&e) {
            Untrusted::File(e.to_string())
        } else {
            Untrusted::Io(storage_sqlite(e))
        }
    }
}

/// Several processes opening a new file at once contend for the locks
/// that switching to WAL and migrating take. Where SQLite would risk a
/// deadlock it answers BUSY at once instead of waiting, so open again from
/// scratch until the busy timeout has passed.
fn open_patiently(path: &Path) -> Result<Connection, Untrusted> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(2);
    loop {
        match open_checked(path) {
            Err(Untrusted::Io(Error::Sqlite(e)))
                if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

fn open_checked(path: &Path) -> Result<Connection, Untrusted> {
    create_owner_only(path).map_err(Untrusted::Io)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let (version, tables) = inspect(&conn)?;
    if version > latest_version() {
        return Err(Untrusted::File(format!(
            "schema version {version} is newer than this build's {}",
            latest_version()
        )));
    }
    if version == 0 && !tables.is_empty() {
        return Err(Untrusted::File(format!(
            "not a PushCore database (unversioned, with tables {tables:?})"
        )));
    }
    let missing = EXPECTED_TABLES
        .iter()
        .find(|t| !tables.iter().any(|x| x == *t));
    if let (true, Some(missing)) = (version > 0, missing) {
        return Err(Untrusted::File(format!(
            "not a PushCore database (schema {version} without table `{missing}`)"
        )));
    }
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

/// WAL lets readers in other processes proceed during a write and makes a
/// commit one append. `synchronous=NORMAL` in WAL mode means a commit has
/// reached the OS (write(2)) when the statement returns, so it survives the
/// process being killed; only a power cut can lose the last commits, and
/// then the file is still consistent. For a dedup cache that trade is right:
/// FULL would add an fsync per notification.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        log::warn!(target: "pushcore::store", "journal_mode is {mode}, not WAL");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Without the query planner stability guarantee, SQLite plans with the
    // values bound to a statement (a `LIMIT ?`, an `?n IS NULL`) and marks
    // the statement expired whenever such a parameter is bound again, so a
    // cached statement was parsed and planned anew on every run: 80% of a
    // first sighting's ledger write (docs/performance.md). Every statement
    // here is written for an index, so one plan per statement is right.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// Applies missing steps in one IMMEDIATE transaction, so two processes
/// starting together cannot both migrate: the second waits (busy timeout),
/// then sees the new version and does nothing.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == latest_version() {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            log::info!(target: "pushcore::store", "migrating to schema {}: {}", i + 1, step.name);
            conn.execute_batch(step.sql)?;
        }
        conn.pragma_update(None, "user_version", latest_version())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// The schema version and table names from one snapshot. Read separately,
/// another process's migration could commit in between, and its fresh file
/// would look foreign (tables without a version) and be moved aside.
/// The first read of the header is here too: garbage fails with NOTADB.
fn inspect(conn: &Connection) -> rusqlite::Result<(u32, Vec<String>)> {
    conn.execute_batch("BEGIN")?;
    let read: rusqlite::Result<(u32, Vec<String>)> = (|| {
        let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok((version, user_tables(conn)?))
    })();
    let end = conn.execute_batch(if read.is_ok() { "COMMIT" } else { "ROLLBACK" });
    let read = read?;
    end?;
    Ok(read)
}

fn user_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?;
    let names = stmt.query_map([], |r| r.get(0))?;
    names.collect()
}

/// SQLite creates the -wal and -shm files with the main file's permissions,
/// so creating the main file 0600 ourselves makes all three owner-only.
fn create_owner_only(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(|e| storage(format!("cannot create or open {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777);
        if matches!(mode, Ok(m) if m != 0o600) {
            // An older file or another tool left it readable by others.
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| storage(format!("cannot make {} owner-only: {e}", path.display())))?;
        }
    }
    Ok(())
}

/// `pushcore.db` -> `pushcore.db.broken-<ms>` (with its -wal beside it); the
/// stale -shm is removed, since it only describes the moved WAL.
fn move_aside(path: &Path, reason: &str, clock: &dyn Clock) -> Result<StoreEvent> {
    let at_ms = clock.now_ms();
    let mut target = suffixed(path, &format!(".broken-{at_ms}"));
    let mut n = 1;
    while target.exists() {
        target = suffixed(path, &format!(".broken-{at_ms}-{n}"));
        n += 1;
    }
    std::fs::rename(path, &target).map_err(|e| {
        storage(format!(
            "{} is unusable ({reason}) and cannot be moved aside: {e}",
            path.display()
        ))
    })?;
    let wal = suffixed(path, "-wal");
    if wal.exists() {
        let _ = std::fs::rename(&wal, suffixed(&target, "-wal"));
    }
    let _ = std::fs::remove_file(suffixed(path, "-shm"));
    log::warn!(
        target: "pushcore::store",
        "database {} was unusable ({reason}); moved to {} and recreated",
        path.display(),
        target.display()
    );
    Ok(StoreEvent {
        reason: reason.to_string(),
        moved_to: target.display().to_string(),
        at_ms,
    })
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn storage(reason: String) -> Error {
    Error::Public(PushError::Storage { reason })
}

fn storage_sqlite(e: rusqlite::Error) -> Error {
    Error::Sqlite(e)
}

/// SQLite's own messages ("unable to open database file") do not say which.
fn with_path(path: &Path, e: Error) -> Error {
    match e {
        Error::Sqlite(e) => storage(format!("cannot open database {}: {e}", path.display())),
        other => other,
    }
}
