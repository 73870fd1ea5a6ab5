//! One notification per conversation: the ledger keeps each shown
//! message's sender name and line, and answers, for a conversation, the
//! lines still shown (oldest first, at most the configured count) under
//! the conversation's pinned handle, plus the group summary's inputs.
//!
//! The per-message answers (`Decision`, `Change`) are untouched: an app can
//! post one notification per message or one per conversation, and both
//! read the same rows. Views are computed in the transaction of the change
//! that caused them, so two processes never see a half-applied recall.

use super::{Handle, Session};
use rusqlite::{params, Connection};

/// A sender's display name, as it reaches the platform: UTF-16 units.
pub const MAX_SENDER_NAME_UNITS: usize = 64;
/// A message line, as it reaches the platform: UTF-16 units. Longer lines
/// are cut at a grapheme boundary with an ellipsis, as the outbound side
/// cuts vendor bodies (`outbound::text::truncate_to`).
pub const MAX_LINE_UNITS: usize = 240;
/// The default number of lines per conversation notification.
pub const DEFAULT_LINES: u32 = 5;
/// The most lines a configuration may ask for (Android's MessagingStyle
/// keeps 25 messages; more is never visible).
pub const MAX_LINES: u32 = 25;
/// The group key every conversation notification is posted under, so
/// Android bundles them under one summary.
pub const GROUP_KEY: &str = "pushcore.conversations";
/// The group summary's tag (its id follows from it like a message's).
const SUMMARY_TAG: &str = "summary:pushcore.conversations";

/// What a received message contributes to its conversation's notification.
#[derive(Debug, Clone, Copy, Default)]
pub struct Line<'a> {
    /// The sender's display name (nickname, else id), already cleaned
    /// for the platform (capped here, see [`capped`]).
    pub sender_name: &'a str,
    /// The message's text, already cleaned and cut (capped here).
    pub text: &'a str,
}

/// One line of a conversation notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationLine {
    pub sender_name: String,
    pub text: String,
    /// When the message was sent (ms); the time the ledger recorded when
    /// the message carried none.
    pub message_ms: i64,
}

/// A conversation's notification as it should be now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationView {
    /// The conversation id (bounded like every ledger id).
    pub conversation: String,
    /// [`Handle::for_conversation`]: one notification per conversation.
    pub handle: Handle,
    /// The newest lines still shown, oldest first. Empty: remove it.
    pub lines: Vec<ConversationLine>,
    /// All the conversation's messages still shown (may exceed the lines).
    pub unread: u32,
}

/// The group summary's inputs, when more than one conversation is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub conversations: u32,
    pub unread: u32,
}

/// What the per-conversation notifications need after a change: post
/// these (again), remove these, and the summary as it is now (`None`:
/// one conversation or none is shown, so no summary).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConversationUpdate {
    pub post: Vec<ConversationView>,
    pub remove: Vec<Handle>,
    pub summary: Option<Summary>,
}

/// The group summary's handle (the same on every device and build).
pub fn summary_handle() -> Handle {
    Handle::for_message(SUMMARY_TAG)
}

/// The conversation a conversation handle stands for, when the handle is
/// one (its tag is the prefix and the id, unless the id was so long that
/// the tag is a digest: then `None`).
pub fn conversation_of(handle: &Handle) -> Option<&str> {
    let id = handle
        .tag
        .strip_prefix(super::identity::CONVERSATION_TAG_PREFIX)?;
    (Handle::for_conversation(id) == *handle).then_some(id)
}

