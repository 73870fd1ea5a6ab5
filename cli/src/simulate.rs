//! `pushcore simulate --channel CHANNEL FILE|-`: what CHANNEL hands the app
//! when the user taps the message's notification, in the input format of
//! `pushcore parse`, so the two commands can be piped together.

use crate::args::{self, Args};
use crate::build_push::{read_message, single_path};
use pushcore::{outbound, PushChannel};
use std::process::ExitCode;

const HELP: &str = "\
usage: pushcore simulate --channel CHANNEL FILE|-

Reads a message (the build-push input) and prints the tap input that
CHANNEL (xiaomi, huawei, honor, oppo, vivo, meizu, fcm, apns) delivers.
";

pub fn run(args: Vec<String>) -> ExitCode {
    let mut args = Args::new(args);
    if args.flag("--help") || args.flag("-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
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
