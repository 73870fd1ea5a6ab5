//! The records an app fills in when it sends a message: the message itself
//! and its offline push options (push-facts.md section 5).
//!
//! The same records come from Kotlin/Swift or from JSON (snake_case, unknown
//! keys rejected so that a typo in an option name is not silently ignored
//! and the push silently lost).

use crate::entity::{CallMedia, ChatType};
use serde::{Deserialize, Serialize};

/// The IM message kinds that matter for offline push: a custom message
/// gets no push at all without a desc, so the kind is not cosmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum OutboundMessageType {
    Text,
    Custom,
    Image,
    Sound,
    Video,
    File,
    Location,
    Face,
    Merger,
}

/// APNs delivers VoIP pushes through PushKit with a larger payload budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum IosPushType {
    #[default]
    Apns,
    Voip,
}

/// iOS 15 interruption levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum IosInterruptionLevel {
    Passive,
    Active,
    TimeSensitive,
    Critical,
}

impl IosInterruptionLevel {
    /// The value of `aps.interruption-level`.
    pub fn aps_value(self) -> &'static str {
        match self {
            IosInterruptionLevel::Passive => "passive",
            IosInterruptionLevel::Active => "active",
            IosInterruptionLevel::TimeSensitive => "time-sensitive",
            IosInterruptionLevel::Critical => "critical",
        }
    }
}

/// Huawei and Honor message importance; LOW is quota-limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum VendorImportance {
    Low,
    Normal,
}

impl VendorImportance {
    /// The spelling the IM REST API expects.
    pub fn rest_value(self) -> &'static str {
        match self {
            VendorImportance::Low => "LOW",
            VendorImportance::Normal => "NORMAL",
        }
    }
}

/// Every per-message offline push option of push-facts.md section 5.
/// `None` means "not set": the backend or the vendor default applies.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default, deny_unknown_fields)]
pub struct OfflinePushOptions {
    // Common.
    #[uniffi(default = None)]
    pub title: Option<String>,
    /// The notification body; required for custom messages.
    #[uniffi(default = None)]
    pub desc: Option<String>,
    /// The app's own pass-through keys, a JSON object in a string. They are
    /// merged beside the generated `entity`, never over it.
    #[uniffi(default = None)]
    pub ext: Option<String>,
    #[uniffi(default = false)]
    pub disable_push: bool,

    // iOS.
    #[uniffi(default = None)]
    pub ios_push_type: Option<IosPushType>,
    /// Do not count this message in the app badge.
    #[uniffi(default = false)]
    pub ignore_ios_badge: bool,
    /// `none`, `default` or a sound file name in the app bundle.
    #[uniffi(default = None)]
    pub ios_sound: Option<String>,
    #[uniffi(default = None)]
    pub ios_interruption_level: Option<IosInterruptionLevel>,
    /// Ask iOS to wake the app (`content-available`).
    #[uniffi(default = false)]
    pub ios_background_notification: bool,
    #[uniffi(default = None)]
    pub ios_subtitle: Option<String>,
    /// An image URL; only shown when a notification service extension runs,
    /// which needs `ios_mutable_content`.
    #[uniffi(default = None)]
    pub ios_image: Option<String>,
    #[uniffi(default = false)]
    pub ios_mutable_content: bool,

    // Android.
    /// A file in res/raw, named without its extension.
    #[uniffi(default = None)]
    pub android_sound: Option<String>,
    /// Required on Android 8+ or OPPO shows nothing.
    #[uniffi(default = None)]
    pub oppo_channel_id: Option<String>,
    #[uniffi(default = None)]
    pub oppo_category: Option<String>,
    /// 1, 2 or 16.
    #[uniffi(default = None)]
    pub oppo_notify_level: Option<u32>,
    /// 0 operational, 1 system; deprecated by vivo in favour of the category.
    #[uniffi(default = None)]
    pub vivo_classification: Option<u32>,
    #[uniffi(default = None)]
    pub vivo_category: Option<String>,
    #[uniffi(default = None)]
    pub huawei_channel_id: Option<String>,
    /// For example IM or VOIP; needs an entitlement from Huawei.
    #[uniffi(default = None)]
    pub huawei_category: Option<String>,
    #[uniffi(default = None)]
    pub huawei_importance: Option<VendorImportance>,
    /// Deliver Ext to Huawei as intent parameters instead of inside the
    /// click action's intent URI.
    #[uniffi(default = false)]
    pub ext_as_huawei_intent_param: bool,
    #[uniffi(default = None)]
    pub honor_importance: Option<VendorImportance>,
    #[uniffi(default = None)]
    pub xiaomi_channel_id: Option<String>,
    #[uniffi(default = None)]
    pub fcm_channel_id: Option<String>,
    /// 0 public, 1 private.
    #[uniffi(default = None)]
    pub meizu_notify_type: Option<u32>,
    #[uniffi(default = None)]
    pub huawei_image: Option<String>,
    #[uniffi(default = None)]
    pub honor_image: Option<String>,
    #[uniffi(default = None)]
    pub fcm_image: Option<String>,
    /// Vendor-specific parameters as a JSON object in a string (for
    /// example `{"fcmPriority":"high","vivoNotifyType":4}`).
    #[uniffi(default = None)]
    pub vendor_params: Option<String>,
}

