//! Conversation notifications, mutes and quiet hours through the facade:
//! the exported records for one notification per conversation (its lines,
//! the group summary) and the calls that set the user's "not now". The
//! logic is `store::ledger`'s (`conversation.rs`, `quiet.rs`).

use super::errors::handled_call;
use super::ledger::NotificationHandle;
use super::PushCore;
use crate::error::{invalid_input, PushError};
use crate::store::ledger::conversation::{self as view, GROUP_KEY};
use crate::store::ledger::{self, QuietPolicy};

/// One line of a conversation notification (Android: a
/// `MessagingStyle.Message`; iOS: a line of the thread's body).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConversationLine {
    /// The sender's display name: control characters removed, at most 64
    /// UTF-16 units.
    pub sender_name: String,
    /// The message text: control characters removed, line breaks as
    /// spaces, cut to 240 UTF-16 units with an ellipsis.
    pub text: String,
    /// When it was sent (Unix ms); when it was received if it carried none.
    pub time_ms: i64,
}

/// A conversation's one notification, as it should be now: post it under
/// `handle` (replacing the previous one of the conversation) in the group
/// `group_key`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConversationNotification {
    pub conversation_id: String,
    /// The conversation's pinned handle (the same the sending side uses
    /// for vendor notify ids).
    pub handle: NotificationHandle,
    /// Android `setGroup`. (iOS `threadIdentifier` is `handle.tag`, the
    /// `aps.thread-id` the sending side uses, so APNs-shown and app-posted
    /// notifications of a conversation share a thread.)
    pub group_key: String,
    /// The newest lines still shown (not recalled, read, dismissed or
    /// tapped), oldest first, at most `notifications.conversation_lines`.
    pub lines: Vec<ConversationLine>,
    /// Every message of the conversation still shown (may exceed `lines`).
    pub unread_count: u32,
}

/// The group summary's inputs when more than one conversation is shown:
/// Android posts a `setGroupSummary(true)` notification under `handle`;
/// iOS may use the counts for `summaryArgument` (ignored since iOS 15).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GroupSummary {
    pub handle: NotificationHandle,
    pub group_key: String,
    pub conversation_count: u32,
    pub unread_count: u32,
}

/// What the per-conversation notifications need after a message or a
/// change: post each of `post` (again), cancel each of `remove`, and post
/// `summary`, or cancel `summary_handle` when it is `None` (one
/// conversation or none is shown).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConversationUpdate {
    pub post: Vec<ConversationNotification>,
    pub remove: Vec<NotificationHandle>,
    pub summary: Option<GroupSummary>,
    pub summary_handle: NotificationHandle,
}

/// What quiet hours do to a message that would be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum QuietHoursPolicy {
    /// Post it without sound, vibration or heads-up (`ReceivedOutcome.silent`):
    /// the default, since nothing is lost and nobody is woken.
    ShowSilently,
    /// Do not post it (`SuppressReason::QuietHours`).
    Suppress,
}

/// A daily quiet window, from `start_minute` to `end_minute` (minutes
/// after local midnight, 0 to 1439; start after end spans midnight) in the
/// IANA zone `timezone`, following its DST changes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuietHours {
    pub start_minute: u32,
    pub end_minute: u32,
    pub timezone: String,
    pub policy: QuietHoursPolicy,
    /// Calls ring through quiet hours unless this is set.
    #[uniffi(default = false)]
    pub silence_calls: bool,
}

/// A conversation muted now.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MutedConversation {
    pub conversation_id: String,
    /// Unix ms; `None`: until unmuted.
    pub until_ms: Option<i64>,
}

/// The most mutes [`PushCore::muted_conversations`] answers.
const MAX_MUTES_LISTED: u32 = 1000;

#[uniffi::export]
impl PushCore {
    /// Mutes the conversation until `until_ms` (Unix ms; `None`: until
    /// unmuted); a time not after now unmutes. Its messages are then
    /// answered `Suppress(Muted)` by `handle_received` in every process
    /// using this storage directory, and do not count in the badge. Calls
    /// are not muted.
    ///
    /// # Errors
    /// `invalid_input` for a blank id or a negative `until_ms`; `storage`.
    pub fn set_conversation_muted(
        &self,
        conversation_id: String,
        until_ms: Option<i64>,
    ) -> Result<(), PushError> {
        handled_call("set_conversation_muted", || -> Result<_, PushError> {
            if conversation_id.trim().is_empty() {
                return Err(invalid_input("conversation_id must not be empty"));
            }
            Ok(self.ledger.set_muted(&conversation_id, until_ms)?)
        })
    }

