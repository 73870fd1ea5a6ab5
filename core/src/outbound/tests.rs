//! Table-driven tests of the whole build: one row per finding code and
//! channel, the REST form, and build -> simulate -> read back per channel.

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn base() -> OutboundMessage {
    OutboundMessage {
        message_type: OutboundMessageType::Text,
        message_id: Some("144115212345678901-1732600000-12345".into()),
        chat_type: ChatType::C2c,
        sender: "alice".into(),
        nickname: Some("Alice".into()),
        face_url: None,
        content: "Hello".into(),
        send_time: 1_732_600_000,
        options: OfflinePushOptions {
            title: Some("Alice".into()),
            desc: Some("Hello".into()),
            oppo_channel_id: Some("im".into()),
            ..Default::default()
        },
        truncate: false,
        call: None,
        receiver: None,
    }
}

/// (channel or "all", severity, code) of every finding, sorted.
fn summary(message: &OutboundMessage) -> Vec<(String, FindingSeverity, String)> {
    let mut out: Vec<_> = build(message)
        .unwrap()
        .findings
        .into_iter()
        .map(|f| {
            let channel = f
                .channel
                .map(|c| c.as_str().to_string())
                .unwrap_or("all".into());
            (channel, f.severity, f.code)
        })
        .collect();
    out.sort_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
    out
}

fn expect(rows: &[(&str, FindingSeverity, &str)]) -> Vec<(String, FindingSeverity, String)> {
    let mut out: Vec<_> = rows
        .iter()
        .map(|(c, s, code)| (c.to_string(), *s, code.to_string()))
        .collect();
    out.sort_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
    out
}

use FindingSeverity::{Error as E, Warning as W};

#[test]
fn each_finding_code_fires_on_its_own_mistake() {
    type Edit = fn(&mut OutboundMessage);
    type Expected = Vec<(&'static str, FindingSeverity, &'static str)>;
    let table: Vec<(&str, Edit, Expected)> = vec![
        ("clean message", |_| {}, vec![]),
        (
            "custom without desc",
            |m| {
                m.message_type = OutboundMessageType::Custom;
                m.options.desc = None;
            },
            vec![("all", E, codes::CUSTOM_WITHOUT_DESC)],
        ),
        (
            "custom with desc",
            |m| m.message_type = OutboundMessageType::Custom,
            vec![],
        ),
        (
            "no OPPO channel id",
            |m| m.options.oppo_channel_id = None,
            vec![("oppo", E, codes::OPPO_CHANNEL_ID_MISSING)],
        ),
        (
            "33-char title: over OPPO and Meizu only",
            |m| m.options.title = Some("a".repeat(33)),
            vec![
                ("meizu", W, codes::TITLE_TOO_LONG),
                ("oppo", W, codes::TITLE_TOO_LONG),
            ],
        ),
        (
            "21 CJK title: vivo (40 units) and both 32-limits; Honor's 30 CJK still fits",
            |m| m.options.title = Some("字".repeat(21)),
            vec![("vivo", W, codes::TITLE_TOO_LONG)],
        ),
        (
            "41 Latin title: Huawei, vivo, OPPO, Meizu",
            |m| m.options.title = Some("a".repeat(41)),
            vec![
                ("huawei", W, codes::TITLE_TOO_LONG),
                ("meizu", W, codes::TITLE_TOO_LONG),
                ("oppo", W, codes::TITLE_TOO_LONG),
                ("vivo", W, codes::TITLE_TOO_LONG),
            ],
        ),
        (
            "51 CJK body: vivo only",
            |m| m.options.desc = Some("字".repeat(51)),
            vec![("vivo", W, codes::BODY_TOO_LONG)],
        ),
        (
            "128-char body: Xiaomi, Huawei, vivo, Meizu",
            |m| m.options.desc = Some("b".repeat(128)),
            vec![
                ("huawei", W, codes::BODY_TOO_LONG),
                ("meizu", W, codes::BODY_TOO_LONG),
                ("vivo", W, codes::BODY_TOO_LONG),
                ("xiaomi", W, codes::BODY_TOO_LONG),
            ],
        ),
        (
            "vivo title of digits and symbols",
            |m| m.options.title = Some("123 456 !?".into()),
            vec![("vivo", E, codes::VIVO_TITLE_NOT_TEXT)],
        ),
        (
            "vivo CJK title is text",
            |m| m.options.title = Some("张三 2".into()),
            vec![],
        ),
        (
            "iOS image without mutable content",
            |m| m.options.ios_image = Some("https://x/i.png".into()),
            vec![("apns", W, codes::IOS_IMAGE_WITHOUT_MUTABLE_CONTENT)],
        ),
        (
            "iOS image with mutable content",
            |m| {
                m.options.ios_image = Some("https://x/i.png".into());
                m.options.ios_mutable_content = true;
            },
            vec![],
        ),
        (
            "Android sound with extension",
            |m| m.options.android_sound = Some("ring.mp3".into()),
            vec![
                ("fcm", W, codes::ANDROID_SOUND_HAS_EXTENSION),
                ("huawei", W, codes::ANDROID_SOUND_HAS_EXTENSION),
                ("xiaomi", W, codes::ANDROID_SOUND_HAS_EXTENSION),
            ],
        ),
        (
            "Android sound without extension",
            |m| m.options.android_sound = Some("ring".into()),
            vec![],
        ),
        (
            "1100-byte app ext: over vivo and Meizu caps",
            |m| m.options.ext = Some(json!({ "blob": "x".repeat(1000) }).to_string()),
            vec![
                ("meizu", E, codes::EXT_TOO_LARGE),
                ("vivo", E, codes::EXT_TOO_LARGE),
            ],
        ),
        (
            "desc + ext over 3 KiB, ext over FCM's 4 KB, APNs over 4096",
            |m| {
                m.options.ext = Some(json!({ "blob": "x".repeat(4200) }).to_string());
            },
            vec![
                ("all", W, codes::DESC_EXT_TOO_LARGE),
                ("apns", E, codes::APNS_PAYLOAD_TOO_LARGE),
                ("fcm", E, codes::EXT_TOO_LARGE),
                ("meizu", E, codes::EXT_TOO_LARGE),
                ("vivo", E, codes::EXT_TOO_LARGE),
            ],
        ),
        (
            "APNs 4.5 KB payload fits VoIP's 5120",
            |m| {
                m.options.ios_push_type = Some(IosPushType::Voip);
                m.options.ext = Some(json!({ "blob": "x".repeat(4200) }).to_string());
            },
            vec![
                ("all", W, codes::DESC_EXT_TOO_LARGE),
                ("fcm", E, codes::EXT_TOO_LARGE),
                ("meizu", E, codes::EXT_TOO_LARGE),
                ("vivo", E, codes::EXT_TOO_LARGE),
            ],
        ),
        (
            "out-of-range enumerated numbers and bad vendor params",
            |m| {
                m.options.oppo_notify_level = Some(3);
                m.options.vivo_classification = Some(2);
                m.options.meizu_notify_type = Some(5);
                m.options.vendor_params = Some("[1]".into());
            },
            vec![
                ("all", E, codes::INVALID_OPTION),
                ("meizu", E, codes::INVALID_OPTION),
                ("oppo", E, codes::INVALID_OPTION),
                ("vivo", E, codes::INVALID_OPTION),
            ],
        ),
        (
            "disabled push is not checked",
            |m| {
                m.options.disable_push = true;
                m.options.oppo_channel_id = None;
                m.options.title = Some("1".into());
            },
            vec![],
        ),
    ];
    for (name, edit, expected) in table {
        let mut m = base();
        edit(&mut m);
        assert_eq!(summary(&m), expect(&expected), "{name}");
    }
}

