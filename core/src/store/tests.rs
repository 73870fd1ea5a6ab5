//! Store tests: schema, recovery, permissions, dedup semantics, retention
//! and concurrency, on real files in temporary directories.

use super::db::{self, DB_FILE_NAME};
use super::dedup::{Dedup, DedupKind, DedupOutcome};
use super::{Clock, Store};
use crate::config::DedupSettings;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

const T0: i64 = 1_750_000_000_000;

struct FakeClock(AtomicI64);

impl FakeClock {
    fn at(ms: i64) -> Arc<FakeClock> {
        Arc::new(FakeClock(AtomicI64::new(ms)))
    }
    fn advance_s(&self, seconds: i64) {
        self.0.fetch_add(seconds * 1000, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

fn db_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join(DB_FILE_NAME)
}

fn dedup_with(path: &Path, clock: Arc<FakeClock>, settings: DedupSettings) -> Dedup {
    Dedup::new(Arc::new(Store::new(path, clock)), settings)
}

fn dedup(path: &Path, clock: Arc<FakeClock>) -> Dedup {
    dedup_with(path, clock, DedupSettings::default())
}

fn fresh(d: &Dedup, key: &str, kind: DedupKind) -> bool {
    d.check_and_mark(key, kind, "test").unwrap() == DedupOutcome::Fresh
}

fn version(path: &Path) -> u32 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

// ---- schema, recovery, permissions ----

#[test]
fn a_new_file_gets_the_latest_schema_wal_and_owner_only_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let d = dedup(&path, FakeClock::at(T0));
    assert!(fresh(&d, "im:1", DedupKind::Displayed));
    assert_eq!(version(&path), db::latest_version());
    let mode: String = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
    assert!(d.store().events().is_empty());
}

#[test]
fn cached_statements_keep_one_plan_whatever_is_bound() {
    // Without the planner stability guarantee a statement with `LIMIT ?`
    // or `?n IS NULL` was re-prepared on every run (docs/performance.md).
    let dir = tempfile::tempdir().unwrap();
    let d = dedup(&db_path(&dir), FakeClock::at(T0));
    let qpsg = d
        .store()
        .with_conn(|conn| {
            Ok(conn.db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)?)
        })
        .unwrap();
    assert!(qpsg);
}

#[cfg(unix)]
#[test]
fn an_existing_file_readable_by_others_is_made_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    std::fs::write(&path, b"").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open(&path, FakeClock::at(T0)).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// Schema 0 as a hypothetical older build wrote it: the file existed (an
/// earlier module stored nothing yet) with user_version 0 and no tables; and
/// the frozen schema 1 with data, which dedup must still read, with no
/// recovery event. (Every fixture's upgrade to a new database's exact
/// schema is `schema_tests.rs`'s.)
#[test]
fn files_from_older_schemas_are_migrated_in_place_keeping_their_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("fixtures/schema_v1.sql"))
            .unwrap();
    }
    let d = dedup(&path, FakeClock::at(T0));
    assert_eq!(
        d.check_and_mark("im:old", DedupKind::Displayed, "online")
            .unwrap(),
        DedupOutcome::Duplicate {
            first_seen_ms: 1_749_999_999_000,
            source: "fcm".into()
        }
    );
    assert!(d.store().events().is_empty());

    let empty = dir.path().join("empty.db");
    Connection::open(&empty)
        .unwrap()
        .execute_batch("PRAGMA user_version = 0")
        .unwrap();
    let d = dedup(&empty, FakeClock::at(T0));
    assert!(fresh(&d, "im:1", DedupKind::Displayed));
    assert_eq!(version(&empty), db::latest_version());
    assert!(d.store().events().is_empty());
}

#[test]
fn unusable_files_are_moved_aside_recreated_and_reported() {
    type MakeFile = fn(&Path);
    let cases: [(&str, MakeFile); 4] = [
        ("garbage bytes", |p| {
            std::fs::write(p, vec![0x5a; 8192]).unwrap()
        }),
        ("foreign database", |p| {
            Connection::open(p)
                .unwrap()
                .execute_batch(
                    "CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('x');",
                )
                .unwrap()
        }),
        ("newer schema", |p| {
            Connection::open(p)
                .unwrap()
                .execute_batch("CREATE TABLE dedup_seen(x); PRAGMA user_version = 999;")
                .unwrap()
        }),
        ("known version, missing table", |p| {
            Connection::open(p)
                .unwrap()
                .execute_batch("CREATE TABLE other(x); PRAGMA user_version = 1;")
                .unwrap()
        }),
    ];
    for (name, make) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = db_path(&dir);
        make(&path);
        let original = std::fs::read(&path).unwrap();
        let d = dedup(&path, FakeClock::at(T0));
        assert!(fresh(&d, "im:1", DedupKind::Displayed), "{name}");
        let events = d.store().events();
        assert_eq!(events.len(), 1, "{name}: {events:?}");
        assert_eq!(events[0].at_ms, T0);
        assert!(
            events[0].moved_to.ends_with(&format!(".broken-{T0}")),
            "{name}"
        );
        assert!(
            std::fs::read(&events[0].moved_to).unwrap() == original,
            "{name}: the moved file must be the untouched original"
        );
        assert_eq!(version(&path), db::latest_version(), "{name}");
        assert!(!fresh(&d, "im:1", DedupKind::Displayed), "{name}");
    }
}

