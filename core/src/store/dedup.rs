//! "Has this message already been shown / handled?", answered exactly once
//! per key and kind, across threads and processes sharing the file.
//!
//! The answer is one upsert: it inserts the key, or replaces a row whose
//! memory has lapsed (older than the TTL, or than the digest window for
//! `digest:` keys), or changes nothing. One changed row means fresh. SQLite
//! runs the statement under the file's write lock, so two racing callers
//! (threads or processes) cannot both see a change. When the statement
//! returns, the row is committed (autocommit, WAL): a caller acting on
//! "fresh" never finds the key forgotten after a crash.
//!
//! Clocks jump (set by hand, network time arriving late), and a row
//! stamped while the clock ran ahead would otherwise be remembered until
//! the clock caught up with it: a day ahead, a 120 s digest window lasted a
//! day. The rule: a row stamped more than its memory (TTL, or the digest
//! window) ahead of now cannot be trusted and counts as lapsed, so it is
//! replaced by the next sighting and pruned like an expired one. A row
//! stamped less than its memory ahead still counts (so two callers whose
//! clock readings differ slightly still see one answer each way); it is
//! remembered at most twice its memory in real time. A clock that jumps
//! back by more than the memory can thus make a message fresh twice:
//! showing it twice is the lesser harm than swallowing it.

use super::dedup_key::DIGEST_PREFIX;
use super::prune::{prune, prune_sql, seconds_to_ms, PruneSql};
use super::Store;
use crate::config::DedupSettings;
use crate::error::{invalid_input, Error, PushError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// What is being deduplicated; each kind has its own key space, so showing
/// a message does not make its tap a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum DedupKind {
    Displayed,
    Clicked,
}

impl DedupKind {
    fn code(self) -> i64 {
        match self {
            DedupKind::Displayed => 1,
            DedupKind::Clicked => 2,
        }
    }

    pub fn parse(name: &str) -> Option<DedupKind> {
        match name {
            "displayed" => Some(DedupKind::Displayed),
            "clicked" => Some(DedupKind::Clicked),
            _ => None,
        }
    }
}

/// The answer for one key.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DedupOutcome {
    /// First sighting: go ahead (show it, handle the tap).
    Fresh,
    /// Seen before, at `first_seen_ms` (Unix ms) via `source`.
    Duplicate { first_seen_ms: i64, source: String },
}

/// Keys longer than this are refused: ids are short, and a huge key is a
/// caller bug that would otherwise bloat the file.
pub const MAX_KEY_BYTES: usize = 512;
pub const MAX_SOURCE_BYTES: usize = 64;

/// Pruning runs after this many fresh inserts, so its cost is spread thin.
const PRUNE_EVERY: u32 = 64;
const UPSERT: &str = "INSERT INTO dedup_seen(kind, key, first_seen_ms, source) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT(kind, key) DO UPDATE SET first_seen_ms = excluded.first_seen_ms, source = excluded.source
     WHERE first_seen_ms < ?5 OR first_seen_ms > ?6";
const LOOKUP: &str = "SELECT first_seen_ms, source FROM dedup_seen WHERE kind = ?1 AND key = ?2";
const PRUNE: PruneSql = prune_sql!("dedup_seen", "first_seen_ms");

/// Row count and disk use, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DedupStats {
    pub row_count: u64,
    /// The database file plus its write-ahead log.
    pub file_size_bytes: u64,
}

pub struct Dedup {
    store: Arc<Store>,
    settings: DedupSettings,
    fresh_since_prune: AtomicU32,
}

