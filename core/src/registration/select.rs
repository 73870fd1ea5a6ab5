//! Which push channel a device uses (push-facts.md section 1).
//!
//! The device's vendor is recognised from brand and manufacturer first and
//! from ROM properties second (some brands are relabelled; the ROM is not).
//! The vendor's channel is used only if the app configured it, did not
//! disable it and the device can run it; otherwise FCM, but only where Play
//! services exist; otherwise the outcome is an explicit "no channel", never a
//! channel that cannot deliver.

use super::device::{ApnsEnvironment, DeviceInfo, DeviceOs};
use crate::channel::PushChannel;
use crate::config::{PushConfig, VendorCredentials};

/// A usable channel and what registering on it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub channel: PushChannel,
    /// The IM console's business id to report the token with.
    pub business_id: u64,
    /// Handed to the platform so it can start the vendor SDK (empty for
    /// APNs).
    pub credentials: VendorCredentials,
    /// Why this channel, for logs and diagnostics.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Use(Selection),
    NoChannel { reason: String },
}

/// The channel choice as the app sees it, for diagnostics screens and the
/// CLI.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChannelChoice {
    /// `None`: the device has no usable push channel.
    pub channel: Option<PushChannel>,
    pub business_id: Option<u64>,
    pub reason: String,
}

impl From<Choice> for ChannelChoice {
    fn from(choice: Choice) -> Self {
        match choice {
            Choice::Use(s) => ChannelChoice {
                channel: Some(s.channel),
                business_id: Some(s.business_id),
                reason: s.reason,
            },
            Choice::NoChannel { reason } => ChannelChoice {
                channel: None,
                business_id: None,
                reason,
            },
        }
    }
}

/// The channel `choose_channel` would use for this device and config.
pub fn choose_push_channel(config: PushConfig, device: DeviceInfo) -> ChannelChoice {
    choose_channel(&device, &config).into()
}

/// The vendor a device belongs to, before any availability check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vendor {
    Xiaomi,
    Huawei,
    /// Brand and manufacturer "honor": Honor Push if MagicUI >= 4, else HMS.
    Honor,
    Oppo,
    Vivo,
    Meizu,
}

/// The oldest MagicUI that runs Honor Push.
const MIN_MAGIC_UI_FOR_HONOR_PUSH: u32 = 4;

/// One old Meizu model reports this instead of its brand.
const MEIZU_ODD_BRAND: &str = "22c4185e";

fn recognise_vendor(device: &DeviceInfo) -> Option<(Vendor, String)> {
    let brand = device.brand.trim().to_ascii_lowercase();
    let maker = device.manufacturer.trim().to_ascii_lowercase();
    let either =
        |names: &[&str]| names.contains(&brand.as_str()) || names.contains(&maker.as_str());

    // Honor first: its older phones report manufacturer "huawei".
    if brand == "honor" && maker == "honor" {
        return Some((Vendor::Honor, "brand and manufacturer honor".into()));
    }
    if either(&["huawei", "honor"]) {
        return Some((
            Vendor::Huawei,
            format!("brand {brand} / manufacturer {maker}"),
        ));
    }
    let table: [(&[&str], Vendor); 4] = [
        (&["xiaomi", "redmi", "poco"], Vendor::Xiaomi),
        (&["oppo", "realme", "oneplus"], Vendor::Oppo),
        (&["vivo", "iqoo"], Vendor::Vivo),
        (&["meizu", MEIZU_ODD_BRAND], Vendor::Meizu),
    ];
    for (names, vendor) in table {
        if either(names) {
            return Some((vendor, format!("brand {brand} / manufacturer {maker}")));
        }
    }

    // HyperOS before MIUI, as the facts say; both mean Xiaomi here.
    let props: [(&str, Vendor, &str); 9] = [
        ("ro.mi.os.version.name", Vendor::Xiaomi, "HyperOS"),
        ("ro.miui.ui.version.name", Vendor::Xiaomi, "MIUI"),
        ("msc.config.magic.version", Vendor::Honor, "MagicOS"),
        ("ro.build.version.magic", Vendor::Honor, "MagicOS"),
        ("ro.build.version.emui", Vendor::Huawei, "EMUI"),
        ("hw_sc.build.platform.version", Vendor::Huawei, "HarmonyOS"),
        ("ro.build.version.opporom", Vendor::Oppo, "ColorOS"),
        (
            "ro.vivo.os.build.display.id",
            Vendor::Vivo,
            "OriginOS/Funtouch",
        ),
        ("ro.flyme.version.id", Vendor::Meizu, "Flyme"),
    ];
    props.into_iter().find_map(|(key, vendor, rom)| {
        device
            .rom_property(key)
            .map(|_| (vendor, format!("{rom} ROM ({key})")))
    })
}

