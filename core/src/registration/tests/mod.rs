//! Behaviour of the registration actor against the simulated platform and
//! backend, on tokio's paused clock: every timer, timeout and backoff runs
//! in simulated time, deterministically.

use super::actor::{Actor, Command, CommandSender, Deps, Progress};
use super::backoff::Jitter;
use super::device::DeviceInfo;
use super::sim::{SimCall, SimEvent, SimLog, SimulatedBackend, SimulatedPlatform};
use super::sqlite_store::SqliteStore;
use super::state::{LogoutReason, RegistrationError, RegistrationPhase, RegistrationState};
use super::store::{MemoryStore, RegistrationStore};
use super::traits::PushListener;
use crate::channel::PushChannel;
use crate::config::PushConfig;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::sleep;

use LogoutReason::*;
use RegistrationPhase as P;

mod ordering;
mod random;
mod subscriptions;
mod threads;

const TIMEOUT_MS: u64 = 5_000;
const USERS: [&str; 3] = ["alice", "bob", "carol"];

fn config() -> PushConfig {
    let mut config = crate::config::example_config();
    config.retry.initial_delay_ms = 1_000;
    config.retry.max_delay_ms = 60_000;
    config.retry.max_attempts = 0;
    config.retry.platform_timeout_ms = TIMEOUT_MS;
    config
}

fn xiaomi() -> DeviceInfo {
    DeviceInfo::android("Redmi", "Xiaomi")
}

/// Records what the app's listener sees, and flags a session number that
/// goes backwards in the shared log.
struct RecordingListener {
    states: Mutex<Vec<RegistrationState>>,
    errors: Mutex<Vec<RegistrationError>>,
    log: SimLog,
}

impl RecordingListener {
    fn new(log: SimLog) -> Self {
        RecordingListener {
            states: Mutex::default(),
            errors: Mutex::default(),
            log,
        }
    }
}

impl PushListener for RecordingListener {
    fn on_state_changed(&self, state: RegistrationState) {
        let mut states = self.states.lock().unwrap();
        if let Some(last) = states.last() {
            if state.session < last.session {
                self.log.push(SimEvent::Violation(format!(
                    "session went from {} back to {}",
                    last.session, state.session
                )));
            }
        }
        states.push(state);
    }
    fn on_error(&self, error: RegistrationError) {
        self.errors.lock().unwrap().push(error);
    }
}

/// Drives one actor like an app would, and plays the IM SDK's session at
/// the simulated backend: live from just before `login`; a kick-out ends it
/// before the core hears of it, a proactive logout after (`im_logout`).
struct Harness {
    log: SimLog,
    platform: Arc<SimulatedPlatform>,
    backend: Arc<SimulatedBackend>,
    listener: Arc<RecordingListener>,
    tx: CommandSender,
    state: watch::Receiver<RegistrationState>,
    progress: watch::Receiver<Progress>,
    task: tokio::task::JoinHandle<()>,
    config: PushConfig,
}

impl Harness {
    fn start(config: PushConfig, device: DeviceInfo, store: Box<dyn RegistrationStore>) -> Self {
        let log = SimLog::default();
        let platform = Arc::new(SimulatedPlatform::new(device, log.clone()));
        let backend = Arc::new(SimulatedBackend::new(log.clone()));
        Harness::start_with(config, store, log, platform, backend, 7)
    }

    fn start_with(
        config: PushConfig,
        store: Box<dyn RegistrationStore>,
        log: SimLog,
        platform: Arc<SimulatedPlatform>,
        backend: Arc<SimulatedBackend>,
        seed: u64,
    ) -> Self {
        let listener = Arc::new(RecordingListener::new(log.clone()));
        let (actor, handles) = Actor::new(Deps {
            config: config.clone(),
            platform: platform.clone(),
            reporter: backend.clone(),
            listener: Some(listener.clone()),
            store,
            jitter: Jitter::seeded(seed),
        });
        let task = tokio::spawn(actor.run());
        Harness {
            log,
            platform,
            backend,
            listener,
            tx: handles.commands,
            state: handles.state,
            progress: handles.progress,
            task,
            config,
        }
    }

