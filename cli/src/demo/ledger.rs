//! The notification ledger part of the demo: a recalled message leaves the
//! shade and its late vendor copy stays hidden, a conversation read on the
//! desktop clears its notifications, and pushes for another account or
//! after logout are not shown. Every answer carries the badge.

use super::messages::Inbox;
use super::support::{core_err, expect, Out, Step};
use super::USER;
use pushcore::outbound::{outbound_message_from_json, simulate_delivery};
use pushcore::payload::click_input_from_json;
use pushcore::{NotificationHandle, ReceivedDecision, ReceivedOutcome, SuppressReason};
use serde_json::{json, Value};

/// Seconds and a per-run suffix, so a kept store (`--dir`) sees new ids.
pub(super) fn now() -> (u64, u32) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (now.as_secs(), now.subsec_micros())
}

pub(super) fn handle_json(h: &NotificationHandle) -> Value {
    json!({ "tag": h.tag, "id": h.id })
}

impl Inbox<'_> {
    /// A one-to-one text to `receiver`, delivered as a data message on the
    /// phone's channel and handed to `handleReceived`.
    fn receive(&self, id: &str, sender: &str, receiver: &str, text: &str) -> Step<ReceivedOutcome> {
        self.receive_named(id, sender, None, receiver, text)
    }

    /// [`receive`](Self::receive) with the sender's display name.
    pub(super) fn receive_named(
        &self,
        id: &str,
        sender: &str,
        nickname: Option<&str>,
        receiver: &str,
        text: &str,
    ) -> Step<ReceivedOutcome> {
        let mut message = json!({"message_type":"text","message_id":id,"chat_type":"c2c",
            "sender":sender,"receiver":receiver,"content":text,"send_time":now().0});
        if let Some(nickname) = nickname {
            message["nickname"] = json!(nickname);
        }
        let message = outbound_message_from_json(message.to_string())
            .map_err(core_err("reading the message"))?;
        let delivered = simulate_delivery(message, self.channel)
            .map_err(core_err("simulating the delivery"))?;
        let input = click_input_from_json(&delivered).map_err(core_err("reading the delivery"))?;
        self.core
            .handle_received(input, format!("{}-data", self.channel))
            .map_err(core_err("handling the received message"))
    }

    /// Receives and expects `Show`; reports it and returns the handle.
    fn show(&self, out: &mut Out, id: &str, sender: &str, text: &str) -> Step<NotificationHandle> {
        let received = self.receive(id, sender, USER, text)?;
        let ReceivedDecision::Show { handle, badge } = &received.decision else {
            return Err(format!("{id} should be shown, got {:?}", received.decision));
        };
        out.event(
            "notification_shown",
            json!({ "source": format!("{}-data", self.channel), "key": received.dedup_key,
                    "handle": handle_json(handle), "badge": badge }),
            &format!(
                "{sender}'s message {id}: shown under tag {} id {}, badge {}",
                handle.tag,
                handle.id,
                badge.unwrap_or_default()
            ),
        );
        Ok(handle.clone())
    }

    /// Receives and expects `Suppress` for `reason`; reports it.
    pub(super) fn suppressed(
        &self,
        out: &mut Out,
        received: ReceivedOutcome,
        reason: SuppressReason,
        why: &str,
    ) -> Step {
        let ReceivedDecision::Suppress { reason: got, badge } = received.decision else {
            return Err(format!("expected {reason:?}, got {:?}", received.decision));
        };
        expect(got == reason, || {
            format!("expected {reason:?}, got {got:?}")
        })?;
        let name = match reason {
            SuppressReason::Duplicate => "duplicate",
            SuppressReason::Recalled => "recalled",
            SuppressReason::OtherAccount => "other_account",
            SuppressReason::LoggedOut => "logged_out",
            SuppressReason::Muted => "muted",
            SuppressReason::QuietHours => "quiet_hours",
        };
        out.event(
            "notification_suppressed",
            json!({ "source": format!("{}-data", self.channel), "key": received.dedup_key,
                    "reason": name, "badge": badge }),
            &format!("{}: {why} -> suppressed ({name})", received.dedup_key),
        );
        Ok(())
    }

    /// Bob recalls a message: it leaves the shade, and the copy a vendor
    /// channel delivers late is not shown.
    pub fn recall(&self, out: &mut Out) -> Step {
        out.say("\n5. Bob recalls a message; its late copy stays hidden");
        let (s, micros) = now();
        let id = format!("144115212345678901-{s}-{micros}-r");
        let handle = self.show(out, &id, "bob", "Oops, wrong chat")?;
        let change = self
            .core
            .on_message_recalled(id.clone())
            .map_err(core_err("recalling"))?;
        expect(change.remove == vec![handle.clone()], || {
            format!("the recall should remove {handle:?}, got {change:?}")
        })?;
        out.event(
            "recalled",
            json!({ "message_id": id, "remove": change.remove.iter().map(handle_json).collect::<Vec<_>>(),
                    "badge": change.badge }),
            &format!(
                "recalled: remove tag {}, badge {}",
                handle.tag, change.badge
            ),
        );
        let late = self.receive(&id, "bob", USER, "Oops, wrong chat")?;
        self.suppressed(
            out,
            late,
            SuppressReason::Recalled,
            "late vendor copy of a recalled message",
        )
    }

    /// Two messages from Carol, then the desktop reports the conversation
    /// read: both notifications go and the badge drops to zero.
    pub fn read_on_desktop(&self, out: &mut Out) -> Step {
        out.say("\n6. Carol's chat is read on the desktop");
        let (s, micros) = now();
        let first = self.show(out, &format!("c-{s}-{micros}-1"), "carol", "Are you there?")?;
        let second = self.show(out, &format!("c-{s}-{micros}-2"), "carol", "Call me")?;
        let read_up_to_ms = i64::try_from(s.saturating_add(1) * 1000).unwrap_or(i64::MAX);
        let change = self
            .core
            .on_conversation_read("c2c_carol".into(), read_up_to_ms)
            .map_err(core_err("reporting the read"))?;
        let mut removed = change.remove.clone();
        removed.sort_by_key(|h| h.tag.clone());
        expect(removed == [first, second] && change.badge == 0, || {
            format!("both of Carol's notifications should go, badge 0: {change:?}")
        })?;
        out.event(
            "conversation_read",
            json!({ "conversation_id": "c2c_carol",
                    "remove": change.remove.iter().map(handle_json).collect::<Vec<_>>(),
                    "badge": change.badge }),
            &format!(
                "read on the desktop: {} notifications removed, badge {}",
                change.remove.len(),
                change.badge
            ),
        );
        Ok(())
    }

    /// A push addressed to another account than the one logged in (the
    /// server-side unbind failed): not shown.
    pub fn other_account(&self, out: &mut Out) -> Step {
        out.say("\n7. A push for another account reaches this phone");
        let (s, micros) = now();
        let received = self.receive(&format!("d-{s}-{micros}"), "erin", "dave", "Hi Dave")?;
        self.suppressed(
            out,
            received,
            SuppressReason::OtherAccount,
            "addressed to another account",
        )
    }

    /// After logout nothing is shown, even a push for the user who left.
    pub fn logged_out(&self, out: &mut Out) -> Step {
        out.say("\n9. A push arrives after logout");
        let (s, micros) = now();
        let received = self.receive(&format!("l-{s}-{micros}"), "bob", USER, "Still there?")?;
        self.suppressed(
            out,
            received,
            SuppressReason::LoggedOut,
            "nobody is logged in",
        )
    }
}