/// The MagicUI major version from `msc.config.magic.version` or
/// `ro.build.version.magic` ("4.0.0", "MagicUI_4.0.0", "MagicOS 7.1").
fn magic_ui_major(device: &DeviceInfo) -> Option<u32> {
    ["msc.config.magic.version", "ro.build.version.magic"]
        .iter()
        .filter_map(|key| device.rom_property(key))
        .find_map(first_number)
}

fn first_number(text: &str) -> Option<u32> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// Why a channel cannot be used on this device with this config, if not.
fn unusable(device: &DeviceInfo, config: &PushConfig, channel: PushChannel) -> Option<String> {
    if config.preferences.disabled_channels.contains(&channel) {
        return Some(format!("{channel} is disabled in preferences"));
    }
    if config.channels.get(channel).is_none() {
        return Some(format!("{channel} is not configured"));
    }
    if device.vendor_supported(channel) == Some(false) {
        return Some(format!("the {channel} SDK reports push unsupported"));
    }
    match channel {
        PushChannel::Huawei if !device.hms_available => Some("HMS core is not available".into()),
        PushChannel::Fcm if !device.play_services_available => {
            Some("Google Play services are not available".into())
        }
        _ => None,
    }
}

fn selection(config: &PushConfig, channel: PushChannel, reason: String) -> Option<Selection> {
    let credentials = config.channels.get(channel)?.clone();
    let business_id = credentials.business_id_for(config.international)?;
    Some(Selection {
        channel,
        business_id,
        credentials,
        reason,
    })
}

/// Chooses the channel for `device` under `config` (see the module docs).
pub fn choose_channel(device: &DeviceInfo, config: &PushConfig) -> Choice {
    match device.os {
        DeviceOs::Ios => choose_ios(device, config),
        DeviceOs::Android => choose_android(device, config),
    }
}

fn choose_ios(device: &DeviceInfo, config: &PushConfig) -> Choice {
    if config
        .preferences
        .disabled_channels
        .contains(&PushChannel::Apns)
    {
        return Choice::NoChannel {
            reason: "apns is disabled in preferences".into(),
        };
    }
    let environment = device.apns_environment.unwrap_or_default();
    let business_id = match environment {
        ApnsEnvironment::Development => config.apns.development_business_id,
        ApnsEnvironment::Production => config.apns.production_business_id,
    };
    match business_id {
        Some(business_id) => Choice::Use(Selection {
            channel: PushChannel::Apns,
            business_id,
            credentials: VendorCredentials::default(),
            reason: format!("iOS, APNs {environment:?} environment"),
        }),
        None => Choice::NoChannel {
            reason: format!("apns has no business id for the {environment:?} environment"),
        },
    }
}

