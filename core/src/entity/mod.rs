//! The IM backend's `ext` pass-through (push-facts.md section 4), as one
//! model used both to read what a tap delivers ([`read`]) and to write what
//! a send carries, so the two sides can never drift apart.
//!
//! Reading is lenient about representation (ext as a JSON string or an
//! object, `entity` itself as a JSON string as OPPO delivers it, numbers as
//! numeric strings, `customData` as a signed or unsigned byte array or
//! base64) and strict only about what routing needs: a malformed optional
//! field is dropped with a finding, never the tap. A version newer than
//! [`KNOWN_ENTITY_VERSION`] is read as far as it is understood and flagged,
//! because the reference SDK dropped such clicks and users lost them.

mod call;
mod fields;
pub mod findings;
mod read;

pub use call::{signalling_json, CallInfo, CallMedia};
pub use read::{read_tap_ext, TapExt, CONVERSATION_ID_KEY};

use crate::error::PushError;
use crate::limits;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

/// The app-defined key (in `ext` or the extras) that may carry a URL for
/// notifications whose action is neither chat nor call (routing opens it
/// when the allow-list admits it).
pub const URL_KEY: &str = "url";

/// The newest `entity.version` this core knows.
pub const KNOWN_ENTITY_VERSION: u32 = 1;

/// One-to-one or group conversation. Its name (`c2c`, `group`) is its serde
/// form, as in an outbound message or a route; the entity's `chatType`
/// carries the number instead (1 or 2), chosen on that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ChatType {
    C2c,
    Group,
}

impl ChatType {
    pub fn code(self) -> u32 {
        match self {
            ChatType::C2c => 1,
            ChatType::Group => 2,
        }
    }

    pub fn from_code(code: u64) -> Option<ChatType> {
        match code {
            1 => Some(ChatType::C2c),
            2 => Some(ChatType::Group),
            _ => None,
        }
    }

    /// `c2c` or `group`: the CLI's name and the conversation id prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatType::C2c => "c2c",
            ChatType::Group => "group",
        }
    }

    /// The conversation as the receiving device names it: `c2c_<sender>`
    /// for a one-to-one chat, `group_<group id>` for a group. The tap
    /// parser, the ledger and the sending side's grouping fields all use
    /// this one spelling, so what a device files and what a sender groups
    /// by agree.
    pub fn conversation_id(self, peer: &str) -> String {
        format!("{}_{peer}", self.as_str())
    }
}

/// The entity's `chatType` is the number (push-facts.md section 4).
fn chat_type_code<S: Serializer>(chat_type: &ChatType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(chat_type.code())
}

/// What the push is about (`action` on the wire). Unknown codes are kept,
/// not rejected, so a newer backend's action still opens the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum NotificationAction {
    Chat,
    Call,
    Other { code: u32 },
}

impl NotificationAction {
    pub fn code(self) -> u32 {
        match self {
            NotificationAction::Chat => 1,
            NotificationAction::Call => 2,
            NotificationAction::Other { code } => code,
        }
    }

    pub fn from_code(code: u32) -> NotificationAction {
        match code {
            1 => NotificationAction::Chat,
            2 => NotificationAction::Call,
            code => NotificationAction::Other { code },
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationAction::Chat => "chat",
            NotificationAction::Call => "call",
            NotificationAction::Other { .. } => "other",
        }
    }
}

impl Serialize for NotificationAction {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.code())
    }
}

/// The `entity` object. Serializes with the wire's key names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImEntity {
    pub version: u32,
    #[serde(rename = "chatType", serialize_with = "chat_type_code")]
    pub chat_type: ChatType,
    pub action: NotificationAction,
    /// User id, or group id for group chats.
    pub sender: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(rename = "faceUrl", skip_serializing_if = "Option::is_none")]
    pub face_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Seconds since the epoch; the backend often sends 0.
    #[serde(rename = "sendTime")]
    pub send_time: u64,
    /// Written as a number array (the Android form); read from either form.
    #[serde(rename = "customData", skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Vec<u8>>,
    /// Not in the reference format; some backends add `msgID` or `messageId`.
    #[serde(rename = "msgID", skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

/// `timPushFeatures`, the current form's companion of `entity`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct TimPushFeatures {
    #[serde(rename = "fcmPushType", skip_serializing_if = "Option::is_none")]
    pub fcm_push_type: Option<u64>,
    #[serde(
        rename = "fcmNotificationType",
        skip_serializing_if = "Option::is_none"
    )]
    pub fcm_notification_type: Option<u64>,
}

/// The whole `ext` document: entity, optional features, and whatever keys
/// the app added (kept, so the app gets them back on the tap).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImExt {
    pub entity: ImEntity,
    #[serde(rename = "timPushFeatures", skip_serializing_if = "Option::is_none")]
    pub features: Option<TimPushFeatures>,
    #[serde(flatten)]
    pub app_keys: Map<String, Value>,
}

impl ImExt {
    /// The JSON string that travels as `ext`.
    pub fn to_json_string(&self) -> String {
        // Serializing plain strings, numbers and a JSON map cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

pub(crate) fn invalid_ext(reason: impl Into<String>) -> PushError {
    PushError::InvalidExt {
        reason: reason.into(),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An object, or a string holding one (how OPPO and APNs deliver it).
pub(crate) fn object_or_json_text(v: Value, what: &str) -> Result<Map<String, Value>, PushError> {
    match v {
        Value::Object(m) => Ok(m),
        Value::String(text) => {
            limits::check_depth(text.as_bytes())?;
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => Ok(m),
                Ok(other) => Err(invalid_ext(format!(
                    "{what} must be a JSON object, got {}",
                    kind(&other)
                ))),
                Err(e) => Err(invalid_ext(format!("{what} is not JSON: {e}"))),
            }
        }
        other => Err(invalid_ext(format!(
            "{what} must be a JSON object or a JSON string, got {}",
            kind(&other)
        ))),
    }
}

/// Standard or URL-safe base64, padding optional. `None` if not base64.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let trimmed = text.trim_end_matches('=');
    if text.len() - trimmed.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in trimmed.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover sextet cannot come from an encoder.
    if bits >= 6 || acc != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests;
