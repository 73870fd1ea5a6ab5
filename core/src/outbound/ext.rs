//! The `ext` pass-through a sent message carries: the standard entity form
//! of push-facts.md section 4, so receivers built on the reference SDK keep
//! working, plus `msgID` for the receiver's dedup store.
//!
//! The entity model is the tap parser's ([`crate::entity`]), so what is
//! written here is by construction what the parser reads. Nickname and face
//! URL are written even when empty, so the entity always has the reference
//! form's full key set and no receiver meets a missing key. A call push
//! (`message.call`) has action 2 and the call's signalling as its content,
//! the shape `entity::call` reads.

use super::error::{invalid, OutboundError};
use super::options::{OutboundCall, OutboundMessage};
use crate::entity::KNOWN_ENTITY_VERSION;
use crate::entity::{signalling_json, ChatType, ImEntity, ImExt, NotificationAction};
use crate::store::ledger::{receiver_digest, RECEIVER_EXT_KEY};
use serde_json::{Map, Value};

/// The ext JSON string for `message`: `{"entity":{...}}` followed by the
/// app's own top-level keys from `options.ext` (which must be a JSON
/// object and may not replace `entity`).
pub fn build_ext(message: &OutboundMessage) -> Result<String, OutboundError> {
    let app_keys = match message.options.ext.as_deref() {
        Some(app_ext) => app_keys(app_ext)?,
        None => Map::new(),
    };
    let (action, content) = match &message.call {
        Some(call) => (NotificationAction::Call, call_signalling(message, call)?),
        None => (NotificationAction::Chat, message.content.clone()),
    };
    let ext = ImExt {
        entity: ImEntity {
            version: KNOWN_ENTITY_VERSION,
            chat_type: message.chat_type,
            action,
            sender: message.sender.clone(),
            nickname: Some(message.nickname.clone().unwrap_or_default()),
            face_url: Some(message.face_url.clone().unwrap_or_default()),
            content: Some(content),
            send_time: message.send_time,
            custom_data: None,
            message_id: message.message_id.clone().filter(|id| !id.is_empty()),
        },
        features: None,
        app_keys: with_receiver(app_keys, message),
    };
    Ok(ext.to_json_string())
}

/// Adds the receiver digest for a one-to-one message with a receiver.
fn with_receiver(mut keys: Map<String, Value>, message: &OutboundMessage) -> Map<String, Value> {
    let receiver = message.receiver.as_deref().filter(|r| !r.trim().is_empty());
    if let (ChatType::C2c, Some(receiver)) = (message.chat_type, receiver) {
        keys.insert(
            RECEIVER_EXT_KEY.into(),
            Value::String(receiver_digest(receiver)),
        );
    }
    keys
}

/// A call's entity content: its signalling, in the shape the tap parser
/// reads. A group call names its group there (the entity's sender is the
/// caller), so the chat type and the group must agree.
fn call_signalling(
    message: &OutboundMessage,
    call: &OutboundCall,
) -> Result<String, OutboundError> {
    let group = call.group_id.as_deref().filter(|g| !g.is_empty());
    match (message.chat_type, group) {
        (ChatType::Group, None) => Err(invalid(
            "a group call needs call.group_id: the receiver opens that group",
        )),
        (ChatType::C2c, Some(_)) => Err(invalid(
            "a one-to-one call has no call.group_id; use chat_type group",
        )),
        _ => Ok(signalling_json(
            &call.call_id,
            call.media,
            &call.invited,
            group,
        )),
    }
}

fn app_keys(app_ext: &str) -> Result<Map<String, Value>, OutboundError> {
    if app_ext.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: Value = serde_json::from_str(app_ext)
        .map_err(|e| invalid(format!("options.ext is not JSON: {e}")))?;
    let Value::Object(keys) = value else {
        return Err(invalid("options.ext must be a JSON object"));
    };
    if ["entity", "timPushFeatures", RECEIVER_EXT_KEY]
        .iter()
        .any(|k| keys.contains_key(*k))
    {
        return Err(invalid(format!(
            "options.ext may not set `entity`, `timPushFeatures` or `{RECEIVER_EXT_KEY}`: the core writes them",
        )));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbound::options::*;
    use serde_json::json;

    fn message() -> OutboundMessage {
        OutboundMessage {
            message_type: OutboundMessageType::Text,
            message_id: Some("144115212345678901-1732600000-12345".into()),
            chat_type: ChatType::Group,
            sender: "@TGS#group".into(),
            nickname: Some("Alice".into()),
            face_url: None,
            content: "Hi \"there\"".into(),
            send_time: 1_732_600_000,
            options: OfflinePushOptions::default(),
            truncate: false,
            receiver: None,
            call: None,
        }
    }

    #[test]
    fn writes_the_standard_entity_with_msg_id() {
        let ext: Value = serde_json::from_str(&build_ext(&message()).unwrap()).unwrap();
        assert_eq!(
            ext,
            json!({"entity":{"version":1,"chatType":2,"action":1,"sender":"@TGS#group",
                "nickname":"Alice","faceUrl":"","content":"Hi \"there\"","sendTime":1732600000,
                "msgID":"144115212345678901-1732600000-12345"}})
        );
        let mut without_id = message();
        without_id.message_id = None;
        let ext: Value = serde_json::from_str(&build_ext(&without_id).unwrap()).unwrap();
        assert!(ext["entity"].get("msgID").is_none());
    }

    #[test]
    fn one_to_one_messages_carry_a_digest_of_the_receiver_and_groups_none() {
        let table = [
            (ChatType::C2c, Some("alice"), Some(receiver_digest("alice"))),
            (ChatType::C2c, Some("  "), None),
            (ChatType::C2c, None, None),
            (ChatType::Group, Some("alice"), None),
        ];
        for (chat_type, receiver, expected) in table {
            let mut m = message();
            m.chat_type = chat_type;
            m.receiver = receiver.map(String::from);
            let text = build_ext(&m).unwrap();
            assert!(!text.contains("alice"), "never in clear text: {text}");
            let ext: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                ext.get(RECEIVER_EXT_KEY).and_then(Value::as_str),
                expected.as_deref(),
                "{chat_type:?} {receiver:?}"
            );
        }
    }

    #[test]
    fn merges_app_keys_and_rejects_bad_ones() {
        let mut m = message();
        m.options.ext = Some(r#"{"deeplink":"chat","n":1}"#.into());
        let ext: Value = serde_json::from_str(&build_ext(&m).unwrap()).unwrap();
        assert_eq!(ext["deeplink"], "chat");
        assert_eq!(ext["entity"]["chatType"], 2);
        for bad in [
            "[1]",
            "not json",
            r#"{"entity":{}}"#,
            r#"{"timPushFeatures":{}}"#,
            r#"{"pushcoreReceiver":"r1:00000000"}"#,
        ] {
            m.options.ext = Some(bad.into());
            assert_eq!(
                crate::PushError::from(build_ext(&m).unwrap_err()).code(),
                "invalid_input",
                "{bad}"
            );
        }
    }
}