fn choose_android(device: &DeviceInfo, config: &PushConfig) -> Choice {
    let prefs = &config.preferences;
    if let Some(forced) = prefs.forced_channel.filter(|c| c.is_android()) {
        // Validation guarantees it is configured and not disabled.
        return match selection(
            config,
            forced,
            format!("preferences.forced_channel {forced}"),
        ) {
            Some(s) => Choice::Use(s),
            None => Choice::NoChannel {
                reason: format!("forced channel {forced} has no business id for this build"),
            },
        };
    }

    // Candidates in order of preference, each with why it is considered.
    let mut candidates: Vec<(PushChannel, String)> = Vec::new();
    if prefs.force_fcm {
        candidates.push((PushChannel::Fcm, "preferences.force_fcm".into()));
    }
    match recognise_vendor(device) {
        Some((Vendor::Honor, why)) => match honor_or_hms(device) {
            (PushChannel::Honor, detail) => {
                candidates.push((PushChannel::Honor, format!("{why}, {detail}")));
                // Phones between the brand split may still carry HMS.
                candidates.push((PushChannel::Huawei, format!("{why}, Honor Push unusable")));
            }
            (other, detail) => candidates.push((other, format!("{why}, {detail}"))),
        },
        Some((vendor, why)) => {
            let channel = match vendor {
                Vendor::Xiaomi => PushChannel::Xiaomi,
                Vendor::Huawei | Vendor::Honor => PushChannel::Huawei,
                Vendor::Oppo => PushChannel::Oppo,
                Vendor::Vivo => PushChannel::Vivo,
                Vendor::Meizu => PushChannel::Meizu,
            };
            candidates.push((channel, why));
        }
        None => {}
    }
    candidates.push((PushChannel::Fcm, "fallback".into()));

    let mut rejected = Vec::new();
    for (channel, why) in candidates {
        if let Some(problem) = unusable(device, config, channel) {
            rejected.push(format!("{channel}: {problem}"));
            continue;
        }
        if let Some(s) = selection(config, channel, why) {
            return Choice::Use(s);
        }
        rejected.push(format!("{channel}: no business id for this build"));
    }
    rejected.dedup();
    Choice::NoChannel {
        reason: format!("no usable push channel ({})", rejected.join("; ")),
    }
}

