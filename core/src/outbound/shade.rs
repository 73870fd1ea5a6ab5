//! What each channel's notification shade shows after a sequence of
//! messages, when the vendor (not the app) shows them: which messages
//! replaced which, which stack in one thread, which stand alone, and why.
//! It follows only the fields [`super::grouping`] sets and the vendor rules
//! notification-facts records; the ROM's own bundling of an app's
//! notifications is not drawn.

use super::grouping::{GroupingEffect, Plan};
use super::options::OutboundMessage;
use super::OutboundError;
use crate::channel::PushChannel;
use serde::Serialize;

/// At most this many messages per simulation: it is a test tool, and a
/// shade never holds more.
pub const MAX_SHADE_MESSAGES: usize = 1000;

/// One notification left in the shade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ShadeNotification {
    pub conversation_id: String,
    /// The message it shows now: its IM message id, or `#n` (its 1-based
    /// position in the sequence) without one.
    pub shows: String,
    /// The earlier messages it replaced, oldest first.
    pub replaced: Vec<String>,
    /// The thread it is stacked in (APNs `thread-id`), if any.
    pub thread: Option<String>,
}

/// A channel's shade after the whole sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ChannelShade {
    pub channel: PushChannel,
    /// Oldest first, by the time each was last posted or replaced.
    pub notifications: Vec<ShadeNotification>,
    /// Why it looks so: the channel's grouping notes, one per policy met.
    pub why: Vec<String>,
}

/// The shade of every channel after `messages`, in order. Messages with
/// `disable_push` are not delivered and so not shown.
pub fn simulate_shade(messages: &[OutboundMessage]) -> Result<Vec<ChannelShade>, OutboundError> {
    if messages.len() > MAX_SHADE_MESSAGES {
        return Err(OutboundError::TooLarge(format!(
            "{} messages; the shade simulator takes at most {MAX_SHADE_MESSAGES}",
            messages.len()
        )));
    }
    let mut delivered = Vec::with_capacity(messages.len());
    for (index, message) in messages.iter().enumerate() {
        let built = super::build(message)?;
        if !built.options.disable_push {
            delivered.push((label(message, index), built.grouping));
        }
    }
    Ok(PushChannel::ALL
        .into_iter()
        .map(|channel| shade_of(channel, &delivered))
        .collect())
}

fn label(message: &OutboundMessage, index: usize) -> String {
    match message
        .message_id
        .as_deref()
        .filter(|id| !id.trim().is_empty())
    {
        Some(id) => id.to_string(),
        None => format!("#{}", index + 1),
    }
}

/// Plays the sequence on one channel: a message whose slot is already
/// shown replaces that notification (which moves to the end), else it is
/// posted as a new one.
fn shade_of(channel: PushChannel, delivered: &[(String, Plan)]) -> ChannelShade {
    let mut shown: Vec<(Option<String>, ShadeNotification)> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    for (label, plan) in delivered {
        let grouping = plan.channel(channel);
        if !why.contains(&grouping.note) {
            why.push(grouping.note.clone());
        }
        let slot = slot_of(channel, grouping.effect, plan);
        let thread = match grouping.effect {
            GroupingEffect::ThreadedByConversation => plan.thread_id.clone(),
            _ => None,
        };
        let mut notification = ShadeNotification {
            conversation_id: plan.conversation_id.clone(),
            shows: label.clone(),
            replaced: Vec::new(),
            thread,
        };
        let earlier = slot
            .as_ref()
            .and_then(|slot| shown.iter().position(|(s, _)| s.as_ref() == Some(slot)));
        if let Some(at) = earlier {
            let (_, old) = shown.remove(at);
            notification.replaced = old.replaced;
            notification.replaced.push(old.shows);
        }
        shown.push((slot, notification));
    }
    ChannelShade {
        channel,
        notifications: shown.into_iter().map(|(_, n)| n).collect(),
        why,
    }
}

/// The key under which a later push replaces this one; `None`: nothing
/// replaces it. Prefixed by kind so a notify id never meets a tag.
fn slot_of(channel: PushChannel, effect: GroupingEffect, plan: &Plan) -> Option<String> {
    match (effect, channel) {
        (GroupingEffect::ReplacesApp, _) => Some("app".into()),
        (_, PushChannel::Meizu) => None,
        (_, PushChannel::Fcm) => plan.fcm_tag.as_ref().map(|t| format!("tag:{t}")),
        (_, PushChannel::Apns) => plan.collapse_id.as_ref().map(|c| format!("collapse:{c}")),
        _ => plan.notify_id.map(|id| format!("notify:{id}")),
    }
}
