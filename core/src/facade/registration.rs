//! Registration on the facade: the app injects its platform, reporter and
//! listener once, then forwards login, logout and device events.

use super::errors::{handled, handled_call};
use super::foreign::{Listener, Platform, PushListener, PushPlatform, Reporter, TokenReporter};
use super::PushCore;
use crate::channel::PushChannel;
use crate::error::PushError;
use crate::registration::actor::Deps;
use crate::registration::backoff::Jitter;
use crate::registration::service::RegistrationService;
use crate::registration::sqlite_store::SqliteStore;
use crate::registration::store::{MemoryStore, RegistrationStore};
use crate::registration::{self, LogoutReason, RegistrationState, Subscription};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The running registration service, if started.
pub(super) type Slot = Mutex<Option<Arc<RegistrationService>>>;

fn not_started() -> PushError {
    PushError::InvalidState {
        reason: "registration is not started: call start_registration first".into(),
    }
}

impl PushCore {
    fn service(&self) -> Result<Arc<RegistrationService>, PushError> {
        let slot = match self.registration.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        slot.clone().ok_or_else(not_started)
    }

    /// `start_registration` for Rust callers whose implementations are the
    /// internal traits (the CLI's demo, tests and benches use the
    /// simulations in `registration::sim`); the exported call wraps the
    /// app's implementations and comes here.
    ///
    /// # Errors
    /// As `start_registration`.
    pub fn start_registration_with(
        &self,
        platform: Arc<dyn registration::PushPlatform>,
        reporter: Arc<dyn registration::TokenReporter>,
        listener: Option<Arc<dyn registration::PushListener>>,
    ) -> Result<(), PushError> {
        handled_call("start_registration", || -> Result<_, PushError> {
            let mut slot = match self.registration.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            if slot.is_some() {
                return Err(PushError::InvalidState {
                    reason: "registration is already started".into(),
                });
            }
            // Probe the shared store now: if it cannot be opened, registration
            // still runs and only forgets across restarts what it reported.
            let store: Box<dyn RegistrationStore> = match self.store.with_conn(|_| Ok(())) {
                Ok(()) => Box::new(SqliteStore::new(self.store.clone())),
                Err(e) => {
                    log::warn!(target: "pushcore::registration", "registration store unavailable, using memory: {e}");
                    Box::new(MemoryStore::default())
                }
            };
            let service = RegistrationService::start(Deps {
                config: self.config.clone(),
                platform,
                reporter,
                listener,
                store,
                jitter: Jitter::from_entropy(),
            })?;
            *slot = Some(Arc::new(service));
            Ok(())
        })
    }
}

/// A subscription made with `add_listener`. Unsubscribing, or dropping the
/// handle (Kotlin `close()`, the last Swift reference going away), ends it.
#[derive(uniffi::Object)]
pub struct ListenerHandle(Subscription);

#[uniffi::export]
impl ListenerHandle {
    /// Ends the subscription: no callback starts after this returns (one
    /// already under way may still finish). Calling it again does nothing.
    pub fn unsubscribe(&self) {
        self.0.unsubscribe()
    }
}

#[uniffi::export]
impl PushCore {
    /// Starts registration with the app's implementations. Starts the
    /// core's one background thread; call once, early (before `login`).
    /// If the database cannot be opened, registration still runs and only
    /// forgets across restarts what it reported (logged as a warning).
    ///
    /// # Errors
    /// `invalid_state` when registration is already started; `internal` when
    /// the core's thread cannot be started.
    pub fn start_registration(
        &self,
        platform: Arc<dyn PushPlatform>,
        reporter: Arc<dyn TokenReporter>,
        listener: Option<Arc<dyn PushListener>>,
    ) -> Result<(), PushError> {
        self.start_registration_with(
            Arc::new(Platform(platform)),
            Arc::new(Reporter(reporter)),
            listener.map(|l| Arc::new(Listener(l)) as Arc<dyn registration::PushListener>),
        )
    }

    /// The IM user logged in (call after the IM SDK's login succeeded, and
    /// again at every app start while logged in).
    ///
    /// # Errors
    /// `invalid_input` for an empty `user_id`; `invalid_state` before
    /// `start_registration` or after `shutdown`.
    pub fn login(&self, user_id: String) -> Result<(), PushError> {
        handled_call("login", || -> Result<_, PushError> {
            if user_id.trim().is_empty() {
                return Err(PushError::InvalidInput {
                    reason: "user_id must not be empty".into(),
                });
            }
            self.ledger_session(Some(&user_id));
            self.service()?.login(user_id)
        })
    }

