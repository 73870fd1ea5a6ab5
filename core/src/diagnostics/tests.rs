use super::*;
use crate::registration::{
    ApnsEnvironment, DeviceOs, RegistrationError, RegistrationPhase, VendorSupport,
};
use std::collections::HashMap;
use std::path::Path;

fn example() -> PushConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/example-config.json");
    PushConfig::from_file(&path).unwrap()
}

fn with_props(mut d: DeviceInfo, props: &[(&str, &str)]) -> DeviceInfo {
    d.rom_properties = props
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<HashMap<_, _>>();
    d
}

/// One phone per channel, as the demo and the sample device files have them.
fn healthy_devices() -> Vec<(&'static str, DeviceInfo, PushChannel)> {
    let mut huawei = DeviceInfo::android("HUAWEI", "HUAWEI");
    huawei.hms_available = true;
    let honor = with_props(
        DeviceInfo::android("HONOR", "HONOR"),
        &[("msc.config.magic.version", "7.2.0")],
    );
    vec![
        (
            "xiaomi",
            DeviceInfo::android("Xiaomi", "Xiaomi"),
            PushChannel::Xiaomi,
        ),
        ("huawei", huawei, PushChannel::Huawei),
        ("honor", honor, PushChannel::Honor),
        (
            "oppo",
            DeviceInfo::android("OPPO", "OPPO"),
            PushChannel::Oppo,
        ),
        (
            "vivo",
            DeviceInfo::android("vivo", "vivo"),
            PushChannel::Vivo,
        ),
        (
            "meizu",
            DeviceInfo::android("Meizu", "Meizu"),
            PushChannel::Meizu,
        ),
        (
            "pixel",
            DeviceInfo::android("google", "Google"),
            PushChannel::Fcm,
        ),
        (
            "iphone dev",
            DeviceInfo::ios(ApnsEnvironment::Development),
            PushChannel::Apns,
        ),
        (
            "iphone prod",
            DeviceInfo::ios(ApnsEnvironment::Production),
            PushChannel::Apns,
        ),
    ]
}

/// The state of a device that registered normally under `config`.
fn registered(device: &DeviceInfo, config: &PushConfig) -> RegistrationState {
    let choice = crate::registration::select::choose_push_channel(config.clone(), device.clone());
    RegistrationState {
        phase: RegistrationPhase::Registered,
        user_id: Some("alice-0042".into()),
        channel: choice.channel,
        business_id: choice.business_id,
        session: 1,
        notifications_enabled: Some(device.notifications_enabled),
        ..RegistrationState::logged_out(1)
    }
}

fn failed_at(phase: RegistrationPhase, step: RegistrationPhase) -> RegistrationState {
    RegistrationState {
        phase,
        user_id: Some("alice-0042".into()),
        channel: Some(PushChannel::Oppo),
        attempt: 3,
        last_error: Some(RegistrationError {
            code: "timeout".into(),
            message: "no answer within 30000 ms".into(),
            phase: step,
            attempt: 3,
            will_retry: phase == RegistrationPhase::WaitingToRetry,
        }),
        ..RegistrationState::logged_out(1)
    }
}

fn codes(report: &DiagnosisReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn healthy_devices_get_no_errors_or_warnings_only_advice() {
    let config = example();
    for (name, device, channel) in healthy_devices() {
        let state = registered(&device, &config);
        let report = diagnose_device(&device, &config, Some(&state));
        assert_eq!(report.channel, Some(channel), "{name}");
        assert!(report.state_checked);
        let problems: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Advice)
            .collect();
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        assert_eq!(
            report.with_code(FindingCode::RedirectConfigAdvice).count(),
            1,
            "{name}"
        );
        let quota = report.with_code(FindingCode::VendorQuotaAdvice).count();
        assert_eq!(quota, usize::from(channel != PushChannel::Apns), "{name}");
    }
}

type Tweak = fn(&mut DeviceInfo, &mut PushConfig, &mut Option<RegistrationState>);

struct Case {
    name: &'static str,
    /// Index into `healthy_devices()`: the case starts from that healthy
    /// device, its registered state and the example config.
    base: usize,
    tweak: Tweak,
    code: FindingCode,
    severity: Severity,
}

