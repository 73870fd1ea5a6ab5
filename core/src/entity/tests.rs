use super::findings::{Findings, PayloadFinding};
use super::*;
use proptest::prelude::*;
use serde_json::json;

fn read(v: Value) -> Result<(TapExt, Vec<PayloadFinding>), PushError> {
    let mut findings = Findings::default();
    let ext = read_tap_ext(v, &mut findings)?;
    Ok((ext, findings.into_vec()))
}

fn entity_of(v: Value) -> ImEntity {
    read(v).unwrap().0.entity.unwrap()
}

#[test]
fn reads_old_and_current_forms_as_string_or_object() {
    let entity = json!({"version":1,"chatType":2,"action":1,"sender":"g1","nickname":"Ann",
        "faceUrl":"https://x/a.png","content":"hi","sendTime":1700000000});
    let old = json!({ "entity": entity });
    let current =
        json!({"entity": entity, "timPushFeatures": {"fcmPushType": 0, "fcmNotificationType": 1}});
    for ext in [
        old.clone(),
        Value::String(old.to_string()),
        current.clone(),
        Value::String(current.to_string()),
    ] {
        let (ext, findings) = read(ext).unwrap();
        let entity = ext.entity.unwrap();
        assert_eq!(entity.chat_type, ChatType::Group);
        assert_eq!(entity.sender, "g1");
        assert_eq!(entity.send_time, 1_700_000_000);
        assert!(findings.is_empty(), "{findings:?}");
    }
    let f = read(current).unwrap().0.features.unwrap();
    assert_eq!(
        (f.fcm_push_type, f.fcm_notification_type),
        (Some(0), Some(1))
    );
}

#[test]
fn only_the_routing_fields_can_reject_an_entity() {
    let table: Vec<(Value, &str)> = vec![
        (json!({"chatType":3,"sender":"u"}), "unsupported_payload"),
        (json!({"chatType":0,"sender":"u"}), "unsupported_payload"),
        (json!({"chatType":"x","sender":"u"}), "invalid_ext"),
        (json!({"chatType":[1],"sender":"u"}), "invalid_ext"),
        (json!({"chatType":1}), "invalid_ext"),
        (json!({"chatType":1,"sender":""}), "invalid_ext"),
        (json!({"chatType":1,"sender":{"id":"u"}}), "invalid_ext"),
        (json!({"sender":"u"}), "invalid_ext"),
        (
            json!({"chatType":1,"sender":"u","action":true}),
            "invalid_ext",
        ),
        (
            json!({"chatType":1,"sender":"u","action":-2}),
            "invalid_ext",
        ),
        (
            json!({"chatType":1,"sender":"u","action":5000000000u64}),
            "invalid_ext",
        ),
    ];
    for (entity, code) in table {
        let err = read(json!({ "entity": entity.clone() })).unwrap_err();
        assert_eq!(err.code(), code, "{entity}: {err}");
    }
}

