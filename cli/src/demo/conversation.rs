//! The conversation part of the demo: three messages of one chat become
//! one notification with three lines (posted under the conversation's
//! handle, replacing itself), and a muted chat stays silent.

use super::ledger::{handle_json, now};
use super::messages::Inbox;
use super::support::{core_err, expect, Out, Step};
use super::USER;
use pushcore::{ReceivedDecision, SuppressReason};
use serde_json::json;

impl Inbox<'_> {
    /// Dan sends three messages: each answer carries the conversation's one
    /// notification, growing by a line under the same handle.
    pub fn conversation(&self, out: &mut Out) -> Step {
        out.say("\n7b. Dan's three messages become one notification with three lines");
        let (s, micros) = now();
        let texts = [
            "Are we still on for tonight?",
            "I can bring the snacks",
            "Reply when you can",
        ];
        let mut handles = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let id = format!("dan-{s}-{micros}-{i}");
            let received = self.receive_named(&id, "dan", Some("Dan"), USER, text)?;
            let ReceivedDecision::Show { badge, .. } = received.decision else {
                return Err(format!("{id} should be shown, got {:?}", received.decision));
            };
            let update = received
                .conversation
                .ok_or_else(|| format!("{id}: no conversation notification"))?;
            let [notification] = update.post.as_slice() else {
                return Err(format!("{id}: one conversation to post, got {update:?}"));
            };
            expect(notification.lines.len() == i + 1, || {
                format!(
                    "{id}: {} lines, expected {}",
                    notification.lines.len(),
                    i + 1
                )
            })?;
            handles.push(notification.handle.clone());
            let lines: Vec<_> = notification
                .lines
                .iter()
                .map(|l| json!({ "sender_name": l.sender_name, "text": l.text }))
                .collect();
            out.event(
                "conversation_notification",
                json!({ "conversation_id": notification.conversation_id,
                        "handle": handle_json(&notification.handle),
                        "group_key": notification.group_key, "lines": lines,
                        "badge": badge, "summary": update.summary.is_some() }),
                &format!(
                    "{}: one notification (tag {}) with {} line(s), newest \"{}\"",
                    notification.conversation_id,
                    notification.handle.tag,
                    notification.lines.len(),
                    text
                ),
            );
        }
        expect(handles.windows(2).all(|w| w[0] == w[1]), || {
            format!("one handle for the conversation, got {handles:?}")
        })?;
        // The user opens the chat: the conversation's notification goes.
        let read_up_to_ms = i64::try_from(s.saturating_add(1) * 1000).unwrap_or(i64::MAX);
        let read = self
            .core
            .on_conversation_read_grouped("c2c_dan".into(), read_up_to_ms)
            .map_err(core_err("reporting the read"))?;
        expect(
            read.conversations.remove == handles[..1] && read.change.badge == 0,
            || format!("Dan's notification should go, badge 0: {read:?}"),
        )?;
        out.event(
            "conversation_read",
            json!({ "conversation_id": "c2c_dan",
                    "remove": read.conversations.remove.iter().map(handle_json).collect::<Vec<_>>(),
                    "badge": read.change.badge }),
            &format!(
                "Dan's chat opened: conversation notification {} removed, badge {}",
                handles[0].tag, read.change.badge
            ),
        );
        Ok(())
    }

    /// Eve's chat is muted: her message is not shown and does not count.
    pub fn muted_chat(&self, out: &mut Out) -> Step {
        out.say("\n7c. A muted chat stays silent");
        self.core
            .set_conversation_muted("c2c_eve".into(), None)
            .map_err(core_err("muting"))?;
        out.event(
            "conversation_muted",
            json!({ "conversation_id": "c2c_eve", "until_ms": null }),
            "c2c_eve muted until unmuted",
        );
        let (s, micros) = now();
        let received = self.receive_named(
            &format!("eve-{s}-{micros}"),
            "eve",
            Some("Eve"),
            USER,
            "Ping!",
        )?;
        self.suppressed(out, received, SuppressReason::Muted, "the chat is muted")
    }
}
