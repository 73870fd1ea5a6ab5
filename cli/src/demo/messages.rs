//! The message part of the demo: Bob's message is built with its offline
//! push options, reaches the phone twice (over the IM connection while the
//! app is up, and as the vendor push) and the dedup store lets one
//! notification through; then the user taps it, and the tap is parsed,
//! checked against double handling, and routed; last, a group call rings
//! and its tap opens the call screen for that group.

use super::support::{core_err, expect, Out, Step};
use pushcore::entity::CallMedia;
use pushcore::outbound::{build_push, outbound_message_from_json, simulate_delivery};
use pushcore::outbound::{FindingSeverity, OutboundMessage};
use pushcore::payload::click_input_from_json;
use pushcore::store::dedup::{DedupKind, DedupOutcome};
use pushcore::{dedup_fields_for_notification, derive_dedup_key, DedupFields};
use pushcore::{NormalizedNotification, PushChannel, PushCore, Route};
use serde_json::{json, Value};

/// What Bob sends, in the form `pushcore build-push` reads; the message
/// id and send time are filled in per run, so a kept store (`--dir`) sees a
/// new message each time. The channel ids are the ones in
/// docs/example-config.json.
const MESSAGE: &str = r#"{
  "message_type": "text",
  "chat_type": "c2c",
  "sender": "bob",
  "nickname": "Bob",
  "content": "Lunch at noon?",
  "options": {
    "title": "Bob",
    "desc": "Lunch at noon?",
    "xiaomi_channel_id": "im_private",
    "oppo_channel_id": "im",
    "fcm_channel_id": "im_messages",
    "huawei_category": "IM",
    "vivo_category": "IM",
    "android_sound": "ring",
    "ios_sound": "default"
  }
}"#;

/// Carol calls Bob's team: a video call push for the group, in the form
/// `pushcore build-push` reads. The call id is filled in per run.
const GROUP_CALL: &str = r#"{
  "message_type": "custom",
  "chat_type": "group",
  "sender": "carol",
  "nickname": "Carol",
  "content": "Carol is calling the team",
  "options": {
    "title": "Team call",
    "desc": "Carol is calling the team",
    "xiaomi_channel_id": "im_private",
    "oppo_channel_id": "im",
    "fcm_channel_id": "im_messages",
    "huawei_category": "VOIP",
    "vivo_category": "IM"
  },
  "call": {
    "call_id": "",
    "media": "video",
    "invited": ["bob", "dave"],
    "group_id": "@TGS#team"
  }
}"#;

/// The app's side of a phone receiving and tapping messages.
pub struct Inbox<'a> {
    pub core: &'a PushCore,
    /// The channel the phone registered on.
    pub channel: PushChannel,
}

/// The dedup key of a parsed delivery, for showing it.
fn key_of(n: &NormalizedNotification) -> String {
    derive_dedup_key(dedup_fields_for_notification(n.clone()))
}

