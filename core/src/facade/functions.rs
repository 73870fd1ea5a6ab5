//! The exported free functions: each a one-line delegate to the internal
//! module that owns it, so the internals stay plain Rust and this file is
//! the whole list of what the bindings get besides `PushCore`.

use super::errors::handled;
use super::foreign::{Forwarder, LogForwarder};
use crate::channel::PushChannel;
use crate::config::{AllowedUrl, PushConfig};
use crate::diagnostics::badge::BadgeMethod;
use crate::diagnostics::{self, DiagnosisReport};
use crate::error::PushError;
use crate::logging::{self, LogLevel};
use crate::outbound::{self, BuildPushResult, OutboundMessage};
use crate::payload::{self, ClickInput, NormalizedNotification};
use crate::registration::{self, ChannelChoice, DeviceInfo, RegistrationState};
use crate::routing::{self, Route};
use std::sync::Arc;

/// The version of the native library, usable before any `PushCore` exists
/// (for instance to check that the bindings and the library match).
#[uniffi::export]
pub fn core_version() -> String {
    crate::VERSION.to_string()
}

/// The channel name, exported for apps that want to show or store it.
#[uniffi::export]
pub fn push_channel_name(channel: PushChannel) -> String {
    channel.as_str().to_string()
}

/// The stable snake_case code of an error (`invalid_input`, `too_large`,
/// `storage`...), so Kotlin and Swift log and branch on the same codes as
/// the CLI without keeping their own copy of the mapping.
#[uniffi::export]
pub fn push_error_code(error: PushError) -> String {
    error.code().to_string()
}

/// Installs (or, with `None`, removes) the app's log forwarder and sets the
/// most verbose level that is forwarded. Records above that level are
/// filtered before they are formatted, so a quiet level costs nearly nothing.
#[uniffi::export]
pub fn set_log_forwarder(forwarder: Option<Arc<dyn LogForwarder>>, level: LogLevel) {
    let forwarder = forwarder.map(|f| Arc::new(Forwarder(f)) as Arc<dyn logging::LogForwarder>);
    logging::set_log_forwarder(forwarder, level)
}

/// Parses a JSON configuration (the same format as the example file) and
/// validates it.
///
/// # Errors
/// `invalid_input` when the JSON is unreadable or has unknown keys;
/// `invalid_config` listing every problem (with its field path) of a
/// readable but invalid configuration.
#[uniffi::export]
pub fn push_config_from_json(json: String) -> Result<PushConfig, PushError> {
    handled(
        "push_config_from_json",
        crate::config::push_config_from_json(json),
    )
}

/// Every problem in a configuration, with field paths; empty when valid.
#[uniffi::export]
pub fn validate_push_config(config: PushConfig) -> Vec<String> {
    config.problems()
}

/// The channel `PushCore.startRegistration` would use for this device and
/// config.
#[uniffi::export]
pub fn choose_push_channel(config: PushConfig, device: DeviceInfo) -> ChannelChoice {
    registration::select::choose_push_channel(config, device)
}

/// Parses a [`ClickInput`].
///
/// # Errors
/// `invalid_input` (unreadable JSON, a bad data URI), `too_large` (over the
/// payload limits), `no_push_payload` (no `ext` where the channel puts it),
/// `invalid_ext` (the ext misses what routing needs).
#[uniffi::export]
pub fn parse_click_input(input: ClickInput) -> Result<NormalizedNotification, PushError> {
    handled("parse_click_input", payload::parse_click(input))
}

/// Builds a [`ClickInput`] from the CLI's JSON form (see `pushcore parse`).
///
/// # Errors
/// `invalid_input` when the JSON is not that form, `too_large` over the
/// payload limits.
#[uniffi::export]
pub fn click_input_from_json(json: String) -> Result<ClickInput, PushError> {
    handled(
        "click_input_from_json",
        payload::click_input_from_json(&json),
    )
}

/// Chooses the destination for a tap against an explicit allow-list (the
/// `PushCore.route` method uses the configured one).
#[uniffi::export]
pub fn route_notification(
    notification: NormalizedNotification,
    url_allow_list: Vec<AllowedUrl>,
) -> Route {
    routing::route(&notification, &url_allow_list)
}

/// Builds a message's offline push options and ext, the REST
/// `OfflinePushInfo` JSON, and the findings for every channel. Findings do
/// not make it fail.
///
/// # Errors
/// `invalid_input` for unreadable input (empty sender, `options.ext` not a
/// JSON object, a call whose chat type and group disagree).
#[uniffi::export]
pub fn build_push(message: OutboundMessage) -> Result<BuildPushResult, PushError> {
    handled("build_push", outbound::build_push(message))
}

/// What `channel` hands the app when the user taps this message's
/// notification, as the JSON tap input the parser reads. A test tool.
///
/// # Errors
/// `invalid_input` for the same unreadable input as `build_push`.
#[uniffi::export]
pub fn simulate_delivery(
    message: OutboundMessage,
    channel: PushChannel,
) -> Result<String, PushError> {
    handled(
        "simulate_delivery",
        outbound::simulate_delivery(message, channel),
    )
}

/// Reads a message in its JSON form (the CLI's input format).
///
/// # Errors
/// `invalid_input` when the JSON is unreadable or not a message.
#[uniffi::export]
pub fn outbound_message_from_json(json: String) -> Result<OutboundMessage, PushError> {
    handled(
        "outbound_message_from_json",
        outbound::outbound_message_from_json(json),
    )
}

/// Why pushes may not arrive on `device` under `config`: findings with
/// fixes, errors first. Pass the registration state when known; without it
/// the login and token checks are skipped.
#[uniffi::export]
pub fn diagnose(
    device: DeviceInfo,
    config: PushConfig,
    state: Option<RegistrationState>,
) -> DiagnosisReport {
    diagnostics::diagnose_device(&device, &config, state.as_ref())
}

/// How the app icon badge is set on `device` (the per-vendor launcher
/// APIs, `Notification.setNumber`, or iOS `setBadgeCount`): the Android
/// platform layer picks its badge adapter by it; `diagnose` reports it too.
#[uniffi::export]
pub fn badge_method(device: DeviceInfo) -> BadgeMethod {
    diagnostics::badge::badge_method(&device)
}

/// The report as readable text, for support tickets and logs.
#[uniffi::export]
pub fn diagnosis_report_text(report: DiagnosisReport) -> String {
    diagnostics::render_text(&report)
}
