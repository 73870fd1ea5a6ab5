//! Dedup through the facade: "show / handle this message only once".

use super::errors::handled;
use super::PushCore;
use crate::channel::PushChannel;
use crate::entity::ChatType;
use crate::error::PushError;
use crate::payload::NormalizedNotification;
use crate::store::dedup::{DedupKind, DedupOutcome, DedupStats};
use crate::store::dedup_key::{derive_key, MessageFields};
use crate::store::StoreEvent;

/// What the app knows about a message, from whichever channel delivered
/// it. Fill in what you have; see [`derive_dedup_key`] for how it is used.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DedupFields {
    /// The IM SDK's message id, when the message came over the IM
    /// connection or the app's payload carries one.
    #[uniffi(default = None)]
    pub im_message_id: Option<String>,
    /// The vendor's own message id (MiPush `messageId`, FCM
    /// `google.message_id`...).
    #[uniffi(default = None)]
    pub vendor_message_id: Option<String>,
    /// The channel that delivered the message; scopes `vendor_message_id`.
    #[uniffi(default = None)]
    pub channel: Option<PushChannel>,
    /// `ext.entity.sender`.
    #[uniffi(default = "")]
    pub sender: String,
    /// `ext.entity.chatType` (1 one-to-one, 2 group), 0 when unknown.
    #[uniffi(default = 0)]
    pub chat_type: u32,
    #[uniffi(default = None)]
    pub conversation: Option<String>,
    /// `ext.entity.content`, not the vendor's (possibly truncated) body.
    #[uniffi(default = "")]
    pub content: String,
    /// `ext.entity.sendTime` in seconds; 0 when unknown.
    #[uniffi(default = 0)]
    pub send_time_seconds: u64,
}

impl From<DedupFields> for MessageFields {
    fn from(f: DedupFields) -> Self {
        MessageFields {
            im_message_id: f.im_message_id,
            vendor_message_id: f.vendor_message_id,
            channel: f.channel,
            sender: f.sender,
            chat_type: f.chat_type,
            conversation: f.conversation,
            content: f.content,
            send_time_s: f.send_time_seconds,
        }
    }
}

impl From<&NormalizedNotification> for DedupFields {
    /// The entity's own values, never the vendor's displayed title or body
    /// (vendors truncate and rewrite those), so a tap on any channel and the
    /// same message received online give the same key.
    fn from(n: &NormalizedNotification) -> Self {
        DedupFields {
            im_message_id: n.message_id.clone(),
            vendor_message_id: n.vendor_message_id.clone(),
            channel: n.channel,
            sender: n.sender.clone().unwrap_or_default(),
            chat_type: n.chat_type.map_or(0, ChatType::code),
            conversation: n.conversation_id.clone(),
            // A call has no text; its id tells two calls apart.
            content: n
                .content
                .clone()
                .or_else(|| n.call.as_ref().and_then(|c| c.call_id.clone()))
                .unwrap_or_default(),
            send_time_seconds: n.send_time,
        }
    }
}

/// The dedup key of a parsed notification: the one derivation shared by
/// `check_and_mark_notification` and `handle_tap`.
pub(super) fn notification_key(notification: &NormalizedNotification) -> String {
    derive_key(&DedupFields::from(notification).into())
}

/// The dedup fields of a parsed notification, for apps that also feed
/// messages from the IM connection into the same store.
#[uniffi::export]
pub fn dedup_fields_for_notification(notification: NormalizedNotification) -> DedupFields {
    DedupFields::from(&notification)
}

/// The dedup key for a message: `im:<id>` when the IM message id is known,
/// else `vendor:<channel>:<id>`, else `digest:<hex>` of sender, chat type,
/// conversation, content and send time. Digest keys only match within
/// `dedup.digest_window_seconds` of their first sighting, so the same text
/// sent again later is never swallowed. An id over 128 bytes is replaced by
/// a fixed-size digest (`im#<hex>`, `vendor#<channel>:<hex>`), so a key is
/// never too long for the store. Stable across processes, app versions and
/// platforms.
#[uniffi::export]
pub fn derive_dedup_key(fields: DedupFields) -> String {
    derive_key(&fields.into())
}

