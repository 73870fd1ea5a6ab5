//! The whole tap path in one call: parse, "handled already?", route.
//!
//! Every crossing of the FFI costs the host far more than the work behind
//! it (on the JVM each one allocates JNA structures; see
//! docs/performance.md), and a tap handler otherwise needs four calls
//! (parse, derive key, check, route). One call keeps the tap path at the
//! minimum number of crossings and gives apps one obvious thing to call.

use super::errors::handled_call;
use super::PushCore;
use crate::channel::PushChannel;
use crate::error::PushError;
use crate::payload::{self, ClickInput, NormalizedNotification};
use crate::routing::{self, Route};
use crate::store::dedup::{DedupKind, DedupOutcome};

use super::dedup::notification_key;

/// What to do with a tap.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TapOutcome {
    pub notification: NormalizedNotification,
    /// Where to go: a chat, a call screen, home, or an allow-listed URL.
    pub route: Route,
    /// `Fresh` the first time this message's tap is handled, `Duplicate`
    /// when it already was (a cold start followed by `onNewIntent` delivers
    /// the same tap twice). `None` when the dedup store could not be used:
    /// the tap is still routed, because losing a tap is worse than handling
    /// it twice; the reason is logged.
    pub dedup: Option<DedupOutcome>,
    /// The badge after this tap (a tapped notification no longer counts);
    /// `None` when the ledger could not be used.
    pub badge: Option<u32>,
}

#[uniffi::export]
impl PushCore {
    /// Handles a notification tap in one call: parses whatever the channel
    /// delivered, records it as clicked (source: the channel's name) and
    /// returns the destination. Always open `route` (the user tapped; the
    /// same message tapped twice opens the same screen); `dedup` only says
    /// whether to run one-time effects (counting the open, marking read).
    /// A tap on a notification of another account than the one logged in
    /// (or with nobody logged in) routes to `Home`, never into that
    /// account's chat.
    ///
    /// # Errors
    /// The parse errors of `parse_click` (`invalid_input`, `too_large`,
    /// `no_push_payload`, `invalid_ext`). A broken store is not an error
    /// (`dedup` is `None`).
    pub fn handle_tap(&self, input: ClickInput) -> Result<TapOutcome, PushError> {
        handled_call("handle_tap", || -> Result<_, PushError> {
            Ok(self.handle_parsed_tap(payload::parse_click(input)?))
        })
    }
}

impl PushCore {
    /// The tap path after parsing, shared with the JVM's fast door.
    pub(super) fn handle_parsed_tap(&self, notification: NormalizedNotification) -> TapOutcome {
        let key = notification_key(&notification);
        let (guarded, badge) = self.ledger_tap(&notification, &key);
        let route = match guarded {
            Some(reason) => {
                log::info!(target: "pushcore::tap", "tap routed home: {reason:?}");
                Route::Home
            }
            None => routing::route(&notification, &self.config.routing.url_allow_list),
        };
        let source = PushChannel::name_or_unknown(notification.channel);
        let dedup = match self.dedup.check_and_mark(&key, DedupKind::Clicked, source) {
            Ok(outcome) => Some(outcome),
            Err(e) => {
                log::warn!(target: "pushcore::tap", "tap routed without dedup: {e}");
                None
            }
        };
        TapOutcome {
            notification,
            route,
            dedup,
            badge,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::PushChannel;
    use crate::config::example_config;

    fn tap(channel: PushChannel) -> ClickInput {
        crate::outbound::simulated_tap(
            r#"{"message_type":"text","message_id":"m-42","chat_type":"group","sender":"team","content":"hi"}"#,
            channel,
        )
    }

    #[test]
    fn a_tap_is_routed_once_then_reported_as_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let core = PushCore::new(example_config(), dir.path().display().to_string()).unwrap();
        let first = core.handle_tap(tap(PushChannel::Huawei)).unwrap();
        assert_eq!(
            first.route,
            Route::GroupChat {
                group_id: "team".into()
            }
        );
        assert_eq!(first.dedup, Some(DedupOutcome::Fresh));
        assert_eq!(first.notification.message_id.as_deref(), Some("m-42"));
        // The same message tapped again, even via another channel's shape.
        let again = core.handle_tap(tap(PushChannel::Fcm)).unwrap();
        assert_eq!(again.route, first.route);
        match again.dedup {
            Some(DedupOutcome::Duplicate { source, .. }) => assert_eq!(source, "huawei"),
            other => panic!("expected a duplicate, got {other:?}"),
        }
    }

    #[test]
    fn an_unusable_store_still_routes_and_bad_input_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pushcore.db")).unwrap();
        let core = PushCore::new(example_config(), dir.path().display().to_string()).unwrap();
        let outcome = core.handle_tap(tap(PushChannel::Xiaomi)).unwrap();
        assert_eq!(
            outcome.route,
            Route::GroupChat {
                group_id: "team".into()
            }
        );
        assert_eq!(outcome.dedup, None);
        let err = core
            .handle_tap(ClickInput::Ios {
                user_info_json: "not json".into(),
            })
            .unwrap_err();
        assert_eq!(err.code(), "invalid_input");
    }
}