/// A message as the sending app knows it, with its push options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct OutboundMessage {
    pub message_type: OutboundMessageType,
    /// The IM message id; carried to the receiver as `msgID` for dedup.
    #[serde(default)]
    #[uniffi(default = None)]
    pub message_id: Option<String>,
    pub chat_type: ChatType,
    /// The sender's user id for one-to-one chats, the group id for groups
    /// (what the receiver opens on tap).
    pub sender: String,
    #[serde(default)]
    #[uniffi(default = None)]
    pub nickname: Option<String>,
    #[serde(default)]
    #[uniffi(default = None)]
    pub face_url: Option<String>,
    #[serde(default)]
    #[uniffi(default = "")]
    pub content: String,
    /// Seconds since the epoch; 0 when unknown, as the IM SDKs often send.
    #[serde(default)]
    #[uniffi(default = 0)]
    pub send_time: u64,
    #[serde(default)]
    #[uniffi(default)]
    pub options: OfflinePushOptions,
    /// Cut titles and descs that exceed a channel's limit at a grapheme
    /// boundary with an ellipsis, instead of only reporting them.
    #[serde(default)]
    #[uniffi(default = false)]
    pub truncate: bool,
    /// Set for a call push (`action` 2): `sender` is then the caller, and
    /// the entity's content carries the call's signalling.
    #[serde(default)]
    #[uniffi(default = None)]
    pub call: Option<OutboundCall>,
    /// The receiver's user id, for one-to-one messages: `ext` carries a
    /// digest of it (never the id), so the receiving device can refuse a
    /// push meant for another account (docs/notifications.md). Ignored for
    /// groups, whose pushes go to many accounts.
    #[serde(default)]
    #[uniffi(default = None)]
    pub receiver: Option<String>,
}

/// The call a call push announces, written as the signalling the receiver
/// reads (see `entity::signalling_json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct OutboundCall {
    pub call_id: String,
    pub media: CallMedia,
    /// The users invited to the call.
    #[serde(default)]
    pub invited: Vec<String>,
    /// The group, for a group call (required when `chat_type` is group,
    /// refused for one-to-one).
    #[serde(default)]
    #[uniffi(default = None)]
    pub group_id: Option<String>,
}

impl OutboundMessage {
    /// Parses the JSON form used by the CLI and the docs' example.
    pub fn from_json(json: &str) -> Result<OutboundMessage, super::OutboundError> {
        serde_json::from_str(json).map_err(super::OutboundError::Json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_parses_with_snake_case_names() {
        let json = r#"{"message_type":"text","message_id":"144115212345678901-1732600000-12345","chat_type":"c2c","sender":"alice","nickname":"Alice","content":"Hello","options":{"title":"Alice","desc":"Hello","oppo_channel_id":"im","huawei_category":"IM","vivo_category":"IM","ios_sound":"default","android_sound":"ring","ignore_ios_badge":false}}"#;
        let m = OutboundMessage::from_json(json).unwrap();
        assert_eq!(m.message_type, OutboundMessageType::Text);
        assert_eq!(m.chat_type, ChatType::C2c);
        assert_eq!(m.options.oppo_channel_id.as_deref(), Some("im"));
        assert_eq!(m.options.android_sound.as_deref(), Some("ring"));
        assert!(!m.truncate);
    }

    #[test]
    fn every_option_name_is_accepted_and_typos_are_rejected() {
        let all = r#"{"title":"t","desc":"d","ext":"{}","disable_push":false,
            "ios_push_type":"voip","ignore_ios_badge":true,"ios_sound":"none",
            "ios_interruption_level":"time_sensitive","ios_background_notification":true,
            "ios_subtitle":"s","ios_image":"https://x/i.png","ios_mutable_content":true,
            "android_sound":"ring","oppo_channel_id":"im","oppo_category":"IM","oppo_notify_level":16,
            "vivo_classification":1,"vivo_category":"IM","huawei_channel_id":"hw","huawei_category":"IM",
            "huawei_importance":"normal","ext_as_huawei_intent_param":true,"honor_importance":"low",
            "xiaomi_channel_id":"mi","fcm_channel_id":"fcm","meizu_notify_type":1,
            "huawei_image":"h","honor_image":"o","fcm_image":"f","vendor_params":"{}"}"#;
        let options: OfflinePushOptions = serde_json::from_str(all).unwrap();
        assert_eq!(options.ios_push_type, Some(IosPushType::Voip));
        assert_eq!(
            options.ios_interruption_level,
            Some(IosInterruptionLevel::TimeSensitive)
        );
        assert_eq!(options.honor_importance, Some(VendorImportance::Low));
        // Round trip through serde keeps every field.
        let back: OfflinePushOptions =
            serde_json::from_value(serde_json::to_value(&options).unwrap()).unwrap();
        assert_eq!(back, options);
        let err = serde_json::from_str::<OfflinePushOptions>(r#"{"opo_channel_id":"im"}"#);
        assert!(err.is_err());
        let err = OutboundMessage::from_json(r#"{"message_type":"text"}"#).unwrap_err();
        assert_eq!(crate::PushError::from(err).code(), "invalid_input");
    }
}
