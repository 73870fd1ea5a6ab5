//! Storage that refuses writes at open: the stateful calls fail with a
//! clear `storage` error naming the file, and everything stateless (parsing
//! and routing a tap) keeps working on the same core.
//!
//! The tests run as root, which ignores mode bits, so a `chmod` directory
//! proves nothing. `/sys` is a real directory in which the kernel refuses to
//! create files for every user, root included: the same EACCES an app gets
//! from a read-only or foreign-owned data directory. (A full disk is
//! simulated with a file size limit in cli/tests/faults.rs.)
#![cfg(target_os = "linux")]

use pushcore::store::dedup::DedupKind;
use pushcore::{ClickInput, PushChannel, PushConfig, PushCore, Route};
use std::path::Path;

fn config() -> PushConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/example-config.json");
    PushConfig::from_file(&path).unwrap()
}

#[test]
fn a_directory_nobody_can_write_fails_only_the_stateful_calls() {
    let dir = Path::new("/sys");
    assert!(
        std::fs::write(dir.join("pushcore-probe"), b"x").is_err(),
        "/sys accepted a file: this machine cannot simulate a read-only directory"
    );
    let core = PushCore::new(config(), dir.display().to_string())
        .expect("construction must not touch the database");

    let err = core
        .check_and_mark("im:1".into(), DedupKind::Displayed, "fcm".into())
        .unwrap_err();
    assert_eq!(err.code(), "storage");
    assert!(err.message().contains("/sys/pushcore.db"), "{err}");
    // Still a clear error on the next call, not a stuck or poisoned store.
    let again = core
        .check_and_mark("im:2".into(), DedupKind::Clicked, "tap".into())
        .unwrap_err();
    assert_eq!(again.code(), "storage");
    assert_eq!(core.dedup_stats().unwrap_err().code(), "storage");
    assert!(core.store_events().is_empty(), "nothing to move aside");

    let ext = r#"{"entity":{"version":1,"chatType":1,"action":1,"sender":"alice","msgID":"m1"}}"#;
    let tap = core
        .parse_click(ClickInput::Android {
            extras_json: serde_json::json!({ "ext": ext }).to_string(),
            data_uri: None,
            channel_hint: Some(PushChannel::Honor),
        })
        .expect("parsing needs no storage");
    assert_eq!(tap.sender.as_deref(), Some("alice"));
    assert_eq!(
        core.route(tap),
        Route::C2cChat {
            user_id: "alice".into()
        }
    );
}
