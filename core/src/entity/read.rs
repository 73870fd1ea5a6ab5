//! Reading a tap's `ext` (push-facts.md section 4), in every form a sender
//! writes it. Which form comes from which sender:
//!
//! - **Android UIKit (Gson)**: compact JSON; `customData` (a Java `byte[]`)
//!   as *signed* numbers -128..=127; `=`, `'` and `&` escaped as `\u003d`,
//!   `\u0027`, `\u0026`; keys in declaration or name order; unset
//!   `timPushFeatures` values as -1.
//! - **iOS UIKit (NSJSONSerialization)**: pretty-printed (newlines,
//!   `" : "`), `/` written as `\/`, `customData` as a (base64) string, no
//!   `timPushFeatures` in older versions.
//! - **Newer Kotlin UIKits**: an entity without `version`, `action` or
//!   `sendTime` (read as 1, chat and 0).
//! - **Flutter UIKit**, when the app sets no ext: `{"conversationID":
//!   "c2c_<user>"}` or `{"conversationID":"group_<group>"}`, no entity.
//! - **Custom click routing** (Tencent's docs): `{"entity":{"key1":"v1"}}`,
//!   an entity of the app's own keys with no `chatType` and no `sender`:
//!   no conversation; the keys go to the app.
//! - **Calls** (`action` 2): see [`super::call`].
//!
//! Only what routing needs rejects a tap: the ext and entity must be JSON
//! objects, `chatType` (1 or 2) and `sender` must be there and well-formed,
//! `action` well-formed (default chat), a `conversationID` must name a
//! conversation. Every other field that is malformed is dropped with a
//! [`PayloadFinding`](super::findings::PayloadFinding) (docs/taps.md has
//! the full list).

use super::call::{self, CallInfo};
use super::fields::{self, optional};
use super::findings::Findings;
use super::URL_KEY;
use super::{
    invalid_ext, kind, object_or_json_text, ChatType, ImEntity, NotificationAction,
    TimPushFeatures, KNOWN_ENTITY_VERSION,
};
use crate::error::PushError;
use crate::limits;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::fmt;

/// The key of Flutter UIKit's default ext.
pub const CONVERSATION_ID_KEY: &str = "conversationID";

/// What a tap's ext says, as far as it could be used.
#[derive(Debug, Clone, PartialEq)]
pub struct TapExt {
    /// The conversation's entity; `None` when the ext names no conversation
    /// (an entity of app keys only).
    pub entity: Option<ImEntity>,
    /// For a call: its signalling, read from `entity.content` (which is then
    /// `None`, since it is not text to show).
    pub call: Option<CallInfo>,
    pub features: Option<TimPushFeatures>,
    /// The app's own keys: ext's top level first, then unknown entity keys.
    pub app_keys: Map<String, Value>,
}

