//! The registration state the app can query and observe.

use crate::channel::PushChannel;
use crate::logging::redact;
use serde::{Deserialize, Serialize};

/// Why the IM session ended. Only a proactive logout clears the token at
/// the backend: after a kick-out or an expired signature that session is
/// already gone and a clear would hit whoever is logged in now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum LogoutReason {
    Proactive,
    KickedOffline,
    SignatureExpired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationPhase {
    LoggedOut,
    ChoosingChannel,
    RequestingToken,
    Reporting,
    /// The token is reported for the logged-in user.
    Registered,
    /// A step failed; it is retried when the backoff timer fires, or at
    /// once on app foreground or network-back.
    WaitingToRetry,
    /// `retry.max_attempts` failures in a row; retried on login, app
    /// foreground, network-back or a new token.
    Failed,
    /// The device has no usable channel under this config.
    NoChannel,
    /// `shutdown()` was called: the core does nothing more. Clears not yet
    /// confirmed are kept in the store and resumed by the next start.
    ShutDown,
}

impl RegistrationPhase {
    /// Phases that a repeated login, the app coming to the foreground or
    /// the network coming back restart at once instead of waiting for the
    /// backoff timer (or for nothing, once attempts are exhausted).
    pub fn retries_on_wake(self) -> bool {
        matches!(
            self,
            RegistrationPhase::WaitingToRetry
                | RegistrationPhase::Failed
                | RegistrationPhase::NoChannel
        )
    }

    /// Settled phases are where the core waits for the app, not for a
    /// timer or a call in flight.
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            RegistrationPhase::LoggedOut
                | RegistrationPhase::Registered
                | RegistrationPhase::Failed
                | RegistrationPhase::NoChannel
                | RegistrationPhase::ShutDown
        )
    }
}

/// A failure the app may show or log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct RegistrationError {
    /// A `PushError` code (`platform`, `timeout`...).
    pub code: String,
    pub message: String,
    /// The phase that failed.
    pub phase: RegistrationPhase,
    /// Failures in a row, this one included.
    pub attempt: u32,
    /// Whether a retry is scheduled.
    pub will_retry: bool,
}

/// Also read from JSON (the CLI's state files): everything but `phase` may
/// be left out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct RegistrationState {
    pub phase: RegistrationPhase,
    /// The app's own user id, returned as given; the core logs it redacted.
    pub user_id: Option<String>,
    pub channel: Option<PushChannel>,
    pub business_id: Option<u64>,
    /// Sequence number of the last login or logout the core has applied;
    /// lets a waiter tell a state from before its call from one after.
    #[serde(default)]
    pub session: u64,
    /// Failures in a row in this session.
    #[serde(default)]
    pub attempt: u32,
    pub last_error: Option<RegistrationError>,
    /// Why there is no channel (phase `NoChannel`).
    pub no_channel_reason: Option<String>,
    /// Copied from the device info when the channel was chosen.
    pub notifications_enabled: Option<bool>,
    /// A proactive logout's clear is queued or running; an app should wait
    /// for it before ending the IM session.
    #[serde(default)]
    pub clearing: bool,
    /// Clears of ended sessions the backend has not confirmed yet, kept in
    /// the store and retried with backoff (also after a restart).
    #[serde(default)]
    #[uniffi(default = 0)]
    pub pending_clears: u32,
}

impl RegistrationState {
    pub fn logged_out(session: u64) -> Self {
        RegistrationState {
            phase: RegistrationPhase::LoggedOut,
            user_id: None,
            channel: None,
            business_id: None,
            session,
            attempt: 0,
            last_error: None,
            no_channel_reason: None,
            notifications_enabled: None,
            clearing: false,
            pending_clears: 0,
        }
    }

    /// Settled: the core waits for the app, not for a timer, a call in
    /// flight or a pending clear.
    pub fn is_settled(&self) -> bool {
        self.phase.is_settled() && !self.clearing
    }
}

impl std::fmt::Debug for RegistrationState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistrationState")
            .field("phase", &self.phase)
            .field("user_id", &self.user_id.as_deref().map(redact))
            .field("channel", &self.channel)
            .field("business_id", &self.business_id)
            .field("session", &self.session)
            .field("attempt", &self.attempt)
            .field("last_error", &self.last_error)
            .field("clearing", &self.clearing)
            .field("pending_clears", &self.pending_clears)
            .finish()
    }
}