#[uniffi::export]
impl PushCore {
    /// Records `key` for `kind` and answers whether this is its first
    /// sighting. `source` (e.g. "online", "fcm", "xiaomi", "tap") is kept
    /// with the first sighting and returned with later duplicates. A
    /// `Fresh` answer is committed before it is returned: it survives the
    /// process being killed right after. Blocks for a few microseconds, up
    /// to seconds if another process holds the file; call it off the main
    /// thread when you can.
    ///
    /// # Errors
    /// `invalid_input` for an empty key, `too_large` for a key or
    /// source over its limit, `storage` when the dedup store cannot be opened
    /// or written.
    pub fn check_and_mark(
        &self,
        key: String,
        kind: DedupKind,
        source: String,
    ) -> Result<DedupOutcome, PushError> {
        handled(
            "check_and_mark",
            self.dedup.check_and_mark(&key, kind, &source),
        )
    }

    /// [`check_and_mark`](Self::check_and_mark) with the key derived from a
    /// parsed notification (see [`derive_dedup_key`]); the usual call in a
    /// tap handler: `Duplicate` means this tap was already handled.
    ///
    /// # Errors
    /// As `check_and_mark` (`invalid_input`, `too_large`, `storage`).
    pub fn check_and_mark_notification(
        &self,
        notification: NormalizedNotification,
        kind: DedupKind,
        source: String,
    ) -> Result<DedupOutcome, PushError> {
        let key = notification_key(&notification);
        handled(
            "check_and_mark_notification",
            self.dedup.check_and_mark(&key, kind, &source),
        )
    }

    /// Row count and file size of the dedup store.
    ///
    /// # Errors
    /// `storage` when the dedup store cannot be opened or read.
    pub fn dedup_stats(&self) -> Result<DedupStats, PushError> {
        handled("dedup_stats", self.dedup.stats())
    }

