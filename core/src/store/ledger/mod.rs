//! The notification ledger: what this device showed, under which handle,
//! for which account, and what became of it (clicked, cleared, recalled).
//!
//! The dedup store answers "shown already?"; the ledger remembers enough
//! about each shown message to take it back: a recall or a conversation
//! read elsewhere answers the handles to remove, and every change answers
//! the badge (the logged-in account's notifications still shown), so the
//! app never needs a second call. It also knows who is logged in, so a push
//! meant for another account, or any push while logged out, is not shown.
//!
//! Consistency with dedup: the received path asks the dedup store first
//! (displayed kind, same key) and writes the ledger row after a `Fresh`
//! answer; a `Duplicate` answer is looked up here to tell a repeat from an
//! updated message (`Replace`). Every multi-statement change runs in one
//! IMMEDIATE transaction, so two processes on one file serialize and a
//! killed process leaves either all of a change or none of it. Rows live
//! as long as dedup rows (the same TTL and row cap).

pub mod conversation;
pub mod decide;
pub mod identity;
pub mod quiet;

pub use conversation::{ConversationLine, ConversationUpdate, ConversationView, Line, Summary};
pub use decide::{check_source, Decision, Incoming, Outcome, Received};
pub use identity::{bounded, receiver_digest, Handle, RECEIVER_EXT_KEY};
pub use quiet::{Mute, Presentation, Quiet, QuietHours, QuietPolicy};

use super::prune::{prune, prune_sql, PruneSql};
use super::Store;
use crate::config::DedupSettings;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What became of a shown notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Shown,
    Clicked,
    /// Read elsewhere or swiped away.
    Cleared,
    /// The sender took it back (or a recall arrived before the message).
    Recalled,
}

impl State {
    fn code(self) -> i64 {
        match self {
            State::Shown => 1,
            State::Clicked => 2,
            State::Cleared => 3,
            State::Recalled => 4,
        }
    }

    fn from_code(code: i64) -> Option<State> {
        [
            State::Shown,
            State::Clicked,
            State::Cleared,
            State::Recalled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Shown => "shown",
            State::Clicked => "clicked",
            State::Cleared => "cleared",
            State::Recalled => "recalled",
        }
    }
}

/// Who the ledger believes is logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// Never told: the account guard is off (apps that do not call login).
    Unknown,
    LoggedOut,
    /// The account's receiver digest.
    LoggedIn(String),
}

/// Why a received message is not to be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppress {
    Duplicate,
    Recalled,
    OtherAccount,
    LoggedOut,
    /// The user muted the message's conversation.
    Muted,
    /// Quiet hours are on and their policy is to suppress.
    QuietHours,
}

impl Suppress {
    pub fn as_str(self) -> &'static str {
        match self {
            Suppress::Duplicate => "duplicate",
            Suppress::Recalled => "recalled",
            Suppress::OtherAccount => "other_account",
            Suppress::LoggedOut => "logged_out",
            Suppress::Muted => "muted",
            Suppress::QuietHours => "quiet_hours",
        }
    }
}

/// What the device should do after a change: remove these notifications,
/// set this badge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub remove: Vec<Handle>,
    pub badge: u32,
}

/// A [`Change`] with what it does to the per-conversation notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewedChange {
    pub change: Change,
    pub conversations: ConversationUpdate,
}

/// A message the device shows (or showed).
#[derive(Debug, Clone)]
pub struct Shown<'a> {
    /// The dedup key (bounded here).
    pub message_key: &'a str,
    pub conversation: &'a str,
    pub handle: Handle,
    /// The message's send time in ms; 0 when unknown (then: now).
    pub message_ms: i64,
    /// The channel-independent text, to tell an edit from a repeat.
    pub content: &'a str,
    pub source: &'a str,
}

/// The ledger's answer for a message just recorded as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    Shown {
        badge: u32,
    },
    /// A recall got here first: do not show it.
    Recalled {
        badge: u32,
    },
}

