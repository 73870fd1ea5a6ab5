//! The SQLite side of [`RegistrationStore`], in the core's database file.
//! The tables are created by the store's migration steps
//! (`store/migrations/0002_registration_reported.sql` for the last report,
//! `0003_registration_sequence.sql` for the sequence and the pending
//! clears): the store owns every schema step.

use super::store::{sequence_seed, PendingClear, RegistrationStore, ReportedToken};
use crate::channel::PushChannel;
use crate::error::{Error, Result};
use crate::store::Store;
use rusqlite::{params, OptionalExtension};
use std::sync::Arc;

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

    fn next_sequence(&mut self) -> Result<u64> {
        let seed = i64::try_from(sequence_seed()).unwrap_or(i64::MAX / 2);
        let next: i64 = self.store.with_conn(|conn| {
            Ok(conn.query_row(
                "INSERT INTO registration_sequence (id, last) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET last = last + 1
                 RETURNING last",
                params![seed],
                |r| r.get(0),
            )?)
        })?;
        u64::try_from(next)
            .map_err(|_| Error::from(crate::error::invalid_input("stored sequence is negative")))
    }

    fn pending_clears(&mut self) -> Result<Vec<PendingClear>> {
        let rows = self.store.with_conn(|conn| {
            let mut stmt = conn.prepare(
                "SELECT sequence, user_id, channel, attempts, login_since
                 FROM registration_pending_clear ORDER BY sequence",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })?;
        // A row this version cannot read is skipped: its clear is lost, as
        // it would be without a store.
        Ok(rows
            .into_iter()
            .filter_map(|(sequence, user_id, channel, attempts, login_since)| {
                Some(PendingClear {
                    sequence: u64::try_from(sequence).ok()?,
                    user_id,
                    channel: match channel {
                        Some(c) => Some(c.parse::<PushChannel>().ok()?),
                        None => None,
                    },
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                    login_since,
                })
            })
            .collect())
    }

    fn put_pending_clear(&mut self, clear: &PendingClear) -> Result<()> {
        let sequence = i64::try_from(clear.sequence)
            .map_err(|_| Error::from(crate::error::invalid_input("sequence exceeds i64")))?;
        self.store.with_conn(|conn| {
            conn.execute(
                "INSERT OR REPLACE INTO registration_pending_clear
                     (sequence, user_id, channel, attempts, login_since)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    sequence,
                    clear.user_id,
                    clear.channel.map(|c| c.as_str()),
                    clear.attempts,
                    clear.login_since
                ],
            )?;
            Ok(())
        })
    }

    fn remove_pending_clear(&mut self, sequence: u64) -> Result<()> {
        let Ok(sequence) = i64::try_from(sequence) else {
            return Ok(());
        };
        self.store.with_conn(|conn| {
            conn.execute(
                "DELETE FROM registration_pending_clear WHERE sequence = ?1",
                params![sequence],
            )?;
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

    fn pending(sequence: u64, channel: Option<PushChannel>) -> PendingClear {
        PendingClear {
            sequence,
            user_id: "alice".into(),
            channel,
            attempts: 0,
            login_since: false,
        }
    }

    #[test]
    fn the_sequence_only_grows_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        let first = store.next_sequence().unwrap();
        assert!(
            first >= sequence_seed() - 60_000_000,
            "seeded from the clock"
        );
        assert_eq!(store.next_sequence().unwrap(), first + 1);
        drop(store);
        let mut store = open(dir.path());
        assert_eq!(store.next_sequence().unwrap(), first + 2);
    }

    #[test]
    fn pending_clears_survive_reopen_in_order_and_are_removed_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        store.put_pending_clear(&pending(9, None)).unwrap();
        store
            .put_pending_clear(&pending(4, Some(PushChannel::Vivo)))
            .unwrap();
        let mut updated = pending(9, None);
        updated.attempts = 3;
        updated.login_since = true;
        store.put_pending_clear(&updated).unwrap();
        drop(store);
        let mut store = open(dir.path());
        assert_eq!(
            store.pending_clears().unwrap(),
            [pending(4, Some(PushChannel::Vivo)), updated]
        );
        store.remove_pending_clear(4).unwrap();
        store.remove_pending_clear(u64::MAX).unwrap();
        assert_eq!(store.pending_clears().unwrap().len(), 1);
    }

    /// The frozen schema-2 file (`store/fixtures/schema_v2.sql`) upgrades
    /// in place: its report reads back through the store, and the new
    /// tables work. (That every fixture ends at the latest version with a
    /// new database's exact schema is `store/schema_tests.rs`'s.)
    #[test]
    fn a_schema_2_file_upgrades_keeping_its_report() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(db::DB_FILE_NAME);
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(include_str!("../store/fixtures/schema_v2.sql"))
            .unwrap();
        let mut store = open(dir.path());
        let mut old = sample();
        old.token = "tok-v2".into();
        assert_eq!(store.load().unwrap(), Some(old));
        let first = store.next_sequence().unwrap();
        assert_eq!(store.next_sequence().unwrap(), first + 1);
        store.put_pending_clear(&pending(first, None)).unwrap();
        assert_eq!(store.pending_clears().unwrap().len(), 1);
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
