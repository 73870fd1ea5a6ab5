//! `pushcore ledger`: the notification ledger of a database file from the
//! shell, so support can replay a user's case (what was shown, recalled,
//! read, and what the badge says) and tests can drive several processes.
//!
//! Each command prints one JSON line, flushed only after its change is
//! committed. The `shown` command makes the same decision as the app's
//! `handleReceived` (account guard, recall, dedup, ledger row).

use crate::args::{self, Args};
use crate::input;
use pushcore::config::DedupSettings;
use pushcore::store::dedup::Dedup;
use pushcore::store::dedup_key::{derive_key, MessageFields};
use pushcore::store::ledger::{
    receiver_digest, Change, Decision, Entry, Handle, Incoming, Ledger, Shown,
};

mod conversations;
use pushcore::store::{Store, SystemClock};
use pushcore::PushError;
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;

const HELP: &str = "\
usage: pushcore ledger --db PATH COMMAND [ARG ...]
       pushcore ledger --db PATH        (one COMMAND per line on stdin)

On stdin every line is answered, in order; a line that fails (or is not
UTF-8, or is over 16 KiB) is answered {\"error\",\"message\",\"line\"} on
stdout and the next line is read. Exit status: 0, or 1 if any line failed,
2 if any was a usage error.

Commands (each prints one JSON line):
    login USER                   record who is logged in (the account guard)
    logout                       record that nobody is logged in
    shown MESSAGE_ID CONVERSATION [SENT_MS] [RECEIVER]
                                 a received message: show, replace or suppress
                                 (duplicate, recalled, other_account, logged_out),
                                 decided as handleReceived does
    recall MESSAGE_ID            the handles to remove, and the badge
    read CONVERSATION UP_TO_MS   the handles to remove, and the badge
    dismiss TAG ID               a swipe-away; the badge
    badge                        the logged-in account's unread count
    list [LIMIT]                 the newest rows (default 50), one JSON line each

  Conversations, mutes and quiet hours (one notification per conversation):
    message MESSAGE_ID CONVERSATION SENT_MS SENDER TEXT...
                                 a received message with its sender and text:
                                 the decision as `shown` gives it, plus the
                                 conversation's notification (its lines) and
                                 `silent` (quiet hours, show-silently policy)
    conversations                every conversation notification as it should
                                 be now, and the group summary
    mute CONVERSATION [UNTIL_MS] mute until then (default: until unmuted);
                                 a time not after now unmutes
    unmute CONVERSATION          the same as a mute until 0
    mutes                        the conversations muted now
    quiet START END ZONE [show_silently|suppress] [silence_calls]
                                 quiet hours from START to END (HH:MM, local
                                 time in the IANA zone ZONE); default policy
                                 show_silently; calls ring unless silence_calls
    quiet off                    clear the quiet hours
    quiet                        the quiet hours set, or null
";

pub(crate) struct Session {
    ledger: Ledger,
    dedup: Dedup,
}

pub fn run(argv: Vec<String>) -> ExitCode {
    let mut args = Args::new(argv);
    if args.flag("--help") || args.flag("-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let db = match args.option("--db") {
        Ok(Some(db)) => db,
        Ok(None) => return args::usage_error("--db PATH is required"),
        Err(e) => return args::usage_error(&e),
    };
    let command = match args.positionals() {
        Ok(words) => words,
        Err(e) => return args::usage_error(&e),
    };
    let store = match Store::open(&db, Arc::new(SystemClock)) {
        Ok(store) => Arc::new(store),
        Err(e) => return args::core_error(&PushError::from(e)),
    };
    for event in store.events() {
        let line = json!({
            "warning": "store_recreated",
            "message": event.reason,
            "moved_to": event.moved_to,
        });
        eprintln!("{line}");
    }
    let session = Session {
        ledger: Ledger::new(store.clone(), DedupSettings::default()),
        dedup: Dedup::new(store, DedupSettings::default()),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !command.is_empty() {
        return session.run_one(&command, &mut out);
    }
    session.run_lines(&mut std::io::stdin().lock(), &mut out)
}

/// The longest command line read from stdin: a message's text is cut to
/// a few hundred bytes anyway.
const MAX_LINE_BYTES: usize = 16 * 1024;

impl Session {
    /// One command per line of `reader`, each read bounded. Every line is
    /// answered on `out`, a failed one as `{"error", "message", "line"}`,
    /// and the next is read: a support engineer replaying a user's case
    /// sees every answer. Exits 1 if any line failed (2 if one was a
    /// usage error).
    fn run_lines(&self, reader: &mut impl BufRead, out: &mut impl Write) -> ExitCode {
        let mut buffer = Vec::new();
        let mut worst = 0u8;
        let mut number = 0u64;
        loop {
            let read = match input::next_line(reader, MAX_LINE_BYTES, &mut buffer) {
                Ok(Some(read)) => read,
                Ok(None) => break,
                Err(e) => {
                    args::print_error("io", &format!("cannot read stdin: {e}"));
                    worst = worst.max(1);
                    break;
                }
            };
            number += 1;
            let words = match read {
                input::Line::TooLong(len) => {
                    Err(Failure::Core(input::line_too_large(len, MAX_LINE_BYTES)))
                }
                input::Line::Kept => std::str::from_utf8(&buffer)
                    .map(|line| {
                        line.split_whitespace()
                            .map(String::from)
                            .collect::<Vec<String>>()
                    })
                    .map_err(|_| {
                        Failure::Core(PushError::InvalidInput {
                            reason: "the line is not UTF-8".into(),
                        })
                    }),
            };
            let answer = match words {
                Ok(words) if words.is_empty() => continue,
                Ok(words) => self.answer(&words),
                Err(failure) => Err(failure),
            };
            let lines = match answer {
                Ok(lines) => lines,
                Err(failure) => {
                    let (code, message, exit) = match failure {
                        Failure::Usage(message) => ("usage".to_string(), message, 2),
                        Failure::Core(e) => (e.code().to_string(), e.message(), 1),
                    };
                    worst = worst.max(exit);
                    vec![json!({ "error": code, "message": message, "line": number })]
                }
            };
            for line in lines {
                // The reader went away: nothing left to tell anyone.
                if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
                    return ExitCode::from(1);
                }
            }
        }
        ExitCode::from(worst)
    }
}

impl Session {
    fn run_one(&self, words: &[String], out: &mut impl Write) -> ExitCode {
        let lines = match self.answer(words) {
            Ok(lines) => lines,
            Err(Failure::Usage(message)) => return args::usage_error(&message),
            Err(Failure::Core(e)) => return args::core_error(&e),
        };
        for line in lines {
            // The reader went away: nothing left to tell anyone.
            if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
                return ExitCode::from(1);
            }
        }
        ExitCode::SUCCESS
    }

    fn answer(&self, words: &[String]) -> Result<Vec<Value>, Failure> {
        let word = |i: usize| words.get(i).map(String::as_str);
        let (name, rest) = words
            .split_first()
            .ok_or_else(|| Failure::Usage("a command is required".into()))?;
        let arity = |min: usize, max: usize| {
            if rest.len() < min || rest.len() > max {
                Err(Failure::Usage(format!(
                    "`{name}` takes {min} to {max} arguments; see `pushcore ledger --help`"
                )))
            } else {
                Ok(())
            }
        };
        let answer = match name.as_str() {
            "login" | "logout" => {
                arity(usize::from(name == "login"), usize::from(name == "login"))?;
                self.ledger.set_session(word(1))?;
                json!({ "command": name, "badge": self.ledger.badge()? })
            }
            "shown" => {
                arity(2, 4)?;
                let sent_ms = number(word(3).unwrap_or("0"), "SENT_MS")?;
                self.shown(&rest[0], &rest[1], sent_ms, word(4))?
            }
            "recall" => {
                arity(1, 1)?;
                change(name, self.ledger.recall(&message_key(&rest[0])?)?)
            }
            "read" => {
                arity(2, 2)?;
                let up_to = number(&rest[1], "UP_TO_MS")?;
                change(name, self.ledger.read(&rest[0], up_to)?)
            }
            "dismiss" => {
                arity(2, 2)?;
                let id = i32::try_from(number(&rest[1], "ID")?)
                    .map_err(|_| Failure::Usage("ID must fit in 32 bits".into()))?;
                let handle = Handle {
                    tag: rest[0].clone(),
                    id,
                };
                change(name, self.ledger.dismissed(&handle)?)
            }
            "badge" => {
                arity(0, 0)?;
                json!({ "command": name, "badge": self.ledger.badge()? })
            }
            "list" => {
                arity(0, 1)?;
                let limit = u32::try_from(number(word(1).unwrap_or("50"), "LIMIT")?)
                    .map_err(|_| Failure::Usage("LIMIT must be 0 or more".into()))?;
                return Ok(self.ledger.entries(limit)?.into_iter().map(entry).collect());
            }
            "message" | "conversations" | "mute" | "unmute" | "mutes" | "quiet" => {
                self.conversation_command(name, rest)?
            }
            other => {
                return Err(Failure::Usage(format!(
                    "unknown ledger command `{other}`; see `pushcore ledger --help`"
                )))
            }
        };
        Ok(vec![answer])
    }

    fn shown(
        &self,
        message_id: &str,
        conversation: &str,
        sent_ms: i64,
        receiver: Option<&str>,
    ) -> Result<Value, Failure> {
        let key = message_key(message_id)?;
        let receiver = receiver.map(receiver_digest);
        let incoming = Incoming {
            shown: Shown {
                message_key: &key,
                conversation,
                handle: Handle::for_message(&key),
                message_ms: sent_ms,
                content: "",
                source: "cli",
            },
            receiver: receiver.as_deref(),
        };
        let mut answer = json!({ "command": "shown", "message_id": message_id });
        decision_json(&mut answer, self.ledger.decide(&self.dedup, &incoming)?);
        Ok(answer)
    }
}