impl Dedup {
    pub fn new(store: Arc<Store>, settings: DedupSettings) -> Dedup {
        Dedup {
            store,
            settings,
            fresh_since_prune: AtomicU32::new(0),
        }
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Whether a sighting of `key` stamped at `stamped_ms` still counts now
    /// (the module doc's memory and clock-jump rule): what a row stamped
    /// then would answer. Lets a caller that already read proof of a
    /// sighting (the ledger's row) skip the write.
    pub fn remembers(&self, key: &str, stamped_ms: i64) -> bool {
        let (forget_before, distrust_after) = self.window(key, self.store.clock().now_ms());
        (forget_before..=distrust_after).contains(&stamped_ms)
    }

    /// The stamps that still count for `key` now: not older than its
    /// memory, not further ahead than it.
    fn window(&self, key: &str, now: i64) -> (i64, i64) {
        let memory_ms = if key.starts_with(DIGEST_PREFIX) {
            seconds_to_ms(self.settings.digest_window_seconds)
        } else {
            seconds_to_ms(self.settings.ttl_seconds)
        };
        (now.saturating_sub(memory_ms), now.saturating_add(memory_ms))
    }

    /// Records `key` for `kind` and says whether it was new. `source` (e.g.
    /// "online", "fcm", "xiaomi", "tap") is kept with the first sighting.
    pub fn check_and_mark(&self, key: &str, kind: DedupKind, source: &str) -> Result<DedupOutcome> {
        validate(key, source)?;
        let now = self.store.clock().now_ms();
        let (forget_before, distrust_after) = self.window(key, now);
        let outcome = self.store.with_conn(|conn| {
            let changed = conn.prepare_cached(UPSERT)?.execute(params![
                kind.code(),
                key,
                now,
                source,
                forget_before,
                distrust_after
            ])?;
            if changed == 1 {
                return Ok(DedupOutcome::Fresh);
            }
            let seen = conn
                .prepare_cached(LOOKUP)?
                .query_row(params![kind.code(), key], |r| {
                    Ok(DedupOutcome::Duplicate {
                        first_seen_ms: r.get(0)?,
                        source: r.get(1)?,
                    })
                })
                .optional()?;
            // Another process pruned the row between the two statements:
            // it was at the end of its life; the key still was not new.
            Ok(seen.unwrap_or(DedupOutcome::Duplicate {
                first_seen_ms: forget_before,
                source: String::new(),
            }))
        })?;
        if outcome == DedupOutcome::Fresh {
            let count = self.fresh_since_prune.fetch_add(1, Ordering::Relaxed) + 1;
            if count >= PRUNE_EVERY {
                self.fresh_since_prune.store(0, Ordering::Relaxed);
                // The answer is already committed; a failed prune is retried
                // next time and must not turn a good answer into an error.
                if let Err(e) = self.prune() {
                    log::warn!(target: "pushcore::dedup", "pruning failed: {e}");
                }
            }
        }
        Ok(outcome)
    }

    /// Drops expired rows, rows stamped too far ahead of now, and rows over
    /// the cap, in bounded batches (see `store::prune`). Returns how many went.
    pub fn prune(&self) -> Result<u64> {
        let now = self.store.clock().now_ms();
        let s = &self.settings;
        self.store
            .with_conn(|conn| Ok(prune(conn, &PRUNE, now, s.ttl_seconds, s.max_rows)?))
    }

    pub fn stats(&self) -> Result<DedupStats> {
        let row_count = self.store.with_conn(count_rows)?;
        let size = |suffix: &str| {
            let mut name = self.store.path().as_os_str().to_owned();
            name.push(suffix);
            std::fs::metadata(name).map(|m| m.len()).unwrap_or(0)
        };
        Ok(DedupStats {
            row_count,
            file_size_bytes: size("") + size("-wal"),
        })
    }
}

fn count_rows(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT count(*) FROM dedup_seen", [], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

fn validate(key: &str, source: &str) -> Result<()> {
    if key.is_empty() {
        return Err(invalid_input("dedup key must not be empty").into());
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(Error::Public(PushError::TooLarge {
            reason: format!(
                "dedup key is {} bytes; the limit is {MAX_KEY_BYTES}",
                key.len()
            ),
        }));
    }
    if source.len() > MAX_SOURCE_BYTES {
        return Err(Error::Public(PushError::TooLarge {
            reason: format!(
                "dedup source is {} bytes; the limit is {MAX_SOURCE_BYTES}",
                source.len()
            ),
        }));
    }
    Ok(())
}
