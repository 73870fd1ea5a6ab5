//! The IM backend's `ext` pass-through (push-facts.md section 4), as one
//! model used both to read what a tap delivers and to write what a send
//! carries, so the two sides can never drift apart.
//!
//! Reading is lenient about representation (ext as a JSON string or an
//! object, `entity` itself as a JSON string as OPPO delivers it, numbers as
//! numeric strings, `customData` as a byte array or base64) but strict about
//! meaning: a field of the wrong kind is an `invalid_ext` error, a chat type
//! outside 1..=2 is `unsupported_payload`. A version newer than
//! [`KNOWN_ENTITY_VERSION`] is read as far as it is understood and flagged,
//! because the reference SDK dropped such clicks and users lost them.

use crate::error::PushError;
use crate::payload::limits;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

/// The newest `entity.version` this core knows.
pub const KNOWN_ENTITY_VERSION: u32 = 1;

/// One-to-one or group conversation (`chatType` 1 or 2 on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
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
}

impl Serialize for ChatType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.code())
    }
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
    #[serde(rename = "chatType")]
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

    /// Reads `ext` delivered as a JSON string or as an already-decoded object.
    pub fn read(ext: Value) -> Result<ImExt, PushError> {
        let doc: ExtDoc = match ext {
            Value::String(text) => {
                limits::check_depth(text.as_bytes())?;
                serde_json::from_str(&text)
                    .map_err(|e| invalid_ext(format!("ext is not a JSON object: {e}")))?
            }
            obj @ Value::Object(_) => serde_json::from_value(obj)
                .map_err(|e| invalid_ext(format!("ext is not usable: {e}")))?,
            other => {
                return Err(invalid_ext(format!(
                    "ext must be a JSON object or a JSON string, got {}",
                    kind(&other)
                )))
            }
        };
        let raw = match doc.entity {
            None => return Err(invalid_ext("ext has no `entity`")),
            Some(EntityField::Fields(raw)) => *raw,
            Some(EntityField::Text(text)) => {
                limits::check_depth(text.as_bytes())?;
                serde_json::from_str(&text)
                    .map_err(|e| invalid_ext(format!("entity is not a JSON object: {e}")))?
            }
            Some(EntityField::Other(kind)) => {
                return Err(invalid_ext(format!(
                    "entity must be a JSON object or a JSON string, got {kind}"
                )))
            }
        };
        let features = doc
            .features
            .and_then(|v| object_or_json_text(v, "timPushFeatures").ok())
            .map(|mut f| TimPushFeatures {
                // Only informative for a tap: a malformed value is ignored.
                fcm_push_type: uint(f.remove("fcmPushType"), "fcmPushType").ok().flatten(),
                fcm_notification_type: uint(f.remove("fcmNotificationType"), "fcmNotificationType")
                    .ok()
                    .flatten(),
            });
        Ok(ImExt {
            entity: ImEntity::from_raw(raw)?,
            features,
            app_keys: doc.rest,
        })
    }
}

/// `ext` as read in one pass: `entity` goes straight into [`RawEntity`]
/// without an intermediate map, which is most of a tap parse's work.
struct ExtDoc {
    entity: Option<EntityField>,
    features: Option<Value>,
    rest: Map<String, Value>,
}

/// `entity` as delivered: an object, or JSON text (OPPO), or something wrong.
enum EntityField {
    Fields(Box<RawEntity>),
    Text(String),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for ExtDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DocVisitor;
        impl<'de> Visitor<'de> for DocVisitor {
            type Value = ExtDoc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ExtDoc, A::Error> {
                let mut doc = ExtDoc {
                    entity: None,
                    features: None,
                    rest: Map::new(),
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "entity" => doc.entity = map.next_value::<Option<EntityField>>()?,
                        "timPushFeatures" => doc.features = Some(map.next_value()?),
                        _ => {
                            let value: Value = map.next_value()?;
                            doc.rest.insert(key, value);
                        }
                    }
                }
                Ok(doc)
            }
        }
        d.deserialize_map(DocVisitor)
    }
}