#[test]
fn apns_payload_limit_is_exact_at_the_boundary() {
    // Grow the ext until the APNs payload is exactly 4096 and 4097 bytes.
    let mut m = base();
    let size = |m: &OutboundMessage| {
        let b = build(m).unwrap();
        let title = b.options.title.clone().unwrap_or_default();
        let body = simulate::shown_body(m, &b.options);
        simulate::apns_user_info(&b.options, &title, body, &b.ext)
            .to_string()
            .len()
    };
    m.options.ext = Some(json!({ "blob": "" }).to_string());
    let empty = size(&m);
    let apns_codes = |m: &OutboundMessage| {
        summary(m)
            .into_iter()
            .filter(|(c, _, _)| c == "apns")
            .map(|(_, _, code)| code)
            .collect::<Vec<_>>()
    };
    m.options.ext = Some(json!({ "blob": "x".repeat(4096 - empty) }).to_string());
    assert_eq!(size(&m), 4096);
    assert!(apns_codes(&m).is_empty());
    m.options.ext = Some(json!({ "blob": "x".repeat(4097 - empty) }).to_string());
    assert_eq!(size(&m), 4097);
    assert_eq!(
        apns_codes(&m),
        vec![codes::APNS_PAYLOAD_TOO_LARGE.to_string()]
    );
}

