//! Turns what a notification tap delivers, in whichever channel's shape,
//! into one [`NormalizedNotification`].
//!
//! The channel is detected from the payload's shape, never from the device
//! brand: the reference SDK picked its parser by brand and broke on every
//! phone running another vendor's push (push-facts.md section 1). Where two
//! channels deliver the same shape, the app's channel hint (the channel it
//! registered with) decides; otherwise the channel is `unknown` and the
//! click is still parsed.
//!
//! Every input is size- and depth-checked before it is parsed, and every
//! failure is a typed [`PayloadError`] (a `PushError` category at the
//! facade): a tap must never crash the host app.

mod android;
mod apns;
mod error;
pub mod intent_uri;

#[cfg(test)]
mod tests;

use crate::channel::PushChannel;
use crate::entity::findings;
pub use crate::entity::findings::PayloadFinding;
use crate::entity::KNOWN_ENTITY_VERSION;
use crate::entity::{read_tap_ext, CallInfo, ChatType, NotificationAction, TapExt};
use crate::limits;
pub use error::PayloadError;
use error::{no_push_payload, unreadable};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// What the app hands over from a tap. Maps of arbitrary JSON values cannot
/// cross the FFI, so each map travels as one JSON text; the Kotlin and Swift
/// helpers build it from native maps.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ClickInput {
    Android {
        /// The tapped intent's extras as a JSON object. A nested Bundle, or
        /// Xiaomi's MiPushMessage (keys `extra`, `content`, `title`,
        /// `description`, `messageId`), is a nested object.
        extras_json: String,
        /// The intent's data URI, if any.
        data_uri: Option<String>,
        /// The channel the app registered with; breaks ties between
        /// channels that deliver the same shape.
        channel_hint: Option<PushChannel>,
    },
    Ios {
        /// The notification's `userInfo` as a JSON object.
        user_info_json: String,
    },
}

/// One tap, whatever channel delivered it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NormalizedNotification {
    /// The channel the tap came through, as far as its shape tells; `None`
    /// when the shape fits no channel (the name "unknown" in the CLI).
    pub channel: Option<PushChannel>,
    /// `None` when the payload names no conversation (an entity of the
    /// app's own keys only): such a tap routes home or to an allowed URL.
    pub chat_type: Option<ChatType>,
    /// `entity.sender`: the user id, the group id for group chats, the
    /// caller for calls.
    pub sender: Option<String>,
    /// The IM SDK's conversation id, `c2c_<user>` or `group_<group>`: for
    /// a call the group's (group call) or the caller's (one-to-one).
    /// `None` when the payload names no conversation, or for a group call
    /// whose signalling lacks its group.
    pub conversation_id: Option<String>,
    pub action: NotificationAction,
    /// For a call (`action` 2): what its signalling says.
    pub call: Option<CallInfo>,
    pub nickname: Option<String>,
    pub face_url: Option<String>,
    /// The text of a chat; `None` for a call, whose content is signalling.
    pub content: Option<String>,
    /// Seconds since the epoch; often 0.
    pub send_time: u64,
    pub version: u32,
    /// The entity's version is newer than this core knows: the known fields
    /// were read, unknown ones ignored. Worth logging, never worth dropping.
    pub newer_version: bool,
    /// The IM message id, when the entity carries one (`msgID`/`messageId`).
    pub message_id: Option<String>,
    /// The vendor's message id (FCM `google.message_id` or, relayed to
    /// APNs, `gcm.message_id`; Xiaomi `messageId`; Huawei `_push_msgid`;
    /// vivo `vivo_push_messageId`).
    pub vendor_message_id: Option<String>,
    /// The vendor's id of the notification it posted (Huawei
    /// `_push_notifyid`, Xiaomi `notifyId`): what removes it later.
    pub vendor_notification_id: Option<String>,
    /// From the APNs alert or the MiPushMessage, when present.
    pub title: Option<String>,
    pub body: Option<String>,
    pub custom_data: Option<Vec<u8>>,
    /// Keys the core did not use: the tap's own extras and the keys the app
    /// added to `ext` or `entity`. String values as they are, others as
    /// JSON text.
    pub extras: HashMap<String, String>,
    /// Malformed optional fields that were dropped instead of losing the
    /// tap (also logged); empty for a clean payload.
    pub findings: Vec<PayloadFinding>,
}

