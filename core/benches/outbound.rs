//! build-push cost: a typical message (the docs example) and a heavy one
//! (long CJK title and body with truncation, a 2 KiB app ext).

use criterion::{criterion_group, criterion_main, Criterion};
use pushcore::outbound::{build_push, simulate, OutboundMessage};
use pushcore::PushChannel;
use std::hint::black_box;

fn example() -> OutboundMessage {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/examples/message.json");
    let json = std::fs::read_to_string(path).expect("docs/examples/message.json");
    OutboundMessage::from_json(&json).expect("example message")
}

fn heavy() -> OutboundMessage {
    let mut m = example();
    m.options.title = Some("群聊：周末去哪儿玩？👨‍👩‍👧‍👦".repeat(4));
    m.options.desc = Some("张三：我们周六上午十点在公园门口集合，记得带水。".repeat(10));
    m.options.ext = Some(serde_json::json!({ "blob": "x".repeat(2048) }).to_string());
    m.truncate = true;
    m
}

fn bench(c: &mut Criterion) {
    let typical = example();
    let big = heavy();
    c.bench_function("build_push/typical", |b| {
        b.iter(|| build_push(black_box(typical.clone())))
    });
    c.bench_function("build_push/heavy_truncated", |b| {
        b.iter(|| build_push(black_box(big.clone())))
    });
    c.bench_function("simulate/huawei", |b| {
        b.iter(|| simulate(black_box(&typical), PushChannel::Huawei))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