#[test]
fn routing_defaults_and_lenient_representations() {
    type Expected = (u32, NotificationAction, u64, Option<&'static str>);
    let table: Vec<(Value, Expected)> = vec![
        (
            json!({"chatType":"1","sender":"u","sendTime":"12"}),
            (1, NotificationAction::Chat, 12, None),
        ),
        (
            json!({"chatType":1.0,"sender":7,"msgID":99}),
            (1, NotificationAction::Chat, 0, Some("99")),
        ),
        (
            json!({"chatType":1,"sender":"u","messageId":"m-1","version":3,"action":"2"}),
            (3, NotificationAction::Call, 0, Some("m-1")),
        ),
    ];
    for (entity, (version, action, send_time, id)) in table {
        let e = entity_of(json!({ "entity": entity.clone() }));
        assert_eq!(
            (e.version, e.action, e.send_time, e.message_id.as_deref()),
            (version, action, send_time, id),
            "{entity}"
        );
    }
}

/// Every optional field, malformed in each way its type allows: the field
/// is dropped, the tap still reads, and one finding names the field.
#[test]
fn a_malformed_optional_field_is_dropped_with_a_finding() {
    let string_breakers = || vec![json!(5), json!(true), json!([1]), json!({"a":1})];
    let uint_breakers = || {
        vec![
            json!(-1),
            json!(1.5),
            json!("soon"),
            json!(true),
            json!([1]),
            json!({"a":1}),
        ]
    };
    let mut rows: Vec<(&str, Value, &str)> = Vec::new();
    for field in ["nickname", "faceUrl", "content"] {
        rows.extend(string_breakers().into_iter().map(|v| (field, v, "")));
    }
    rows.extend(uint_breakers().into_iter().map(|v| ("sendTime", v, "")));
    rows.extend(uint_breakers().into_iter().map(|v| ("version", v, "")));
    rows.push(("version", json!(5_000_000_000u64), ""));
    for v in [
        json!([300]),
        json!([-129]),
        json!([1.5]),
        json!(["a"]),
        json!([null]),
        json!([[1]]),
        json!(7),
        json!(true),
        json!({"a":1}),
    ] {
        rows.push(("customData", v, ""));
    }
    for v in [json!(true), json!([1]), json!({"a":1})] {
        rows.push(("msgID", v.clone(), ""));
        rows.push(("messageId", v, ""));
    }
    for (field, bad, _) in rows {
        let mut entity = json!({"chatType":1,"sender":"u","nickname":"N","faceUrl":"f",
            "content":"c","sendTime":9,"version":1,"customData":[1]});
        entity[field] = bad.clone();
        let (ext, findings) = read(json!({ "entity": entity })).unwrap();
        let e = ext.entity.unwrap();
        assert_eq!(e.sender, "u", "{field}={bad}");
        assert_eq!(
            findings
                .iter()
                .map(|f| f.field.as_str())
                .collect::<Vec<_>>(),
            vec![format!("entity.{field}")],
            "{field}={bad}"
        );
        let dropped = match field {
            "nickname" => e.nickname.is_none(),
            "faceUrl" => e.face_url.is_none(),
            "content" => e.content.is_none(),
            "sendTime" => e.send_time == 0,
            "version" => e.version == KNOWN_ENTITY_VERSION,
            "customData" => e.custom_data.is_none(),
            _ => e.message_id.is_none(),
        };
        assert!(dropped, "{field}={bad}: {e:?}");
        assert!(!findings[0].problem.contains("soon"), "values stay out");
    }
}

#[test]
fn malformed_features_and_app_keys_are_dropped_with_findings() {
    let table: Vec<(Value, &[&str])> = vec![
        (
            json!({"timPushFeatures": {"fcmPushType": 7}}),
            &["timPushFeatures.fcmPushType"],
        ),
        (
            json!({"timPushFeatures": {"fcmNotificationType": "x"}}),
            &["timPushFeatures.fcmNotificationType"],
        ),
        (
            json!({"timPushFeatures": {"fcmPushType": [0], "fcmNotificationType": -5}}),
            &[
                "timPushFeatures.fcmPushType",
                "timPushFeatures.fcmNotificationType",
            ],
        ),
        (json!({"timPushFeatures": 3}), &["timPushFeatures"]),
        (json!({"timPushFeatures": "{broken"}), &["timPushFeatures"]),
        (
            json!({"timPushFeatures": {"fcmPushType": -1, "fcmNotificationType": -1}}),
            &[],
        ),
        (json!({"url": 5}), &["ext.url"]),
        (json!({"url": {"a": 1}}), &["ext.url"]),
        (json!({"": "x"}), &["ext."]),
        (json!({"orderId": null}), &["ext.orderId"]),
        (json!({"orderId": {"n": 1}, "count": 3}), &[]),
    ];
    for (extra, expected) in table {
        let mut ext = json!({"entity": {"chatType": 2, "sender": "g"}});
        for (k, v) in extra.as_object().unwrap() {
            ext[k] = v.clone();
        }
        let (got, findings) = read(ext).unwrap_or_else(|e| panic!("{extra}: {e}"));
        assert_eq!(got.entity.unwrap().sender, "g", "{extra}");
        let fields: Vec<&str> = findings.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, expected, "{extra}");
        for key in fields.iter().filter_map(|f| f.strip_prefix("ext.")) {
            assert!(!got.app_keys.contains_key(key), "{extra}: `{key}` kept");
        }
    }
    let unset = read(json!({"entity": {"chatType": 1, "sender": "u"},
        "timPushFeatures": {"fcmPushType": -1, "fcmNotificationType": -1}}))
    .unwrap()
    .0;
    assert_eq!(unset.features, Some(TimPushFeatures::default()));
}