const XIAOMI: usize = 0;
const OPPO: usize = 3;
const PIXEL: usize = 6;
const IPHONE_DEV: usize = 7;
const IPHONE_PROD: usize = 8;

fn cases() -> Vec<Case> {
    use FindingCode as C;
    use Severity::*;
    vec![
        Case {
            name: "retry jitter out of range",
            base: XIAOMI,
            tweak: |_, c, _| c.retry.jitter = 2.0,
            code: C::InvalidConfig,
            severity: Error,
        },
        Case {
            name: "logged out",
            base: XIAOMI,
            tweak: |_, _, s| *s = Some(RegistrationState::logged_out(2)),
            code: C::NotLoggedIn,
            severity: Error,
        },
        Case {
            name: "phone without vendor service or play services",
            base: PIXEL,
            tweak: |d, _, _| d.play_services_available = false,
            code: C::NoChannelAvailable,
            severity: Error,
        },
        Case {
            name: "oppo phone whose sdk says no, without play services",
            base: OPPO,
            tweak: |d, _, _| {
                d.play_services_available = false;
                d.vendor_support = vec![VendorSupport {
                    channel: PushChannel::Oppo,
                    supported: false,
                }];
            },
            code: C::NoChannelAvailable,
            severity: Error,
        },
        Case {
            name: "apns disabled on an iphone",
            base: IPHONE_PROD,
            tweak: |_, c, _| c.preferences.disabled_channels = vec![PushChannel::Apns],
            code: C::NoChannelAvailable,
            severity: Error,
        },
        Case {
            name: "xiaomi business id missing",
            base: XIAOMI,
            tweak: |_, c, _| {
                if let Some(x) = c.channels.xiaomi.as_mut() {
                    x.business_id = None
                }
            },
            code: C::MissingBusinessId,
            severity: Error,
        },
        Case {
            name: "iphone without any apns ids",
            base: IPHONE_DEV,
            tweak: |_, c, _| c.apns = Default::default(),
            code: C::MissingBusinessId,
            severity: Error,
        },
        Case {
            name: "oppo app secret missing",
            base: OPPO,
            tweak: |_, c, _| {
                if let Some(o) = c.channels.oppo.as_mut() {
                    o.app_secret = None
                }
            },
            code: C::MissingVendorCredentials,
            severity: Error,
        },
        Case {
            name: "xiaomi phone, xiaomi not integrated: falls back to fcm",
            base: XIAOMI,
            tweak: |_, c, _| c.channels.xiaomi = None,
            code: C::MissingVendorCredentials,
            severity: Warning,
        },
        Case {
            name: "xiaomi phone, xiaomi not integrated, no play services",
            base: XIAOMI,
            tweak: |d, c, _| {
                c.channels.xiaomi = None;
                d.play_services_available = false;
            },
            code: C::MissingVendorCredentials,
            severity: Error,
        },
        Case {
            name: "oppo on android 8 without channel id",
            base: OPPO,
            tweak: |d, c, _| {
                d.sdk_int = 26;
                if let Some(o) = c.channels.oppo.as_mut() {
                    o.channel_id = None
                }
            },
            code: C::OppoChannelIdRequired,
            severity: Error,
        },
        Case {
            name: "oppo with a blank channel id",
            base: OPPO,
            tweak: |_, c, _| {
                if let Some(o) = c.channels.oppo.as_mut() {
                    o.channel_id = Some("  ".into())
                }
            },
            code: C::OppoChannelIdRequired,
            severity: Error,
        },
        Case {
            name: "notifications off",
            base: PIXEL,
            tweak: |d, _, _| d.notifications_enabled = false,
            code: C::NotificationsDisabled,
            severity: Error,
        },
        Case {
            name: "token request failed for good",
            base: OPPO,
            tweak: |_, _, s| {
                *s = Some(failed_at(
                    RegistrationPhase::Failed,
                    RegistrationPhase::RequestingToken,
                ))
            },
            code: C::TokenNotObtained,
            severity: Error,
        },
        Case {
            name: "token request waiting to retry",
            base: OPPO,
            tweak: |_, _, s| {
                *s = Some(failed_at(
                    RegistrationPhase::WaitingToRetry,
                    RegistrationPhase::RequestingToken,
                ))
            },
            code: C::TokenNotObtained,
            severity: Warning,
        },
        Case {
            name: "token still requested",
            base: OPPO,
            tweak: |_, _, s| {
                if let Some(s) = s {
                    s.phase = RegistrationPhase::RequestingToken
                }
            },
            code: C::TokenNotObtained,
            severity: Warning,
        },
        Case {
            name: "report failed for good",
            base: OPPO,
            tweak: |_, _, s| {
                *s = Some(failed_at(
                    RegistrationPhase::Failed,
                    RegistrationPhase::Reporting,
                ))
            },
            code: C::TokenNotReported,
            severity: Error,
        },
        Case {
            name: "report waiting to retry",
            base: OPPO,
            tweak: |_, _, s| {
                *s = Some(failed_at(
                    RegistrationPhase::WaitingToRetry,
                    RegistrationPhase::Reporting,
                ))
            },
            code: C::TokenNotReported,
            severity: Warning,
        },
        Case {
            name: "international build without oppo abroad id",
            base: OPPO,
            tweak: |_, c, _| {
                c.international = true;
                if let Some(o) = c.channels.oppo.as_mut() {
                    o.abroad_business_id = None
                }
            },
            code: C::AbroadIdsMissing,
            severity: Error,
        },
        Case {
            name: "development build reported with the production id",
            base: IPHONE_DEV,
            tweak: |_, c, s| {
                if let Some(s) = s {
                    s.business_id = c.apns.production_business_id
                }
            },
            code: C::ApnsEnvironmentMismatch,
            severity: Error,
        },
        Case {
            name: "production build reported with the development id",
            base: IPHONE_PROD,
            tweak: |_, c, s| {
                if let Some(s) = s {
                    s.business_id = c.apns.development_business_id
                }
            },
            code: C::ApnsEnvironmentMismatch,
            severity: Error,
        },
        Case {
            name: "no environment given means production",
            base: IPHONE_PROD,
            tweak: |d, c, s| {
                d.apns_environment = None;
                if let Some(s) = s {
                    s.business_id = c.apns.development_business_id
                }
            },
            code: C::ApnsEnvironmentMismatch,
            severity: Error,
        },
        Case {
            name: "one id for both environments",
            base: IPHONE_DEV,
            tweak: |_, c, _| c.apns.development_business_id = c.apns.production_business_id,
            code: C::ApnsEnvironmentMismatch,
            severity: Error,
        },
        Case {
            name: "quota advice for a vendor channel",
            base: XIAOMI,
            tweak: |_, _, _| {},
            code: C::VendorQuotaAdvice,
            severity: Advice,
        },
        Case {
            name: "redirect advice for apns",
            base: IPHONE_PROD,
            tweak: |_, _, _| {},
            code: C::RedirectConfigAdvice,
            severity: Advice,
        },
        Case {
            name: "badge method for any device",
            base: XIAOMI,
            tweak: |_, _, _| {},
            code: C::BadgeMethodAdvice,
            severity: Advice,
        },
    ]
}

