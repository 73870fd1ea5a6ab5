//! Where an internal error becomes the exported [`PushError`], once, and is
//! logged, once, at a level chosen by what the app can do about it: the
//! pattern of application-services' `handle_error`, as one small function
//! instead of a proc-macro crate.
//!
//! Internal modules return their own error ([`ConfigError`],
//! [`PayloadError`], [`OutboundError`], [`crate::error::Error`], or
//! a `PushError` that is already one of its categories); the `From` impls
//! below are the one place each becomes a public category, and every
//! exported method passes its result through [`handled`] with its own name,
//! so a failure is logged with the call it failed in, and never twice.

use crate::config::ConfigError;
use crate::error::PushError;
use crate::outbound::OutboundError;
use crate::payload::PayloadError;
use log::Level;

impl From<ConfigError> for PushError {
    fn from(error: ConfigError) -> Self {
        match error {
            ConfigError::Json(_) | ConfigError::Unreadable { .. } => PushError::InvalidInput {
                reason: error.to_string(),
            },
            ConfigError::Invalid(problems) => PushError::InvalidConfig { problems },
        }
    }
}

impl From<PayloadError> for PushError {
    fn from(error: PayloadError) -> Self {
        match error {
            PayloadError::Unreadable(reason) => PushError::InvalidInput { reason },
            PayloadError::NoPushPayload(reason) => PushError::NoPushPayload { reason },
            PayloadError::Checked(error) => error,
        }
    }
}

impl From<OutboundError> for PushError {
    fn from(error: OutboundError) -> Self {
        let reason = match error {
            OutboundError::Invalid(reason) => reason,
            OutboundError::Json(_) => error.to_string(),
        };
        PushError::InvalidInput { reason }
    }
}

/// The level a failure is logged at. The caller's own mistakes (bad input,
/// wrong state) are debug lines: the exception tells the caller already.
/// What the app cannot see coming (its platform failing or timing out, the
/// disk, a bug) is a warning or an error.
fn level(error: &PushError) -> Level {
    match error {
        PushError::InvalidInput { .. }
        | PushError::NoPushPayload { .. }
        | PushError::InvalidExt { .. }
        | PushError::UnsupportedPayload { .. }
        | PushError::TooLarge { .. }
        | PushError::InvalidConfig { .. }
        | PushError::InvalidState { .. } => Level::Debug,
        PushError::Platform { .. } | PushError::Timeout { .. } | PushError::Storage { .. } => {
            Level::Warn
        }
        PushError::Internal { .. } => Level::Error,
    }
}

/// Whether the message may be logged: our own storage and internal errors
/// name files and SQLite codes; the others may quote input or the app's
/// own messages (user ids, tokens), so only their code is logged.
fn message_is_ours(error: &PushError) -> bool {
    matches!(
        error,
        PushError::Storage { .. } | PushError::Internal { .. }
    )
}

/// The one conversion of an exported call's result.
pub(super) fn handled<T, E: Into<PushError>>(
    call: &str,
    result: Result<T, E>,
) -> Result<T, PushError> {
    result.map_err(|e| {
        let error: PushError = e.into();
        let level = level(&error);
        if message_is_ours(&error) {
            log::log!(target: "pushcore::facade", level, "{call} failed: {}: {}", error.code(), error.message());
        } else {
            log::log!(target: "pushcore::facade", level, "{call} failed: {}", error.code());
        }
        error
    })
}

/// [`handled`] for an exported call whose body is more than one expression.
pub(super) fn handled_call<T, E: Into<PushError>>(
    call: &str,
    body: impl FnOnce() -> Result<T, E>,
) -> Result<T, PushError> {
    handled(call, body())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn internal_errors_become_their_public_category_and_values_pass_through() {
        let sqlite: Result<(), Error> = Err(rusqlite::Error::InvalidQuery.into());
        assert_eq!(handled("t", sqlite).unwrap_err().code(), "storage");
        let public: Result<(), PushError> = Err(PushError::TooLarge { reason: "r".into() });
        assert_eq!(handled("t", public).unwrap_err().code(), "too_large");
        assert_eq!(handled::<_, PushError>("t", Ok(7)).unwrap(), 7);
    }

    #[test]
    fn each_internal_error_reaches_the_app_with_its_documented_code_and_message() {
        let bad_json = || serde_json::from_str::<u8>("x").unwrap_err();
        let table: [(PushError, &str, &str); 8] = [
            (
                ConfigError::Json(bad_json()).into(),
                "invalid_input",
                "config JSON: expected value at line 1 column 1",
            ),
            (
                ConfigError::Invalid(vec!["a: x".into(), "b: y".into()]).into(),
                "invalid_config",
                "a: x; b: y",
            ),
            (
                PayloadError::Unreadable("`extras` must be a JSON object".into()).into(),
                "invalid_input",
                "`extras` must be a JSON object",
            ),
            (
                PayloadError::NoPushPayload("userInfo has no `ext`".into()).into(),
                "no_push_payload",
                "userInfo has no `ext`",
            ),
            (
                PayloadError::Checked(PushError::TooLarge {
                    reason: "big".into(),
                })
                .into(),
                "too_large",
                "big",
            ),
            (
                OutboundError::Invalid("sender must not be empty".into()).into(),
                "invalid_input",
                "sender must not be empty",
            ),
            (
                OutboundError::Json(bad_json()).into(),
                "invalid_input",
                "message JSON: expected value at line 1 column 1",
            ),
            (
                ConfigError::Unreadable {
                    path: "/nope.json".into(),
                    source: std::io::Error::other("gone"),
                }
                .into(),
                "invalid_input",
                "cannot read config /nope.json: gone",
            ),
        ];
        for (error, code, message) in table {
            assert_eq!((error.code(), error.message().as_str()), (code, message));
        }
    }

    #[test]
    fn the_callers_mistakes_are_quiet_and_failures_it_cannot_see_are_loud() {
        let table = [
            (
                PushError::InvalidInput { reason: "u".into() },
                Level::Debug,
                false,
            ),
            (
                PushError::InvalidState { reason: "s".into() },
                Level::Debug,
                false,
            ),
            (
                PushError::Platform {
                    reason: "tok-123".into(),
                },
                Level::Warn,
                false,
            ),
            (
                PushError::Timeout { reason: "t".into() },
                Level::Warn,
                false,
            ),
            (
                PushError::Storage {
                    reason: "disk".into(),
                },
                Level::Warn,
                true,
            ),
            (
                PushError::Internal {
                    reason: "bug".into(),
                },
                Level::Error,
                true,
            ),
        ];
        for (error, expected, logs_message) in table {
            assert_eq!(level(&error), expected, "{error:?}");
            assert_eq!(message_is_ours(&error), logs_message, "{error:?}");
        }
    }
}
