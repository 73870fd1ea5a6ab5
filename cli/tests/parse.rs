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
        "action":"chat","action_code":1,"call":null,"nickname":"Lin","face_url":"https://f/a.png","content":"hello",
        "send_time":1732600000,"version":1,"newer_version":false,"message_id":"m-1","vendor_message_id":"sdm9",
        "vendor_notification_id":null,"title":"Lin","body":"hello","custom_data":null,"extras":{},"findings":[],
        "route":{"kind":"c2c_chat","user_id":"u7"}});
    assert_eq!(v, expected);
}

fn example(name: &str) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/examples/taps/").to_string() + name;
    let out = pushcore(&["parse", &path], b"");
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout_json(&out)
}

/// docs/examples/taps: what each Tencent sender writes, and the shapes of
/// issue 19, each opening the right place.
#[test]
fn every_tap_example_routes_where_its_sender_meant() {
    let table = [
        (
            "android-gson-fcm.json",
            "fcm",
            json!("c2c_user_7"),
            json!({"kind":"c2c_chat","user_id":"user_7"}),
        ),
        (
            "ios-nsjsonserialization.json",
            "apns",
            json!("group_@TGS#ios"),
            json!({"kind":"group_chat","group_id":"@TGS#ios"}),
        ),
        (
            "newer-uikit-vivo.json",
            "vivo",
            json!("c2c_kt_user"),
            json!({"kind":"c2c_chat","user_id":"kt_user"}),
        ),
        (
            "flutter-conversation-id.json",
            "fcm",
            json!("group_@TGS#flutter"),
            json!({"kind":"group_chat","group_id":"@TGS#flutter"}),
        ),
        (
            "app-keys-entity-xiaomi.json",
            "xiaomi",
            Value::Null,
            json!({"kind":"home"}),
        ),
        (
            "malformed-optional-fields.json",
            "oppo",
            json!("c2c_u9"),
            json!({"kind":"c2c_chat","user_id":"u9"}),
        ),
        (
            "group-call-huawei.json",
            "huawei",
            json!("group_@TGS#team"),
            json!({"kind":"call","chat_type":"group",
            "sender":"carol","group_id":"@TGS#team","call_id":"call-77","media":"video","invited":["bob","dave"]}),
        ),
    ];
    for (name, channel, conversation, route) in table {
        let v = example(name);
        assert_eq!(v["channel"], channel, "{name}");
        assert_eq!(v["conversation_id"], conversation, "{name}");
        assert_eq!(v["route"], route, "{name}");
    }
    let hi: Vec<u8> = "hi 你好".bytes().collect();
    assert_eq!(example("android-gson-fcm.json")["custom_data"], json!(hi));
    assert_eq!(
        example("ios-nsjsonserialization.json")["custom_data"],
        json!(hi)
    );
    let keys = example("app-keys-entity-xiaomi.json");
    assert_eq!(keys["extras"], json!({"key1":"value1","key2":"value2"}));
    assert_eq!(keys["vendor_notification_id"], "7");
    let call = example("group-call-huawei.json");
    assert_eq!(call["vendor_message_id"], "hw-123");
    assert_eq!(call["vendor_notification_id"], "42");
    let malformed = example("malformed-optional-fields.json");
    let fields: Vec<&str> = malformed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["entity.nickname", "entity.sendTime", "entity.customData"]
    );
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