impl Inbox<'_> {
    /// Builds the message's push options and checks them for every channel.
    pub fn build(&self, out: &mut Out) -> Step<OutboundMessage> {
        out.say("\n3. Bob sends a message; it reaches the phone twice");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let mut message: Value =
            serde_json::from_str(MESSAGE).map_err(|e| format!("the demo message: {e}"))?;
        message["send_time"] = json!(now.as_secs());
        message["message_id"] = json!(format!(
            "144115212345678901-{}-{}",
            now.as_secs(),
            now.subsec_micros()
        ));
        let message = outbound_message_from_json(message.to_string())
            .map_err(core_err("reading the message"))?;
        let built = build_push(message.clone()).map_err(core_err("building push options"))?;
        let errors: Vec<_> = built
            .findings
            .iter()
            .filter(|f| f.severity == FindingSeverity::Error)
            .collect();
        expect(errors.is_empty(), || {
            format!("the push options have errors: {errors:?}")
        })?;
        out.say(&format!(
            "   push options built: title {:?}, desc {:?}, ext {} bytes, {} warning(s)",
            built.options.title.unwrap_or_default(),
            built.options.desc.unwrap_or_default(),
            built.ext.len(),
            built.findings.len()
        ));
        Ok(message)
    }

    /// The two deliveries: exactly one notification may be shown.
    pub fn deliver_twice(&self, out: &mut Out, message: &OutboundMessage) -> Step {
        // Over the IM connection the SDK hands the app the message itself;
        // the app keys it from the message's own fields.
        let online_key = derive_dedup_key(DedupFields {
            im_message_id: message.message_id.clone(),
            vendor_message_id: None,
            channel: None,
            sender: message.sender.clone(),
            chat_type: 1,
            conversation: Some(format!("c2c_{}", message.sender)),
            content: message.content.clone(),
            send_time_seconds: message.send_time,
        });
        let online = self
            .core
            .check_and_mark(online_key.clone(), DedupKind::Displayed, "online".into())
            .map_err(core_err("checking the dedup store"))?;
        // As the vendor push, the app gets the channel's payload: parsed,
        // then checked as a notification.
        let pushed = self.vendor_tap(message)?;
        let pushed_key = key_of(&pushed);
        expect(pushed_key == online_key, || {
            format!("both deliveries must share one key: {pushed_key} vs {online_key}")
        })?;
        let source = self.channel.as_str();
        let vendor = self
            .core
            .check_and_mark_notification(pushed, DedupKind::Displayed, source.into())
            .map_err(core_err("checking the dedup store"))?;

        let mut shown = 0;
        for (source, outcome) in [("online", online), (source, vendor)] {
            match outcome {
                DedupOutcome::Fresh => {
                    shown += 1;
                    out.event(
                        "notification_shown",
                        json!({ "source": source, "key": online_key, "title": "Bob", "body": message.content }),
                        &format!("{source:<7} delivery, key {online_key}: fresh -> notification shown"),
                    );
                }
                DedupOutcome::Duplicate { source: first, .. } => out.event(
                    "notification_suppressed",
                    json!({ "source": source, "key": online_key, "first_seen_from": first }),
                    &format!(
                        "{source:<7} delivery, key {online_key}: already shown from {first} -> suppressed"
                    ),
                ),
            }
        }
        expect(shown == 1, || {
            format!("exactly one notification should be shown, got {shown}")
        })
    }

    /// The vendor push, as the channel hands it to the app, parsed.
    fn vendor_tap(&self, message: &OutboundMessage) -> Step<NormalizedNotification> {
        let delivered = simulate_delivery(message.clone(), self.channel)
            .map_err(core_err("simulating the vendor delivery"))?;
        let input = click_input_from_json(&delivered).map_err(core_err("reading the tap"))?;
        self.core
            .parse_click(input)
            .map_err(core_err("parsing the tap"))
    }

    /// The user taps the notification: parse, handle once, route.
    pub fn tap(&self, out: &mut Out, message: &OutboundMessage) -> Step {
        out.say("\n4. The user taps the notification");
        let tapped = self.vendor_tap(message)?;
        expect(tapped.channel == Some(self.channel), || {
            format!(
                "the tap should be read as {}, got {}",
                self.channel,
                PushChannel::name_or_unknown(tapped.channel)
            )
        })?;
        match self
            .core
            .check_and_mark_notification(tapped.clone(), DedupKind::Clicked, "tap".into())
            .map_err(core_err("checking the tap"))?
        {
            DedupOutcome::Fresh => {}
            DedupOutcome::Duplicate { source, .. } => {
                return Err(format!("a first tap was taken for a repeat of {source}"))
            }
        }
        out.event(
            "clicked",
            json!({
                "channel": PushChannel::name_or_unknown(tapped.channel),
                "conversation_id": tapped.conversation_id,
                "message_id": tapped.message_id,
                "vendor_message_id": tapped.vendor_message_id,
            }),
            &format!(
                "{} tap parsed: conversation {}, message {}",
                PushChannel::name_or_unknown(tapped.channel),
                tapped.conversation_id.as_deref().unwrap_or("-"),
                tapped.message_id.as_deref().unwrap_or("-")
            ),
        );
        let route = self.core.route(tapped);
        let expected = Route::C2cChat {
            user_id: message.sender.clone(),
        };
        expect(route == expected, || {
            format!("the tap should open the chat with the sender, got {route:?}")
        })?;
        out.event(
            "routed",
            json!({ "route": route }),
            &format!("routed to {}", json!(route)),
        );
        Ok(())
    }

    /// A group call's push is tapped: one `handle_tap` call parses it,
    /// marks it handled and routes it to the call screen of its group.
    pub fn tap_group_call(&self, out: &mut Out) -> Step {
        let mut call: Value =
            serde_json::from_str(GROUP_CALL).map_err(|e| format!("the demo call: {e}"))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        call["call"]["call_id"] = json!(format!("call-{}", now.as_micros()));
        let call =
            outbound_message_from_json(call.to_string()).map_err(core_err("reading the call"))?;
        let delivered = simulate_delivery(call.clone(), self.channel)
            .map_err(core_err("simulating the call push"))?;
        let input = click_input_from_json(&delivered).map_err(core_err("reading the tap"))?;
        let outcome = self
            .core
            .handle_tap(input)
            .map_err(core_err("handling the call tap"))?;
        let tapped = &outcome.notification;
        expect(outcome.dedup == Some(DedupOutcome::Fresh), || {
            format!("a new call's tap should be fresh, got {:?}", outcome.dedup)
        })?;
        expect(tapped.findings.is_empty(), || {
            format!("the call push should be clean, got {:?}", tapped.findings)
        })?;
        out.event(
            "clicked",
            json!({
                "channel": PushChannel::name_or_unknown(tapped.channel),
                "conversation_id": tapped.conversation_id,
                "call_id": tapped.call.as_ref().and_then(|c| c.call_id.clone()),
                "vendor_message_id": tapped.vendor_message_id,
            }),
            &format!(
                "{} call tap parsed: video call from carol in {}",
                PushChannel::name_or_unknown(tapped.channel),
                tapped.conversation_id.as_deref().unwrap_or("-")
            ),
        );
        let expected_call_id = call.call.as_ref().map(|c| c.call_id.clone());
        let routed_to_group = matches!(
            &outcome.route,
            Route::Call { sender, group_id: Some(group), call_id, media: CallMedia::Video, .. }
                if sender == "carol" && group == "@TGS#team" && *call_id == expected_call_id
        );
        expect(routed_to_group, || {
            format!(
                "the call should open the team's call screen, got {:?}",
                outcome.route
            )
        })?;
        out.event(
            "routed",
            json!({ "route": outcome.route }),
            &format!("routed to {}", json!(outcome.route)),
        );
        Ok(())
    }
}
