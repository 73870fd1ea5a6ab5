//! `pushcore parse [FILE|-] [--lines] [--config FILE]`: what a notification
//! tap delivered, normalized, with its in-app route.
//!
//! `--lines` is for bulk work on logs: one input object per line in, one
//! output line per input line out (an `{"error":...}` line for a bad one),
//! through one locked, buffered reader and writer with reused buffers.

use crate::args::{self, Args};
use crate::input;
use pushcore::config::AllowedUrl;
use pushcore::entity::CallInfo;
use pushcore::payload::{self, NormalizedNotification, PayloadFinding};
use pushcore::routing::{self, Route};
use pushcore::{ChatType, PushChannel, PushError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

const HELP: &str = "\
pushcore parse - normalize what a notification tap delivered

USAGE:
    pushcore parse [FILE|-] [--lines] [--config FILE]

Reads {\"platform\":\"android\",\"extras\":{...},\"data_uri\":\"...\",\"channel_hint\":\"huawei\"}
or {\"platform\":\"ios\",\"user_info\":{...}} and prints the normalized notification
and its route as one JSON object. On rejection prints {\"error\":..,\"message\":..}
on stderr and exits 1.

OPTIONS:
    --lines          one input object per line; one output line each (errors inline)
    --config FILE    PushCore config whose routing.url_allow_list is used for routes
";

/// The CLI's output contract (snake_case keys). `chat_type`, `sender` and
/// `conversation_id` are null for a payload that names no conversation;
/// `extras` is empty under `--lines`, which skips it for speed.
#[derive(Serialize)]
struct Output<'a> {
    channel: &'static str,
    chat_type: Option<&'static str>,
    sender: Option<&'a str>,
    conversation_id: Option<&'a str>,
    action: &'static str,
    action_code: u32,
    call: Option<&'a CallInfo>,
    nickname: Option<&'a str>,
    face_url: Option<&'a str>,
    content: Option<&'a str>,
    send_time: u64,
    version: u32,
    newer_version: bool,
    message_id: Option<&'a str>,
    vendor_message_id: Option<&'a str>,
    vendor_notification_id: Option<&'a str>,
    title: Option<&'a str>,
    body: Option<&'a str>,
    /// The bytes as numbers 0..=255, however the sender wrote them.
    custom_data: Option<&'a [u8]>,
    extras: BTreeMap<&'a str, &'a str>,
    findings: &'a [PayloadFinding],
    route: &'a Route,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    error: &'static str,
    message: &'a str,
}

pub fn run(args: Vec<String>) -> ExitCode {
    let mut args = Args::new(args);
    if args.flag("--help") || args.flag("-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let lines = args.flag("--lines");
    let config = match args.option("--config") {
        Ok(path) => path,
        Err(e) => return args::usage_error(&e),
    };
    let input = match args.positionals() {
        Ok(p) if p.len() <= 1 => p.into_iter().next().unwrap_or_else(|| "-".into()),
        Ok(_) => return args::usage_error("parse takes at most one FILE"),
        Err(e) => return args::usage_error(&e),
    };
    let allow_list = match config {
        Some(path) => match crate::input::read_config(&path) {
            Ok(c) => c.routing.url_allow_list,
            Err(e) => return args::core_error(&e),
        },
        None => Vec::new(),
    };
    let reader: Box<dyn Read> = if input == "-" {
        Box::new(io::stdin().lock())
    } else {
        match std::fs::File::open(&input) {
            Ok(f) => Box::new(f),
            Err(e) => {
                args::print_error("io", &format!("cannot read {input}: {e}"));
                return ExitCode::from(1);
            }
        }
    };
    let result = if lines {
        run_lines(reader, &allow_list)
    } else {
        return run_one(reader, &allow_list);
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is a normal end for a bulk filter.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            args::print_error("io", &e.to_string());
            ExitCode::from(1)
        }
    }
}

fn run_one(mut reader: Box<dyn Read>, allow_list: &[AllowedUrl]) -> ExitCode {
    let mut bytes = Vec::new();
    // One byte past the limit is enough to know the input is too large.
    let limit = pushcore::limits::MAX_INPUT_BYTES as u64 + 1;
    if let Err(e) = reader.by_ref().take(limit).read_to_end(&mut bytes) {
        args::print_error("io", &e.to_string());
        return ExitCode::from(1);
    }
    // Whitespace padding counts: the limit is on what the caller sent.
    let parsed = pushcore::limits::check_size(bytes.len())
        .and_then(|()| payload::parse_click_json(bytes.trim_ascii()).map_err(PushError::from));
    match parsed {
        Ok(n) => {
            let mut out = io::stdout().lock();
            let written = write_output(&mut out, &n, allow_list).and_then(|()| out.flush());
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    args::print_error("io", &e.to_string());
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => args::core_error(&e),
    }
}

fn run_lines(reader: Box<dyn Read>, allow_list: &[AllowedUrl]) -> io::Result<()> {
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let mut out = BufWriter::with_capacity(256 * 1024, io::stdout().lock());
    let mut line = Vec::with_capacity(4096);
    let limit = pushcore::limits::MAX_INPUT_BYTES;
    // A line is kept only up to the limit: a longer one is skipped unread
    // and answered `too_large`, so memory stays bounded whatever the input.
    while let Some(read) = input::next_line(&mut reader, limit, &mut line)? {
        let parsed = match read {
            input::Line::Kept => {
                payload::parse_click_json_without_extras(line.trim_ascii()).map_err(PushError::from)
            }
            input::Line::TooLong(len) => Err(input::line_too_large(len, limit)),
        };
        match parsed {
            Ok(n) => write_output(&mut out, &n, allow_list)?,
            Err(e) => write_error(&mut out, &e)?,
        }
    }
    out.flush()
}

fn write_output(
    out: &mut impl Write,
    n: &NormalizedNotification,
    allow_list: &[AllowedUrl],
) -> io::Result<()> {
    let route = routing::route(n, allow_list);
    let view = Output {
        channel: PushChannel::name_or_unknown(n.channel),
        chat_type: n.chat_type.map(ChatType::as_str),
        sender: n.sender.as_deref(),
        conversation_id: n.conversation_id.as_deref(),
        action: n.action.as_str(),
        action_code: n.action.code(),
        call: n.call.as_ref(),
        nickname: n.nickname.as_deref(),
        face_url: n.face_url.as_deref(),
        content: n.content.as_deref(),
        send_time: n.send_time,
        version: n.version,
        newer_version: n.newer_version,
        message_id: n.message_id.as_deref(),
        vendor_message_id: n.vendor_message_id.as_deref(),
        vendor_notification_id: n.vendor_notification_id.as_deref(),
        title: n.title.as_deref(),
        body: n.body.as_deref(),
        custom_data: n.custom_data.as_deref(),
        // Sorted, so the output is stable for diffing and tests.
        extras: n
            .extras
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        findings: &n.findings,
        route: &route,
    };
    serde_json::to_writer(&mut *out, &view)?;
    out.write_all(b"\n")
}

fn write_error(out: &mut impl Write, e: &PushError) -> io::Result<()> {
    let message = e.message();
    serde_json::to_writer(
        &mut *out,
        &ErrorLine {
            error: e.code(),
            message: &message,
        },
    )?;
    out.write_all(b"\n")
}