/// The ledger's answer for a message the dedup store had seen before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repeat {
    /// Still shown, with other content: update it in place.
    Replace {
        handle: Handle,
        badge: u32,
    },
    Suppress {
        reason: Suppress,
        badge: u32,
    },
}

/// What the guard read found, for [`Ledger::decide`].
#[derive(Debug, Clone)]
pub struct Admission {
    /// Set when the message must not be shown.
    pub suppress: Option<Suppress>,
    row: Option<Row>,
    /// When the message's row was (last) recorded as shown, if it has one.
    pub shown_ms: Option<i64>,
    /// The badge as of the read.
    pub badge: u32,
    /// The conversation's mute and the quiet hours, as of the read.
    pub quiet: Quiet,
}

/// The ledger's view of a tap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tapped {
    /// Set when the tap must not open the message's chat (it belongs to
    /// another account, or nobody is logged in): route home instead.
    pub guarded: Option<Suppress>,
    pub badge: u32,
}

/// One row, for `pushcore ledger list` and support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub message_key: String,
    pub account: String,
    pub conversation: String,
    pub handle: Handle,
    pub message_ms: i64,
    pub shown_ms: i64,
    pub state: State,
    pub source: String,
}

/// Pruning runs after this many inserts (as for dedup).
const PRUNE_EVERY: u32 = 64;

const SESSION: &str = "SELECT account FROM ledger_account WHERE id = 1";
/// The login state and the message's state in one step (the hot path).
/// With the message's row and the badge, so a repeat needs no other read,
/// and the conversation's mute (`?2`, at now `?3`) and the quiet hours.
const ADMIT: &str = "SELECT EXISTS(SELECT 1 FROM ledger_account WHERE id = 1),
         (SELECT account FROM ledger_account WHERE id = 1),
         s.state, s.content_digest, s.handle_tag, s.handle_id, s.account,
         (SELECT CASE
             WHEN NOT EXISTS(SELECT 1 FROM ledger_account WHERE id = 1)
                 THEN (SELECT coalesce(sum(shown), 0) FROM ledger_unread)
             WHEN (SELECT account FROM ledger_account WHERE id = 1) IS NULL THEN 0
             ELSE (SELECT coalesce(sum(shown), 0) FROM ledger_unread
                   WHERE account = (SELECT account FROM ledger_account WHERE id = 1))
         END),
         (SELECT until_ms IS NULL OR until_ms > ?3 FROM ledger_muted WHERE conversation = ?2),
         q.start_minute, q.end_minute, q.timezone, q.policy, q.silence_calls,
         s.shown_ms
     FROM (SELECT 1) LEFT JOIN ledger_shown AS s ON s.message_key = ?1
     LEFT JOIN ledger_quiet_hours AS q ON q.id = 1";
/// The badge with the login state read in the same statement.
const BADGE_NOW: &str = "SELECT CASE
         WHEN NOT EXISTS(SELECT 1 FROM ledger_account WHERE id = 1)
             THEN (SELECT coalesce(sum(shown), 0) FROM ledger_unread)
         WHEN (SELECT account FROM ledger_account WHERE id = 1) IS NULL THEN 0
         ELSE (SELECT coalesce(sum(shown), 0) FROM ledger_unread
               WHERE account = (SELECT account FROM ledger_account WHERE id = 1))
     END";
const SET_SESSION: &str = "INSERT INTO ledger_account(id, account, changed_ms) VALUES (1, ?1, ?2)
     ON CONFLICT(id) DO UPDATE SET account = excluded.account, changed_ms = excluded.changed_ms";
const ROW: &str =
    "SELECT state, content_digest, handle_tag, handle_id, account FROM ledger_shown WHERE message_key = ?1";