#[test]
fn each_code_is_triggered_by_a_minimal_case_and_absent_when_healthy() {
    let devices = healthy_devices();
    for case in cases() {
        let (_, healthy, _) = &devices[case.base];
        let mut device = healthy.clone();
        let mut config = example();
        let mut state = Some(registered(&device, &config));
        let before = diagnose_device(&device, &config, state.as_ref());
        if case.severity != Severity::Advice {
            assert!(
                !codes(&before).contains(&case.code.as_str()),
                "{}: healthy base already has {:?}",
                case.name,
                case.code
            );
        }
        (case.tweak)(&mut device, &mut config, &mut state);
        let report = diagnose_device(&device, &config, state.as_ref());
        let found: Vec<_> = report.with_code(case.code).collect();
        assert_eq!(found.len(), 1, "{}: {:#?}", case.name, report.findings);
        assert_eq!(found[0].severity, case.severity, "{}", case.name);
        assert!(!found[0].message.is_empty() && !found[0].fix.is_empty());
    }
}

#[test]
fn every_code_has_a_triggering_case() {
    let covered: Vec<_> = cases().iter().map(|c| c.code).collect();
    for code in FindingCode::ALL {
        assert!(covered.contains(&code), "no case triggers {code:?}");
    }
    let names: std::collections::HashSet<_> = FindingCode::ALL.map(|c| c.as_str()).into();
    assert_eq!(names.len(), FindingCode::ALL.len(), "codes must be unique");
}

