//! A delivery simulator: what each channel hands the app when the user taps
//! the notification for a message (push-facts.md section 3), written in the
//! input format `pushcore parse` reads, so build -> simulate -> parse is a
//! round trip that tests the offline-push path without a phone.
//!
//! Vendor message ids are derived from the IM message id, so a simulation
//! is deterministic and can be compared in tests.

use super::grouping::Plan;
use super::options::{OfflinePushOptions, OutboundMessage};
use crate::channel::PushChannel;
use serde_json::{json, Map, Value};

/// FCM's default time to live, which the tray intent reports.
const FCM_DEFAULT_TTL_SECONDS: u64 = 2_419_200;

/// The tap input for `channel`, from a built message's effective options and
/// ext string.
pub fn tap_input(
    message: &OutboundMessage,
    options: &OfflinePushOptions,
    ext: &str,
    grouping: &Plan,
    channel: PushChannel,
) -> Value {
    let title = options.title.clone().unwrap_or_default();
    let body = shown_body(message, options).to_string();
    let seed = fnv1a(message.message_id.as_deref().unwrap_or(ext));
    let sent_ms = message.send_time.saturating_mul(1000);
    let (extras, data_uri) = match channel {
        PushChannel::Apns => {
            let thread = grouping.thread_id.as_deref();
            let user_info = apns_user_info(options, &title, &body, ext, thread);
            return json!({ "platform": "ios", "user_info": user_info });
        }
        PushChannel::Xiaomi => {
            let mut message = json!({
                "extra": { "ext": ext },
                "content": body,
                "title": title,
                "description": body,
                "messageId": format!("sdm{seed:016x}"),
            });
            // MiPushMessage's notifyId is the notify_id the sender set.
            if let Some(id) = grouping.notify_id {
                message["notifyId"] = json!(id);
            }
            (json!({ "key_message": message }), None)
        }
        PushChannel::Oppo => (oppo_extras(ext), None),
        PushChannel::Huawei if options.ext_as_huawei_intent_param => {
            (huawei_ids(json!({ "ext": ext }), grouping), None)
        }
        PushChannel::Huawei => (huawei_ids(json!({}), grouping), Some(intent_uri(ext))),
        PushChannel::Honor => (json!({}), Some(intent_uri(ext))),
        PushChannel::Vivo | PushChannel::Meizu => (json!({ "ext": ext }), None),
        PushChannel::Fcm => (
            json!({
                "ext": ext,
                "google.message_id": format!("0:{sent_ms}%{seed:016x}"),
                "google.sent_time": sent_ms,
                "google.ttl": FCM_DEFAULT_TTL_SECONDS,
            }),
            None,
        ),
    };
    let mut tap = Map::new();
    tap.insert("platform".into(), json!("android"));
    tap.insert("extras".into(), extras);
    if let Some(uri) = data_uri {
        tap.insert("data_uri".into(), json!(uri));
    }
    tap.insert("channel_hint".into(), json!(channel.as_str()));
    Value::Object(tap)
}

/// HMS adds the notification's id to the tap as `_push_notifyid`: the
/// notify_id the sender set.
fn huawei_ids(mut extras: Value, grouping: &Plan) -> Value {
    if let Some(id) = grouping.notify_id {
        extras["_push_notifyid"] = json!(id);
    }
    extras
}

/// The notification body: the desc, or the message content without one.
pub fn shown_body<'a>(message: &'a OutboundMessage, options: &'a OfflinePushOptions) -> &'a str {
    options.desc.as_deref().unwrap_or(&message.content)
}

