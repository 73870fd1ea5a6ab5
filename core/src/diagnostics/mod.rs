//! Troubleshooting as code: most "I do not receive pushes" reports are a
//! configuration or device-state mistake (push-facts.md sections 2, 7 and
//! 8). [`diagnose`] looks at the device, the configuration and, when known,
//! the registration state, and answers with findings a support engineer can
//! act on: what is wrong, and how to fix it.
//!
//! It decides nothing on its own: the channel comes from the registration
//! module's [`choose_channel`], configuration problems from
//! [`PushConfig::problems`]. Quotas and tap set-up are advice text only,
//! because vendors change them often (push-facts.md section 7).

mod advice;
pub mod badge;
mod checks;
#[cfg(test)]
mod tests;
mod text;

use crate::channel::PushChannel;
use crate::config::PushConfig;
use crate::registration::{choose_channel, Choice, DeviceInfo, RegistrationState};
use serde::{Deserialize, Serialize};

pub use text::render_text;

/// How urgent a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, uniffi::Enum,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Pushes cannot arrive (or cannot be shown) until this is fixed.
    Error,
    /// Pushes may be late, lost on some devices, or registration is still
    /// in progress.
    Warning,
    /// Nothing is wrong; set-up advice for the chosen channel.
    Advice,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }
}

/// One thing found, with its stable machine code (see [`FindingCode`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    /// What is wrong, for this device and configuration.
    pub message: String,
    /// What to change, and where.
    pub fix: String,
}

/// Everything [`diagnose`] found, errors first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct DiagnosisReport {
    /// The channel registration would use; `None`: no usable channel.
    pub channel: Option<PushChannel>,
    pub business_id: Option<u64>,
    /// Why that channel (or why none), from the channel choice.
    pub channel_reason: String,
    /// Whether a registration state was given; without one the login and
    /// token checks are skipped.
    pub state_checked: bool,
    pub findings: Vec<Finding>,
}

impl DiagnosisReport {
    /// Findings of one code, for callers and tests that branch on codes.
    pub fn with_code(&self, code: FindingCode) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.code == code.as_str())
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// The finding codes. The string form ([`FindingCode::as_str`]) is what
/// reports carry; it is stable, so apps and scripts may branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingCode {
    /// A configuration problem with no more specific code.
    InvalidConfig,
    NotLoggedIn,
    NoChannelAvailable,
    MissingBusinessId,
    MissingVendorCredentials,
    OppoChannelIdRequired,
    NotificationsDisabled,
    TokenNotObtained,
    TokenNotReported,
    AbroadIdsMissing,
    ApnsEnvironmentMismatch,
    VendorQuotaAdvice,
    RedirectConfigAdvice,
    BadgeMethodAdvice,
}

impl FindingCode {
    pub const ALL: [FindingCode; 14] = [
        FindingCode::InvalidConfig,
        FindingCode::NotLoggedIn,
        FindingCode::NoChannelAvailable,
        FindingCode::MissingBusinessId,
        FindingCode::MissingVendorCredentials,
        FindingCode::OppoChannelIdRequired,
        FindingCode::NotificationsDisabled,
        FindingCode::TokenNotObtained,
        FindingCode::TokenNotReported,
        FindingCode::AbroadIdsMissing,
        FindingCode::ApnsEnvironmentMismatch,
        FindingCode::VendorQuotaAdvice,
        FindingCode::RedirectConfigAdvice,
        FindingCode::BadgeMethodAdvice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::InvalidConfig => "invalid_config",
            FindingCode::NotLoggedIn => "not_logged_in",
            FindingCode::NoChannelAvailable => "no_channel_available",
            FindingCode::MissingBusinessId => "missing_business_id",
            FindingCode::MissingVendorCredentials => "missing_vendor_credentials",
            FindingCode::OppoChannelIdRequired => "oppo_channel_id_required",
            FindingCode::NotificationsDisabled => "notifications_disabled",
            FindingCode::TokenNotObtained => "token_not_obtained",
            FindingCode::TokenNotReported => "token_not_reported",
            FindingCode::AbroadIdsMissing => "abroad_ids_missing",
            FindingCode::ApnsEnvironmentMismatch => "apns_environment_mismatch",
            FindingCode::VendorQuotaAdvice => "vendor_quota_advice",
            FindingCode::RedirectConfigAdvice => "redirect_config_advice",
            FindingCode::BadgeMethodAdvice => "badge_method_advice",
        }
    }
}

/// Diagnoses a device under a configuration (see the module docs).
/// `state` is the registration state if known (`PushCore.registrationState()`
/// on the device, or a support ticket's copy of it).
pub fn diagnose_device(
    device: &DeviceInfo,
    config: &PushConfig,
    state: Option<&RegistrationState>,
) -> DiagnosisReport {
    let choice = choose_channel(device, config);
    let mut findings = checks::run(device, config, state, &choice);
    // Errors first; the checks' order is kept within a severity.
    findings.sort_by_key(|f| f.severity);
    let (channel, business_id, channel_reason) = match choice {
        Choice::Use(s) => (Some(s.channel), Some(s.business_id), s.reason),
        Choice::NoChannel { reason } => (None, None, reason),
    };
    DiagnosisReport {
        channel,
        business_id,
        channel_reason,
        state_checked: state.is_some(),
        findings,
    }
}