impl<'de> Deserialize<'de> for EntityField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> Visitor<'de> for FieldVisitor {
            type Value = EntityField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object or a JSON string")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EntityField, A::Error> {
                RawEntity::deserialize(MapAccessDeserializer::new(map))
                    .map(|raw| EntityField::Fields(Box::new(raw)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EntityField, E> {
                Ok(EntityField::Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<EntityField, E> {
                Ok(EntityField::Text(v))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<EntityField, E> {
                Ok(EntityField::Other("a boolean"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<EntityField, E> {
                Ok(EntityField::Other("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<EntityField, E> {
                Ok(EntityField::Other("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<EntityField, E> {
                Ok(EntityField::Other("a number"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<EntityField, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(EntityField::Other("an array"))
            }
        }
        d.deserialize_any(FieldVisitor)
    }
}

/// The entity's fields as delivered, before their types are checked (that
/// happens in [`ImEntity::from_raw`], with this module's error messages).
/// Unknown fields, such as a newer version's, are skipped.
#[derive(Default, Deserialize)]
struct RawEntity {
    version: Option<Value>,
    #[serde(rename = "chatType")]
    chat_type: Option<Value>,
    action: Option<Value>,
    sender: Option<Value>,
    nickname: Option<Value>,
    #[serde(rename = "faceUrl")]
    face_url: Option<Value>,
    content: Option<Value>,
    #[serde(rename = "sendTime")]
    send_time: Option<Value>,
    #[serde(rename = "customData")]
    custom_data: Option<Value>,
    #[serde(rename = "msgID")]
    msg_id: Option<Value>,
    #[serde(rename = "messageId")]
    message_id: Option<Value>,
}

impl ImEntity {
    fn from_raw(raw: RawEntity) -> Result<ImEntity, PushError> {
        let chat_code = uint(raw.chat_type, "chatType")?
            .ok_or_else(|| invalid_ext("entity has no `chatType`"))?;
        let chat_type =
            ChatType::from_code(chat_code).ok_or_else(|| PushError::UnsupportedPayload {
                reason: format!("entity.chatType {chat_code} is neither 1 (c2c) nor 2 (group)"),
            })?;
        let sender = match raw.sender {
            Some(Value::String(s)) if !s.is_empty() => s,
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                return Err(invalid_ext("entity has no `sender`"))
            }
            Some(other) => return Err(wrong_type("sender", "a string", &other)),
        };
        let version = small_uint(raw.version, "version")?.unwrap_or(KNOWN_ENTITY_VERSION);
        let action = small_uint(raw.action, "action")?
            .map_or(NotificationAction::Chat, NotificationAction::from_code);
        let message_id = match id(raw.msg_id, "msgID")? {
            Some(id) => Some(id),
            None => id(raw.message_id, "messageId")?,
        };
        Ok(ImEntity {
            version,
            chat_type,
            action,
            sender,
            nickname: string(raw.nickname, "nickname")?,
            face_url: string(raw.face_url, "faceUrl")?,
            content: string(raw.content, "content")?,
            send_time: uint(raw.send_time, "sendTime")?.unwrap_or(0),
            custom_data: custom_data(raw.custom_data)?,
            message_id,
        })
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

fn wrong_type(field: &str, expected: &str, got: &Value) -> PushError {
    invalid_ext(format!(
        "entity.{field} must be {expected}, got {}",
        kind(got)
    ))
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

/// A non-negative integer, also accepted as a numeric string or an integral
/// float (some writers go through doubles).
fn uint(value: Option<Value>, field: &str) -> Result<Option<u64>, PushError> {
    let parsed = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 9_007_199_254_740_992.0)
                .map(|f| f as u64)
        }),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(other) => return Err(wrong_type(field, "a non-negative integer", &other)),
    };
    parsed
        .map(Some)
        .ok_or_else(|| invalid_ext(format!("entity.{field} must be a non-negative integer")))
}

fn small_uint(value: Option<Value>, field: &str) -> Result<Option<u32>, PushError> {
    match uint(value, field)? {
        None => Ok(None),
        Some(n) => u32::try_from(n)
            .map(Some)
            .map_err(|_| invalid_ext(format!("entity.{field} {n} is out of range"))),
    }
}

fn string(value: Option<Value>, field: &str) -> Result<Option<String>, PushError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(wrong_type(field, "a string", &other)),
    }
}

fn id(value: Option<Value>, field: &str) -> Result<Option<String>, PushError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(wrong_type(field, "a string or number", &other)),
    }
}

/// `customData`: bytes. Android writes a number array; iOS writes `Data`,
/// which JSON encoders render as base64. A string that is not base64 is
/// taken as its UTF-8 bytes rather than dropping the click.
fn custom_data(value: Option<Value>) -> Result<Option<Vec<u8>>, PushError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok()))
            .collect::<Option<Vec<u8>>>()
            .map(Some)
            .ok_or_else(|| invalid_ext("entity.customData must be an array of bytes (0..=255)")),
        Some(Value::String(s)) => Ok(Some(decode_base64(&s).unwrap_or_else(|| s.into_bytes()))),
        Some(other) => Err(wrong_type(
            "customData",
            "a byte array or a base64 string",
            &other,
        )),
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
mod tests {
    use super::*;
    use serde_json::json;

    fn read(v: Value) -> Result<ImExt, PushError> {
        ImExt::read(v)
    }

    #[test]
    fn reads_old_and_current_forms_as_string_or_object() {
        let entity = json!({"version":1,"chatType":2,"action":1,"sender":"g1","nickname":"Ann",
            "faceUrl":"https://x/a.png","content":"hi","sendTime":1700000000});
        let old = json!({ "entity": entity });
        let current = json!({"entity": entity, "timPushFeatures": {"fcmPushType": 0, "fcmNotificationType": 1}});
        for ext in [
            old.clone(),
            Value::String(old.to_string()),
            current.clone(),
            Value::String(current.to_string()),
        ] {
            let ext = read(ext).unwrap();
            assert_eq!(ext.entity.chat_type, ChatType::Group);
            assert_eq!(ext.entity.sender, "g1");
            assert_eq!(ext.entity.send_time, 1_700_000_000);
        }
        let f = read(current).unwrap().features.unwrap();
        assert_eq!(
            (f.fcm_push_type, f.fcm_notification_type),
            (Some(0), Some(1))
        );
    }

    #[test]
    fn lenient_representations_strict_meaning() {
        type Expected = Result<(u32, u64, Option<&'static str>), &'static str>;
        let table: Vec<(Value, Expected)> = vec![
            (
                json!({"chatType":"1","sender":"u","sendTime":"12"}),
                Ok((1, 12, None)),
            ),
            (
                json!({"chatType":1.0,"sender":7,"msgID":99}),
                Ok((1, 0, Some("99"))),
            ),
            (
                json!({"chatType":1,"sender":"u","messageId":"m-1","version":3}),
                Ok((3, 0, Some("m-1"))),
            ),
            (
                json!({"chatType":3,"sender":"u"}),
                Err("unsupported_payload"),
            ),
            (
                json!({"chatType":0,"sender":"u"}),
                Err("unsupported_payload"),
            ),
            (json!({"chatType":"x","sender":"u"}), Err("invalid_ext")),
            (json!({"chatType":1}), Err("invalid_ext")),
            (json!({"chatType":1,"sender":""}), Err("invalid_ext")),
            (
                json!({"chatType":1,"sender":"u","nickname":5}),
                Err("invalid_ext"),
            ),
            (
                json!({"chatType":1,"sender":"u","sendTime":-1}),
                Err("invalid_ext"),
            ),
            (
                json!({"chatType":1,"sender":"u","action":true}),
                Err("invalid_ext"),
            ),
            (
                json!({"chatType":1,"sender":"u","version":5000000000u64}),
                Err("invalid_ext"),
            ),
            (json!({"sender":"u"}), Err("invalid_ext")),
        ];
        for (entity, expected) in table {
            let got = read(json!({ "entity": entity.clone() }));
            match (got, expected) {
                (Ok(ext), Ok((version, send_time, id))) => {
                    assert_eq!(ext.entity.version, version, "{entity}");
                    assert_eq!(ext.entity.send_time, send_time, "{entity}");
                    assert_eq!(ext.entity.message_id.as_deref(), id, "{entity}");
                }
                (Err(e), Err(code)) => assert_eq!(e.code(), code, "{entity}: {e}"),
                (got, expected) => panic!("{entity}: got {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn ext_shape_errors() {
        let table = [
            (json!("not json"), "invalid_ext"),
            (json!("[1,2]"), "invalid_ext"),
            (json!(42), "invalid_ext"),
            (json!({"notEntity": {}}), "invalid_ext"),
            (json!({"entity": "{broken"}), "invalid_ext"),
            (json!({"entity": 1}), "invalid_ext"),
        ];
        for (ext, code) in table {
            assert_eq!(read(ext.clone()).unwrap_err().code(), code, "{ext}");
        }
    }

    #[test]
    fn custom_data_reads_both_platform_forms() {
        let table = [
            (json!([104, 105]), Some(b"hi".to_vec())),
            (json!("aGk="), Some(b"hi".to_vec())),
            (json!("aGk"), Some(b"hi".to_vec())),
            (json!("not base64!"), Some(b"not base64!".to_vec())),
            (json!(null), None),
        ];
        for (data, expected) in table {
            let ext =
                read(json!({"entity": {"chatType":1,"sender":"u","customData": data}})).unwrap();
            assert_eq!(ext.entity.custom_data, expected, "{data}");
        }
        let bad = read(json!({"entity": {"chatType":1,"sender":"u","customData":[300]}}));
        assert_eq!(bad.unwrap_err().code(), "invalid_ext");
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
                action: NotificationAction::Call,
                sender: "alice".into(),
                nickname: Some("Alice".into()),
                face_url: None,
                content: Some("ring".into()),
                send_time: 5,
                custom_data: Some(vec![1, 2]),
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
        assert_eq!(v["entity"]["action"], json!(2));
        assert_eq!(v["entity"]["faceUrl"], Value::Null);
        assert_eq!(v["entity"]["customData"], json!([1, 2]));
        assert_eq!(v["timPushFeatures"]["fcmPushType"], json!(1));
        assert_eq!(v["orderId"], json!("o-9"));
        assert_eq!(read(Value::String(text)).unwrap(), ext);
    }
}
