//! Notification ledger speed over 10,000 rows (issue 16 target: a recall or
//! a conversation read answers in under 1 ms, badge included). The worst
//! case: every row still shown (so the badge counts 10,000) for the
//! logged-in account, 500 conversations of 20 messages.
//! Run: `nice -n 19 cargo bench -p pushcore --bench ledger`; medians are in
//! target/criterion/ledger/<bench>/new/estimates.json.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use pushcore::config::DedupSettings;
use pushcore::store::ledger::{Handle, Ledger, Shown};
use pushcore::store::{Store, SystemClock};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

const ROWS: usize = 10_000;
const PER_CONVERSATION: usize = 20;

fn key(i: usize) -> String {
    format!("im:144115212345678901-1732600000-{i:06}")
}

fn conversation(i: usize) -> String {
    format!("c2c_user{:04}", i / PER_CONVERSATION)
}

fn show(ledger: &Ledger, i: usize) {
    let key = key(i);
    let conversation = conversation(i);
    ledger
        .record_shown(&Shown {
            message_key: &key,
            conversation: &conversation,
            handle: Handle::for_message(&key),
            message_ms: 1_732_600_000_000 + i as i64,
            content: "Lunch at noon?",
            source: "fcm-data",
        })
        .unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store =
        Arc::new(Store::open(dir.path().join("pushcore.db"), Arc::new(SystemClock)).unwrap());
    let ledger = Ledger::new(
        store,
        DedupSettings {
            max_rows: 1_000_000,
            ..DedupSettings::default()
        },
    );
    ledger.set_session(Some("alice")).unwrap();
    for i in 0..ROWS {
        show(&ledger, i);
    }
    assert_eq!(ledger.badge().unwrap() as usize, ROWS);

    let mut group = c.benchmark_group("ledger");
    group.measurement_time(Duration::from_secs(5));
    let mut next = ROWS;
    group.bench_function("recall_of_a_shown_message_10k_rows", |b| {
        b.iter_batched(
            || {
                // Show one more message (not measured), then recall it: a
                // recalled row stays recalled, so each recall needs a new one
                // (the table grows by the iterations, a few thousand rows).
                next += 1;
                show(&ledger, next);
                key(next)
            },
            |key| black_box(ledger.recall(&key).unwrap()),
            BatchSize::PerIteration,
        )
    });
    let mut conv = 0usize;
    group.bench_function("read_of_a_20_message_conversation_10k_rows", |b| {
        b.iter_batched(
            || {
                conv = (conv + 1) % (ROWS / PER_CONVERSATION);
                for i in conv * PER_CONVERSATION..(conv + 1) * PER_CONVERSATION {
                    show(&ledger, i);
                }
                conversation(conv * PER_CONVERSATION)
            },
            |conversation| {
                let change = ledger.read(&conversation, i64::MAX).unwrap();
                assert_eq!(change.remove.len(), PER_CONVERSATION);
                black_box(change)
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("badge_10k_unread", |b| {
        b.iter(|| black_box(ledger.badge().unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
