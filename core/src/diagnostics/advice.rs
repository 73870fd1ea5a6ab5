//! Advice texts per channel, from push-facts.md sections 2, 3, 7 and 10.
//! Vendors change quotas often, so these are words for a person to read,
//! never limits the core enforces.

use crate::channel::PushChannel;
use crate::config::{PushConfig, VendorCredentials};

/// What the vendor's section of the config must hold besides the business id.
pub(super) fn required_credentials(channel: PushChannel) -> &'static str {
    match channel {
        PushChannel::Xiaomi => "app_id and app_key",
        PushChannel::Meizu => "app_id and app_key",
        PushChannel::Oppo => "app_key and app_secret",
        PushChannel::Vivo => "app_id and app_key, also in the manifest placeholders",
        PushChannel::Honor => "app_id, also in the manifest placeholder",
        PushChannel::Huawei => "the SDK reads agconnect-services.json",
        PushChannel::Fcm => "the SDK reads google-services.json",
        PushChannel::Apns => "development and production certificate ids",
    }
}

/// Where a token request usually goes wrong, per channel.
pub(super) fn token_hint(channel: Option<PushChannel>) -> &'static str {
    match channel {
        Some(PushChannel::Huawei) => "for HMS, agconnect-services.json must belong to this app and the signing certificate's SHA-256 fingerprint must be registered in AppGallery Connect.",
        Some(PushChannel::Honor) => "Honor Push needs MagicUI 4 or later and the app id in the manifest placeholder.",
        Some(PushChannel::Fcm) => "for FCM, google-services.json must belong to this package and Google Play services must be up to date.",
        Some(PushChannel::Apns) => "on iOS, the Push Notifications capability must be enabled and registerForRemoteNotifications called.",
        Some(PushChannel::Vivo) => "vivo answers state 101 on devices it does not support.",
        Some(PushChannel::Oppo) => "HeytapPushManager.isSupportPush must be true on the device.",
        _ => "the vendor SDK's own log usually names the failing step.",
    }
}

fn blank(value: &Option<String>) -> bool {
    value.as_deref().map(str::trim).unwrap_or("").is_empty()
}

/// The channel's message classes and daily limits (section 7), with a word
/// on how this configuration uses them. APNs has no such classes.
pub(super) fn quota(
    channel: PushChannel,
    credentials: &VendorCredentials,
) -> Option<(String, String)> {
    let (classes, fix) = match channel {
        PushChannel::Xiaomi => (
            "Xiaomi: the private (important) channel is unlimited; the public channel is limited to about 5-8 messages per device per day. A message is private only when it carries the private channel's id.",
            "Apply for a private channel in the Xiaomi push console and put its id in channels.xiaomi.channel_id.",
        ),
        PushChannel::Huawei => (
            "Huawei: self-classified categories (IM, VOIP...) need an entitlement granted in AppGallery Connect; marketing messages are limited to about 2-5 a day and may be held at night.",
            "Apply for the IM category in AppGallery Connect and send chat messages with Huawei category IM.",
        ),
        PushChannel::Honor => (
            "Honor: importance NORMAL (service and communication) versus LOW (marketing, limited); apps that never classified their messages count as marketing.",
            "Apply for message classification in the Honor developer console and send chat messages with Honor importance NORMAL.",
        ),
        PushChannel::Oppo => (
            "OPPO: a private channel is granted on application; the public channel allows about 2-5 messages a day. On Android 8+ the channel id must be registered in the OPPO console and created by the app.",
            "Apply for a private (IM) channel in the OPPO push console, register its channel id, create it in the app and set channels.oppo.channel_id.",
        ),
        PushChannel::Vivo => (
            "vivo: system messages (classification 1) versus operational (0); operational ones are limited, only sent 07:00-23:00, and identical texts are merged.",
            "Apply for the IM/system message category in the vivo push console and send chat messages with vivo classification 1 and the IM category.",
        ),
        PushChannel::Meizu => (
            "Meizu: the public class allows about 3-5 messages a day, and more than 5 messages a minute to one device are folded.",
            "Send chat messages with Meizu notify type 1 (private) and avoid bursts to one device.",
        ),
        PushChannel::Fcm => (
            "FCM: upstream frequency limits apply, and only 4 collapse keys are stored per device while it is offline.",
            "Use high priority only for messages the user sees, a notification channel id (channels.fcm.channel_id) and few collapse keys.",
        ),
        PushChannel::Apns => return None,
    };
    let mut message = format!("{classes} Quotas change often: check the vendor console.");
    let note = match channel {
        PushChannel::Xiaomi | PushChannel::Oppo | PushChannel::Fcm if blank(&credentials.channel_id) => {
            Some(format!(" channels.{channel}.channel_id is not set, so messages go out in the default (public) class."))
        }
        PushChannel::Xiaomi | PushChannel::Oppo | PushChannel::Fcm => Some(format!(
            " This configuration sends with channel id `{}`.",
            credentials.channel_id.as_deref().unwrap_or_default().trim()
        )),
        _ => None,
    };
    message.push_str(&note.unwrap_or_default());
    Some((message, fix.to_string()))
}

/// Where the tap's pass-through data arrives (section 3) and how to open
/// it safely (section 10).
pub(super) fn redirect(channel: PushChannel, config: &PushConfig) -> (String, String) {
    let arrives = match channel {
        PushChannel::Xiaomi => "Xiaomi: the tap intent's extra `key_message` holds a MiPushMessage whose `extra` map holds `ext`.",
        PushChannel::Huawei | PushChannel::Honor => "Huawei/Honor: `ext` arrives as an intent extra only when Ext is sent as intent parameters (ExtAsHuaweiIntentParam = 1); otherwise it is inside the click action's intent URI (S.ext=...).",
        PushChannel::Oppo => "OPPO: each top-level key of the Ext JSON becomes its own intent extra (`entity` arrives as a JSON string).",
        PushChannel::Vivo => "vivo: intent extra `ext`; newer SDKs have no click callback, so the tapped activity must read it.",
        PushChannel::Meizu => "Meizu: intent extra `ext`; the click callback also exposes selfDefineContentString.",
        PushChannel::Fcm => "FCM: data key `ext`; a tray notification opens the launcher activity with the data as extras.",
        PushChannel::Apns => "APNs: userInfo[\"ext\"] (a JSON string) beside `aps`, in the notification response handler.",
    };
    let urls = if config.routing.url_allow_list.is_empty() {
        "routing.url_allow_list is empty, so taps open in-app screens only".to_string()
    } else {
        let hosts: Vec<String> = config
            .routing
            .url_allow_list
            .iter()
            .map(|u| format!("{}://{}", u.scheme, u.host))
            .collect();
        format!("taps may open URLs only on {}", hosts.join(", "))
    };
    let message = format!("{arrives} Give the payload to PushCore's click parser rather than reading it by device brand; {urls}.");
    let fix = match channel {
        PushChannel::Apns => "Parse userInfo in the notification response handler and route to an allow-listed in-app destination; check any URL's scheme and host, never open a pushed URL as is.",
        PushChannel::Huawei | PushChannel::Honor => "Send Ext as intent parameters (ExtAsHuaweiIntentParam = 1) and set the click action in the IM console to open your tap activity. Keep that exported activity tiny: forward to a non-exported router, never Intent.parseUri a pushed string or launch an Intent from extras, use immutable PendingIntents with one request code per notification.",
        _ => "Point the vendor's click action at one tiny exported tap activity that forwards to a non-exported router; never launch an Intent or URI taken from extras, map the payload to an allow-listed destination, use immutable PendingIntents with one request code per notification.",
    };
    (message, fix.to_string())
}