#[test]
fn the_oppo_channel_id_is_needed_from_android_8_only() {
    let mut config = example();
    config.channels.oppo.as_mut().unwrap().channel_id = None;
    for (sdk, expected) in [(24, 0), (25, 0), (26, 1), (34, 1)] {
        let mut device = DeviceInfo::android("OPPO", "OPPO");
        device.sdk_int = sdk;
        let report = diagnose_device(&device, &config, None);
        assert_eq!(
            report.with_code(FindingCode::OppoChannelIdRequired).count(),
            expected,
            "sdk {sdk}"
        );
    }
    // An OPPO phone that ends up on FCM is not told about OPPO channel ids.
    let mut device = DeviceInfo::android("OPPO", "OPPO");
    device.vendor_support = vec![VendorSupport {
        channel: PushChannel::Oppo,
        supported: false,
    }];
    let report = diagnose_device(&device, &config, None);
    assert_eq!(report.channel, Some(PushChannel::Fcm));
    assert_eq!(
        report.with_code(FindingCode::OppoChannelIdRequired).count(),
        0
    );
}

#[test]
fn without_a_state_login_and_token_checks_are_skipped() {
    let config = example();
    let device = DeviceInfo::android("vivo", "vivo");
    let report = diagnose_device(&device, &config, None);
    assert!(!report.state_checked);
    for code in [
        FindingCode::NotLoggedIn,
        FindingCode::TokenNotObtained,
        FindingCode::TokenNotReported,
    ] {
        assert_eq!(report.with_code(code).count(), 0, "{code:?}");
    }
    assert!(render_text(&report).contains("login and token checks skipped"));
}

#[test]
fn no_channel_means_no_channel_advice() {
    let mut device = DeviceInfo::android("samsung", "samsung");
    device.play_services_available = false;
    let report = diagnose_device(&device, &example(), None);
    assert_eq!(report.channel, None);
    assert!(report.channel_reason.contains("Google Play services"));
    assert_eq!(
        codes(&report),
        vec![FindingCode::NoChannelAvailable.as_str()]
    );
}

#[test]
fn errors_come_first_and_the_text_names_every_finding() {
    let mut config = example();
    config.channels.oppo.as_mut().unwrap().channel_id = None;
    let mut device = DeviceInfo::android("OPPO", "OPPO");
    device.notifications_enabled = false;
    let state = failed_at(
        RegistrationPhase::WaitingToRetry,
        RegistrationPhase::Reporting,
    );
    let report = diagnose_device(&device, &config, Some(&state));
    let severities: Vec<_> = report.findings.iter().map(|f| f.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
    assert!(report.has_errors());
    let text = render_text(&report);
    assert!(
        text.starts_with("channel: oppo (business id 10004)"),
        "{text}"
    );
    for finding in &report.findings {
        assert!(text.contains(&format!("] {}", finding.code)), "{text}");
    }
}

#[test]
fn quota_advice_reflects_the_configured_message_class() {
    let mut config = example();
    let device = DeviceInfo::android("Xiaomi", "Xiaomi");
    let advice = |config: &PushConfig| {
        let report = diagnose_device(&device, config, None);
        report
            .with_code(FindingCode::VendorQuotaAdvice)
            .map(|f| f.message.clone())
            .collect::<String>()
    };
    assert!(advice(&config).contains("channel id `im_private`"));
    config.channels.xiaomi.as_mut().unwrap().channel_id = None;
    assert!(advice(&config).contains("default (public) class"));
}

#[test]
fn the_report_never_carries_the_user_id() {
    let config = example();
    let device = DeviceInfo::ios(ApnsEnvironment::Development);
    let mut state = registered(&device, &config);
    state.business_id = config.apns.production_business_id;
    state.user_id = Some("alice-0042".into());
    let report = diagnose_device(&device, &config, Some(&state));
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains("alice"), "{json}");
}

