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
    /// does not keep receiving pushes.
    async fn unregister(&self, channel: PushChannel) -> Result<(), PushError>;
}

/// What is reported to the IM backend for the logged-in user.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct TokenReport {
    pub user_id: String,
    pub channel: PushChannel,
    /// The vendor id the IM backend knows the channel by (none for APNs).
    pub vendor_id: Option<u32>,
    pub business_id: u64,
    pub token: String,
}

impl std::fmt::Debug for TokenReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenReport")
            .field("user_id", &crate::logging::redact(&self.user_id))
            .field("channel", &self.channel)
            .field("business_id", &self.business_id)
            .field("token", &crate::logging::redact(&self.token))
            .finish()
    }
}

/// The IM SDK's offline-push configuration calls, made for the session that
/// is logged in when they run.
#[uniffi::export(rust, foreign)]
#[async_trait::async_trait]
pub trait TokenReporter: Send + Sync {
    /// Sets the offline push token and business id of the current session.
    async fn report(&self, report: TokenReport) -> Result<(), PushError>;

    /// Removes the current session's token. Called only on a proactive
    /// logout, before the app ends the IM session.
    async fn clear(&self) -> Result<(), PushError>;
}

/// Receives registration progress for the app's UI and logs. Called on the
/// core's thread: return quickly. Throwing is caught and ignored.
#[uniffi::export(rust, foreign)]
pub trait PushListener: Send + Sync {
    fn on_state_changed(&self, state: RegistrationState);
    fn on_error(&self, error: RegistrationError);
}
