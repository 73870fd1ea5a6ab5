//! Where a tapped notification may take the user.
//!
//! Vendor click activities must be exported, so any app on the device can
//! send them a forged intent carrying any payload (push-facts.md section
//! 10). If a payload could name an activity, component, package, intent URI
//! or arbitrary URL, a forged tap could open a non-exported screen with the
//! app's privileges, or send the user to a phishing page that looks like it
//! came from the app. So the payload only ever selects among a fixed set of
//! in-app destinations ([`Route`]); the one open-ended destination, a URL,
//! is returned only when its scheme and host are on the app's own
//! allow-list from `PushConfig.routing`, and schemes that launch components
//! or read local data are refused even if listed.

use crate::config::{AllowedUrl, NEVER_ALLOWED_SCHEMES};
use crate::entity::{CallMedia, ChatType, NotificationAction, URL_KEY};
use crate::payload::NormalizedNotification;
use serde::Serialize;

/// An in-app destination. Nothing here can launch another app's component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Route {
    C2cChat {
        user_id: String,
    },
    GroupChat {
        group_id: String,
    },
    /// The call screen. `sender` is the caller; `group_id` is set for a
    /// group call; `call_id`, `media` and `invited` come from the call's
    /// signalling (unknown or empty when it was malformed).
    Call {
        chat_type: ChatType,
        sender: String,
        group_id: Option<String>,
        call_id: Option<String>,
        media: CallMedia,
        invited: Vec<String>,
    },
    Home,
    Url {
        url: String,
    },
}

/// Chooses the destination for a tap. A tap that names no conversation
/// (an entity of the app's own keys) goes home, or to its allowed URL.
pub fn route(notification: &NormalizedNotification, allow_list: &[AllowedUrl]) -> Route {
    let (Some(chat_type), Some(sender)) = (notification.chat_type, &notification.sender) else {
        return url_or_home(notification, allow_list);
    };
    match notification.action {
        NotificationAction::Call => {
            let call = notification.call.as_ref();
            let group_id = call.and_then(|c| c.group_id.clone());
            Route::Call {
                chat_type: if group_id.is_some() {
                    ChatType::Group
                } else {
                    chat_type
                },
                sender: sender.clone(),
                group_id,
                call_id: call.and_then(|c| c.call_id.clone()),
                media: call.map_or(CallMedia::Unknown, |c| c.media),
                invited: call.map(|c| c.invited.clone()).unwrap_or_default(),
            }
        }
        NotificationAction::Chat => match chat_type {
            ChatType::C2c => Route::C2cChat {
                user_id: sender.clone(),
            },
            ChatType::Group => Route::GroupChat {
                group_id: sender.clone(),
            },
        },
        NotificationAction::Other { .. } => url_or_home(notification, allow_list),
    }
}

fn url_or_home(n: &NormalizedNotification, allow_list: &[AllowedUrl]) -> Route {
    n.extras
        .get(URL_KEY)
        .filter(|url| is_allowed_url(url, allow_list))
        .map_or(Route::Home, |url| Route::Url { url: url.clone() })
}

