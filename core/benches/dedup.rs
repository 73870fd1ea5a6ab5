//! Dedup store speed on a table of 100,000 rows (issue 4 targets: median
//! check_and_mark < 25 µs and within 1.5x of a bare rusqlite
//! `INSERT OR IGNORE` loop with the same pragmas; opening an existing store
//! < 5 ms). Run: `cargo bench -p pushcore --bench dedup`; medians are in
//! target/criterion/<group>/<bench>/new/estimates.json.

use criterion::{criterion_group, criterion_main, Criterion};
use pushcore::config::DedupSettings;
use pushcore::store::db::{self, MIGRATIONS};
use pushcore::store::dedup::{Dedup, DedupKind};
use pushcore::store::{Clock, Store, SystemClock};
use rusqlite::{params, Connection};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const ROWS: i64 = 100_000;

/// 100,000 rows of realistic-looking keys, inserted in one transaction.
fn fill(conn: &Connection) {
    conn.execute_batch("BEGIN").unwrap();
    {
        let mut insert = conn
            .prepare("INSERT INTO dedup_seen(kind, key, first_seen_ms, source) VALUES (1, ?1, ?2, 'fcm')")
            .unwrap();
        let now = SystemClock.now_ms();
        for i in 0..ROWS {
            insert
                .execute(params![format!("im:144115{i:011}"), now - ROWS + i])
                .unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
}

fn settings() -> DedupSettings {
    // A cap above the table size, so the table really holds 100,000 rows.
    DedupSettings {
        max_rows: 10_000_000,
        ..DedupSettings::default()
    }
}

fn open_store(path: &Path) -> Dedup {
    let store = Arc::new(Store::open(path, Arc::new(SystemClock)).unwrap());
    Dedup::new(store, settings())
}

/// The baseline: the same file layout and pragmas, no store around it.
fn bare_connection(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.busy_timeout(db::BUSY_TIMEOUT).unwrap();
    db::configure(&conn).unwrap();
    for step in MIGRATIONS {
        conn.execute_batch(step.sql).unwrap();
    }
    conn
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();

    let store_path = dir.path().join("store.db");
    let dedup = open_store(&store_path);
    dedup
        .store()
        .with_conn(|conn| {
            fill(conn);
            Ok(())
        })
        .unwrap();

    let bare_path = dir.path().join("bare.db");
    let bare = bare_connection(&bare_path);
    fill(&bare);

    let mut group = c.benchmark_group("dedup_100k");
    group.measurement_time(Duration::from_secs(5));

    let mut n = 0u64;
    group.bench_function("check_and_mark_fresh", |b| {
        b.iter(|| {
            n += 1;
            let key = format!("im:bench{n}");
            black_box(
                dedup
                    .check_and_mark(&key, DedupKind::Displayed, "fcm")
                    .unwrap(),
            )
        })
    });

    let mut m = 0u64;
    group.bench_function("bare_insert_or_ignore", |b| {
        b.iter(|| {
            m += 1;
            let key = format!("im:bench{m}");
            let mut stmt = bare
                .prepare_cached(
                    "INSERT OR IGNORE INTO dedup_seen(kind, key, first_seen_ms, source) VALUES (?1, ?2, ?3, ?4)",
                )
                .unwrap();
            black_box(stmt.execute(params![1, key, SystemClock.now_ms(), "fcm"]).unwrap())
        })
    });

    let mut d = 0i64;
    group.bench_function("check_and_mark_duplicate", |b| {
        b.iter(|| {
            d = (d + 7919) % ROWS;
            let key = format!("im:144115{d:011}");
            black_box(
                dedup
                    .check_and_mark(&key, DedupKind::Displayed, "fcm")
                    .unwrap(),
            )
        })
    });

    // An app start: the file exists and no other connection has it open.
    drop(dedup);
    group.bench_function("open_existing_store", |b| {
        b.iter_with_large_drop(|| Store::open(&store_path, Arc::new(SystemClock)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
