//! The ledger's schema step (`store/migrations/0004_ledger.sql`), applied
//! by the store's migrations (`store::db::MIGRATIONS`). Its place in the
//! list can change at a merge without touching the SQL; once shipped, never
//! edit it: add a step.

/// One row per message the device showed (or learnt was recalled before it
/// arrived), and at most one row for the logged-in account.
///
/// - `message_key` is the message's dedup key (bounded), unique: recall
///   and replace find the row by it, and a recall that arrives first leaves
///   a `recalled` row that suppresses the late delivery.
/// - `state`: 1 shown, 2 clicked, 3 cleared (read elsewhere or swiped
///   away), 4 recalled. The badge counts `shown` rows of the account.
/// - `message_ms`: the message's send time (else when it was shown), what
///   "read up to" compares with.
/// - `account`: the receiver digest of the account logged in when it was
///   shown ('' when the core did not know). No user id is stored in clear.
/// - `ledger_account`: no row = never told (the guard is off); a row with
///   NULL = logged out; else the logged-in account's digest.
/// - `ledger_unread`: the badge per account, kept by triggers in the same
///   transaction as every change, so reading the badge is one lookup
///   however many rows are shown (counting 10,000 shown rows took ~1 ms).
pub const SCHEMA: &str = include_str!("../migrations/0004_ledger.sql");

/// The step's name in logs and errors.
pub const NAME: &str = "ledger: shown notifications, their state and the logged-in account";

#[cfg(test)]
mod tests {
    use crate::store::db::{self, latest_version, MIGRATIONS};
    use crate::store::{Store, SystemClock};
    use rusqlite::Connection;
    use std::sync::Arc;

    /// The schema as shipped before the ledger (version 2: dedup and the
    /// reported token, one row each), frozen: it is what users' files hold.
    const SCHEMA_V2: &str = include_str!("../fixtures/schema_v2.sql");

    /// Every object's SQL, whitespace collapsed (the frozen fixture is
    /// formatted apart from the step that wrote it).
    fn schema_of(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                let sql: String = r.get(1)?;
                Ok((
                    r.get(0)?,
                    sql.split_whitespace().collect::<Vec<_>>().join(" "),
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        rows
    }

    #[test]
    fn the_ledger_step_is_the_last_and_named() {
        let step = MIGRATIONS.last().unwrap();
        assert_eq!(step.name, super::NAME);
        assert_eq!(step.sql, super::SCHEMA);
    }

    #[test]
    fn a_version_2_file_upgrades_through_every_step_keeping_its_rows_and_equals_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.db");
        {
            let conn = Connection::open(&old).unwrap();
            conn.execute_batch(SCHEMA_V2).unwrap();
        }
        let store = Store::open(&old, Arc::new(SystemClock)).unwrap();
        let (rows, upgraded) = store
            .with_conn(|conn| {
                let rows: i64 = conn.query_row(
                    "SELECT (SELECT count(*) FROM dedup_seen) + (SELECT count(*) FROM registration_reported)",
                    [],
                    |r| r.get(0),
                )?;
                Ok((rows, schema_of(conn)))
            })
            .unwrap();
        assert_eq!(rows, 2, "the old rows survive the upgrade");
        let version: u32 = Connection::open(&old)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, latest_version());

        let new = dir.path().join(db::DB_FILE_NAME);
        let fresh = Store::open(&new, Arc::new(SystemClock)).unwrap();
        let created = fresh.with_conn(|conn| Ok(schema_of(conn))).unwrap();
        assert_eq!(upgraded, created, "a migrated file equals a new one");
        assert!(created.iter().any(|(name, _)| name == "ledger_shown"));
    }
}