const UPSERT_SHOWN: &str =
    "INSERT INTO ledger_shown(message_key, account, conversation, handle_tag,
         handle_id, message_ms, shown_ms, state, content_digest, source, sender_name, line_text)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?10, ?11)
     ON CONFLICT(message_key) DO UPDATE SET account = excluded.account,
         conversation = excluded.conversation, handle_tag = excluded.handle_tag,
         handle_id = excluded.handle_id, message_ms = excluded.message_ms,
         shown_ms = excluded.shown_ms, state = 1,
         content_digest = excluded.content_digest, source = excluded.source,
         sender_name = excluded.sender_name, line_text = excluded.line_text
     WHERE ledger_shown.state != 4";
/// A recall for a message not shown (yet): remembered, so the late
/// delivery is suppressed. No handle, no account: it never counts.
const TOMBSTONE: &str = "INSERT INTO ledger_shown(message_key, account, conversation, handle_tag,
         handle_id, message_ms, shown_ms, state, content_digest, source)
     VALUES (?1, '', '', '', 0, ?2, ?2, 4, '', 'recall')";
const SET_STATE: &str = "UPDATE ledger_shown SET state = ?2 WHERE message_key = ?1";
/// An edit: the new digest and, when known (`?4` not NULL), the new line.
const SET_CONTENT: &str = "UPDATE ledger_shown SET content_digest = ?2,
         line_text = coalesce(?4, line_text)
     WHERE message_key = ?1 AND state = 1 AND content_digest = ?3
     RETURNING conversation";
const READ: &str = "UPDATE ledger_shown SET state = 3
     WHERE conversation = ?1 AND message_ms <= ?2 AND state IN (1, 2)
     RETURNING handle_tag, handle_id";
const DISMISS: &str = "UPDATE ledger_shown SET state = 3
     WHERE handle_tag = ?1 AND handle_id = ?2 AND state = 1 RETURNING conversation";
/// A swipe-away of a conversation's one notification clears its messages.
const DISMISS_CONVERSATION: &str =
    "UPDATE ledger_shown SET state = 3 WHERE conversation = ?1 AND state = 1";
const CONVERSATION_OF: &str = "SELECT conversation FROM ledger_shown WHERE message_key = ?1";
const CLICK: &str = "UPDATE ledger_shown SET state = 2 WHERE message_key = ?1 AND state = 1";
/// The trigger-kept counts (`ledger_unread`), one lookup; 0 for no row.
const BADGE_OF: &str = "SELECT coalesce(sum(shown), 0) FROM ledger_unread WHERE account = ?1";
const BADGE_ALL: &str = "SELECT coalesce(sum(shown), 0) FROM ledger_unread";
const LIST: &str = "SELECT message_key, account, conversation, handle_tag, handle_id, message_ms,
         shown_ms, state, source FROM ledger_shown ORDER BY id DESC LIMIT ?1";
const PRUNE: PruneSql = prune_sql!("ledger_shown", "shown_ms");

pub struct Ledger {
    store: Arc<Store>,
    settings: DedupSettings,
    inserts_since_prune: AtomicU32,
    /// Lines per conversation view.
    lines: u32,
    /// The quiet hours' zone, resolved once (`quiet::Ledger::zone_of`).
    zone: Mutex<Option<(String, jiff::tz::TimeZone)>>,
}

impl Ledger {
    pub fn new(store: Arc<Store>, settings: DedupSettings) -> Ledger {
        Ledger {
            store,
            settings,
            inserts_since_prune: AtomicU32::new(0),
            lines: conversation::DEFAULT_LINES,
            zone: Mutex::new(None),
        }
    }

    /// The number of lines each conversation view holds (1 to
    /// [`conversation::MAX_LINES`], clamped).
    pub fn with_conversation_lines(mut self, lines: u32) -> Ledger {
        self.lines = lines.clamp(1, conversation::MAX_LINES);
        self
    }

    /// Who is logged in, as last recorded by any process on this file.
    pub fn session(&self) -> Result<Session> {
        self.store.with_conn(|conn| Ok(session_in(conn)?))
    }

