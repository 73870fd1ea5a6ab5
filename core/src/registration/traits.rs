//! The seams the app implements in Kotlin or Swift. Token requests, reports
//! and clears are async on the app's side (Kotlin `suspend`, Swift `async`),
//! because each is a network round trip or a wait for a vendor SDK callback;
//! the core puts its own deadline around every one of them.

use super::device::DeviceInfo;
use super::state::{RegistrationError, RegistrationState};
use crate::channel::PushChannel;
use crate::config::VendorCredentials;
use crate::error::PushError;

/// The device and its push SDKs.
#[uniffi::export(rust, foreign)]
#[async_trait::async_trait]
pub trait PushPlatform: Send + Sync {
    /// The facts channel choice depends on. Called on the core's own
    /// thread; keep it quick (cached values).
    fn device_info(&self) -> Result<DeviceInfo, PushError>;

    /// Starts the vendor SDK for `channel` with `credentials` and returns
    /// its push token (for APNs: the device token as hex).
    async fn request_token(
        &self,
        channel: PushChannel,
        credentials: VendorCredentials,
    ) -> Result<String, PushError>;

    /// Turns the vendor's push off for this app. The core calls this after a
    /// proactive logout whose backend clear failed, so a logged-out device
    /// does not keep receiving pushes; only while nobody is logged in and
    /// nobody logged in since that logout, and never while a token request
    /// is running.
    async fn unregister(&self, channel: PushChannel) -> Result<(), PushError>;
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

/// The IM SDK's offline-push configuration calls.
///
/// The core never relies on cancelling one of these: a call counts as
/// possibly applied until it returns or its deadline
/// (`retry.platform_timeout_ms`) passes, and the next call of the lane
/// starts only then. Calls come one at a time, in order.
#[uniffi::export(rust, foreign)]
#[async_trait::async_trait]
pub trait TokenReporter: Send + Sync {
    /// Sets the offline push token and business id of `report.user_id`'s
    /// session.
    async fn report(&self, report: TokenReport) -> Result<(), PushError>;

    /// Removes `clear.user_id`'s token. Called after a proactive logout
    /// (first before the app ends the IM session; retried with backoff if it
    /// fails, also after a restart).
    async fn clear(&self, clear: TokenClear) -> Result<(), PushError>;
}

/// Receives registration progress for the app's UI and logs. Called on the
/// core's thread: return quickly. Throwing is caught and ignored.
#[uniffi::export(rust, foreign)]
pub trait PushListener: Send + Sync {
    fn on_state_changed(&self, state: RegistrationState);
    fn on_error(&self, error: RegistrationError);
}