    /// Database files found unusable (corrupt, foreign, from a newer app
    /// version) and replaced by empty ones since this core started.
    pub fn store_events(&self) -> Vec<StoreEvent> {
        self.dedup.store().events()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn core(dir: &std::path::Path) -> Arc<PushCore> {
        PushCore::new(crate::config::example_config(), dir.display().to_string()).unwrap()
    }

    #[test]
    fn marks_keys_in_the_storage_dir_and_reports_events() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("pushcore.db"), b"not sqlite at all").unwrap();
        let core = core(tmp.path());
        let key = derive_dedup_key(DedupFields {
            im_message_id: Some("m1".into()),
            vendor_message_id: None,
            channel: None,
            sender: "alice".into(),
            chat_type: 1,
            conversation: None,
            content: "hi".into(),
            send_time_seconds: 0,
        });
        assert_eq!(key, "im:m1");
        let outcome = core
            .check_and_mark(key.clone(), DedupKind::Displayed, "fcm".into())
            .unwrap();
        assert_eq!(outcome, DedupOutcome::Fresh);
        match core
            .check_and_mark(key, DedupKind::Displayed, "xiaomi".into())
            .unwrap()
        {
            DedupOutcome::Duplicate { source, .. } => assert_eq!(source, "fcm"),
            other => panic!("expected a duplicate, got {other:?}"),
        }
        assert_eq!(core.dedup_stats().unwrap().row_count, 1);
        let events = core.store_events();
        assert_eq!(events.len(), 1, "{events:?}");
        assert!(events[0].moved_to.contains("pushcore.db.broken-"));
    }

    #[test]
    fn the_core_starts_even_when_the_store_cannot_be_opened() {
        let tmp = tempfile::tempdir().unwrap();
        // A directory where the database file should be: no user, root
        // included, can open it as a file.
        std::fs::create_dir(tmp.path().join("pushcore.db")).unwrap();
        let core = core(tmp.path());
        let err = core
            .check_and_mark("im:1".into(), DedupKind::Clicked, "tap".into())
            .unwrap_err();
        assert_eq!(err.code(), "storage");
        assert!(err.message().contains("pushcore.db"), "{err}");
        assert_eq!(core.dedup_stats().unwrap_err().code(), "storage");
        assert_eq!(core.version(), crate::VERSION, "stateless calls still work");
    }

    /// The message as every channel would hand it to the app on tap.
    fn taps(message_json: &str) -> Vec<NormalizedNotification> {
        let message = crate::outbound::outbound_message_from_json(message_json.into()).unwrap();
        PushChannel::ALL
            .into_iter()
            .map(|channel| {
                let tap = crate::outbound::simulate(&message, channel).unwrap();
                crate::payload::parse_click_json(tap.to_string().as_bytes()).unwrap()
            })
            .collect()
    }

    #[test]
    fn one_message_tapped_on_every_channel_is_handled_once() {
        let tmp = tempfile::tempdir().unwrap();
        let core = core(tmp.path());
        let message = r#"{"message_type":"text","message_id":"144115-1732600000-1","chat_type":"c2c","sender":"alice","content":"Hello"}"#;
        let outcomes: Vec<_> = taps(message)
            .into_iter()
            .map(|n| {
                core.check_and_mark_notification(n, DedupKind::Clicked, "tap".into())
                    .unwrap()
            })
            .collect();
        assert_eq!(outcomes[0], DedupOutcome::Fresh);
        assert!(
            outcomes[1..]
                .iter()
                .all(|o| matches!(o, DedupOutcome::Duplicate { .. })),
            "{outcomes:?}"
        );
    }

    #[test]
    fn without_an_im_id_the_vendor_id_wins_over_the_digest() {
        // The documented precedence: a vendor id identifies one delivery, so
        // Xiaomi and FCM taps are keyed by it, while channels without one
        // share the digest. Cross-channel dedup therefore needs the IM id,
        // which build_push always writes into the entity when it is known.
        let tmp = tempfile::tempdir().unwrap();
        let core = core(tmp.path());
        let message = r#"{"message_type":"text","chat_type":"group","sender":"team","content":"你好 👋","send_time":1732600000}"#;
        let mut digest_fresh = 0;
        for n in taps(message) {
            let by_vendor_id = n.vendor_message_id.is_some();
            let outcome = core
                .check_and_mark_notification(n, DedupKind::Displayed, "push".into())
                .unwrap();
            if by_vendor_id {
                assert_eq!(outcome, DedupOutcome::Fresh);
            } else if outcome == DedupOutcome::Fresh {
                digest_fresh += 1;
            }
        }
        assert_eq!(digest_fresh, 1);
    }

    #[test]
    fn different_messages_with_the_same_text_are_never_collapsed() {
        let tmp = tempfile::tempdir().unwrap();
        let core = core(tmp.path());
        let messages = [
            r#"{"message_type":"text","message_id":"m-1","chat_type":"c2c","sender":"alice","content":"ok"}"#,
            r#"{"message_type":"text","message_id":"m-2","chat_type":"c2c","sender":"alice","content":"ok"}"#,
            r#"{"message_type":"text","chat_type":"c2c","sender":"alice","content":"ok","send_time":1732600000}"#,
            r#"{"message_type":"text","chat_type":"c2c","sender":"alice","content":"ok","send_time":1732600001}"#,
            r#"{"message_type":"text","chat_type":"group","sender":"alice","content":"ok","send_time":1732600001}"#,
        ];
        for message in messages {
            let tap = taps(message).remove(0);
            let outcome = core
                .check_and_mark_notification(tap, DedupKind::Displayed, "xiaomi".into())
                .unwrap();
            assert_eq!(outcome, DedupOutcome::Fresh, "{message}");
        }
    }
}