    /// A restarted app: the process died (its calls into the app with it);
    /// same device, backend and store, a fresh actor.
    async fn restart(self, store: Box<dyn RegistrationStore>) -> Self {
        let (log, platform, backend, config) = (
            self.log.clone(),
            self.platform.clone(),
            self.backend.clone(),
            self.config.clone(),
        );
        self.shutdown().await;
        log.kill_all();
        Harness::start_with(config, store, log, platform, backend, 8)
    }

    async fn shutdown(self) {
        let _ = self.tx.send(Command::Shutdown);
        self.task.await.unwrap();
    }

    fn state(&self) -> RegistrationState {
        self.state.borrow().clone()
    }

    fn progress(&self) -> Progress {
        *self.progress.borrow()
    }

    async fn applied(&mut self) {
        let target = self.tx.last();
        self.progress
            .wait_for(|p| p.applied >= target)
            .await
            .expect("actor alive");
    }

    fn command(&self, command: Command) -> u64 {
        self.tx.send(command).expect("actor alive")
    }

    async fn login(&mut self, user: &str) {
        self.backend.set_session(Some(user.into()));
        self.log.push(SimEvent::AppLogin(user.into()));
        self.command(Command::Login {
            user_id: user.into(),
        });
        self.applied().await;
    }

    /// A kick-out or expiry ends the IM session first; a proactive logout
    /// leaves it to the app (`im_logout`, after waiting for the clear).
    async fn logout(&mut self, reason: LogoutReason) {
        if reason != Proactive {
            self.backend.set_session(None);
        }
        self.log.push(SimEvent::AppLogout);
        self.command(Command::Logout { reason });
        self.applied().await;
    }

    fn im_logout(&self) {
        self.backend.set_session(None);
    }

    /// Sends an event and waits until the actor has taken it.
    async fn send(&mut self, command: Command) {
        self.command(command);
        self.applied().await;
    }

    async fn new_token(&mut self, channel: PushChannel) -> String {
        let token = self.platform.rotate_token(channel);
        self.send(Command::NewToken {
            channel,
            token: token.clone(),
        })
        .await;
        token
    }

    async fn wait(&mut self, idle: bool) -> Option<RegistrationState> {
        let target = self.tx.last();
        let wait = self
            .progress
            .wait_for(|p| p.applied >= target && if idle { p.idle } else { p.settled });
        let reached = matches!(
            tokio::time::timeout(Duration::from_secs(3_600), wait).await,
            Ok(Ok(_))
        );
        reached.then(|| self.state())
    }

    /// Waits (in simulated time) until settled; panics after a simulated
    /// hour, which no scenario here needs.
    async fn settle(&mut self) -> RegistrationState {
        let state = self.wait(false).await;
        state.unwrap_or_else(|| panic!("did not settle: {:?} {:?}", self.state(), self.progress()))
    }

    async fn idle(&mut self) -> RegistrationState {
        let state = self.wait(true).await;
        state.unwrap_or_else(|| panic!("not idle: {:?} {:?}", self.state(), self.progress()))
    }

