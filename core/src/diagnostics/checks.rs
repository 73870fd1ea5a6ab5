//! The checks behind [`super::diagnose_device`], one function per concern.
//! Each appends findings; none of them decides a channel or validates the
//! configuration itself.

use super::advice;
use super::{Finding, FindingCode, Severity};
use crate::channel::PushChannel;
use crate::config::{PushConfig, VendorCredentials};
use crate::registration::{
    choose_channel, ApnsEnvironment, Choice, DeviceInfo, DeviceOs, RegistrationPhase,
    RegistrationState,
};

/// Android 8 (API 26): from here on OPPO shows nothing without a channel id.
const ANDROID_O_SDK: u32 = 26;

#[derive(Default)]
struct Findings {
    items: Vec<Finding>,
    /// Field paths already reported, so one missing id is one finding even
    /// when two checks see it.
    paths: Vec<String>,
}

impl Findings {
    fn add(&mut self, code: FindingCode, severity: Severity, message: String, fix: String) {
        self.items.push(Finding {
            code: code.as_str().to_string(),
            severity,
            message,
            fix,
        });
    }
}

pub(super) fn run(
    device: &DeviceInfo,
    config: &PushConfig,
    state: Option<&RegistrationState>,
    choice: &Choice,
) -> Vec<Finding> {
    let mut f = Findings::default();
    config_problems(config, &mut f);
    channel_choice(device, config, choice, &mut f);
    if let Choice::Use(selection) = choice {
        oppo_channel_id(device, selection.channel, &selection.credentials, &mut f);
    }
    apns_ids(device, config, state, &mut f);
    if !device.notifications_enabled {
        f.add(
            FindingCode::NotificationsDisabled,
            Severity::Error,
            "The user has turned notifications off for this app: pushes arrive but nothing is shown.".into(),
            "Explain why notifications matter and open the system notification settings (Android 13+: request POST_NOTIFICATIONS; iOS: requestAuthorization). Registration keeps going, so pushes show as soon as they are allowed.".into(),
        );
    }
    if let Some(state) = state {
        session(state, &mut f);
    }
    if let Choice::Use(selection) = choice {
        let (quota, redirect) = (
            advice::quota(selection.channel, &selection.credentials),
            advice::redirect(selection.channel, config),
        );
        if let Some((message, fix)) = quota {
            f.add(
                FindingCode::VendorQuotaAdvice,
                Severity::Advice,
                message,
                fix,
            );
        }
        let (message, fix) = redirect;
        f.add(
            FindingCode::RedirectConfigAdvice,
            Severity::Advice,
            message,
            fix,
        );
        let (message, fix) = super::badge::badge_method(device).advice();
        f.add(
            FindingCode::BadgeMethodAdvice,
            Severity::Advice,
            message.into(),
            fix.into(),
        );
    }
    f.items
}

/// Every problem `PushConfig::problems` reports, under the most specific
/// code its field path allows. `PushCore::new` refuses such a
/// configuration, so each one is an error whatever the device.
fn config_problems(config: &PushConfig, f: &mut Findings) {
    for problem in config.problems() {
        // The documented contract: each problem starts with its field path.
        let path = problem
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches(':')
            .to_string();
        let field = path.rsplit('.').next().unwrap_or("");
        let consequence = "PushCore refuses this configuration, so no device registers";
        let (code, fix) = if field == "abroad_business_id" {
            (
                FindingCode::AbroadIdsMissing,
                format!("International builds report the \"abroad\" ids: upload the vendor certificate to the IM console's international site and put the id it shows in {path}, or set `international` to false for a mainland build."),
            )
        } else if field.ends_with("business_id") {
            (
                FindingCode::MissingBusinessId,
                format!("Upload the vendor certificate in the IM console's offline push settings and put the certificate (business) id it shows in {path}."),
            )
        } else if path.starts_with("channels.")
            && matches!(field, "app_id" | "app_key" | "app_secret")
        {
            (
                FindingCode::MissingVendorCredentials,
                format!("Copy the value from the vendor's developer console into {path}. vivo's app id and key and Honor's app id also go into the Android manifest placeholders, or the app does not build."),
            )
        } else {
            (
                FindingCode::InvalidConfig,
                format!("Correct {path} as the message says."),
            )
        };
        f.add(
            code,
            Severity::Error,
            format!("{problem}: {consequence}."),
            fix,
        );
        f.paths.push(path);
    }
}

