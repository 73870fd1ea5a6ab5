//! Which way the app icon badge can be set on a device
//! (notification-facts.md section 1). The ledger answers the number; the
//! platform layer applies it with the method named here, and diagnostics
//! tell support which one a device gets.

use crate::registration::{DeviceInfo, DeviceOs};
use serde::{Deserialize, Serialize};

/// How a device shows an unread count on the app icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum BadgeMethod {
    /// iOS 16+: `UNUserNotificationCenter.setBadgeCount`.
    IosSetBadgeCount,
    /// Huawei EMUI 4.1+ (and older Honor phones): the launcher's
    /// `change_badge` content-provider call; needs the CHANGE_BADGE permission.
    HuaweiLauncher,
    /// Honor MagicUI: the same call on Honor's launcher provider.
    HonorLauncher,
    /// vivo: the launcher broadcast; the user switch may be off.
    VivoBroadcast,
    /// Xiaomi: the count of the app's notifications, set per notification
    /// (`Notification.number`); no notification, no badge.
    XiaomiNotificationCount,
    /// Older Samsung launchers: the `BADGE_COUNT_UPDATE` broadcast; One UI
    /// may ignore it (then the notification number applies).
    SamsungBroadcast,
    /// OPPO and Meizu: a dot at most; no number can be set.
    DotOnly,
    /// Stock Android 8+ and other launchers: `Notification.setNumber` on
    /// the posted notifications; the launcher decides what to show.
    NotificationNumber,
}

impl BadgeMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            BadgeMethod::IosSetBadgeCount => "ios_set_badge_count",
            BadgeMethod::HuaweiLauncher => "huawei_launcher",
            BadgeMethod::HonorLauncher => "honor_launcher",
            BadgeMethod::VivoBroadcast => "vivo_broadcast",
            BadgeMethod::XiaomiNotificationCount => "xiaomi_notification_count",
            BadgeMethod::SamsungBroadcast => "samsung_broadcast",
            BadgeMethod::DotOnly => "dot_only",
            BadgeMethod::NotificationNumber => "notification_number",
        }
    }

    /// What a support engineer reads: how the badge is set, and its catch.
    pub fn advice(self) -> (&'static str, &'static str) {
        match self {
            BadgeMethod::IosSetBadgeCount => (
                "Badge: UNUserNotificationCenter.setBadgeCount with the count every ledger answer carries (iOS 16+).",
                "Request the .badge authorization; in a Notification Service Extension set content.badge from the core's answer (the extension cannot read the current badge).",
            ),
            BadgeMethod::HuaweiLauncher => (
                "Badge: Huawei launcher content provider (change_badge) with the launcher activity's class; 0 hides it.",
                "Declare com.huawei.android.launcher.permission.CHANGE_BADGE; HMS-displayed pushes only add to the badge, so reset it from the app.",
            ),
            BadgeMethod::HonorLauncher => (
                "Badge: Honor launcher content provider (change_badge); numbers from MagicUI 6.",
                "Declare com.hihonor.android.launcher.permission.CHANGE_BADGE; Honor push has no badge field, so the app sets it.",
            ),
            BadgeMethod::VivoBroadcast => (
                "Badge: vivo launcher broadcast launcher.action.CHANGE_APPLICATION_NOTIFICATION_NUM (uncertain: the user switch is reportedly off by default).",
                "Declare com.vivo.notification.permission.BADGE_ICON and ask users to enable the app's desktop badge.",
            ),
            BadgeMethod::XiaomiNotificationCount => (
                "Badge: Xiaomi counts the app's notifications; the number is set on each posted notification.",
                "Set Notification.number (setNumber) on posted notifications; removing them (recall, read) lowers the badge.",
            ),
            BadgeMethod::SamsungBroadcast => (
                "Badge: Samsung BADGE_COUNT_UPDATE broadcast on older launchers; One UI may use the notification number instead (uncertain).",
                "Send the broadcast and also set Notification.number.",
            ),
            BadgeMethod::DotOnly => (
                "Badge: this launcher shows a dot at most (OPPO numbers need OPPO's approval; Meizu has none).",
                "Nothing to set; removing recalled and read notifications keeps the dot honest.",
            ),
            BadgeMethod::NotificationNumber => (
                "Badge: the launcher shows a dot or Notification.number (Android 8+ notification badges).",
                "Set Notification.number on posted notifications and keep the channel's showBadge on.",
            ),
        }
    }
}

/// The badge method for `device`, by the same brand rules the channel
/// choice uses.
pub fn badge_method(device: &DeviceInfo) -> BadgeMethod {
    if device.os == DeviceOs::Ios {
        return BadgeMethod::IosSetBadgeCount;
    }
    let brand = device.brand.to_ascii_lowercase();
    let maker = device.manufacturer.to_ascii_lowercase();
    let either = |names: &[&str]| names.iter().any(|n| brand == *n || maker == *n);
    if brand == "honor" && maker == "honor" {
        BadgeMethod::HonorLauncher
    } else if either(&["huawei"]) {
        BadgeMethod::HuaweiLauncher
    } else if either(&["vivo", "iqoo"]) {
        BadgeMethod::VivoBroadcast
    } else if either(&["xiaomi", "redmi", "poco"]) {
        BadgeMethod::XiaomiNotificationCount
    } else if either(&["samsung"]) {
        BadgeMethod::SamsungBroadcast
    } else if either(&["oppo", "realme", "oneplus", "meizu"]) {
        BadgeMethod::DotOnly
    } else {
        BadgeMethod::NotificationNumber
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::ApnsEnvironment;

    #[test]
    fn each_vendor_gets_its_documented_badge_method() {
        let table = [
            ("HUAWEI", "HUAWEI", BadgeMethod::HuaweiLauncher),
            ("HONOR", "HUAWEI", BadgeMethod::HuaweiLauncher),
            ("HONOR", "HONOR", BadgeMethod::HonorLauncher),
            ("vivo", "vivo", BadgeMethod::VivoBroadcast),
            ("iQOO", "vivo", BadgeMethod::VivoBroadcast),
            ("Redmi", "Xiaomi", BadgeMethod::XiaomiNotificationCount),
            ("samsung", "samsung", BadgeMethod::SamsungBroadcast),
            ("OPPO", "OPPO", BadgeMethod::DotOnly),
            ("OnePlus", "OnePlus", BadgeMethod::DotOnly),
            ("Meizu", "Meizu", BadgeMethod::DotOnly),
            ("google", "Google", BadgeMethod::NotificationNumber),
        ];
        for (brand, maker, expected) in table {
            assert_eq!(
                badge_method(&DeviceInfo::android(brand, maker)),
                expected,
                "{brand}/{maker}"
            );
            let (message, fix) = expected.advice();
            assert!(!message.is_empty() && !fix.is_empty());
        }
        assert_eq!(
            badge_method(&DeviceInfo::ios(ApnsEnvironment::Production)),
            BadgeMethod::IosSetBadgeCount
        );
    }
}