/// The sample device files in docs/examples/devices are what the CLI
/// and support engineers start from: each parses and lands on the channel
/// its name says.
#[test]
fn sample_device_files_parse_and_choose_their_channel() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/devices");
    let config = example();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let device: DeviceInfo =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = diagnose_device(&device, &config, None);
        let expected = match name.split('-').next().unwrap() {
            "iphone" => PushChannel::Apns,
            "pixel" => PushChannel::Fcm,
            other => other.parse().unwrap(),
        };
        assert_eq!(report.channel, Some(expected), "{name}");
        let errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code.as_str())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        if device.os == DeviceOs::Android {
            assert!(device.sdk_int >= 26, "{name}: samples are Android 8+");
        }
        seen += 1;
    }
    assert!(seen >= 9, "only {seen} sample devices");
}

#[test]
fn the_facade_diagnoses_with_its_own_config_and_live_state() {
    let tmp = tempfile::tempdir().unwrap();
    let mut config = example();
    config.channels.oppo.as_mut().unwrap().channel_id = None;
    let core = crate::PushCore::new(config, tmp.path().display().to_string()).unwrap();
    let report = core.diagnose(DeviceInfo::android("OPPO", "OPPO"));
    assert!(report.state_checked);
    let found = codes(&report);
    // Registration was never started, so the live state is "logged out".
    assert!(found.contains(&"not_logged_in"), "{found:?}");
    assert!(found.contains(&"oppo_channel_id_required"), "{found:?}");
}

#[test]
fn device_and_state_json_use_snake_case_and_reject_typos() {
    let device: DeviceInfo = serde_json::from_str(
        r#"{"os":"ios","brand":"apple","manufacturer":"apple","sdk_int":0,
            "notifications_enabled":false,"apns_environment":"development"}"#,
    )
    .unwrap();
    assert_eq!(device.apns_environment, Some(ApnsEnvironment::Development));
    assert!(device.rom_properties.is_empty() && !device.play_services_available);
    let typo = r#"{"os":"android","brand":"x","manufacturer":"x","sdk_int":30,
                  "notifications_enabled":true,"play_service_available":true}"#;
    assert!(serde_json::from_str::<DeviceInfo>(typo).is_err());
    let state: RegistrationState =
        serde_json::from_str(r#"{"phase":"waiting_to_retry","channel":"oppo"}"#).unwrap();
    assert_eq!(state.phase, RegistrationPhase::WaitingToRetry);
    assert_eq!(state.channel, Some(PushChannel::Oppo));
    let back: RegistrationState =
        serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
    assert_eq!(back, state);
}

#[test]
fn config_problems_keep_their_field_path_in_the_fix() {
    let report = diagnose_device(
        &DeviceInfo::android("samsung", "samsung"),
        &PushConfig::default(),
        None,
    );
    let invalid: Vec<_> = report.with_code(FindingCode::InvalidConfig).collect();
    assert_eq!(invalid.len(), 1, "{:#?}", report.findings);
    assert!(invalid[0]
        .message
        .starts_with("channels: no push channel is configured"));
    assert_eq!(invalid[0].fix, "Correct channels as the message says.");
}

