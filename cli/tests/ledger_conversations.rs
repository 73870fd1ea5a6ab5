//! `pushcore ledger` for one notification per conversation, mutes and quiet
//! hours: three messages become one notification with three lines, a
//! recall takes one out, a muted chat stays silent, quiet hours are shown
//! and refused as the core refuses them, and two processes agree.

mod common;

use serde_json::{json, Value};

fn run(db: &str, args: &[&str]) -> std::process::Output {
    let mut argv = vec!["ledger", "--db", db];
    argv.extend_from_slice(args);
    common::pushcore(&argv, b"")
}

fn one(db: &str, args: &[&str]) -> Value {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn lines(view: &Value) -> Vec<String> {
    view["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            format!(
                "{}: {}",
                l["sender_name"].as_str().unwrap(),
                l["text"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn three_messages_become_one_conversation_notification_and_a_recall_takes_one_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let db = db.to_str().unwrap();
    let mut last = Value::Null;
    for (id, ms, text) in [
        ("m1", "1000", "Lunch?"),
        ("m2", "2000", "At noon"),
        ("m3", "3000", "I'll book"),
    ] {
        last = one(db, &["message", id, "c2c_bob", ms, "Bob", text]);
        assert_eq!(last["decision"], "show", "{last}");
        assert_eq!(last["silent"], false);
    }
    let view = &last["conversations"]["post"][0];
    assert_eq!(view["handle"]["tag"], "conv:c2c_bob");
    assert_eq!(
        lines(view),
        ["Bob: Lunch?", "Bob: At noon", "Bob: I'll book"]
    );
    assert_eq!(last["conversations"]["summary"], Value::Null);

    one(db, &["recall", "m2"]);
    let all = one(db, &["conversations"]);
    assert_eq!(
        lines(&all["conversations"]["post"][0]),
        ["Bob: Lunch?", "Bob: I'll book"]
    );
    let team = one(
        db,
        &["message", "t1", "group_team", "4000", "Ann", "standup"],
    );
    assert_eq!(team["conversations"]["summary"]["conversations"], 2);
    assert_eq!(team["conversations"]["summary"]["unread"], 3);
}

#[test]
fn a_muted_chat_stays_silent_and_quiet_hours_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let db = db.to_str().unwrap();
    assert_eq!(
        one(db, &["mute", "group_noisy"]),
        json!({"command":"mute","conversation":"group_noisy","until_ms":null})
    );
    let muted = one(
        db,
        &["message", "n1", "group_noisy", "1000", "Spam", "buy now"],
    );
    assert_eq!(muted["decision"], "suppress");
    assert_eq!(muted["reason"], "muted");
    assert_eq!(muted["conversations"], Value::Null);
    assert_eq!(
        one(db, &["badge"])["badge"],
        0,
        "muted messages do not count"
    );
    assert_eq!(one(db, &["mutes"])["mutes"].as_array().unwrap().len(), 1);
    one(db, &["unmute", "group_noisy"]);
    assert_eq!(one(db, &["mutes"]), json!({"command":"mutes","mutes":[]}));

    assert_eq!(
        one(db, &["quiet", "22:00", "07:00", "Europe/Berlin"]),
        json!({"command":"quiet","quiet_hours":{"start":"22:00","end":"07:00",
               "timezone":"Europe/Berlin","policy":"show_silently","silence_calls":false}})
    );
    assert_eq!(
        one(db, &["quiet"])["quiet_hours"]["timezone"],
        "Europe/Berlin"
    );
    assert_eq!(
        one(db, &["quiet", "off"]),
        json!({"command":"quiet","quiet_hours":null})
    );

    // The core's refusals are typed errors (exit 1); malformed words are usage errors (exit 2).
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["quiet", "22:00", "22:00", "Europe/Berlin"],
            1,
            "invalid_input",
        ),
        (
            &["quiet", "22:00", "07:00", "Mars/Base"],
            1,
            "invalid_input",
        ),
        (&["quiet", "25:00", "07:00", "UTC"], 1, "invalid_input"),
        (&["mute", "c2c_bob", "-5"], 1, "invalid_input"),
        (&["quiet", "22", "07:00", "UTC"], 2, "usage"),
        (&["quiet", "22:00", "07:00", "UTC", "loud"], 2, "usage"),
        (&["message", "m1", "c2c_bob", "1000", "Bob"], 2, "usage"),
    ];
    for (args, code, error) in cases {
        let out = run(db, args);
        assert_eq!(out.status.code(), Some(*code), "{args:?}");
        let err: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"], *error, "{args:?}");
    }
    assert_eq!(
        one(db, &["quiet"])["quiet_hours"],
        Value::Null,
        "nothing stored"
    );
}
