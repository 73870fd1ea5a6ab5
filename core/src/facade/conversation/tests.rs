//! Conversations, mutes and quiet hours through the facade, with messages
//! built by the sending side and delivered as the channels deliver them.

use super::*;
use crate::channel::PushChannel;
use crate::config::example_config;
use crate::{ClickInput, ReceivedDecision, ReceivedOutcome, SuppressReason};
use serde_json::json;
use std::sync::Arc;

fn core(dir: &tempfile::TempDir) -> Arc<PushCore> {
    PushCore::new(example_config(), dir.path().display().to_string()).unwrap()
}

fn text(id: &str, sender: &str, nickname: &str, content: &str) -> ClickInput {
    let message = json!({"message_type":"text","message_id":id,"chat_type":"c2c",
        "sender":sender,"nickname":nickname,"content":content,"send_time":1_750_000_000});
    crate::outbound::simulated_tap(&message.to_string(), PushChannel::Fcm)
}

fn receive(core: &PushCore, input: ClickInput) -> ReceivedOutcome {
    core.handle_received(input, "fcm-data".into()).unwrap()
}

#[test]
fn a_received_message_answers_its_conversation_notification_beside_the_per_message_decision() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let mut last = None;
    for (id, content) in [("m1", "one"), ("m2", "two\nlines"), ("m3", "three")] {
        last = Some(receive(&core, text(id, "bob", "Bob \u{202E}B", content)));
    }
    let outcome = last.unwrap();
    assert!(
        matches!(&outcome.decision, ReceivedDecision::Show { handle, badge: Some(3) } if handle.tag == outcome.dedup_key),
        "{:?}",
        outcome.decision
    );
    assert!(!outcome.silent);
    let update = outcome.conversation.unwrap();
    let view = &update.post[0];
    assert_eq!(view.conversation_id, "c2c_bob");
    assert_eq!(view.handle.tag, "conv:c2c_bob");
    assert_eq!(view.group_key, GROUP_KEY);
    let lines: Vec<(&str, &str)> = view
        .lines
        .iter()
        .map(|l| (l.sender_name.as_str(), l.text.as_str()))
        .collect();
    assert_eq!(
        lines,
        [("Bob B", "one"), ("Bob B", "two lines"), ("Bob B", "three")]
    );
    assert_eq!(update.summary, None, "one conversation: no summary");

    let recalled = core.on_message_recalled_grouped("m2".into()).unwrap();
    assert_eq!(recalled.change.badge, 2);
    assert_eq!(recalled.change.remove.len(), 1);
    assert_eq!(recalled.conversations.post[0].lines.len(), 2);
    let read = core
        .on_conversation_read_grouped("c2c_bob".into(), i64::MAX)
        .unwrap();
    assert!(read.conversations.post.is_empty());
    assert_eq!(read.conversations.remove, vec![view.handle.clone()]);
    assert_eq!(read.change.badge, 0);
}

#[test]
fn a_second_conversation_brings_the_group_summary() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    receive(&core, text("a1", "ann", "Ann", "hi"));
    receive(&core, text("a2", "ann", "Ann", "hi again"));
    let outcome = receive(&core, text("c1", "cy", "Cy", "yo"));
    let update = outcome.conversation.unwrap();
    let summary = update.summary.unwrap();
    assert_eq!((summary.conversation_count, summary.unread_count), (2, 3));
    assert_eq!(summary.handle, update.summary_handle);
    let all = core.conversation_notifications().unwrap();
    assert_eq!(all.post.len(), 2);
    let dismissed = core
        .on_notification_dismissed_grouped(all.post[0].handle.clone())
        .unwrap();
    assert_eq!(dismissed.conversations.summary, None);
    assert_eq!(dismissed.change.badge, 1);
}

#[test]
fn mutes_and_quiet_hours_are_applied_and_bad_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    core.set_conversation_muted("c2c_bob".into(), None).unwrap();
    let muted = receive(&core, text("m1", "bob", "Bob", "psst"));
    assert_eq!(
        muted.decision,
        ReceivedDecision::Suppress {
            reason: SuppressReason::Muted,
            badge: Some(0)
        }
    );
    assert!(muted.conversation.is_none());
    assert_eq!(core.muted_conversations().unwrap().len(), 1);
    core.set_conversation_muted("c2c_bob".into(), Some(0))
        .unwrap();
    assert!(core.muted_conversations().unwrap().is_empty());

    // A whole-day-minus-a-minute window is on now, whatever the time.
    let always = |policy| QuietHours {
        start_minute: 0,
        end_minute: 1439,
        timezone: "UTC".into(),
        policy,
        silence_calls: false,
    };
    let now = crate::store::Clock::now_ms(&crate::store::SystemClock);
    let minute_of_day = (now / 60_000) % 1440;
    if minute_of_day < 1439 {
        core.set_quiet_hours(always(QuietHoursPolicy::ShowSilently))
            .unwrap();
        let quiet = receive(&core, text("m2", "bob", "Bob", "night"));
        assert!(quiet.silent);
        assert!(matches!(quiet.decision, ReceivedDecision::Show { .. }));
        core.set_quiet_hours(always(QuietHoursPolicy::Suppress))
            .unwrap();
        let quiet = receive(&core, text("m3", "bob", "Bob", "night"));
        assert!(matches!(
            quiet.decision,
            ReceivedDecision::Suppress {
                reason: SuppressReason::QuietHours,
                ..
            }
        ));
    }
    assert_eq!(
        core.quiet_hours().unwrap().map(|h| h.timezone),
        Some("UTC".into())
    );
    core.clear_quiet_hours().unwrap();
    assert_eq!(core.quiet_hours().unwrap(), None);

    let bad: Vec<(&str, Result<(), PushError>)> = vec![
        (
            "negative until",
            core.set_conversation_muted("c2c_bob".into(), Some(-5)),
        ),
        (
            "blank conversation",
            core.set_conversation_muted(" ".into(), None),
        ),
        (
            "unknown zone",
            core.set_quiet_hours(QuietHours {
                timezone: "Nowhere/Land".into(),
                ..always(QuietHoursPolicy::Suppress)
            }),
        ),
        (
            "start equals end",
            core.set_quiet_hours(QuietHours {
                end_minute: 0,
                ..always(QuietHoursPolicy::Suppress)
            }),
        ),
        (
            "minute out of range",
            core.set_quiet_hours(QuietHours {
                start_minute: 70_000,
                ..always(QuietHoursPolicy::Suppress)
            }),
        ),
    ];
    for (what, result) in bad {
        assert_eq!(result.unwrap_err().code(), "invalid_input", "{what}");
    }
    assert_eq!(core.quiet_hours().unwrap(), None, "nothing stored");
}
