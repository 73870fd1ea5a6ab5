//! Two processes and a corrupt file: when one process moves the corrupt
//! database aside and recreates it, another process that still has the old
//! file open notices on its next call and reopens the path, so both keep
//! deduplicating in one file (core/src/store/mod.rs, docs/storage.md).
#![cfg(unix)]

mod common;

use pushcore::store::{Store, SystemClock};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::FileExt;
use std::process::{Command, Stdio};
use std::sync::Arc;

#[test]
fn a_process_with_the_file_open_follows_when_another_moves_it_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let db = db.to_str().unwrap();

    // The long-lived process: one key per line in, one answer per line out.
    let mut long_lived = Command::new(env!("CARGO_BIN_EXE_pushcore"))
        .args(["dedup", "--db", db])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut to_it = long_lived.stdin.take().unwrap();
    let mut from_it = BufReader::new(long_lived.stdout.take().unwrap());
    let mut ask = |key: &str| {
        writeln!(to_it, "{key}").unwrap();
        to_it.flush().unwrap();
        let mut answer = String::new();
        from_it.read_line(&mut answer).unwrap();
        answer
    };
    assert_eq!(ask("im:1"), "im:1\tfresh\n");

    // Everything goes into the main file (so no newer copy of its first
    // page waits in the write-ahead log), then its header is damaged in
    // place, under the open connection.
    let store = Store::open(db, Arc::new(SystemClock)).unwrap();
    let checkpoint = store.with_conn(|conn| {
        Ok(conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })?)
    });
    assert_eq!(checkpoint.unwrap(), 0, "the checkpoint was blocked");
    drop(store);
    let file = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    file.write_all_at(&[0xff; 100], 0).unwrap();
    drop(file);

    // A second process finds it corrupt, moves it aside and starts afresh.
    let out = common::pushcore(&["dedup", "--db", db, "im:2"], b"");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "im:2\tfresh\n",
        "{out:?}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("store_recreated"),
        "{out:?}"
    );

    // The first process now answers from the new file...
    assert_eq!(ask("im:2"), "im:2\tduplicate\n");
    assert_eq!(ask("im:3"), "im:3\tfresh\n");
    // ...and writes to it, not to the moved one.
    let out = common::pushcore(&["dedup", "--db", db, "im:3"], b"");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "im:3\tduplicate\n",
        "{out:?}"
    );

    drop(to_it);
    let out = long_lived.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
}