/// A copy of `config` in which every channel the app left out is
/// configured, so `choose_channel` answers which channel the device itself
/// calls for (its vendor's, or FCM) under the app's preferences.
fn with_every_channel(config: &PushConfig) -> PushConfig {
    let placeholder = || {
        Some(VendorCredentials {
            business_id: Some(1),
            abroad_business_id: Some(1),
            ..Default::default()
        })
    };
    let mut full = config.clone();
    let c = &mut full.channels;
    for slot in [
        &mut c.xiaomi,
        &mut c.huawei,
        &mut c.honor,
        &mut c.oppo,
        &mut c.vivo,
        &mut c.meizu,
        &mut c.fcm,
    ] {
        if slot.is_none() {
            *slot = placeholder();
        }
    }
    full
}

fn channel_choice(device: &DeviceInfo, config: &PushConfig, choice: &Choice, f: &mut Findings) {
    let chosen = match choice {
        Choice::Use(s) => Some(s.channel),
        Choice::NoChannel { .. } => None,
    };
    if device.os == DeviceOs::Android {
        if let Choice::Use(wanted) = choose_channel(device, &with_every_channel(config)) {
            let wanted = wanted.channel;
            if chosen != Some(wanted) && config.channels.get(wanted).is_none() {
                let outcome = match chosen {
                    Some(PushChannel::Fcm) => {
                        "it falls back to fcm, which vendor ROMs often stop in the background"
                            .to_string()
                    }
                    Some(c) => format!("it falls back to {c}"),
                    None => "it has no channel at all".to_string(),
                };
                f.add(
                    FindingCode::MissingVendorCredentials,
                    if chosen.is_some() { Severity::Warning } else { Severity::Error },
                    format!("This device calls for {wanted} push, but channels.{wanted} is not configured, so {outcome}."),
                    format!("Integrate the {wanted} push SDK and add channels.{wanted} with its business id and keys ({}).", advice::required_credentials(wanted)),
                );
            }
        }
    }
    if let Choice::NoChannel { reason } = choice {
        let fix = match device.os {
            DeviceOs::Android => "Integrate and configure the device vendor's push SDK, or FCM for devices with Google Play services. A device with neither gets messages only while the app is connected.",
            DeviceOs::Ios => "Configure apns.development_business_id and apns.production_business_id, and do not list apns in preferences.disabled_channels.",
        };
        f.add(
            FindingCode::NoChannelAvailable,
            Severity::Error,
            format!("No offline push can reach this device: {reason}."),
            fix.into(),
        );
    }
}

fn oppo_channel_id(
    device: &DeviceInfo,
    channel: PushChannel,
    credentials: &VendorCredentials,
    f: &mut Findings,
) {
    let blank = credentials
        .channel_id
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .is_empty();
    if channel == PushChannel::Oppo && device.sdk_int >= ANDROID_O_SDK && blank {
        f.add(
            FindingCode::OppoChannelIdRequired,
            Severity::Error,
            format!("OPPO push on Android 8 or later (SDK {}) shows nothing without a notification channel id, and channels.oppo.channel_id is not set.", device.sdk_int),
            "Register a channel id (for instance \"im\") in the OPPO push console, create a NotificationChannel with the same id in the app at start-up, and set channels.oppo.channel_id to it.".into(),
        );
    }
}

fn apns_business_id(config: &PushConfig, environment: ApnsEnvironment) -> Option<u64> {
    match environment {
        ApnsEnvironment::Development => config.apns.development_business_id,
        ApnsEnvironment::Production => config.apns.production_business_id,
    }
}

fn apns_path(environment: ApnsEnvironment) -> &'static str {
    match environment {
        ApnsEnvironment::Development => "apns.development_business_id",
        ApnsEnvironment::Production => "apns.production_business_id",
    }
}

fn environment_name(environment: ApnsEnvironment) -> &'static str {
    match environment {
        ApnsEnvironment::Development => "development (sandbox)",
        ApnsEnvironment::Production => "production",
    }
}