    /// Records a login (`Some(user id)`) or a logout (`None`). Only the
    /// receiver digest of the id is stored.
    pub fn set_session(&self, user_id: Option<&str>) -> Result<()> {
        let account = user_id.map(receiver_digest);
        let now = self.store.clock().now_ms();
        self.store.with_conn(|conn| {
            conn.prepare_cached(SET_SESSION)?
                .execute(params![account, now])?;
            Ok(())
        })
    }

    /// Before a received message is marked as displayed: is it for this
    /// account, and was it recalled? One read; `None` means go on.
    pub fn admit(&self, message_key: &str, receiver: Option<&str>) -> Result<Option<Suppress>> {
        Ok(self.admission(message_key, receiver)?.suppress)
    }

    /// [`admit`](Self::admit) with what the same read found: the message's
    /// row and the badge, which [`repeat_after`](Self::repeat_after) uses.
    pub fn admission(&self, message_key: &str, receiver: Option<&str>) -> Result<Admission> {
        self.admission_in(message_key, receiver, "")
    }

    /// [`admission`](Self::admission) that also reads whether
    /// `conversation` is muted, and the quiet hours.
    pub fn admission_in(
        &self,
        message_key: &str,
        receiver: Option<&str>,
        conversation: &str,
    ) -> Result<Admission> {
        let key = bounded(message_key);
        let conversation = bounded(conversation);
        let now = self.store.clock().now_ms();
        self.store.with_conn(|conn| {
            let (known, account, row, badge, quiet, shown_ms) = conn
                .prepare_cached(ADMIT)?
                .query_row(params![key, conversation, now], |r| {
                    let state: Option<i64> = r.get(2)?;
                    let row = match state {
                        None => None,
                        Some(code) => Some(Row {
                            state: State::from_code(code).unwrap_or(State::Cleared),
                            content_digest: r.get(3)?,
                            handle: Handle {
                                tag: r.get(4)?,
                                id: r.get(5)?,
                            },
                            account: r.get(6)?,
                        }),
                    };
                    let known: bool = r.get(0)?;
                    let account: Option<String> = r.get(1)?;
                    let badge: i64 = r.get(7)?;
                    let muted: Option<bool> = r.get(8)?;
                    let start: Option<u16> = r.get(9)?;
                    let hours = match start {
                        None => None,
                        Some(start_minute) => Some(QuietHours {
                            start_minute,
                            end_minute: r.get(10)?,
                            timezone: r.get(11)?,
                            policy: quiet::QuietPolicy::from_code(r.get(12)?),
                            silence_calls: r.get(13)?,
                        }),
                    };
                    let quiet = Quiet {
                        muted: muted.unwrap_or(false),
                        hours,
                    };
                    let shown_ms: Option<i64> = r.get(14)?;
                    Ok((known, account, row, badge, quiet, shown_ms))
                })?;
            let session = match (known, account) {
                (false, _) => Session::Unknown,
                (true, None) => Session::LoggedOut,
                (true, Some(account)) => Session::LoggedIn(account),
            };
            let recalled = row.as_ref().is_some_and(|r| r.state == State::Recalled);
            let suppress = guard(&session, receiver).or(recalled.then_some(Suppress::Recalled));
            Ok(Admission {
                suppress,
                row,
                shown_ms,
                badge: to_badge(badge),
                quiet,
            })
        })
    }

    /// [`repeat`](Self::repeat) from what [`admission`](Self::admission)
    /// read: no further read, and a write only for an edit.
    pub fn repeat_after(
        &self,
        message_key: &str,
        content: &str,
        admission: &Admission,
    ) -> Result<Repeat> {
        Ok(self.repeat_viewed(message_key, content, None, admission)?.0)
    }