#[test]
fn truncation_is_opt_in_and_fits_every_channel() {
    let mut m = base();
    m.options.title = Some("字".repeat(25));
    m.options.desc = Some("😀".repeat(70));
    let untouched = build(&m).unwrap();
    assert_eq!(untouched.options.title, m.options.title);
    m.truncate = true;
    let cut = build(&m).unwrap();
    let title = cut.options.title.clone().unwrap();
    let desc = cut.options.desc.clone().unwrap();
    assert_eq!(title, format!("{}…", "字".repeat(19)));
    // Huawei's 80 UTF-16 units: 39 emoji (78) and the ellipsis.
    assert_eq!(desc, format!("{}…", "😀".repeat(39)));
    let codes_found: Vec<_> = summary(&m)
        .into_iter()
        .map(|(c, _, code)| format!("{c}:{code}"))
        .collect();
    assert!(
        !codes_found.iter().any(|c| c.ends_with("too_long")),
        "{codes_found:?}"
    );
    assert!(
        codes_found.contains(&"vivo:title_truncated".to_string()),
        "{codes_found:?}"
    );
    assert!(
        codes_found.contains(&"huawei:body_truncated".to_string()),
        "{codes_found:?}"
    );
    let info = &cut.offline_push_info;
    assert_eq!(info["Title"], json!(title));
    assert_eq!(info["Desc"], json!(desc));
}

#[test]
fn the_issue_example_builds_clean_rest_json() {
    let json = r#"{"message_type":"text","message_id":"144115212345678901-1732600000-12345","chat_type":"c2c","sender":"alice","nickname":"Alice","content":"Hello","options":{"title":"Alice","desc":"Hello","oppo_channel_id":"im","huawei_category":"IM","vivo_category":"IM","ios_sound":"default","android_sound":"ring","ignore_ios_badge":false}}"#;
    let result = build_push(OutboundMessage::from_json(json).unwrap()).unwrap();
    assert!(result.findings.is_empty(), "{:?}", result.findings);
    let info: Value = serde_json::from_str(&result.offline_push_info_json).unwrap();
    assert_eq!(info["PushFlag"], 0);
    assert_eq!(info["Title"], "Alice");
    assert_eq!(info["Desc"], "Hello");
    assert_eq!(
        info["AndroidInfo"],
        json!({"Sound":"ring","OPPOChannelID":"im","HuaWeiCategory":"IM","VIVOCategory":"IM"})
    );
    assert_eq!(info["ApnsInfo"], json!({"Sound":"default","Title":"Alice"}));
    let ext: Value = serde_json::from_str(info["Ext"].as_str().unwrap()).unwrap();
    assert_eq!(
        ext["entity"]["msgID"],
        "144115212345678901-1732600000-12345"
    );
    assert_eq!(ext["entity"]["chatType"], 1);
    assert_eq!(result.ext, info["Ext"].as_str().unwrap());
}

#[test]
fn unreadable_messages_are_typed_errors() {
    let mut m = base();
    m.sender = "  ".into();
    assert_eq!(
        crate::PushError::from(build_push(m).unwrap_err()).code(),
        "invalid_input"
    );
    let mut m = base();
    m.options.ext = Some("{".into());
    assert_eq!(
        crate::PushError::from(simulate_delivery(m, PushChannel::Fcm).unwrap_err()).code(),
        "invalid_input"
    );
    assert_eq!(
        crate::PushError::from(outbound_message_from_json("[]".into()).unwrap_err()).code(),
        "invalid_input"
    );
}

/// Reads the entity back out of a simulated tap, the way each channel's
/// receiver must (a stand-in for the tap parser until the two halves meet).
fn entity_from_tap(tap: &Value) -> Value {
    let extras = &tap["extras"];
    let ext_text = if tap["platform"] == "ios" {
        tap["user_info"]["ext"].as_str().unwrap().to_string()
    } else if let Some(mi) = extras.get("key_message") {
        mi["extra"]["ext"].as_str().unwrap().to_string()
    } else if let Some(entity) = extras.get("entity") {
        format!("{{\"entity\":{}}}", entity.as_str().unwrap())
    } else if let Some(ext) = extras.get("ext") {
        ext.as_str().unwrap().to_string()
    } else {
        let uri = tap["data_uri"].as_str().unwrap();
        let start = uri.find(";S.ext=").unwrap() + ";S.ext=".len();
        let end = start + uri[start..].find(';').unwrap();
        percent_decode(&uri[start..end])
    };
    let ext: Value = serde_json::from_str(&ext_text).unwrap();
    ext["entity"].clone()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn assert_round_trip(m: &OutboundMessage) -> Result<(), TestCaseError> {
    for channel in PushChannel::ALL {
        let tap = simulate(m, channel).unwrap();
        // What the app sees is JSON text; go through it.
        let tap: Value = serde_json::from_str(&tap.to_string()).unwrap();
        let entity = entity_from_tap(&tap);
        prop_assert_eq!(
            &entity["chatType"],
            &json!(m.chat_type.code()),
            "{}",
            channel
        );
        prop_assert_eq!(&entity["sender"], &json!(m.sender), "{}", channel);
        prop_assert_eq!(&entity["content"], &json!(m.content), "{}", channel);
        prop_assert_eq!(&entity["msgID"], &json!(m.message_id), "{}", channel);
    }
    Ok(())
}

#[test]
fn fixed_messages_round_trip_on_every_channel() {
    let tricky = [
        ("alice", "Hello"),
        ("张三", "你好，世界；\"引号\" \\ 反斜杠"),
        ("@TGS#1234", "👨‍👩‍👧‍👦 family; 👍🏽 e\u{301}"),
        ("a;b=c#d", "%41 S.ext=x;end"),
    ];
    for (i, (sender, content)) in tricky.into_iter().enumerate() {
        let mut m = base();
        m.sender = sender.into();
        m.content = content.into();
        m.chat_type = if i % 2 == 0 {
            ChatType::C2c
        } else {
            ChatType::Group
        };
        assert_round_trip(&m).unwrap();
    }
}

pub(super) fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Z",
        "0",
        " ",
        "你",
        "好",
        "😀",
        "👍🏽",
        "👨‍👩‍👧",
        "e\u{301}",
        "\"",
        "\\",
        ";",
        "%",
        "#",
        "=",
        "&",
        "+",
        "\n",
        "\u{0}",
    ]);
    prop::collection::vec(pieces, 1..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_messages_round_trip_on_every_channel(
        sender in tricky_text().prop_filter("sender not blank", |s| !s.trim().is_empty()),
        content in tricky_text(),
        id in proptest::option::of("[0-9]{6}-[0-9]{4}-[0-9a-z;\"]{0,6}"),
        group in any::<bool>(),
    ) {
        let mut m = base();
        m.sender = sender;
        m.content = content.clone();
        m.options.desc = Some(content);
        m.message_id = id;
        m.chat_type = if group { ChatType::Group } else { ChatType::C2c };
        assert_round_trip(&m)?;
    }
}

