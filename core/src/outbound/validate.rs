//! What each channel will do with a message's push options, as findings.
//! Every check here stands for a push that vendors drop, cut or reject
//! without telling the sender (push-facts.md sections 5 and 6).

use super::grouping::{Plan, APNS_COLLAPSE_ID_MAX_BYTES};
use super::options::{IosPushType, OfflinePushOptions, OutboundMessage, OutboundMessageType};
use super::simulate::{apns_user_info, shown_body};
use super::text::{body_limit, title_limit, TextLimit};
use crate::channel::PushChannel;
use serde::Serialize;

/// How bad a finding is: an error loses or breaks the push, a warning
/// degrades it (cut text, no sound, no image).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum FindingSeverity {
    Error,
    Warning,
}

/// One problem for one channel (`None`: every channel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PushFinding {
    #[serde(serialize_with = "channel_or_all")]
    pub channel: Option<PushChannel>,
    pub severity: FindingSeverity,
    /// A stable snake_case code (see [`codes`]).
    pub code: String,
    pub message: String,
}

/// The finding codes, stable for scripts and analytics.
pub mod codes {
    pub const CUSTOM_WITHOUT_DESC: &str = "custom_without_desc";
    pub const OPPO_CHANNEL_ID_MISSING: &str = "oppo_channel_id_missing";
    pub const TITLE_TOO_LONG: &str = "title_too_long";
    pub const BODY_TOO_LONG: &str = "body_too_long";
    pub const TITLE_TRUNCATED: &str = "title_truncated";
    pub const BODY_TRUNCATED: &str = "body_truncated";
    pub const DESC_EXT_TOO_LARGE: &str = "desc_ext_too_large";
    pub const EXT_TOO_LARGE: &str = "ext_too_large";
    pub const APNS_PAYLOAD_TOO_LARGE: &str = "apns_payload_too_large";
    pub const VIVO_TITLE_NOT_TEXT: &str = "vivo_title_not_text";
    pub const IOS_IMAGE_WITHOUT_MUTABLE_CONTENT: &str = "ios_image_without_mutable_content";
    pub const ANDROID_SOUND_HAS_EXTENSION: &str = "android_sound_has_extension";
    pub const INVALID_OPTION: &str = "invalid_option";
    pub const APNS_COLLAPSE_ID_BOUNDED: &str = "apns_collapse_id_bounded";
}

fn channel_or_all<S: serde::Serializer>(
    channel: &Option<PushChannel>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(channel.map(PushChannel::as_str).unwrap_or("all"))
}

/// "About 3 KB" for Desc plus Ext (push-facts.md section 5).
pub const DESC_EXT_BUDGET_BYTES: usize = 3 * 1024;
pub const APNS_PAYLOAD_BYTES: usize = 4096;
pub const APNS_VOIP_PAYLOAD_BYTES: usize = 5120;

/// Per-vendor caps on the pass-through data (push-facts.md section 6).
const EXT_BUDGETS: [(PushChannel, usize, &str); 3] = [
    (PushChannel::Vivo, 1024, "encrypted params"),
    (PushChannel::Meizu, 1000, "custom attributes"),
    (PushChannel::Fcm, 4096, "data"),
];

/// Channels that honour the Android sound option.
const SOUND_CHANNELS: [PushChannel; 3] =
    [PushChannel::Huawei, PushChannel::Xiaomi, PushChannel::Fcm];

struct Findings(Vec<PushFinding>);

impl Findings {
    fn add(
        &mut self,
        channel: Option<PushChannel>,
        severity: FindingSeverity,
        code: &str,
        message: String,
    ) {
        self.0.push(PushFinding {
            channel,
            severity,
            code: code.to_string(),
            message,
        });
    }
}

use FindingSeverity::{Error, Warning};

/// Findings for `options` (already truncated if asked) and the final ext.
/// Options of a message whose push is disabled are not checked: nothing
/// will be delivered.
pub fn validate(
    message: &OutboundMessage,
    options: &OfflinePushOptions,
    ext: &str,
    grouping: &Plan,
) -> Vec<PushFinding> {
    let mut f = Findings(Vec::new());
    if options.disable_push {
        return f.0;
    }
    let desc = options.desc.as_deref().unwrap_or_default();
    if message.message_type == OutboundMessageType::Custom && desc.trim().is_empty() {
        f.add(
            None,
            Error,
            codes::CUSTOM_WITHOUT_DESC,
            "a custom message without a desc gets no offline push".into(),
        );
    }
    if options
        .oppo_channel_id
        .as_deref()
        .unwrap_or_default()
        .trim()
        .is_empty()
    {
        f.add(
            Some(PushChannel::Oppo),
            Error,
            codes::OPPO_CHANNEL_ID_MISSING,
            "OPPO shows nothing on Android 8+ without oppo_channel_id".into(),
        );
    }
    check_text_limits(&mut f, options);
    check_sizes(&mut f, message, options, ext, grouping.thread_id.as_deref());
    if grouping.collapse_id_bounded {
        f.add(
            Some(PushChannel::Apns),
            Warning,
            codes::APNS_COLLAPSE_ID_BOUNDED,
            format!(
                "the message key is over APNs' {APNS_COLLAPSE_ID_MAX_BYTES}-byte collapse id: a digest of it is used, so the device's request identifier is not the message key"
            ),
        );
    }
    check_vivo_title(&mut f, options);
    check_ios(&mut f, options);
    check_android_sound(&mut f, options);
    check_enumerated_numbers(&mut f, options);
    f.0
}