    /// [`repeat_after`](Self::repeat_after) for an edit that brings its new
    /// line (`line_text`, cleaned here): a `Replace` also answers its
    /// conversation's view with the edited line.
    pub fn repeat_viewed(
        &self,
        message_key: &str,
        content: &str,
        line_text: Option<&str>,
        admission: &Admission,
    ) -> Result<(Repeat, Option<ConversationUpdate>)> {
        let badge = admission.badge;
        let reason = match &admission.row {
            Some(r) if r.state == State::Recalled => Suppress::Recalled,
            Some(r) if r.state == State::Shown && r.content_digest != content_digest(content) => {
                let key = bounded(message_key);
                let line = line_text.map(|t| conversation::capped(t, conversation::MAX_LINE_UNITS));
                let lines = self.lines;
                let edited = self.store.with_conn(|conn| {
                    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
                    let edited = match set_content(
                        &tx,
                        &key,
                        &content_digest(content),
                        &r.content_digest,
                        line,
                    )? {
                        None => None,
                        Some(c) if c.is_empty() => Some(None),
                        Some(c) => {
                            let session = session_in(&tx)?;
                            Some(Some(conversation::update_in(&tx, &session, &[c], lines)?))
                        }
                    };
                    tx.commit()?;
                    Ok(edited)
                })?;
                if let Some(update) = edited {
                    return Ok((
                        Repeat::Replace {
                            handle: r.handle.clone(),
                            badge,
                        },
                        update,
                    ));
                }
                Suppress::Duplicate
            }
            _ => Suppress::Duplicate,
        };
        Ok((Repeat::Suppress { reason, badge }, None))
    }

    /// Records `shown` (a fresh message, or one the platform showed under
    /// its own handle), unless a recall got there first.
    pub fn record_shown(&self, shown: &Shown<'_>) -> Result<Recorded> {
        Ok(self.record(shown, &Line::default(), false)?.0)
    }

    /// [`record_shown`](Self::record_shown) with the message's line, also
    /// answering its conversation's view (when it names a conversation and
    /// was recorded).
    pub fn record_shown_line(
        &self,
        shown: &Shown<'_>,
        line: &Line<'_>,
    ) -> Result<(Recorded, Option<ConversationUpdate>)> {
        self.record(shown, line, true)
    }

    fn record(
        &self,
        shown: &Shown<'_>,
        line: &Line<'_>,
        view: bool,
    ) -> Result<(Recorded, Option<ConversationUpdate>)> {
        let key = bounded(shown.message_key);
        let conversation = bounded(shown.conversation);
        let now = self.store.clock().now_ms();
        let message_ms = if shown.message_ms > 0 {
            shown.message_ms
        } else {
            now
        };
        let content = content_digest(shown.content);
        let sender_name =
            conversation::capped(line.sender_name, conversation::MAX_SENDER_NAME_UNITS);
        let text = conversation::capped(line.text, conversation::MAX_LINE_UNITS);
        let lines = self.lines;
        let recorded = self.store.with_conn(|conn| {
            let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            let session = session_in(&tx)?;
            // No row changes only when a recall got there first.
            let changed = tx.prepare_cached(UPSERT_SHOWN)?.execute(params![
                key,
                account_of(&session),
                conversation,
                shown.handle.tag,
                shown.handle.id,
                message_ms,
                now,
                content,
                shown.source,
                sender_name,
                text,
            ])?;
            let badge = badge_in(&tx, &session)?;
            let update = if view && changed == 1 && !conversation.is_empty() {
                Some(conversation::update_in(
                    &tx,
                    &session,
                    std::slice::from_ref(&conversation.to_string()),
                    lines,
                )?)
            } else {
                None
            };
            tx.commit()?;
            Ok(if changed == 1 {
                (Recorded::Shown { badge }, update)
            } else {
                (Recorded::Recalled { badge }, None)
            })
        })?;
        self.inserted();
        Ok(recorded)
    }