    fn reports(&self) -> Vec<super::traits::TokenReport> {
        self.log
            .events()
            .into_iter()
            .filter_map(|e| match e {
                SimEvent::Reported(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    fn count(&self, f: impl Fn(&SimEvent) -> bool) -> usize {
        self.log.count(f)
    }

    fn clear_requests(&self) -> usize {
        self.count(|e| matches!(e, SimEvent::ClearRequested(_)))
    }

    fn report_starts(&self) -> usize {
        self.count(|e| matches!(e, SimEvent::ReportStarted(_)))
    }
}

fn memory() -> (MemoryStore, Box<dyn RegistrationStore>) {
    let store = MemoryStore::default();
    (store.clone(), Box::new(store))
}

#[tokio::test(start_paused = true)]
async fn login_registers_and_reports_with_the_channels_business_id() {
    let (store, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.login("alice").await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::Registered);
    assert_eq!(state.user_id.as_deref(), Some("alice"));
    assert_eq!(state.channel, Some(PushChannel::Xiaomi));
    assert_eq!(state.business_id, Some(10001));
    let reports = h.reports();
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(
        (r.user_id.as_str(), r.channel, r.vendor_id, r.business_id),
        ("alice", PushChannel::Xiaomi, Some(2000), 10001)
    );
    assert_eq!(r.token, h.platform.current_token(PushChannel::Xiaomi));
    assert_eq!(h.backend.current().as_ref(), Some(r));
    assert!(r.sequence > 0);
    assert_eq!(store.snapshot().unwrap().token, r.token);
    let phases: Vec<_> = h
        .listener
        .states
        .lock()
        .unwrap()
        .iter()
        .map(|s| s.phase)
        .collect();
    assert_eq!(
        phases,
        [
            P::ChoosingChannel,
            P::RequestingToken,
            P::Reporting,
            P::Registered
        ]
    );
    assert!(h.log.violations().is_empty());
}

#[tokio::test(start_paused = true)]
async fn login_as_another_user_reports_again() {
    let (store, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.login("alice").await;
    h.settle().await;
    // With a logout in between, and without one (a direct switch).
    h.logout(KickedOffline).await;
    h.login("bob").await;
    h.settle().await;
    h.login("carol").await;
    let state = h.settle().await;
    assert_eq!(state.user_id.as_deref(), Some("carol"));
    let users: Vec<_> = h.reports().into_iter().map(|r| r.user_id).collect();
    assert_eq!(users, ["alice", "bob", "carol"]);
    assert_eq!(store.snapshot().unwrap().user_id, "carol");
    // The same token each time: the user alone decides.
    let tokens: std::collections::HashSet<_> = h.reports().into_iter().map(|r| r.token).collect();
    assert_eq!(tokens.len(), 1);
    assert!(h.log.violations().is_empty());
}

#[tokio::test(start_paused = true)]
async fn login_again_as_the_same_user_does_not_report_again() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.login("alice").await;
    h.settle().await;
    h.login("alice").await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::Registered);
    assert_eq!(h.reports().len(), 1);
    assert_eq!(h.count(|e| matches!(e, SimEvent::TokenRequested(_))), 1);
}

#[tokio::test(start_paused = true)]
async fn an_unchanged_token_is_not_reported_again_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let open = || {
        let store = crate::store::Store::new(
            dir.path().join(crate::store::db::DB_FILE_NAME),
            std::sync::Arc::new(crate::store::SystemClock),
        );
        Box::new(SqliteStore::new(std::sync::Arc::new(store))) as Box<dyn RegistrationStore>
    };
    let mut h = Harness::start(config(), xiaomi(), open());
    h.login("alice").await;
    h.settle().await;
    assert_eq!(h.reports().len(), 1);

    let mut h = h.restart(open()).await;
    h.login("alice").await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::Registered);
    assert_eq!(h.reports().len(), 1, "unchanged token reported again");
    assert_eq!(h.count(|e| matches!(e, SimEvent::TokenRequested(_))), 2);

    // A different business id (here: an international build) is a change.
    let mut abroad = config();
    abroad.international = true;
    h.config = abroad;
    let mut h = h.restart(open()).await;
    h.login("alice").await;
    h.settle().await;
    assert_eq!(h.reports().len(), 2);
    assert_eq!(h.reports()[1].business_id, 20001);

    // A token that changed while the app was not running is reported.
    h.platform.rotate_token(PushChannel::Xiaomi);
    let mut h = h.restart(open()).await;
    h.login("alice").await;
    h.settle().await;
    assert_eq!(h.reports().len(), 3);

    // After a logout the next session must report, restart or not.
    h.logout(KickedOffline).await;
    let mut h = h.restart(open()).await;
    h.login("alice").await;
    h.settle().await;
    assert_eq!(h.reports().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_refreshed_token_is_reported_once() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.login("alice").await;
    h.settle().await;
    let token = h.new_token(PushChannel::Xiaomi).await;
    // The platform repeats itself; the app comes to the foreground.
    h.send(Command::NewToken {
        channel: PushChannel::Xiaomi,
        token: token.clone(),
    })
    .await;
    h.send(Command::AppForeground).await;
    h.settle().await;
    sleep(Duration::from_secs(600)).await;
    let tokens: Vec<_> = h.reports().into_iter().map(|r| r.token).collect();
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[1], token);
    assert_eq!(h.backend.current().unwrap().token, token);
    // A token for another channel than the one in use changes nothing.
    h.new_token(PushChannel::Fcm).await;
    sleep(Duration::from_secs(10)).await;
    assert_eq!(h.reports().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_token_refreshed_during_a_report_is_reported_right_after_it() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.backend.script([SimCall::ok(1_000)]);
    h.login("alice").await;
    sleep(Duration::from_millis(100)).await;
    assert_eq!(h.state().phase, P::Reporting);
    let newer = h.new_token(PushChannel::Xiaomi).await;
    h.settle().await;
    let tokens: Vec<_> = h.reports().into_iter().map(|r| r.token).collect();
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[1], newer);
}

#[tokio::test(start_paused = true)]
async fn a_token_arriving_during_the_request_is_used_at_once() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.platform.script([SimCall::hang()]);
    h.login("alice").await;
    sleep(Duration::from_millis(100)).await;
    let token = h.new_token(PushChannel::Xiaomi).await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::Registered);
    assert_eq!(h.reports()[0].token, token);
    assert!(h.listener.errors.lock().unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn platform_calls_time_out_and_are_retried_with_backoff() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.platform.script([SimCall::hang()]);
    h.backend.script([SimCall::fail(0), SimCall::hang()]);
    let started = tokio::time::Instant::now();
    h.login("alice").await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::Registered);
    let errors = h.listener.errors.lock().unwrap().clone();
    let summary: Vec<_> = errors
        .iter()
        .map(|e| (e.code.as_str(), e.phase, e.attempt))
        .collect();
    assert_eq!(
        summary,
        [
            ("timeout", P::RequestingToken, 1),
            ("platform", P::Reporting, 2),
            ("timeout", P::Reporting, 3),
        ]
    );
    // Two timeouts of 5 s plus backoffs of at most 1 + 2 + 4 s (jitter only
    // shortens them).
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(2 * TIMEOUT_MS + 3_500),
        "{took:?}"
    );
    assert!(
        took <= Duration::from_millis(2 * TIMEOUT_MS + 7_000),
        "{took:?}"
    );
    assert_eq!(state.attempt, 0);
    assert_eq!(state.last_error, None);
}

