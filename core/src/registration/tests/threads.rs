//! Many threads calling at once, through the real service and its thread.

use super::*;
use crate::registration::service::RegistrationService;
use std::time::Instant;

/// 8 threads call login, logout and new tokens for 2 s, then one final
/// logout: everything settles within 5 s, the state matches that last call,
/// the session never went back, and nothing was reported after it.
#[test]
fn eight_threads_for_two_seconds_then_a_final_logout_settle_in_order() {
    let log = SimLog::default();
    let platform = Arc::new(SimulatedPlatform::new(xiaomi(), log.clone()));
    let backend = Arc::new(SimulatedBackend::new(log.clone()));
    backend.ignore_sequence();
    platform.set_default(SimCall::ok(1));
    backend.set_default(SimCall::ok(2));
    let listener = Arc::new(RecordingListener::new(log.clone()));
    let mut cfg = config();
    cfg.retry.platform_timeout_ms = 500;
    cfg.retry.initial_delay_ms = 10;
    cfg.retry.max_delay_ms = 50;
    let service = Arc::new(
        RegistrationService::start(Deps {
            config: cfg,
            platform: platform.clone(),
            reporter: backend.clone(),
            listener: Some(listener.clone()),
            store: Box::new(MemoryStore::default()),
            jitter: Jitter::seeded(5),
        })
        .unwrap(),
    );
    let until = Instant::now() + Duration::from_secs(2);
    let threads: Vec<_> = (0..8u64)
        .map(|i| {
            let (service, backend, platform) = (service.clone(), backend.clone(), platform.clone());
            std::thread::spawn(move || {
                let mut n = i;
                while Instant::now() < until {
                    n = n
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let user = USERS[(n >> 33) as usize % 3];
                    match (n >> 40) % 4 {
                        0 | 1 => {
                            backend.set_session(Some(user.into()));
                            service.login(user.into()).unwrap();
                        }
                        2 => service
                            .logout([Proactive, KickedOffline][(n >> 50) as usize % 2])
                            .unwrap(),
                        _ => service
                            .new_token(
                                PushChannel::Xiaomi,
                                platform.rotate_token(PushChannel::Xiaomi),
                            )
                            .unwrap(),
                    }
                    std::thread::sleep(Duration::from_micros(200));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    service.logout(Proactive).unwrap();
    let started = Instant::now();
    let waiter = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let state = waiter
        .block_on(service.wait_until_settled(Duration::from_secs(5)))
        .expect("settles within 5 s");
    assert!(started.elapsed() < Duration::from_secs(5));
    let mark = log.events().len();
    backend.set_session(None);
    assert_eq!(state.phase, P::LoggedOut);
    assert_eq!(state.user_id, None);
    let states = listener.states.lock().unwrap().clone();
    assert_eq!(state.session, states.last().unwrap().session);
    assert!(states.len() > 100, "only {} states", states.len());
    std::thread::sleep(Duration::from_millis(600));
    let late = log.events()[mark..]
        .iter()
        .filter(|e| matches!(e, SimEvent::Reported(_)))
        .count();
    assert_eq!(late, 0, "reported after the final logout settled");
    assert!(log.violations().is_empty(), "{:?}", log.violations());
    service.shutdown();
    assert_eq!(service.state().phase, P::ShutDown);
}
