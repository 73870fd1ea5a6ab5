//! The small pure parts of the ledger: who a message is for (a receiver
//! digest), how long ids may be, and the handle a message is shown under.
//! Pure functions, so the handle and the guard still work when the store
//! does not.

use crate::store::dedup_key::Fnv1a;

/// The top-level `ext` key the sending side writes the receiver's digest
/// under (one-to-one messages only). Receivers built on the reference SDK
/// ignore unknown top-level keys, and the tap parser hands it through in
/// `NormalizedNotification::extras`.
pub const RECEIVER_EXT_KEY: &str = "pushcoreReceiver";

/// Ids longer than this are stored as a prefix plus a digest of the whole
/// id: the same id always gives the same bounded form, distinct ids keep
/// distinct forms (up to a 64-bit collision), and a huge id cannot bloat
/// the file.
/// The dedup store's own key limit, so a key it accepts is never changed.
pub const MAX_ID_BYTES: usize = crate::store::dedup::MAX_KEY_BYTES;
/// The prefix kept from an over-long id, for a support engineer to read.
const KEPT_PREFIX_BYTES: usize = MAX_ID_BYTES - 64;

/// A digest of an IM user id, written into a one-to-one message's `ext`
/// by the sender and compared with the logged-in account's on the device.
///
/// Vendor servers see `ext`, so the id is not sent in clear text. It is
/// only 32 bits of an unsalted hash: enough to tell the few accounts used
/// on one phone apart (two collide with probability 2^-32), and short
/// enough that it names no one by itself; anyone holding a list of
/// candidate ids can still test them, so it is privacy by obscurity, not
/// encryption (docs/notifications.md).
pub fn receiver_digest(user_id: &str) -> String {
    let mut hash = Fnv1a::new();
    hash.field(b"pushcore-receiver-v1");
    hash.field(user_id.trim().as_bytes());
    format!("r1:{:08x}", (hash.0 >> 32) as u32 ^ hash.0 as u32)
}

/// `id` unchanged when it is short enough, else its first bytes (cut at a
/// character boundary) and a digest of all of it.
pub fn bounded(id: &str) -> std::borrow::Cow<'_, str> {
    if id.len() <= MAX_ID_BYTES {
        return id.into();
    }
    let mut cut = KEPT_PREFIX_BYTES;
    while !id.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut hash = Fnv1a::new();
    hash.field(id.as_bytes());
    format!("{}~{:016x}", &id[..cut], hash.0).into()
}

/// Where a notification lives on the device: Android posts it with
/// `notify(tag, id)` and cancels it with `cancel(tag, id)`; iOS uses `tag`
/// as the request identifier (and ignores `id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Handle {
    pub tag: String,
    pub id: i32,
}

impl Handle {
    /// The handle the core proposes for a message: its (bounded) dedup key
    /// as the tag, readable in `adb shell dumpsys notification`, and a
    /// non-negative 31-bit id from it, stable across processes and builds
    /// (a PendingIntent request code needs a stable int too).
    pub fn for_message(message_key: &str) -> Handle {
        let tag = bounded(message_key).into_owned();
        let mut hash = Fnv1a::new();
        hash.field(tag.as_bytes());
        Handle {
            id: (hash.0 & 0x7fff_ffff) as i32,
            tag,
        }
    }

    /// The handle a conversation's one notification is shown under (when
    /// notifications are grouped per conversation): a new message of the
    /// conversation replaces it in place. The sending side derives the
    /// vendors' notify ids from the same function, so a vendor-shown
    /// notification and an app-shown one of one conversation agree on the
    /// number. Pinned by a test: installed apps and senders must agree.
    pub fn for_conversation(conversation_id: &str) -> Handle {
        Handle::for_message(&format!("{CONVERSATION_TAG_PREFIX}{conversation_id}"))
    }
}

/// Conversation handles' tags start with this; message tags are dedup keys
/// (`im:`, `vendor#`, `digest:`...), so the two never meet.
pub const CONVERSATION_TAG_PREFIX: &str = "conv:";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PINNED_C2C_BOB_ID: i32 = 438_054_827;

    #[test]
    fn receiver_digests_are_short_stable_and_hide_the_id() {
        // Pinned: the sending side and every installed app must agree.
        assert_eq!(receiver_digest("alice"), receiver_digest(" alice "));
        let digest = receiver_digest("alice");
        assert_eq!(digest.len(), 11, "{digest}");
        assert!(digest.starts_with("r1:") && !digest.contains("alice"));
        assert_ne!(receiver_digest("alice"), receiver_digest("bob"));
        assert_eq!(receiver_digest("alice"), "r1:a433b7e5");
    }

    #[test]
    fn ids_are_bounded_like_dedup_keys() {
        let cases: &[(&str, usize)] = &[("m-1", 3), ("", 0)];
        for (id, len) in cases {
            assert_eq!(bounded(id).len(), *len);
        }
        let long = "é".repeat(400);
        assert!(long.len() > MAX_ID_BYTES);
        let b = bounded(&long);
        assert!(b.len() <= MAX_ID_BYTES, "{}", b.len());
        assert_eq!(b, bounded(&long), "stable");
        let mut other = long.clone();
        other.push('x');
        assert_ne!(bounded(&other), b, "the tail still counts");
    }

    #[test]
    fn conversation_handles_are_pinned_and_never_a_message_handle() {
        let h = Handle::for_conversation("c2c_bob");
        assert_eq!(h.tag, "conv:c2c_bob");
        assert_eq!(h, Handle::for_conversation("c2c_bob"));
        assert_ne!(h, Handle::for_message("c2c_bob"));
        assert_eq!(
            h.id, PINNED_C2C_BOB_ID,
            "senders and installed apps must agree"
        );
        let long = Handle::for_conversation(&"g".repeat(2000));
        assert!(long.tag.len() <= MAX_ID_BYTES && long.id >= 0);
    }

    proptest! {
        #[test]
        fn handles_are_stable_non_negative_and_bounded(key in ".{0,600}") {
            let h = Handle::for_message(&key);
            prop_assert!(h.id >= 0);
            prop_assert!(h.tag.len() <= MAX_ID_BYTES);
            prop_assert_eq!(h, Handle::for_message(&key));
        }
    }
}
