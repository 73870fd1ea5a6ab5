//! Bounded pruning, shared by every store table that keeps rows for a time
//! window (dedup marks, ledger rows): one rule, so the tables cannot drift.
//!
//! Three deletes, each at most [`BATCH`] rows so a prune never stalls a
//! caller for long, even after the cap was lowered or the app slept a week:
//! - rows older than the TTL;
//! - rows stamped more than the TTL *ahead* of now: the clock ran ahead when
//!   they were written (set by hand, network time arriving late), and kept
//!   they would outlive their window by as much as the clock was wrong
//!   (see `dedup`'s module doc for the full clock-jump rule);
//! - the oldest rows by insertion order beyond the row cap.

use rusqlite::{params, Connection};

/// At most this many rows go per statement.
pub const BATCH: i64 = 1000;

/// The three statements for one table; build with [`prune_sql!`].
pub struct PruneSql {
    pub expired: &'static str,
    pub ahead: &'static str,
    pub over_cap: &'static str,
}

/// The statements for `$table`, whose window is kept in column `$time` and
/// whose `id` is an `INTEGER PRIMARY KEY` (ids only grow, so the cap needs
/// no count: rows below the newest id minus the cap go).
macro_rules! prune_sql {
    ($table:literal, $time:literal) => {
        $crate::store::prune::PruneSql {
            expired: concat!(
                "DELETE FROM ",
                $table,
                " WHERE id IN (SELECT id FROM ",
                $table,
                " WHERE ",
                $time,
                " < ?1 ORDER BY ",
                $time,
                " LIMIT ?2)"
            ),
            ahead: concat!(
                "DELETE FROM ",
                $table,
                " WHERE id IN (SELECT id FROM ",
                $table,
                " WHERE ",
                $time,
                " > ?1 ORDER BY ",
                $time,
                " DESC LIMIT ?2)"
            ),
            over_cap: concat!(
                "DELETE FROM ",
                $table,
                " WHERE id <= min((SELECT max(id) FROM ",
                $table,
                ") - ?1, (SELECT min(id) FROM ",
                $table,
                ") + ?2)"
            ),
        }
    };
}
pub(crate) use prune_sql;

/// Runs the three deletes; returns how many rows went.
pub fn prune(
    conn: &Connection,
    sql: &PruneSql,
    now_ms: i64,
    ttl_seconds: u64,
    max_rows: u64,
) -> rusqlite::Result<u64> {
    let ttl_ms = seconds_to_ms(ttl_seconds);
    let (cutoff, future) = (now_ms.saturating_sub(ttl_ms), now_ms.saturating_add(ttl_ms));
    let cap = i64::try_from(max_rows).unwrap_or(i64::MAX);
    let expired = conn
        .prepare_cached(sql.expired)?
        .execute(params![cutoff, BATCH])?;
    let ahead = conn
        .prepare_cached(sql.ahead)?
        .execute(params![future, BATCH])?;
    let over_cap = conn
        .prepare_cached(sql.over_cap)?
        .execute(params![cap, BATCH])?;
    Ok((expired + ahead + over_cap) as u64)
}

pub fn seconds_to_ms(seconds: u64) -> i64 {
    i64::try_from(seconds.saturating_mul(1000)).unwrap_or(i64::MAX)
}
