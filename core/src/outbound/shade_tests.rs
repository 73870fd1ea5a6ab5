//! The shade simulator: a sequence across conversations, played on every
//! channel under each policy.

use super::*;
use NotificationGrouping::{Off, PerMessage};

fn message(id: &str, chat_type: ChatType, sender: &str) -> OutboundMessage {
    OutboundMessage {
        message_type: OutboundMessageType::Text,
        message_id: Some(id.into()),
        chat_type,
        sender: sender.into(),
        nickname: None,
        face_url: None,
        content: id.into(),
        send_time: 1_732_600_000,
        options: OfflinePushOptions {
            desc: Some(id.into()),
            oppo_channel_id: Some("im".into()),
            ..Default::default()
        },
        truncate: false,
        call: None,
        receiver: None,
    }
}

/// bob, carol, bob again, then the team group.
fn sequence(policy: Option<NotificationGrouping>) -> Vec<OutboundMessage> {
    let mut messages = vec![
        message("b1", ChatType::C2c, "bob"),
        message("c1", ChatType::C2c, "carol"),
        message("b2", ChatType::C2c, "bob"),
        message("g1", ChatType::Group, "@TGS#team"),
    ];
    for m in &mut messages {
        m.options.grouping = policy;
    }
    messages
}

/// Each notification as `shows<replaced,...>@thread`, per channel.
fn picture(messages: &[OutboundMessage]) -> Vec<(PushChannel, Vec<String>)> {
    simulate_shade(messages)
        .unwrap()
        .into_iter()
        .map(|shade| {
            assert!(!shade.why.is_empty(), "{}: says why", shade.channel);
            let shown = shade
                .notifications
                .into_iter()
                .map(|n| {
                    let mut text = n.shows;
                    if !n.replaced.is_empty() {
                        text += &format!("<{}>", n.replaced.join(","));
                    }
                    if let Some(thread) = n.thread {
                        text += &format!("@{thread}");
                    }
                    text
                })
                .collect();
            (shade.channel, shown)
        })
        .collect()
}

fn expect(rows: &[(PushChannel, &[&str])]) -> Vec<(PushChannel, Vec<String>)> {
    rows.iter()
        .map(|(c, shown)| (*c, shown.iter().map(|s| s.to_string()).collect()))
        .collect()
}

#[test]
fn per_conversation_android_vendors_keep_one_notification_per_conversation() {
    use PushChannel::*;
    let replaced: &[&str] = &["c1", "b2<b1>", "g1"];
    let threads: &[&str] = &[
        "b1@conv:c2c_bob",
        "c1@conv:c2c_carol",
        "b2@conv:c2c_bob",
        "g1@conv:group_@TGS#team",
    ];
    let expected = expect(&[
        (Xiaomi, replaced),
        (Huawei, replaced),
        (Honor, replaced),
        (Oppo, replaced),
        (Vivo, replaced),
        (Meizu, &["b1", "c1", "b2", "g1"]),
        (Fcm, replaced),
        (Apns, threads),
    ]);
    assert_eq!(picture(&sequence(None)), expected);
}

#[test]
fn per_message_keeps_every_message_and_a_second_copy_replaces_only_itself() {
    use PushChannel::*;
    let mut messages = sequence(Some(PerMessage));
    messages.push(messages[2].clone());
    let own: &[&str] = &["b1", "c1", "g1", "b2<b2>"];
    let expected = expect(&[
        (Xiaomi, own),
        (Huawei, own),
        (Honor, own),
        (Oppo, own),
        (Vivo, own),
        (Meizu, &["b1", "c1", "b2", "g1", "b2"]),
        (Fcm, own),
        (
            Apns,
            &[
                "b1@conv:c2c_bob",
                "c1@conv:c2c_carol",
                "g1@conv:group_@TGS#team",
                "b2<b2>@conv:c2c_bob",
            ],
        ),
    ]);
    assert_eq!(picture(&messages), expected);
}

#[test]
fn off_leaves_each_vendor_default_and_xiaomi_keeps_one_for_the_app() {
    use PushChannel::*;
    let each: &[&str] = &["b1", "c1", "b2", "g1"];
    let expected = expect(&[
        (Xiaomi, &["g1<b1,c1,b2>"]),
        (Huawei, each),
        (Honor, each),
        (Oppo, each),
        (Vivo, each),
        (Meizu, each),
        (Fcm, each),
        (Apns, each),
    ]);
    assert_eq!(picture(&sequence(Some(Off))), expected);
}

#[test]
fn undelivered_and_unnamed_messages_are_handled() {
    let mut messages = sequence(None);
    messages[1].options.disable_push = true;
    messages[3].message_id = None;
    let xiaomi = &picture(&messages)[0];
    assert_eq!(xiaomi.0, PushChannel::Xiaomi);
    assert_eq!(xiaomi.1, ["b2<b1>", "#4"]);
    assert!(simulate_shade(&[])
        .unwrap()
        .iter()
        .all(|s| s.notifications.is_empty()));
}

#[test]
fn bad_input_is_a_typed_error() {
    let mut blank = sequence(None);
    blank[2].sender = " ".into();
    let code = |e: OutboundError| crate::PushError::from(e).code();
    assert_eq!(code(simulate_shade(&blank).unwrap_err()), "invalid_input");
    let many = vec![message("m", ChatType::C2c, "bob"); MAX_SHADE_MESSAGES + 1];
    assert_eq!(code(simulate_shade(&many).unwrap_err()), "too_large");
    assert!(simulate_shade(&many[..MAX_SHADE_MESSAGES]).is_ok());
}
