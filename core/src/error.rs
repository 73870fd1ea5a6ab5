//! Errors: one small public enum the app can act on, and the rich internal
//! error it is mapped from, in one place ([`From<Error> for PushError`]).
//!
//! Every public variant carries a stable machine code ([`PushError::code`])
//! that the CLI prints and that apps may log or branch on.

use std::fmt;

/// What a Kotlin or Swift caller sees. Variants are chosen by what the caller
/// can do about them, not by where they came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum PushError {
    /// The input is not something the core can read at all (not JSON,
    /// invalid UTF-8, wrong field types, nesting too deep...). Fix the caller.
    #[error("invalid input: {reason}")]
    InvalidInput { reason: String },
    /// The input is readable but carries no push pass-through data.
    #[error("no push payload: {reason}")]
    NoPushPayload { reason: String },
    /// The `ext` pass-through is present but is not a usable JSON entity.
    #[error("invalid ext: {reason}")]
    InvalidExt { reason: String },
    /// The shape is recognised but not supported (for instance a chat type
    /// outside the known range).
    #[error("unsupported payload: {reason}")]
    UnsupportedPayload { reason: String },
    /// The input exceeds a documented size or depth limit.
    #[error("input too large: {reason}")]
    TooLarge { reason: String },
    /// The configuration has problems; each entry names its field path.
    #[error("invalid configuration: {}", problems.join("; "))]
    InvalidConfig { problems: Vec<String> },
    /// The local store could not be opened or written (disk full, read-only
    /// directory...). Parsing and routing keep working without it.
    #[error("storage error: {reason}")]
    Storage { reason: String },
    /// A call into the app's platform or reporter implementation failed.
    #[error("platform error: {reason}")]
    Platform { reason: String },
    /// A call into the app's platform or reporter did not answer in time.
    #[error("timed out: {reason}")]
    Timeout { reason: String },
    /// The operation is not valid in the current state (for instance after
    /// `shutdown`).
    #[error("invalid state: {reason}")]
    InvalidState { reason: String },
    /// A bug in the core. Please report it with the logs.
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

impl PushError {
    /// A stable snake_case code for logs, the CLI and analytics.
    pub fn code(&self) -> &'static str {
        match self {
            PushError::InvalidInput { .. } => "invalid_input",
            PushError::NoPushPayload { .. } => "no_push_payload",
            PushError::InvalidExt { .. } => "invalid_ext",
            PushError::UnsupportedPayload { .. } => "unsupported_payload",
            PushError::TooLarge { .. } => "too_large",
            PushError::InvalidConfig { .. } => "invalid_config",
            PushError::Storage { .. } => "storage",
            PushError::Platform { .. } => "platform",
            PushError::Timeout { .. } => "timeout",
            PushError::InvalidState { .. } => "invalid_state",
            PushError::Internal { .. } => "internal",
        }
    }

    /// The human-readable message without the category prefix.
    pub fn message(&self) -> String {
        match self {
            PushError::InvalidInput { reason }
            | PushError::NoPushPayload { reason }
            | PushError::InvalidExt { reason }
            | PushError::UnsupportedPayload { reason }
            | PushError::TooLarge { reason }
            | PushError::Storage { reason }
            | PushError::Platform { reason }
            | PushError::Timeout { reason }
            | PushError::InvalidState { reason }
            | PushError::Internal { reason } => reason.clone(),
            PushError::InvalidConfig { problems } => problems.join("; "),
        }
    }
}

/// The rich internal error. Modules return this; the facade converts it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Public(#[from] PushError),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Error> for PushError {
    fn from(e: Error) -> Self {
        match e {
            Error::Public(p) => p,
            Error::Sqlite(e) => PushError::Storage {
                reason: e.to_string(),
            },
            Error::Json(e) => PushError::InvalidInput {
                reason: e.to_string(),
            },
            Error::Io(e) => PushError::Storage {
                reason: e.to_string(),
            },
        }
    }
}

/// Helper for building public errors with formatted messages.
pub(crate) fn invalid_input(message: impl fmt::Display) -> PushError {
    PushError::InvalidInput {
        reason: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_unique() {
        let all = [
            PushError::InvalidInput { reason: "m".into() },
            PushError::NoPushPayload { reason: "m".into() },
            PushError::InvalidExt { reason: "m".into() },
            PushError::UnsupportedPayload { reason: "m".into() },
            PushError::TooLarge { reason: "m".into() },
            PushError::InvalidConfig {
                problems: vec!["a".into(), "b".into()],
            },
            PushError::Storage { reason: "m".into() },
            PushError::Platform { reason: "m".into() },
            PushError::Timeout { reason: "m".into() },
            PushError::InvalidState { reason: "m".into() },
            PushError::Internal { reason: "m".into() },
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(|e| e.code()).collect();
        assert_eq!(codes.len(), all.len());
        assert_eq!(all[0].code(), "invalid_input");
        assert_eq!(all[4].code(), "too_large");
        assert_eq!(all[5].message(), "a; b");
    }

    #[test]
    fn internal_errors_map_to_public_categories() {
        let io = Error::from(std::io::Error::other("disk full"));
        assert_eq!(PushError::from(io).code(), "storage");
        let json = Error::from(serde_json::from_str::<u8>("x").unwrap_err());
        assert_eq!(PushError::from(json).code(), "invalid_input");
        let sql = Error::from(rusqlite::Error::InvalidQuery);
        assert_eq!(PushError::from(sql).code(), "storage");
    }
}