    /// The conversations muted now.
    ///
    /// # Errors
    /// `storage`.
    pub fn muted_conversations(&self) -> Result<Vec<MutedConversation>, PushError> {
        handled_call("muted_conversations", || -> Result<_, PushError> {
            Ok(self
                .ledger
                .mutes(MAX_MUTES_LISTED)?
                .into_iter()
                .map(|m| MutedConversation {
                    conversation_id: m.conversation,
                    until_ms: m.until_ms,
                })
                .collect())
        })
    }

    /// Sets (replaces) the quiet hours (docs/notifications.md, "Mute and
    /// quiet hours").
    ///
    /// # Errors
    /// `invalid_input` for a minute over 1439, a start equal to the end, or
    /// a time zone the core does not know (nothing is stored then);
    /// `storage`.
    pub fn set_quiet_hours(&self, hours: QuietHours) -> Result<(), PushError> {
        handled_call("set_quiet_hours", || -> Result<_, PushError> {
            let minute = |m: u32, name: &str| {
                u16::try_from(m)
                    .map_err(|_| invalid_input(format!("quiet hours {name} must be 0 to 1439")))
            };
            Ok(self.ledger.set_quiet_hours(&ledger::QuietHours {
                start_minute: minute(hours.start_minute, "start")?,
                end_minute: minute(hours.end_minute, "end")?,
                timezone: hours.timezone,
                policy: match hours.policy {
                    QuietHoursPolicy::ShowSilently => QuietPolicy::ShowSilently,
                    QuietHoursPolicy::Suppress => QuietPolicy::Suppress,
                },
                silence_calls: hours.silence_calls,
            })?)
        })
    }

    /// Removes the quiet hours.
    ///
    /// # Errors
    /// `storage`.
    pub fn clear_quiet_hours(&self) -> Result<(), PushError> {
        handled_call("clear_quiet_hours", || -> Result<_, PushError> {
            Ok(self.ledger.clear_quiet_hours()?)
        })
    }

    /// The quiet hours set, if any.
    ///
    /// # Errors
    /// `storage`.
    pub fn quiet_hours(&self) -> Result<Option<QuietHours>, PushError> {
        handled_call("quiet_hours", || -> Result<_, PushError> {
            Ok(self.ledger.quiet_hours()?.map(|h| QuietHours {
                start_minute: h.start_minute.into(),
                end_minute: h.end_minute.into(),
                timezone: h.timezone,
                policy: match h.policy {
                    QuietPolicy::ShowSilently => QuietHoursPolicy::ShowSilently,
                    QuietPolicy::Suppress => QuietHoursPolicy::Suppress,
                },
                silence_calls: h.silence_calls,
            }))
        })
    }

    /// Every conversation notification as it should be now (at most 100
    /// conversations), to rebuild the shade after an app update or reboot.
    ///
    /// # Errors
    /// `storage`.
    pub fn conversation_notifications(&self) -> Result<ConversationUpdate, PushError> {
        handled_call("conversation_notifications", || -> Result<_, PushError> {
            Ok(self.ledger.conversations()?.into())
        })
    }
}

impl From<ledger::ConversationUpdate> for ConversationUpdate {
    fn from(u: ledger::ConversationUpdate) -> Self {
        ConversationUpdate {
            post: u.post.into_iter().map(Into::into).collect(),
            remove: u.remove.into_iter().map(Into::into).collect(),
            summary: u.summary.map(|s| GroupSummary {
                handle: view::summary_handle().into(),
                group_key: GROUP_KEY.into(),
                conversation_count: s.conversations,
                unread_count: s.unread,
            }),
            summary_handle: view::summary_handle().into(),
        }
    }
}

impl From<ledger::ConversationView> for ConversationNotification {
    fn from(v: ledger::ConversationView) -> Self {
        ConversationNotification {
            conversation_id: v.conversation,
            handle: v.handle.into(),
            group_key: GROUP_KEY.into(),
            lines: v
                .lines
                .into_iter()
                .map(|l| ConversationLine {
                    sender_name: l.sender_name,
                    text: l.text,
                    time_ms: l.message_ms,
                })
                .collect(),
            unread_count: v.unread,
        }
    }
}

#[cfg(test)]
mod tests;