#[test]
fn corruption_found_while_running_is_recovered_from_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let d = dedup(&path, FakeClock::at(T0));
    assert!(fresh(&d, "im:1", DedupKind::Displayed));
    // Let the store fail as it would on a corrupt page.
    let calls = std::sync::atomic::AtomicU32::new(0);
    let got = d.store().with_conn(|_| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                None,
            )
            .into())
        } else {
            Ok(7)
        }
    });
    assert_eq!(got.unwrap(), 7);
    assert_eq!(d.store().events().len(), 1);
    assert!(
        fresh(&d, "im:1", DedupKind::Displayed),
        "history went with the file"
    );
}

/// The tests may run as root, which ignores mode bits, so the unusable
/// locations are ones no user can write a file at.
#[test]
fn an_unusable_location_is_a_clear_storage_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, b"x").unwrap();
    let a_dir = dir.path().join("dir.db");
    std::fs::create_dir(&a_dir).unwrap();
    for path in [not_a_dir.join(DB_FILE_NAME), a_dir] {
        let d = dedup(&path, FakeClock::at(T0));
        let err = crate::PushError::from(
            d.check_and_mark("im:1", DedupKind::Displayed, "t")
                .unwrap_err(),
        );
        assert_eq!(err.code(), "storage");
        assert!(err.message().contains(&path.display().to_string()), "{err}");
        assert!(d.store().events().is_empty(), "nothing to move aside");
    }
}

// ---- dedup semantics ----

#[test]
fn fresh_once_then_duplicate_with_first_time_and_source_per_kind() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(T0);
    let d = dedup(&db_path(&dir), clock.clone());
    assert_eq!(
        d.check_and_mark("im:9", DedupKind::Displayed, "online")
            .unwrap(),
        DedupOutcome::Fresh
    );
    clock.advance_s(5);
    let dup = DedupOutcome::Duplicate {
        first_seen_ms: T0,
        source: "online".into(),
    };
    assert_eq!(
        d.check_and_mark("im:9", DedupKind::Displayed, "fcm")
            .unwrap(),
        dup
    );
    assert_eq!(
        d.check_and_mark("im:9", DedupKind::Displayed, "xiaomi")
            .unwrap(),
        dup
    );
    // Kinds are independent: being shown does not make the tap a duplicate.
    assert_eq!(
        d.check_and_mark("im:9", DedupKind::Clicked, "tap").unwrap(),
        DedupOutcome::Fresh
    );
    assert!(!fresh(&d, "im:9", DedupKind::Clicked));
    assert!(fresh(&d, "im:10", DedupKind::Displayed));
}

#[test]
fn invalid_keys_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dedup(&db_path(&dir), FakeClock::at(T0));
    let code = |key: &str, source: &str| {
        crate::PushError::from(
            d.check_and_mark(key, DedupKind::Displayed, source)
                .unwrap_err(),
        )
        .code()
    };
    assert_eq!(code("", "t"), "invalid_input");
    assert_eq!(code(&"k".repeat(513), "t"), "too_large");
    assert_eq!(code("k", &"s".repeat(65)), "too_large");
    assert!(fresh(&d, &"k".repeat(512), DedupKind::Displayed));
}

#[test]
fn ttl_edges_expired_keys_are_fresh_again() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(T0);
    let settings = DedupSettings {
        ttl_seconds: 100,
        ..Default::default()
    };
    let d = dedup_with(&db_path(&dir), clock.clone(), settings);
    assert!(fresh(&d, "im:1", DedupKind::Displayed));
    clock.advance_s(100);
    // Exactly at the TTL the row is still remembered...
    assert!(!fresh(&d, "im:1", DedupKind::Displayed));
    clock.0.fetch_add(1, Ordering::SeqCst);
    // ...one millisecond later it is not, even before any prune ran.
    assert!(fresh(&d, "im:1", DedupKind::Displayed));
    assert_eq!(
        d.check_and_mark("im:1", DedupKind::Displayed, "x").unwrap(),
        DedupOutcome::Duplicate {
            first_seen_ms: T0 + 100_001,
            source: "test".into()
        }
    );
}

