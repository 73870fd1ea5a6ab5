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
//!
//! Keys stay short whatever the ids' length: an id of up to
//! [`MAX_VERBATIM_ID_BYTES`] is kept as it is (readable in the store and in
//! support logs); a longer one is replaced by its 128-bit FNV-1a digest in
//! hex, in namespaces of their own (`im#`, `vendor#<channel>:`) so a digest
//! can never equal a verbatim id. The longest key is thus
//! `vendor:unknown:` plus 128 bytes, far under the store's 512-byte limit,
//! so a message is never refused for its id. FNV is not a cryptographic
//! hash: two ids crafted to collide would make one message a duplicate of
//! the other, which only someone able to choose both ids (the IM server or
//! the vendor) could do, and only for messages of their own.

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

/// Ids up to this many bytes are kept verbatim in keys; longer ones are
/// digested (real IM and vendor ids are 10-60 bytes).
pub const MAX_VERBATIM_ID_BYTES: usize = 128;

/// The dedup key for a message.
pub fn derive_key(fields: &MessageFields) -> String {
    if let Some(id) = non_blank(fields.im_message_id.as_deref()) {
        return match long_id_digest(id) {
            None => format!("im:{id}"),
            Some(digest) => format!("im#{digest:032x}"),
        };
    }
    if let Some(id) = non_blank(fields.vendor_message_id.as_deref()) {
        let channel = fields.channel.map_or("unknown", PushChannel::as_str);
        return match long_id_digest(id) {
            None => format!("vendor:{channel}:{id}"),
            Some(digest) => format!("vendor#{channel}:{digest:032x}"),
        };
    }
    format!("{DIGEST_PREFIX}{:016x}", digest(fields))
}

/// The 128-bit FNV-1a digest of an id too long to keep verbatim.
fn long_id_digest(id: &str) -> Option<u128> {
    if id.len() <= MAX_VERBATIM_ID_BYTES {
        return None;
    }
    let mut hash = Fnv1a128::OFFSET;
    for b in id.as_bytes() {
        hash = (hash ^ u128::from(*b)).wrapping_mul(Fnv1a128::PRIME);
    }
    Some(hash)
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

/// FNV-1a 128's published parameters.
struct Fnv1a128;

impl Fnv1a128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
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

    #[test]
    fn fnv1a_128_matches_the_published_test_vectors() {
        // The hash alone: through `derive_key` only long ids reach it.
        let hash = |input: &str| {
            let mut h = Fnv1a128::OFFSET;
            for b in input.as_bytes() {
                h = (h ^ u128::from(*b)).wrapping_mul(Fnv1a128::PRIME);
            }
            h
        };
        assert_eq!(hash(""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(hash("a"), 0xd228cb696f1a8caf78912b704e4a8964);
        assert_eq!(hash("foobar"), 0x343e1662793c64bf6f0d3597ba446f18);
    }

    #[test]
    fn keys_stay_bounded_whatever_the_ids_length() {
        let at_limit = "i".repeat(MAX_VERBATIM_ID_BYTES);
        let long = "i".repeat(MAX_VERBATIM_ID_BYTES + 1);
        let huge = "i".repeat(1 << 20);
        let key = |im: Option<&str>, vendor: Option<&str>| {
            derive_key(&MessageFields {
                im_message_id: im.map(str::to_string),
                vendor_message_id: vendor.map(str::to_string),
                ..text("alice", "hi", 0)
            })
        };
        assert_eq!(key(Some(&at_limit), None), format!("im:{at_limit}"));
        for id in [&long, &huge] {
            let im = key(Some(id), None);
            assert!(im.starts_with("im#") && im.len() == 3 + 32, "{im}");
            let vendor = key(None, Some(id));
            assert!(vendor.starts_with("vendor#unknown:"), "{vendor}");
            assert!(vendor.len() <= crate::store::dedup::MAX_KEY_BYTES);
        }
        // Pinned: changing it would make every stored long id unmatchable.
        assert_eq!(
            key(Some(&long), None),
            "im#21b9705afa1172d4e345b7be249a850c"
        );
        // Digests separate ids that differ anywhere, even past the limit.
        let mut other = long.clone();
        other.replace_range(MAX_VERBATIM_ID_BYTES.., "j");
        assert_ne!(key(Some(&long), None), key(Some(&other), None));
        assert_ne!(key(Some(&long), None), key(Some(&huge), None));
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