/// iOS: the build's APNs environment must match the business id its token
/// is reported with. A mismatch is either in the configuration (one id for
/// both environments) or in the state (the token was reported with the
/// other environment's id, as after switching a build's entitlement without
/// logging in again, or with an app that picks the id itself). APNs then
/// rejects every push with "BadDeviceToken" and nothing arrives.
fn apns_ids(
    device: &DeviceInfo,
    config: &PushConfig,
    state: Option<&RegistrationState>,
    f: &mut Findings,
) {
    if device.os != DeviceOs::Ios {
        return;
    }
    let environment = device.apns_environment.unwrap_or_default();
    let other = match environment {
        ApnsEnvironment::Development => ApnsEnvironment::Production,
        ApnsEnvironment::Production => ApnsEnvironment::Development,
    };
    let expected = apns_business_id(config, environment);
    let path = apns_path(environment);
    if expected.is_none() && !f.paths.iter().any(|p| p == path) {
        f.add(
            FindingCode::MissingBusinessId,
            Severity::Error,
            format!("This is a {} build and {path} is not set.", environment_name(environment)),
            format!("Upload the APNs {} certificate in the IM console and put the certificate id it shows in {path}.", environment_name(environment)),
        );
    }
    let fix = format!(
        "A build's APNs environment comes from its aps-environment entitlement: development for builds run from Xcode, production for TestFlight, ad hoc and App Store builds. Pass that environment in DeviceInfo.apns_environment and keep {} and {} pointing at the certificates uploaded for each.",
        apns_path(ApnsEnvironment::Development),
        apns_path(ApnsEnvironment::Production)
    );
    let other_id = apns_business_id(config, other);
    if expected.is_some() && expected == other_id {
        f.add(
            FindingCode::ApnsEnvironmentMismatch,
            Severity::Error,
            format!("The development and production business ids are the same ({}): one of the two builds reports its token with the other environment's certificate.", expected.unwrap_or_default()),
            fix,
        );
        return;
    }
    let reported = state
        .filter(|s| matches!(s.channel, None | Some(PushChannel::Apns)))
        .and_then(|s| s.business_id);
    if let (Some(reported), Some(other_id)) = (reported, other_id) {
        if reported == other_id {
            f.add(
                FindingCode::ApnsEnvironmentMismatch,
                Severity::Error,
                format!("This {} build's token was reported with the {} business id {reported}: APNs rejects its pushes.", environment_name(environment), environment_name(other)),
                fix,
            );
        }
    }
}

/// The login and token checks, from the registration state.
fn session(state: &RegistrationState, f: &mut Findings) {
    use RegistrationPhase as P;
    let error_detail = state
        .last_error
        .as_ref()
        .map(|e| {
            format!(
                " Last error ({}, attempt {}): {}.",
                e.code, e.attempt, e.message
            )
        })
        .unwrap_or_default();
    let failed_step = state.last_error.as_ref().map(|e| e.phase);
    let channel = state.channel.map(|c| c.as_str()).unwrap_or("the vendor");
    let not_obtained_fix = format!(
        "Check that the {channel} SDK starts: its keys match the vendor console and the app's package name and signing certificate; {}",
        advice::token_hint(state.channel)
    );
    let not_reported_fix = "Check the IM SDK is logged in as this user when the token is reported, and that the business id matches the certificate uploaded in the IM console; registration retries on foreground and network-back.".to_string();
    match state.phase {
        P::LoggedOut => f.add(
            FindingCode::NotLoggedIn,
            Severity::Error,
            "No user is logged in to push registration: after a logout, or when forced offline by a login on another device, the IM backend sends no offline push.".into(),
            "Call login(userId) after the IM SDK's login succeeds, and again at every app start while the user is logged in (after start_registration).".into(),
        ),
        P::RequestingToken => f.add(
            FindingCode::TokenNotObtained,
            Severity::Warning,
            format!("The {channel} token has been requested but not received yet.{error_detail}"),
            not_obtained_fix,
        ),
        P::Reporting => f.add(
            FindingCode::TokenNotReported,
            Severity::Warning,
            format!("The token is being reported to the IM backend but the report has not completed.{error_detail}"),
            not_reported_fix,
        ),
        P::WaitingToRetry | P::Failed => {
            let (severity, when) = if state.phase == P::Failed {
                (Severity::Error, "gave up after repeated failures")
            } else {
                (Severity::Warning, "is waiting to retry")
            };
            if failed_step == Some(P::Reporting) {
                f.add(
                    FindingCode::TokenNotReported,
                    severity,
                    format!("Reporting the token to the IM backend {when}.{error_detail}"),
                    not_reported_fix,
                );
            } else {
                f.add(
                    FindingCode::TokenNotObtained,
                    severity,
                    format!("Getting a {channel} token {when}.{error_detail}"),
                    not_obtained_fix,
                );
            }
        }
        // ShutDown: the app stopped registration itself; nothing to diagnose.
        P::ChoosingChannel | P::Registered | P::NoChannel | P::ShutDown => {}
    }
}
