//! Behaviour of the registration actor against the simulated platform and
//! backend, on tokio's paused clock: every timer, timeout and backoff runs
//! in simulated time, deterministically.

use super::actor::{Actor, Command, Deps};
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
use tokio::sync::{mpsc, watch};
use tokio::time::sleep;

use LogoutReason::*;
use RegistrationPhase as P;

const TIMEOUT_MS: u64 = 5_000;

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

#[derive(Default)]
struct RecordingListener {
    states: Mutex<Vec<RegistrationState>>,
    errors: Mutex<Vec<RegistrationError>>,
}

impl PushListener for RecordingListener {
    fn on_state_changed(&self, state: RegistrationState) {
        self.states.lock().unwrap().push(state);
    }
    fn on_error(&self, error: RegistrationError) {
        self.errors.lock().unwrap().push(error);
    }
}

/// Drives one actor like an app would, and plays the IM SDK's session at
/// the simulated backend: a session is live from just before `login` until
/// the core has applied the logout.
struct Harness {
    log: SimLog,
    platform: Arc<SimulatedPlatform>,
    backend: Arc<SimulatedBackend>,
    listener: Arc<RecordingListener>,
    tx: mpsc::UnboundedSender<Command>,
    state: watch::Receiver<RegistrationState>,
    task: tokio::task::JoinHandle<()>,
    session: u64,
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
        let listener = Arc::new(RecordingListener::default());
        let (actor, tx, state) = Actor::new(Deps {
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
            tx,
            state,
            task,
            session: 0,
            config,
        }
    }

    /// A restarted app: same device, backend and store, a fresh actor.
    async fn restart(self, store: Box<dyn RegistrationStore>) -> Self {
        let (log, platform, backend, config) = (
            self.log.clone(),
            self.platform.clone(),
            self.backend.clone(),
            self.config.clone(),
        );
        self.shutdown().await;
        Harness::start_with(config, store, log, platform, backend, 8)
    }

    async fn shutdown(self) {
        self.tx.send(Command::Shutdown).unwrap();
        self.task.await.unwrap();
    }

    fn state(&self) -> RegistrationState {
        self.state.borrow().clone()
    }

    async fn applied(&mut self) {
        let target = self.session;
        self.state
            .wait_for(|s| s.session >= target)
            .await
            .expect("actor alive");
    }

    async fn login(&mut self, user: &str) {
        self.backend.set_session(Some(user.into()));
        self.session += 1;
        let session = self.session;
        self.tx
            .send(Command::Login {
                user_id: user.into(),
                session,
            })
            .unwrap();
        self.applied().await;
    }

    async fn logout(&mut self, reason: LogoutReason) {
        self.session += 1;
        let session = self.session;
        self.tx.send(Command::Logout { reason, session }).unwrap();
        self.applied().await;
        self.backend.set_session(None);
    }