#[tokio::test(start_paused = true)]
async fn an_always_failing_backend_is_retried_at_a_capped_pace_not_in_a_busy_loop() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.backend.set_default(SimCall::fail(0));
    h.login("alice").await;
    let day = Duration::from_secs(24 * 3_600);
    sleep(day).await;
    let calls = h.report_starts();
    // Up to the 60 s cap: 1+2+4+8+16+32 s; then one call per 48-60 s.
    let max = 7 + (day.as_secs() / 48) as usize;
    let min = (day.as_secs() / 60) as usize;
    assert!(calls >= min && calls <= max, "{calls} calls in a day");
    assert_eq!(h.state().phase, P::WaitingToRetry);
    // Network back: one immediate attempt, attempts reset.
    h.backend.set_default(SimCall::ok(0));
    h.send(Command::NetworkAvailable).await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::Registered);
}

/// The vendor SDK never calling back is the platform-side twin of the
/// failing backend above: every call must end at the deadline, and retries
/// must keep the capped pace instead of piling up hung calls.
#[tokio::test(start_paused = true)]
async fn a_platform_that_never_answers_times_out_every_call_at_a_capped_pace() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.platform.set_default(SimCall::hang());
    h.login("alice").await;
    let day = Duration::from_secs(24 * 3_600);
    sleep(day).await;
    let requests = h.count(|e| matches!(e, SimEvent::TokenRequested(_)));
    // Each attempt waits out the 5 s deadline, then backs off 1+2+...+32 s
    // up to the 60 s cap (jitter shortens a delay by at most 20%).
    let timeout = TIMEOUT_MS / 1_000;
    let max = 7 + (day.as_secs() / (48 + timeout)) as usize;
    let min = (day.as_secs() / (60 + timeout)) as usize;
    assert!(
        requests >= min && requests <= max,
        "{requests} token requests in a day"
    );
    let errors = h.listener.errors.lock().unwrap().clone();
    assert_eq!(errors.len(), requests, "one error per hung call");
    assert!(
        errors
            .iter()
            .all(|e| e.code == "timeout" && e.phase == P::RequestingToken && e.will_retry),
        "{errors:?}"
    );
    assert_eq!(h.report_starts(), 0, "nothing to report without a token");
    assert_eq!(h.state().phase, P::WaitingToRetry);
    // The SDK answers again: the next retry registers.
    h.platform.set_default(SimCall::ok(0));
    h.send(Command::NetworkAvailable).await;
    assert_eq!(h.settle().await.phase, P::Registered);
}

