//! The notification ledger through the facade: one decision per received
//! message, recall, read elsewhere, swipe-away, the badge, and the account
//! guard. The logic is `store::ledger`'s; this maps its plain answers to
//! the exported records and its errors to `PushError`, and decides how a
//! broken store degrades (show it: losing a message is worse).

use super::conversation::ConversationUpdate;
use super::errors::handled_call;
use super::line_text::clean_line_text;
use super::PushCore;
use crate::entity::NotificationAction;
use crate::error::{invalid_input, PushError};
use crate::payload::NormalizedNotification;
use crate::store::dedup_key::{derive_key, MessageFields};
use crate::store::ledger::conversation::{MAX_LINE_UNITS, MAX_SENDER_NAME_UNITS};
use crate::store::ledger::{
    self, check_source, Change, Decision, Handle, Incoming, Line, Received, Recorded, Shown,
    Suppress, ViewedChange,
};

/// Where a notification lives on the device. Android: post it with
/// `NotificationManager.notify(tag, id)`, remove it with `cancel(tag, id)`.
/// iOS: `tag` is the `UNNotificationRequest` identifier (`id` is unused).
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Record)]
pub struct NotificationHandle {
    pub tag: String,
    pub id: i32,
}

/// Why a received message is not to be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SuppressReason {
    /// Shown already (it arrived by another path first).
    Duplicate,
    /// The sender recalled it (the recall may have arrived first).
    Recalled,
    /// It is for another account than the one logged in.
    OtherAccount,
    /// Nobody is logged in.
    LoggedOut,
    /// The user muted its conversation (`set_conversation_muted`).
    Muted,
    /// Quiet hours are on and their policy is `Suppress`.
    QuietHours,
}

/// What to do with a received message. `badge` is the logged-in account's
/// unread count after this message, to set at once; `None` only when the
/// ledger could not be used (then leave the badge as it is).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ReceivedDecision {
    /// Post it under `handle`.
    Show {
        handle: NotificationHandle,
        badge: Option<u32>,
    },
    /// The same message, updated while still shown: post it again under
    /// `handle`, which replaces it in place.
    Replace {
        handle: NotificationHandle,
        badge: Option<u32>,
    },
    /// Do not post it.
    Suppress {
        reason: SuppressReason,
        badge: Option<u32>,
    },
}

/// What a change asks of the device: remove these notifications (cancel
/// them on Android, `removeDeliveredNotifications` on iOS) and set the
/// badge to `badge`. The handles are per message, as
/// `ReceivedDecision::Show` gave them; an app posting one notification per
/// conversation calls the `_grouped` twin of the call instead, whose
/// [`ConversationChange`] holds this and the conversation notifications.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LedgerChange {
    pub remove: Vec<NotificationHandle>,
    pub badge: u32,
}

/// A [`LedgerChange`] with what it does to the per-conversation
/// notifications: re-post the conversations whose lines changed, cancel
/// those left without a line, and post (or cancel) the group summary.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConversationChange {
    /// The per-message answer, exactly as the plain call gives it.
    pub change: LedgerChange,
    pub conversations: ConversationUpdate,
}

#[uniffi::export]
impl PushCore {
    /// The sender recalled (revoked) the message `message_id` (the IM SDK
    /// reported it, or a data push carried it). Answers the notification to
    /// remove, if it is shown, and the new badge; a later delivery of the
    /// message (vendor channels deliver late) is suppressed as `Recalled`.
    /// An unknown id is not an error: nothing to remove.
    ///
    /// # Errors
    /// `invalid_input` for a blank id; `storage` when the database cannot
    /// be used.
    pub fn on_message_recalled(&self, message_id: String) -> Result<LedgerChange, PushError> {
        handled_call("on_message_recalled", || -> Result<_, PushError> {
            if message_id.trim().is_empty() {
                return Err(invalid_input("message_id must not be empty"));
            }
            Ok(self.ledger.recall(&im_key(message_id))?.into())
        })
    }

    /// [`on_message_recalled`](Self::on_message_recalled) for an app posting
    /// one notification per conversation: also answers the conversation's
    /// notification without the recalled line (or its removal when no line
    /// is left) and the group summary.
    ///
    /// # Errors
    /// As `on_message_recalled`: `invalid_input` for a blank id; `storage`.
    pub fn on_message_recalled_grouped(
        &self,
        message_id: String,
    ) -> Result<ConversationChange, PushError> {
        handled_call("on_message_recalled_grouped", || -> Result<_, PushError> {
            if message_id.trim().is_empty() {
                return Err(invalid_input("message_id must not be empty"));
            }
            Ok(self.ledger.recall_viewed(&im_key(message_id))?.into())
        })
    }

