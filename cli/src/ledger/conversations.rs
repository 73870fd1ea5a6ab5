//! `pushcore ledger` commands for one notification per conversation, mutes
//! and quiet hours: the same store calls `handleReceived` and the
//! `setConversationMuted` / `setQuietHours` methods make, so support can
//! replay "why was this chat silent?" on a user's database.

use super::{decision_json, handle_json, message_key, number, Failure, Session};
use pushcore::clean_line_text;
use pushcore::store::ledger::conversation::{
    summary_handle, MAX_LINE_UNITS, MAX_SENDER_NAME_UNITS,
};
use pushcore::store::ledger::{
    ConversationUpdate, Handle, Incoming, Line, QuietHours, QuietPolicy, Received, Shown,
};
use serde_json::{json, Value};

impl Session {
    pub(super) fn conversation_command(
        &self,
        name: &str,
        rest: &[String],
    ) -> Result<Value, Failure> {
        let usage =
            |what: &str| Failure::Usage(format!("`{name}` {what}; see `pushcore ledger --help`"));
        Ok(match (name, rest) {
            ("message", [id, conversation, sent_ms, sender, text @ ..]) if !text.is_empty() => {
                let sent_ms = number(sent_ms, "SENT_MS")?;
                self.message(id, conversation, sent_ms, sender, &text.join(" "))?
            }
            ("message", _) => {
                return Err(usage(
                    "takes MESSAGE_ID CONVERSATION SENT_MS SENDER TEXT...",
                ))
            }
            ("conversations", []) => {
                json!({ "command": name, "conversations": update_json(&self.ledger.conversations()?) })
            }
            ("mute", [conversation]) => self.mute(name, conversation, None)?,
            ("mute", [conversation, until]) => {
                // A negative time is the core's to refuse (`invalid_input`).
                let until = until.parse::<i64>().map_err(|_| {
                    Failure::Usage(format!("UNTIL_MS must be an integer, got `{until}`"))
                })?;
                self.mute(name, conversation, Some(until))?
            }
            ("unmute", [conversation]) => self.mute(name, conversation, Some(0))?,
            ("mutes", []) => {
                let mutes: Vec<Value> = self
                    .ledger
                    .mutes(1000)?
                    .into_iter()
                    .map(|m| json!({ "conversation": m.conversation, "until_ms": m.until_ms }))
                    .collect();
                json!({ "command": name, "mutes": mutes })
            }
            ("quiet", []) => {
                json!({ "command": name, "quiet_hours": self.ledger.quiet_hours()?.map(|q| quiet_json(&q)) })
            }
            ("quiet", [off]) if off == "off" => {
                self.ledger.clear_quiet_hours()?;
                json!({ "command": name, "quiet_hours": null })
            }
            ("quiet", [start, end, zone, options @ ..]) if options.len() <= 2 => {
                let hours = quiet_hours(start, end, zone, options)?;
                self.ledger.set_quiet_hours(&hours)?;
                json!({ "command": name, "quiet_hours": quiet_json(&hours) })
            }
            _ => return Err(usage("has the wrong arguments")),
        })
    }

    fn mute(
        &self,
        name: &str,
        conversation: &str,
        until_ms: Option<i64>,
    ) -> Result<Value, Failure> {
        if conversation.trim().is_empty() {
            return Err(Failure::Usage("CONVERSATION must not be empty".into()));
        }
        self.ledger.set_muted(conversation, until_ms)?;
        Ok(json!({ "command": name, "conversation": conversation, "until_ms": until_ms }))
    }

    fn message(
        &self,
        message_id: &str,
        conversation: &str,
        sent_ms: i64,
        sender: &str,
        text: &str,
    ) -> Result<Value, Failure> {
        let key = message_key(message_id)?;
        let sender_name = clean_line_text(sender, MAX_SENDER_NAME_UNITS);
        let text = clean_line_text(text, MAX_LINE_UNITS);
        let received = Received {
            incoming: Incoming {
                shown: Shown {
                    message_key: &key,
                    conversation,
                    handle: Handle::for_message(&key),
                    message_ms: sent_ms,
                    content: &text,
                    source: "cli",
                },
                receiver: None,
            },
            line: Line {
                sender_name: &sender_name,
                text: &text,
            },
            is_call: false,
        };
        let outcome = self.ledger.receive(&self.dedup, &received)?;
        let mut answer = json!({ "command": "message", "message_id": message_id });
        decision_json(&mut answer, outcome.decision);
        answer["silent"] = json!(outcome.silent);
        answer["conversations"] = outcome
            .conversation
            .as_ref()
            .map_or(Value::Null, update_json);
        Ok(answer)
    }
}

fn update_json(update: &ConversationUpdate) -> Value {
    let post: Vec<Value> = update
        .post
        .iter()
        .map(|v| {
            let lines: Vec<Value> = v
                .lines
                .iter()
                .map(|l| json!({ "sender_name": l.sender_name, "text": l.text, "time_ms": l.message_ms }))
                .collect();
            json!({ "conversation": v.conversation, "handle": handle_json(&v.handle),
                    "lines": lines, "unread": v.unread })
        })
        .collect();
    let remove: Vec<Value> = update.remove.iter().map(handle_json).collect();
    let summary = update.summary.as_ref().map(|s| {
        json!({ "handle": handle_json(&summary_handle()), "conversations": s.conversations, "unread": s.unread })
    });
    json!({ "post": post, "remove": remove, "summary": summary })
}

fn quiet_json(q: &QuietHours) -> Value {
    let hhmm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    json!({ "start": hhmm(q.start_minute), "end": hhmm(q.end_minute), "timezone": q.timezone,
            "policy": q.policy.as_str(), "silence_calls": q.silence_calls })
}

/// `HH:MM` as minutes after midnight; the range is the core's to check.
fn minutes(text: &str, name: &str) -> Result<u16, Failure> {
    let bad = || Failure::Usage(format!("{name} must be HH:MM, got `{text}`"));
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 {
        return Err(bad());
    }
    h.checked_mul(60)
        .and_then(|h| h.checked_add(m))
        .ok_or_else(bad)
}

fn quiet_hours(
    start: &str,
    end: &str,
    zone: &str,
    options: &[String],
) -> Result<QuietHours, Failure> {
    let mut hours = QuietHours {
        start_minute: minutes(start, "START")?,
        end_minute: minutes(end, "END")?,
        timezone: zone.to_string(),
        policy: QuietPolicy::ShowSilently,
        silence_calls: false,
    };
    for option in options {
        match option.as_str() {
            "show_silently" => hours.policy = QuietPolicy::ShowSilently,
            "suppress" => hours.policy = QuietPolicy::Suppress,
            "silence_calls" => hours.silence_calls = true,
            other => {
                return Err(Failure::Usage(format!(
                    "unknown quiet-hours option `{other}`"
                )))
            }
        }
    }
    Ok(hours)
}
