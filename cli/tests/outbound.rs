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
    assert_eq!(keys, ["findings", "grouping", "offline_push_info"]);
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

/// The message of the issue from `sender` with id `id`, grouped by `policy`.
fn from(sender: &str, id: &str, policy: &str) -> String {
    let grouping = match policy {
        "" => String::new(),
        policy => format!(r#","grouping":"{policy}""#),
    };
    ISSUE_EXAMPLE
        .replace(r#""sender":"alice""#, &format!(r#""sender":"{sender}""#))
        .replace(
            "144115212345678901-1732600000-12345",
            &format!("144115212345678901-1732600000-{id}"),
        )
        .replace(
            r#""ignore_ios_badge":false"#,
            &format!(r#""ignore_ios_badge":false{grouping}"#),
        )
}

#[test]
fn build_push_prints_each_channels_grouping_fields_and_keeps_them_out_of_the_rest_form() {
    // `c2c_bob`'s notify id is pinned by the ledger: senders and apps agree.
    type Fields<'a> = &'a [(&'a str, &'a str, &'a str)];
    let table: [(&str, &str, Fields); 3] = [
        (
            "",
            "per_conversation",
            &[
                ("xiaomi", "notify_id", "438054827"),
                ("huawei", "android.notification.notify_id", "438054827"),
                ("fcm", "android.notification.tag", "conv:c2c_bob"),
                ("apns", "aps.thread-id", "conv:c2c_bob"),
            ],
        ),
        (
            "per_message",
            "per_message",
            &[
                (
                    "fcm",
                    "android.notification.tag",
                    "im:144115212345678901-1732600000-1",
                ),
                (
                    "apns",
                    "apns-collapse-id",
                    "im:144115212345678901-1732600000-1",
                ),
            ],
        ),
        ("off", "off", &[]),
    ];
    for (asked, applied, expected) in table {
        let out = pushcore(&["build-push", "-"], Some(&from("bob", "1", asked)));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = json(&out.stdout);
        let grouping = &v["grouping"];
        assert_eq!(grouping["policy"], applied);
        assert_eq!(grouping["conversation_id"], "c2c_bob");
        let channels = grouping["channels"].as_array().unwrap();
        assert_eq!(channels.len(), 8);
        let meizu = channels.iter().find(|c| c["channel"] == "meizu").unwrap();
        assert_eq!(
            meizu["fields"],
            serde_json::json!([]),
            "Meizu has no such field"
        );
        assert!(meizu["note"]
            .as_str()
            .unwrap()
            .contains("no replace or group field"));
        for (channel, name, value) in expected {
            let c = channels.iter().find(|c| c["channel"] == *channel).unwrap();
            let found = c["fields"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["name"] == *name && f["value"] == *value);
            assert!(found, "{asked}: {channel} {name}={value} in {c}");
        }
        if applied == "off" {
            assert!(channels
                .iter()
                .all(|c| c["fields"] == serde_json::json!([])));
        }
        let rest = v["offline_push_info"].to_string();
        assert!(
            !rest.contains("notify") && !rest.contains("thread") && !rest.contains("conv:"),
            "{rest}"
        );
    }
}

#[test]
fn simulate_shade_prints_one_line_per_channel_with_what_its_shade_shows() {
    let messages = format!(
        "[{},{},{}]",
        from("bob", "1", ""),
        from("carol", "2", ""),
        from("bob", "3", "")
    );
    let out = pushcore(&["simulate", "--shade", "-"], Some(&messages));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| json(l.as_bytes()))
        .collect();
    let channels: Vec<&str> = lines
        .iter()
        .map(|l| l["channel"].as_str().unwrap())
        .collect();
    assert_eq!(
        channels,
        ["xiaomi", "huawei", "honor", "oppo", "vivo", "meizu", "fcm", "apns"]
    );
    let shows = |channel: &str| -> Vec<(String, Vec<String>)> {
        let line = lines.iter().find(|l| l["channel"] == channel).unwrap();
        assert!(!line["why"].as_array().unwrap().is_empty());
        line["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                let replaced = n["replaced"].as_array().unwrap();
                let replaced = replaced.iter().map(|r| r.as_str().unwrap().to_string());
                (n["shows"].as_str().unwrap().to_string(), replaced.collect())
            })
            .collect()
    };
    let id = |n: &str| format!("144115212345678901-1732600000-{n}");
    // Xiaomi: bob's second message replaced his first; carol's stays.
    assert_eq!(
        shows("xiaomi"),
        [(id("2"), vec![]), (id("3"), vec![id("1")])]
    );
    // Meizu has no field: three notifications.
    assert_eq!(shows("meizu").len(), 3);
    let apns = lines.iter().find(|l| l["channel"] == "apns").unwrap();
    assert_eq!(apns["notifications"][2]["thread"], "conv:c2c_bob");
}

#[test]
fn simulate_shade_text_draws_each_shade_on_one_line() {
    let messages = format!(
        "[{},{},{}]",
        from("bob", "1", ""),
        from("carol", "2", ""),
        from("bob", "3", "")
    );
    let out = pushcore(&["simulate", "--shade", "--text", "-"], Some(&messages));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let id = "144115212345678901-1732600000-";
    assert_eq!(lines.len(), 8, "{text}");
    assert_eq!(
        lines[0],
        format!("xiaomi  c2c_carol: {id}2 | c2c_bob: {id}3 (replaced {id}1)")
    );
    assert_eq!(
        lines[5],
        format!("meizu   c2c_bob: {id}1 | c2c_carol: {id}2 | c2c_bob: {id}3")
    );
    assert_eq!(
        lines[7],
        format!(
            "apns    c2c_bob: {id}1 @conv:c2c_bob | c2c_carol: {id}2 @conv:c2c_carol | c2c_bob: {id}3 @conv:c2c_bob"
        )
    );
    let empty = pushcore(&["simulate", "--shade", "--text", "-"], Some("[]"));
    assert!(String::from_utf8(empty.stdout)
        .unwrap()
        .starts_with("xiaomi  (empty)\n"));
}

#[test]
fn simulate_shade_refuses_bad_input_with_typed_errors() {
    let many = format!("[{}]", vec![ISSUE_EXAMPLE; 1001].join(","));
    let cases: [(&str, &str); 3] = [
        ("not json", "invalid_input"),
        (ISSUE_EXAMPLE, "invalid_input"),
        (&many, "too_large"),
    ];
    for (stdin, code) in cases {
        let out = pushcore(&["simulate", "--shade", "-"], Some(stdin));
        assert_eq!(out.status.code(), Some(1), "{code}");
        assert!(out.stdout.is_empty());
        assert_eq!(json(&out.stderr)["error"], code);
    }
    let out = pushcore(&["simulate", "--shade"], Some("[]"));
    assert_eq!(out.status.code(), Some(2));
}
