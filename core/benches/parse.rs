//! Tap parsing per channel, on typical (< 1 KiB) payloads shaped as each
//! channel delivers them. Target (issue 3): median under 3 µs per payload.
//!
//! `click_input/<channel>` is the app's path (an owned `ClickInput`, as the
//! bindings hand it over); `cli_json/<channel>` is the `pushcore parse` path.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use pushcore::payload::{click_input_from_json, parse_click, parse_click_json};
use serde_json::{json, Value};
use std::hint::black_box;
use std::time::Duration;

fn ext() -> String {
    json!({
        "entity": {
            "version": 1, "chatType": 1, "action": 1, "sender": "user_1024_abcdef",
            "nickname": "Lin Wei", "faceUrl": "https://cdn.example.com/avatar/1024.png",
            "content": "Are we still on for lunch tomorrow at the usual place?",
            "sendTime": 1732600000, "msgID": "144115233874815003-1732600000-123456"
        },
        "timPushFeatures": { "fcmPushType": 0, "fcmNotificationType": 0 }
    })
    .to_string()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn fixtures() -> Vec<(&'static str, Value)> {
    let ext = ext();
    let entity = serde_json::from_str::<Value>(&ext).unwrap()["entity"].to_string();
    vec![
        (
            "xiaomi",
            json!({"platform":"android","extras":{"key_message":{"messageId":"sdm04123456789012345Ab",
            "title":"Lin Wei","description":"Are we still on for lunch tomorrow?","extra":{"ext":ext,"notify_effect":"1"}}}}),
        ),
        (
            "huawei",
            json!({"platform":"android","channel_hint":"huawei","extras":{},
            "data_uri":format!("intent://com.example.im/push#Intent;scheme=pushscheme;launchFlags=0x4000000;S.ext={};end", encode(&ext))}),
        ),
        (
            "honor",
            json!({"platform":"android","channel_hint":"honor","extras":{"ext":ext}}),
        ),
        (
            "oppo",
            json!({"platform":"android","extras":{"entity":entity,"timPushFeatures":"{\"fcmPushType\":0}"}}),
        ),
        (
            "vivo",
            json!({"platform":"android","channel_hint":"vivo","extras":{"ext":ext,"vivo_push_messageId":"778899"}}),
        ),
        (
            "meizu",
            json!({"platform":"android","extras":{"selfDefineContentString":json!({"ext":ext}).to_string()}}),
        ),
        (
            "fcm",
            json!({"platform":"android","extras":{"ext":ext,"google.message_id":"0:1732600000000000%abcdef",
            "google.sent_time":1732600000000u64,"google.ttl":2419200,"from":"1234567890"}}),
        ),
        (
            "apns",
            json!({"platform":"ios","user_info":{"aps":{"alert":{"title":"Lin Wei","body":"Are we still on for lunch tomorrow?"},
            "badge":1,"sound":"default","mutable-content":1},"ext":ext}}),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    for (channel, input) in fixtures() {
        let text = input.to_string();
        assert!(
            text.len() < 1024,
            "{channel} fixture is {} bytes",
            text.len()
        );
        let bytes = text.as_bytes();
        parse_click_json(bytes).unwrap_or_else(|e| panic!("{channel}: {e}"));
        let click = click_input_from_json(&text).unwrap();
        c.bench_function(&format!("click_input/{channel}"), |b| {
            b.iter_batched(
                || click.clone(),
                |click| black_box(parse_click(click)),
                BatchSize::SmallInput,
            )
        });
        let mut arguments = Vec::new();
        <pushcore::ClickInput as uniffi::Lower<pushcore::UniFfiTag>>::write(
            click.clone(),
            &mut arguments,
        );
        bench_fast_call(
            c,
            &format!("fast_call/{channel}"),
            &arguments,
            pushcore::fast::pushcore_fast_parse_click_input,
        );
        if let pushcore::ClickInput::Android {
            extras_json,
            data_uri,
            channel_hint,
        } = &click
        {
            let extras: Value = serde_json::from_str(extras_json).unwrap();
            let mut tree = Vec::new();
            pushcore::fast::extras_tree::write_value(&extras, &mut tree);
            <Option<String> as uniffi::Lower<pushcore::UniFfiTag>>::write(
                data_uri.clone(),
                &mut tree,
            );
            <Option<pushcore::PushChannel> as uniffi::Lower<pushcore::UniFfiTag>>::write(
                *channel_hint,
                &mut tree,
            );
            bench_fast_call(
                c,
                &format!("fast_android_tap/{channel}"),
                &tree,
                pushcore::fast::pushcore_fast_parse_android_tap,
            );
        }
        c.bench_function(&format!("cli_json/{channel}"), |b| {
            b.iter(|| black_box(parse_click_json(black_box(bytes))))
        });
    }
}

/// One fast-door call per iteration: the arguments copied into a 16 KiB
/// buffer, as the Kotlin side writes them, then the C function.
fn bench_fast_call(
    c: &mut Criterion,
    name: &str,
    arguments: &[u8],
    call: unsafe extern "C" fn(u64, i32, i32) -> i32,
) {
    let mut buf = vec![0u8; 16 * 1024];
    c.bench_function(name, |b| {
        b.iter(|| {
            buf[..arguments.len()].copy_from_slice(arguments);
            // SAFETY: `buf` is a live buffer of the length passed.
            let status = unsafe {
                call(
                    buf.as_mut_ptr() as usize as u64,
                    arguments.len() as i32,
                    buf.len() as i32,
                )
            };
            assert_eq!(status, pushcore::fast::STATUS_OK);
            black_box(&buf);
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