#[test]
fn ext_shape_errors() {
    let table = [
        (json!("not json"), "invalid_ext"),
        (json!("[1,2]"), "invalid_ext"),
        (json!(42), "invalid_ext"),
        (json!({"notEntity": {}}), "invalid_ext"),
        (json!({"entity": "{broken"}), "invalid_ext"),
        (json!({"entity": "[1]"}), "invalid_ext"),
        (json!({"entity": 1}), "invalid_ext"),
    ];
    for (ext, code) in table {
        assert_eq!(read(ext.clone()).unwrap_err().code(), code, "{ext}");
    }
}

#[test]
fn a_conversation_id_ext_names_the_chat() {
    let ok = [
        ("c2c_alice", ChatType::C2c, "alice"),
        ("group_@TGS#2ABC", ChatType::Group, "@TGS#2ABC"),
        ("c2c_group_x", ChatType::C2c, "group_x"),
        ("c2c_@im_agent#42", ChatType::C2c, "@im_agent#42"),
    ];
    for (id, chat_type, target) in ok {
        let (ext, findings) = read(json!({ "conversationID": id, "from": "flutter" })).unwrap();
        let e = ext.entity.unwrap();
        assert_eq!(
            (e.chat_type, e.sender.as_str()),
            (chat_type, target),
            "{id}"
        );
        assert_eq!(e.action, NotificationAction::Chat);
        assert_eq!(ext.app_keys.get("from"), Some(&json!("flutter")));
        assert!(!ext.app_keys.contains_key(CONVERSATION_ID_KEY));
        assert!(findings.is_empty());
    }
    for bad in [
        json!("c2c_"),
        json!("group_"),
        json!("C2C_alice"),
        json!("alice"),
        json!(""),
        json!("topic_x"),
        json!(7),
        json!(null),
    ] {
        let err = read(json!({ "conversationID": bad.clone() })).unwrap_err();
        assert_eq!(err.code(), "invalid_ext", "{bad}");
    }
    // An entity, when present, decides; the conversation id is left to the app.
    let (ext, _) =
        read(json!({"entity": {"chatType": 1, "sender": "u"}, "conversationID": "group_g"}))
            .unwrap();
    assert_eq!(ext.entity.unwrap().sender, "u");
    assert_eq!(
        ext.app_keys.get(CONVERSATION_ID_KEY),
        Some(&json!("group_g"))
    );
}

#[test]
fn an_entity_of_app_keys_names_no_conversation_and_keeps_the_keys() {
    let (ext, findings) = read(json!({"entity": {"key1": "value1", "key2": 2}})).unwrap();
    assert_eq!(ext.entity, None);
    assert_eq!(ext.app_keys.get("key1"), Some(&json!("value1")));
    assert_eq!(ext.app_keys.get("key2"), Some(&json!(2)));
    assert!(findings.is_empty());
    // Unknown keys of a real entity reach the app too; top-level keys win.
    let (ext, _) = read(
        json!({"entity": {"chatType": 1, "sender": "u", "key1": "inner"},
        "key1": "outer", "key3": "x"}),
    )
    .unwrap();
    assert_eq!(ext.app_keys.get("key1"), Some(&json!("outer")));
    assert_eq!(ext.app_keys.get("key3"), Some(&json!("x")));
}

