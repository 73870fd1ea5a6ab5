//! Table-driven tests of the grouping fields: per channel and policy which
//! field, which value, what it does; the conversation naming; the bounds;
//! and that the IM backend's `OfflinePushInfo` never gains a field.

use super::grouping::{fields, Plan};
use super::*;
use crate::entity::CallMedia;
use crate::store::ledger::Handle;
use serde_json::Value;
use GroupingEffect::{ReplacesApp, ReplacesConversation, Separate, ThreadedByConversation};
use NotificationGrouping::{Off, PerConversation, PerMessage};

/// `Handle::for_conversation("c2c_bob").id`, pinned by the ledger's test:
/// a sender and an installed app must agree on it.
const C2C_BOB_NOTIFY_ID: &str = "438054827";
const MESSAGE_ID: &str = "144115212345678901-1732600000-12345";

fn from_bob(policy: Option<NotificationGrouping>) -> OutboundMessage {
    OutboundMessage {
        message_type: OutboundMessageType::Text,
        message_id: Some(MESSAGE_ID.into()),
        chat_type: ChatType::C2c,
        sender: "bob".into(),
        nickname: None,
        face_url: None,
        content: "Hi".into(),
        send_time: 1_732_600_000,
        options: OfflinePushOptions {
            desc: Some("Hi".into()),
            oppo_channel_id: Some("im".into()),
            grouping: policy,
            ..Default::default()
        },
        truncate: false,
        call: None,
        receiver: None,
    }
}

/// (field name, value) pairs and the effect of one channel.
fn on(channel: PushChannel, message: &OutboundMessage) -> (Vec<(String, String)>, GroupingEffect) {
    let grouping = build_push(message.clone()).unwrap().grouping;
    let c = grouping
        .channels
        .into_iter()
        .find(|c| c.channel == channel)
        .unwrap();
    assert!(!c.note.is_empty(), "{channel}: every channel says why");
    let fields = c.fields.into_iter().map(|f| (f.name, f.value)).collect();
    (fields, c.effect)
}

/// A row: the policy asked, the channel, its fields and effect.
type Row<'a> = (
    Option<NotificationGrouping>,
    PushChannel,
    Vec<(&'a str, &'a str)>,
    GroupingEffect,
);

