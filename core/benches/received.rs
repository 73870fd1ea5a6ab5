//! A message the app received itself, through the facade (issue 16 target:
//! the received call stays within 1.5x of its cost before the ledger; the
//! target itself is checked with JMH through `FastCalls`, see
//! docs/performance.md). This is the same call without the JVM, to see
//! where the time goes: the repeat of a shown message (what the JMH
//! benchmark measures), a first sighting (a new message each time), and
//! the parse alone.
//! Run: `nice -n 19 cargo bench -p pushcore --bench received`.

use criterion::{criterion_group, criterion_main, Criterion};
use pushcore::{parse_click_input, push_config_from_json, ClickInput, PushChannel, PushCore};
use std::hint::black_box;
use std::time::Duration;

/// The extras the JMH benchmark sends (`TapBenchmark`), as JSON.
const EXTRAS: &str = r#"{"ext":"{\"entity\":{\"version\":1,\"chatType\":1,\"action\":1,\"sender\":\"user_1024_abcdef\",\"nickname\":\"Lin Wei\",\"faceUrl\":\"https://cdn.example.com/avatar/1024.png\",\"content\":\"Are we still on for lunch tomorrow at the usual place?\",\"sendTime\":1732600000,\"msgID\":\"144115233874815003-1732600000-123456\"},\"timPushFeatures\":{\"fcmPushType\":0,\"fcmNotificationType\":0}}","google.message_id":"0:1732600000000000%abcdef","google.sent_time":1732600000000,"google.ttl":2419200,"from":"1234567890"}"#;

fn input() -> ClickInput {
    ClickInput::Android {
        extras_json: EXTRAS.into(),
        data_uri: None,
        channel_hint: Some(PushChannel::Fcm),
    }
}

/// The same message with IM message id number `n`: a first sighting.
fn nth(n: u64) -> ClickInput {
    ClickInput::Android {
        extras_json: EXTRAS.replace("-123456", &format!("-{n}")),
        data_uri: None,
        channel_hint: Some(PushChannel::Fcm),
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let config = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/example-config.json"
    ))
    .unwrap();
    let core = PushCore::new(
        push_config_from_json(config).unwrap(),
        dir.path().display().to_string(),
    )
    .unwrap();
    core.handle_received(input(), "fcm-data".into()).unwrap();

    let mut group = c.benchmark_group("received");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("repeat_of_a_shown_message", |b| {
        b.iter(|| black_box(core.handle_received(input(), "fcm-data".into()).unwrap()))
    });
    // Each iteration a new message (one conversation, so its view grows to
    // the line cap and stays there); rows accumulate up to the row cap.
    let mut n = 0u64;
    group.bench_function("first_sighting", |b| {
        b.iter(|| {
            n += 1;
            black_box(core.handle_received(nth(n), "fcm-data".into()).unwrap())
        })
    });
    group.bench_function("parse_only", |b| {
        b.iter(|| black_box(parse_click_input(input()).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
