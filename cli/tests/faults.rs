//! A full disk under the dedup store, through the built binary.
//!
//! A full disk cannot be made on demand here (no root-free tiny filesystem),
//! so the process runs under a file size limit of zero (`ulimit -f 0`, with
//! SIGXFSZ ignored): every write that would grow a file fails, as on a full
//! disk, with EFBIG where a full disk gives ENOSPC. Pipes are not files, so
//! the answers still reach the test. Other storage faults live elsewhere:
//! killed writers and corrupt files in cli/tests/dedup.rs and
//! core/src/store/tests.rs, a directory nobody may write in
//! core/tests/storage_faults.rs.
#![cfg(unix)]

mod common;

use std::io::Write;
use std::process::Output;

/// Runs the binary under `sh` with no room to grow any file.
fn pushcore_on_full_disk(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = common::spawn_under_limits("trap '' XFSZ; ulimit -f 0", args);
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn pushcore(args: &[&str]) -> Output {
    common::pushcore(args, b"")
}

fn storage_error(out: &Output, path: &str) {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let err: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|e| panic!("stderr is not one JSON error ({e}): {out:?}"));
    assert_eq!(err["error"], "storage", "{err}");
    assert!(err["message"].as_str().unwrap().contains(path), "{err}");
}

#[test]
fn a_full_disk_is_a_storage_error_and_parsing_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let new_db = dir.path().join("new.db");
    let new_db = new_db.to_str().unwrap();
    storage_error(
        &pushcore_on_full_disk(&["dedup", "--db", new_db, "im:1"], b""),
        new_db,
    );

    // A store with history, then the disk fills up: the write fails, and
    // what was committed before is still there once there is room again.
    let old_db = dir.path().join("old.db");
    let old_db = old_db.to_str().unwrap();
    let out = pushcore(&["dedup", "--db", old_db, "im:1"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "im:1\tfresh\n");
    storage_error(
        &pushcore_on_full_disk(&["dedup", "--db", old_db, "im:2"], b""),
        old_db,
    );
    let out = pushcore(&["dedup", "--db", old_db, "im:1", "im:2"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "im:1\tduplicate\nim:2\tfresh\n",
        "{out:?}"
    );

    let ext = r#"{"entity":{"version":1,"chatType":2,"action":1,"sender":"team"}}"#;
    let tap = serde_json::json!({"platform":"android","channel_hint":"honor","extras":{"ext":ext}});
    let out = pushcore_on_full_disk(&["parse"], tap.to_string().as_bytes());
    assert!(out.status.success(), "{out:?}");
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["conversation_id"], "group_team", "{parsed}");
}
