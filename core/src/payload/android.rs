//! Android taps: one reader per delivered shape (push-facts.md section 3).
//! The order of checks goes from the most specific shape to the least, so a
//! forged extra cannot make a tap look like a weaker-checked channel.

use super::error::{no_push_payload, unreadable, PayloadError};
use super::intent_uri::{self, IntentExtra};
use super::{id_string, text, Delivery, FCM_RELAYED_MESSAGE_ID};
use crate::channel::PushChannel;
use crate::entity::{object_or_json_text, CONVERSATION_ID_KEY};
use serde_json::{Map, Value};

pub(super) fn read(
    mut extras: Map<String, Value>,
    data_uri: Option<&str>,
    hint: Option<PushChannel>,
) -> Result<Delivery, PayloadError> {
    if let Some(message) = extras.remove("key_message") {
        return xiaomi(message, extras);
    }
    if extras
        .keys()
        .any(|k| k.starts_with("google.") || k == FCM_RELAYED_MESSAGE_ID)
    {
        return fcm(extras);
    }
    let split_conversation_id =
        extras.contains_key(CONVERSATION_ID_KEY) && !extras.contains_key("ext");
    if extras.contains_key("entity") || split_conversation_id {
        return oppo(extras);
    }
    if let Some(custom) = extras.remove("selfDefineContentString") {
        return meizu(custom, extras);
    }
    if let Some(id) = extras.remove(VIVO_MESSAGE_ID) {
        if let Some(ext) = extras.remove("ext") {
            let mut delivery = plain(Some(PushChannel::Vivo), ext, extras);
            delivery.vendor_message_id = id_string(id);
            return Ok(delivery);
        }
        extras.insert(VIVO_MESSAGE_ID.into(), id);
    }
    if let Some(uri) = data_uri.filter(|u| intent_uri::has_intent_fragment(u)) {
        let mut uri_ext = None;
        let parsed = intent_uri::parse_intent_extras(uri).map_err(|e| unreadable(e.to_string()))?;
        for (key, value) in parsed {
            match value {
                IntentExtra::String(s) if key == "ext" => uri_ext = Some(Value::String(s)),
                other => {
                    extras.entry(key).or_insert_with(|| other.to_json());
                }
            }
        }
        if let Some(uri_ext) = uri_ext {
            // Huawei and Honor both put `S.ext` in the click intent URI.
            let channel = hint.filter(|c| matches!(c, PushChannel::Huawei | PushChannel::Honor));
            let ext = extras.remove("ext").unwrap_or(uri_ext);
            return Ok(with_huawei_ids(plain(channel, ext, extras)));
        }
    }
    if let Some(ext) = extras.remove("ext") {
        // Huawei (intent parameters), Honor, vivo, Meizu and FCM's data all
        // arrive as a bare `ext` extra: only the hint can tell them apart.
        let channel = hint.filter(|c| {
            matches!(
                c,
                PushChannel::Huawei
                    | PushChannel::Honor
                    | PushChannel::Vivo
                    | PushChannel::Meizu
                    | PushChannel::Fcm
            )
        });
        return Ok(with_huawei_ids(plain(channel, ext, extras)));
    }
    Err(no_push_payload(
        "the intent carries no `ext`, `entity` or `key_message`",
    ))
}

/// vivo's tap extra with its message id; it names the channel.
const VIVO_MESSAGE_ID: &str = "vivo_push_messageId";

/// Huawei's tap extras: `_push_msgid` (message), `_push_notifyid` (the
/// notification it posted), `_push_cmd_type`. Any of them makes a tap
/// without a hint Huawei's; Honor's SDK, derived from Huawei's, may carry
/// them too, so an Honor hint is kept.
fn with_huawei_ids(mut d: Delivery) -> Delivery {
    let message_id = d.unused.remove("_push_msgid");
    let notification_id = d.unused.remove("_push_notifyid");
    let found = message_id.is_some()
        || notification_id.is_some()
        || d.unused.contains_key("_push_cmd_type");
    if found && d.channel != Some(PushChannel::Honor) {
        d.channel = Some(PushChannel::Huawei);
    }
    d.vendor_message_id = message_id.and_then(id_string);
    d.vendor_notification_id = notification_id.and_then(id_string);
    d
}

fn plain(channel: Option<PushChannel>, ext: Value, unused: Map<String, Value>) -> Delivery {
    Delivery {
        channel,
        ext,
        vendor_message_id: None,
        vendor_notification_id: None,
        title: None,
        body: None,
        unused,
    }
}

/// `key_message` holds a MiPushMessage; its `extra` map holds `ext`.
fn xiaomi(message: Value, mut unused: Map<String, Value>) -> Result<Delivery, PayloadError> {
    let mut message =
        object_or_json_text(message, "key_message").map_err(|e| unreadable(e.message()))?;
    let mut extra = match message.remove("extra") {
        None | Some(Value::Null) => Map::new(),
        Some(v) => {
            object_or_json_text(v, "key_message.extra").map_err(|e| unreadable(e.message()))?
        }
    };
    let ext = extra
        .remove("ext")
        .ok_or_else(|| no_push_payload("the MiPushMessage's `extra` has no `ext`"))?;
    for (key, value) in extra {
        unused.entry(key).or_insert(value);
    }
    Ok(Delivery {
        channel: Some(PushChannel::Xiaomi),
        ext,
        vendor_message_id: message.remove("messageId").and_then(id_string),
        vendor_notification_id: message.remove("notifyId").and_then(id_string),
        title: text(message.remove("title")),
        body: text(message.remove("description")),
        unused,
    })
}

/// FCM's data map key `ext`, beside `google.*` keys on the tray intent.
fn fcm(mut extras: Map<String, Value>) -> Result<Delivery, PayloadError> {
    let ext = extras
        .remove("ext")
        .ok_or_else(|| no_push_payload("the FCM data has no `ext`"))?;
    Ok(Delivery {
        channel: Some(PushChannel::Fcm),
        ext,
        vendor_message_id: extras
            .remove("google.message_id")
            .or_else(|| extras.remove(FCM_RELAYED_MESSAGE_ID))
            .and_then(id_string),
        vendor_notification_id: None,
        title: None,
        body: None,
        unused: extras,
    })
}

/// OPPO turns each top-level key of ext into its own extra, so Flutter
/// UIKit's `{"conversationID":..}` arrives as a `conversationID` extra.
fn oppo(mut extras: Map<String, Value>) -> Result<Delivery, PayloadError> {
    let mut ext = Map::new();
    for key in ["entity", "timPushFeatures", CONVERSATION_ID_KEY] {
        if let Some(v) = extras.remove(key) {
            ext.insert(key.to_string(), v);
        }
    }
    Ok(plain(Some(PushChannel::Oppo), Value::Object(ext), extras))
}

/// Meizu's click callback: `selfDefineContentString`, a JSON object string
/// holding the custom attributes, `ext` among them.
fn meizu(custom: Value, mut extras: Map<String, Value>) -> Result<Delivery, PayloadError> {
    let mut custom = object_or_json_text(custom, "selfDefineContentString")?;
    let ext = match extras.remove("ext").or_else(|| custom.remove("ext")) {
        Some(ext) => ext,
        // The custom attributes may be the ext document itself.
        None if custom.contains_key("entity") => Value::Object(std::mem::take(&mut custom)),
        None => return Err(no_push_payload("selfDefineContentString has no `ext`")),
    };
    for (key, value) in custom {
        extras.entry(key).or_insert(value);
    }
    Ok(plain(Some(PushChannel::Meizu), ext, extras))
}
