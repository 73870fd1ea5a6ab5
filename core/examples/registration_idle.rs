//! Measures what a registered, idle PushCore costs: threads and resident
//! memory added (Linux /proc). Run with
//! `cargo run -p pushcore --example registration_idle`.

use pushcore::registration::sim::{SimLog, SimulatedBackend, SimulatedPlatform};
use pushcore::registration::DeviceInfo;
use pushcore::{PushConfig, PushCore};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|d| d.count())
        .unwrap_or(0)
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let config_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/example-config.json");
    let config = PushConfig::from_file(&config_path).expect("example config");
    let dir = std::env::temp_dir().join(format!("pushcore-idle-{}", std::process::id()));
    let waiter = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");

    let (threads0, rss0) = (threads(), rss_kib());
    let core = PushCore::new(config, dir.display().to_string()).expect("core");
    let log = SimLog::default();
    let platform = Arc::new(SimulatedPlatform::new(
        DeviceInfo::android("Xiaomi", "Xiaomi"),
        log.clone(),
    ));
    let backend = Arc::new(SimulatedBackend::new(log));
    backend.set_session(Some("alice".into()));
    core.start_registration_with(platform, backend, None)
        .expect("start");
    core.login("alice".into()).expect("login");
    let state = waiter
        .block_on(core.wait_until_settled(10_000))
        .expect("settled");
    std::thread::sleep(Duration::from_millis(500));
    let (threads1, rss1) = (threads(), rss_kib());
    println!("phase: {:?}", state.phase);
    println!(
        "threads: {threads0} -> {threads1} (+{})",
        threads1 - threads0
    );
    println!(
        "VmRSS: {rss0} KiB -> {rss1} KiB (+{} KiB)",
        rss1.saturating_sub(rss0)
    );
    core.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}