#[test]
fn calls_read_caller_group_id_media_and_invited_from_the_signalling() {
    let signalling = |v: Value| v.to_string();
    type Row = (
        Value,
        Option<&'static str>,
        Option<&'static str>,
        CallMedia,
        Vec<&'static str>,
        usize,
    );
    let rows: Vec<Row> = vec![
        (
            json!(signalling(
                json!({"version":4,"call_id":"c-1","room_id":1234,"call_type":2,
                "invited_list":["u2","u3"],"timeout":30,"group_id":"@TGS#g1"})
            )),
            Some("@TGS#g1"),
            Some("c-1"),
            CallMedia::Video,
            vec!["u2", "u3"],
            0,
        ),
        (
            json!(signalling(
                json!({"call_id":"c-2","call_type":1,"invited_list":["u2"],"group_id":""})
            )),
            None,
            Some("c-2"),
            CallMedia::Audio,
            vec!["u2"],
            0,
        ),
        (
            json!(signalling(
                json!({"call_id":"c-3","data":{"cmd":"videoCall","room_id":9}})
            )),
            None,
            Some("c-3"),
            CallMedia::Video,
            vec![],
            0,
        ),
        (
            json!("Incoming call"),
            None,
            None,
            CallMedia::Unknown,
            vec![],
            1,
        ),
        (
            json!("{\"call_id\":"),
            None,
            None,
            CallMedia::Unknown,
            vec![],
            1,
        ),
        (json!("[1,2]"), None, None, CallMedia::Unknown, vec![], 1),
        (json!(null), None, None, CallMedia::Unknown, vec![], 1),
        (
            json!(signalling(
                json!({"call_id":["x"],"call_type":9,"invited_list":"u2","group_id":{"g":1}})
            )),
            None,
            None,
            CallMedia::Unknown,
            vec![],
            4,
        ),
        (
            json!(signalling(
                json!({"call_id":7,"call_type":"1","invited_list":["u2",3],"group_id":"g"})
            )),
            Some("g"),
            Some("7"),
            CallMedia::Audio,
            vec![],
            1,
        ),
    ];
    for (content, group, call_id, media, invited, finding_count) in rows {
        let (ext, findings) = read(json!({"entity": {"chatType": 2, "action": 2,
            "sender": "u1", "content": content.clone()}}))
        .unwrap();
        let call = ext.call.unwrap();
        assert_eq!(call.caller, "u1", "{content}");
        assert_eq!(call.group_id.as_deref(), group, "{content}");
        assert_eq!(call.call_id.as_deref(), call_id, "{content}");
        assert_eq!(call.media, media, "{content}");
        assert_eq!(call.invited, invited, "{content}");
        assert_eq!(findings.len(), finding_count, "{content}: {findings:?}");
        assert_eq!(
            ext.entity.unwrap().content,
            None,
            "signalling is not text to show"
        );
    }
}

#[test]
fn what_the_sending_side_writes_the_call_reader_reads() {
    let invited = vec!["u2".to_string(), "张三".to_string()];
    for (media, group) in [
        (CallMedia::Audio, None),
        (CallMedia::Video, Some("@TGS#g\"1")),
        (CallMedia::Unknown, Some("g2")),
    ] {
        let content = signalling_json("c;1", media, &invited, group);
        let (ext, findings) = read(json!({"entity": {"chatType": 1, "action": 2,
            "sender": "u1", "content": content}}))
        .unwrap();
        let call = ext.call.unwrap();
        assert_eq!(
            (
                call.call_id.as_deref(),
                call.media,
                call.group_id.as_deref()
            ),
            (Some("c;1"), media, group)
        );
        assert_eq!(call.invited, invited);
        assert!(findings.is_empty());
    }
}

