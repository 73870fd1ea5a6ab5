//! A message the app received itself (an FCM data message, a vendor
//! pass-through message, one from the IM connection), in one call: parse,
//! "shown already?", the key to post it under, and where its tap will go.
//! The display-side twin of the tap path (`tap.rs`), for the same reason:
//! one crossing instead of five.

use super::conversation::ConversationUpdate;
use super::dedup::notification_key;
use super::errors::handled_call;
use super::ledger::ReceivedDecision;
use super::PushCore;
use crate::error::PushError;
use crate::payload::{self, ClickInput, NormalizedNotification};
use crate::routing::{self, Route};

/// What to do with a received message.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReceivedOutcome {
    pub notification: NormalizedNotification,
    /// The message's dedup key (IM id, else vendor id, else a digest): the
    /// same on every path the message arrives by.
    pub dedup_key: String,
    /// Where the notification's tap will go.
    pub route: Route,
    /// The one thing to do: show it (under the handle, with the badge),
    /// replace it (updated while shown), or suppress it (a duplicate,
    /// recalled, for another account, or nobody logged in). A store that
    /// cannot be used answers `Show` with no badge, because losing a
    /// message is worse than showing it twice; the reason is logged.
    pub decision: ReceivedDecision,
    /// For an app posting one notification per conversation: with `Show`
    /// or `Replace` of a message that names a conversation, the
    /// conversation's notification (all its lines) to post under its
    /// handle, and the group summary. `None` otherwise: leave the
    /// conversation notifications as they are.
    pub conversation: Option<ConversationUpdate>,
    /// Quiet hours are on (policy `ShowSilently`): post it without sound,
    /// vibration or heads-up.
    pub silent: bool,
}

#[uniffi::export]
impl PushCore {
    /// Handles a message the app received itself in one call: parses it
    /// (the same shapes as a tap), checks it against the logged-in account
    /// and recalls, records it as displayed with `source` (e.g.
    /// "fcm-data", "im-online") and answers one decision
    /// (docs/notifications.md).
    ///
    /// # Errors
    /// The parse errors of `parse_click` (`invalid_input`, `too_large`,
    /// `no_push_payload`, `invalid_ext`) and `too_large` for a `source` over
    /// 64 bytes. A broken store is not an error.
    pub fn handle_received(
        &self,
        input: ClickInput,
        source: String,
    ) -> Result<ReceivedOutcome, PushError> {
        handled_call("handle_received", || -> Result<_, PushError> {
            self.handle_parsed_received(payload::parse_click(input)?, &source)
        })
    }
}

impl PushCore {
    /// The received path after parsing, shared with the JVM's fast door.
    pub(super) fn handle_parsed_received(
        &self,
        notification: NormalizedNotification,
        source: &str,
    ) -> Result<ReceivedOutcome, PushError> {
        let dedup_key = notification_key(&notification);
        let (decision, conversation, silent) =
            self.decide_received(&notification, &dedup_key, source)?;
        let route = routing::route(&notification, &self.config.routing.url_allow_list);
        Ok(ReceivedOutcome {
            notification,
            dedup_key,
            route,
            decision,
            conversation,
            silent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::PushChannel;
    use crate::config::example_config;
    use crate::facade::ledger::SuppressReason;
    use crate::store::dedup::DedupOutcome;

    const MESSAGE: &str = r#"{"message_type":"text","message_id":"m-5","chat_type":"c2c","sender":"bob","content":"hi"}"#;

    fn received(channel: PushChannel) -> ClickInput {
        crate::outbound::simulated_tap(MESSAGE, channel)
    }

    #[test]
    fn a_message_is_admitted_once_whatever_path_brings_it() {
        let dir = tempfile::tempdir().unwrap();
        let core = PushCore::new(example_config(), dir.path().display().to_string()).unwrap();
        let first = core
            .handle_received(received(PushChannel::Fcm), "fcm-data".into())
            .unwrap();
        let handle = match &first.decision {
            ReceivedDecision::Show {
                handle,
                badge: Some(1),
            } => handle.clone(),
            other => panic!("expected show with badge 1, got {other:?}"),
        };
        assert_eq!(handle.tag, first.dedup_key);
        assert_eq!(
            first.route,
            Route::C2cChat {
                user_id: "bob".into()
            }
        );
        assert_eq!(
            first.dedup_key,
            crate::derive_dedup_key(crate::dedup_fields_for_notification(
                first.notification.clone()
            ))
        );
        let again = core
            .handle_received(received(PushChannel::Xiaomi), "im-online".into())
            .unwrap();
        assert_eq!(again.dedup_key, first.dedup_key);
        assert_eq!(
            again.decision,
            ReceivedDecision::Suppress {
                reason: SuppressReason::Duplicate,
                badge: Some(1)
            }
        );
        // Showing it does not use up its tap; the tap clears the badge.
        let tap = core.handle_tap(received(PushChannel::Fcm)).unwrap();
        assert_eq!(tap.dedup, Some(DedupOutcome::Fresh));
        assert_eq!(tap.badge, Some(0));
    }

    #[test]
    fn a_broken_store_admits_the_message_but_a_bad_source_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(crate::store::db::DB_FILE_NAME)).unwrap();
        let core = PushCore::new(example_config(), dir.path().display().to_string()).unwrap();
        let outcome = core
            .handle_received(received(PushChannel::Vivo), "fcm-data".into())
            .unwrap();
        assert!(
            matches!(outcome.decision, ReceivedDecision::Show { badge: None, .. }),
            "{:?}",
            outcome.decision
        );
        assert_eq!(
            outcome.route,
            Route::C2cChat {
                user_id: "bob".into()
            }
        );

        let dir = tempfile::tempdir().unwrap();
        let core = PushCore::new(example_config(), dir.path().display().to_string()).unwrap();
        let err = core
            .handle_received(received(PushChannel::Vivo), "s".repeat(65))
            .unwrap_err();
        assert_eq!(err.code(), "too_large");
        let err = core
            .handle_received(
                ClickInput::Ios {
                    user_info_json: "{}".into(),
                },
                "x".into(),
            )
            .unwrap_err();
        assert_eq!(err.code(), "no_push_payload");
    }
}