    /// The conversation was read up to `read_up_to_ms` (Unix ms, the time
    /// of the last message read), on another device or in the app: answers
    /// every notification of it sent up to then, to remove, and the badge.
    /// An unknown conversation is not an error.
    ///
    /// # Errors
    /// `invalid_input` for a blank id or a negative time; `storage`.
    pub fn on_conversation_read(
        &self,
        conversation_id: String,
        read_up_to_ms: i64,
    ) -> Result<LedgerChange, PushError> {
        handled_call("on_conversation_read", || -> Result<_, PushError> {
            if conversation_id.trim().is_empty() {
                return Err(invalid_input("conversation_id must not be empty"));
            }
            if read_up_to_ms < 0 {
                return Err(invalid_input("read_up_to_ms must not be negative"));
            }
            Ok(self.ledger.read(&conversation_id, read_up_to_ms)?.into())
        })
    }

    /// [`on_conversation_read`](Self::on_conversation_read) for an app
    /// posting one notification per conversation: also answers the
    /// conversation's notification with the lines after `read_up_to_ms`
    /// (or its removal when none is left) and the group summary.
    ///
    /// # Errors
    /// As `on_conversation_read`: `invalid_input` for a blank id or a
    /// negative time; `storage`.
    pub fn on_conversation_read_grouped(
        &self,
        conversation_id: String,
        read_up_to_ms: i64,
    ) -> Result<ConversationChange, PushError> {
        handled_call(
            "on_conversation_read_grouped",
            || -> Result<_, PushError> {
                if conversation_id.trim().is_empty() {
                    return Err(invalid_input("conversation_id must not be empty"));
                }
                if read_up_to_ms < 0 {
                    return Err(invalid_input("read_up_to_ms must not be negative"));
                }
                Ok(self
                    .ledger
                    .read_viewed(&conversation_id, read_up_to_ms)?
                    .into())
            },
        )
    }

    /// The user swiped the notification `handle` away: it no longer counts
    /// in the badge. A conversation's handle clears all its messages (the
    /// whole conversation was swiped away). An unknown handle is not an
    /// error.
    ///
    /// # Errors
    /// `storage`.
    pub fn on_notification_dismissed(
        &self,
        handle: NotificationHandle,
    ) -> Result<LedgerChange, PushError> {
        handled_call("on_notification_dismissed", || -> Result<_, PushError> {
            Ok(self.ledger.dismissed(&handle.into())?.into())
        })
    }

    /// [`on_notification_dismissed`](Self::on_notification_dismissed) with
    /// the conversation notifications it changes: a message's handle takes
    /// its line out of its conversation; a conversation's handle (the user
    /// swiped the whole conversation away) clears all its messages.
    ///
    /// # Errors
    /// `storage`.
    pub fn on_notification_dismissed_grouped(
        &self,
        handle: NotificationHandle,
    ) -> Result<ConversationChange, PushError> {
        handled_call(
            "on_notification_dismissed_grouped",
            || -> Result<_, PushError> { Ok(self.ledger.dismissed_viewed(&handle.into())?.into()) },
        )
    }

    /// Records that the platform shows `notification` under `handle`: for a
    /// notification the app did not post itself under the handle
    /// `handle_received` proposed (iOS shows an APNs alert under its own
    /// request identifier; a Notification Service Extension cannot change
    /// it). If the message was recalled meanwhile, `remove` holds `handle`.
    ///
    /// # Errors
    /// `too_large` for a `source` over 64 bytes; `storage`.
    pub fn notification_shown(
        &self,
        notification: NormalizedNotification,
        handle: NotificationHandle,
        source: String,
    ) -> Result<LedgerChange, PushError> {
        handled_call("notification_shown", || -> Result<_, PushError> {
            check_source(&source)?;
            let key = super::dedup::notification_key(&notification);
            let handle: Handle = handle.into();
            let (recorded, _) = self.ledger.record_shown_line(
                &shown(&notification, &key, handle.clone(), &source),
                &LineText::of(&notification).line(),
            )?;
            Ok(match recorded {
                Recorded::Shown { badge } => LedgerChange {
                    remove: Vec::new(),
                    badge,
                },
                Recorded::Recalled { badge } => LedgerChange {
                    remove: vec![handle.into()],
                    badge,
                },
            })
        })
    }

    /// The logged-in account's notifications still shown (not clicked,
    /// cleared or recalled): the app icon's badge.
    ///
    /// # Errors
    /// `storage`.
    pub fn badge_count(&self) -> Result<u32, PushError> {
        handled_call("badge_count", || -> Result<_, PushError> {
            Ok(self.ledger.badge()?)
        })
    }
}

impl PushCore {
    /// The decision for a parsed received message (`store::ledger::decide`),
    /// its conversation's update (Show and Replace of a message in a
    /// conversation) and whether to post it silently.
    pub(super) fn decide_received(
        &self,
        notification: &NormalizedNotification,
        key: &str,
        source: &str,
    ) -> Result<(ReceivedDecision, Option<ConversationUpdate>, bool), PushError> {
        let line = LineText::of(notification);
        let received = Received {
            incoming: Incoming {
                shown: shown(notification, key, Handle::for_message(key), source),
                receiver: receiver_of(notification),
            },
            line: line.line(),
            is_call: notification.action == NotificationAction::Call,
        };
        let outcome = self.ledger.receive(&self.dedup, &received)?;
        Ok((
            outcome.decision.into(),
            outcome.conversation.map(Into::into),
            outcome.silent,
        ))
    }

