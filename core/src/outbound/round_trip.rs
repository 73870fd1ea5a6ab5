//! Build -> simulate -> parse on every channel: what the sending side
//! produces, the tap parser must read back (chat type, sender, content and
//! the IM message id), with fixed and random messages.

use super::tests::tricky_text;
use super::*;
use crate::payload::{parse_click_json, TapChannel};
use proptest::prelude::*;

fn message(sender: &str, content: &str, id: Option<&str>, group: bool) -> OutboundMessage {
    OutboundMessage {
        message_type: OutboundMessageType::Text,
        message_id: id.map(str::to_string),
        chat_type: if group {
            OutboundChatType::Group
        } else {
            OutboundChatType::C2c
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
        receiver: None,
    }
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
            prop_assert_eq!(n.channel, TapChannel::from(channel), "{}", tap);
            prop_assert_eq!(
                n.chat_type.code(),
                u32::from(m.chat_type.entity_code()),
                "{}",
                channel
            );
            prop_assert_eq!(&n.sender, &m.sender, "{}", channel);
            prop_assert_eq!(
                n.content.as_deref().unwrap_or_default(),
                m.content.as_str(),
                "{}",
                channel
            );
            prop_assert_eq!(&n.message_id, &m.message_id, "{}", channel);
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_messages_round_trip_through_the_parser_on_every_channel(
        sender in tricky_text().prop_filter("sender not blank", |s| !s.trim().is_empty()),
        content in tricky_text(),
        id in proptest::option::of("[0-9]{6}-[0-9a-z;\"\\\\]{1,8}"),
        group in any::<bool>(),
    ) {
        check(&message(&sender, &content, id.as_deref(), group))?;
    }
}
