//! One full registration cycle (login, choose channel, token request,
//! report, logout) against the in-process simulated platform and backend:
//! the core's own overhead per cycle, without any network.

use criterion::{criterion_group, criterion_main, Criterion};
use pushcore::registration::actor::{Actor, Command, Deps};
use pushcore::registration::backoff::Jitter;
use pushcore::registration::sim::{SimLog, SimulatedBackend, SimulatedPlatform};
use pushcore::registration::store::MemoryStore;
use pushcore::registration::{DeviceInfo, LogoutReason, RegistrationPhase};
use pushcore::{PushConfig, PushCore};
use std::path::Path;
use std::sync::Arc;

fn config() -> PushConfig {
    PushConfig::from_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/example-config.json"),
    )
    .expect("example config")
}

fn fakes() -> (Arc<SimulatedPlatform>, Arc<SimulatedBackend>) {
    let log = SimLog::default();
    let platform = Arc::new(SimulatedPlatform::new(
        DeviceInfo::android("Redmi", "Xiaomi"),
        log.clone(),
    ));
    (platform, Arc::new(SimulatedBackend::new(log)))
}

/// The actor driven directly on one current-thread runtime.
fn actor_cycle(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let (platform, backend) = fakes();
    backend.set_session(Some("alice".into()));
    let (actor, handles) = Actor::new(Deps {
        config: config(),
        platform,
        reporter: backend,
        listener: None,
        store: Box::new(MemoryStore::default()),
        jitter: Jitter::seeded(1),
    });
    let (tx, mut progress) = (handles.commands, handles.progress);
    let state = handles.state;
    let _task = runtime.spawn(actor.run());
    c.bench_function("registration/actor_login_register_logout", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let login = Command::Login {
                    user_id: "alice".into(),
                };
                let target = tx.send(login).expect("actor alive");
                progress
                    .wait_for(|p| p.applied >= target && p.settled)
                    .await
                    .expect("registered");
                assert_eq!(state.borrow().phase, RegistrationPhase::Registered);
                let logout = Command::Logout {
                    reason: LogoutReason::KickedOffline,
                };
                let target = tx.send(logout).expect("actor alive");
                progress
                    .wait_for(|p| p.applied >= target && p.settled)
                    .await
                    .expect("logged out");
            })
        })
    });
}

/// Through the exported facade: the app's thread talks to `pushcore-rt`
/// and waits for it, as Kotlin or Swift would.
fn facade_cycle(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("pushcore-bench-{}", std::process::id()));
    let core = PushCore::new(config(), dir.display().to_string()).expect("core");
    let (platform, backend) = fakes();
    backend.set_session(Some("alice".into()));
    core.start_registration_with(platform, backend, None)
        .expect("start");
    let waiter = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    c.bench_function("registration/facade_login_register_logout", |b| {
        b.iter(|| {
            core.login("alice".into()).expect("login");
            let s = waiter
                .block_on(core.wait_until_settled(5_000))
                .expect("settled");
            assert_eq!(s.phase, RegistrationPhase::Registered);
            core.logout(LogoutReason::KickedOffline).expect("logout");
            waiter
                .block_on(core.wait_until_settled(5_000))
                .expect("settled");
        })
    });
    core.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, actor_cycle, facade_cycle);
criterion_main!(benches);
