//! The vendor fields that group or replace a message's notification when a
//! vendor, not the app, shows it (notification-facts.md sections 2 and 3),
//! derived from the conversation as the receiver names it.
//!
//! Numbers and per-conversation strings come from the ledger's pinned
//! [`Handle`] derivation, so a notification a vendor shows and one the app
//! shows for the same conversation agree on the id and the tag. Only fields
//! the vendor APIs really have are filled: the IM backend's
//! `OfflinePushInfo` (REST and SDK) has none of them, so they are never
//! written there; a server that calls a vendor API (or a relay) sets them.

use super::options::OutboundMessage;
use crate::channel::PushChannel;
use crate::entity::ChatType;
use crate::store::dedup_key::{derive_key, Fnv1a, MessageFields};
use crate::store::ledger::Handle;
use serde::{Deserialize, Serialize};

/// How a message's notification sits next to its conversation's earlier
/// ones on channels whose vendor shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum NotificationGrouping {
    /// One notification per conversation: Android vendors replace the
    /// conversation's notification with the newest message (they cannot
    /// show several lines), iOS stacks the conversation in one thread.
    #[default]
    PerConversation,
    /// Every message stays visible: per-message ids, so nothing replaces
    /// another message (a second copy of the same message still replaces
    /// itself); iOS still threads by conversation, which hides nothing.
    PerMessage,
    /// Set no field: each vendor's default (Xiaomi reportedly keeps one
    /// notification for the whole app).
    Off,
}

/// What a channel's shade does with the message next to the earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum GroupingEffect {
    /// The conversation has one notification; the newest message replaces it.
    ReplacesConversation,
    /// Its own notification, stacked in its conversation's thread.
    ThreadedByConversation,
    /// Its own notification (the system may bundle all of the app's).
    Separate,
    /// Replaces the app's previous notification, whatever its conversation.
    ReplacesApp,
}

/// One vendor field, named as the vendor's API spells it, with its value
/// as text (numbers in decimal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct VendorField {
    pub name: String,
    pub value: String,
}

/// The grouping fields of one channel and what they do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ChannelGrouping {
    pub channel: PushChannel,
    /// Empty when the channel has no such field or the policy sets none.
    pub fields: Vec<VendorField>,
    pub effect: GroupingEffect,
    /// Why, and what the channel cannot do.
    pub note: String,
}

/// A message's grouping on every channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PushGrouping {
    pub policy: NotificationGrouping,
    /// The conversation as the receiver names it (`c2c_<sender>`,
    /// `group_<group id>`), as the tap parser reports it.
    pub conversation_id: String,
    pub channels: Vec<ChannelGrouping>,
}

/// APNs refuses an `apns-collapse-id` over 64 bytes.
pub const APNS_COLLAPSE_ID_MAX_BYTES: usize = 64;

/// Vendor field names, exactly as the vendor APIs (and notification-facts)
/// spell them.
pub mod fields {
    pub const NOTIFY_ID: &str = "notify_id";
    pub const HUAWEI_NOTIFY_ID: &str = "android.notification.notify_id";
    pub const FCM_TAG: &str = "android.notification.tag";
    pub const APNS_THREAD_ID: &str = "aps.thread-id";
    pub const APNS_COLLAPSE_ID: &str = "apns-collapse-id";
}

/// The conversation the receiver files a message under, named like the
/// tap parser names it: a group call's group, else `<chat type>_<sender>`
/// (for groups the entity's sender is the group).
pub fn conversation_id(message: &OutboundMessage) -> String {
    let group_call = message.call.as_ref().and_then(|c| c.group_id.as_deref());
    match group_call {
        Some(group) => ChatType::Group.conversation_id(group),
        None => message.chat_type.conversation_id(&message.sender),
    }
}

/// The key the receiving device files this message under: `im:<id>` with
/// an IM message id (what the app's own per-message handle is made of),
/// else a digest of what `ext` carries.
fn message_key(message: &OutboundMessage, conversation: &str) -> String {
    let content = match &message.call {
        Some(call) => call.call_id.clone(),
        None => message.content.clone(),
    };
    derive_key(&MessageFields {
        im_message_id: message.message_id.clone(),
        sender: message.sender.clone(),
        chat_type: message.chat_type.code(),
        conversation: Some(conversation.to_string()),
        content,
        send_time_s: message.send_time,
        ..Default::default()
    })
}

/// `key` when APNs accepts it as a collapse id, else a fixed-size digest
/// of it (and `true`): two messages' ids then collide only with
/// probability 2^-64, and a collision merely lets one replace the other.
pub fn bounded_collapse_id(key: &str) -> (String, bool) {
    if key.len() <= APNS_COLLAPSE_ID_MAX_BYTES {
        return (key.to_string(), false);
    }
    let mut hash = Fnv1a::new();
    hash.field(key.as_bytes());
    (format!("pc1:{:016x}", hash.0), true)
}