    /// The dedup store had seen `message_key`: a repeat, or an update of a
    /// message still shown (`content` differs), or a recalled one.
    pub fn repeat(&self, message_key: &str, content: &str) -> Result<Repeat> {
        let key = bounded(message_key);
        let digest = content_digest(content);
        self.store.with_conn(|conn| {
            // Read-only in the common case (a plain repeat), so no write
            // lock; an edit is a compare-and-set, so of two processes
            // seeing the same edit only one answers `Replace`.
            let answer = match row_in(conn, &key)? {
                Some(r) if r.state == State::Recalled => Err(Suppress::Recalled),
                Some(r) if r.state == State::Shown && r.content_digest != digest => {
                    if set_content(conn, &key, &digest, &r.content_digest, None)?.is_some() {
                        Ok(r.handle)
                    } else {
                        Err(Suppress::Duplicate)
                    }
                }
                _ => Err(Suppress::Duplicate),
            };
            let badge = badge_now(conn)?;
            Ok(match answer {
                Ok(handle) => Repeat::Replace { handle, badge },
                Err(reason) => Repeat::Suppress { reason, badge },
            })
        })
    }

    /// The message was recalled: its handle (if still shown) to remove,
    /// and a `recalled` row either way, so a late delivery is suppressed.
    pub fn recall(&self, message_key: &str) -> Result<Change> {
        Ok(self.recall_viewed(message_key)?.change)
    }

    /// [`recall`](Self::recall) with its conversation's view recomputed
    /// (the recalled line gone; removed when no line is left).
    pub fn recall_viewed(&self, message_key: &str) -> Result<ViewedChange> {
        let key = bounded(message_key);
        let now = self.store.clock().now_ms();
        let lines = self.lines;
        let change = self.store.with_conn(|conn| {
            let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            let session = session_in(&tx)?;
            let mut remove = Vec::new();
            let mut touched = Vec::new();
            match row_in(&tx, &key)? {
                Some(r) => {
                    if matches!(r.state, State::Shown | State::Clicked) && !r.handle.tag.is_empty()
                    {
                        remove.push(r.handle);
                    }
                    if r.state == State::Shown {
                        touched.push(conversation_in(&tx, &key)?);
                    }
                    tx.prepare_cached(SET_STATE)?
                        .execute(params![key, State::Recalled.code()])?;
                }
                None => {
                    tx.prepare_cached(TOMBSTONE)?.execute(params![key, now])?;
                }
            }
            let badge = badge_in(&tx, &session)?;
            let conversations = conversation::update_in(&tx, &session, &touched, lines)?;
            tx.commit()?;
            Ok(ViewedChange {
                change: Change { remove, badge },
                conversations,
            })
        })?;
        self.inserted();
        Ok(change)
    }

    /// The conversation was read up to `up_to_ms` (on another device, or
    /// in the app): every notification of it up to then goes.
    pub fn read(&self, conversation: &str, up_to_ms: i64) -> Result<Change> {
        Ok(self.read_viewed(conversation, up_to_ms)?.change)
    }

    /// [`read`](Self::read) with the conversation's view recomputed (the
    /// lines after `up_to_ms` stay; removed when none is left).
    pub fn read_viewed(&self, conversation: &str, up_to_ms: i64) -> Result<ViewedChange> {
        let conversation = bounded(conversation).into_owned();
        let lines = self.lines;
        self.store.with_conn(|conn| {
            let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            let session = session_in(&tx)?;
            let remove = {
                let mut stmt = tx.prepare_cached(READ)?;
                let rows = stmt.query_map(params![conversation, up_to_ms], |r| {
                    Ok(Handle {
                        tag: r.get(0)?,
                        id: r.get(1)?,
                    })
                })?;
                rows.filter(|h| h.as_ref().map_or(true, |h| !h.tag.is_empty()))
                    .collect::<rusqlite::Result<Vec<_>>>()?
            };
            let badge = badge_in(&tx, &session)?;
            let conversations =
                conversation::update_in(&tx, &session, std::slice::from_ref(&conversation), lines)?;
            tx.commit()?;
            Ok(ViewedChange {
                change: Change { remove, badge },
                conversations,
            })
        })
    }

