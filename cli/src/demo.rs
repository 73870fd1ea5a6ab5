//! `pushcore demo`: the whole life of a push on this machine, through the
//! same core calls an app makes, with an embedded store in a fresh
//! temporary directory and the simulated platform and IM backend
//! (`pushcore::registration::sim`). Every step checks what it expects and
//! the command exits non-zero at the first surprise, so the demo doubles as
//! the project's end-to-end smoke test.

use crate::args::{self, Args};
use pushcore::diagnostics::{diagnose_device, render_text, Severity};
use pushcore::logging::redact;
use pushcore::registration::select::choose_push_channel;
use pushcore::registration::sim::{SimEvent, SimLog, SimulatedBackend, SimulatedPlatform};
use pushcore::registration::{DeviceInfo, LogoutReason, RegistrationPhase, RegistrationState};
use pushcore::{PushChannel, PushConfig, PushCore};
use serde_json::{json, Value};
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

const HELP: &str = "\
pushcore demo - the whole life of a push, simulated on this machine

USAGE:
    pushcore demo [--json] [--dir DIR]

OPTIONS:
    --json      print an event log, one JSON object per line
    --dir DIR   keep the store in DIR (created if missing) instead of a
                fresh temporary directory that is removed at the end

Exits 1 if any step does not behave as expected.
";

const EXAMPLE_CONFIG: &str = include_str!("../../docs/example-config.json");

/// One sample phone per channel, from docs/examples/devices.
const SAMPLE_DEVICES: [(&str, &str, PushChannel); 8] = [
    (
        "Xiaomi",
        include_str!("../../docs/examples/devices/xiaomi.json"),
        PushChannel::Xiaomi,
    ),
    (
        "Huawei",
        include_str!("../../docs/examples/devices/huawei.json"),
        PushChannel::Huawei,
    ),
    (
        "Honor",
        include_str!("../../docs/examples/devices/honor.json"),
        PushChannel::Honor,
    ),
    (
        "OPPO",
        include_str!("../../docs/examples/devices/oppo-android8.json"),
        PushChannel::Oppo,
    ),
    (
        "vivo",
        include_str!("../../docs/examples/devices/vivo.json"),
        PushChannel::Vivo,
    ),
    (
        "Meizu",
        include_str!("../../docs/examples/devices/meizu.json"),
        PushChannel::Meizu,
    ),
    (
        "Pixel",
        include_str!("../../docs/examples/devices/pixel.json"),
        PushChannel::Fcm,
    ),
    (
        "iPhone",
        include_str!("../../docs/examples/devices/iphone-production.json"),
        PushChannel::Apns,
    ),
];

/// The phone the session, the message and the tap are played on.
const MAIN_DEVICE: usize = 0;
const USER: &str = "alice";
/// Deadline for registration to settle; the simulation answers at once.
const SETTLE_MS: u64 = 5_000;
/// How long a late token is given to (wrongly) reach the backend.
const LATE_TOKEN_GRACE: Duration = Duration::from_millis(200);