/// `text` cut to at most `max_units * 3` bytes at a character boundary: the
/// store's own bound on what it writes. Callers clean and cut texts for the
/// platform first (`facade::clean_line_text`, which cuts with an ellipsis
/// the way the outbound side does); this only keeps a caller that did not
/// from bloating the file.
pub fn capped(text: &str, max_units: usize) -> &str {
    let mut end = text.len().min(max_units * 3);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A conversation's newest shown lines (newest `?2`, returned oldest
/// first, through the `(conversation, message_ms)` index), with the
/// conversation's shown count and the summary's two counts in the same
/// statement. `?3` is the account (NULL: every account, before any login).
const VIEW: &str = "SELECT l.sender_name, l.line_text, l.message_ms,
         (SELECT coalesce(sum(shown), 0) FROM ledger_conversation_unread
          WHERE conversation = ?1 AND (?3 IS NULL OR account = ?3)),
         (SELECT count(DISTINCT conversation) FROM ledger_conversation_unread
          WHERE ?3 IS NULL OR account = ?3),
         (SELECT coalesce(sum(shown), 0) FROM ledger_conversation_unread
          WHERE ?3 IS NULL OR account = ?3)
     FROM (SELECT 1) LEFT JOIN (
         SELECT sender_name, line_text, message_ms, id FROM ledger_shown
         WHERE conversation = ?1 AND state = 1 AND (?3 IS NULL OR account = ?3)
         ORDER BY message_ms DESC, id DESC LIMIT ?2) AS l
     ORDER BY l.message_ms, l.id";
const SUMMARY: &str = "SELECT count(DISTINCT conversation), coalesce(sum(shown), 0)
     FROM ledger_conversation_unread WHERE ?1 IS NULL OR account = ?1";

/// Whose rows a view shows: the logged-in account's, everyone's before any
/// login; nobody's when logged out (nothing is shown then).
fn account_filter(session: &Session) -> Option<Option<&str>> {
    match session {
        Session::Unknown => Some(None),
        Session::LoggedIn(account) => Some(Some(account)),
        Session::LoggedOut => None,
    }
}

const SHOWN_CONVERSATIONS: &str = "SELECT DISTINCT conversation FROM ledger_conversation_unread
     WHERE ?1 IS NULL OR account = ?1 ORDER BY conversation LIMIT ?2";
/// The most conversations [`shown_conversations`] answers.
const MAX_CONVERSATIONS: u32 = 100;

/// The conversations with a message still shown (at most 100).
pub(super) fn shown_conversations(
    conn: &Connection,
    session: &Session,
) -> rusqlite::Result<Vec<String>> {
    let Some(account) = account_filter(session) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(SHOWN_CONVERSATIONS)?;
    let rows = stmt.query_map(params![account, MAX_CONVERSATIONS], |r| r.get(0))?;
    rows.collect()
}

/// The views of `conversations` (each once, in order) and the summary, in
/// the caller's transaction.
pub(super) fn update_in(
    conn: &Connection,
    session: &Session,
    conversations: &[String],
    lines: u32,
) -> rusqlite::Result<ConversationUpdate> {
    let mut update = ConversationUpdate::default();
    let Some(account) = account_filter(session) else {
        update.remove = conversations
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| Handle::for_conversation(c))
            .collect();
        return Ok(update);
    };
    let mut counts = None;
    for (i, conversation) in conversations.iter().enumerate() {
        if conversation.is_empty() || conversations[..i].contains(conversation) {
            continue;
        }
        let (view, summary) = view_in(conn, account, conversation, lines)?;
        counts = Some(summary);
        if view.lines.is_empty() {
            update.remove.push(view.handle);
        } else {
            update.post.push(view);
        }
    }
    let (count, unread) = match counts {
        Some(counts) => counts,
        None => conn
            .prepare_cached(SUMMARY)?
            .query_row(params![account], |r| Ok((r.get(0)?, r.get(1)?)))?,
    };
    update.summary = summary_of(count, unread);
    Ok(update)
}

fn summary_of(conversations: i64, unread: i64) -> Option<Summary> {
    (conversations > 1).then(|| Summary {
        conversations: super::to_badge(conversations),
        unread: super::to_badge(unread),
    })
}

/// One conversation's view and the summary counts, in one statement.
fn view_in(
    conn: &Connection,
    account: Option<&str>,
    conversation: &str,
    lines: u32,
) -> rusqlite::Result<(ConversationView, (i64, i64))> {
    let mut stmt = conn.prepare_cached(VIEW)?;
    let mut rows = stmt.query(params![conversation, lines, account])?;
    let mut view = ConversationView {
        conversation: conversation.to_string(),
        handle: Handle::for_conversation(conversation),
        lines: Vec::with_capacity(lines.min(MAX_LINES) as usize),
        unread: 0,
    };
    let mut counts = (0, 0);
    while let Some(r) = rows.next()? {
        view.unread = super::to_badge(r.get(3)?);
        counts = (r.get(4)?, r.get(5)?);
        let sender_name: Option<String> = r.get(0)?;
        if let Some(sender_name) = sender_name {
            view.lines.push(ConversationLine {
                sender_name,
                text: r.get(1)?,
                message_ms: r.get(2)?,
            });
        }
    }
    Ok((view, counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_caps_what_it_writes_at_a_character_boundary() {
        let table: &[(&str, usize, &str)] = &[
            ("hi", 10, "hi"),
            ("abcdefg", 2, "abcdef"),
            ("é", 1, "é"),
            ("éé", 1, "é"),
            ("😀", 1, ""),
        ];
        for (text, units, want) in table {
            assert_eq!(capped(text, *units), *want, "{text:?}");
        }
    }

    #[test]
    fn only_conversation_handles_name_a_conversation() {
        let h = Handle::for_conversation("group_team");
        assert_eq!(conversation_of(&h), Some("group_team"));
        assert_eq!(conversation_of(&Handle::for_message("im:m1")), None);
        let forged = Handle {
            tag: "conv:group_team".into(),
            id: h.id ^ 1,
        };
        assert_eq!(conversation_of(&forged), None);
        assert_ne!(
            summary_handle(),
            Handle::for_conversation("pushcore.conversations")
        );
    }
}