    /// The IM session ended. For a proactive logout call this before the IM
    /// SDK's logout and wait (`wait_until_settled`) so the token clear
    /// reaches the backend while the session still exists.
    ///
    /// # Errors
    /// `invalid_state` before `start_registration` or after `shutdown`.
    pub fn logout(&self, reason: LogoutReason) -> Result<(), PushError> {
        self.ledger_session(None);
        handled_call("logout", || self.service()?.logout(reason))
    }

    /// The vendor SDK issued a new token (FCM `onNewToken`, HMS
    /// `onNewToken`, APNs registration...), at any moment.
    ///
    /// # Errors
    /// `invalid_input` for an empty token; `invalid_state` before
    /// `start_registration` or after `shutdown`.
    pub fn on_new_token(&self, channel: PushChannel, token: String) -> Result<(), PushError> {
        handled_call("on_new_token", || -> Result<_, PushError> {
            if token.trim().is_empty() {
                return Err(PushError::InvalidInput {
                    reason: "token must not be empty".into(),
                });
            }
            self.service()?.new_token(channel, token)
        })
    }

    /// The app came to the foreground: a failed registration retries now.
    ///
    /// # Errors
    /// `invalid_state` before `start_registration` or after `shutdown`.
    pub fn on_app_foreground(&self) -> Result<(), PushError> {
        handled_call("on_app_foreground", || self.service()?.app_foreground())
    }

    /// Connectivity is back: a failed registration retries now.
    ///
    /// # Errors
    /// `invalid_state` before `start_registration` or after `shutdown`.
    pub fn on_network_available(&self) -> Result<(), PushError> {
        handled_call("on_network_available", || {
            self.service()?.network_available()
        })
    }

    /// The current registration state (logged out before
    /// `start_registration`).
    pub fn registration_state(&self) -> RegistrationState {
        self.service()
            .map(|s| s.state())
            .unwrap_or_else(|_| RegistrationState::logged_out(0))
    }

    /// Subscribes `listener` to the registration state, besides the
    /// listener given to `start_registration` (which keeps working): it gets
    /// the current state at once, then every change and error in order,
    /// until the returned handle is unsubscribed, closed or dropped.
    ///
    /// Unlike the `start_registration` listener it is never called on the
    /// core's thread: each subscriber has its own bounded queue, drained on
    /// the core runtime's shared blocking pool, so a listener that throws or
    /// is slow holds up neither the core nor the other subscribers. One that
    /// falls more than 64 events behind loses its oldest queued events; the
    /// last state it receives is always the current one. After `shutdown` a
    /// new subscriber receives the `ShutDown` state and nothing more.
    ///
    /// # Errors
    /// `invalid_state` before `start_registration`.
    pub fn add_listener(
        &self,
        listener: Arc<dyn PushListener>,
    ) -> Result<Arc<ListenerHandle>, PushError> {
        handled_call("add_listener", || {
            Ok::<_, PushError>(Arc::new(ListenerHandle(
                self.service()?.subscribe(Arc::new(Listener(listener))),
            )))
        })
    }

    /// Diagnostics: how many `add_listener` subscriptions are live (0 before
    /// `start_registration`).
    pub fn registration_listener_count(&self) -> u32 {
        self.service()
            .map(|s| u32::try_from(s.subscriber_count()).unwrap_or(u32::MAX))
            .unwrap_or(0)
    }

    /// Waits until every registration call made before this one (login,
    /// logout, new token, foreground, network) has been applied and its
    /// effect is settled: registered, failed, no channel, or logged out, with
    /// no report or clear queued or running (a report of an ended session
    /// counts as running until it returns or its deadline passes).
    ///
    /// # Errors
    /// `timeout` after `timeout_ms`; `invalid_state` before
    /// `start_registration`, after `shutdown`, or at once when called on the
    /// core's own thread (from inside a listener), where it could never be
    /// answered.
    pub async fn wait_until_settled(
        &self,
        timeout_ms: u64,
    ) -> Result<RegistrationState, PushError> {
        handled(
            "wait_until_settled",
            async {
                let service = self.service()?;
                service
                    .wait_until_settled(Duration::from_millis(timeout_ms))
                    .await
            }
            .await,
        )
    }

    /// Like `wait_until_settled`, and also nothing at all is left to do: no
    /// call into the app running or queued (token requests and unregisters
    /// included) and no clear waiting for a retry.
    ///
    /// # Errors
    /// As `wait_until_settled`.
    pub async fn wait_until_idle(&self, timeout_ms: u64) -> Result<RegistrationState, PushError> {
        handled(
            "wait_until_idle",
            async {
                let service = self.service()?;
                service
                    .wait_until_idle(Duration::from_millis(timeout_ms))
                    .await
            }
            .await,
        )
    }