pub fn run(args: Vec<String>) -> ExitCode {
    let mut args = Args::new(args);
    if args.flag("--help") || args.flag("-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let json = args.flag("--json");
    let dir = match args.option("--dir") {
        Ok(dir) => dir,
        Err(e) => return args::usage_error(&e),
    };
    match args.positionals() {
        Ok(rest) if rest.is_empty() => {}
        Ok(rest) => return args::usage_error(&format!("unexpected argument `{}`", rest[0])),
        Err(e) => return args::usage_error(&e),
    }
    let store = match StoreDir::new(dir) {
        Ok(store) => store,
        Err(e) => {
            args::print_error("storage", &e);
            return ExitCode::from(1);
        }
    };
    let mut out = Out { json, events: 0 };
    let started = Instant::now();
    let result = play(&mut out, store.path());
    drop(store);
    match result {
        Ok(()) => {
            out.say(&format!(
                "\nok: every step behaved as expected ({} events in {} ms)",
                out.events,
                started.elapsed().as_millis()
            ));
            ExitCode::SUCCESS
        }
        Err(failure) => {
            args::print_error("demo_failed", &failure);
            ExitCode::from(1)
        }
    }
}

/// The store directory: the caller's, or a fresh temporary one removed on
/// drop.
struct StoreDir {
    path: PathBuf,
    remove: bool,
}

impl StoreDir {
    fn new(dir: Option<String>) -> Result<StoreDir, String> {
        if let Some(dir) = dir {
            return Ok(StoreDir {
                path: PathBuf::from(dir),
                remove: false,
            });
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("pushcore-demo-{}-{nanos:09}", std::process::id()));
        // `create_dir`, not `create_dir_all`: the directory must be new.
        std::fs::create_dir(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(StoreDir { path, remove: true })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for StoreDir {
    fn drop(&mut self) {
        if self.remove {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Human text or JSON event lines.
struct Out {
    json: bool,
    events: usize,
}

impl Out {
    /// A line for people only.
    fn say(&self, line: &str) {
        if !self.json {
            print_line(line);
        }
    }

    /// An event: a JSON line, or `human` for people.
    fn event(&mut self, name: &str, fields: Value, human: &str) {
        self.events += 1;
        if self.json {
            // `event` first, for people reading the log with their eyes.
            let fields = fields.to_string();
            let rest = fields.strip_prefix('{').unwrap_or("}");
            let separator = if rest == "}" { "" } else { "," };
            print_line(&format!("{{\"event\":{}{separator}{rest}", json!(name)));
        } else {
            print_line(&format!("   {human}"));
        }
    }
}

/// Prints and flushes a line; a closed stdout (`pushcore demo | head`)
/// must not turn into a panic.
fn print_line(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

type Step<T = ()> = Result<T, String>;

fn expect(condition: bool, what: impl FnOnce() -> String) -> Step {
    if condition {
        Ok(())
    } else {
        Err(what())
    }
}

fn core_err(step: &str) -> impl Fn(pushcore::PushError) -> String + '_ {
    move |e| format!("{step}: {} ({})", e.message(), e.code())
}

/// Runs a future to completion on this thread. The core's async calls do
/// their work on the core's own thread, so the CLI needs no runtime of its
/// own, only something to wait with.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(value) => return value,
            Poll::Pending => std::thread::park(),
        }
    }
}

fn play(out: &mut Out, dir: &Path) -> Step {
    out.say("PushCore demo: the life of a push, simulated on this machine");
    out.say(&format!("store: {} (SQLite)", dir.display()));
    let config = pushcore::config::push_config_from_json(EXAMPLE_CONFIG.to_string())
        .map_err(core_err("loading docs/example-config.json"))?;

    let devices = choose_channels(out, &config)?;
    let (_, device) = &devices[MAIN_DEVICE];
    let core = PushCore::new(config.clone(), dir.display().to_string())
        .map_err(core_err("creating the core"))?;
    let session = Session::start(&core, device.clone())?;
    session.log_in(out)?;
    session.log_out_and_ignore_late_token(out)?;
    core.shutdown();

    diagnose_misconfigured_oppo(out, &config)
}

fn choose_channels(out: &mut Out, config: &PushConfig) -> Step<Vec<(&'static str, DeviceInfo)>> {
    out.say("\n1. Channel choice: one phone of each vendor");
    let mut devices = Vec::new();
    for (name, json, expected) in SAMPLE_DEVICES {
        let device: DeviceInfo = serde_json::from_str(json)
            .map_err(|e| format!("sample device {name} does not parse: {e}"))?;
        let choice = choose_push_channel(config.clone(), device.clone());
        expect(choice.channel == Some(expected), || {
            format!(
                "{name} should use {expected}, got {:?}: {}",
                choice.channel, choice.reason
            )
        })?;
        let channel = choice.channel.map(|c| c.as_str()).unwrap_or("none");
        out.event(
            "channel_chosen",
            json!({
                "device": name,
                "model": device.model,
                "channel": channel,
                "business_id": choice.business_id,
                "reason": choice.reason,
            }),
            &format!(
                "{name:<7} {:<11} -> {channel:<6} business id {}  ({})",
                device.model,
                choice.business_id.unwrap_or_default(),
                choice.reason
            ),
        );
        devices.push((name, device));
    }
    Ok(devices)
}

/// A phone with the app on it: the core plus the simulated vendor SDK and
/// IM backend, sharing one event log.
struct Session<'a> {
    core: &'a PushCore,
    platform: Arc<SimulatedPlatform>,
    backend: Arc<SimulatedBackend>,
    log: SimLog,
    channel: PushChannel,
}

impl<'a> Session<'a> {
    fn start(core: &'a PushCore, device: DeviceInfo) -> Step<Session<'a>> {
        let log = SimLog::default();
        let platform = Arc::new(SimulatedPlatform::new(device, log.clone()));
        let backend = Arc::new(SimulatedBackend::new(log.clone()));
        core.start_registration(platform.clone(), backend.clone(), None)
            .map_err(core_err("starting registration"))?;
        Ok(Session {
            core,
            platform,
            backend,
            log,
            channel: SAMPLE_DEVICES[MAIN_DEVICE].2,
        })
    }

    fn settle(&self, step: &str) -> Step<RegistrationState> {
        block_on(self.core.wait_until_settled(SETTLE_MS)).map_err(core_err(step))
    }

    fn violations(&self) -> Step {
        let violations = self.log.violations();
        expect(violations.is_empty(), || {
            format!("the backend saw broken invariants: {violations:?}")
        })
    }

    fn log_in(&self, out: &mut Out) -> Step {
        out.say(&format!(
            "\n2. {USER} logs in on the {} phone",
            SAMPLE_DEVICES[MAIN_DEVICE].0
        ));
        // The IM SDK's login succeeded; the app forwards it to the core.
        self.backend.set_session(Some(USER.into()));
        self.core
            .login(USER.into())
            .map_err(core_err("logging in"))?;
        out.event(
            "logged_in",
            json!({ "user": redact(USER).to_string() }),
            &format!("logged in as {}", redact(USER)),
        );
        let state = self.settle("waiting for registration")?;
        expect(state.phase == RegistrationPhase::Registered, || {
            format!("registration should be done, got {state:?}")
        })?;
        expect(state.channel == Some(self.channel), || {
            format!(
                "registered on {:?}, expected {}",
                state.channel, self.channel
            )
        })?;

        let issued: Vec<String> = self
            .log
            .events()
            .into_iter()
            .filter_map(|e| match e {
                SimEvent::TokenIssued(_, token) => Some(token),
                _ => None,
            })
            .collect();
        expect(issued.len() == 1, || {
            format!("expected one token from the vendor, got {}", issued.len())
        })?;
        let token = &issued[0];
        out.event(
            "token_received",
            json!({ "channel": self.channel.as_str(), "token": redact(token).to_string() }),
            &format!("token received from {}: {}", self.channel, redact(token)),
        );

        let reported = self.backend.current();
        let report_count = self.log.count(|e| matches!(e, SimEvent::Reported(_)));
        let Some(report) = reported.filter(|r| &r.token == token && report_count == 1) else {
            return Err(format!(
                "the token should be reported once for {USER}, got {report_count} reports"
            ));
        };
        out.event(
            "token_reported",
            json!({
                "channel": report.channel.as_str(),
                "vendor_id": report.vendor_id,
                "business_id": report.business_id,
                "token": redact(&report.token).to_string(),
            }),
            &format!(
                "token reported to the IM backend: {} (vendor id {}), business id {}",
                report.channel,
                report.vendor_id.unwrap_or_default(),
                report.business_id
            ),
        );
        self.violations()
    }

    fn log_out_and_ignore_late_token(&self, out: &mut Out) -> Step {
        out.say("\n5. Logout, then a late token refresh");
        self.core
            .logout(LogoutReason::Proactive)
            .map_err(core_err("logging out"))?;
        let state = self.settle("waiting for the logout")?;
        let cleared = self.log.count(|e| matches!(e, SimEvent::Cleared { .. }));
        expect(
            state.phase == RegistrationPhase::LoggedOut && cleared == 1,
            || format!("logout should clear the token once: {state:?}, {cleared} clears"),
        )?;
        // The push token is cleared; now the IM SDK ends its session.
        self.backend.set_session(None);
        out.event(
            "logged_out",
            json!({ "reason": "proactive", "token_cleared": true }),
            "logged out (proactive): the token was cleared at the backend first",
        );

        let reports_before = self.log.count(|e| matches!(e, SimEvent::ReportStarted(_)));
        let late = self.platform.rotate_token(self.channel);
        self.core
            .on_new_token(self.channel, late.clone())
            .map_err(core_err("delivering the late token"))?;
        std::thread::sleep(LATE_TOKEN_GRACE);
        let reports_after = self.log.count(|e| matches!(e, SimEvent::ReportStarted(_)));
        let state = self.core.registration_state();
        expect(
            reports_after == reports_before && state.phase == RegistrationPhase::LoggedOut,
            || format!("a token after logout must not be reported: {state:?}"),
        )?;
        expect(self.backend.current().is_none(), || {
            "the backend still holds a token after logout".into()
        })?;
        out.event(
            "token_ignored",
            json!({
                "channel": self.channel.as_str(),
                "token": redact(&late).to_string(),
                "reason": "logged out",
            }),
            &format!(
                "late {} token {} after logout: not reported (waited {} ms)",
                self.channel,
                redact(&late),
                LATE_TOKEN_GRACE.as_millis()
            ),
        );
        self.violations()
    }
}

fn diagnose_misconfigured_oppo(out: &mut Out, config: &PushConfig) -> Step {
    out.say("\n6. Diagnosis: an OPPO phone on Android 8 with no OPPO channel id configured");
    let mut broken = config.clone();
    if let Some(oppo) = broken.channels.oppo.as_mut() {
        oppo.channel_id = None;
    }
    let (_, json, _) = SAMPLE_DEVICES[3];
    let device: DeviceInfo = serde_json::from_str(json).map_err(|e| format!("OPPO sample: {e}"))?;
    expect(device.sdk_int >= 26, || {
        "the OPPO sample must be Android 8+".into()
    })?;
    let report = diagnose_device(&device, &broken, None);
    let first = report.findings.first();
    expect(
        first
            .is_some_and(|f| f.code == "oppo_channel_id_required" && f.severity == Severity::Error),
        || {
            format!(
                "expected oppo_channel_id_required first, got {:?}",
                report.findings
            )
        },
    )?;
    let text = render_text(&report)
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("   {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    out.event(
        "diagnosis",
        json!({
            "device": "OPPO",
            "channel": report.channel.map(|c| c.as_str()),
            "findings": report.findings,
        }),
        text.trim_start(),
    );
    Ok(())
}