/// The APNs `userInfo`: `aps` beside `ext` as a JSON string. Also what the
/// APNs payload size check measures.
pub fn apns_user_info(
    options: &OfflinePushOptions,
    title: &str,
    body: &str,
    ext: &str,
    thread_id: Option<&str>,
) -> Value {
    let mut alert = Map::new();
    alert.insert("title".into(), json!(title));
    if let Some(subtitle) = &options.ios_subtitle {
        alert.insert("subtitle".into(), json!(subtitle));
    }
    alert.insert("body".into(), json!(body));
    let mut aps = Map::new();
    aps.insert("alert".into(), Value::Object(alert));
    match options.ios_sound.as_deref() {
        Some("none") => {}
        Some(sound) => {
            aps.insert("sound".into(), json!(sound));
        }
        None => {
            aps.insert("sound".into(), json!("default"));
        }
    }
    if !options.ignore_ios_badge {
        aps.insert("badge".into(), json!(1));
    }
    if options.ios_mutable_content {
        aps.insert("mutable-content".into(), json!(1));
    }
    if options.ios_background_notification {
        aps.insert("content-available".into(), json!(1));
    }
    if let Some(level) = options.ios_interruption_level {
        aps.insert("interruption-level".into(), json!(level.aps_value()));
    }
    if let Some(thread) = thread_id {
        aps.insert("thread-id".into(), json!(thread));
    }
    let mut user_info = Map::new();
    user_info.insert("aps".into(), Value::Object(aps));
    // The image URL travels beside `aps` for the service extension; the key
    // name is this simulator's own, but its bytes count against the budget.
    if let Some(image) = &options.ios_image {
        user_info.insert("image".into(), json!(image));
    }
    user_info.insert("ext".into(), json!(ext));
    Value::Object(user_info)
}

/// OPPO turns each top-level key of Ext into its own intent extra; nested
/// objects arrive as JSON strings.
fn oppo_extras(ext: &str) -> Value {
    let Ok(Value::Object(keys)) = serde_json::from_str::<Value>(ext) else {
        return json!({ "ext": ext });
    };
    let extras: Map<String, Value> = keys
        .into_iter()
        .map(|(key, value)| {
            let value = match value {
                Value::String(s) => Value::String(s),
                other => Value::String(other.to_string()),
            };
            (key, value)
        })
        .collect();
    Value::Object(extras)
}

/// A click-action intent URI as Huawei and Honor deliver it, with the ext
/// as a percent-encoded string extra.
fn intent_uri(ext: &str) -> String {
    format!(
        "intent://dev.pushcore.app/notification#Intent;scheme=pushcore;launchFlags=0x4000000;S.ext={};end",
        uri_encode(ext)
    )
}