    /// Waits until the core has handled every registration event sent
    /// before this call (login, logout, token, foreground, network), without
    /// waiting for the calls into the app that they started. Useful in tests
    /// and to confirm that a late token was dropped. Fails with `Timeout`
    /// after `timeout_ms`.
    ///
    /// # Errors
    /// `timeout` after `timeout_ms`; `invalid_state` before
    /// `start_registration` or after `shutdown`.
    pub async fn wait_until_processed(&self, timeout_ms: u64) -> Result<(), PushError> {
        handled(
            "wait_until_processed",
            async {
                let service = self.service()?;
                service
                    .wait_until_processed(Duration::from_millis(timeout_ms))
                    .await
            }
            .await,
        )
    }

    /// Stops registration and its thread within a second, whatever the
    /// app's calls do: calls still running are cancelled, clears not yet
    /// confirmed stay in the store and are resumed at the next start. After
    /// it the state's phase is `ShutDown` and later calls fail with
    /// `InvalidState`. Dropping the core does the same.
    pub fn shutdown(&self) {
        if let Ok(service) = self.service() {
            service.shutdown();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::sim::{SimLog, SimulatedBackend, SimulatedPlatform};
    use crate::registration::{DeviceInfo, RegistrationPhase};

    use crate::config::example_config as example;

    /// A vivo phone and a backend with alice's IM session live.
    fn fakes() -> (SimLog, Arc<SimulatedPlatform>, Arc<SimulatedBackend>) {
        let log = SimLog::default();
        let platform = Arc::new(SimulatedPlatform::new(
            DeviceInfo::android("vivo", "vivo"),
            log.clone(),
        ));
        let backend = Arc::new(SimulatedBackend::new(log.clone()));
        backend.set_session(Some("alice".into()));
        (log, platform, backend)
    }

    fn start(core: &PushCore) -> Arc<SimulatedBackend> {
        let (_, platform, backend) = fakes();
        core.start_registration_with(platform, backend.clone(), None)
            .unwrap();
        backend
    }

    fn settle(core: &PushCore) -> RegistrationState {
        let waiter = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        waiter.block_on(core.wait_until_settled(10_000)).unwrap()
    }

    #[test]
    fn wait_until_processed_answers_after_earlier_events_were_handled() {
        let dir = tempfile::tempdir().unwrap();
        let core = PushCore::new(example(), dir.path().display().to_string()).unwrap();
        let waiter = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        // Before start: a typed error, not a hang.
        let err = waiter
            .block_on(core.wait_until_processed(1_000))
            .unwrap_err();
        assert_eq!(err.code(), "invalid_state");
        let backend = start(&core);
        core.login("alice".into()).unwrap();
        settle(&core);
        core.logout(crate::registration::LogoutReason::KickedOffline)
            .unwrap();
        core.on_new_token(crate::PushChannel::Vivo, "late-token-0123456789".into())
            .unwrap();
        waiter.block_on(core.wait_until_processed(10_000)).unwrap();
        let state = core.registration_state();
        assert_eq!(state.phase, RegistrationPhase::LoggedOut);
        assert_ne!(
            backend.current().map(|r| r.token).as_deref(),
            Some("late-token-0123456789"),
            "a token after logout must never be reported"
        );
    }

    #[test]
    fn a_restarted_core_does_not_report_an_unchanged_token_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().display().to_string();
        let reports = |backend: &SimulatedBackend| backend.current().map(|r| r.token);
        {
            let core = PushCore::new(example(), path.clone()).unwrap();
            let backend = start(&core);
            core.login("alice".into()).unwrap();
            assert_eq!(settle(&core).phase, RegistrationPhase::Registered);
            assert!(reports(&backend).is_some());
        }
        assert!(dir.path().join("pushcore.db").is_file());
        let core = PushCore::new(example(), path).unwrap();
        let backend = start(&core);
        core.login("alice".into()).unwrap();
        let state = settle(&core);
        assert_eq!(state.phase, RegistrationPhase::Registered);
        assert_eq!(state.channel, Some(crate::PushChannel::Vivo));
        assert_eq!(reports(&backend), None, "reported again after restart");
    }

    #[test]
    fn an_unusable_database_falls_back_to_memory_and_still_registers() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pushcore.db")).unwrap();
        let core = PushCore::new(example(), dir.path().display().to_string()).unwrap();
        let backend = start(&core);
        core.login("alice".into()).unwrap();
        assert_eq!(settle(&core).phase, RegistrationPhase::Registered);
        assert!(backend.current().is_some());
    }

