//! Each ledger capability through the facade, with messages built by the
//! sending side and delivered as the channels deliver them.

use super::*;
use crate::channel::PushChannel;
use crate::config::example_config;
use crate::routing::Route;
use crate::ClickInput;
use serde_json::json;
use std::sync::Arc;

fn core(dir: &tempfile::TempDir) -> Arc<PushCore> {
    PushCore::new(example_config(), dir.path().display().to_string()).unwrap()
}

/// A one-to-one text from `sender` with `id`, as `channel` delivers it.
fn message(id: &str, sender: &str, content: &str, send_time: u64) -> serde_json::Value {
    json!({"message_type":"text","message_id":id,"chat_type":"c2c","sender":sender,
           "content":content,"send_time":send_time})
}

fn via(message: &serde_json::Value, channel: PushChannel) -> ClickInput {
    crate::outbound::simulated_tap(&message.to_string(), channel)
}

fn receive(core: &PushCore, message: &serde_json::Value, channel: PushChannel) -> ReceivedDecision {
    core.handle_received(via(message, channel), channel.as_str().into())
        .unwrap()
        .decision
}

fn shown_handle(decision: ReceivedDecision) -> NotificationHandle {
    match decision {
        ReceivedDecision::Show { handle, .. } => handle,
        other => panic!("expected show, got {other:?}"),
    }
}

fn suppressed(reason: SuppressReason, badge: u32) -> ReceivedDecision {
    ReceivedDecision::Suppress {
        reason,
        badge: Some(badge),
    }
}

#[test]
fn a_recall_removes_the_notification_and_suppresses_its_late_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let m1 = message("m-1", "bob", "hi", 0);
    let h1 = shown_handle(receive(&core, &m1, PushChannel::Fcm));
    assert_eq!(
        core.on_message_recalled("m-1".into()).unwrap(),
        LedgerChange {
            remove: vec![h1],
            badge: 0
        }
    );
    // The vendor channel delivers it late: still recalled.
    assert_eq!(
        receive(&core, &m1, PushChannel::Xiaomi),
        suppressed(SuppressReason::Recalled, 0)
    );
    // A recall that overtakes its message.
    let change = core.on_message_recalled("m-2".into()).unwrap();
    assert!(change.remove.is_empty());
    assert_eq!(
        receive(&core, &message("m-2", "bob", "x", 0), PushChannel::Huawei),
        suppressed(SuppressReason::Recalled, 0)
    );
}

#[test]
fn a_conversation_read_elsewhere_removes_its_notifications_up_to_that_time() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let t: u64 = 1_750_000_000;
    let ms = |s: u64| i64::try_from(s * 1000).unwrap();
    let h1 = shown_handle(receive(
        &core,
        &message("b1", "bob", "one", t),
        PushChannel::Fcm,
    ));
    let h2 = shown_handle(receive(
        &core,
        &message("b2", "bob", "two", t + 5),
        PushChannel::Fcm,
    ));
    receive(&core, &message("c1", "carol", "hey", t), PushChannel::Fcm);
    assert_eq!(core.badge_count().unwrap(), 3);

    let table = [
        ("c2c_bob", ms(t), vec![h1], 2),
        ("c2c_bob", ms(t), vec![], 2),
        ("c2c_nobody", i64::MAX, vec![], 2),
        ("c2c_bob", ms(t + 5), vec![h2], 1),
    ];
    for (conversation, up_to, remove, badge) in table {
        assert_eq!(
            core.on_conversation_read(conversation.into(), up_to)
                .unwrap(),
            LedgerChange { remove, badge },
            "{conversation} {up_to}"
        );
    }
}

#[test]
fn a_swipe_a_tap_and_an_edit_each_answer_the_badge() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let m1 = message("m-1", "bob", "hi", 0);
    let h1 = shown_handle(receive(&core, &m1, PushChannel::Fcm));
    let m2 = message("m-2", "bob", "there", 0);
    receive(&core, &m2, PushChannel::Fcm);
    // The same message, edited while shown: replace it in place.
    assert_eq!(
        receive(
            &core,
            &message("m-1", "bob", "hi (edited)", 0),
            PushChannel::Fcm
        ),
        ReceivedDecision::Replace {
            handle: h1.clone(),
            badge: Some(2)
        }
    );
    assert_eq!(core.on_notification_dismissed(h1).unwrap().badge, 1);
    let tap = core.handle_tap(via(&m2, PushChannel::Fcm)).unwrap();
    assert_eq!(tap.badge, Some(0));
    assert_eq!(
        tap.route,
        Route::C2cChat {
            user_id: "bob".into()
        }
    );
}

