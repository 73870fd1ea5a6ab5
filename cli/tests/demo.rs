//! `pushcore demo` is the project's end-to-end smoke test: it must finish,
//! exit 0, and tell the life of a push in the documented event order.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn pushcore(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pushcore"))
        .args(args)
        .output()
        .unwrap()
}

fn events(output: &Output) -> Vec<Value> {
    assert!(
        output.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The documented event order, with `channel_chosen` once per sample phone.
const EXPECTED: &[&str] = &[
    "channel_chosen",
    "channel_chosen",
    "channel_chosen",
    "channel_chosen",
    "channel_chosen",
    "channel_chosen",
    "channel_chosen",
    "channel_chosen",
    "logged_in",
    "token_received",
    "token_reported",
    "notification_shown",
    "notification_suppressed",
    "clicked",
    "routed",
    "clicked",
    "routed",
    // recall: shown, recalled, the late copy suppressed
    "notification_shown",
    "recalled",
    "notification_suppressed",
    // read on the desktop: two shown, both removed
    "notification_shown",
    "notification_shown",
    "conversation_read",
    // a push for another account
    "notification_suppressed",
    // three messages of one chat: one notification growing to three lines
    "conversation_notification",
    "conversation_notification",
    "conversation_notification",
    "conversation_read",
    // a muted chat stays silent
    "conversation_muted",
    "notification_suppressed",
    "logged_out",
    "token_ignored",
    // a push after logout
    "notification_suppressed",
    "diagnosis",
];

#[test]
fn the_json_event_log_tells_the_whole_story_in_order() {
    let events = events(&pushcore(&["demo", "--json"]));
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(names, EXPECTED);

    let channels: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "channel_chosen")
        .map(|e| e["channel"].as_str().unwrap())
        .collect();
    assert_eq!(
        channels,
        ["xiaomi", "huawei", "honor", "oppo", "vivo", "meizu", "fcm", "apns"]
    );

    let by_name = |name: &str| events.iter().find(|e| e["event"] == name).unwrap();
    assert_eq!(by_name("token_reported")["business_id"], 10001);
    assert_eq!(by_name("token_reported")["vendor_id"], 2000);
    let shown = by_name("notification_shown");
    let suppressed = by_name("notification_suppressed");
    assert_eq!(shown["source"], "online");
    assert_eq!(suppressed["source"], "xiaomi");
    assert_eq!(suppressed["first_seen_from"], "online");
    assert_eq!(shown["key"], suppressed["key"], "one message, one key");
    let clicked = by_name("clicked");
    assert_eq!(clicked["channel"], "xiaomi");
    assert_eq!(clicked["conversation_id"], "c2c_bob");
    assert_eq!(
        shown["key"],
        format!("im:{}", clicked["message_id"].as_str().unwrap()),
        "the tap carries the IM message id the dedup key was made of"
    );
    assert_eq!(
        by_name("routed")["route"],
        serde_json::json!({ "kind": "c2c_chat", "user_id": "bob" })
    );
    let call_events: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"] == "clicked" || e["event"] == "routed")
        .skip(2)
        .collect();
    assert_eq!(call_events[0]["conversation_id"], "group_@TGS#team");
    let route = &call_events[1]["route"];
    assert_eq!(route["kind"], "call");
    assert_eq!(route["sender"], "carol");
    assert_eq!(route["group_id"], "@TGS#team");
    assert_eq!(route["media"], "video");
    assert_eq!(route["invited"], serde_json::json!(["bob", "dave"]));
    assert_eq!(route["call_id"], call_events[0]["call_id"]);
    // The ledger's steps: each answer carries the badge.
    let recalled = by_name("recalled");
    let shown_then_recalled = &events[names.iter().position(|n| *n == "recalled").unwrap() - 1];
    assert_eq!(recalled["remove"][0], shown_then_recalled["handle"]);
    assert_eq!(shown_then_recalled["badge"], 1);
    assert_eq!(recalled["badge"], 0);
    let reasons: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "notification_suppressed" && e.get("reason").is_some())
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["recalled", "other_account", "muted", "logged_out"]
    );
    // One conversation, one handle, three lines, oldest first.
    let conversation: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"] == "conversation_notification")
        .collect();
    for (i, e) in conversation.iter().enumerate() {
        assert_eq!(e["conversation_id"], "c2c_dan");
        assert_eq!(e["handle"]["tag"], "conv:c2c_dan");
        assert_eq!(e["handle"], conversation[0]["handle"]);
        assert_eq!(e["lines"].as_array().unwrap().len(), i + 1);
        assert_eq!(e["badge"], i + 1);
    }
    let last = &conversation[2]["lines"];
    assert_eq!(last[0]["sender_name"], "Dan");
    assert_eq!(last[0]["text"], "Are we still on for tonight?");
    assert_eq!(last[2]["text"], "Reply when you can");
    let dan_read = events
        .iter()
        .filter(|e| e["event"] == "conversation_read")
        .nth(1)
        .unwrap();
    assert_eq!(dan_read["remove"][0], conversation[0]["handle"]);
    assert_eq!(dan_read["badge"], 0);
    assert_eq!(by_name("conversation_muted")["conversation_id"], "c2c_eve");
    let read = by_name("conversation_read");
    assert_eq!(read["conversation_id"], "c2c_carol");
    assert_eq!(read["remove"].as_array().unwrap().len(), 2);
    assert_eq!(read["badge"], 0);

    let findings = by_name("diagnosis")["findings"].as_array().unwrap();
    assert_eq!(findings[0]["code"], "oppo_channel_id_required");
    assert_eq!(findings[0]["severity"], "error");

    // Tokens and user ids only ever appear redacted.
    for event in &events {
        let line = event.to_string();
        assert!(
            !line.contains("0123456789abcdef"),
            "unredacted token: {line}"
        );
        assert!(!line.contains("alice"), "unredacted user id: {line}");
    }
}

#[test]
fn the_readable_run_uses_a_fresh_store_and_removes_it() {
    let output = pushcore(&["demo"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("ok: every step behaved as expected"),
        "{text}"
    );
    assert!(text.contains("[error] oppo_channel_id_required"), "{text}");
    let store = text
        .lines()
        .find_map(|l| l.strip_prefix("store: "))
        .and_then(|l| l.strip_suffix(" (SQLite)"))
        .unwrap();
    assert!(!Path::new(store).exists(), "{store} was left behind");
}

#[test]
fn with_dir_the_store_stays_and_can_be_replayed() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo-dir");
    let _ = std::fs::remove_dir_all(&dir);
    // Twice on one kept store: each run's message is new, and the first
    // run's logout left nobody registered.
    for _ in 0..2 {
        let events = events(&pushcore(&[
            "demo",
            "--json",
            "--dir",
            dir.to_str().unwrap(),
        ]));
        assert_eq!(events.len(), EXPECTED.len());
    }
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.ends_with(".db") || f.ends_with(".sqlite")),
        "no SQLite file in {files:?}"
    );
}

#[test]
fn unknown_options_are_usage_errors() {
    let output = pushcore(&["demo", "--fast"]);
    assert_eq!(output.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(error["error"], "usage");
}
