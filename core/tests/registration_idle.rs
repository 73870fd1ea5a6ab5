//! The idle-cost promise, measured in a process of its own (other tests'
//! threads would blur the count): a registered, idle PushCore adds exactly
//! one thread, `pushcore-rt`, and that thread sleeps.

use pushcore::registration::sim::{SimLog, SimulatedBackend, SimulatedPlatform};
use pushcore::registration::{DeviceInfo, LogoutReason, RegistrationPhase};
use pushcore::{PushConfig, PushCore};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

fn thread_names() -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir("/proc/self/task").unwrap() {
        let comm = entry.unwrap().path().join("comm");
        names.push(
            std::fs::read_to_string(comm)
                .unwrap_or_default()
                .trim()
                .to_string(),
        );
    }
    names.sort();
    names
}

fn context_switches_of(name: &str) -> u64 {
    for entry in std::fs::read_dir("/proc/self/task").unwrap() {
        let dir = entry.unwrap().path();
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if comm.trim() == name {
            let status = std::fs::read_to_string(dir.join("status")).unwrap();
            return status
                .lines()
                .filter(|l| l.contains("ctxt_switches"))
                .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
                .sum();
        }
    }
    panic!("no thread named {name}: {:?}", thread_names());
}

#[test]
fn a_registered_idle_core_adds_one_sleeping_thread() {
    let dir = tempfile::tempdir().unwrap();
    let config = PushConfig::from_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/example-config.json"),
    )
    .unwrap();
    // The waiting side is a plain current-thread executor on this thread,
    // as a foreign caller's would be: it must not need threads of its own.
    let waiter = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();

    let before = thread_names();
    let core = PushCore::new(config, dir.path().display().to_string()).unwrap();
    assert_eq!(thread_names(), before, "PushCore::new starts no thread");

    let log = SimLog::default();
    let platform = Arc::new(SimulatedPlatform::new(
        DeviceInfo::android("OPPO", "OPPO"),
        log.clone(),
    ));
    let backend = Arc::new(SimulatedBackend::new(log.clone()));
    backend.set_session(Some("alice".into()));
    core.start_registration_with(platform, backend.clone(), None)
        .unwrap();
    core.login("alice".into()).unwrap();
    let state = waiter.block_on(core.wait_until_settled(10_000)).unwrap();
    assert_eq!(state.phase, RegistrationPhase::Registered);
    assert_eq!(backend.current().unwrap().business_id, 10004);

    let mut expected = before.clone();
    expected.push("pushcore-rt".into());
    expected.sort();
    assert_eq!(thread_names(), expected, "exactly one thread added");

    // Idle: no timer is armed, so the thread must not wake at all. The
    // baseline is taken once the tail of the registration (the listener
    // call, the store write after the settled state was published) has had
    // time to finish: a thread still running then goes to sleep once, which
    // is the last switch it may make.
    std::thread::sleep(Duration::from_millis(300));
    let switches = context_switches_of("pushcore-rt");
    std::thread::sleep(Duration::from_millis(1_500));
    assert_eq!(
        context_switches_of("pushcore-rt"),
        switches,
        "idle thread woke up"
    );

    core.logout(LogoutReason::Proactive).unwrap();
    let state = waiter.block_on(core.wait_until_settled(10_000)).unwrap();
    assert_eq!(state.phase, RegistrationPhase::LoggedOut);
    assert!(
        backend.current().is_none(),
        "proactive logout cleared the backend"
    );
    assert_eq!(thread_names(), expected);

    core.shutdown();
    assert_eq!(thread_names(), before, "shutdown joins the thread");
    let err = core.login("alice".into()).unwrap_err();
    assert_eq!(err.code(), "invalid_state");
}
