//! `pushcore parse` contract, run through the built binary.

mod common;

use common::pushcore;
use serde_json::{json, Value};
use std::process::Output;

fn ext(entity: Value) -> String {
    json!({ "entity": entity }).to_string()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn prints_the_normalized_notification_with_snake_case_keys() {
    let input = json!({"platform":"android","extras":{"key_message":{"messageId":"sdm9","title":"Lin",
        "description":"hello","extra":{"ext":ext(json!({"version":1,"chatType":1,"action":1,"sender":"u7",
        "nickname":"Lin","faceUrl":"https://f/a.png","content":"hello","sendTime":1732600000,"msgID":"m-1"}))}}}});
    let out = pushcore(&["parse"], input.to_string().as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = stdout_json(&out);
    let expected = json!({"channel":"xiaomi","chat_type":"c2c","sender":"u7","conversation_id":"c2c_u7",
        "action":"chat","action_code":1,"nickname":"Lin","face_url":"https://f/a.png","content":"hello",
        "send_time":1732600000,"version":1,"newer_version":false,"message_id":"m-1","vendor_message_id":"sdm9",
        "title":"Lin","body":"hello","route":{"kind":"c2c_chat","user_id":"u7"}});
    assert_eq!(v, expected);
}

#[test]
fn reads_a_file_and_routes_urls_with_the_configured_allow_list() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("parse-cli-input.json");
    let input = json!({"platform":"ios","user_info":{"aps":{"alert":{"title":"News","body":"b"}},
        "ext":json!({"entity":{"chatType":1,"action":4,"sender":"sys"},"url":"https://im.example.com/n/1"}).to_string()}});
    std::fs::write(&file, input.to_string()).unwrap();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/example-config.json");
    let path = file.to_str().unwrap();
    let routed = stdout_json(&pushcore(&["parse", path, "--config", config], b""));
    assert_eq!(routed["channel"], "apns");
    assert_eq!(routed["action"], "other");
    assert_eq!(routed["action_code"], 4);
    assert_eq!(
        routed["route"],
        json!({"kind":"url","url":"https://im.example.com/n/1"})
    );
    let unlisted = stdout_json(&pushcore(&["parse", path], b""));
    assert_eq!(unlisted["route"], json!({"kind":"home"}));
}

#[test]
fn rejections_exit_1_with_a_json_error_on_stderr() {
    let table: [(&[u8], &str); 6] = [
        (b"not json", "invalid_input"),
        (br#"{"platform":"android","extras":{}}"#, "no_push_payload"),
        (
            br#"{"platform":"android","channel_hint":"vivo","extras":{"ext":"{x"}}"#,
            "invalid_ext",
        ),
        (
            br#"{"platform":"ios","user_info":{"ext":{"entity":{"chatType":9,"sender":"u"}}}}"#,
            "unsupported_payload",
        ),
        (b"\xff\xfe", "invalid_input"),
        (&[b' '; 70_000], "too_large"),
    ];
    for (input, code) in table {
        let out = pushcore(&["parse", "-"], input);
        assert_eq!(out.status.code(), Some(1), "{code}");
        assert!(out.stdout.is_empty(), "{code}");
        let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
        assert_eq!(err["error"], code);
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn lines_mode_answers_every_line_in_order_even_after_a_bad_one() {
    let good = |sender: &str| {
        json!({"platform":"android","channel_hint":"honor","extras":{"ext":ext(json!({"chatType":2,"sender":sender}))}})
            .to_string()
    };
    let input = format!(
        "{}\n{{broken\r\n{}\n{}",
        good("g1"),
        good("g2"),
        r#"{"platform":"ios","user_info":{}}"#
    );
    let out = pushcore(&["parse", "--lines"], input.as_bytes());
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["conversation_id"], "group_g1");
    assert_eq!(lines[0]["channel"], "honor");
    assert_eq!(lines[1]["error"], "invalid_input");
    assert_eq!(lines[2]["conversation_id"], "group_g2");
    assert_eq!(lines[3]["error"], "no_push_payload");
}

#[test]
fn usage_problems_exit_2() {
    for args in [
        &["parse", "--bogus"][..],
        &["parse", "a", "b"],
        &["parse", "--config"],
    ] {
        let out = pushcore(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"], "usage");
    }
    let help = pushcore(&["parse", "--help"], b"");
    assert!(String::from_utf8_lossy(&help.stdout).contains("--lines"));
}