#[test]
fn custom_data_reads_every_platform_form() {
    let table = [
        (json!([104, 105]), Some(b"hi".to_vec())),
        (
            json!([-1, 255, -128, 128, 0, 127]),
            Some(vec![0xff, 0xff, 0x80, 0x80, 0, 0x7f]),
        ),
        (
            json!([104, 105, 32, -28, -67, -96, -27, -91, -67]),
            Some("hi 你好".as_bytes().to_vec()),
        ),
        (json!("aGk="), Some(b"hi".to_vec())),
        (json!("aGk"), Some(b"hi".to_vec())),
        (json!("not base64!"), Some(b"not base64!".to_vec())),
        (json!([]), Some(vec![])),
        (json!(null), None),
    ];
    for (data, expected) in table {
        let e = entity_of(json!({"entity": {"chatType":1,"sender":"u","customData": data}}));
        assert_eq!(e.custom_data, expected, "{data}");
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    while out.len() % 4 != 0 {
        out.push('=');
    }
    out
}

#[test]
fn every_byte_value_reads_the_same_signed_unsigned_and_as_base64() {
    let all: Vec<u8> = (0..=255).collect();
    let signed: Vec<i8> = all.iter().map(|b| *b as i8).collect();
    for form in [json!(all), json!(signed), json!(base64(&all))] {
        let e = entity_of(json!({"entity": {"chatType":1,"sender":"u","customData": form}}));
        assert_eq!(e.custom_data.as_deref(), Some(all.as_slice()));
    }
}

proptest! {
    #[test]
    fn any_bytes_read_the_same_in_all_three_forms(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let signed: Vec<i8> = bytes.iter().map(|b| *b as i8).collect();
        for form in [json!(bytes), json!(signed), json!(base64(&bytes))] {
            let mut findings = Findings::default();
            let ext = read_tap_ext(json!({"entity": {"chatType":1,"sender":"u","customData": form}}), &mut findings).unwrap();
            prop_assert_eq!(ext.entity.unwrap().custom_data, Some(bytes.clone()));
            prop_assert!(findings.into_vec().is_empty());
        }
    }
}

#[test]
fn base64_table() {
    let table: [(&str, Option<&[u8]>); 7] = [
        ("", Some(b"")),
        ("Zg==", Some(b"f")),
        ("Zm8=", Some(b"fo")),
        ("Zm9v", Some(b"foo")),
        ("-_8", Some(&[0xfb, 0xff])),
        ("Z", None),
        ("Zh==", None),
    ];
    for (text, expected) in table {
        assert_eq!(decode_base64(text).as_deref(), expected, "{text}");
    }
}

#[test]
fn writes_wire_names_and_reads_back_what_it_wrote() {
    let ext = ImExt {
        entity: ImEntity {
            version: 1,
            chat_type: ChatType::C2c,
            action: NotificationAction::Chat,
            sender: "alice".into(),
            nickname: Some("Alice".into()),
            face_url: None,
            content: Some("ring".into()),
            send_time: 5,
            custom_data: Some(vec![1, 2, 200]),
            message_id: Some("m1".into()),
        },
        features: Some(TimPushFeatures {
            fcm_push_type: Some(1),
            fcm_notification_type: None,
        }),
        app_keys: Map::from_iter([("orderId".to_string(), json!("o-9"))]),
    };
    let text = ext.to_json_string();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["entity"]["chatType"], json!(1));
    assert_eq!(v["entity"]["action"], json!(1));
    assert_eq!(v["entity"]["faceUrl"], Value::Null);
    assert_eq!(v["entity"]["customData"], json!([1, 2, 200]));
    assert_eq!(v["timPushFeatures"]["fcmPushType"], json!(1));
    assert_eq!(v["orderId"], json!("o-9"));
    let (back, findings) = read(Value::String(text)).unwrap();
    assert_eq!(back.entity.as_ref(), Some(&ext.entity));
    assert_eq!(back.features, ext.features);
    assert_eq!(back.app_keys, ext.app_keys);
    assert!(findings.is_empty());
}