/// A decision's fields, as `shown` and `message` print them.
fn decision_json(answer: &mut Value, decision: Decision) {
    {
        match decision {
            Decision::Show { handle, badge } => {
                answer["decision"] = json!("show");
                answer["handle"] = handle_json(&handle);
                answer["badge"] = json!(badge);
            }
            Decision::Replace { handle, badge } => {
                answer["decision"] = json!("replace");
                answer["handle"] = handle_json(&handle);
                answer["badge"] = json!(badge);
            }
            Decision::Suppress { reason, badge } => {
                answer["decision"] = json!("suppress");
                answer["reason"] = json!(reason.as_str());
                answer["badge"] = json!(badge);
            }
        }
    }
}

pub(crate) enum Failure {
    Usage(String),
    Core(PushError),
}

impl From<pushcore::error::Error> for Failure {
    fn from(e: pushcore::error::Error) -> Self {
        Failure::Core(PushError::from(e))
    }
}

pub(crate) fn message_key(message_id: &str) -> Result<String, Failure> {
    if message_id.trim().is_empty() {
        return Err(Failure::Usage("MESSAGE_ID must not be empty".into()));
    }
    Ok(derive_key(&MessageFields {
        im_message_id: Some(message_id.to_string()),
        ..Default::default()
    }))
}

pub(crate) fn number(text: &str, name: &str) -> Result<i64, Failure> {
    text.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
        Failure::Usage(format!(
            "{name} must be a non-negative integer, got `{text}`"
        ))
    })
}

pub(crate) fn handle_json(handle: &Handle) -> Value {
    json!({ "tag": handle.tag, "id": handle.id })
}

fn change(command: &str, change: Change) -> Value {
    let remove: Vec<Value> = change.remove.iter().map(handle_json).collect();
    json!({ "command": command, "remove": remove, "badge": change.badge })
}

fn entry(e: Entry) -> Value {
    json!({
        "message_key": e.message_key,
        "account": e.account,
        "conversation": e.conversation,
        "handle": handle_json(&e.handle),
        "message_ms": e.message_ms,
        "shown_ms": e.shown_ms,
        "state": e.state.as_str(),
        "source": e.source,
    })
}
