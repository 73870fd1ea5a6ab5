//! The traits the app implements in Kotlin or Swift, and the adapters that
//! hand them to the internals. Registration and logging call plain-Rust
//! traits of the same names (`registration::traits`, `logging`); these
//! exported twins keep the names and methods the bindings have always had,
//! and each adapter wraps one in the internal trait, mapping a thrown
//! `PushError` to the internal error once, here.
//!
//! Rust callers whose implementations are the internal traits (the CLI's
//! demo, tests, benches) skip the adapters: see
//! `PushCore::start_registration_with`.

use crate::channel::PushChannel;
use crate::config::VendorCredentials;
use crate::error::PushError;
use crate::logging::{self, LogRecord};
use crate::registration::{
    self, CallError, DeviceInfo, RegistrationError, RegistrationState, TokenClear, TokenReport,
};
use std::sync::Arc;

/// A foreign trait implementation (Kotlin or Swift) threw something that is
/// not a `PushError`. UniFFI needs this conversion for callback interfaces.
impl From<uniffi::UnexpectedUniFFICallbackError> for PushError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        PushError::Platform {
            reason: format!("unexpected error from the app's callback: {}", e.reason),
        }
    }
}

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

/// Implemented by the app (Kotlin or Swift) to receive the core's logs.
/// Called on whatever thread logged; implementations must be quick and must
/// not call back into `set_log_forwarder`.
#[uniffi::export(with_foreign)]
pub trait LogForwarder: Send + Sync {
    fn log(&self, record: LogRecord);
}

/// The app's platform as registration calls it.
pub(super) struct Platform(pub Arc<dyn PushPlatform>);

#[async_trait::async_trait]
impl registration::PushPlatform for Platform {
    fn device_info(&self) -> Result<DeviceInfo, CallError> {
        Ok(self.0.device_info()?)
    }

    async fn request_token(
        &self,
        channel: PushChannel,
        credentials: VendorCredentials,
    ) -> Result<String, CallError> {
        Ok(self.0.request_token(channel, credentials).await?)
    }

    async fn unregister(&self, channel: PushChannel) -> Result<(), CallError> {
        Ok(self.0.unregister(channel).await?)
    }
}

/// The app's reporter as registration calls it.
pub(super) struct Reporter(pub Arc<dyn TokenReporter>);

#[async_trait::async_trait]
impl registration::TokenReporter for Reporter {
    async fn report(&self, report: TokenReport) -> Result<(), CallError> {
        Ok(self.0.report(report).await?)
    }

    async fn clear(&self, clear: TokenClear) -> Result<(), CallError> {
        Ok(self.0.clear(clear).await?)
    }
}

/// The app's listener as registration calls it.
pub(super) struct Listener(pub Arc<dyn PushListener>);

impl registration::PushListener for Listener {
    fn on_state_changed(&self, state: RegistrationState) {
        self.0.on_state_changed(state)
    }

    fn on_error(&self, error: RegistrationError) {
        self.0.on_error(error)
    }
}

/// The app's log forwarder as the logger calls it.
pub(super) struct Forwarder(pub Arc<dyn LogForwarder>);

impl logging::LogForwarder for Forwarder {
    fn log(&self, record: LogRecord) {
        self.0.log(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// An app platform and reporter that throw what they are given.
    struct Throwing(PushError);

    #[async_trait::async_trait]
    impl PushPlatform for Throwing {
        fn device_info(&self) -> Result<DeviceInfo, PushError> {
            Err(self.0.clone())
        }
        async fn request_token(
            &self,
            _: PushChannel,
            _: VendorCredentials,
        ) -> Result<String, PushError> {
            Err(self.0.clone())
        }
        async fn unregister(&self, _: PushChannel) -> Result<(), PushError> {
            Err(self.0.clone())
        }
    }

    #[async_trait::async_trait]
    impl TokenReporter for Throwing {
        async fn report(&self, _: TokenReport) -> Result<(), PushError> {
            Err(self.0.clone())
        }
        async fn clear(&self, _: TokenClear) -> Result<(), PushError> {
            Err(self.0.clone())
        }
    }

    #[tokio::test]
    async fn what_the_app_throws_reaches_registration_with_its_code_and_message() {
        use registration::{PushPlatform as _, TokenReporter as _};
        let thrown = [
            PushError::Platform {
                reason: "sdk down".into(),
            },
            PushError::Timeout {
                reason: "slow".into(),
            },
            PushError::InvalidState {
                reason: "not logged in".into(),
            },
            PushError::from(uniffi::UnexpectedUniFFICallbackError {
                reason: "RuntimeException".into(),
            }),
        ];
        for error in thrown {
            let app = Arc::new(Throwing(error.clone()));
            let platform = Platform(app.clone());
            let reporter = Reporter(app);
            let clear = TokenClear {
                user_id: "u".into(),
                sequence: 1,
            };
            let results = [
                platform.device_info().map(drop),
                platform.unregister(PushChannel::Fcm).await,
                reporter.clear(clear).await,
            ];
            for result in results {
                let seen = PushError::from(result.unwrap_err());
                assert_eq!(seen, error);
            }
        }
    }

    #[test]
    fn an_unexpected_throw_is_a_platform_error_naming_it() {
        let error = PushError::from(uniffi::UnexpectedUniFFICallbackError {
            reason: "IllegalStateException: boom".into(),
        });
        assert_eq!(error.code(), "platform");
        assert!(error.message().contains("IllegalStateException: boom"));
    }

    struct Collect(Mutex<Vec<LogRecord>>);
    impl LogForwarder for Collect {
        fn log(&self, record: LogRecord) {
            self.0.lock().unwrap().push(record);
        }
    }

    #[test]
    fn the_forwarder_adapter_passes_each_record_to_the_apps_forwarder() {
        use logging::LogForwarder as _;
        let app = Arc::new(Collect(Mutex::new(Vec::new())));
        let record = LogRecord {
            level: logging::LogLevel::Warn,
            target: "pushcore::t".into(),
            message: "m".into(),
        };
        Forwarder(app.clone()).log(record.clone());
        assert_eq!(*app.0.lock().unwrap(), vec![record]);
    }
}
