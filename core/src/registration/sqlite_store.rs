//! The SQLite side of [`RegistrationStore`]: one row in the core's
//! database file. The table is created by a step of the shared migration
//! list (`store::db::MIGRATIONS`), which adopts `SCHEMA` unchanged.

use super::store::{RegistrationStore, ReportedToken};
use crate::channel::PushChannel;
use crate::error::{Error, Result};
use crate::store::Store;
use rusqlite::{params, OptionalExtension};
use std::sync::Arc;

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

/// Keeps the reported token in the core's one database file, through the
/// shared [`Store`] (its initializer runs the migration that creates the
/// table), so registration and dedup share one connection and one set of
/// pragmas.
pub struct SqliteStore {
    store: Arc<Store>,
}

impl SqliteStore {
    pub fn new(store: Arc<Store>) -> SqliteStore {
        SqliteStore { store }
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
        let row = self.store.with_conn(|conn| {
            Ok(conn
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
            .optional()?)
        })?;
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
        self.store.with_conn(|conn| {
            conn.execute(
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
        })
    }

    fn clear(&mut self) -> Result<()> {
        self.store.with_conn(|conn| {
            conn.execute("DELETE FROM registration_reported", [])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{db, SystemClock};

    fn sample() -> ReportedToken {
        ReportedToken {
            user_id: "alice".into(),
            channel: PushChannel::Oppo,
            business_id: 10004,
            token: "tok-123".into(),
        }
    }

    fn open(dir: &std::path::Path) -> SqliteStore {
        SqliteStore::new(Arc::new(Store::new(
            dir.join(db::DB_FILE_NAME),
            Arc::new(SystemClock),
        )))
    }

    #[test]
    fn round_trips_across_reopen_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        assert_eq!(store.load().unwrap(), None);
        store.save(&sample()).unwrap();
        let mut newer = sample();
        newer.token = "tok-456".into();
        store.save(&newer).unwrap();
        drop(store);
        let mut store = open(dir.path());
        assert_eq!(store.load().unwrap(), Some(newer));
        store.clear().unwrap();
        assert_eq!(store.load().unwrap(), None);
    }

    #[test]
    fn unreadable_rows_count_as_nothing_reported() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        store.save(&sample()).unwrap();
        store
            .store
            .with_conn(|c| Ok(c.execute("UPDATE registration_reported SET channel = 'nokia'", [])?))
            .unwrap();
        assert_eq!(store.load().unwrap(), None);
        let mut huge = sample();
        huge.business_id = u64::MAX;
        assert!(store.save(&huge).is_err());
    }
}
