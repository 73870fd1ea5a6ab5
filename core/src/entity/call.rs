//! Calls (`action` 2). In a call push `entity.sender` is the caller and
//! `entity.content` is not text to show but the call's signalling, a JSON
//! object in a string, as TUICallKit and TRTCCalling write it:
//! `{"version":..,"call_id":"..","room_id":..,"call_type":1,
//! "invited_list":["u2"],"timeout":30,"group_id":"@TGS#g1"}`, where
//! `call_type` is 1 for audio and 2 for video and `group_id` is set (not
//! empty) only for a group call; the group id is nowhere else in the push.
//! Newer TUICallKit versions put the media in `data.cmd` (`audioCall`,
//! `videoCall`) instead, which is read too.
//!
//! Signalling never rejects a tap: what is malformed is dropped with a
//! finding, and the call still opens with the caller.

use super::findings::Findings;
use super::kind;
use crate::limits;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Audio or video; `Unknown` when the signalling does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum CallMedia {
    Audio,
    Video,
    Unknown,
}

impl CallMedia {
    /// The signalling's `call_type`; `None` for unknown.
    pub fn code(self) -> Option<u32> {
        match self {
            CallMedia::Audio => Some(1),
            CallMedia::Video => Some(2),
            CallMedia::Unknown => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CallMedia::Audio => "audio",
            CallMedia::Video => "video",
            CallMedia::Unknown => "unknown",
        }
    }
}

/// What a call push says about the call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, uniffi::Record)]
pub struct CallInfo {
    /// The user calling (`entity.sender`).
    pub caller: String,
    /// The group, for a group call.
    pub group_id: Option<String>,
    pub call_id: Option<String>,
    pub media: CallMedia,
    /// The users invited, as the signalling lists them.
    pub invited: Vec<String>,
}

/// The signalling the sending side writes into `entity.content`: the keys
/// [`read`] reads, in TUICallKit's spelling.
pub fn signalling_json(
    call_id: &str,
    media: CallMedia,
    invited: &[String],
    group_id: Option<&str>,
) -> String {
    let mut doc = Map::new();
    doc.insert("version".into(), json!(4));
    doc.insert("call_id".into(), json!(call_id));
    if let Some(code) = media.code() {
        doc.insert("call_type".into(), json!(code));
    }
    doc.insert("invited_list".into(), json!(invited));
    if let Some(group) = group_id {
        doc.insert("group_id".into(), json!(group));
    }
    Value::Object(doc).to_string()
}

/// Reads the signalling in `content` for a call from `caller`.
pub(super) fn read(caller: &str, content: Option<&str>, findings: &mut Findings) -> CallInfo {
    let mut call = CallInfo {
        caller: caller.to_string(),
        group_id: None,
        call_id: None,
        media: CallMedia::Unknown,
        invited: Vec::new(),
    };
    let Some(content) = content else {
        findings.dropped("entity.content", "a call carries no signalling");
        return call;
    };
    let doc = match limits::check_depth(content.as_bytes())
        .ok()
        .and_then(|()| serde_json::from_str::<Value>(content).ok())
    {
        Some(Value::Object(doc)) => doc,
        _ => {
            findings.dropped("entity.content", "call signalling is not a JSON object");
            return call;
        }
    };
    call.group_id = text(&doc, "group_id", findings).filter(|g| !g.is_empty());
    call.call_id = text(&doc, "call_id", findings).filter(|c| !c.is_empty());
    call.media = media(&doc, findings);
    call.invited = invited(&doc, findings);
    call
}

fn text(doc: &Map<String, Value>, key: &str, findings: &mut Findings) -> Option<String> {
    match doc.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            let problem = format!("must be a string, got {}", kind(other));
            findings.dropped(format!("entity.content.{key}"), problem);
            None
        }
    }
}

fn media(doc: &Map<String, Value>, findings: &mut Findings) -> CallMedia {
    let from_cmd = || match doc.get("data").and_then(|d| d.get("cmd")) {
        Some(Value::String(cmd)) if cmd == "audioCall" => Some(CallMedia::Audio),
        Some(Value::String(cmd)) if cmd == "videoCall" => Some(CallMedia::Video),
        _ => None,
    };
    match doc.get("call_type") {
        None | Some(Value::Null) => from_cmd().unwrap_or(CallMedia::Unknown),
        Some(v) => match v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        {
            Some(1) => CallMedia::Audio,
            Some(2) => CallMedia::Video,
            _ => {
                findings.dropped(
                    "entity.content.call_type",
                    "is neither 1 (audio) nor 2 (video)",
                );
                CallMedia::Unknown
            }
        },
    }
}

fn invited(doc: &Map<String, Value>, findings: &mut Findings) -> Vec<String> {
    match doc.get("invited_list") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let ids: Option<Vec<String>> = items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect();
            ids.unwrap_or_else(|| {
                findings.dropped("entity.content.invited_list", "must hold only strings");
                Vec::new()
            })
        }
        Some(other) => {
            let problem = format!("must be an array of user ids, got {}", kind(other));
            findings.dropped("entity.content.invited_list", problem);
            Vec::new()
        }
    }
}