#[tokio::test(start_paused = true)]
async fn after_max_attempts_it_waits_for_the_app_then_retries_on_foreground() {
    let mut cfg = config();
    cfg.retry.max_attempts = 3;
    let (_, boxed) = memory();
    let mut h = Harness::start(cfg, xiaomi(), boxed);
    h.backend.set_default(SimCall::fail(0));
    h.login("alice").await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::Failed);
    assert_eq!(state.attempt, 3);
    assert!(!state.last_error.as_ref().unwrap().will_retry);
    sleep(Duration::from_secs(24 * 3_600)).await;
    assert_eq!(h.report_starts(), 3, "no timer may run after giving up");
    h.backend.set_default(SimCall::ok(0));
    h.send(Command::AppForeground).await;
    assert_eq!(h.settle().await.phase, P::Registered);
}

#[tokio::test(start_paused = true)]
async fn a_device_without_a_usable_channel_says_so_and_rechecks_on_foreground() {
    let mut device = DeviceInfo::android("samsung", "samsung");
    device.play_services_available = false;
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), device.clone(), boxed);
    h.login("alice").await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::NoChannel);
    assert!(state.no_channel_reason.unwrap().contains("Play services"));
    assert_eq!(h.count(|e| matches!(e, SimEvent::TokenRequested(_))), 0);
    device.play_services_available = true;
    h.platform.set_device(device);
    h.send(Command::AppForeground).await;
    let state = h.settle().await;
    assert_eq!(
        (state.phase, state.channel),
        (P::Registered, Some(PushChannel::Fcm))
    );
}

#[tokio::test(start_paused = true)]
async fn logged_out_events_do_nothing_and_the_actor_stops_on_shutdown() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.new_token(PushChannel::Xiaomi).await;
    h.send(Command::AppForeground).await;
    h.send(Command::NetworkAvailable).await;
    h.logout(KickedOffline).await;
    sleep(Duration::from_secs(60)).await;
    assert_eq!(h.log.events(), [SimEvent::AppLogout]);
    assert_eq!(h.state().session, 4, "every command is numbered");
    h.shutdown().await;
}

struct PanickingListener;

impl PushListener for PanickingListener {
    fn on_state_changed(&self, _: RegistrationState) {
        panic!("listener bug");
    }
    fn on_error(&self, _: RegistrationError) {
        panic!("listener bug");
    }
}

/// A platform whose vendor SDK hands out an empty token.
struct EmptyTokenPlatform;

#[async_trait::async_trait]
impl super::traits::PushPlatform for EmptyTokenPlatform {
    fn device_info(&self) -> Result<DeviceInfo, super::traits::CallError> {
        Ok(xiaomi())
    }
    async fn request_token(
        &self,
        _: PushChannel,
        _: crate::config::VendorCredentials,
    ) -> Result<String, super::traits::CallError> {
        Ok("  ".into())
    }
    async fn unregister(&self, _: PushChannel) -> Result<(), super::traits::CallError> {
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn a_panicking_listener_does_not_stop_registration_and_empty_tokens_are_failures() {
    let backend = Arc::new(SimulatedBackend::new(SimLog::default()));
    backend.set_session(Some("alice".into()));
    let mut cfg = config();
    cfg.retry.max_attempts = 2;
    let (actor, handles) = Actor::new(Deps {
        config: cfg,
        platform: Arc::new(EmptyTokenPlatform),
        reporter: backend.clone(),
        listener: Some(Arc::new(PanickingListener)),
        store: Box::new(MemoryStore::default()),
        jitter: Jitter::seeded(3),
    });
    let task = tokio::spawn(actor.run());
    let (tx, mut progress) = (handles.commands, handles.progress);
    tx.send(Command::Login {
        user_id: "alice".into(),
    })
    .unwrap();
    progress
        .wait_for(|p| p.applied >= 1 && p.settled)
        .await
        .unwrap();
    let settled = handles.state.borrow().clone();
    assert_eq!(settled.phase, P::Failed);
    let error = settled.last_error.unwrap();
    assert_eq!((error.code.as_str(), error.attempt), ("platform", 2));
    assert!(error.message.contains("empty token"), "{}", error.message);
    assert!(backend.current().is_none());
    tx.send(Command::Shutdown).unwrap();
    task.await.unwrap();
}