const ALL_CODES: [&str; 13] = [
    codes::CUSTOM_WITHOUT_DESC,
    codes::OPPO_CHANNEL_ID_MISSING,
    codes::TITLE_TOO_LONG,
    codes::BODY_TOO_LONG,
    codes::TITLE_TRUNCATED,
    codes::BODY_TRUNCATED,
    codes::DESC_EXT_TOO_LARGE,
    codes::EXT_TOO_LARGE,
    codes::APNS_PAYLOAD_TOO_LARGE,
    codes::VIVO_TITLE_NOT_TEXT,
    codes::IOS_IMAGE_WITHOUT_MUTABLE_CONTENT,
    codes::ANDROID_SOUND_HAS_EXTENSION,
    codes::INVALID_OPTION,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn truncated_builds_never_exceed_a_text_limit(
        title in tricky_text(),
        desc in prop::collection::vec(tricky_text(), 1..6).prop_map(|v| v.concat()),
    ) {
        let mut m = base();
        m.options.title = Some(title.clone());
        m.options.desc = Some(desc);
        m.truncate = true;
        let built = build(&m).unwrap();
        let kept = built.options.title.clone().unwrap();
        for channel in PushChannel::ALL {
            if let Some(limit) = title_limit(channel) {
                prop_assert!(limit.fits(&kept), "{channel}: {kept:?}");
            }
            if let Some(limit) = body_limit(channel) {
                prop_assert!(limit.fits(built.options.desc.as_deref().unwrap()));
            }
        }
        prop_assert_eq!(kept.ends_with(ELLIPSIS) && kept != title, kept != title);
        for f in &built.findings {
            prop_assert!(!f.code.ends_with("_too_long"), "{:?}", f);
        }
        prop_assert_eq!(&built.offline_push_info["Title"], &json!(kept));
    }

    #[test]
    fn any_options_give_known_findings_and_never_panic(
        title in proptest::option::of(tricky_text()),
        desc in proptest::option::of(tricky_text()),
        sound in proptest::option::of("[a-z.]{0,8}"),
        custom in any::<bool>(),
        oppo in proptest::option::of("[a-z]{0,3}"),
        level in proptest::option::of(0u32..20),
        send_time in any::<u64>(),
    ) {
        let mut m = base();
        m.send_time = send_time;
        if custom {
            m.message_type = OutboundMessageType::Custom;
        }
        m.options.title = title;
        m.options.desc = desc;
        m.options.android_sound = sound;
        m.options.oppo_channel_id = oppo;
        m.options.oppo_notify_level = level;
        let built = build(&m).unwrap();
        for f in &built.findings {
            prop_assert!(ALL_CODES.contains(&f.code.as_str()), "{:?}", f);
            prop_assert!(!f.message.is_empty());
        }
        let info: Value = serde_json::from_str(&built.offline_push_info.to_string()).unwrap();
        prop_assert_eq!(info["Ext"].as_str().unwrap(), built.ext.as_str());
        for channel in PushChannel::ALL {
            let tap = simulate(&m, channel).unwrap();
            prop_assert!(tap.get("platform").is_some());
        }
    }
}
