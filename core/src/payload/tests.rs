//! Fixture tables per channel (shapes from push-facts.md section 3), one
//! table of rejections per error code, and property tests.

use super::*;
use crate::entity::{CallMedia, ImEntity, ImExt, TimPushFeatures};
use proptest::prelude::*;
use serde_json::json;

/// The public code a payload error reaches the app with (the facade's
/// mapping), the one docs/limits.md lists per input.
fn code(error: PayloadError) -> &'static str {
    crate::error::PushError::from(error).code()
}

fn ext_text(entity: Value) -> String {
    json!({ "entity": entity }).to_string()
}

fn ext_current(entity: Value) -> String {
    json!({ "entity": entity, "timPushFeatures": {"fcmPushType": 0, "fcmNotificationType": 0} })
        .to_string()
}

fn c2c(sender: &str) -> Value {
    json!({"version":1,"chatType":1,"action":1,"sender":sender,"nickname":"Lin","faceUrl":"https://cdn.example.com/a.png","content":"Are you there?","sendTime":0})
}

fn group(sender: &str) -> Value {
    json!({"version":1,"chatType":2,"action":1,"sender":sender,"nickname":"Team","content":"[3 new]","sendTime":1732600000})
}

fn call(sender: &str) -> Value {
    let signalling = json!({"version":4,"call_id":"call-1","room_id":1234,"call_type":1,"invited_list":["me"],"timeout":30});
    json!({"version":1,"chatType":1,"action":2,"sender":sender,"content":signalling.to_string(),"sendTime":1732600001})
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn intent_uri(ext: &str, more: &str) -> String {
    format!(
        "intent://com.example.im/push?from=vendor#Intent;scheme=pushscheme;launchFlags=0x4000000;{more}S.ext={};end",
        encode(ext)
    )
}

/// What a fixture must parse to.
struct Expect {
    channel: Option<PushChannel>,
    chat_type: ChatType,
    sender: &'static str,
    action: NotificationAction,
    vendor_message_id: Option<&'static str>,
    vendor_notification_id: Option<&'static str>,
    title: Option<&'static str>,
    body: Option<&'static str>,
    extra: Option<(&'static str, &'static str)>,
}

fn expect(
    channel: Option<PushChannel>,
    chat_type: ChatType,
    sender: &'static str,
    action: NotificationAction,
) -> Expect {
    Expect {
        channel,
        chat_type,
        sender,
        action,
        vendor_message_id: None,
        vendor_notification_id: None,
        title: None,
        body: None,
        extra: None,
    }
}

fn fixtures() -> Vec<(&'static str, Value, Expect)> {
    use ChatType::*;
    use NotificationAction::*;
    use PushChannel as T;
    vec![
        // Xiaomi: MiPushMessage under key_message, ext in its `extra` map.
        (
            "xiaomi c2c old form",
            json!({"platform":"android","extras":{"key_message":{
            "messageId":"sdm04123456789012345Ab","title":"Lin","description":"Are you there?",
            "notifyId":17,"content":"","extra":{"ext":ext_text(c2c("user_42")),"notify_effect":"1"}}}}),
            Expect {
                vendor_message_id: Some("sdm04123456789012345Ab"),
                vendor_notification_id: Some("17"),
                title: Some("Lin"),
                body: Some("Are you there?"),
                extra: Some(("notify_effect", "1")),
                ..expect(Some(T::Xiaomi), C2c, "user_42", Chat)
            },
        ),
        (
            "xiaomi group, message as JSON text",
            json!({"platform":"android","channel_hint":"xiaomi","extras":{"key_message":
            json!({"messageId":"sdm1","title":"Team","description":"[3 new]","extra":{"ext":ext_current(group("@TGS#2ABC"))}}).to_string()}}),
            Expect {
                vendor_message_id: Some("sdm1"),
                title: Some("Team"),
                body: Some("[3 new]"),
                ..expect(Some(T::Xiaomi), Group, "@TGS#2ABC", Chat)
            },
        ),
        (
            "xiaomi call, numeric message id, wrong hint",
            json!({"platform":"android","channel_hint":"huawei","extras":{"key_message":{
            "messageId":123456,"extra":{"ext":ext_text(call("bob"))}},"profile":"work"}}),
            Expect {
                vendor_message_id: Some("123456"),
                extra: Some(("profile", "work")),
                ..expect(Some(T::Xiaomi), C2c, "bob", Call)
            },
        ),
        // Huawei: S.ext in the click intent URI, or a bare ext extra.
        (
            "huawei intent uri",
            json!({"platform":"android","channel_hint":"huawei","extras":{},
            "data_uri":intent_uri(&ext_text(c2c("user_1")), "")}),
            expect(Some(T::Huawei), C2c, "user_1", Chat),
        ),
        (
            "huawei ext as intent parameter",
            json!({"platform":"android","channel_hint":"huawei",
            "extras":{"ext":ext_current(group("grp_9")),"_push_msgid":"hw123","_push_notifyid":4,"_push_cmd_type":"1"}}),
            Expect {
                vendor_message_id: Some("hw123"),
                vendor_notification_id: Some("4"),
                extra: Some(("_push_cmd_type", "1")),
                ..expect(Some(T::Huawei), Group, "grp_9", Chat)
            },
        ),
        (
            "huawei ext as intent parameter, no hint: its ids name it",
            json!({"platform":"android","extras":{"ext":ext_text(c2c("hw_user")),"_push_msgid":"hw9","_push_notifyid":"12"}}),
            Expect {
                vendor_message_id: Some("hw9"),
                vendor_notification_id: Some("12"),
                ..expect(Some(T::Huawei), C2c, "hw_user", Chat)
            },
        ),
        (
            "huawei intent uri, no hint, command type only",
            json!({"platform":"android","extras":{"_push_cmd_type":"1"},
            "data_uri":intent_uri(&ext_text(c2c("hw2")), "")}),
            expect(Some(T::Huawei), C2c, "hw2", Chat),
        ),
        (
            "huawei intent uri with typed extras",
            json!({"platform":"android","channel_hint":"huawei","extras":{},
            "data_uri":intent_uri(&ext_text(call("carol")), "i.badge=3;B.silent=true;")}),
            Expect {
                extra: Some(("badge", "3")),
                ..expect(Some(T::Huawei), C2c, "carol", Call)
            },
        ),
        // Honor: the same shapes; the hint tells them apart.
        (
            "honor intent uri",
            json!({"platform":"android","channel_hint":"honor","extras":{},
            "data_uri":intent_uri(&ext_current(c2c("dave")), "")}),
            expect(Some(T::Honor), C2c, "dave", Chat),
        ),
        (
            "honor ext extra",
            json!({"platform":"android","channel_hint":"honor","extras":{"ext":ext_text(group("g-honor"))}}),
            expect(Some(T::Honor), Group, "g-honor", Chat),
        ),
        (
            "honor intent uri, ext also delivered as extra",
            json!({"platform":"android","channel_hint":"honor",
            "extras":{"ext":ext_text(call("erin"))},"data_uri":intent_uri(&ext_text(call("erin")), "S.tag=a%2Bb;")}),
            Expect {
                extra: Some(("tag", "a+b")),
                ..expect(Some(T::Honor), C2c, "erin", Call)
            },
        ),
        // OPPO: each top-level key of ext is its own extra.
        (
            "oppo entity extra",
            json!({"platform":"android","extras":{"entity":c2c("frank").to_string()}}),
            expect(Some(T::Oppo), C2c, "frank", Chat),
        ),
        (
            "oppo entity and features",
            json!({"platform":"android","channel_hint":"oppo","extras":{
            "entity":group("g-oppo").to_string(),"timPushFeatures":"{\"fcmPushType\":0}"}}),
            expect(Some(T::Oppo), Group, "g-oppo", Chat),
        ),
        (
            "oppo, flutter's conversationID as its own extra",
            json!({"platform":"android","extras":{"conversationID":"group_@TGS#fl","from":"flutter"}}),
            Expect {
                extra: Some(("from", "flutter")),
                ..expect(Some(T::Oppo), Group, "@TGS#fl", Chat)
            },
        ),
        (
            "oppo with an app key",
            json!({"platform":"android","extras":{"entity":call("gina").to_string(),"orderId":"o-77"}}),
            Expect {
                extra: Some(("orderId", "o-77")),
                ..expect(Some(T::Oppo), C2c, "gina", Call)
            },
        ),
        // vivo: bare ext extra.
        (
            "vivo c2c",
            json!({"platform":"android","channel_hint":"vivo","extras":{"ext":ext_text(c2c("hank"))}}),
            expect(Some(T::Vivo), C2c, "hank", Chat),
        ),
        (
            "vivo group current form",
            json!({"platform":"android","channel_hint":"vivo","extras":{"ext":ext_current(group("g-vivo")),"vivo_push_messageId":"7788"}}),
            Expect {
                vendor_message_id: Some("7788"),
                ..expect(Some(T::Vivo), Group, "g-vivo", Chat)
            },
        ),
        (
            "vivo without hint: its message id names it",
            json!({"platform":"android","extras":{"ext":ext_text(c2c("vv")),"vivo_push_messageId":7789}}),
            Expect {
                vendor_message_id: Some("7789"),
                ..expect(Some(T::Vivo), C2c, "vv", Chat)
            },
        ),
        (
            "vivo call",
            json!({"platform":"android","channel_hint":"vivo","extras":{"ext":ext_text(call("ivy"))}}),
            expect(Some(T::Vivo), C2c, "ivy", Call),
        ),
        // Meizu: bare ext extra, or selfDefineContentString from the callback.
        (
            "meizu ext extra",
            json!({"platform":"android","channel_hint":"meizu","extras":{"ext":ext_text(c2c("jack"))}}),
            expect(Some(T::Meizu), C2c, "jack", Chat),
        ),
        (
            "meizu selfDefineContentString",
            json!({"platform":"android","extras":{
            "selfDefineContentString":json!({"ext":ext_current(group("g-mz"))}).to_string()}}),
            expect(Some(T::Meizu), Group, "g-mz", Chat),
        ),
        (
            "meizu selfDefineContentString with app key",
            json!({"platform":"android","extras":{
            "selfDefineContentString":json!({"ext":ext_text(call("kim")),"campaign":"spring"}).to_string()}}),
            Expect {
                extra: Some(("campaign", "spring")),
                ..expect(Some(T::Meizu), C2c, "kim", Call)
            },
        ),
        // FCM: data key ext beside google.* keys; shape beats the hint.
        (
            "fcm tray intent",
            json!({"platform":"android","channel_hint":"fcm","extras":{"ext":ext_text(c2c("leo")),
            "google.message_id":"0:1732600000000000%abcdef","google.sent_time":1732600000000i64,"google.ttl":2419200,"from":"1234567890","collapse_key":"com.example.im"}}),
            Expect {
                vendor_message_id: Some("0:1732600000000000%abcdef"),
                extra: Some(("google.ttl", "2419200")),
                ..expect(Some(T::Fcm), C2c, "leo", Chat)
            },
        ),
        (
            "fcm on a xiaomi phone",
            json!({"platform":"android","channel_hint":"xiaomi","extras":{"ext":ext_current(group("g-fcm")),
            "google.message_id":"0:99","google.delivered_priority":"high"}}),
            Expect {
                vendor_message_id: Some("0:99"),
                ..expect(Some(T::Fcm), Group, "g-fcm", Chat)
            },
        ),
        (
            "fcm call, ext already an object",
            json!({"platform":"android","extras":{"ext":{"entity":call("mia")},"google.message_id":"0:5"}}),
            Expect {
                vendor_message_id: Some("0:5"),
                ..expect(Some(T::Fcm), C2c, "mia", Call)
            },
        ),
        // APNs: userInfo ext beside aps.
        (
            "apns alert object",
            json!({"platform":"ios","user_info":{"aps":{"alert":{"title":"Lin","body":"Are you there?"},"badge":1,"sound":"default","mutable-content":1},
            "ext":ext_text(c2c("ned"))}}),
            Expect {
                title: Some("Lin"),
                body: Some("Are you there?"),
                ..expect(Some(T::Apns), C2c, "ned", Chat)
            },
        ),
        (
            "apns alert string",
            json!({"platform":"ios","user_info":{"aps":{"alert":"[3 new]"},"ext":ext_current(group("g-ios"))}}),
            Expect {
                body: Some("[3 new]"),
                ..expect(Some(T::Apns), Group, "g-ios", Chat)
            },
        ),
        (
            "apns relayed by fcm",
            json!({"platform":"ios","user_info":{"aps":{"alert":{"title":"Lin","body":"hi"}},
            "gcm.message_id":"1732600000123456","google.c.a.e":"1","ext":ext_text(c2c("rel"))}}),
            Expect {
                vendor_message_id: Some("1732600000123456"),
                title: Some("Lin"),
                body: Some("hi"),
                extra: Some(("google.c.a.e", "1")),
                ..expect(Some(T::Fcm), C2c, "rel", Chat)
            },
        ),
        (
            "fcm tray intent with gcm.message_id only",
            json!({"platform":"android","extras":{"ext":ext_text(c2c("gcm")),"gcm.message_id":"0:77"}}),
            Expect {
                vendor_message_id: Some("0:77"),
                ..expect(Some(T::Fcm), C2c, "gcm", Chat)
            },
        ),
        (
            "apns userInfo as JSON text, app key",
            json!({"platform":"ios","user_info":
            json!({"aps":{"alert":{"title":"Call"},"sound":"ring.caf"},"ext":{"entity":call("olga"),"room":"r1"}}).to_string()}),
            Expect {
                title: Some("Call"),
                extra: Some(("room", "r1")),
                ..expect(Some(T::Apns), C2c, "olga", Call)
            },
        ),
        // Ambiguous shapes without a hint.
        (
            "bare ext without hint",
            json!({"platform":"android","extras":{"ext":ext_text(c2c("pat"))}}),
            expect(None, C2c, "pat", Chat),
        ),
        (
            "intent uri without hint",
            json!({"platform":"android","extras":{},"data_uri":intent_uri(&ext_text(c2c("quinn")), "")}),
            expect(None, C2c, "quinn", Chat),
        ),
    ]
}

#[test]
fn every_channel_fixture_parses_to_its_expected_fields() {
    let fixtures = fixtures();
    for channel in PushChannel::ALL {
        let count = fixtures
            .iter()
            .filter(|(_, _, e)| e.channel == Some(channel))
            .count();
        assert!(count >= 3, "{channel:?} has {count} fixtures");
    }
    for (name, input, e) in fixtures {
        let text = input.to_string();
        let n = parse_click_json(text.as_bytes()).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(n.channel, e.channel, "{name}");
        assert_eq!(n.chat_type, Some(e.chat_type), "{name}");
        assert_eq!(n.sender.as_deref(), Some(e.sender), "{name}");
        assert_eq!(
            n.conversation_id,
            Some(format!("{}_{}", e.chat_type.as_str(), e.sender)),
            "{name}"
        );
        assert_eq!(n.action, e.action, "{name}");
        assert_eq!(
            n.vendor_message_id.as_deref(),
            e.vendor_message_id,
            "{name}"
        );
        assert_eq!(
            n.vendor_notification_id.as_deref(),
            e.vendor_notification_id,
            "{name}"
        );
        assert!(n.findings.is_empty(), "{name}: {:?}", n.findings);
        assert_eq!(n.title.as_deref(), e.title, "{name}");
        assert_eq!(n.body.as_deref(), e.body, "{name}");
        assert!(!n.newer_version, "{name}");
        if let Some((key, value)) = e.extra {
            assert_eq!(
                n.extras.get(key).map(String::as_str),
                Some(value),
                "{name}: {:?}",
                n.extras
            );
        }
        for used in [
            "ext",
            "entity",
            "key_message",
            "google.message_id",
            "gcm.message_id",
            "_push_msgid",
            "_push_notifyid",
            "vivo_push_messageId",
            "aps",
            "selfDefineContentString",
        ] {
            assert!(
                !n.extras.contains_key(used),
                "{name}: `{used}` leaked into extras"
            );
        }
        // The exported ClickInput path agrees with the JSON path.
        let via_input = parse_click(click_input_from_json(&text).unwrap()).unwrap();
        assert_eq!(via_input, n, "{name}");
    }
}

#[test]
fn entity_fields_survive_the_trip() {
    let entity = json!({"version":1,"chatType":1,"action":1,"sender":"u1","nickname":"Lin","faceUrl":"https://f/a.png",
        "content":"hi","sendTime":1732600000,"customData":[1,2,3],"msgID":"144115233874815003-1732600000-123"});
    let n = parse_click_json(
        json!({"platform":"android","channel_hint":"vivo","extras":{"ext":ext_text(entity)}})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(n.nickname.as_deref(), Some("Lin"));
    assert_eq!(n.face_url.as_deref(), Some("https://f/a.png"));
    assert_eq!(n.content.as_deref(), Some("hi"));
    assert_eq!(n.send_time, 1_732_600_000);
    assert_eq!(n.custom_data, Some(vec![1, 2, 3]));
    assert_eq!(
        n.message_id.as_deref(),
        Some("144115233874815003-1732600000-123")
    );
    assert_eq!(n.version, 1);
}

#[test]
fn a_newer_version_is_parsed_and_flagged_not_dropped() {
    let entity = json!({"version":7,"chatType":2,"action":9,"sender":"g","futureField":{"x":1}});
    let n = parse_click_json(
        json!({"platform":"ios","user_info":{"ext":ext_text(entity)}})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert!(n.newer_version);
    assert_eq!(n.version, 7);
    assert_eq!(n.action, NotificationAction::Other { code: 9 });
    assert_eq!(n.conversation_id.as_deref(), Some("group_g"));
}

fn deep(levels: usize) -> String {
    format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
}

#[test]
fn every_error_code_has_its_rejections() {
    let big = "x".repeat(limits::MAX_INPUT_BYTES);
    let table: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not JSON", b"{oops".to_vec(), "invalid_input"),
        ("invalid UTF-8", b"{\"platform\":\"ios\",\"user_info\":{\"ext\":\"\xff\"}}".to_vec(), "invalid_input"),
        ("not an object", b"[1]".to_vec(), "invalid_input"),
        ("no platform", br#"{"extras":{}}"#.to_vec(), "invalid_input"),
        ("unknown platform", br#"{"platform":"windows"}"#.to_vec(), "invalid_input"),
        ("extras not an object", br#"{"platform":"android","extras":[]}"#.to_vec(), "invalid_input"),
        ("unknown hint", br#"{"platform":"android","extras":{"ext":"{}"},"channel_hint":"nokia"}"#.to_vec(), "invalid_input"),
        ("malformed intent uri", br#"{"platform":"android","extras":{},"data_uri":"intent:#Intent;S.ext=%ZZ;end"}"#.to_vec(), "invalid_input"),
        ("no ext at all", br#"{"platform":"android","extras":{"foo":"bar"}}"#.to_vec(), "no_push_payload"),
        ("ios without ext", br#"{"platform":"ios","user_info":{"aps":{"alert":"hi"}}}"#.to_vec(), "no_push_payload"),
        ("xiaomi without ext", br#"{"platform":"android","extras":{"key_message":{"extra":{}}}}"#.to_vec(), "no_push_payload"),
        ("fcm without ext", br#"{"platform":"android","extras":{"google.message_id":"0:1"}}"#.to_vec(), "no_push_payload"),
        ("ext is null", br#"{"platform":"android","extras":{"ext":null}}"#.to_vec(), "no_push_payload"),
        ("ext not JSON", br#"{"platform":"android","extras":{"ext":"{entity:"}}"#.to_vec(), "invalid_ext"),
        ("missing entity", br#"{"platform":"android","extras":{"ext":"{\"foo\":1}"}}"#.to_vec(), "invalid_ext"),
        ("wrong routing field type", br#"{"platform":"ios","user_info":{"ext":{"entity":{"chatType":1,"sender":"u","action":[]}}}}"#.to_vec(), "invalid_ext"),
        ("conversationID with an unknown prefix", br#"{"platform":"ios","user_info":{"ext":{"conversationID":"topic_x"}}}"#.to_vec(), "invalid_ext"),
        ("conversationID naming nobody", br#"{"platform":"ios","user_info":{"ext":"{\"conversationID\":\"c2c_\"}"}}"#.to_vec(), "invalid_ext"),
        ("oppo entity not JSON", br#"{"platform":"android","extras":{"entity":"nope"}}"#.to_vec(), "invalid_ext"),
        ("chat type out of range", br#"{"platform":"ios","user_info":{"ext":{"entity":{"chatType":3,"sender":"u"}}}}"#.to_vec(), "unsupported_payload"),
        ("over 64 KiB", format!(r#"{{"platform":"ios","user_info":{{"pad":"{big}"}}}}"#).into_bytes(), "too_large"),
        ("nested too deep", format!(r#"{{"platform":"ios","user_info":{{"pad":{}}}}}"#, deep(63)).into_bytes(), "too_large"),
        ("ext nested too deep", json!({"platform":"ios","user_info":{"ext":format!("{{\"entity\":{{}},\"x\":{}}}", deep(64))}}).to_string().into_bytes(), "too_large"),
    ];
    for (name, input, code) in table {
        let err = parse_click_json(&input).expect_err(name);
        assert_eq!(self::code(err.clone()), code, "{name}: {err}");
    }
}

#[test]
fn click_input_limits_and_empty_extras() {
    let too_big = ClickInput::Android {
        extras_json: "{}".into(),
        data_uri: Some("x".repeat(limits::MAX_INPUT_BYTES)),
        channel_hint: None,
    };
    assert_eq!(code(parse_click(too_big).unwrap_err()), "too_large");
    let empty = ClickInput::Android {
        extras_json: String::new(),
        data_uri: None,
        channel_hint: None,
    };
    assert_eq!(code(parse_click(empty).unwrap_err()), "no_push_payload");
    let ios = ClickInput::Ios {
        user_info_json: "42".into(),
    };
    assert_eq!(code(parse_click(ios).unwrap_err()), "invalid_input");
}

// ---- property tests -------------------------------------------------------

const ALL_CHANNELS: [PushChannel; 8] = PushChannel::ALL;

fn entity_strategy() -> impl Strategy<Value = ImExt> {
    (
        (
            1u32..4,
            prop_oneof![Just(ChatType::C2c), Just(ChatType::Group)],
            1u32..6,
            "\\PC{1,24}",
        ),
        (
            proptest::option::of("\\PC{0,16}"),
            proptest::option::of("\\PC{0,32}"),
            proptest::option::of("\\PC{0,64}"),
        ),
        (
            any::<u64>(),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..16)),
            proptest::option::of("[a-z0-9-]{1,20}"),
        ),
        (any::<bool>(), proptest::option::of("[a-zA-Z]{1,8}")),
    )
        .prop_map(
            |(
                (version, chat_type, action, sender),
                (nickname, face_url, content),
                (send_time, custom_data, message_id),
                (features, app_key),
            )| ImExt {
                entity: ImEntity {
                    version,
                    chat_type,
                    action: NotificationAction::from_code(action),
                    sender,
                    nickname,
                    face_url,
                    content,
                    send_time,
                    custom_data,
                    message_id,
                },
                features: features.then_some(TimPushFeatures {
                    fcm_push_type: Some(0),
                    fcm_notification_type: Some(1),
                }),
                app_keys: app_key
                    .filter(|k| !["entity", "timPushFeatures", "ext"].contains(&k.as_str()))
                    .map(|k| Map::from_iter([(format!("app_{k}"), json!("v"))]))
                    .unwrap_or_default(),
            },
        )
}

/// Renders an ext into the tap shape the channel delivers (test-only).
fn render(channel: PushChannel, ext: &ImExt) -> Value {
    let text = ext.to_json_string();
    match channel {
        PushChannel::Xiaomi => {
            json!({"platform":"android","extras":{"key_message":{"messageId":"sdm1","extra":{"ext":text}}}})
        }
        PushChannel::Huawei | PushChannel::Honor => {
            json!({"platform":"android","channel_hint":channel.as_str(),
            "extras":{},"data_uri":intent_uri(&text, "")})
        }
        PushChannel::Oppo => {
            let doc: Map<String, Value> = serde_json::from_str(&text).unwrap();
            let extras: Map<String, Value> = doc
                .into_iter()
                .map(|(k, v)| {
                    (
                        k,
                        match v {
                            Value::String(s) => Value::String(s),
                            other => Value::String(other.to_string()),
                        },
                    )
                })
                .collect();
            json!({"platform":"android","extras":extras})
        }
        PushChannel::Vivo | PushChannel::Meizu => {
            json!({"platform":"android","channel_hint":channel.as_str(),"extras":{"ext":text}})
        }
        PushChannel::Fcm => {
            json!({"platform":"android","extras":{"ext":text,"google.message_id":"0:1"}})
        }
        PushChannel::Apns => {
            json!({"platform":"ios","user_info":{"aps":{"alert":{"title":"t","body":"b"}},"ext":text}})
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_entity_in_any_channel_parses_back(ext in entity_strategy(), pick in 0usize..8) {
        let channel = ALL_CHANNELS[pick];
        let n = parse_click_json(render(channel, &ext).to_string().as_bytes()).unwrap();
        let e = &ext.entity;
        prop_assert_eq!(n.channel, Some(channel));
        prop_assert_eq!(n.chat_type, Some(e.chat_type));
        prop_assert_eq!(n.action, e.action);
        prop_assert_eq!(n.sender.as_ref(), Some(&e.sender));
        prop_assert_eq!(&n.nickname, &e.nickname);
        prop_assert_eq!(&n.face_url, &e.face_url);
        if e.action == NotificationAction::Call {
            // A call's content is signalling, never text to show.
            prop_assert_eq!(&n.content, &None);
            prop_assert_eq!(n.call.as_ref().map(|c| &c.caller), Some(&e.sender));
        } else {
            prop_assert_eq!(&n.content, &e.content);
            prop_assert!(n.findings.is_empty(), "{:?}", n.findings);
        }
        prop_assert_eq!(n.send_time, e.send_time);
        prop_assert_eq!(n.version, e.version);
        prop_assert_eq!(n.newer_version, e.version > 1);
        prop_assert_eq!(&n.custom_data, &e.custom_data);
        prop_assert_eq!(&n.message_id, &e.message_id);
        for key in ext.app_keys.keys() {
            prop_assert_eq!(n.extras.get(key).map(String::as_str), Some("v"));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_click_json(&bytes);
    }

    #[test]
    fn arbitrary_strings_in_every_field_never_panic(a in "\\PC{0,200}", b in proptest::option::of("\\PC{0,200}"), hint in 0usize..9) {
        let channel_hint = ALL_CHANNELS.get(hint).copied();
        let _ = parse_click(ClickInput::Android { extras_json: a.clone(), data_uri: b, channel_hint });
        let _ = parse_click(ClickInput::Ios { user_info_json: a.clone() });
        let _ = intent_uri::parse_intent_extras(&a);
    }

    #[test]
    fn mutated_fixtures_never_panic(pick in 0usize..40, cut in any::<usize>(), byte in any::<u8>()) {
        let fixtures = fixtures();
        let (_, input, _) = &fixtures[pick % fixtures.len()];
        let mut bytes = input.to_string().into_bytes();
        let at = cut % bytes.len();
        bytes[at] = byte;
        let _ = parse_click_json(&bytes);
        bytes.truncate(at);
        let _ = parse_click_json(&bytes);
    }
}

#[test]
fn the_bulk_variant_differs_only_by_leaving_extras_empty() {
    for (name, input, _) in fixtures() {
        let text = input.to_string();
        let mut full = parse_click_json(text.as_bytes()).unwrap();
        let bulk = parse_click_json_without_extras(text.as_bytes()).unwrap();
        assert!(bulk.extras.is_empty(), "{name}");
        full.extras.clear();
        assert_eq!(full, bulk, "{name}");
    }
}

// ---- what real senders write (push-facts.md section 4) --------------------

/// Ext strings byte for byte as each Tencent sender writes them, each with
/// the conversation and call it must open.
fn sender_vectors() -> Vec<(&'static str, Value, &'static str, Option<Vec<u8>>)> {
    // Android UIKit (Gson): signed customData, `=` `'` `&` escaped, keys in
    // declaration order, unset timPushFeatures as -1.
    let gson = r#"{"entity":{"version":1,"chatType":1,"action":1,"sender":"user_7","nickname":"Li \u0027Lee\u0027","faceUrl":"https://cdn.example.com/a.png?x\u003d1\u0026y\u003d2","content":"a\u003db \u0026 c","sendTime":1732600000,"customData":[104,105,32,-28,-67,-96,-27,-91,-67]},"timPushFeatures":{"fcmPushType":-1,"fcmNotificationType":-1}}"#;
    // Gson again, keys in name order, a group.
    let gson_sorted = r#"{"entity":{"action":1,"chatType":2,"content":"hi","customData":[-1,0,127,-128],"faceUrl":"","nickname":"Team","sendTime":0,"sender":"@TGS#2ABC","version":1},"timPushFeatures":{"fcmNotificationType":-1,"fcmPushType":-1}}"#;
    // iOS UIKit (NSJSONSerialization, pretty-printed): `\/`, customData a string.
    let ios = "{\n  \"entity\" : {\n    \"action\" : 1,\n    \"chatType\" : 2,\n    \"content\" : \"see https:\\/\\/im.example.com\\/a\",\n    \"customData\" : \"aGkg5L2g5aW9\",\n    \"faceUrl\" : \"https:\\/\\/cdn.example.com\\/g.png\",\n    \"nickname\" : \"Team\",\n    \"sendTime\" : 1732600000,\n    \"sender\" : \"@TGS#ios\",\n    \"version\" : 1\n  }\n}";
    // Newer Kotlin UIKit: no version, action or sendTime.
    let newer = r#"{"entity":{"chatType":1,"sender":"kt_user","nickname":"K","content":"hey"},"timPushFeatures":{"fcmPushType":0,"fcmNotificationType":0}}"#;
    let hi: Vec<u8> = "hi 你好".as_bytes().to_vec();
    vec![
        (
            "android gson, fcm",
            json!({"platform":"android","extras":{"ext":gson,"google.message_id":"0:1"}}),
            "c2c_user_7",
            Some(hi.clone()),
        ),
        (
            "android gson, xiaomi",
            json!({"platform":"android","extras":{"key_message":{"messageId":"sdm9","extra":{"ext":gson}}}}),
            "c2c_user_7",
            Some(hi.clone()),
        ),
        (
            "android gson name order, huawei",
            json!({"platform":"android","channel_hint":"huawei","extras":{"ext":gson_sorted}}),
            "group_@TGS#2ABC",
            Some(vec![0xff, 0, 0x7f, 0x80]),
        ),
        (
            "ios pretty-printed, apns",
            json!({"platform":"ios","user_info":{"aps":{"alert":"hi"},"ext":ios}}),
            "group_@TGS#ios",
            Some(hi),
        ),
        (
            "newer kotlin uikit, vivo",
            json!({"platform":"android","channel_hint":"vivo","extras":{"ext":newer}}),
            "c2c_kt_user",
            None,
        ),
    ]
}

#[test]
fn what_each_tencent_sender_writes_routes_to_its_conversation() {
    for (name, input, conversation, custom_data) in sender_vectors() {
        let n = parse_click_json(input.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(n.conversation_id.as_deref(), Some(conversation), "{name}");
        assert_eq!(n.action, NotificationAction::Chat, "{name}");
        assert_eq!(n.custom_data, custom_data, "{name}");
        assert!(n.findings.is_empty(), "{name}: {:?}", n.findings);
        assert_eq!(n.version, 1, "{name}");
    }
    let gson = &sender_vectors()[0].1;
    let n = parse_click_json(gson.to_string().as_bytes()).unwrap();
    assert_eq!(n.nickname.as_deref(), Some("Li 'Lee'"));
    assert_eq!(
        n.face_url.as_deref(),
        Some("https://cdn.example.com/a.png?x=1&y=2")
    );
    let ios = &sender_vectors()[3].1;
    let n = parse_click_json(ios.to_string().as_bytes()).unwrap();
    assert_eq!(n.content.as_deref(), Some("see https://im.example.com/a"));
    assert_eq!(n.send_time, 1_732_600_000);
}

#[test]
fn a_group_call_opens_its_group_and_a_one_to_one_call_its_caller() {
    let signalling = |group: Option<&str>| {
        json!({"version":4,"call_id":"c-9","room_id":55,"call_type":2,"invited_list":["me","u3"],
            "timeout":30,"group_id":group.unwrap_or("")})
        .to_string()
    };
    let rows = [
        (2, Some("@TGS#g1"), Some("group_@TGS#g1"), 0),
        (1, None, Some("c2c_u1"), 0),
        // A group call whose signalling lost its group: still a call.
        (2, None, None, 1),
    ];
    for (chat_type, group, conversation, findings) in rows {
        let entity = json!({"version":1,"chatType":chat_type,"action":2,"sender":"u1",
            "content":signalling(group),"sendTime":0});
        let input =
            json!({"platform":"android","channel_hint":"fcm","extras":{"ext":ext_text(entity)}});
        let n = parse_click_json(input.to_string().as_bytes()).unwrap();
        assert_eq!(n.conversation_id.as_deref(), conversation, "{group:?}");
        assert_eq!(n.findings.len(), findings, "{:?}", n.findings);
        let call = n.call.clone().unwrap();
        assert_eq!(call.caller, "u1");
        assert_eq!(call.group_id.as_deref(), group);
        assert_eq!(call.call_id.as_deref(), Some("c-9"));
        assert_eq!(call.media, CallMedia::Video);
        assert_eq!(call.invited, ["me", "u3"]);
        assert_eq!(n.content, None);
        match crate::routing::route(&n, &[]) {
            crate::routing::Route::Call {
                sender, group_id, ..
            } => assert_eq!((sender.as_str(), group_id.as_deref()), ("u1", group)),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn payloads_without_a_conversation_or_with_only_its_id_still_route() {
    let keys_only = json!({"platform":"android","channel_hint":"huawei",
        "extras":{"ext":"{\"entity\":{\"key1\":\"value1\",\"key2\":\"value2\"}}"}});
    let n = parse_click_json(keys_only.to_string().as_bytes()).unwrap();
    assert_eq!(
        (
            n.chat_type,
            n.sender.as_deref(),
            n.conversation_id.as_deref()
        ),
        (None, None, None)
    );
    assert_eq!(n.extras.get("key1").map(String::as_str), Some("value1"));
    assert_eq!(n.extras.get("key2").map(String::as_str), Some("value2"));
    assert_eq!(crate::routing::route(&n, &[]), crate::routing::Route::Home);

    let flutter = json!({"platform":"ios","user_info":{"aps":{"alert":"hi"},
        "ext":"{\"conversationID\":\"group_@TGS#flutter\"}"}});
    let n = parse_click_json(flutter.to_string().as_bytes()).unwrap();
    assert_eq!(n.conversation_id.as_deref(), Some("group_@TGS#flutter"));
    assert_eq!(
        crate::routing::route(&n, &[]),
        crate::routing::Route::GroupChat {
            group_id: "@TGS#flutter".into()
        }
    );
}

#[test]
fn a_malformed_optional_field_reaches_the_notification_as_a_finding() {
    let entity = json!({"chatType":1,"sender":"u","customData":[1,2,999],"nickname":{"x":1},"sendTime":"later"});
    let input =
        json!({"platform":"android","channel_hint":"oppo","extras":{"entity":entity.to_string()}});
    let n = parse_click_json(input.to_string().as_bytes()).unwrap();
    assert_eq!(n.conversation_id.as_deref(), Some("c2c_u"));
    let mut fields: Vec<&str> = n.findings.iter().map(|f| f.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["entity.customData", "entity.nickname", "entity.sendTime"]
    );
    assert_eq!((n.custom_data, n.nickname, n.send_time), (None, None, 0));
}

#[test]
fn a_huge_custom_data_array_is_refused_before_it_is_parsed() {
    let huge = format!("[{}]", vec!["-1"; 40_000].join(","));
    let ext = format!(r#"{{"entity":{{"chatType":1,"sender":"u","customData":{huge}}}}}"#);
    let input = json!({"platform":"android","channel_hint":"vivo","extras":{"ext":ext}});
    let err = parse_click_json(input.to_string().as_bytes()).unwrap_err();
    assert_eq!(code(err), "too_large");
    let err = parse_click(ClickInput::Android {
        extras_json: json!({ "ext": ext }).to_string(),
        data_uri: None,
        channel_hint: None,
    })
    .unwrap_err();
    assert_eq!(code(err), "too_large");
}
