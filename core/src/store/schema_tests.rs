//! The store's schema history as checks: every shipped step keeps its text
//! (a hash per step), every shipped schema is frozen as a fixture and
//! upgrades to the latest keeping its rows, and an upgraded file has
//! exactly the schema of a new one.

use super::db::{self, DB_FILE_NAME, MIGRATIONS};
use super::SystemClock;
use rusqlite::Connection;
use std::path::Path;

/// FNV-1a hashes of the shipped steps' text, in order. A failing entry
/// means a shipped step was edited: undo that and add a new step instead.
/// A new step gets its hash here in the change that ships it.
const SHIPPED_STEP_HASHES: &[(&str, u64)] = &[
    ("0001_dedup_seen.sql", 0x4628_c401_5a93_beb4),
    ("0002_registration_reported.sql", 0x56e8_d170_6ada_a62a),
    ("0003_registration_sequence.sql", 0xe242_3c3c_0a3c_6909),
    ("0004_ledger.sql", 0x0466_d788_fa93_cdab),
    ("0005_conversations.sql", 0x7fe1_1ee7_47bd_7a73),
];

/// The database each shipped schema wrote, with rows in its tables.
const FIXTURES: &[(u32, &str)] = &[
    (1, include_str!("fixtures/schema_v1.sql")),
    (2, include_str!("fixtures/schema_v2.sql")),
    (3, include_str!("fixtures/schema_v3.sql")),
    (4, include_str!("fixtures/schema_v4.sql")),
    (5, include_str!("fixtures/schema_v5.sql")),
];

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every schema object with its SQL, whitespace collapsed: what "the same
/// schema" means.
fn schema(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            let sql: String = r.get(3)?;
            let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            Ok(format!(
                "{} {} {}: {sql}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?
            ))
        })
        .unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

fn open(path: &Path) -> Connection {
    let (conn, events) = db::open(path, &SystemClock).unwrap();
    assert!(events.is_empty(), "{events:?}");
    conn
}

fn user_version(conn: &Connection) -> u32 {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn no_shipped_migration_step_was_edited() {
    assert_eq!(
        MIGRATIONS.len(),
        SHIPPED_STEP_HASHES.len(),
        "every step in MIGRATIONS needs its hash in SHIPPED_STEP_HASHES"
    );
    for (step, (file, hash)) in MIGRATIONS.iter().zip(SHIPPED_STEP_HASHES) {
        assert_eq!(
            fnv1a(step.sql),
            *hash,
            "migrations/{file} ({}) changed after shipping: add a new step instead",
            step.name
        );
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/migrations");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: Vec<String> = SHIPPED_STEP_HASHES
        .iter()
        .map(|(f, _)| f.to_string())
        .collect();
    assert_eq!(files, listed, "one file per step, numbered in order");
    for (i, file) in files.iter().enumerate() {
        assert!(file.starts_with(&format!("{:04}_", i + 1)), "{file}");
    }
}

#[test]
fn the_edit_check_notices_a_one_character_change() {
    let step = MIGRATIONS[0].sql;
    assert_ne!(
        fnv1a(step),
        fnv1a(&step.replacen("NOT NULL", "NOT  NULL", 1))
    );
}

#[test]
fn every_shipped_schema_has_a_frozen_fixture() {
    let versions: Vec<u32> = FIXTURES.iter().map(|(v, _)| *v).collect();
    let shipped: Vec<u32> = (1..=db::latest_version()).collect();
    assert_eq!(
        versions, shipped,
        "freeze each shipped schema in store/fixtures/"
    );
}

#[test]
fn every_frozen_schema_upgrades_to_exactly_a_new_database_keeping_its_rows() {
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = open(&fresh_dir.path().join(DB_FILE_NAME));
    let new_schema = schema(&fresh);
    for (version, fixture) in FIXTURES {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE_NAME);
        let old = Connection::open(&path).unwrap();
        old.execute_batch(fixture).unwrap();
        assert_eq!(user_version(&old), *version, "fixture v{version}");
        drop(old);

        let upgraded = open(&path);
        assert_eq!(
            user_version(&upgraded),
            db::latest_version(),
            "from v{version}"
        );
        assert_eq!(schema(&upgraded), new_schema, "from v{version}");
        let kept: String = upgraded
            .query_row(
                "SELECT source FROM dedup_seen WHERE key = 'im:old'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, "fcm", "from v{version}");
        if *version >= 2 {
            let user: String = upgraded
                .query_row("SELECT user_id FROM registration_reported", [], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(user, "alice", "from v{version}");
        }
        if *version >= 4 {
            // Shown rows of a ledger written before conversations count in
            // their conversation from the upgrade on.
            let shown: i64 = upgraded
                .query_row(
                    "SELECT shown FROM ledger_conversation_unread WHERE conversation = 'c2c_bob'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(shown, if *version == 4 { 1 } else { 2 }, "from v{version}");
        }
    }
}