fn pairs(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    rows.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

#[test]
fn each_channel_sets_its_own_field_per_policy() {
    use PushChannel::*;
    let message_key = format!("im:{MESSAGE_ID}");
    let message_id = Handle::for_message(&message_key).id.to_string();
    let conv = "conv:c2c_bob";
    let by_conversation = |name| vec![(name, C2C_BOB_NOTIFY_ID)];
    let by_message = |name| vec![(name, message_id.as_str())];
    let apns = vec![
        (fields::APNS_THREAD_ID, conv),
        (fields::APNS_COLLAPSE_ID, message_key.as_str()),
    ];
    #[rustfmt::skip]
    let table: Vec<Row> = vec![
        (None, Xiaomi, by_conversation(fields::NOTIFY_ID), ReplacesConversation),
        (None, Huawei, by_conversation(fields::HUAWEI_NOTIFY_ID), ReplacesConversation),
        (None, Honor, by_conversation(fields::NOTIFY_ID), ReplacesConversation),
        (None, Oppo, by_conversation(fields::NOTIFY_ID), ReplacesConversation),
        (None, Vivo, by_conversation(fields::NOTIFY_ID), ReplacesConversation),
        (None, Meizu, vec![], Separate),
        (None, Fcm, vec![(fields::FCM_TAG, conv)], ReplacesConversation),
        (None, Apns, apns.clone(), ThreadedByConversation),
        (Some(PerConversation), Xiaomi, by_conversation(fields::NOTIFY_ID), ReplacesConversation),
        (Some(PerMessage), Xiaomi, by_message(fields::NOTIFY_ID), Separate),
        (Some(PerMessage), Huawei, by_message(fields::HUAWEI_NOTIFY_ID), Separate),
        (Some(PerMessage), Honor, by_message(fields::NOTIFY_ID), Separate),
        (Some(PerMessage), Oppo, by_message(fields::NOTIFY_ID), Separate),
        (Some(PerMessage), Vivo, by_message(fields::NOTIFY_ID), Separate),
        (Some(PerMessage), Meizu, vec![], Separate),
        (Some(PerMessage), Fcm, vec![(fields::FCM_TAG, message_key.as_str())], Separate),
        (Some(PerMessage), Apns, apns.clone(), ThreadedByConversation),
        (Some(Off), Xiaomi, vec![], ReplacesApp),
        (Some(Off), Huawei, vec![], Separate),
        (Some(Off), Honor, vec![], Separate),
        (Some(Off), Oppo, vec![], Separate),
        (Some(Off), Vivo, vec![], Separate),
        (Some(Off), Meizu, vec![], Separate),
        (Some(Off), Fcm, vec![], Separate),
        (Some(Off), Apns, vec![], Separate),
    ];
    for (policy, channel, expected_fields, expected_effect) in table {
        let (fields, effect) = on(channel, &from_bob(policy));
        assert_eq!(fields, pairs(&expected_fields), "{policy:?} {channel}");
        assert_eq!(effect, expected_effect, "{policy:?} {channel}");
    }
}

#[test]
fn the_effective_options_name_the_policy_applied() {
    for (asked, applied) in [
        (None, PerConversation),
        (Some(PerMessage), PerMessage),
        (Some(Off), Off),
    ] {
        let result = build_push(from_bob(asked)).unwrap();
        assert_eq!(result.options.grouping, Some(applied));
        assert_eq!(result.grouping.policy, applied);
        assert_eq!(result.grouping.channels.len(), PushChannel::ALL.len());
    }
}

#[test]
fn the_conversation_is_named_as_the_receiver_names_it() {
    let call = |group: Option<&str>| OutboundCall {
        call_id: "c-1".into(),
        media: CallMedia::Audio,
        invited: vec![],
        group_id: group.map(String::from),
    };
    let rows: Vec<(ChatType, &str, Option<OutboundCall>, &str)> = vec![
        (ChatType::C2c, "bob", None, "c2c_bob"),
        (ChatType::Group, "@TGS#team", None, "group_@TGS#team"),
        (ChatType::C2c, "carol", Some(call(None)), "c2c_carol"),
        (
            ChatType::Group,
            "carol",
            Some(call(Some("@TGS#team"))),
            "group_@TGS#team",
        ),
    ];
    for (chat_type, sender, call, expected) in rows {
        let mut m = from_bob(None);
        m.chat_type = chat_type;
        m.sender = sender.into();
        m.call = call;
        let result = build_push(m).unwrap();
        assert_eq!(result.grouping.conversation_id, expected);
        let fcm = &result.grouping.channels[PushChannel::ALL
            .iter()
            .position(|c| *c == PushChannel::Fcm)
            .unwrap()];
        assert_eq!(fcm.fields[0].value, Handle::for_conversation(expected).tag);
    }
}

#[test]
fn per_message_ids_differ_between_messages_and_repeat_for_one() {
    let ids = |m: &OutboundMessage| {
        let plan = Plan::of(m);
        (plan.notify_id, plan.fcm_tag, plan.collapse_id)
    };
    let first = from_bob(Some(PerMessage));
    let mut second = first.clone();
    second.message_id = Some("144115212345678901-1732600001-2".into());
    assert_ne!(ids(&first), ids(&second));
    assert_eq!(ids(&first), ids(&first.clone()));
    // Without an IM id the key is a digest of what ext carries.
    let mut no_id = first.clone();
    no_id.message_id = None;
    let mut other_text = no_id.clone();
    other_text.content = "Bye".into();
    assert_ne!(ids(&no_id), ids(&other_text));
    assert!(Plan::of(&no_id).collapse_id.unwrap().starts_with("digest:"));
    // Per conversation, two messages share the conversation's slot.
    assert_eq!(
        Plan::of(&from_bob(None)).notify_id,
        Plan::of(&{
            let mut m = second.clone();
            m.options.grouping = None;
            m
        })
        .notify_id
    );
}

#[test]
fn the_collapse_id_is_bounded_to_64_bytes_with_a_warning() {
    // "im:" + id: 64 bytes is kept verbatim, 65 is digested; an id over
    // 128 bytes already has a short key (`im#<digest>`, see dedup_key).
    for (id_len, bounded) in [(61, false), (62, true), (128, true), (4000, false)] {
        let mut m = from_bob(None);
        m.message_id = Some("7".repeat(id_len));
        let built = build(&m).unwrap();
        let collapse = built.grouping.collapse_id.clone().unwrap();
        assert!(collapse.len() <= APNS_COLLAPSE_ID_MAX_BYTES, "{id_len}");
        assert_eq!(built.grouping.collapse_id_bounded, bounded, "{id_len}");
        let warned = built.findings.iter().any(|f| {
            f.code == codes::APNS_COLLAPSE_ID_BOUNDED && f.channel == Some(PushChannel::Apns)
        });
        assert_eq!(warned, bounded, "{id_len}");
        match (bounded, id_len > 128) {
            (false, false) => assert_eq!(collapse, format!("im:{}", "7".repeat(id_len))),
            (false, true) => assert!(collapse.starts_with("im#"), "{collapse}"),
            (true, _) => assert!(collapse.starts_with("pc1:"), "{collapse}"),
        }
    }
    let (a, _) = grouping::bounded_collapse_id(&"a".repeat(65));
    let (b, _) = grouping::bounded_collapse_id(&"a".repeat(66));
    assert_ne!(a, b);
    assert_eq!(a, grouping::bounded_collapse_id(&"a".repeat(65)).0);
}

#[test]
fn a_huge_conversation_id_gives_bounded_tags_and_threads_never_an_error() {
    let mut m = from_bob(None);
    m.chat_type = ChatType::Group;
    m.sender = "g".repeat(50_000);
    let plan = Plan::of(&m);
    let limit = crate::store::ledger::identity::MAX_ID_BYTES;
    assert!(plan.thread_id.as_ref().unwrap().len() <= limit);
    assert!(plan.fcm_tag.as_ref().unwrap().len() <= limit);
    assert!(plan.notify_id.unwrap() >= 0);
    assert!(build_push(m).is_ok());
}

#[test]
fn the_apns_payload_check_counts_the_thread_id() {
    let size = |m: &OutboundMessage| {
        let tap = simulate(m, PushChannel::Apns).unwrap();
        tap["user_info"].to_string().len()
    };
    let off = size(&from_bob(Some(Off)));
    let threaded = size(&from_bob(None));
    assert_eq!(
        threaded - off,
        r#","thread-id":"conv:c2c_bob""#.len(),
        "the thread-id is in aps, so the 4096-byte check sees it"
    );
}

#[test]
fn the_im_offline_push_info_never_gains_a_grouping_key() {
    for policy in [None, Some(PerMessage), Some(Off)] {
        let result = build_push(from_bob(policy)).unwrap();
        let info: Value = serde_json::from_str(&result.offline_push_info_json).unwrap();
        let text = info.to_string();
        for word in [
            "notify", "Notify", "thread", "Thread", "collapse", "Collapse", "Group", "conv:",
        ] {
            assert!(!text.contains(word), "{word} in {text}");
        }
        let plain = build_push(from_bob(Some(Off))).unwrap();
        assert_eq!(result.offline_push_info_json, plain.offline_push_info_json);
    }
}

#[test]
fn vendor_ids_reach_the_simulated_taps_where_the_vendor_hands_them_over() {
    let m = from_bob(None);
    let xiaomi = simulate(&m, PushChannel::Xiaomi).unwrap();
    assert_eq!(
        xiaomi["extras"]["key_message"]["notifyId"].to_string(),
        C2C_BOB_NOTIFY_ID
    );
    let huawei = simulate(&m, PushChannel::Huawei).unwrap();
    assert_eq!(
        huawei["extras"]["_push_notifyid"].to_string(),
        C2C_BOB_NOTIFY_ID
    );
    let apns = simulate(&m, PushChannel::Apns).unwrap();
    assert_eq!(apns["user_info"]["aps"]["thread-id"], "conv:c2c_bob");
    let off = from_bob(Some(Off));
    assert!(
        simulate(&off, PushChannel::Xiaomi).unwrap()["extras"]["key_message"]
            .get("notifyId")
            .is_none()
    );
    assert!(
        simulate(&off, PushChannel::Apns).unwrap()["user_info"]["aps"]
            .get("thread-id")
            .is_none()
    );
}
