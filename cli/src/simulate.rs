//! `pushcore simulate --channel CHANNEL FILE|-`: what CHANNEL hands the app
//! when the user taps the message's notification, in the input format of
//! `pushcore parse`, so the two commands can be piped together.
//! `pushcore simulate --shade FILE|-`: what every channel's shade shows
//! after a sequence of messages (grouped, replaced or separate, and why).

use crate::args::{self, Args};
use crate::build_push::{read_message, single_path};
use pushcore::{outbound, PushChannel};
use std::process::ExitCode;

const HELP: &str = "\
usage: pushcore simulate --channel CHANNEL FILE|-
       pushcore simulate --shade FILE|-

Reads a message (the build-push input) and prints the tap input that
CHANNEL (xiaomi, huawei, honor, oppo, vivo, meizu, fcm, apns) delivers.
With --shade, reads a JSON array of messages (at most 1000, 1 MiB) and
prints one line per channel: the notifications its shade shows after them
(`shows`, the messages it `replaced`, its `thread`) and `why`.
";

pub fn run(args: Vec<String>) -> ExitCode {
    let mut args = Args::new(args);
    if args.flag("--help") || args.flag("-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    if args.flag("--shade") {
        return shade(args);
    }
    let channel = match args.option("--channel") {
        Ok(Some(name)) => match name.parse::<PushChannel>() {
            Ok(channel) => channel,
            Err(message) => return args::usage_error(&message),
        },
        Ok(None) => return args::usage_error("--channel CHANNEL is required"),
        Err(message) => return args::usage_error(&message),
    };
    let path = match single_path(args) {
        Ok(path) => path,
        Err(message) => return args::usage_error(&message),
    };
    let tap = read_message(&path).and_then(|m| outbound::simulate(&m, channel));
    match tap {
        Ok(tap) => {
            println!("{tap}");
            ExitCode::SUCCESS
        }
        Err(e) => args::core_error(&e),
    }
}

/// `--shade`: one JSON line per channel.
fn shade(args: Args) -> ExitCode {
    let path = match single_path(args) {
        Ok(path) => path,
        Err(message) => return args::usage_error(&message),
    };
    let shades = crate::input::read_text(&path, crate::input::MAX_FILE_BYTES, "messages")
        .and_then(|text| outbound::outbound_messages_from_json(&text))
        .and_then(|messages| outbound::simulate_shade(&messages));
    match shades {
        Ok(shades) => {
            for shade in shades {
                println!("{}", serde_json::json!(shade));
            }
            ExitCode::SUCCESS
        }
        Err(e) => args::core_error(&e),
    }
}