/// A message's grouping, in the typed form the simulator and the tap
/// shapes use.
#[derive(Debug, Clone)]
pub struct Plan {
    pub policy: NotificationGrouping,
    pub conversation_id: String,
    /// The vendors' notify id (Xiaomi, Huawei, Honor, OPPO, vivo).
    pub notify_id: Option<i32>,
    pub fcm_tag: Option<String>,
    pub thread_id: Option<String>,
    pub collapse_id: Option<String>,
    /// The collapse id had to be digested to fit 64 bytes.
    pub collapse_id_bounded: bool,
}

impl Plan {
    /// The fields `message`'s policy sets (none when grouping is off).
    pub fn of(message: &OutboundMessage) -> Plan {
        let policy = message.options.grouping.unwrap_or_default();
        let conversation_id = conversation_id(message);
        let mut plan = Plan {
            policy,
            notify_id: None,
            fcm_tag: None,
            thread_id: None,
            collapse_id: None,
            collapse_id_bounded: false,
            conversation_id,
        };
        if policy == NotificationGrouping::Off {
            return plan;
        }
        let conversation = Handle::for_conversation(&plan.conversation_id);
        let key = message_key(message, &plan.conversation_id);
        let (collapse_id, bounded) = bounded_collapse_id(&key);
        let slot = match policy {
            NotificationGrouping::PerMessage => Handle::for_message(&key),
            _ => conversation.clone(),
        };
        plan.notify_id = Some(slot.id);
        plan.fcm_tag = Some(slot.tag);
        plan.thread_id = Some(conversation.tag);
        plan.collapse_id = Some(collapse_id);
        plan.collapse_id_bounded = bounded;
        plan
    }

    /// What `channel` does with the message: its fields, effect and why.
    pub fn channel(&self, channel: PushChannel) -> ChannelGrouping {
        let (fields, effect, note) = match (channel, self.policy) {
            (PushChannel::Meizu, _) => (
                Vec::new(),
                GroupingEffect::Separate,
                "Flyme push has no replace or group field: every push is its own notification, and Flyme folds more than 5 a minute",
            ),
            (PushChannel::Xiaomi, NotificationGrouping::Off) => (
                Vec::new(),
                GroupingEffect::ReplacesApp,
                "no notify_id: MiPush reportedly shows one notification per app, each push replacing the last",
            ),
            (_, NotificationGrouping::Off) => (
                Vec::new(),
                GroupingEffect::Separate,
                "grouping off: the vendor's default, each push its own notification",
            ),
            (PushChannel::Xiaomi | PushChannel::Oppo, _) => (
                self.notify_field(fields::NOTIFY_ID),
                self.android_effect(),
                "the same notify_id replaces the shown notification; the ROM groups the app's notifications",
            ),
            (PushChannel::Huawei, _) => (
                self.notify_field(fields::HUAWEI_NOTIFY_ID),
                self.android_effect(),
                "the same notify_id replaces the shown notification (absent: each push its own); the ROM groups the app's notifications",
            ),
            (PushChannel::Honor, _) => (
                self.notify_field(fields::NOTIFY_ID),
                self.android_effect(),
                "the same notify_id replaces (named as notification-facts names it); Honor documents no client call to clear it",
            ),
            (PushChannel::Vivo, _) => (
                self.notify_field(fields::NOTIFY_ID),
                self.android_effect(),
                "notify_id replaces, UNCERTAIN per notification-facts: check on a vivo device",
            ),
            (PushChannel::Fcm, _) => (
                self.fcm_tag
                    .iter()
                    .map(|tag| field(fields::FCM_TAG, tag.clone()))
                    .collect(),
                self.android_effect(),
                "FCM posts a display message as notify(tag, 0): the same tag replaces it and the app can cancel(tag, 0)",
            ),
            (PushChannel::Apns, _) => {
                let fields = [
                    (fields::APNS_THREAD_ID, &self.thread_id),
                    (fields::APNS_COLLAPSE_ID, &self.collapse_id),
                ]
                .into_iter()
                .filter_map(|(name, value)| value.as_ref().map(|v| field(name, v.clone())))
                .collect();
                (
                    fields,
                    GroupingEffect::ThreadedByConversation,
                    "thread-id stacks the conversation in one thread without replacing; the collapse id is the message's own, so only a second copy of the message replaces it",
                )
            }
        };
        ChannelGrouping {
            channel,
            fields,
            effect,
            note: note.to_string(),
        }
    }

    fn notify_field(&self, name: &str) -> Vec<VendorField> {
        self.notify_id
            .map(|id| vec![field(name, id.to_string())])
            .unwrap_or_default()
    }

    /// Android vendors show one message per notification: a conversation
    /// id replaces, a message id keeps each.
    fn android_effect(&self) -> GroupingEffect {
        match self.policy {
            NotificationGrouping::PerConversation => GroupingEffect::ReplacesConversation,
            _ => GroupingEffect::Separate,
        }
    }

    /// The exported form: every channel.
    pub fn exported(&self) -> PushGrouping {
        PushGrouping {
            policy: self.policy,
            conversation_id: self.conversation_id.clone(),
            channels: PushChannel::ALL
                .into_iter()
                .map(|c| self.channel(c))
                .collect(),
        }
    }
}

fn field(name: &str, value: String) -> VendorField {
    VendorField {
        name: name.to_string(),
        value,
    }
}