    /// Sends an event that carries no session number and lets the actor
    /// take it.
    async fn send(&mut self, command: Command) {
        self.tx.send(command).unwrap();
        for _ in 0..4 {
            tokio::task::yield_now().await;
        }
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

    /// Waits (in simulated time) until settled; panics after a simulated
    /// hour, which no scenario here needs.
    async fn settle(&mut self) -> RegistrationState {
        let target = self.session;
        let wait = self
            .state
            .wait_for(|s| s.session >= target && s.is_settled());
        let result = match tokio::time::timeout(Duration::from_secs(3_600), wait).await {
            Ok(Ok(s)) => Some(s.clone()),
            _ => None,
        };
        result.unwrap_or_else(|| panic!("did not settle: {:?}", self.state()))
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
        self.count(|e| matches!(e, SimEvent::ClearRequested))
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
async fn no_token_is_reported_after_logout_with_a_token_request_in_flight() {
    for reason in [Proactive, KickedOffline, SignatureExpired] {
        let (store, boxed) = memory();
        let mut h = Harness::start(config(), xiaomi(), boxed);
        h.platform.script([SimCall::ok(2_000)]);
        h.login("alice").await;
        sleep(Duration::from_millis(500)).await;
        assert_eq!(h.state().phase, P::RequestingToken);
        h.logout(reason).await;
        sleep(Duration::from_secs(600)).await;
        assert_eq!(h.report_starts(), 0, "{reason:?}: {:?}", h.log.events());
        assert_eq!(h.state().phase, P::LoggedOut);
        assert_eq!(store.snapshot(), None);
        assert!(h.log.violations().is_empty(), "{reason:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn no_token_is_reported_after_logout_with_a_report_in_flight() {
    for reason in [Proactive, KickedOffline, SignatureExpired] {
        let (store, boxed) = memory();
        let mut h = Harness::start(config(), xiaomi(), boxed);
        h.backend.script([SimCall::ok(2_000)]);
        h.login("alice").await;
        sleep(Duration::from_millis(500)).await;
        assert_eq!(h.state().phase, P::Reporting);
        h.logout(reason).await;
        let state = h.settle().await;
        sleep(Duration::from_secs(600)).await;
        assert_eq!(state.phase, P::LoggedOut);
        // The in-flight report was cancelled, never completed, never redone.
        assert_eq!(h.report_starts(), 1, "{reason:?}");
        assert_eq!(h.count(|e| matches!(e, SimEvent::ReportCancelled(_))), 1);
        assert!(h.reports().is_empty(), "{reason:?}");
        assert_eq!(store.snapshot(), None);
        assert!(h.log.violations().is_empty(), "{:?}", h.log.violations());
    }
}

#[tokio::test(start_paused = true)]
async fn a_clear_issued_at_logout_reaches_the_backend_after_the_report_it_overtook() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    // The report is slow; logout and a new login come while it runs.
    h.backend.script([SimCall::ok(3_000)]);
    h.backend.script_clear([SimCall::ok(1_000)]);
    h.login("alice").await;
    sleep(Duration::from_millis(100)).await;
    h.logout(Proactive).await;
    h.login("bob").await;
    let state = h.settle().await;
    assert_eq!(state.phase, P::Registered);
    let order: Vec<String> = h
        .log
        .events()
        .into_iter()
        .filter_map(|e| match e {
            SimEvent::ReportStarted(r) => Some(format!("start {}", r.user_id)),
            SimEvent::ReportCancelled(r) => Some(format!("cancel {}", r.user_id)),
            SimEvent::Reported(r) => Some(format!("reported {}", r.user_id)),
            SimEvent::ClearRequested => Some("clear".into()),
            _ => None,
        })
        .collect();
    assert_eq!(
        order,
        [
            "start alice",
            "cancel alice",
            "clear",
            "start bob",
            "reported bob"
        ]
    );
    assert_eq!(h.backend.current().unwrap().user_id, "bob");
}

#[tokio::test(start_paused = true)]
async fn kick_out_and_signature_expiry_never_clear_proactive_logout_does() {
    for (reason, clears) in [(Proactive, 1), (KickedOffline, 0), (SignatureExpired, 0)] {
        let (_, boxed) = memory();
        let mut h = Harness::start(config(), xiaomi(), boxed);
        h.login("alice").await;
        h.settle().await;
        h.logout(reason).await;
        let state = h.settle().await;
        sleep(Duration::from_secs(600)).await;
        assert_eq!(state.phase, P::LoggedOut);
        assert!(!state.clearing);
        assert_eq!(h.clear_requests(), clears, "{reason:?}");
        assert_eq!(
            h.count(|e| matches!(e, SimEvent::Cleared { .. })),
            clears,
            "{reason:?}"
        );
        // Logout never unregisters when the clear worked (or was not due).
        assert_eq!(h.count(|e| matches!(e, SimEvent::Unregistered(_))), 0);
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_clear_unregisters_the_channel_so_pushes_stop_anyway() {
    let (_, boxed) = memory();
    let mut h = Harness::start(config(), xiaomi(), boxed);
    h.login("alice").await;
    h.settle().await;
    h.backend.script_clear([SimCall::hang()]);
    h.logout(Proactive).await;
    assert!(h.state().clearing);
    let state = h.settle().await;
    assert!(!state.clearing);
    sleep(Duration::from_secs(1)).await;
    assert_eq!(
        h.count(|e| matches!(e, SimEvent::Unregistered(PushChannel::Xiaomi))),
        1
    );
    let errors = h.listener.errors.lock().unwrap().clone();
    assert_eq!(errors.last().map(|e| e.code.as_str()), Some("timeout"));
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
    assert!(h.log.events().is_empty(), "{:?}", h.log.events());
    h.shutdown().await;
}

/// Random interleavings of every event the app and the world can produce,
/// with the invariants checked after each step.
#[test]
fn random_interleavings_keep_every_invariant() {
    const RUNS: u64 = 1_200;
    const STEPS: usize = 30;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    for seed in 0..RUNS {
        runtime.block_on(random_run(seed, STEPS));
    }
}

async fn random_run(seed: u64, steps: usize) {
    let mut rng = Jitter::seeded(seed.wrapping_mul(0x9E37_79B9) ^ 0xABCD);
    let mut pick = |n: u64| rng.next_u64() % n;
    let (store, boxed) = memory();
    let mut cfg = config();
    cfg.retry.max_attempts = pick(2) as u32 * 4; // 0 (forever) or 4
                                                 // One log for both fakes, so their events interleave in order.
    let log = SimLog::default();
    let device = match pick(3) {
        0 => xiaomi(),
        1 => DeviceInfo::android("samsung", "samsung"),
        _ => DeviceInfo::android("vivo", "vivo"),
    };
    let platform = Arc::new(SimulatedPlatform::new(device, log.clone()));
    let backend = Arc::new(SimulatedBackend::new(log.clone()));
    let mut h = Harness::start_with(cfg, boxed, log, platform, backend, seed);

    let users = ["alice", "bob", "carol"];
    let mut expected_clears = 0;
    let mut trace = Vec::new();
    for _ in 0..steps {
        let action = pick(16);
        trace.push(action);
        match action {
            0..=2 => h.login(users[pick(3) as usize]).await,
            3 | 4 => {
                let reason = [Proactive, KickedOffline, SignatureExpired][pick(3) as usize];
                let had_session = h.state().user_id.is_some() || store.snapshot().is_some();
                if reason == Proactive && had_session {
                    expected_clears += 1;
                }
                h.logout(reason).await;
                assert_eq!(
                    store.snapshot(),
                    None,
                    "seed {seed}: record kept after logout"
                );
                assert_eq!(h.state().phase, P::LoggedOut);
            }
            5 => {
                let channel = h.state().channel.unwrap_or(PushChannel::Xiaomi);
                h.new_token(channel).await;
            }
            6 => h.platform.script([SimCall::fail(pick(3_000))]),
            7 => h.platform.script([SimCall::hang()]),
            8 => h.backend.script([SimCall::fail(pick(3_000))]),
            9 => h.backend.script([SimCall::hang()]),
            10 => h.backend.script([SimCall::ok(pick(4_000))]),
            11 => h.backend.script_clear([[
                SimCall::ok(pick(2_000)),
                SimCall::fail(10),
                SimCall::hang(),
            ][pick(3) as usize]]),
            12 => h.send(Command::AppForeground).await,
            13 => h.send(Command::NetworkAvailable).await,
            _ => sleep(Duration::from_millis(pick(12_000))).await,
        }
        check(&h, &store, seed, &trace);
    }

    // Liveness: with the world healthy again, a logged-in user ends up
    // registered with the platform's current token at the backend.
    h.platform.reset();
    h.backend.reset();
    sleep(Duration::from_secs(30)).await; // let calls already hanging time out
    h.send(Command::NetworkAvailable).await;
    let state = h.settle().await;
    check(&h, &store, seed, &trace);
    if let Some(user) = &state.user_id {
        assert_eq!(
            state.phase,
            P::Registered,
            "seed {seed} {trace:?}: {state:?}"
        );
        let channel = state.channel.unwrap();
        let live = h.backend.current().expect("backend has a token");
        assert_eq!(&live.user_id, user, "seed {seed}");
        assert_eq!(
            live.token,
            h.platform.current_token(channel),
            "seed {seed} {trace:?}"
        );
    } else {
        assert_eq!(state.phase, P::LoggedOut);
    }
    assert_eq!(h.clear_requests(), expected_clears, "seed {seed} {trace:?}");
    h.shutdown().await;
}

fn check(h: &Harness, store: &MemoryStore, seed: u64, trace: &[u64]) {
    let violations = h.log.violations();
    assert!(
        violations.is_empty(),
        "seed {seed} {trace:?}: {violations:?}"
    );
    let state = h.state();
    if state.phase == P::Registered {
        let record = store.snapshot().expect("registered implies a record");
        assert_eq!(Some(&record.user_id), state.user_id.as_ref(), "seed {seed}");
        let live = h
            .backend
            .current()
            .expect("registered implies a live token");
        assert_eq!(live.token, record.token, "seed {seed} {trace:?}");
        assert_eq!(live.user_id, record.user_id, "seed {seed}");
    }
    if state.user_id.is_none() {
        assert_eq!(store.snapshot(), None, "seed {seed}");
    }
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
    fn device_info(&self) -> Result<DeviceInfo, crate::error::PushError> {
        Ok(xiaomi())
    }
    async fn request_token(
        &self,
        _: PushChannel,
        _: crate::config::VendorCredentials,
    ) -> Result<String, crate::error::PushError> {
        Ok("  ".into())
    }
    async fn unregister(&self, _: PushChannel) -> Result<(), crate::error::PushError> {
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn a_panicking_listener_does_not_stop_registration_and_empty_tokens_are_failures() {
    let backend = Arc::new(SimulatedBackend::new(SimLog::default()));
    backend.set_session(Some("alice".into()));
    let mut cfg = config();
    cfg.retry.max_attempts = 2;
    let (actor, tx, mut state) = Actor::new(Deps {
        config: cfg,
        platform: Arc::new(EmptyTokenPlatform),
        reporter: backend.clone(),
        listener: Some(Arc::new(PanickingListener)),
        store: Box::new(MemoryStore::default()),
        jitter: Jitter::seeded(3),
    });
    let task = tokio::spawn(actor.run());
    tx.send(Command::Login {
        user_id: "alice".into(),
        session: 1,
    })
    .unwrap();
    let settled = state
        .wait_for(|s| s.session >= 1 && s.is_settled())
        .await
        .unwrap()
        .clone();
    assert_eq!(settled.phase, P::Failed);
    let error = settled.last_error.unwrap();
    assert_eq!((error.code.as_str(), error.attempt), ("platform", 2));
    assert!(error.message.contains("empty token"), "{}", error.message);
    assert!(backend.current().is_none());
    tx.send(Command::Shutdown).unwrap();
    task.await.unwrap();
}