/// What a channel reader found, before `ext` is decoded.
struct Delivery {
    channel: Option<PushChannel>,
    ext: Value,
    vendor_message_id: Option<String>,
    vendor_notification_id: Option<String>,
    title: Option<String>,
    body: Option<String>,
    unused: Map<String, Value>,
}

/// The platform-independent form every entry point reduces to.
enum Tap {
    Android {
        extras: Map<String, Value>,
        data_uri: Option<String>,
        hint: Option<PushChannel>,
    },
    Ios {
        user_info: Map<String, Value>,
    },
}

/// Parses the exported [`ClickInput`].
pub fn parse_click(input: ClickInput) -> Result<NormalizedNotification, PayloadError> {
    let tap = match input {
        ClickInput::Android {
            extras_json,
            data_uri,
            channel_hint,
        } => {
            let uri_len = data_uri.as_ref().map_or(0, String::len);
            limits::check_size(extras_json.len().saturating_add(uri_len))?;
            let extras = if extras_json.trim().is_empty() {
                Map::new()
            } else {
                parse_object(extras_json.as_bytes(), "extras")?
            };
            Tap::Android {
                extras,
                data_uri,
                hint: channel_hint,
            }
        }
        ClickInput::Ios { user_info_json } => Tap::Ios {
            user_info: parse_object(user_info_json.as_bytes(), "user_info")?,
        },
    };
    normalize(tap, Extras::Keep)
}

/// Parses an Android tap whose extras the host already turned into a JSON
/// tree (the JVM's fast door decodes them from its own binary form instead
/// of JSON text). The caller has checked the encoded size against
/// [`limits::MAX_INPUT_BYTES`] and the depth against [`limits::MAX_DEPTH`].
pub fn parse_android_extras(
    extras: Map<String, Value>,
    data_uri: Option<String>,
    channel_hint: Option<PushChannel>,
) -> Result<NormalizedNotification, PayloadError> {
    normalize(
        Tap::Android {
            extras,
            data_uri,
            hint: channel_hint,
        },
        Extras::Keep,
    )
}

/// Parses the CLI's JSON form, `{"platform":"android","extras":{...},
/// "data_uri":"...","channel_hint":"huawei"}` or `{"platform":"ios",
/// "user_info":{...}}`, straight from bytes (invalid UTF-8 is an error).
pub fn parse_click_json(bytes: &[u8]) -> Result<NormalizedNotification, PayloadError> {
    normalize(tap_from_json(bytes)?, Extras::Keep)
}

/// [`parse_click_json`] for bulk tools that never look at
/// [`NormalizedNotification::extras`]: it is left empty, which saves a map
/// per payload (`pushcore parse --lines`).
pub fn parse_click_json_without_extras(
    bytes: &[u8],
) -> Result<NormalizedNotification, PayloadError> {
    normalize(tap_from_json(bytes)?, Extras::Drop)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Extras {
    Keep,
    Drop,
}

/// The CLI's JSON form as a [`ClickInput`], for hosts that receive taps as
/// JSON (logs, tests, a web view bridge).
pub fn click_input_from_json(json: &str) -> Result<ClickInput, PayloadError> {
    Ok(match tap_from_json(json.as_bytes())? {
        Tap::Android {
            extras,
            data_uri,
            hint,
        } => ClickInput::Android {
            extras_json: Value::Object(extras).to_string(),
            data_uri,
            channel_hint: hint,
        },
        Tap::Ios { user_info } => ClickInput::Ios {
            user_info_json: Value::Object(user_info).to_string(),
        },
    })
}

fn parse_object(bytes: &[u8], what: &str) -> Result<Map<String, Value>, PayloadError> {
    limits::check_document(bytes)?;
    let text = std::str::from_utf8(bytes)
        .map_err(|e| unreadable(format!("{what} is not valid UTF-8: {e}")))?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(unreadable(format!("{what} must be a JSON object"))),
        Err(e) => Err(unreadable(format!("{what} is not JSON: {e}"))),
    }
}

