//! Build -> simulate -> parse on every channel: what the sending side
//! produces, the tap parser must read back (chat type, sender, content and
//! the IM message id; for a call, the caller, group, call id, media and
//! invited list), with fixed and random messages.

use super::tests::tricky_text;
use super::*;
use crate::entity::{CallMedia, ChatType};
use crate::payload::parse_click_json;
use proptest::prelude::*;

fn message(sender: &str, content: &str, id: Option<&str>, group: bool) -> OutboundMessage {
    OutboundMessage {
        message_type: OutboundMessageType::Text,
        message_id: id.map(str::to_string),
        chat_type: if group {
            ChatType::Group
        } else {
            ChatType::C2c
        },
        sender: sender.into(),
        nickname: Some("Nick \"N\"".into()),
        face_url: None,
        content: content.into(),
        send_time: 1_732_600_000,
        options: OfflinePushOptions {
            title: Some("Title; \\ \"q\"".into()),
            desc: Some(content.into()),
            oppo_channel_id: Some("im".into()),
            ..Default::default()
        },
        truncate: false,
        call: None,
        receiver: None,
    }
}

/// A call from `caller`; a group call when `group` is set.
fn call(caller: &str, call_id: &str, media: CallMedia, group: Option<&str>) -> OutboundMessage {
    let mut m = message(caller, "Incoming call", None, group.is_some());
    m.call = Some(OutboundCall {
        call_id: call_id.into(),
        media,
        invited: vec!["u2".into(), "张三".into()],
        group_id: group.map(str::to_string),
    });
    m
}

fn check(m: &OutboundMessage) -> Result<(), TestCaseError> {
    let mut variants = vec![m.clone()];
    let mut as_param = m.clone();
    as_param.options.ext_as_huawei_intent_param = true;
    variants.push(as_param);
    for m in &variants {
        for channel in PushChannel::ALL {
            let tap = simulate(m, channel).unwrap().to_string();
            let n = parse_click_json(tap.as_bytes())
                .map_err(|e| TestCaseError::fail(format!("{channel}: {e} in {tap}")))?;
            prop_assert_eq!(n.channel, Some(channel), "{}", tap);
            prop_assert_eq!(
                n.chat_type.map(ChatType::code),
                Some(m.chat_type.code()),
                "{}",
                channel
            );
            prop_assert_eq!(n.sender.as_deref(), Some(m.sender.as_str()), "{}", channel);
            prop_assert_eq!(&n.message_id, &m.message_id, "{}", channel);
            prop_assert!(n.findings.is_empty(), "{}: {:?}", channel, n.findings);
            match &m.call {
                None => prop_assert_eq!(
                    n.content.as_deref().unwrap_or_default(),
                    m.content.as_str(),
                    "{}",
                    channel
                ),
                Some(sent) => {
                    let call = n
                        .call
                        .as_ref()
                        .ok_or_else(|| TestCaseError::fail("no call"))?;
                    prop_assert_eq!(&call.caller, &m.sender);
                    prop_assert_eq!(&call.group_id, &sent.group_id);
                    prop_assert_eq!(call.call_id.as_deref(), Some(sent.call_id.as_str()));
                    prop_assert_eq!(call.media, sent.media);
                    prop_assert_eq!(&call.invited, &sent.invited);
                    let conversation = match &sent.group_id {
                        Some(group) => format!("group_{group}"),
                        None => format!("c2c_{}", m.sender),
                    };
                    prop_assert_eq!(n.conversation_id.as_deref(), Some(conversation.as_str()));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn fixed_messages_round_trip_through_the_parser_on_every_channel() {
    let rows: &[(&str, &str, Option<&str>, bool)] = &[
        (
            "alice",
            "Hello",
            Some("144115212345678901-1732600000-12345"),
            false,
        ),
        ("张三", "你好，世界；\"引号\" \\ 反斜杠", Some("m;1"), false),
        ("@TGS#1234", "👨‍👩‍👧‍👦 family; 👍🏽 e\u{301}", None, true),
        (
            "a;b=c#d%20",
            "%41 S.ext=x;end #Intent;",
            Some("id\"with\\quote"),
            true,
        ),
    ];
    for (sender, content, id, group) in rows {
        check(&message(sender, content, *id, *group)).unwrap();
    }
}

#[test]
fn one_to_one_and_group_calls_round_trip_on_every_channel() {
    check(&call("alice", "c-1", CallMedia::Audio, None)).unwrap();
    check(&call("u1", "c;\"2\"", CallMedia::Video, Some("@TGS#g1"))).unwrap();
    check(&call("u1", "c-3", CallMedia::Unknown, Some("g;=#%"))).unwrap();
}

#[test]
fn a_call_whose_chat_type_and_group_disagree_is_refused() {
    let mut group_without_id = call("u1", "c", CallMedia::Audio, None);
    group_without_id.chat_type = ChatType::Group;
    let mut c2c_with_group = call("u1", "c", CallMedia::Audio, Some("g"));
    c2c_with_group.chat_type = ChatType::C2c;
    for m in [group_without_id, c2c_with_group] {
        let code = build(&m).err().map(|e| crate::PushError::from(e).code());
        assert_eq!(code, Some("invalid_input"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_messages_round_trip_through_the_parser_on_every_channel(
        sender in tricky_text().prop_filter("sender not blank", |s| !s.trim().is_empty()),
        content in tricky_text(),
        id in proptest::option::of("[0-9]{6}-[0-9a-z;\"\\\\]{1,8}"),
        group in any::<bool>(),
        call_of in proptest::option::of((tricky_text().prop_filter("call id", |s| !s.is_empty()), 0usize..3)),
    ) {
        let mut m = message(&sender, &content, id.as_deref(), group);
        if let Some((call_id, media)) = call_of {
            m.call = Some(OutboundCall {
                call_id,
                media: [CallMedia::Audio, CallMedia::Video, CallMedia::Unknown][media],
                invited: vec![sender.clone()],
                group_id: group.then(|| format!("@TGS#{sender}")),
            });
        }
        check(&m)?;
    }
}
