//! `pushcore ledger` end to end: the output contract of every command, and
//! two processes recording and recalling on one file at once.

mod common;

use serde_json::{json, Value};
use std::collections::HashMap;

fn run(db: &str, args: &[&str], stdin: &str) -> Vec<Value> {
    let mut argv = vec!["ledger", "--db", db];
    argv.extend_from_slice(args);
    let out = common::pushcore(&argv, stdin.as_bytes());
    assert!(
        out.status.success(),
        "{argv:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn one(db: &str, args: &[&str]) -> Value {
    let mut lines = run(db, args, "");
    assert_eq!(lines.len(), 1, "{lines:?}");
    lines.remove(0)
}

#[test]
fn every_command_answers_one_json_line_with_the_badge() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let db = db.to_str().unwrap();
    let cases: &[(&[&str], Value)] = &[
        (&["badge"], json!({"command":"badge","badge":0})),
        (&["login", "alice"], json!({"command":"login","badge":0})),
        (
            &["shown", "m1", "c2c_bob", "1000", "alice"],
            json!({"command":"shown","message_id":"m1","decision":"show",
                   "handle":{"tag":"im:m1","id":1386278472},"badge":1}),
        ),
        (
            &["shown", "m1", "c2c_bob"],
            json!({"command":"shown","message_id":"m1","decision":"suppress",
                   "reason":"duplicate","badge":1}),
        ),
        (
            &["shown", "m2", "c2c_bob", "2000", "carol"],
            json!({"command":"shown","message_id":"m2","decision":"suppress",
                   "reason":"other_account","badge":1}),
        ),
        (
            &["shown", "m3", "c2c_bob", "3000"],
            json!({"command":"shown","message_id":"m3","decision":"show",
                   "handle":{"tag":"im:m3","id":1386279342},"badge":2}),
        ),
        (
            &["read", "c2c_bob", "1500"],
            json!({"command":"read","remove":[{"tag":"im:m1","id":1386278472}],"badge":1}),
        ),
        (
            &["recall", "m3"],
            json!({"command":"recall","remove":[{"tag":"im:m3","id":1386279342}],"badge":0}),
        ),
        (
            &["recall", "m9"],
            json!({"command":"recall","remove":[],"badge":0}),
        ),
        (
            &["shown", "m9", "c2c_bob"],
            json!({"command":"shown","message_id":"m9","decision":"suppress",
                   "reason":"recalled","badge":0}),
        ),
        (
            &["dismiss", "im:m1", "1386278472"],
            json!({"command":"dismiss","remove":[],"badge":0}),
        ),
        (&["logout"], json!({"command":"logout","badge":0})),
        (
            &["shown", "m4", "c2c_bob"],
            json!({"command":"shown","message_id":"m4","decision":"suppress",
                   "reason":"logged_out","badge":0}),
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(&one(db, args), expected, "{args:?}");
    }
    let rows = run(db, &["list"], "");
    let states: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["message_key"].as_str().unwrap(),
                r["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("im:m9", "recalled"),
            ("im:m3", "recalled"),
            ("im:m1", "cleared")
        ]
    );
    assert!(
        !rows.iter().any(|r| r.to_string().contains("alice")),
        "no user id in clear: {rows:?}"
    );
}

#[test]
fn bad_commands_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let db = db.to_str().unwrap();
    for args in [
        &["nope"][..],
        &["recall"],
        &["read", "c2c_bob", "-5"],
        &["dismiss", "t", "99999999999"],
        &["shown", " ", "c2c_bob"],
    ] {
        let mut argv = vec!["ledger", "--db", db];
        argv.extend_from_slice(args);
        let out = common::pushcore(&argv, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"], "usage", "{args:?}");
    }
    let out = common::pushcore(&["ledger", "badge"], b"");
    assert_eq!(out.status.code(), Some(2), "--db is required");
}

#[test]
fn on_stdin_every_line_is_answered_and_a_failed_one_does_not_stop_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let db = db.to_str().unwrap();
    let mut input = b"login alice\nrecall\nquiet 22:00 07:00 Mars/Olympus\n".to_vec();
    input.extend_from_slice(b"\xff\xfe\n");
    input.extend_from_slice(&[b'x'; 20_000]);
    input.extend_from_slice(b"\n\nshown m1 c2c_bob 1000 alice\nbadge\n");
    let out = common::pushcore(&["ledger", "--db", db], &input);
    assert_eq!(out.status.code(), Some(2), "a usage error was among them");
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(Value, Value)> = answers
        .iter()
        .map(|a| (a["command"].clone(), a["error"].clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (json!("login"), Value::Null),
            (Value::Null, json!("usage")),
            (Value::Null, json!("invalid_input")),
            (Value::Null, json!("invalid_input")),
            (Value::Null, json!("too_large")),
            (json!("shown"), Value::Null),
            (json!("badge"), Value::Null),
        ],
        "{answers:?}"
    );
    let lines: Vec<Value> = answers.iter().map(|a| a["line"].clone()).collect();
    assert_eq!(lines[1..5], [json!(2), json!(3), json!(4), json!(5)]);
    assert_eq!(answers[6]["badge"], 1);
}

#[test]
fn two_processes_showing_and_recalling_on_one_file_lose_nothing_and_agree_on_the_badge() {
    const N: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let db = db.to_str().unwrap().to_string();
    one(&db, &["login", "alice"]);
    // One process shows m0..m299 while the other recalls every even one.
    let shows: String = (0..N)
        .map(|i| format!("shown m{i} c2c_bob {} alice\n", 1000 + i))
        .collect();
    let recalls: String = (0..N)
        .step_by(2)
        .map(|i| format!("recall m{i}\n"))
        .collect();
    let (shown, recalled) = std::thread::scope(|s| {
        let a = s.spawn(|| run(&db, &[], &shows));
        let b = s.spawn(|| run(&db, &[], &recalls));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(shown.len(), N);
    assert_eq!(recalled.len(), N / 2);

    let decision: HashMap<String, &str> = shown
        .iter()
        .map(|v| {
            (
                v["message_id"].as_str().unwrap().to_string(),
                v["decision"].as_str().unwrap(),
            )
        })
        .collect();
    for (i, recall) in (0..N).step_by(2).zip(&recalled) {
        // Either the show came first (the recall removes its handle) or the
        // recall did (the show is suppressed): never both, never neither.
        let removed = recall["remove"].as_array().unwrap().len();
        let was_shown = decision[&format!("m{i}")] == "show";
        assert_eq!(removed == 1, was_shown, "m{i}: {recall}");
    }
    for i in (1..N).step_by(2) {
        assert_eq!(decision[&format!("m{i}")], "show", "m{i}");
    }

    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| one(&db, &["badge"]));
        let b = s.spawn(|| one(&db, &["badge"]));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a["badge"], json!(N / 2));
    assert_eq!(a, b);
    let rows = run(&db, &["list", "1000"], "");
    assert_eq!(rows.len(), N, "every message has exactly one row");
}