    /// The user swiped the notification away: it no longer counts.
    pub fn dismissed(&self, handle: &Handle) -> Result<Change> {
        Ok(self.dismissed_viewed(handle)?.change)
    }

    /// [`dismissed`](Self::dismissed) for either kind of handle: a
    /// message's (its conversation's view is recomputed without it) or a
    /// conversation's (all its shown messages are cleared: the user swiped
    /// the whole conversation away).
    pub fn dismissed_viewed(&self, handle: &Handle) -> Result<ViewedChange> {
        let lines = self.lines;
        self.store.with_conn(|conn| {
            let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            let session = session_in(&tx)?;
            let touched = match conversation::conversation_of(handle) {
                Some(conversation) => {
                    tx.prepare_cached(DISMISS_CONVERSATION)?
                        .execute([conversation])?;
                    vec![conversation.to_string()]
                }
                None => {
                    let mut stmt = tx.prepare_cached(DISMISS)?;
                    let rows = stmt.query_map(params![handle.tag, handle.id], |r| r.get(0))?;
                    rows.collect::<rusqlite::Result<Vec<String>>>()?
                }
            };
            let badge = badge_in(&tx, &session)?;
            let conversations = conversation::update_in(&tx, &session, &touched, lines)?;
            tx.commit()?;
            Ok(ViewedChange {
                change: Change {
                    remove: Vec::new(),
                    badge,
                },
                conversations,
            })
        })
    }

    /// Every conversation's view as it is now, for an app that (re)builds
    /// its notifications, e.g. after an update or a reboot.
    pub fn conversations(&self) -> Result<ConversationUpdate> {
        let lines = self.lines;
        self.store.with_conn(|conn| {
            let session = session_in(conn)?;
            let shown = conversation::shown_conversations(conn, &session)?;
            Ok(conversation::update_in(conn, &session, &shown, lines)?)
        })
    }

    /// A tap on the message: marks it clicked and says whether the tap may
    /// open its chat. The account is the one it was shown for, else the
    /// receiver its payload names.
    pub fn clicked(&self, message_key: &str, receiver: Option<&str>) -> Result<Tapped> {
        let key = bounded(message_key);
        self.store.with_conn(|conn| {
            // No write lock unless the row is still shown (a repeated tap,
            // or a tap on a notification the ledger never saw, reads only).
            let session = session_in(conn)?;
            let row = row_in(conn, &key)?;
            if row.as_ref().is_some_and(|r| r.state == State::Shown) {
                conn.prepare_cached(CLICK)?.execute(params![key])?;
            }
            let shown_for = row.map(|r| r.account).filter(|a| !a.is_empty());
            let guarded = guard(&session, shown_for.as_deref().or(receiver));
            let badge = badge_in(conn, &session)?;
            Ok(Tapped { guarded, badge })
        })
    }

    /// The logged-in account's notifications still shown.
    pub fn badge(&self) -> Result<u32> {
        self.store.with_conn(|conn| Ok(badge_now(conn)?))
    }

