//! The SQLite side of [`RegistrationStore`]: one row in the core's
//! database file. The schema is plain SQL so the shared migration list can
//! adopt it unchanged.

use super::store::{RegistrationStore, ReportedToken};
use crate::channel::PushChannel;
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::time::Duration;

/// One row at most (`id = 1`): the token last reported to the backend.
pub(crate) const SCHEMA: &str = "\
CREATE TABLE IF NOT EXISTS registration_reported (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    user_id     TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    business_id INTEGER NOT NULL,
    token       TEXT    NOT NULL,
    reported_at INTEGER NOT NULL
);";

/// The file name of the core's database inside the storage directory.
pub(crate) const DB_FILE: &str = "pushcore.db";

/// Another process (an app extension, a second core) may hold the lock
/// briefly; wait rather than fail.
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) fn ensure_schema(conn: &Connection) -> Result<()> {
    conn.execute_batch(SCHEMA)?;
    Ok(())
}

pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (or creates) `<storage_dir>/pushcore.db` in WAL mode.
    pub fn open(storage_dir: &Path) -> Result<SqliteStore> {
        let conn = Connection::open(storage_dir.join(DB_FILE))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // `journal_mode` answers with the resulting mode, so it is a query.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        SqliteStore::with_connection(conn)
    }

    pub fn with_connection(conn: Connection) -> Result<SqliteStore> {
        ensure_schema(&conn)?;
        Ok(SqliteStore { conn })
    }
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl RegistrationStore for SqliteStore {
    fn load(&mut self) -> Result<Option<ReportedToken>> {
        let row = self
            .conn
            .query_row(
                "SELECT user_id, channel, business_id, token FROM registration_reported WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((user_id, channel, business_id, token)) = row else {
            return Ok(None);
        };
        // A row this version cannot read is as good as none: the token is
        // reported again, which is harmless.
        let (Ok(channel), Ok(business_id)) =
            (channel.parse::<PushChannel>(), u64::try_from(business_id))
        else {
            return Ok(None);
        };
        Ok(Some(ReportedToken {
            user_id,
            channel,
            business_id,
            token,
        }))
    }

    fn save(&mut self, reported: &ReportedToken) -> Result<()> {
        let business_id = i64::try_from(reported.business_id)
            .map_err(|_| Error::from(crate::error::invalid_input("business id exceeds i64")))?;
        self.conn.execute(
            "INSERT OR REPLACE INTO registration_reported
                 (id, user_id, channel, business_id, token, reported_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)",
            params![
                reported.user_id,
                reported.channel.as_str(),
                business_id,
                reported.token,
                now_seconds()
            ],
        )?;
        Ok(())
    }

    fn clear(&mut self) -> Result<()> {
        self.conn.execute("DELETE FROM registration_reported", [])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ReportedToken {
        ReportedToken {
            user_id: "alice".into(),
            channel: PushChannel::Oppo,
            business_id: 10004,
            token: "tok-123".into(),
        }
    }

    #[test]
    fn round_trips_across_reopen_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        assert_eq!(store.load().unwrap(), None);
        store.save(&sample()).unwrap();
        let mut newer = sample();
        newer.token = "tok-456".into();
        store.save(&newer).unwrap();
        drop(store);
        let mut store = SqliteStore::open(dir.path()).unwrap();
        assert_eq!(store.load().unwrap(), Some(newer));
        store.clear().unwrap();
        assert_eq!(store.load().unwrap(), None);
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn unreadable_rows_count_as_nothing_reported() {
        let conn = Connection::open_in_memory().unwrap();
        let mut store = SqliteStore::with_connection(conn).unwrap();
        store.save(&sample()).unwrap();
        store
            .conn
            .execute("UPDATE registration_reported SET channel = 'nokia'", [])
            .unwrap();
        assert_eq!(store.load().unwrap(), None);
        let mut huge = sample();
        huge.business_id = u64::MAX;
        assert!(store.save(&huge).is_err());
    }
}
