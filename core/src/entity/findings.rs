//! What a tap carried that the core could not use and dropped.
//!
//! Only the fields routing needs may reject a tap (docs/taps.md lists them);
//! a malformed optional field is dropped instead, and each drop becomes a
//! [`PayloadFinding`]: on the normalized notification, so the app and
//! support can see it, and in a warning log line. A finding names the field
//! and the problem, never the value, which may hold personal data.

use crate::logging::redact;
use serde::Serialize;

/// One dropped field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, uniffi::Record)]
pub struct PayloadFinding {
    /// Where it was: `entity.customData`, `timPushFeatures.fcmPushType`,
    /// `entity.content.call_type`, `ext.<app key>`, `extras._push_msgid`.
    pub field: String,
    /// What was wrong with it, without its value.
    pub problem: String,
}

/// Collects findings as a tap is read.
#[derive(Debug, Default)]
pub struct Findings(Vec<PayloadFinding>);

impl Findings {
    /// Records that `field` was dropped because of `problem`.
    pub fn dropped(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        let finding = PayloadFinding {
            field: field.into(),
            problem: problem.into(),
        };
        // App key names are the app's own and may embed ids: redacted.
        log::warn!(
            target: "pushcore::payload",
            "tap field dropped: {} ({})",
            redact_app_key(&finding.field),
            finding.problem
        );
        self.0.push(finding);
    }

    pub fn into_vec(self) -> Vec<PayloadFinding> {
        self.0
    }
}

/// `ext.<key>` with the key redacted; the core's own field names as they are.
fn redact_app_key(field: &str) -> String {
    match field.strip_prefix("ext.") {
        Some(key) => format!("ext.{}", redact(key)),
        None => field.to_string(),
    }
}