/// Percent-encodes like Android's `Uri.encode`, which `Intent.toUri` uses
/// for extra values: everything but letters, digits and `_-!.~'()*`.
pub fn uri_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"_-!.~'()*".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// FNV-1a: a stable, dependency-free hash for simulated vendor ids.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::ChatType;
    use crate::outbound::options::*;

    const EXT: &str =
        r#"{"entity":{"chatType":1,"content":"a;b","sender":"alice","version":1},"k":"v"}"#;

    fn message() -> OutboundMessage {
        OutboundMessage {
            message_type: OutboundMessageType::Text,
            message_id: Some("m-1".into()),
            chat_type: ChatType::C2c,
            sender: "alice".into(),
            nickname: None,
            face_url: None,
            content: "a;b".into(),
            send_time: 1_732_600_000,
            options: OfflinePushOptions::default(),
            truncate: false,
            call: None,
            receiver: None,
        }
    }

    /// The plan of `m` with grouping off: the tap shapes without fields.
    fn ungrouped(m: &OutboundMessage) -> Plan {
        let mut m = m.clone();
        m.options.grouping = Some(crate::outbound::NotificationGrouping::Off);
        Plan::of(&m)
    }

    fn options() -> OfflinePushOptions {
        OfflinePushOptions {
            title: Some("Alice".into()),
            desc: Some("a;b".into()),
            ..Default::default()
        }
    }

    #[test]
    fn each_channel_has_its_documented_tap_shape() {
        let m = message();
        let o = options();
        let ungrouped = ungrouped(&m);
        let tap = |channel| tap_input(&m, &o, EXT, &ungrouped, channel);

        let xiaomi = tap(PushChannel::Xiaomi);
        let mi = &xiaomi["extras"]["key_message"];
        assert_eq!(mi["extra"]["ext"], EXT);
        assert_eq!(mi["title"], "Alice");
        assert_eq!(mi["description"], "a;b");
        assert!(mi["messageId"].as_str().unwrap().starts_with("sdm"));
        assert_eq!(xiaomi["channel_hint"], "xiaomi");

        let oppo = tap(PushChannel::Oppo);
        assert_eq!(oppo["extras"]["k"], "v");
        let entity: Value =
            serde_json::from_str(oppo["extras"]["entity"].as_str().unwrap()).unwrap();
        assert_eq!(entity["sender"], "alice");
        assert!(oppo["extras"].get("ext").is_none());

        for channel in [PushChannel::Huawei, PushChannel::Honor] {
            let t = tap(channel);
            let uri = t["data_uri"].as_str().unwrap();
            assert!(uri.starts_with("intent://"), "{uri}");
            assert!(uri.ends_with(";end"), "{uri}");
            assert!(uri.contains(&format!(";S.ext={};", uri_encode(EXT))));
            // The ext's own semicolons must not end the extra early.
            assert!(!uri_encode(EXT).contains(';'));
            assert_eq!(t["channel_hint"], channel.as_str());
        }
        let mut as_param = o.clone();
        as_param.ext_as_huawei_intent_param = true;
        let huawei = tap_input(&m, &as_param, EXT, &ungrouped, PushChannel::Huawei);
        assert_eq!(huawei["extras"]["ext"], EXT);
        assert!(huawei.get("data_uri").is_none());

        for channel in [PushChannel::Vivo, PushChannel::Meizu] {
            assert_eq!(tap(channel)["extras"], json!({ "ext": EXT }));
        }

        let fcm = tap(PushChannel::Fcm);
        assert_eq!(fcm["extras"]["ext"], EXT);
        assert_eq!(fcm["extras"]["google.sent_time"], 1_732_600_000_000u64);
        assert_eq!(fcm["extras"]["google.ttl"], 2_419_200);
        assert!(fcm["extras"]["google.message_id"]
            .as_str()
            .unwrap()
            .starts_with("0:"));

        let apns = tap(PushChannel::Apns);
        assert_eq!(apns["platform"], "ios");
        assert_eq!(
            apns["user_info"],
            json!({"aps":{"alert":{"title":"Alice","body":"a;b"},"sound":"default","badge":1},"ext":EXT})
        );
        assert!(apns.get("channel_hint").is_none());
    }

    #[test]
    fn apns_flags_follow_the_options() {
        let o = OfflinePushOptions {
            ios_sound: Some("none".into()),
            ignore_ios_badge: true,
            ios_mutable_content: true,
            ios_background_notification: true,
            ios_interruption_level: Some(IosInterruptionLevel::TimeSensitive),
            ios_image: Some("https://i".into()),
            ios_subtitle: Some("sub".into()),
            ..Default::default()
        };
        let info = apns_user_info(&o, "t", "b", "{}", None);
        assert_eq!(
            info,
            json!({"aps":{"alert":{"title":"t","subtitle":"sub","body":"b"},"mutable-content":1,
                "content-available":1,"interruption-level":"time-sensitive"},
                "image":"https://i","ext":"{}"})
        );
    }

    #[test]
    fn a_huge_send_time_saturates_instead_of_panicking() {
        let mut m = message();
        m.send_time = u64::MAX;
        let fcm = tap_input(&m, &options(), EXT, &ungrouped(&m), PushChannel::Fcm);
        assert_eq!(fcm["extras"]["google.sent_time"], u64::MAX);
    }

    #[test]
    fn simulated_ids_are_deterministic() {
        let m = message();
        let o = options();
        assert_eq!(
            tap_input(&m, &o, EXT, &Plan::of(&m), PushChannel::Fcm),
            tap_input(&m, &o, EXT, &Plan::of(&m), PushChannel::Fcm)
        );
        assert_eq!(uri_encode("a b;ü{\"}"), "a%20b%3B%C3%BC%7B%22%7D");
    }
}