    #[test]
    fn waiting_times_out_with_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let core = PushCore::new(example(), dir.path().display().to_string()).unwrap();
        let backend = start(&core);
        backend.set_default(crate::registration::sim::SimCall::hang());
        core.login("alice".into()).unwrap();
        let waiter = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let err = waiter.block_on(core.wait_until_settled(50)).unwrap_err();
        assert_eq!(err.code(), "timeout");
        assert_eq!(
            core.registration_state().phase,
            RegistrationPhase::Reporting
        );
        assert_eq!(
            core.on_new_token(crate::PushChannel::Vivo, "".into())
                .unwrap_err()
                .code(),
            "invalid_input"
        );
    }

    /// Records what a wait called inside the listener answered.
    struct WaitingListener {
        core: Mutex<Option<std::sync::Weak<PushCore>>>,
        answers: Mutex<Vec<String>>,
    }

    impl crate::registration::PushListener for WaitingListener {
        fn on_state_changed(&self, _: RegistrationState) {
            use std::future::Future;
            let core = self.core.lock().unwrap().as_ref().and_then(|c| c.upgrade());
            let Some(core) = core else { return };
            // A blocking wait on the core's own thread, as a listener might
            // do with runBlocking: it must answer on its first poll.
            let mut wait = Box::pin(core.wait_until_settled(500));
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            let answer = match wait.as_mut().poll(&mut cx) {
                std::task::Poll::Ready(Err(e)) => e.code().to_string(),
                std::task::Poll::Ready(Ok(_)) => "settled".into(),
                std::task::Poll::Pending => "pending".into(),
            };
            self.answers.lock().unwrap().push(answer);
        }
        fn on_error(&self, _: crate::registration::RegistrationError) {}
    }

    /// Case 5: a wait called on the core's own thread fails at once with a
    /// typed error instead of deadlocking.
    #[test]
    fn a_wait_called_inside_a_listener_fails_at_once_with_invalid_state() {
        let dir = tempfile::tempdir().unwrap();
        let core = Arc::new(PushCore::new(example(), dir.path().display().to_string()).unwrap());
        let (_, platform, backend) = fakes();
        let listener = Arc::new(WaitingListener {
            core: Mutex::new(Some(Arc::downgrade(&core))),
            answers: Mutex::new(Vec::new()),
        });
        core.start_registration_with(platform, backend, Some(listener.clone()))
            .unwrap();
        core.login("alice".into()).unwrap();
        assert_eq!(settle(&core).phase, RegistrationPhase::Registered);
        let answers = listener.answers.lock().unwrap().clone();
        assert!(answers.len() >= 3, "{answers:?}");
        assert!(answers.iter().all(|a| a == "invalid_state"), "{answers:?}");
        *listener.core.lock().unwrap() = None;
    }

    /// Case 6: shutdown returns within a second while a clear hangs with a
    /// 30 s deadline; the state says so; the clear is resumed at the next
    /// start, with the same sequence.
    #[test]
    fn shutdown_returns_within_a_second_and_the_next_start_resumes_the_clear() {
        use crate::registration::sim::SimCall;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().display().to_string();
        let mut config = example();
        config.retry.platform_timeout_ms = 30_000;
        let first_clear = {
            let core = PushCore::new(config.clone(), path.clone()).unwrap();
            let (log, platform, backend) = fakes();
            core.start_registration_with(platform, backend.clone(), None)
                .unwrap();
            core.login("alice".into()).unwrap();
            settle(&core);
            backend.script_clear([SimCall::hang()]);
            core.logout(crate::registration::LogoutReason::Proactive)
                .unwrap();
            let waiter = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            waiter.block_on(core.wait_until_processed(5_000)).unwrap();
            std::thread::sleep(Duration::from_millis(50));
            assert!(core.registration_state().clearing);
            let started = std::time::Instant::now();
            core.shutdown();
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "{:?}",
                started.elapsed()
            );
            let state = core.registration_state();
            assert_eq!(state.phase, RegistrationPhase::ShutDown);
            assert!(!state.clearing);
            let err = waiter.block_on(core.wait_until_settled(100)).unwrap_err();
            assert_eq!(err.code(), "invalid_state");
            log.clears_requested()[0].clone()
        };
        let core = PushCore::new(config, path).unwrap();
        let (log, platform, backend) = fakes();
        core.start_registration_with(platform, backend, None)
            .unwrap();
        let waiter = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let state = waiter.block_on(core.wait_until_idle(5_000)).unwrap();
        assert_eq!(state.pending_clears, 0);
        assert_eq!(log.clears_requested(), [first_clear]);
    }
}