#[test]
fn a_new_honor_phone_without_honor_configured_falls_back_to_hms() {
    let mut config = example();
    config.channels.honor = None;
    let mut device = with_props(
        DeviceInfo::android("HONOR", "HONOR"),
        &[("msc.config.magic.version", "7.2.0")],
    );
    device.hms_available = true;
    let report = diagnose_device(&device, &config, None);
    assert_eq!(report.channel, Some(PushChannel::Huawei));
    let found: Vec<_> = report
        .with_code(FindingCode::MissingVendorCredentials)
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(found[0]
        .message
        .contains("channels.honor is not configured"));
    assert!(
        found[0].message.ends_with("falls back to huawei."),
        "{}",
        found[0].message
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const BRANDS: &[&str] = &[
        "xiaomi", "redmi", "huawei", "honor", "oppo", "realme", "oneplus", "vivo", "iqoo", "meizu",
        "samsung", "google", "apple", "",
    ];
    const PHASES: [RegistrationPhase; 8] = [
        RegistrationPhase::LoggedOut,
        RegistrationPhase::ChoosingChannel,
        RegistrationPhase::RequestingToken,
        RegistrationPhase::Reporting,
        RegistrationPhase::Registered,
        RegistrationPhase::WaitingToRetry,
        RegistrationPhase::Failed,
        RegistrationPhase::NoChannel,
    ];

    prop_compose! {
        fn any_device()(
            ios in any::<bool>(),
            brand in prop::sample::select(BRANDS),
            maker in prop::sample::select(BRANDS),
            sdk_int in 0u32..40,
            play in any::<bool>(),
            hms in any::<bool>(),
            notifications in any::<bool>(),
            environment in prop::option::of(prop::bool::ANY),
        ) -> DeviceInfo {
            let mut d = if ios {
                DeviceInfo::ios(ApnsEnvironment::Production)
            } else {
                DeviceInfo::android(brand, maker)
            };
            d.sdk_int = sdk_int;
            d.play_services_available = play;
            d.hms_available = hms;
            d.notifications_enabled = notifications;
            d.apns_environment = environment.map(|dev| {
                if dev { ApnsEnvironment::Development } else { ApnsEnvironment::Production }
            });
            d
        }
    }

    prop_compose! {
        fn any_config()(
            dropped in prop::collection::vec(any::<bool>(), 7),
            no_channel_ids in any::<bool>(),
            international in any::<bool>(),
            same_apns_ids in any::<bool>(),
        ) -> PushConfig {
            let mut c = example();
            let ch = &mut c.channels;
            let slots = [
                &mut ch.xiaomi, &mut ch.huawei, &mut ch.honor, &mut ch.oppo,
                &mut ch.vivo, &mut ch.meizu, &mut ch.fcm,
            ];
            for (slot, drop) in slots.into_iter().zip(dropped) {
                if drop {
                    *slot = None;
                } else if let (Some(creds), true) = (slot.as_mut(), no_channel_ids) {
                    creds.channel_id = None;
                }
            }
            c.international = international;
            if same_apns_ids {
                c.apns.development_business_id = c.apns.production_business_id;
            }
            c
        }
    }

    prop_compose! {
        fn any_state()(
            phase in prop::sample::select(&PHASES[..]),
            failed_step in prop::sample::select(&PHASES[..]),
            business_id in prop::option::of(prop::sample::select(&[10004u64, 30001, 30002, 7][..])),
            with_error in any::<bool>(),
        ) -> RegistrationState {
            let mut s = failed_at(phase, failed_step);
            s.business_id = business_id;
            s.channel = None;
            if !with_error {
                s.last_error = None;
            }
            s
        }
    }

    proptest! {
        /// Whatever the device, config and state: no panic, errors first,
        /// only known codes, the channel is the registration module's
        /// choice, and "no channel" and the channel advice exclude each
        /// other.
        #[test]
        fn reports_are_consistent(
            device in any_device(),
            config in any_config(),
            state in prop::option::of(any_state()),
        ) {
            let report = diagnose_device(&device, &config, state.as_ref());
            let choice = crate::registration::select::choose_push_channel(config.clone(), device.clone());
            prop_assert_eq!(report.channel, choice.channel);
            prop_assert_eq!(report.business_id, choice.business_id);
            let known: Vec<_> = FindingCode::ALL.map(|c| c.as_str()).into();
            for pair in report.findings.windows(2) {
                prop_assert!(pair[0].severity <= pair[1].severity);
            }
            for f in &report.findings {
                prop_assert!(known.contains(&f.code.as_str()), "unknown code {}", f.code);
                prop_assert!(!f.message.is_empty() && !f.fix.is_empty());
            }
            let no_channel = report.with_code(FindingCode::NoChannelAvailable).count();
            let redirect = report.with_code(FindingCode::RedirectConfigAdvice).count();
            prop_assert_eq!(no_channel, usize::from(report.channel.is_none()));
            prop_assert_eq!(redirect, usize::from(report.channel.is_some()));
            prop_assert_eq!(report.has_errors(), report.findings.iter().any(|f| f.severity == Severity::Error));
            if state.is_none() {
                prop_assert_eq!(report.with_code(FindingCode::NotLoggedIn).count(), 0);
            }
        }
    }
}
