//! A message is never refused for the length of its id, and dedup still
//! works for it: keys carry a fixed-size digest of long ids
//! (core/src/store/dedup_key.rs).

mod common;

use pushcore::outbound::{outbound_message_from_json, simulate};
use pushcore::payload::click_input_from_json;
use pushcore::store::dedup::DedupOutcome;
use pushcore::{ClickInput, PushChannel, ReceivedDecision, SuppressReason};

fn tap_with_message_id(id: &str, channel: PushChannel) -> ClickInput {
    let message = serde_json::json!({
        "message_type": "text", "message_id": id, "chat_type": "c2c",
        "sender": "alice", "content": "hi",
    });
    let message = outbound_message_from_json(message.to_string()).unwrap();
    let tap = simulate(&message, channel).unwrap();
    click_input_from_json(&tap.to_string()).unwrap()
}

#[test]
fn a_message_with_a_long_id_is_received_once_and_tapped_once() {
    for len in [100, 509, 4096, 30_000] {
        let id = format!("m-{}", "7".repeat(len));
        let (_dir, core) = common::example_core();
        let first = core
            .handle_received(
                tap_with_message_id(&id, PushChannel::Fcm),
                "fcm-data".into(),
            )
            .unwrap_or_else(|e| panic!("id of {len} bytes: {e}"));
        assert!(
            matches!(first.decision, ReceivedDecision::Show { .. }),
            "{len}: {:?}",
            first.decision
        );
        assert!(first.dedup_key.len() <= 160, "{len}: {}", first.dedup_key);
        let again = core
            .handle_received(
                tap_with_message_id(&id, PushChannel::Xiaomi),
                "im-online".into(),
            )
            .unwrap();
        assert_eq!(again.dedup_key, first.dedup_key, "{len}");
        assert!(
            matches!(
                again.decision,
                ReceivedDecision::Suppress {
                    reason: SuppressReason::Duplicate,
                    ..
                }
            ),
            "{len}: {:?}",
            again.decision
        );

        let tap = core
            .handle_tap(tap_with_message_id(&id, PushChannel::Huawei))
            .unwrap();
        assert_eq!(tap.dedup, Some(DedupOutcome::Fresh), "{len}");
        let tap = core
            .handle_tap(tap_with_message_id(&id, PushChannel::Oppo))
            .unwrap();
        assert!(
            matches!(tap.dedup, Some(DedupOutcome::Duplicate { .. })),
            "{len}: {:?}",
            tap.dedup
        );
    }
}

#[test]
fn two_long_ids_differing_only_at_the_end_are_two_messages() {
    let (_dir, core) = common::example_core();
    let stem = "m-".to_string() + &"7".repeat(600);
    let a = core
        .handle_received(
            tap_with_message_id(&format!("{stem}a"), PushChannel::Fcm),
            "fcm-data".into(),
        )
        .unwrap();
    let b = core
        .handle_received(
            tap_with_message_id(&format!("{stem}b"), PushChannel::Fcm),
            "fcm-data".into(),
        )
        .unwrap();
    assert_ne!(a.dedup_key, b.dedup_key);
    assert!(
        matches!(b.decision, ReceivedDecision::Show { .. }),
        "{:?}",
        b.decision
    );
}
