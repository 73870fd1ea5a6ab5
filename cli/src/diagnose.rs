//! `pushcore diagnose`: why pushes may not arrive on a device, from a
//! config file, a device file and optionally a registration state file
//! (samples in docs/examples). JSON by default, readable text with --text.

use crate::args::{self, Args};
use pushcore::diagnostics::{diagnose_device, render_text};
use pushcore::registration::{DeviceInfo, RegistrationState};
use pushcore::PushError;
use serde::de::DeserializeOwned;
use std::process::ExitCode;

const HELP: &str = "\
pushcore diagnose - findings and fixes for a device that gets no pushes

USAGE:
    pushcore diagnose --config FILE --device FILE [--state FILE] [--text]

OPTIONS:
    --config FILE   the app's push configuration (docs/example-config.json)
    --device FILE   the device, as JSON (docs/examples/devices/*.json)
    --state FILE    the registration state, as JSON (docs/examples/states/);
                    without it the login and token checks are skipped
    --text          readable text instead of JSON

The configuration is diagnosed even when it is invalid: its problems are
findings. Exit code 0 whatever the findings; 1 if a file cannot be read.
";

pub fn run(args: Vec<String>) -> ExitCode {
    let mut args = Args::new(args);
    if args.flag("--help") || args.flag("-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let text = args.flag("--text");
    let options = (|| {
        let config = args.option("--config")?;
        let device = args.option("--device")?;
        let state = args.option("--state")?;
        Ok::<_, String>((config, device, state))
    })();
    let (config, device, state) = match options {
        Ok(o) => o,
        Err(e) => return args::usage_error(&e),
    };
    match args.positionals() {
        Ok(rest) if rest.is_empty() => {}
        Ok(rest) => return args::usage_error(&format!("unexpected argument `{}`", rest[0])),
        Err(e) => return args::usage_error(&e),
    }
    let (Some(config), Some(device)) = (config, device) else {
        return args::usage_error("--config FILE and --device FILE are required");
    };

    let loaded = (|| {
        let config = crate::input::read_config(&config)?;
        let device: DeviceInfo = read_json(&device, "device")?;
        let state: Option<RegistrationState> = match state {
            Some(path) => Some(read_json(&path, "state")?),
            None => None,
        };
        Ok::<_, PushError>((config, device, state))
    })();
    let (config, device, state) = match loaded {
        Ok(l) => l,
        Err(e) => return args::core_error(&e),
    };
    let report = diagnose_device(&device, &config, state.as_ref());
    if text {
        print!("{}", render_text(&report));
    } else {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                return args::core_error(&PushError::Internal {
                    reason: e.to_string(),
                })
            }
        }
    }
    ExitCode::SUCCESS
}

fn read_json<T: DeserializeOwned>(path: &str, what: &str) -> Result<T, PushError> {
    let text =
        crate::input::read_text(path, crate::input::MAX_FILE_BYTES, &format!("{what} file"))?;
    serde_json::from_str(&text).map_err(|e| PushError::InvalidInput {
        reason: format!("{what} file {path}: {e}"),
    })
}
