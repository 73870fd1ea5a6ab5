//! `pushcore build-push [--truncate] FILE|-`: a message's IM REST
//! `OfflinePushInfo` and what each channel will do with it. Findings are
//! the output, not a failure: the exit code is 0 whenever the message
//! could be read.

use crate::args::{self, Args};
use pushcore::outbound::{self, OutboundMessage};
use pushcore::PushError;
use std::process::ExitCode;

const HELP: &str = "\
usage: pushcore build-push [--truncate] FILE|-

Reads a message (JSON, see docs/examples/message.json; `-` for stdin) and
prints {\"offline_push_info\":{...},\"findings\":[...]}.
    --truncate   cut titles and descs to every channel's limit
";

pub fn run(args: Vec<String>) -> ExitCode {
    let mut args = Args::new(args);
    if args.flag("--help") || args.flag("-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let truncate = args.flag("--truncate");
    let path = match single_path(args) {
        Ok(path) => path,
        Err(message) => return args::usage_error(&message),
    };
    let mut message = match read_message(&path) {
        Ok(message) => message,
        Err(e) => return args::core_error(&e),
    };
    message.truncate |= truncate;
    let built = match outbound::build(&message) {
        Ok(built) => built,
        Err(e) => return args::core_error(&e.into()),
    };
    let out = serde_json::json!({
        "offline_push_info": built.offline_push_info,
        "findings": built.findings,
    });
    println!("{out}");
    ExitCode::SUCCESS
}

/// The one positional argument, a file path or `-`.
pub fn single_path(args: Args) -> Result<String, String> {
    let mut positionals = args.positionals()?;
    match positionals.len() {
        1 => Ok(positionals.remove(0)),
        0 => Err("a message FILE (or - for stdin) is required".into()),
        _ => Err("exactly one message FILE is expected".into()),
    }
}

/// Reads a message from a file or, for `-`, from stdin.
pub fn read_message(path: &str) -> Result<OutboundMessage, PushError> {
    let text = crate::input::read_text(path, crate::input::MAX_MESSAGE_BYTES, "message")?;
    OutboundMessage::from_json(&text).map_err(PushError::from)
}