/// Honor Push needs MagicUI 4 or later (or the Honor SDK saying yes);
/// older Honor phones register through HMS.
fn honor_or_hms(device: &DeviceInfo) -> (PushChannel, String) {
    match device.vendor_supported(PushChannel::Honor) {
        Some(true) => return (PushChannel::Honor, "Honor SDK reports support".into()),
        Some(false) => return (PushChannel::Huawei, "Honor SDK reports no support".into()),
        None => {}
    }
    match magic_ui_major(device) {
        Some(v) if v >= MIN_MAGIC_UI_FOR_HONOR_PUSH => (PushChannel::Honor, format!("MagicUI {v}")),
        Some(v) => (
            PushChannel::Huawei,
            format!("MagicUI {v} is too old for Honor Push"),
        ),
        None => (
            PushChannel::Huawei,
            "no MagicUI version, assuming HMS".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::device::VendorSupport;

    use crate::config::example_config as example;

    #[derive(Clone, Copy)]
    struct Case {
        name: &'static str,
        brand: &'static str,
        maker: &'static str,
        props: &'static [(&'static str, &'static str)],
        play: bool,
        hms: bool,
        support: &'static [(PushChannel, bool)],
        expect: Option<PushChannel>,
    }

    const fn case(
        name: &'static str,
        brand: &'static str,
        maker: &'static str,
        expect: Option<PushChannel>,
    ) -> Case {
        Case {
            name,
            brand,
            maker,
            props: &[],
            play: true,
            hms: false,
            support: &[],
            expect,
        }
    }

    fn device(c: &Case) -> DeviceInfo {
        let mut d = DeviceInfo::android(c.brand, c.maker);
        d.play_services_available = c.play;
        d.hms_available = c.hms;
        d.rom_properties = c
            .props
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        d.vendor_support = c
            .support
            .iter()
            .map(|&(channel, supported)| VendorSupport { channel, supported })
            .collect();
        d
    }

    use PushChannel::*;

    #[test]
    fn every_vendor_rule_in_the_facts_table() {
        let cases = [
            case("xiaomi", "Xiaomi", "Xiaomi", Some(Xiaomi)),
            case("redmi brand", "Redmi", "Xiaomi", Some(Xiaomi)),
            case("poco brand", "POCO", "Xiaomi", Some(Xiaomi)),
            case(
                "redmi without xiaomi maker",
                "redmi",
                "unknown",
                Some(Xiaomi),
            ),
            Case {
                props: &[("ro.mi.os.version.name", "OS1.0")],
                ..case("hyperos prop", "acme", "acme", Some(Xiaomi))
            },
            Case {
                props: &[("ro.miui.ui.version.name", "V14")],
                ..case("miui prop", "acme", "acme", Some(Xiaomi))
            },
            Case {
                hms: true,
                ..case("huawei", "HUAWEI", "HUAWEI", Some(Huawei))
            },
            Case {
                hms: false,
                ..case(
                    "huawei without hms falls to fcm",
                    "huawei",
                    "huawei",
                    Some(Fcm),
                )
            },
            Case {
                hms: false,
                play: false,
                ..case("huawei without hms or play", "huawei", "huawei", None)
            },
            Case {
                hms: true,
                ..case(
                    "old honor: honor brand, huawei maker",
                    "HONOR",
                    "HUAWEI",
                    Some(Huawei),
                )
            },
            Case {
                hms: true,
                props: &[("ro.build.version.magic", "MagicUI_4.0.0")],
                ..case("honor magicui 4", "HONOR", "HONOR", Some(Honor))
            },
            Case {
                hms: true,
                props: &[("msc.config.magic.version", "7.1.0")],
                ..case("honor magicos 7", "honor", "honor", Some(Honor))
            },
            Case {
                hms: true,
                props: &[("ro.build.version.magic", "3.1.1")],
                ..case("honor magicui 3 uses hms", "honor", "honor", Some(Huawei))
            },
            Case {
                hms: true,
                ..case(
                    "honor without magic version uses hms",
                    "honor",
                    "honor",
                    Some(Huawei),
                )
            },
            Case {
                hms: true,
                support: &[(Honor, true)],
                ..case("honor sdk says yes", "honor", "honor", Some(Honor))
            },
            Case {
                hms: true,
                props: &[("ro.build.version.magic", "7.0")],
                support: &[(Honor, false)],
                ..case("honor sdk says no", "honor", "honor", Some(Huawei))
            },
            Case {
                hms: false,
                props: &[("ro.build.version.magic", "3.0")],
                ..case("old honor without hms", "honor", "honor", Some(Fcm))
            },
            Case {
                hms: true,
                props: &[("ro.build.version.emui", "EmotionUI_12")],
                ..case("emui prop", "acme", "acme", Some(Huawei))
            },
            Case {
                hms: true,
                props: &[("hw_sc.build.platform.version", "3.0.0")],
                ..case("harmonyos prop", "acme", "acme", Some(Huawei))
            },
            Case {
                props: &[("msc.config.magic.version", "8.0")],
                ..case("magicos prop only", "acme", "acme", Some(Honor))
            },
            case("oppo", "OPPO", "OPPO", Some(Oppo)),
            case("realme", "realme", "realme", Some(Oppo)),
            case("oneplus", "OnePlus", "OnePlus", Some(Oppo)),
            Case {
                support: &[(Oppo, false)],
                ..case("oneplus without heytap", "OnePlus", "OnePlus", Some(Fcm))
            },
            Case {
                props: &[("ro.build.version.opporom", "V13")],
                ..case("coloros prop", "acme", "acme", Some(Oppo))
            },
            case("vivo", "vivo", "vivo", Some(Vivo)),
            case("iqoo", "iQOO", "vivo", Some(Vivo)),
            case("iqoo brand only", "iqoo", "acme", Some(Vivo)),
            Case {
                support: &[(Vivo, false)],
                play: false,
                ..case("vivo unsupported, no play", "vivo", "vivo", None)
            },
            Case {
                props: &[("ro.vivo.os.build.display.id", "OriginOS 4")],
                ..case("originos prop", "acme", "acme", Some(Vivo))
            },
            case("meizu", "Meizu", "Meizu", Some(Meizu)),
            case("meizu odd brand", "22c4185e", "unknown", Some(Meizu)),
            Case {
                props: &[("ro.flyme.version.id", "Flyme 10")],
                ..case("flyme prop", "acme", "acme", Some(Meizu))
            },
            case("samsung gets fcm", "samsung", "samsung", Some(Fcm)),
            Case {
                play: false,
                ..case("samsung without play has none", "samsung", "samsung", None)
            },
            Case {
                props: &[("ro.miui.ui.version.name", " ")],
                ..case("blank prop ignored", "acme", "acme", Some(Fcm))
            },
        ];
        let config = example();
        for c in cases {
            let got = match choose_channel(&device(&c), &config) {
                Choice::Use(s) => Some(s.channel),
                Choice::NoChannel { .. } => None,
            };
            assert_eq!(got, c.expect, "case `{}`", c.name);
        }
    }

    #[test]
    fn preferences_override_the_device_rules() {
        let xiaomi = case("", "xiaomi", "xiaomi", None);
        let no_play = Case {
            play: false,
            ..xiaomi
        };
        let mut force_fcm = example();
        force_fcm.preferences.force_fcm = true;
        let mut forced_vivo = example();
        forced_vivo.preferences.forced_channel = Some(Vivo);
        let mut xiaomi_off = example();
        xiaomi_off.preferences.disabled_channels = vec![Xiaomi];
        let mut all_off = example();
        all_off.preferences.disabled_channels = vec![Xiaomi, Fcm];
        let mut xiaomi_missing = example();
        xiaomi_missing.channels.xiaomi = None;
        let table = [
            ("force_fcm with play", &force_fcm, xiaomi, Some(Fcm)),
            ("force_fcm without play", &force_fcm, no_play, Some(Xiaomi)),
            (
                "forced channel whatever the device",
                &forced_vivo,
                xiaomi,
                Some(Vivo),
            ),
            ("disabled vendor falls back", &xiaomi_off, xiaomi, Some(Fcm)),
            ("disabled vendor and fcm", &all_off, xiaomi, None),
            (
                "unconfigured vendor falls back",
                &xiaomi_missing,
                xiaomi,
                Some(Fcm),
            ),
            (
                "unconfigured vendor, no play",
                &xiaomi_missing,
                no_play,
                None,
            ),
        ];
        for (name, config, c, expect) in table {
            let choice = choose_channel(&device(&c), config);
            let got = match &choice {
                Choice::Use(s) => Some(s.channel),
                Choice::NoChannel { .. } => None,
            };
            assert_eq!(got, expect, "{name}: {choice:?}");
        }
    }

    #[test]
    fn business_ids_follow_the_build_and_no_channel_says_why() {
        let mut config = example();
        let dev = DeviceInfo::android("xiaomi", "xiaomi");
        let Choice::Use(s) = choose_channel(&dev, &config) else {
            panic!("xiaomi expected")
        };
        assert_eq!((s.channel, s.business_id), (Xiaomi, 10001));
        assert_eq!(s.credentials.app_key.as_deref(), Some("5601700000000"));
        config.international = true;
        let Choice::Use(s) = choose_channel(&dev, &config) else {
            panic!("xiaomi expected")
        };
        assert_eq!(s.business_id, 20001);

        let mut bare = DeviceInfo::android("samsung", "samsung");
        bare.play_services_available = false;
        match choose_channel(&bare, &example()) {
            Choice::NoChannel { reason } => {
                assert!(reason.contains("Google Play services"), "{reason}")
            }
            other => panic!("expected no channel, got {other:?}"),
        }
    }

    #[test]
    fn ios_uses_apns_with_the_environments_business_id() {
        let config = example();
        let table = [
            (Some(ApnsEnvironment::Development), Some(30001)),
            (Some(ApnsEnvironment::Production), Some(30002)),
            (None, Some(30002)),
        ];
        for (env, expect) in table {
            let mut dev = DeviceInfo::ios(ApnsEnvironment::Production);
            dev.apns_environment = env;
            let choice: ChannelChoice = choose_channel(&dev, &config).into();
            assert_eq!(choice.channel, Some(Apns), "{env:?}");
            assert_eq!(choice.business_id, expect, "{env:?}");
        }
        let mut no_apns = config.clone();
        no_apns.apns = Default::default();
        let choice: ChannelChoice =
            choose_channel(&DeviceInfo::ios(ApnsEnvironment::Development), &no_apns).into();
        assert_eq!(choice.channel, None);
        let mut disabled = config;
        disabled.preferences.disabled_channels = vec![Apns];
        let choice = choose_push_channel(disabled, DeviceInfo::ios(ApnsEnvironment::Production));
        assert_eq!(choice.channel, None, "{}", choice.reason);
    }

    #[test]
    fn magic_versions_parse_leniently() {
        let table = [
            ("4.0.0", Some(4)),
            ("MagicUI_4.0.0", Some(4)),
            ("MagicOS 7.1", Some(7)),
            ("10", Some(10)),
            ("none", None),
            ("", None),
        ];
        for (text, expect) in table {
            assert_eq!(first_number(text), expect, "{text}");
        }
    }
}
