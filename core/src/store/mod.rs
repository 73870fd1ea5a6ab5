//! The core's local state: one SQLite file in the storage directory, opened
//! lazily and shared by every module that keeps state ([`db`] sets it up,
//! [`dedup`] is the first user).
//!
//! Opening is lazy so that a core whose directory is read-only or full still
//! starts: stateless capabilities (parsing, routing) keep working, and each
//! stateful call reports a clear `Storage` error until the disk recovers.

pub mod db;
pub mod dedup;
pub mod dedup_key;
mod file_identity;
pub mod ledger;
mod prune;

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// Wall-clock milliseconds since the Unix epoch; a seam so retention and
/// windows can be tested without sleeping.
pub trait Clock: Send + Sync {
    fn now_ms(&self) -> i64;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A database file was unusable and has been replaced by an empty one. The
/// app may want to know (analytics, support logs): recent dedup history and
/// any other stored state are gone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StoreEvent {
    pub reason: String,
    /// Where the old file now is, for a support engineer to inspect.
    pub moved_to: String,
    pub at_ms: i64,
}

/// The shared, lazily opened connection.
///
/// One connection behind a mutex: SQLite serialises writers on a file
/// anyway, and every operation here is a single short statement, so a pool
/// would add connections (and memory) without adding write throughput.
///
/// Another process may move the file aside (it found it corrupt) while this
/// one has it open; the open connection would then go on writing to the
/// moved file, and dedup would split between two files. So each operation
/// first compares the path's file identity with the one opened (see
/// `file_identity`) and reopens when it changed.
pub struct Store {
    path: PathBuf,
    clock: Arc<dyn Clock>,
    conn: Mutex<Option<Open>>,
    events: Mutex<Vec<StoreEvent>>,
}

/// A connection and the identity of the file it was opened on.
struct Open {
    conn: Connection,
    file: Option<file_identity::FileIdentity>,
}

impl Store {
    /// Nothing touches the disk until the first operation.
    pub fn new(path: impl Into<PathBuf>, clock: Arc<dyn Clock>) -> Store {
        Store {
            path: path.into(),
            clock,
            conn: Mutex::new(None),
            events: Mutex::new(Vec::new()),
        }
    }

    /// Opens now, so that open errors and recovery events surface at once
    /// (the CLI and tests want that; the app usually does not).
    pub fn open(path: impl Into<PathBuf>, clock: Arc<dyn Clock>) -> Result<Store> {
        let store = Store::new(path, clock);
        store.with_conn(|_| Ok(()))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Every file replaced since this store was created, oldest first.
    pub fn events(&self) -> Vec<StoreEvent> {
        lock(&self.events).clone()
    }

    /// Runs `f` on the connection, opening it first if needed. If the file
    /// turns out to be corrupt mid-use, it is moved aside, recreated, and `f`
    /// runs once more on the fresh file.
    pub fn with_conn<T>(&self, mut f: impl FnMut(&Connection) -> Result<T>) -> Result<T> {
        let mut guard = lock(&self.conn);
        if let Some(open) = guard.as_ref() {
            if file_identity::of_path(&self.path) != open.file {
                log::warn!(
                    target: "pushcore::store",
                    "database {} was replaced by another process; reopening",
                    self.path.display()
                );
                *guard = None;
            }
        }
        for attempt in 0..2 {
            let conn = match guard.as_ref() {
                Some(open) => &open.conn,
                None => {
                    let (conn, events) = db::open(&self.path, self.clock.as_ref())?;
                    lock(&self.events).extend(events);
                    // Read after opening: a file swapped in between is
                    // caught by the next call's comparison.
                    let file = file_identity::of_path(&self.path);
                    &guard.insert(Open { conn, file }).conn
                }
            };
            match f(conn) {
                Err(Error::Sqlite(e)) if attempt == 0 && db::is_corruption(&e) => {
                    *guard = None; // close before moving the file
                    let event = db::discard(&self.path, &e.to_string(), self.clock.as_ref())?;
                    lock(&self.events).push(event);
                }
                other => return other,
            }
        }
        Err(Error::Public(crate::PushError::Storage {
            reason: format!(
                "{} is corrupt even after recreating it",
                self.path.display()
            ),
        }))
    }

    /// `PRAGMA integrity_check`: "ok", or SQLite's list of problems.
    pub fn integrity_check(&self) -> Result<String> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("\n"))
        })
    }
}

/// A panic while holding the lock cannot leave the connection half-written
/// (SQLite rolls back the statement), so a poisoned lock is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod schema_tests;
#[cfg(test)]
mod tests;
