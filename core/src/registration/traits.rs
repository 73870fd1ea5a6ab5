//! The seams registration calls: the app's platform, its IM backend
//! reporter and its listener, as plain Rust traits. The app implements their
//! exported twins (`facade/foreign.rs`, same names and methods), which the
//! facade adapts to these; the simulations in [`super::sim`] and the tests
//! implement these directly. Token requests, reports and clears are async
//! because each is a network round trip or a wait for a vendor SDK callback;
//! the core puts its own deadline around every one of them.

use super::device::DeviceInfo;
use super::state::{RegistrationError, RegistrationState};
use crate::channel::PushChannel;
use crate::config::VendorCredentials;
use crate::error::PushError;

/// How a call into the platform or the reporter failed. Registration turns
/// it into a `RegistrationError` (its public code) and retries with backoff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The vendor SDK, the network or the IM backend failed: the usual
    /// failure, public code `platform`.
    #[error("platform error: {reason}")]
    Platform { reason: String },
    /// The implementation chose another public category (a Kotlin
    /// `PushException` or Swift `PushError` other than `Platform`); kept
    /// whole so the app's listener sees the code the app threw.
    #[error(transparent)]
    Other(PushError),
}

impl CallError {
    /// A [`CallError::Platform`] with `reason`.
    pub fn platform(reason: impl Into<String>) -> Self {
        CallError::Platform {
            reason: reason.into(),
        }
    }
}

impl From<PushError> for CallError {
    fn from(error: PushError) -> Self {
        match error {
            PushError::Platform { reason } => CallError::Platform { reason },
            other => CallError::Other(other),
        }
    }
}

impl From<CallError> for PushError {
    fn from(error: CallError) -> Self {
        match error {
            CallError::Platform { reason } => PushError::Platform { reason },
            CallError::Other(error) => error,
        }
    }
}

/// The device and its push SDKs (see the exported `PushPlatform`).
#[async_trait::async_trait]
pub trait PushPlatform: Send + Sync {
    /// The facts channel choice depends on; quick (cached values).
    fn device_info(&self) -> Result<DeviceInfo, CallError>;

    /// Starts the vendor SDK for `channel` and returns its push token.
    async fn request_token(
        &self,
        channel: PushChannel,
        credentials: VendorCredentials,
    ) -> Result<String, CallError>;

    /// Turns the vendor's push off for this app (after a proactive logout
    /// whose backend clear failed).
    async fn unregister(&self, channel: PushChannel) -> Result<(), CallError>;
}

/// What is reported to the IM backend for the logged-in user.
///
/// `sequence` grows with every report and clear of this installation
/// (persisted across restarts). A backend that keeps, per user and device,
/// the highest sequence it applied and drops anything lower can never apply
/// a late report over a newer clear: see docs/registration.md.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct TokenReport {
    pub user_id: String,
    pub channel: PushChannel,
    /// The vendor id the IM backend knows the channel by (none for APNs).
    pub vendor_id: Option<u32>,
    pub business_id: u64,
    pub token: String,
    /// This report's place in the installation's sequence.
    pub sequence: u64,
}

impl std::fmt::Debug for TokenReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenReport")
            .field("user_id", &crate::logging::redact(&self.user_id))
            .field("channel", &self.channel)
            .field("business_id", &self.business_id)
            .field("token", &crate::logging::redact(&self.token))
            .field("sequence", &self.sequence)
            .finish()
    }
}

/// A proactive logout's request to remove `user_id`'s token from the
/// backend. The same clear may come again (with the same `sequence`) if an
/// attempt failed or timed out, possibly after an app restart and possibly
/// while another user is logged in: clear only `user_id`'s token, never the
/// current session's.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct TokenClear {
    pub user_id: String,
    /// This clear's place in the installation's sequence.
    pub sequence: u64,
}

impl std::fmt::Debug for TokenClear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenClear")
            .field("user_id", &crate::logging::redact(&self.user_id))
            .field("sequence", &self.sequence)
            .finish()
    }
}

/// The IM SDK's offline-push configuration calls (see the exported
/// `TokenReporter`): one at a time, in order, each possibly applied until it
/// returns or its deadline passes.
#[async_trait::async_trait]
pub trait TokenReporter: Send + Sync {
    /// Sets the offline push token and business id of `report.user_id`.
    async fn report(&self, report: TokenReport) -> Result<(), CallError>;

    /// Removes `clear.user_id`'s token (retried until it succeeds).
    async fn clear(&self, clear: TokenClear) -> Result<(), CallError>;
}

/// Receives registration progress (see the exported `PushListener`).
/// Called on the core's thread; a panic is caught and ignored.
pub trait PushListener: Send + Sync {
    fn on_state_changed(&self, state: RegistrationState);
    fn on_error(&self, error: RegistrationError);
}
