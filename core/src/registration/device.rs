//! What the app's platform layer tells the core about the device. The core
//! never probes the device itself: Kotlin or Swift fill this record from
//! `Build`, system properties and vendor SDK checks, so the channel rules
//! stay testable on any machine.

use crate::channel::PushChannel;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum DeviceOs {
    Android,
    Ios,
}

/// Which APNs gateway the app's build talks to; each has its own business
/// id in the IM console (push-facts.md section 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ApnsEnvironment {
    Development,
    #[default]
    Production,
}

/// A vendor SDK's own "is push supported here" answer (for instance
/// `HeytapPushManager.isSupportPush` or vivo's `PushClient.isSupport`).
/// A channel without an entry was not checked and is judged by the device
/// rules alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct VendorSupport {
    pub channel: PushChannel,
    pub supported: bool,
}

/// The device facts channel choice depends on. Also read from JSON (the
/// CLI's device files): facts with an obvious "absent" value may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct DeviceInfo {
    pub os: DeviceOs,
    /// `Build.BRAND` on Android; "apple" on iOS.
    pub brand: String,
    /// `Build.MANUFACTURER` on Android; "apple" on iOS.
    pub manufacturer: String,
    #[serde(default)]
    pub model: String,
    /// `Build.VERSION.SDK_INT` on Android, 0 on iOS.
    pub sdk_int: u32,
    /// Human-readable OS version ("14", "17.4").
    #[serde(default)]
    pub os_version: String,
    /// System properties that identify the ROM (`ro.miui.ui.version.name`,
    /// `ro.build.version.magic`...). Only the keys listed in push-facts.md
    /// section 1 are looked at; the app may pass more.
    #[serde(default)]
    pub rom_properties: HashMap<String, String>,
    #[serde(default)]
    pub play_services_available: bool,
    #[serde(default)]
    pub hms_available: bool,
    #[serde(default)]
    #[uniffi(default = [])]
    pub vendor_support: Vec<VendorSupport>,
    /// Whether the user allows notifications: registration goes ahead
    /// either way (the user may allow them later) but the app may prompt.
    pub notifications_enabled: bool,
    /// iOS only: the build's APNs environment. `None` on iOS means
    /// production, the safe choice for shipped builds.
    #[uniffi(default = None)]
    pub apns_environment: Option<ApnsEnvironment>,
}

impl DeviceInfo {
    /// What the vendor SDK said about `channel`, if it was asked.
    pub fn vendor_supported(&self, channel: PushChannel) -> Option<bool> {
        self.vendor_support
            .iter()
            .rev()
            .find(|s| s.channel == channel)
            .map(|s| s.supported)
    }

    /// A non-blank ROM property value.
    pub fn rom_property(&self, key: &str) -> Option<&str> {
        self.rom_properties
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A plain Android device of the given brand and manufacturer, with
    /// Play services and notifications on; a starting point for tests and
    /// simulations.
    pub fn android(brand: &str, manufacturer: &str) -> DeviceInfo {
        DeviceInfo {
            os: DeviceOs::Android,
            brand: brand.into(),
            manufacturer: manufacturer.into(),
            model: "model".into(),
            sdk_int: 34,
            os_version: "14".into(),
            rom_properties: HashMap::new(),
            play_services_available: true,
            hms_available: false,
            vendor_support: Vec::new(),
            notifications_enabled: true,
            apns_environment: None,
        }
    }

    /// An iPhone built for `environment`.
    pub fn ios(environment: ApnsEnvironment) -> DeviceInfo {
        DeviceInfo {
            os: DeviceOs::Ios,
            brand: "apple".into(),
            manufacturer: "apple".into(),
            model: "iPhone".into(),
            sdk_int: 0,
            os_version: "17.4".into(),
            rom_properties: HashMap::new(),
            play_services_available: false,
            hms_available: false,
            vendor_support: Vec::new(),
            notifications_enabled: true,
            apns_environment: Some(environment),
        }
    }
}
