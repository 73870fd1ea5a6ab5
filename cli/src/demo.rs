//! `pushcore demo`: the whole life of a push on this machine, through the
//! same core calls an app makes, with an embedded store in a fresh
//! temporary directory and the simulated platform and IM backend
//! (`pushcore::registration::sim`). Every step checks what it expects and
//! the command exits non-zero at the first surprise, so the demo doubles as
//! the project's end-to-end smoke test.

mod conversation;
mod ledger;
mod messages;
mod session;
mod support;

use crate::args::{self, Args};
use messages::Inbox;
use pushcore::diagnostics::{diagnose_device, render_text, Severity};
use pushcore::registration::select::choose_push_channel;
use pushcore::registration::DeviceInfo;
use pushcore::{PushChannel, PushConfig, PushCore};
use serde_json::json;
use session::Session;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use support::{core_err, expect, Out, Step, StoreDir};

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
/// The phone diagnosed with a broken configuration (Android 8).
const OPPO_DEVICE: usize = 3;
const USER: &str = "alice";

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

fn play(out: &mut Out, dir: &Path) -> Step {
    out.say("PushCore demo: the life of a push, simulated on this machine");
    out.say(&format!("store: {} (SQLite)", dir.display()));
    let config = pushcore::push_config_from_json(EXAMPLE_CONFIG.to_string())
        .map_err(core_err("loading docs/example-config.json"))?;

    let devices = choose_channels(out, &config)?;
    let (_, device) = &devices[MAIN_DEVICE];
    let core = PushCore::new(config.clone(), dir.display().to_string())
        .map_err(core_err("creating the core"))?;
    let session = Session::start(&core, device.clone())?;
    session.log_in(out)?;

    let inbox = Inbox {
        core: &core,
        channel: SAMPLE_DEVICES[MAIN_DEVICE].2,
    };
    let message = inbox.build(out)?;
    inbox.deliver_twice(out, &message)?;
    inbox.tap(out, &message)?;
    inbox.tap_group_call(out)?;
    inbox.recall(out)?;
    inbox.read_on_desktop(out)?;
    inbox.other_account(out)?;
    inbox.conversation(out)?;
    inbox.muted_chat(out)?;

    session.log_out_and_ignore_late_token(out)?;
    inbox.logged_out(out)?;
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

fn diagnose_misconfigured_oppo(out: &mut Out, config: &PushConfig) -> Step {
    out.say("\n10. Diagnosis: an OPPO phone on Android 8 with no OPPO channel id configured");
    let mut broken = config.clone();
    if let Some(oppo) = broken.channels.oppo.as_mut() {
        oppo.channel_id = None;
    }
    let (_, json, _) = SAMPLE_DEVICES[OPPO_DEVICE];
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