    /// The ledger's part of a tap: marks it clicked; `Some(reason)` when
    /// the tap must go home instead of into the chat (another account's
    /// notification, or nobody logged in); the badge when known.
    pub(super) fn ledger_tap(
        &self,
        notification: &NormalizedNotification,
        key: &str,
    ) -> (Option<SuppressReason>, Option<u32>) {
        match self.ledger.clicked(key, receiver_of(notification)) {
            Ok(tapped) => (tapped.guarded.map(Into::into), Some(tapped.badge)),
            Err(e) => {
                log_degraded("tap routed without the ledger", e.into());
                (None, None)
            }
        }
    }

    /// Records the IM login state for the account guard and the badge.
    /// Failure is logged, not returned: login itself must not fail on it.
    pub(super) fn ledger_session(&self, user_id: Option<&str>) {
        if let Err(e) = self.ledger.set_session(user_id) {
            log_degraded("login state not recorded", e.into());
        }
    }
}

/// The ledger key of an IM message id (what `handle_received` records).
fn im_key(message_id: String) -> String {
    derive_key(&MessageFields {
        im_message_id: Some(message_id),
        ..Default::default()
    })
}

/// The receiver digest a one-to-one message's `ext` carries, if any.
fn receiver_of(notification: &NormalizedNotification) -> Option<&str> {
    notification
        .extras
        .get(ledger::RECEIVER_EXT_KEY)
        .map(String::as_str)
}

fn shown<'a>(
    notification: &'a NormalizedNotification,
    key: &'a str,
    handle: Handle,
    source: &'a str,
) -> Shown<'a> {
    Shown {
        message_key: key,
        conversation: notification.conversation_id.as_deref().unwrap_or(""),
        handle,
        message_ms: i64::try_from(notification.send_time.saturating_mul(1000)).unwrap_or(0),
        content: notification.content.as_deref().unwrap_or(""),
        source,
    }
}

/// The line a message adds to its conversation, cleaned for the platform:
/// the sender's nickname (else id) and the text (else the alert body).
pub(super) struct LineText {
    sender_name: String,
    text: String,
}

impl LineText {
    pub(super) fn of(notification: &NormalizedNotification) -> LineText {
        fn pick<'a>(a: &'a Option<String>, b: &'a Option<String>) -> &'a str {
            a.as_deref()
                .filter(|s| !s.trim().is_empty())
                .or(b.as_deref())
                .unwrap_or("")
        }
        LineText {
            sender_name: clean_line_text(
                pick(&notification.nickname, &notification.sender),
                MAX_SENDER_NAME_UNITS,
            ),
            text: clean_line_text(
                pick(&notification.content, &notification.body),
                MAX_LINE_UNITS,
            ),
        }
    }

    pub(super) fn line(&self) -> Line<'_> {
        Line {
            sender_name: &self.sender_name,
            text: &self.text,
        }
    }
}

fn log_degraded(what: &str, error: PushError) {
    log::warn!(target: "pushcore::ledger", "{what}: {error}");
}

impl From<Handle> for NotificationHandle {
    fn from(h: Handle) -> Self {
        NotificationHandle {
            tag: h.tag,
            id: h.id,
        }
    }
}

impl From<NotificationHandle> for Handle {
    fn from(h: NotificationHandle) -> Self {
        Handle {
            tag: h.tag,
            id: h.id,
        }
    }
}

impl From<Suppress> for SuppressReason {
    fn from(s: Suppress) -> Self {
        match s {
            Suppress::Duplicate => SuppressReason::Duplicate,
            Suppress::Recalled => SuppressReason::Recalled,
            Suppress::OtherAccount => SuppressReason::OtherAccount,
            Suppress::LoggedOut => SuppressReason::LoggedOut,
            Suppress::Muted => SuppressReason::Muted,
            Suppress::QuietHours => SuppressReason::QuietHours,
        }
    }
}

impl From<Decision> for ReceivedDecision {
    fn from(d: Decision) -> Self {
        match d {
            Decision::Show { handle, badge } => ReceivedDecision::Show {
                handle: handle.into(),
                badge,
            },
            Decision::Replace { handle, badge } => ReceivedDecision::Replace {
                handle: handle.into(),
                badge,
            },
            Decision::Suppress { reason, badge } => ReceivedDecision::Suppress {
                reason: reason.into(),
                badge,
            },
        }
    }
}

impl From<Change> for LedgerChange {
    fn from(c: Change) -> Self {
        LedgerChange {
            remove: c.remove.into_iter().map(Into::into).collect(),
            badge: c.badge,
        }
    }
}

impl From<ViewedChange> for ConversationChange {
    fn from(c: ViewedChange) -> Self {
        ConversationChange {
            change: c.change.into(),
            conversations: c.conversations.into(),
        }
    }
}

#[cfg(test)]
mod tests;