/// Reads `ext` delivered as a JSON string or as an already-decoded object.
pub fn read_tap_ext(ext: Value, findings: &mut Findings) -> Result<TapExt, PushError> {
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
    let ExtDoc {
        entity,
        features,
        mut rest,
    } = doc;
    let raw = match entity {
        None => match rest.remove(CONVERSATION_ID_KEY) {
            Some(id) => conversation_entity(id)?,
            None => return Err(invalid_ext("ext has no `entity`")),
        },
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
    let features = features.and_then(|v| read_features(v, findings));
    let (entity, entity_keys) = ImEntity::from_raw(raw, findings)?;
    let (entity, call) = match entity {
        Some(mut entity) if entity.action == NotificationAction::Call => {
            let signalling = entity.content.take();
            let call = call::read(&entity.sender, signalling.as_deref(), findings);
            (Some(entity), Some(call))
        }
        other => (other, None),
    };
    Ok(TapExt {
        entity,
        call,
        features,
        app_keys: app_keys(rest, entity_keys, findings),
    })
}

/// Flutter UIKit's `conversationID`: `c2c_<user>` or `group_<group>`.
fn conversation_entity(id: Value) -> Result<RawEntity, PushError> {
    let Value::String(id) = id else {
        return Err(invalid_ext(format!(
            "{CONVERSATION_ID_KEY} must be a string, got {}",
            kind(&id)
        )));
    };
    let (chat_type, target) = match (id.strip_prefix("c2c_"), id.strip_prefix("group_")) {
        (Some(user), _) => (ChatType::C2c, user),
        (_, Some(group)) => (ChatType::Group, group),
        _ => {
            return Err(invalid_ext(format!(
                "{CONVERSATION_ID_KEY} must start with `c2c_` or `group_`"
            )))
        }
    };
    if target.is_empty() {
        return Err(invalid_ext(format!(
            "{CONVERSATION_ID_KEY} names no user or group"
        )));
    }
    Ok(RawEntity {
        chat_type: Some(Value::from(chat_type.code())),
        sender: Some(Value::String(target.to_string())),
        ..RawEntity::default()
    })
}

fn read_features(v: Value, findings: &mut Findings) -> Option<TimPushFeatures> {
    let mut f = match object_or_json_text(v, "timPushFeatures") {
        Ok(f) => f,
        Err(_) => {
            findings.dropped("timPushFeatures", "must be a JSON object");
            return None;
        }
    };
    Some(TimPushFeatures {
        fcm_push_type: optional(
            fields::feature(f.remove("fcmPushType")),
            "timPushFeatures.fcmPushType",
            findings,
        ),
        fcm_notification_type: optional(
            fields::feature(f.remove("fcmNotificationType")),
            "timPushFeatures.fcmNotificationType",
            findings,
        ),
    })
}

/// The app's keys from ext's top level and the entity, without the ones
/// nothing can use: an empty name, a null value, or a `url` that is not a
/// string (routing reads it). Top-level keys win over entity keys.
fn app_keys(
    mut top: Map<String, Value>,
    entity_keys: Map<String, Value>,
    findings: &mut Findings,
) -> Map<String, Value> {
    for (key, value) in entity_keys {
        top.entry(key).or_insert(value);
    }
    top.retain(|key, value| {
        let problem = match value {
            _ if key.is_empty() => "has an empty name",
            Value::Null => "is null",
            Value::String(_) => return true,
            _ if key == URL_KEY => "must be a string",
            _ => return true,
        };
        findings.dropped(format!("ext.{key}"), problem);
        false
    });
    top
}

impl ImEntity {
    /// The entity, or `None` for an entity of app keys only, and the
    /// entity's unknown keys.
    fn from_raw(
        raw: RawEntity,
        findings: &mut Findings,
    ) -> Result<(Option<ImEntity>, Map<String, Value>), PushError> {
        let absent = |v: &Option<Value>| matches!(v, None | Some(Value::Null));
        if absent(&raw.chat_type) && absent(&raw.sender) {
            return Ok((None, raw.rest));
        }
        let chat_code = fields::uint(raw.chat_type)
            .map_err(|p| required("chatType", p))?
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
            Some(other) => {
                return Err(invalid_ext(format!(
                    "entity.sender must be a string, got {}",
                    kind(&other)
                )))
            }
        };
        let action = fields::small_uint(raw.action)
            .map_err(|p| required("action", p))?
            .map_or(NotificationAction::Chat, NotificationAction::from_code);
        let version = optional(fields::small_uint(raw.version), "entity.version", findings)
            .unwrap_or(KNOWN_ENTITY_VERSION);
        let message_id = match optional(fields::id(raw.msg_id), "entity.msgID", findings) {
            Some(id) => Some(id),
            None => optional(fields::id(raw.message_id), "entity.messageId", findings),
        };
        let entity = ImEntity {
            version,
            chat_type,
            action,
            sender,
            nickname: optional(fields::string(raw.nickname), "entity.nickname", findings),
            face_url: optional(fields::string(raw.face_url), "entity.faceUrl", findings),
            content: optional(fields::string(raw.content), "entity.content", findings),
            send_time: optional(fields::uint(raw.send_time), "entity.sendTime", findings)
                .unwrap_or(0),
            custom_data: optional(
                fields::custom_data(raw.custom_data),
                "entity.customData",
                findings,
            ),
            message_id,
        };
        Ok((Some(entity), raw.rest))
    }
}

/// A field routing needs was malformed: the tap cannot be routed.
fn required(field: &str, problem: String) -> PushError {
    invalid_ext(format!("entity.{field} {problem}"))
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
/// happens in [`ImEntity::from_raw`]). Keys the core does not know, a newer
/// version's or the app's own, are kept in `rest` for the app.
#[derive(Default)]
struct RawEntity {
    version: Option<Value>,
    chat_type: Option<Value>,
    action: Option<Value>,
    sender: Option<Value>,
    nickname: Option<Value>,
    face_url: Option<Value>,
    content: Option<Value>,
    send_time: Option<Value>,
    custom_data: Option<Value>,
    msg_id: Option<Value>,
    message_id: Option<Value>,
    rest: Map<String, Value>,
}

impl<'de> Deserialize<'de> for RawEntity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawEntity;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEntity, A::Error> {
                let mut raw = RawEntity::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "version" => &mut raw.version,
                        "chatType" => &mut raw.chat_type,
                        "action" => &mut raw.action,
                        "sender" => &mut raw.sender,
                        "nickname" => &mut raw.nickname,
                        "faceUrl" => &mut raw.face_url,
                        "content" => &mut raw.content,
                        "sendTime" => &mut raw.send_time,
                        "customData" => &mut raw.custom_data,
                        "msgID" => &mut raw.msg_id,
                        "messageId" => &mut raw.message_id,
                        _ => {
                            let value: Value = map.next_value()?;
                            raw.rest.insert(key, value);
                            continue;
                        }
                    };
                    *slot = map.next_value()?;
                }
                Ok(raw)
            }
        }
        d.deserialize_map(RawVisitor)
    }
}
