//! Why a tap cannot be read. The facade maps each to its `PushError`
//! category (`facade/errors.rs`); the messages are the ones docs/limits.md
//! and the CLI show.

use crate::error::PushError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// Not something the parser can read: not UTF-8, not JSON, a field of
    /// the wrong type, an unreadable intent URI (`invalid_input`).
    #[error("invalid input: {0}")]
    Unreadable(String),
    /// Readable, but it carries no push pass-through data
    /// (`no_push_payload`).
    #[error("no push payload: {0}")]
    NoPushPayload(String),
    /// Refused by a check shared with the sending side, which chose its
    /// public category itself: the size and depth bounds (`too_large`) or
    /// the ext reader (`invalid_ext`, `unsupported_payload`).
    #[error(transparent)]
    Checked(#[from] PushError),
}

/// A [`PayloadError::Unreadable`] with `reason`.
pub(super) fn unreadable(reason: impl ToString) -> PayloadError {
    PayloadError::Unreadable(reason.to_string())
}

/// A [`PayloadError::NoPushPayload`] with `reason`.
pub(super) fn no_push_payload(reason: impl Into<String>) -> PayloadError {
    PayloadError::NoPushPayload(reason.into())
}
