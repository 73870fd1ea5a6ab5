//! `add_listener` subscriptions through the real service, its thread and
//! its blocking pool.

use super::*;
use crate::registration::service::RegistrationService;
use crate::registration::subscribers::QUEUE_CAPACITY;
use std::sync::Condvar;

const WAIT: Duration = Duration::from_secs(5);

/// Records states and errors and lets the test wait for them; optionally
/// panics on every call (a foreign listener that throws) or blocks until
/// released (a slow one).
#[derive(Default)]
struct Observer {
    seen: Mutex<Seen>,
    changed: Condvar,
    panics: bool,
    gate: Option<Arc<Gate>>,
}

#[derive(Default, Clone)]
struct Seen {
    states: Vec<RegistrationState>,
    errors: Vec<RegistrationError>,
}

#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    /// Blocks until opened; opens itself after [`WAIT`], so a core that
    /// waits for the subscriber fails the test instead of hanging it.
    fn wait(&self) {
        let open = self.open.lock().unwrap();
        let (mut open, _) = self.opened.wait_timeout_while(open, WAIT, |o| !*o).unwrap();
        *open = true;
    }
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

impl Observer {
    fn panicking() -> Self {
        Observer {
            panics: true,
            ..Observer::default()
        }
    }

    fn gated(gate: Arc<Gate>) -> Self {
        Observer {
            gate: Some(gate),
            ..Observer::default()
        }
    }

    fn seen(&self) -> Seen {
        self.seen.lock().unwrap().clone()
    }

    fn phases(&self) -> Vec<P> {
        self.seen().states.iter().map(|s| s.phase).collect()
    }

    /// Waits until the last state received is `state`.
    fn wait_for_last(&self, state: &RegistrationState) -> Seen {
        let seen = self.seen.lock().unwrap();
        let (seen, timeout) = self
            .changed
            .wait_timeout_while(seen, WAIT, |s| s.states.last() != Some(state))
            .unwrap();
        assert!(
            !timeout.timed_out(),
            "last state {:?}, expected {state:?}",
            seen.states.last()
        );
        seen.clone()
    }

    fn record(&self, change: impl FnOnce(&mut Seen)) {
        if let Some(gate) = &self.gate {
            gate.wait();
        }
        change(&mut self.seen.lock().unwrap());
        self.changed.notify_all();
        if self.panics {
            panic!("the app's listener threw");
        }
    }
}

impl PushListener for Observer {
    fn on_state_changed(&self, state: RegistrationState) {
        self.record(|s| s.states.push(state));
    }
    fn on_error(&self, error: RegistrationError) {
        self.record(|s| s.errors.push(error));
    }
}

struct Running {
    service: RegistrationService,
    app_listener: Arc<RecordingListener>,
    platform: Arc<SimulatedPlatform>,
    backend: Arc<SimulatedBackend>,
    waiter: tokio::runtime::Runtime,
}

impl Running {
    fn start() -> Running {
        let log = SimLog::default();
        let platform = Arc::new(SimulatedPlatform::new(xiaomi(), log.clone()));
        let backend = Arc::new(SimulatedBackend::new(log.clone()));
        platform.set_default(SimCall::ok(1));
        backend.set_default(SimCall::ok(1));
        let app_listener = Arc::new(RecordingListener::new(log));
        let mut config = config();
        config.retry.initial_delay_ms = 10;
        config.retry.max_delay_ms = 20;
        config.retry.max_attempts = 2;
        let service = RegistrationService::start(Deps {
            config,
            platform: platform.clone(),
            reporter: backend.clone(),
            listener: Some(app_listener.clone()),
            store: Box::new(MemoryStore::default()),
            jitter: Jitter::seeded(3),
        })
        .unwrap();
        Running {
            service,
            app_listener,
            platform,
            backend,
            waiter: tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap(),
        }
    }

    fn login(&self, user: &str) -> RegistrationState {
        self.backend.set_session(Some(user.into()));
        self.service.login(user.into()).unwrap();
        self.settle()
    }

    fn logout(&self, reason: LogoutReason) -> RegistrationState {
        self.service.logout(reason).unwrap();
        self.settle()
    }

    fn settle(&self) -> RegistrationState {
        self.waiter
            .block_on(self.service.wait_until_settled(WAIT))
            .unwrap()
    }

    fn app_states(&self) -> Vec<RegistrationState> {
        self.app_listener.states.lock().unwrap().clone()
    }
}