/// True when `url` is `scheme://host[/...]` with scheme and host exactly on
/// the allow-list: no user info, no port, no whitespace, control characters
/// or backslashes (parsers disagree on those, which is how allow-lists are
/// usually bypassed).
pub fn is_allowed_url(url: &str, allow_list: &[AllowedUrl]) -> bool {
    if url.len() > 2048
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return false;
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..authority_end];
    if host.is_empty() || host.contains(['@', ':', '%']) {
        return false;
    }
    let scheme = scheme.to_ascii_lowercase();
    if NEVER_ALLOWED_SCHEMES.contains(&scheme.as_str()) {
        return false;
    }
    allow_list
        .iter()
        .any(|a| a.scheme.eq_ignore_ascii_case(&scheme) && a.host.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::PushChannel;
    use std::collections::HashMap;

    fn tap(
        chat_type: ChatType,
        action: NotificationAction,
        url: Option<&str>,
    ) -> NormalizedNotification {
        NormalizedNotification {
            channel: Some(PushChannel::Fcm),
            chat_type: Some(chat_type),
            sender: Some("s1".into()),
            conversation_id: Some(format!("{}_s1", chat_type.as_str())),
            action,
            call: None,
            nickname: None,
            face_url: None,
            content: None,
            send_time: 0,
            version: 1,
            newer_version: false,
            message_id: None,
            vendor_message_id: None,
            vendor_notification_id: None,
            title: None,
            body: None,
            custom_data: None,
            extras: url
                .map(|u| HashMap::from([(URL_KEY.to_string(), u.to_string())]))
                .unwrap_or_default(),
            findings: Vec::new(),
        }
    }

    fn allow() -> Vec<AllowedUrl> {
        vec![AllowedUrl {
            scheme: "https".into(),
            host: "im.example.com".into(),
        }]
    }

    #[test]
    fn actions_map_to_fixed_destinations() {
        use NotificationAction::*;
        let other = Other { code: 7 };
        let good = Some("https://im.example.com/news/1");
        let table = [
            (
                ChatType::C2c,
                Chat,
                None,
                Route::C2cChat {
                    user_id: "s1".into(),
                },
            ),
            (
                ChatType::Group,
                Chat,
                good,
                Route::GroupChat {
                    group_id: "s1".into(),
                },
            ),
            (
                ChatType::C2c,
                Call,
                good,
                Route::Call {
                    chat_type: ChatType::C2c,
                    sender: "s1".into(),
                    group_id: None,
                    call_id: None,
                    media: CallMedia::Unknown,
                    invited: vec![],
                },
            ),
            (ChatType::Group, other, None, Route::Home),
            (
                ChatType::C2c,
                other,
                good,
                Route::Url {
                    url: "https://im.example.com/news/1".into(),
                },
            ),
        ];
        for (chat_type, action, url, expected) in table {
            assert_eq!(
                route(&tap(chat_type, action, url), &allow()),
                expected,
                "{action:?} {url:?}"
            );
        }
    }

    #[test]
    fn only_exact_allow_listed_urls_pass() {
        let table = [
            ("https://im.example.com", true),
            ("HTTPS://IM.example.com/a?b#c", true),
            ("https://im.example.com.evil.com/", false),
            ("https://evil.com/im.example.com", false),
            ("https://user@im.example.com/", false),
            ("https://evil.com\\@im.example.com/", false),
            ("https://im.example.com:8443/", false),
            ("https://im.example%2ecom/", false),
            ("http://im.example.com/", false),
            ("https:/im.example.com/", false),
            ("https://im.example.com/\n", false),
            ("intent://im.example.com/#Intent;component=x/.Y;end", false),
            ("javascript://im.example.com/%0aalert(1)", false),
            ("", false),
        ];
        for (url, ok) in table {
            assert_eq!(is_allowed_url(url, &allow()), ok, "{url}");
        }
        let listed_but_forbidden = [AllowedUrl {
            scheme: "intent".into(),
            host: "x".into(),
        }];
        assert!(!is_allowed_url("intent://x/", &listed_but_forbidden));
        assert!(!is_allowed_url("https://im.example.com/", &[]));
    }

    #[test]
    fn a_forged_payload_cannot_name_a_component() {
        let forged = r#"{"platform":"android","channel_hint":"vivo","extras":{
            "ext":"{\"entity\":{\"chatType\":1,\"action\":5,\"sender\":\"x\"},\"url\":\"intent:#Intent;component=com.app/.Admin;end\"}",
            "component":"com.app/.Admin","url":"https://evil.example/"}}"#;
        let n = crate::payload::parse_click_json(forged.as_bytes()).unwrap();
        assert_eq!(route(&n, &allow()), Route::Home);
    }

    #[test]
    fn the_route_json_names_its_kind() {
        let call = Route::Call {
            chat_type: ChatType::Group,
            sender: "u1".into(),
            group_id: Some("g".into()),
            call_id: Some("c1".into()),
            media: CallMedia::Video,
            invited: vec!["u2".into()],
        };
        assert_eq!(
            serde_json::to_string(&call).unwrap(),
            r#"{"kind":"call","chat_type":"group","sender":"u1","group_id":"g","call_id":"c1","media":"video","invited":["u2"]}"#
        );
        assert_eq!(
            serde_json::to_string(&Route::Home).unwrap(),
            r#"{"kind":"home"}"#
        );
    }
}