#[test]
fn digest_keys_only_match_within_their_window() {
    use super::dedup_key::{derive_key, MessageFields};
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(T0);
    let d = dedup(&db_path(&dir), clock.clone()); // window 120 s
    let msg = |content: &str, send_time_s: u64| {
        derive_key(&MessageFields {
            sender: "alice".into(),
            chat_type: 1,
            content: content.into(),
            send_time_s,
            ..Default::default()
        })
    };
    let ok = msg("ok", 0);
    assert!(fresh(&d, &ok, DedupKind::Displayed));
    clock.advance_s(120);
    assert!(
        !fresh(&d, &ok, DedupKind::Displayed),
        "same message at the window's end"
    );
    clock.0.fetch_add(1, Ordering::SeqCst);
    assert!(
        fresh(&d, &ok, DedupKind::Displayed),
        "the same text later is a new message"
    );
    // With send times, identical texts sent a second apart stay distinct
    // even inside the window; the same send time arriving twice collapses.
    assert!(fresh(&d, &msg("ok", 1_750_000_000), DedupKind::Displayed));
    assert!(fresh(&d, &msg("ok", 1_750_000_001), DedupKind::Displayed));
    assert!(!fresh(&d, &msg("ok", 1_750_000_001), DedupKind::Displayed));
    // Non-digest keys keep the full TTL.
    assert!(fresh(&d, "im:1", DedupKind::Displayed));
    clock.advance_s(3600);
    assert!(!fresh(&d, "im:1", DedupKind::Displayed));
}

#[test]
fn the_cap_evicts_oldest_first_and_pruning_is_amortized() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(T0);
    let settings = DedupSettings {
        max_rows: 100,
        ..Default::default()
    };
    let d = dedup_with(&db_path(&dir), clock.clone(), settings);
    for i in 0..300 {
        assert!(fresh(&d, &format!("im:{i}"), DedupKind::Displayed));
        clock.0.fetch_add(1, Ordering::SeqCst);
    }
    // Pruned every 64 fresh inserts: never more than cap + 63 rows.
    let rows = d.stats().unwrap().row_count;
    assert!((100..=163).contains(&rows), "{rows}");
    d.prune().unwrap();
    assert_eq!(d.stats().unwrap().row_count, 100);
    assert!(fresh(&d, "im:199", DedupKind::Clicked));
    assert!(!fresh(&d, "im:299", DedupKind::Displayed), "newest kept");
    assert!(!fresh(&d, "im:201", DedupKind::Displayed), "newest kept");
    assert!(fresh(&d, "im:0", DedupKind::Displayed), "oldest evicted");
}

#[test]
fn ttl_pruning_deletes_only_expired_rows() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(T0);
    let settings = DedupSettings {
        ttl_seconds: 10,
        ..Default::default()
    };
    let d = dedup_with(&db_path(&dir), clock.clone(), settings);
    for i in 0..5 {
        assert!(fresh(&d, &format!("im:old{i}"), DedupKind::Displayed));
    }
    clock.advance_s(10);
    assert!(fresh(&d, "im:new", DedupKind::Displayed));
    assert_eq!(d.prune().unwrap(), 0, "exactly at the TTL nothing expires");
    clock.0.fetch_add(1, Ordering::SeqCst);
    assert_eq!(d.prune().unwrap(), 5);
    assert_eq!(d.stats().unwrap().row_count, 1);
}

#[test]
fn stats_report_rows_and_file_size() {
    let dir = tempfile::tempdir().unwrap();
    let d = dedup(&db_path(&dir), FakeClock::at(T0));
    for i in 0..10 {
        assert!(fresh(&d, &format!("im:{i}"), DedupKind::Displayed));
    }
    let stats = d.stats().unwrap();
    assert_eq!(stats.row_count, 10);
    assert!(stats.file_size_bytes >= 4096, "{stats:?}");
}

#[test]
fn eight_threads_over_overlapping_keys_see_each_key_fresh_exactly_once() {
    const KEYS: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let settings = DedupSettings {
        max_rows: 100_000,
        ..Default::default()
    };
    let d = Arc::new(dedup_with(&db_path(&dir), FakeClock::at(T0), settings));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let d = d.clone();
            std::thread::spawn(move || {
                // Each thread walks all keys from a different starting point.
                (0..KEYS)
                    .map(|i| (i + t * KEYS / 8) % KEYS)
                    .filter(|i| fresh(&d, &format!("im:{i}"), DedupKind::Displayed))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut counts = vec![0u32; KEYS];
    for t in threads {
        for i in t.join().unwrap() {
            counts[i] += 1;
        }
    }
    let wrong: Vec<_> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != 1)
        .collect();
    assert!(
        wrong.is_empty(),
        "keys not fresh exactly once: {:?}",
        &wrong[..wrong.len().min(10)]
    );
    assert_eq!(d.stats().unwrap().row_count, KEYS as u64);
}