    /// The newest `limit` rows, newest first.
    pub fn entries(&self, limit: u32) -> Result<Vec<Entry>> {
        self.store.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(LIST)?;
            let rows = stmt.query_map([limit], |r| {
                Ok(Entry {
                    message_key: r.get(0)?,
                    account: r.get(1)?,
                    conversation: r.get(2)?,
                    handle: Handle {
                        tag: r.get(3)?,
                        id: r.get(4)?,
                    },
                    message_ms: r.get(5)?,
                    shown_ms: r.get(6)?,
                    state: State::from_code(r.get(7)?).unwrap_or(State::Cleared),
                    source: r.get(8)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Drops expired rows, rows stamped too far ahead of now, and rows over
    /// the cap, in bounded batches (see `store::prune`). Returns how many went.
    pub fn prune(&self) -> Result<u64> {
        let now = self.store.clock().now_ms();
        let s = &self.settings;
        self.store
            .with_conn(|conn| Ok(prune(conn, &PRUNE, now, s.ttl_seconds, s.max_rows)?))
    }

    /// Counts an insert; every [`PRUNE_EVERY`] runs a prune whose failure
    /// is logged, never returned (the answer is already committed).
    fn inserted(&self) {
        let count = self.inserts_since_prune.fetch_add(1, Ordering::Relaxed) + 1;
        if count >= PRUNE_EVERY {
            self.inserts_since_prune.store(0, Ordering::Relaxed);
            if let Err(e) = self.prune() {
                log::warn!(target: "pushcore::ledger", "pruning failed: {e}");
            }
        }
    }
}

/// The account guard: `None` lets the message through.
fn guard(session: &Session, receiver: Option<&str>) -> Option<Suppress> {
    match (session, receiver) {
        (Session::Unknown, _) => None,
        (Session::LoggedOut, _) => Some(Suppress::LoggedOut),
        (Session::LoggedIn(me), Some(them)) if them != me => Some(Suppress::OtherAccount),
        (Session::LoggedIn(_), _) => None,
    }
}

fn session_in(conn: &Connection) -> rusqlite::Result<Session> {
    let row: Option<Option<String>> = conn
        .prepare_cached(SESSION)?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(match row {
        None => Session::Unknown,
        Some(None) => Session::LoggedOut,
        Some(Some(account)) => Session::LoggedIn(account),
    })
}

fn account_of(session: &Session) -> &str {
    match session {
        Session::LoggedIn(account) => account,
        _ => "",
    }
}

/// [`badge_in`] for callers that did not read the session themselves.
fn badge_now(conn: &Connection) -> rusqlite::Result<u32> {
    let count: i64 = conn
        .prepare_cached(BADGE_NOW)?
        .query_row([], |r| r.get(0))?;
    Ok(to_badge(count))
}

/// Never negative, saturating.
fn to_badge(count: i64) -> u32 {
    u32::try_from(count.max(0)).unwrap_or(u32::MAX)
}

fn badge_in(conn: &Connection, session: &Session) -> rusqlite::Result<u32> {
    let count: i64 = match session {
        Session::LoggedOut => 0,
        Session::Unknown => conn
            .prepare_cached(BADGE_ALL)?
            .query_row([], |r| r.get(0))?,
        Session::LoggedIn(me) => conn
            .prepare_cached(BADGE_OF)?
            .query_row([me], |r| r.get(0))?,
    };
    Ok(to_badge(count))
}

#[derive(Debug, Clone)]
struct Row {
    state: State,
    content_digest: String,
    handle: Handle,
    account: String,
}

fn row_in(conn: &Connection, key: &str) -> rusqlite::Result<Option<Row>> {
    conn.prepare_cached(ROW)?
        .query_row([key], |r| {
            Ok(Row {
                state: State::from_code(r.get(0)?).unwrap_or(State::Cleared),
                content_digest: r.get(1)?,
                handle: Handle {
                    tag: r.get(2)?,
                    id: r.get(3)?,
                },
                account: r.get(4)?,
            })
        })
        .optional()
}

/// An edit, compare-and-set on the old digest: `Some(conversation)` when
/// this call made it.
fn set_content(
    conn: &Connection,
    key: &str,
    digest: &str,
    old_digest: &str,
    line: Option<&str>,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(SET_CONTENT)?
        .query_row(params![key, digest, old_digest, line], |r| r.get(0))
        .optional()
}

fn conversation_in(conn: &Connection, key: &str) -> rusqlite::Result<String> {
    Ok(conn
        .prepare_cached(CONVERSATION_OF)?
        .query_row([key], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn content_digest(content: &str) -> String {
    let mut hash = crate::store::dedup_key::Fnv1a::new();
    hash.field(content.as_bytes());
    format!("{:016x}", hash.0)
}

#[cfg(test)]
mod conversation_tests;
#[cfg(test)]
mod tests;
