//! The `ext` pass-through a sent message carries: the standard entity form
//! of push-facts.md section 4, so receivers built on the reference SDK keep
//! working, plus `msgID` for the receiver's dedup store.
//!
//! This is the only place the sending side writes an entity; the tap
//! parser reads the same shape, and the two can share one model at merge.

use super::options::OutboundMessage;
use crate::error::invalid_input;
use crate::PushError;
use serde_json::{json, Map, Value};

/// The entity version receivers know.
pub const ENTITY_VERSION: u32 = 1;
/// `action` for a chat message (2 would be a call).
const ACTION_CHAT: u32 = 1;

/// The ext JSON string for `message`: `{"entity":{...}}` followed by the
/// app's own top-level keys from `options.ext` (which must be a JSON
/// object and may not replace `entity`).
pub fn build_ext(message: &OutboundMessage) -> Result<String, PushError> {
    let mut entity = Map::new();
    entity.insert("version".into(), json!(ENTITY_VERSION));
    entity.insert("chatType".into(), json!(message.chat_type.entity_code()));
    entity.insert("action".into(), json!(ACTION_CHAT));
    entity.insert("sender".into(), json!(message.sender));
    entity.insert(
        "nickname".into(),
        json!(message.nickname.as_deref().unwrap_or_default()),
    );
    entity.insert(
        "faceUrl".into(),
        json!(message.face_url.as_deref().unwrap_or_default()),
    );
    entity.insert("content".into(), json!(message.content));
    entity.insert("sendTime".into(), json!(message.send_time));
    if let Some(id) = message.message_id.as_deref().filter(|id| !id.is_empty()) {
        entity.insert("msgID".into(), json!(id));
    }

    let mut ext = Map::new();
    ext.insert("entity".into(), Value::Object(entity));
    if let Some(app_ext) = message.options.ext.as_deref() {
        for (key, value) in app_keys(app_ext)? {
            ext.insert(key, value);
        }
    }
    serde_json::to_string(&Value::Object(ext))
        .map_err(|e| invalid_input(format!("cannot serialize ext: {e}")))
}

fn app_keys(app_ext: &str) -> Result<Map<String, Value>, PushError> {
    if app_ext.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: Value = serde_json::from_str(app_ext)
        .map_err(|e| invalid_input(format!("options.ext is not JSON: {e}")))?;
    let Value::Object(keys) = value else {
        return Err(invalid_input("options.ext must be a JSON object"));
    };
    if keys.contains_key("entity") {
        return Err(invalid_input(
            "options.ext may not set `entity`: the core writes it from the message",
        ));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbound::options::*;

    fn message() -> OutboundMessage {
        OutboundMessage {
            message_type: OutboundMessageType::Text,
            message_id: Some("144115212345678901-1732600000-12345".into()),
            chat_type: OutboundChatType::Group,
            sender: "@TGS#group".into(),
            nickname: Some("Alice".into()),
            face_url: None,
            content: "Hi \"there\"".into(),
            send_time: 1_732_600_000,
            options: OfflinePushOptions::default(),
            truncate: false,
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
    fn merges_app_keys_and_rejects_bad_ones() {
        let mut m = message();
        m.options.ext = Some(r#"{"deeplink":"chat","n":1}"#.into());
        let ext: Value = serde_json::from_str(&build_ext(&m).unwrap()).unwrap();
        assert_eq!(ext["deeplink"], "chat");
        assert_eq!(ext["entity"]["chatType"], 2);
        for bad in ["[1]", "not json", r#"{"entity":{}}"#] {
            m.options.ext = Some(bad.into());
            assert_eq!(build_ext(&m).unwrap_err().code(), "invalid_input", "{bad}");
        }
    }
}
