//! Random interleavings of everything the app and the world do, against
//! the realistic fakes and a backend that does NOT check the sequence (so
//! what holds is the core's own doing), with the invariants checked after
//! every step.

use super::*;
use std::collections::HashMap;

const RUNS: u64 = 5_000;
const STEPS: usize = 20;

#[test]
fn random_interleavings_keep_every_invariant() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    for seed in 0..RUNS {
        runtime.block_on(random_run(seed));
    }
}

/// What the checks remember between steps.
#[derive(Default)]
struct Tracker {
    trace: Vec<u64>,
    /// Logouts not yet seen settled: (command number, user).
    logouts: Vec<(u64, String)>,
    /// Users whose logout settled, with the log length at that moment;
    /// removed again when they log in.
    ended: HashMap<String, usize>,
    /// Restarted and no login or logout since: the stored record of the
    /// last session is kept while nobody is logged in yet.
    restarted: bool,
}

async fn random_run(seed: u64) {
    let mut rng = Jitter::seeded(seed.wrapping_mul(0x9E37_79B9) ^ 0xABCD);
    let mut pick = |n: u64| rng.next_u64() % n;
    let store = MemoryStore::default();
    let mut cfg = config();
    cfg.retry.max_attempts = pick(2) as u32 * 4; // 0 (forever) or 4
    let log = SimLog::default();
    let device = match pick(3) {
        0 => xiaomi(),
        1 => DeviceInfo::android("samsung", "samsung"),
        _ => DeviceInfo::android("vivo", "vivo"),
    };
    let platform = Arc::new(SimulatedPlatform::new(device, log.clone()));
    let backend = Arc::new(SimulatedBackend::new(log.clone()));
    backend.ignore_sequence();
    let mut h = Harness::start_with(cfg, Box::new(store.clone()), log, platform, backend, seed);
    let mut t = Tracker::default();

    for _ in 0..STEPS {
        let action = pick(18);
        t.trace.push(action);
        match action {
            0..=2 => {
                let user = USERS[pick(3) as usize];
                t.ended.remove(user);
                t.logouts.retain(|(_, u)| u != user);
                t.restarted = false;
                h.login(user).await;
            }
            3 | 4 => {
                let reason = [Proactive, KickedOffline, SignatureExpired][pick(3) as usize];
                let user = h.state().user_id;
                t.restarted = false;
                h.logout(reason).await;
                if let Some(user) = user {
                    t.logouts.push((h.tx.last(), user));
                }
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
            // Slow, but within the deadline (beyond it, only the backend's
            // sequence check helps: see the ordering tests).
            10 => h.backend.script([SimCall::ok(pick(TIMEOUT_MS - 500))]),
            11 => h.backend.script_clear([[
                SimCall::ok(pick(2_000)),
                SimCall::fail(10),
                SimCall::hang(),
            ][pick(3) as usize]]),
            12 => h.send(Command::AppForeground).await,
            13 => h.send(Command::NetworkAvailable).await,
            // The app waits for the logout, then ends the IM session.
            14 if h.state().user_id.is_none() => {
                h.settle().await;
                h.im_logout();
            }
            // The process dies and the app starts again.
            15 => {
                t.restarted = true;
                h = h.restart(Box::new(store.clone())).await;
            }
            _ => sleep(Duration::from_millis(pick(12_000))).await,
        }
        check(&h, &store, seed, &mut t);
    }

    // Liveness: with the world healthy again, a logged-in user ends up
    // registered with the platform's current token at the backend, and
    // every clear is confirmed or given up.
    h.platform.reset();
    h.backend.reset();
    sleep(Duration::from_secs(30)).await; // let calls already hanging time out
    h.send(Command::NetworkAvailable).await;
    let state = h.idle().await;
    check(&h, &store, seed, &mut t);
    let trace = &t.trace;
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
    assert!(store.clears().is_empty(), "seed {seed} {trace:?}");
    assert_eq!(state.pending_clears, 0);
    h.shutdown().await;
}

fn check(h: &Harness, store: &MemoryStore, seed: u64, t: &mut Tracker) {
    let trace = &t.trace;
    let violations = h.log.violations();
    assert!(
        violations.is_empty(),
        "seed {seed} {trace:?}: {violations:?}"
    );
    let state = h.state();
    let progress = h.progress();

    // No report applied for a user after that user's logout settled (and
    // before they logged in again).
    let events = h.log.events();
    if progress.settled {
        let applied = progress.applied;
        for (_, user) in t.logouts.iter().filter(|(n, _)| *n <= applied) {
            t.ended.entry(user.clone()).or_insert(events.len());
        }
        t.logouts.retain(|(n, _)| *n > applied);
    }
    for (user, since) in &t.ended {
        let late = events[*since..]
            .iter()
            .any(|e| matches!(e, SimEvent::Reported(r) if &r.user_id == user));
        if late {
            for (i, e) in events.iter().enumerate() {
                eprintln!("{i} {e:?}");
            }
        }
        assert!(
            !late,
            "seed {seed} {trace:?}: report applied for an ended session {user} since {since} {:?}",
            t.logouts
        );
    }

    // No unregister while a session the app started is logged in.
    let mut logged_in = false;
    for event in &events {
        match event {
            SimEvent::AppLogin(_) => logged_in = true,
            SimEvent::AppLogout => logged_in = false,
            SimEvent::UnregisterStarted(_) => {
                assert!(
                    !logged_in,
                    "seed {seed} {trace:?}: unregister while logged in"
                )
            }
            _ => {}
        }
    }

    if state.phase == P::Registered {
        let record = store.snapshot().expect("registered implies a record");
        assert_eq!(Some(&record.user_id), state.user_id.as_ref(), "seed {seed}");
        let live = h
            .backend
            .current()
            .expect("registered implies a live token");
        assert_eq!(live.token, record.token, "seed {seed} {trace:?}");
        assert_eq!(live.user_id, record.user_id, "seed {seed}");
        assert!(
            !h.platform.is_revoked(&live.token),
            "seed {seed} {trace:?}: the live token was unregistered"
        );
    }
    if state.user_id.is_none() && !t.restarted {
        assert_eq!(store.snapshot(), None, "seed {seed}");
    }
}
