//! Every input the CLI reads is bounded before it is held in memory, and
//! every line of a bulk input gets an answer (docs/limits.md).
//!
//! Memory is bounded by running the binary with an address-space limit
//! (`ulimit -v`) well under the input's size: a command that held the whole
//! input would fail to allocate and abort.
#![cfg(unix)]

mod common;

use std::io::Write;
use std::process::Output;

/// Address space the binary gets: ample for its work, far less than the
/// inputs below.
const ADDRESS_SPACE_KB: u32 = 48 * 1024;

/// Runs `pushcore ARGS` under the address-space limit, its stdin being
/// `before`, `filler` bytes of `x`, then `after`, streamed in 1 MiB pieces.
fn pushcore_in_little_memory(args: &[&str], before: &[u8], filler: usize, after: &[u8]) -> Output {
    let mut child = common::spawn_under_limits(&format!("ulimit -v {ADDRESS_SPACE_KB}"), args);
    let mut pipe = child.stdin.take().unwrap();
    let (before, after) = (before.to_vec(), after.to_vec());
    let writer = std::thread::spawn(move || {
        let piece = vec![b'x'; 1 << 20];
        let mut left = filler;
        let _ = (|| {
            pipe.write_all(&before)?;
            while left > 0 {
                let n = left.min(piece.len());
                pipe.write_all(&piece[..n])?;
                left -= n;
            }
            pipe.write_all(&after)
        })();
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    out
}

const HUGE: usize = 64 << 20;

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

#[test]
fn parse_lines_answers_a_huge_line_too_large_without_holding_it() {
    let ios = br#"{"platform":"ios","user_info":{}}"#;
    let after = [&b"\n"[..], ios, b"\n"].concat();
    let out = pushcore_in_little_memory(
        &["parse", "--lines"],
        &[ios, &b"\n"[..]].concat(),
        HUGE,
        &after,
    );
    assert!(out.status.success(), "{out:?}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["error"], "no_push_payload");
    assert_eq!(lines[1]["error"], "too_large", "{}", lines[1]);
    assert!(
        lines[1]["message"]
            .as_str()
            .unwrap()
            .contains(&HUGE.to_string()),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["error"], "no_push_payload");
}

#[test]
fn build_push_and_simulate_refuse_a_huge_message_or_shade_sequence_without_holding_it() {
    for args in [
        &["build-push", "-"][..],
        &["simulate", "--channel", "fcm", "-"],
        &["simulate", "--shade", "-"],
    ] {
        let out = pushcore_in_little_memory(args, b"{\"content\":\"", HUGE, b"\"}");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let err: serde_json::Value = serde_json::from_slice(&out.stderr)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {out:?}"));
        assert_eq!(err["error"], "too_large", "{args:?}: {err}");
    }
}

#[test]
fn config_device_and_state_files_are_read_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 2 << 20]).unwrap();
    let big = big.to_str().unwrap();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/example-config.json");
    let device = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/examples/devices");
    let device = std::fs::read_dir(device)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let device = device.to_str().unwrap();
    for args in [
        &["parse", "--config", big, "-"][..],
        &["diagnose", "--config", big, "--device", device],
        &["diagnose", "--config", config, "--device", big],
        &[
            "diagnose", "--config", config, "--device", device, "--state", big,
        ],
    ] {
        let out = common::pushcore(args, b"{}");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"], "too_large", "{args:?}: {err}");
    }
}

#[test]
fn dedup_answers_every_line_and_its_exit_code_says_whether_any_failed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let db = db.to_str().unwrap();
    let mut input = b"im:1\nim:\xff\xfe\nim:2\r\n".to_vec();
    input.extend(vec![b'k'; 600]);
    input.extend(b"\nim:1\n\nim:3");
    let out = common::pushcore(&["dedup", "--db", db], &input);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "im:1\tfresh\n\
         im:\u{fffd}\u{fffd}\terror\tinvalid_input\n\
         im:2\tfresh\n\
         (line 4)\terror\ttoo_large\n\
         im:1\tduplicate\n\
         im:3\tfresh\n"
    );
    let errors: Vec<serde_json::Value> = String::from_utf8(out.stderr)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0]["error"], "invalid_input");
    assert_eq!(errors[1]["error"], "too_large");

    // Every key after the bad ones was marked.
    let out = common::pushcore(&["dedup", "--db", db, "im:2", "im:3"], b"");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "im:2\tduplicate\nim:3\tduplicate\n"
    );
}