fn check_text_limits(f: &mut Findings, options: &OfflinePushOptions) {
    type LimitOf = fn(PushChannel) -> Option<TextLimit>;
    let fields: [(&str, Option<&String>, LimitOf, &str); 2] = [
        (
            "title",
            options.title.as_ref(),
            title_limit,
            codes::TITLE_TOO_LONG,
        ),
        (
            "desc",
            options.desc.as_ref(),
            body_limit,
            codes::BODY_TOO_LONG,
        ),
    ];
    for (name, text, limit_of, code) in fields {
        let Some(text) = text else { continue };
        for channel in PushChannel::ALL {
            let Some(limit) = limit_of(channel) else {
                continue;
            };
            let cost = limit.cost(text);
            if cost > limit.max_units {
                let unit = if limit.cjk_weighted {
                    "units, CJK counting 2"
                } else {
                    "UTF-16 units"
                };
                f.add(
                    Some(channel),
                    Warning,
                    code,
                    format!(
                        "{name} is {cost} {unit}, over {channel}'s {} (cut or rejected by the vendor)",
                        limit.max_units
                    ),
                );
            }
        }
    }
}

fn check_sizes(
    f: &mut Findings,
    message: &OutboundMessage,
    options: &OfflinePushOptions,
    ext: &str,
    thread_id: Option<&str>,
) {
    let desc = options.desc.as_deref().unwrap_or_default();
    let total = desc.len() + ext.len();
    if total > DESC_EXT_BUDGET_BYTES {
        f.add(
            None,
            Warning,
            codes::DESC_EXT_TOO_LARGE,
            format!("desc + ext is {total} bytes, over about {DESC_EXT_BUDGET_BYTES}"),
        );
    }
    for (channel, budget, what) in EXT_BUDGETS {
        if ext.len() > budget {
            f.add(
                Some(channel),
                Error,
                codes::EXT_TOO_LARGE,
                format!(
                    "ext is {} bytes, over {channel}'s {budget}-byte {what}",
                    ext.len()
                ),
            );
        }
    }
    let title = options.title.as_deref().unwrap_or_default();
    let body = shown_body(message, options);
    let payload = apns_user_info(options, title, body, ext, thread_id)
        .to_string()
        .len();
    let voip = options.ios_push_type == Some(IosPushType::Voip);
    let budget = if voip {
        APNS_VOIP_PAYLOAD_BYTES
    } else {
        APNS_PAYLOAD_BYTES
    };
    if payload > budget {
        f.add(
            Some(PushChannel::Apns),
            Error,
            codes::APNS_PAYLOAD_TOO_LARGE,
            format!("the APNs payload is {payload} bytes, over {budget}; APNs rejects it"),
        );
    }
}

/// vivo rejects titles made only of digits or symbols.
fn check_vivo_title(f: &mut Findings, options: &OfflinePushOptions) {
    let Some(title) = options.title.as_deref().filter(|t| !t.trim().is_empty()) else {
        return;
    };
    if !title.chars().any(char::is_alphabetic) {
        f.add(
            Some(PushChannel::Vivo),
            Error,
            codes::VIVO_TITLE_NOT_TEXT,
            format!("vivo rejects the title {title:?}: it has only digits or symbols"),
        );
    }
}

fn check_ios(f: &mut Findings, options: &OfflinePushOptions) {
    if options.ios_image.as_deref().is_some_and(|i| !i.is_empty()) && !options.ios_mutable_content {
        f.add(
            Some(PushChannel::Apns),
            Warning,
            codes::IOS_IMAGE_WITHOUT_MUTABLE_CONTENT,
            "ios_image is ignored without ios_mutable_content (no service extension runs)".into(),
        );
    }
}

fn check_android_sound(f: &mut Findings, options: &OfflinePushOptions) {
    let Some(sound) = options.android_sound.as_deref() else {
        return;
    };
    if sound.contains('.') {
        for channel in SOUND_CHANNELS {
            f.add(
                Some(channel),
                Warning,
                codes::ANDROID_SOUND_HAS_EXTENSION,
                format!("android_sound {sound:?} must name a res/raw file without its extension"),
            );
        }
    }
}

fn check_enumerated_numbers(f: &mut Findings, options: &OfflinePushOptions) {
    let checks = [
        (
            PushChannel::Oppo,
            "oppo_notify_level",
            options.oppo_notify_level,
            &[1, 2, 16][..],
        ),
        (
            PushChannel::Vivo,
            "vivo_classification",
            options.vivo_classification,
            &[0, 1][..],
        ),
        (
            PushChannel::Meizu,
            "meizu_notify_type",
            options.meizu_notify_type,
            &[0, 1][..],
        ),
    ];
    for (channel, name, value, allowed) in checks {
        if let Some(value) = value.filter(|v| !allowed.contains(v)) {
            f.add(
                Some(channel),
                Error,
                codes::INVALID_OPTION,
                format!("{name} is {value}; allowed: {allowed:?}"),
            );
        }
    }
    if let Some(params) = options.vendor_params.as_deref() {
        if !matches!(
            serde_json::from_str(params),
            Ok(serde_json::Value::Object(_))
        ) {
            f.add(
                None,
                Error,
                codes::INVALID_OPTION,
                "vendor_params must be a JSON object".into(),
            );
        }
    }
}
