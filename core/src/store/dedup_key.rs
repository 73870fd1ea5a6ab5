//! Which key identifies "the same message" however it arrived.
//!
//! In order of trust: the IM message id (identical on every channel); else
//! the vendor's message id (identical for one vendor delivery, e.g. a tap
//! handled twice); else a digest of the fields the IM server put in `ext`,
//! which every channel carries unchanged. Keys are namespaced (`im:`,
//! `vendor:<channel>:`, `digest:`) so ids of one kind can never equal
//! another kind's.
//!
//! A digest has no identity of its own, so it only counts as a duplicate
//! within a short sliding window (`dedup.digest_window_seconds`, default
//! 120 s) after its first sighting: re-deliveries across channels arrive
//! within seconds, while the same text sent again later is a new message.
//! When the sender's `sendTime` is known it is part of the digest, so two
//! identical texts sent at different seconds never collapse even inside the
//! window. Only identical texts with no send time, from the same sender in
//! the same conversation, within the window, are taken as one message.

use crate::channel::PushChannel;

/// The channel-independent facts about a message that dedup keys are made
/// of. Use the IM `ext` entity's values, not the vendor's displayed title or
/// body: vendors truncate and rewrite those.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageFields {
    pub im_message_id: Option<String>,
    /// The vendor's id for this delivery (e.g. MiPush `messageId`, FCM
    /// `google.message_id`); unique only within its channel.
    pub vendor_message_id: Option<String>,
    /// The channel that delivered it, which scopes `vendor_message_id`.
    pub channel: Option<PushChannel>,
    /// Sender user id (for groups, the group id as in `ext`).
    pub sender: String,
    /// 1 = one-to-one, 2 = group, 0 when unknown.
    pub chat_type: u32,
    /// Conversation or group id when it differs from the sender.
    pub conversation: Option<String>,
    pub content: String,
    /// Seconds; `ext` often carries 0, which means unknown.
    pub send_time_s: u64,
}

pub const DIGEST_PREFIX: &str = "digest:";

/// The dedup key for a message.
pub fn derive_key(fields: &MessageFields) -> String {
    if let Some(id) = non_blank(fields.im_message_id.as_deref()) {
        return format!("im:{id}");
    }
    if let Some(id) = non_blank(fields.vendor_message_id.as_deref()) {
        return match fields.channel {
            Some(channel) => format!("vendor:{channel}:{id}"),
            None => format!("vendor:unknown:{id}"),
        };
    }
    format!("{DIGEST_PREFIX}{:016x}", digest(fields))
}

fn non_blank(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// FNV-1a 64 over length-prefixed fields, so ("ab","c") and ("a","bc")
/// differ. Defined here rather than std's hasher, whose output may change
/// between Rust versions: keys written by one build and one process must
/// match those of the next. With at most a few thousand digests alive, a
/// 64-bit collision (probability ~1e-12) is not a practical risk.
fn digest(fields: &MessageFields) -> u64 {
    let mut hash = Fnv1a::new();
    hash.field(b"pushcore-digest-v1");
    hash.field(fields.sender.as_bytes());
    hash.field(&fields.chat_type.to_be_bytes());
    hash.field(fields.conversation.as_deref().unwrap_or("").as_bytes());
    hash.field(fields.content.as_bytes());
    hash.field(&fields.send_time_s.to_be_bytes());
    hash.0
}

/// Shared with the ledger (handles, receiver digests): one hash, one set
/// of test vectors.
pub(crate) struct Fnv1a(pub(crate) u64);

impl Fnv1a {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    pub(crate) fn new() -> Self {
        Fnv1a(Self::OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    pub(crate) fn field(&mut self, bytes: &[u8]) {
        self.bytes(&(bytes.len() as u64).to_be_bytes());
        self.bytes(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(sender: &str, content: &str, send_time_s: u64) -> MessageFields {
        MessageFields {
            sender: sender.into(),
            chat_type: 1,
            content: content.into(),
            send_time_s,
            ..Default::default()
        }
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        for (input, expected) in [
            ("", 0xcbf29ce484222325u64),
            ("a", 0xaf63dc4c8601ec8c),
            ("foobar", 0x85944171f73967e8),
        ] {
            let mut h = Fnv1a::new();
            h.bytes(input.as_bytes());
            assert_eq!(h.0, expected, "{input:?}");
        }
    }

    #[test]
    fn digest_keys_are_stable_across_builds() {
        // Pinned: changing it would make every stored digest unmatchable.
        assert_eq!(
            derive_key(&text("alice", "hi", 0)),
            "digest:08d04644e348247e"
        );
    }

    #[test]
    fn ids_win_in_order_and_are_namespaced() {
        let mut fields = text("alice", "hi", 0);
        fields.vendor_message_id = Some("sdm123".into());
        assert_eq!(derive_key(&fields), "vendor:unknown:sdm123");
        fields.channel = Some(PushChannel::Xiaomi);
        assert_eq!(derive_key(&fields), "vendor:xiaomi:sdm123");
        fields.im_message_id = Some("144115".into());
        assert_eq!(derive_key(&fields), "im:144115");
        fields.im_message_id = Some("  ".into());
        assert_eq!(derive_key(&fields), "vendor:xiaomi:sdm123");
        fields.vendor_message_id = Some("".into());
        assert!(derive_key(&fields).starts_with("digest:"));
    }

    #[test]
    fn every_channel_independent_field_separates_messages() {
        let base = text("alice", "hi", 1_700_000_000);
        let variants = [
            text("bob", "hi", 1_700_000_000),
            text("alice", "hi!", 1_700_000_000),
            text("alice", "hi", 1_700_000_001),
            MessageFields {
                chat_type: 2,
                ..base.clone()
            },
            MessageFields {
                conversation: Some("g1".into()),
                ..base.clone()
            },
            // Length prefixes: moving bytes between fields changes the key.
            text("alicehi", "", 1_700_000_000),
        ];
        let key = derive_key(&base);
        for v in variants {
            assert_ne!(derive_key(&v), key, "{v:?}");
        }
        assert_eq!(derive_key(&base.clone()), key);
    }

    proptest! {
        #[test]
        fn distinct_sender_content_pairs_never_share_a_digest(
            a in ("[a-z]{0,6}", ".{0,12}"), b in ("[a-z]{0,6}", ".{0,12}")
        ) {
            prop_assume!(a != b);
            prop_assert_ne!(derive_key(&text(&a.0, &a.1, 0)), derive_key(&text(&b.0, &b.1, 0)));
        }
    }
}