#[test]
fn subscribers_get_the_current_state_first_then_every_change_in_the_order_of_the_app_listener() {
    let core = Running::start();
    let early = Arc::new(Observer::default());
    let _early_handle = core.service.subscribe(early.clone());
    core.login("alice");
    let late = Arc::new(Observer::default());
    let _late_handle = core.service.subscribe(late.clone());
    let registered = core.service.state();
    assert_eq!(
        late.wait_for_last(&registered).states,
        std::slice::from_ref(&registered)
    );

    core.logout(Proactive);
    core.login("bob");
    core.backend.set_session(None);
    let last = core.logout(KickedOffline);

    let early_seen = early.wait_for_last(&last);
    let late_seen = late.wait_for_last(&last);
    let mut expected = vec![RegistrationState::logged_out(0)];
    expected.extend(core.app_states());
    assert_eq!(early_seen.states, expected);
    let from = expected.iter().position(|s| *s == registered).unwrap();
    assert_eq!(late_seen.states, expected[from..]);
    assert_eq!(core.service.subscriber_count(), 2);
}

#[test]
fn a_throwing_subscriber_keeps_receiving_and_does_not_disturb_the_others() {
    let core = Running::start();
    let thrower = Arc::new(Observer::panicking());
    let calm = Arc::new(Observer::default());
    let _thrower_handle = core.service.subscribe(thrower.clone());
    let _calm_handle = core.service.subscribe(calm.clone());
    core.platform.script([SimCall::fail(1)]);
    let registered = core.login("alice");
    assert_eq!(registered.phase, P::Registered);

    let thrown = thrower.wait_for_last(&registered);
    let calm_seen = calm.wait_for_last(&registered);
    assert_eq!(thrown.states, calm_seen.states);
    assert_eq!(calm_seen.errors.len(), 1, "the failed token request");
    assert_eq!(thrown.errors, calm_seen.errors);
    assert!(calm_seen.states.len() > 4, "{:?}", calm.phases());
}

#[test]
fn a_blocked_subscriber_holds_up_neither_the_core_nor_the_others_and_ends_on_the_final_state() {
    let core = Running::start();
    let gate = Arc::new(Gate::default());
    let slow = Arc::new(Observer::gated(gate.clone()));
    let fast = Arc::new(Observer::default());
    let _slow_handle = core.service.subscribe(slow.clone());
    let _fast_handle = core.service.subscribe(fast.clone());
    // Far more changes than a queue holds, all while `slow` is stuck in its
    // first callback.
    for _ in 0..QUEUE_CAPACITY {
        core.login("alice");
        core.logout(KickedOffline);
    }
    let last = core.login("alice");
    let fast_seen = fast.wait_for_last(&last);
    assert!(fast_seen.states.len() > 2 * QUEUE_CAPACITY);
    assert!(slow.seen().states.is_empty());

    gate.open();
    let slow_seen = slow.wait_for_last(&last);
    assert!(
        slow_seen.states.len() <= QUEUE_CAPACITY + 1,
        "{} states: the backlog must be bounded",
        slow_seen.states.len()
    );
    let sessions: Vec<u64> = slow_seen.states.iter().map(|s| s.session).collect();
    assert!(sessions.windows(2).all(|w| w[0] <= w[1]), "{sessions:?}");
}

#[test]
fn unsubscribing_or_dropping_the_handle_stops_the_callbacks() {
    let core = Running::start();
    let closed = Arc::new(Observer::default());
    let dropped = Arc::new(Observer::default());
    let staying = Arc::new(Observer::default());
    let closed_handle = core.service.subscribe(closed.clone());
    let dropped_handle = core.service.subscribe(dropped.clone());
    let _staying_handle = core.service.subscribe(staying.clone());
    let initial = core.service.state();
    closed.wait_for_last(&initial);
    dropped.wait_for_last(&initial);
    assert_eq!(core.service.subscriber_count(), 3);

    closed_handle.unsubscribe();
    closed_handle.unsubscribe();
    drop(dropped_handle);
    assert_eq!(core.service.subscriber_count(), 1);
    let registered = core.login("alice");
    staying.wait_for_last(&registered);
    assert_eq!(closed.seen().states, std::slice::from_ref(&initial));
    assert_eq!(dropped.seen().states, [initial]);
}

#[test]
fn subscribers_end_on_shut_down_and_a_subscriber_after_shutdown_gets_only_that() {
    let core = Running::start();
    let before = Arc::new(Observer::default());
    let _before_handle = core.service.subscribe(before.clone());
    core.login("alice");
    core.service.shutdown();
    let final_state = core.service.state();
    assert_eq!(final_state.phase, P::ShutDown);
    before.wait_for_last(&final_state);

    let after = Arc::new(Observer::default());
    let handle = core.service.subscribe(after.clone());
    assert_eq!(after.wait_for_last(&final_state).states, [final_state]);
    assert_eq!(core.service.subscriber_count(), 2);
    drop(handle);
    assert_eq!(core.service.subscriber_count(), 1);
}