#[test]
fn the_account_guard_suppresses_pushes_and_taps_for_other_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let to = |receiver: Option<&str>, id: &str| {
        let mut m = message(id, "carol", "hi", 0);
        if let Some(r) = receiver {
            m["receiver"] = json!(r);
        }
        m
    };
    let group = json!({"message_type":"text","message_id":"g-1","chat_type":"group",
                       "sender":"team","content":"hi","receiver":"alice"});
    // Before any login the guard is off.
    assert!(matches!(
        receive(&core, &to(Some("alice"), "a0"), PushChannel::Fcm),
        ReceivedDecision::Show { .. }
    ));
    core.ledger_session(Some("bob"));
    let table = [
        (to(Some("bob"), "b1"), None),
        (to(None, "n1"), None),
        (group, None),
        (to(Some("alice"), "a1"), Some(SuppressReason::OtherAccount)),
    ];
    for (m, expected) in table {
        let decision = receive(&core, &m, PushChannel::Xiaomi);
        match expected {
            Some(reason) => assert_eq!(decision, suppressed(reason, 3), "{m}"),
            None => assert!(matches!(decision, ReceivedDecision::Show { .. }), "{m}"),
        }
    }
    // A tap on alice's notification goes home, never into her chat.
    let tap = core
        .handle_tap(via(&to(Some("alice"), "a1"), PushChannel::Xiaomi))
        .unwrap();
    assert_eq!(tap.route, Route::Home);
    core.ledger_session(None);
    assert_eq!(
        receive(&core, &to(Some("bob"), "b2"), PushChannel::Fcm),
        suppressed(SuppressReason::LoggedOut, 0)
    );
    assert_eq!(core.badge_count().unwrap(), 0);
}

#[test]
fn a_platform_shown_notification_is_recorded_under_its_own_handle() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let m = message("m-9", "bob", "hi", 0);
    let n = core.parse_click(via(&m, PushChannel::Apns)).unwrap();
    let apns = NotificationHandle {
        tag: "5B1C3B0E-APNS".into(),
        id: 0,
    };
    let change = core
        .notification_shown(n.clone(), apns.clone(), "apns".into())
        .unwrap();
    assert_eq!(
        change,
        LedgerChange {
            remove: vec![],
            badge: 1
        }
    );
    assert_eq!(
        core.on_message_recalled("m-9".into()).unwrap().remove,
        vec![apns.clone()]
    );
    // Shown again after the recall (a race): it must go at once.
    let again = core
        .notification_shown(n, apns.clone(), "apns".into())
        .unwrap();
    assert_eq!(again.remove, vec![apns]);
}

#[test]
fn bad_input_is_a_typed_error_and_unknown_ids_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let cases: Vec<(&str, Result<LedgerChange, PushError>, &str)> = vec![
        (
            "blank message id",
            core.on_message_recalled(" ".into()),
            "invalid_input",
        ),
        (
            "blank conversation",
            core.on_conversation_read("".into(), 1),
            "invalid_input",
        ),
        (
            "negative time",
            core.on_conversation_read("c2c_bob".into(), -1),
            "invalid_input",
        ),
        (
            "huge source",
            core.notification_shown(
                core.parse_click(via(&message("m", "bob", "x", 0), PushChannel::Fcm))
                    .unwrap(),
                NotificationHandle {
                    tag: "t".into(),
                    id: 1,
                },
                "s".repeat(65),
            ),
            "too_large",
        ),
    ];
    for (name, result, code) in cases {
        assert_eq!(result.unwrap_err().code(), code, "{name}");
    }
    let huge = "x".repeat(100_000);
    assert_eq!(core.on_message_recalled(huge.clone()).unwrap().badge, 0);
    assert_eq!(core.on_conversation_read(huge, 5).unwrap().remove, vec![]);
}

#[test]
fn a_broken_store_shows_the_message_and_fails_the_ledger_calls_clearly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(crate::store::db::DB_FILE_NAME)).unwrap();
    let core = core(&dir);
    let decision = receive(&core, &message("m-1", "bob", "hi", 0), PushChannel::Fcm);
    assert!(
        matches!(decision, ReceivedDecision::Show { badge: None, .. }),
        "{decision:?}"
    );
    assert_eq!(
        core.on_message_recalled("m-1".into()).unwrap_err().code(),
        "storage"
    );
    assert_eq!(core.badge_count().unwrap_err().code(), "storage");
    let tap = core
        .handle_tap(via(&message("m-1", "bob", "hi", 0), PushChannel::Fcm))
        .unwrap();
    assert_eq!(tap.badge, None);
}