fn tap_from_json(bytes: &[u8]) -> Result<Tap, PayloadError> {
    let doc = parse_object(bytes, "input")?;
    let (mut platform, mut extras, mut data_uri, mut hint, mut user_info) =
        (None, None, None, None, None);
    for (key, value) in doc {
        match key.as_str() {
            "platform" => platform = Some(value),
            "extras" => extras = Some(value),
            "data_uri" => data_uri = Some(value),
            "channel_hint" => hint = Some(value),
            "user_info" => user_info = Some(value),
            _ => {}
        }
    }
    let platform = match platform {
        Some(Value::String(p)) => p,
        _ => return Err(unreadable("`platform` must be \"android\" or \"ios\"")),
    };
    match platform.as_str() {
        "android" => {
            let extras = match extras {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(m)) => m,
                Some(_) => return Err(unreadable("`extras` must be a JSON object")),
            };
            let data_uri = match data_uri {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s),
                Some(_) => return Err(unreadable("`data_uri` must be a string")),
            };
            let hint = match hint {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.parse::<PushChannel>().map_err(unreadable)?),
                Some(_) => return Err(unreadable("`channel_hint` must be a channel name")),
            };
            Ok(Tap::Android {
                extras,
                data_uri,
                hint,
            })
        }
        "ios" => match user_info {
            Some(Value::Object(user_info)) => Ok(Tap::Ios { user_info }),
            Some(Value::String(text)) => Ok(Tap::Ios {
                user_info: parse_object(text.as_bytes(), "user_info")?,
            }),
            _ => Err(unreadable("`user_info` must be a JSON object")),
        },
        other => Err(unreadable(format!(
            "`platform` must be \"android\" or \"ios\", got `{other}`"
        ))),
    }
}

fn normalize(tap: Tap, keep: Extras) -> Result<NormalizedNotification, PayloadError> {
    let delivery = match tap {
        Tap::Android {
            extras,
            data_uri,
            hint,
        } => android::read(extras, data_uri.as_deref(), hint)?,
        Tap::Ios { user_info } => apns::read(user_info)?,
    };
    if delivery.ext.is_null() {
        return Err(no_push_payload("`ext` is null"));
    }
    let mut findings = findings::Findings::default();
    let TapExt {
        entity,
        call,
        app_keys,
        ..
    } = read_tap_ext(delivery.ext, &mut findings)?;
    let mut extras = HashMap::new();
    if keep == Extras::Keep {
        extras.reserve(delivery.unused.len() + app_keys.len());
        for (key, value) in app_keys.into_iter().chain(delivery.unused) {
            extras.entry(key).or_insert_with(|| match value {
                Value::String(s) => s,
                other => other.to_string(),
            });
        }
    }
    let conversation_id = entity
        .as_ref()
        .and_then(|e| conversation_id(e.chat_type, &e.sender, call.as_ref(), &mut findings));
    let mut n = NormalizedNotification {
        channel: delivery.channel,
        chat_type: None,
        sender: None,
        conversation_id,
        action: NotificationAction::Chat,
        call,
        nickname: None,
        face_url: None,
        content: None,
        send_time: 0,
        version: KNOWN_ENTITY_VERSION,
        newer_version: false,
        message_id: None,
        vendor_message_id: delivery.vendor_message_id,
        vendor_notification_id: delivery.vendor_notification_id,
        title: delivery.title,
        body: delivery.body,
        custom_data: None,
        extras,
        findings: findings.into_vec(),
    };
    if let Some(e) = entity {
        n.chat_type = Some(e.chat_type);
        n.sender = Some(e.sender);
        n.action = e.action;
        n.nickname = e.nickname;
        n.face_url = e.face_url;
        n.content = e.content;
        n.send_time = e.send_time;
        n.version = e.version;
        n.newer_version = e.version > KNOWN_ENTITY_VERSION;
        n.message_id = e.message_id;
        n.custom_data = e.custom_data;
    }
    Ok(n)
}

/// The chat's own conversation; for a call, the group's (group call) or
/// the caller's (one-to-one). A group call whose signalling lost its group
/// has none: it still rings, but no chat can be named.
fn conversation_id(
    chat_type: ChatType,
    sender: &str,
    call: Option<&CallInfo>,
    findings: &mut findings::Findings,
) -> Option<String> {
    let target = match (call, chat_type) {
        (
            Some(CallInfo {
                group_id: Some(group),
                ..
            }),
            _,
        ) => return Some(format!("{}_{group}", ChatType::Group.as_str())),
        (Some(_), ChatType::Group) => {
            findings.dropped(
                "entity.content.group_id",
                "a group call without its group: no conversation to name",
            );
            return None;
        }
        _ => sender,
    };
    Some(format!("{}_{target}", chat_type.as_str()))
}

/// FCM's message id key when it relays a push to APNs (and on some
/// Android tray intents).
const FCM_RELAYED_MESSAGE_ID: &str = "gcm.message_id";

/// A string, or a number rendered as one (ids arrive both ways).
fn id_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text(v: Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}
