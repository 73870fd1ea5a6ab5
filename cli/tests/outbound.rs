//! `pushcore build-push` and `pushcore simulate`, run as the built binary.

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

fn pushcore(args: &[&str], stdin: Option<&str>) -> Output {
    common::pushcore(args, stdin.unwrap_or_default().as_bytes())
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/message.json")
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes));
    })
}

const ISSUE_EXAMPLE: &str = r#"{"message_type":"text","message_id":"144115212345678901-1732600000-12345","chat_type":"c2c","sender":"alice","nickname":"Alice","content":"Hello","options":{"title":"Alice","desc":"Hello","oppo_channel_id":"im","huawei_category":"IM","vivo_category":"IM","ios_sound":"default","android_sound":"ring","ignore_ios_badge":false}}"#;

#[test]
fn build_push_prints_rest_form_and_no_findings_for_the_example() {
    let out = pushcore(&["build-push", example().to_str().unwrap()], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["findings", "offline_push_info"]);
    assert_eq!(v["findings"], serde_json::json!([]));
    let info = &v["offline_push_info"];
    assert_eq!(info["PushFlag"], 0);
    assert_eq!(info["AndroidInfo"]["OPPOChannelID"], "im");
    assert_eq!(info["AndroidInfo"]["HuaWeiImportance"], "NORMAL");
    let ext: Value = serde_json::from_str(info["Ext"].as_str().unwrap()).unwrap();
    assert_eq!(
        ext["entity"]["msgID"],
        "144115212345678901-1732600000-12345"
    );
}

#[test]
fn build_push_reports_findings_and_still_exits_zero() {
    let message = ISSUE_EXAMPLE
        .replace(r#""message_type":"text""#, r#""message_type":"custom""#)
        .replace(r#""desc":"Hello","oppo_channel_id":"im","#, "");
    let out = pushcore(&["build-push", "-"], Some(&message));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    let findings: Vec<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let field = |k: &str| f[k].as_str().unwrap().to_string();
            assert!(!field("message").is_empty());
            (field("channel"), field("severity"), field("code"))
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("all", "error", "custom_without_desc"),
        ("oppo", "error", "oppo_channel_id_missing"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(findings, expected);
}

#[test]
fn build_push_truncate_flag_cuts_long_titles() {
    let title = "字".repeat(30);
    let message = ISSUE_EXAMPLE.replace(r#""title":"Alice""#, &format!(r#""title":"{title}""#));
    let out = pushcore(&["build-push", "--truncate", "-"], Some(&message));
    assert!(out.status.success());
    let v = json(&out.stdout);
    assert_eq!(
        v["offline_push_info"]["Title"],
        format!("{}\u{2026}", "字".repeat(19))
    );
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["code"] == "title_truncated"));
    // Without the flag the same title is only reported.
    let out = pushcore(&["build-push", "-"], Some(&message));
    let v = json(&out.stdout);
    assert_eq!(v["offline_push_info"]["Title"], title.as_str());
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["code"] == "title_too_long"));
}

#[test]
fn unreadable_input_exits_one_with_a_json_error() {
    let cases: &[(&[&str], &str)] = &[
        (&["build-push", "-"], "not json"),
        (&["build-push", "-"], r#"{"message_type":"text"}"#),
        (&["build-push", "/nonexistent/message.json"], ""),
        (&["simulate", "--channel", "fcm", "-"], "[]"),
        (
            &["simulate", "--channel", "fcm", "-"],
            r#"{"message_type":"text","chat_type":"c2c","sender":" "}"#,
        ),
    ];
    for (args, stdin) in cases {
        let out = pushcore(args, Some(stdin));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = json(&out.stderr);
        assert_eq!(err["error"], "invalid_input", "{args:?}");
        assert!(err["message"].as_str().is_some());
    }
    let usage: [&[&str]; 3] = [
        &["build-push"],
        &["simulate", "-"],
        &["simulate", "--channel", "nokia", "-"],
    ];
    for args in usage {
        let out = pushcore(args, Some(ISSUE_EXAMPLE));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(json(&out.stderr)["error"], "usage");
    }
}

#[test]
fn simulate_prints_parse_input_for_every_channel() {
    let channels = [
        "xiaomi", "huawei", "honor", "oppo", "vivo", "meizu", "fcm", "apns",
    ];
    for channel in channels {
        let out = pushcore(
            &["simulate", "--channel", channel, "-"],
            Some(ISSUE_EXAMPLE),
        );
        assert!(
            out.status.success(),
            "{channel}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tap = json(&out.stdout);
        if channel == "apns" {
            assert_eq!(tap["platform"], "ios");
            assert!(tap["user_info"]["aps"]["alert"].is_object());
            assert!(tap["user_info"]["ext"].is_string());
        } else {
            assert_eq!(tap["platform"], "android", "{channel}");
            assert_eq!(tap["channel_hint"], channel);
            assert!(tap["extras"].is_object(), "{channel}");
        }
        let text = tap.to_string();
        assert!(
            text.contains("144115212345678901-1732600000-12345"),
            "{channel}: msgID missing from {text}"
        );
    }
}

#[test]
fn simulate_piped_into_parse_gives_the_message_back_on_every_channel() {
    let tricky = r#"{"message_type":"text","message_id":"id;\"1\"\\x","chat_type":"group","sender":"@TGS#群;a=b","content":"你好 👨‍👩‍👧 \"q\" \\ ; %41","options":{"title":"T","desc":"d","oppo_channel_id":"im"}}"#;
    let messages: [(&str, &str, &str, &str, &str); 2] = [
        (
            ISSUE_EXAMPLE,
            "c2c",
            "alice",
            "Hello",
            "144115212345678901-1732600000-12345",
        ),
        (
            tricky,
            "group",
            "@TGS#群;a=b",
            "你好 👨‍👩‍👧 \"q\" \\ ; %41",
            "id;\"1\"\\x",
        ),
    ];
    let channels = [
        "xiaomi", "huawei", "honor", "oppo", "vivo", "meizu", "fcm", "apns",
    ];
    for (message, chat_type, sender, content, id) in messages {
        for channel in channels {
            let tap = pushcore(&["simulate", "--channel", channel, "-"], Some(message));
            assert!(tap.status.success(), "{channel}");
            let tap = String::from_utf8(tap.stdout).unwrap();
            let parsed = pushcore(&["parse", "-"], Some(&tap));
            assert!(
                parsed.status.success(),
                "{channel}: {} for {tap}",
                String::from_utf8_lossy(&parsed.stderr)
            );
            let n = json(&parsed.stdout);
            assert_eq!(n["channel"], channel, "{tap}");
            assert_eq!(n["chat_type"], chat_type, "{channel}");
            assert_eq!(n["sender"], sender, "{channel}");
            assert_eq!(n["content"], content, "{channel}");
            assert_eq!(n["message_id"], id, "{channel}");
        }
    }
}
