//! `pushcore simulate --channel CHANNEL FILE|-`: what CHANNEL hands the app
//! when the user taps the message's notification, in the input format of
//! `pushcore parse`, so the two commands can be piped together.
//! `pushcore simulate --shade FILE|-`: what every channel's shade shows
//! after a sequence of messages (grouped, replaced or separate, and why).

use crate::args::{self, Args};
use crate::build_push::{read_message, single_path};
use pushcore::outbound::ChannelShade;
use pushcore::{outbound, PushChannel, PushError};
use std::process::ExitCode;

const HELP: &str = "\
usage: pushcore simulate --channel CHANNEL FILE|-
       pushcore simulate --shade [--text] FILE|-

Reads a message (the build-push input) and prints the tap input that
CHANNEL (xiaomi, huawei, honor, oppo, vivo, meizu, fcm, apns) delivers.
With --shade, reads a JSON array of messages (at most 1000, 1 MiB) and
prints one line per channel: the notifications its shade shows after them
(`shows`, the messages it `replaced`, its `thread`) and `why`.
    --text   one plain line per channel instead:
             `xiaomi  c2c_carol: c1 | c2c_bob: b2 (replaced b1)`
";

pub fn run(args: Vec<String>) -> ExitCode {
    let mut args = Args::new(args);
    if args.flag("--help") || args.flag("-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    if args.flag("--shade") {
        let text = args.flag("--text");
        return shade(args, text);
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
    let tap = read_message(&path).and_then(|m| outbound::simulate(&m, channel).map_err(Into::into));
    match tap {
        Ok(tap) => {
            println!("{tap}");
            ExitCode::SUCCESS
        }
        Err(e) => args::core_error(&e),
    }
}

/// `--shade`: one JSON line per channel, or with `--text` one plain line.
fn shade(args: Args, text: bool) -> ExitCode {
    let path = match single_path(args) {
        Ok(path) => path,
        Err(message) => return args::usage_error(&message),
    };
    let shades = crate::input::read_text(&path, crate::input::MAX_FILE_BYTES, "messages")
        .and_then(|text| outbound::outbound_messages_from_json(&text).map_err(PushError::from))
        .and_then(|messages| outbound::simulate_shade(&messages).map_err(PushError::from));
    match shades {
        Ok(shades) => {
            for shade in shades {
                if text {
                    println!("{}", shade_line(&shade));
                } else {
                    println!("{}", serde_json::json!(shade));
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => args::core_error(&e),
    }
}

/// `xiaomi  c2c_carol: c1 | c2c_bob: b2 (replaced b1)`; a thread follows
/// its notification as `@thread`, an empty shade reads `(empty)`.
fn shade_line(shade: &ChannelShade) -> String {
    let notifications: Vec<String> = shade
        .notifications
        .iter()
        .map(|n| {
            let mut text = format!("{}: {}", n.conversation_id, n.shows);
            if !n.replaced.is_empty() {
                text += &format!(" (replaced {})", n.replaced.join(", "));
            }
            if let Some(thread) = &n.thread {
                text += &format!(" @{thread}");
            }
            text
        })
        .collect();
    let shown = if notifications.is_empty() {
        "(empty)".to_string()
    } else {
        notifications.join(" | ")
    };
    format!("{:<7} {shown}", shade.channel.as_str())
}
