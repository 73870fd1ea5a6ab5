//! `pushcore diagnose` through the built binary, on the sample files in
//! docs/examples.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn file(relative: &str) -> String {
    repo().join(relative).display().to_string()
}

fn pushcore(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pushcore"))
        .args(args)
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn codes(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The example config with OPPO's channel id removed, in a scratch file.
fn config_without_oppo_channel_id() -> String {
    let text = std::fs::read_to_string(file("docs/example-config.json")).unwrap();
    let mut config: Value = serde_json::from_str(&text).unwrap();
    config["channels"]["oppo"]
        .as_object_mut()
        .unwrap()
        .remove("channel_id");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagnose-no-oppo-channel.json");
    std::fs::write(&path, config.to_string()).unwrap();
    path.display().to_string()
}

#[test]
fn every_sample_device_is_diagnosed_with_its_channel_and_no_errors() {
    let table = [
        ("xiaomi.json", "xiaomi"),
        ("huawei.json", "huawei"),
        ("honor.json", "honor"),
        ("oppo-android8.json", "oppo"),
        ("vivo.json", "vivo"),
        ("meizu.json", "meizu"),
        ("pixel.json", "fcm"),
        ("iphone-development.json", "apns"),
        ("iphone-production.json", "apns"),
    ];
    let config = file("docs/example-config.json");
    for (device, channel) in table {
        let device = file(&format!("docs/examples/devices/{device}"));
        let report = json(&pushcore(&[
            "diagnose", "--config", &config, "--device", &device,
        ]));
        assert_eq!(report["channel"], channel, "{device}");
        assert_eq!(report["state_checked"], false);
        for (code, severity) in codes(&report) {
            assert_eq!(severity, "advice", "{device}: {code}");
        }
    }
}

#[test]
fn an_oppo_on_android_8_without_channel_id_gets_the_error_first() {
    let config = config_without_oppo_channel_id();
    let device = file("docs/examples/devices/oppo-android8.json");
    let report = json(&pushcore(&[
        "diagnose", "--config", &config, "--device", &device,
    ]));
    let found = codes(&report);
    assert_eq!(
        found[0],
        ("oppo_channel_id_required".to_string(), "error".to_string()),
        "{found:?}"
    );
    let finding = &report["findings"][0];
    assert!(finding["fix"]
        .as_str()
        .unwrap()
        .contains("channels.oppo.channel_id"));

    let text = pushcore(&[
        "diagnose", "--config", &config, "--device", &device, "--text",
    ]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with("channel: oppo (business id 10004)"),
        "{text}"
    );
    assert!(text.contains("[error] oppo_channel_id_required"), "{text}");
    assert!(text.contains("login and token checks skipped"), "{text}");
}

#[test]
fn a_state_file_adds_the_login_and_token_checks() {
    let config = file("docs/example-config.json");
    let device = file("docs/examples/devices/oppo-android8.json");
    let table = [
        ("docs/examples/states/registered.json", None),
        (
            "docs/examples/states/report-failing.json",
            Some(("token_not_reported", "warning")),
        ),
    ];
    for (state, expected) in table {
        let report = json(&pushcore(&[
            "diagnose",
            "--config",
            &config,
            "--device",
            &device,
            "--state",
            &file(state),
        ]));
        assert_eq!(report["state_checked"], true);
        let problems: Vec<_> = codes(&report)
            .into_iter()
            .filter(|(_, s)| s != "advice")
            .collect();
        let expected: Vec<_> = expected
            .into_iter()
            .map(|(c, s)| (c.to_string(), s.to_string()))
            .collect();
        assert_eq!(problems, expected, "{state}");
    }
}

#[test]
fn bad_invocations_fail_with_json_errors() {
    let config = file("docs/example-config.json");
    let device = file("docs/examples/devices/pixel.json");
    let broken = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagnose-broken-device.json");
    std::fs::write(&broken, r#"{"os":"android","brand":"x"}"#).unwrap();
    let broken = broken.display().to_string();
    let table: [(&[&str], u8, &str); 5] = [
        (&["diagnose", "--config", &config], 2, "usage"),
        (
            &[
                "diagnose", "--config", &config, "--device", &device, "--nope",
            ],
            2,
            "usage",
        ),
        (
            &[
                "diagnose",
                "--config",
                &config,
                "--device",
                "/nonexistent/d.json",
            ],
            1,
            "invalid_input",
        ),
        (
            &["diagnose", "--config", &config, "--device", &broken],
            1,
            "invalid_input",
        ),
        (
            &["diagnose", "--config", &device, "--device", &device],
            1,
            "invalid_input",
        ),
    ];
    for (args, exit, code) in table {
        let output = pushcore(args);
        assert_eq!(output.status.code(), Some(i32::from(exit)), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let error: Value = serde_json::from_slice(&output.stderr).unwrap();
        assert_eq!(error["error"], code, "{args:?}");
    }
    let help = pushcore(&["diagnose", "--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--state FILE"));
}
