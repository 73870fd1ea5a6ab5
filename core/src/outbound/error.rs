//! Why a message cannot be built. The facade maps both to `invalid_input`
//! (`facade/errors.rs`); findings, which never fail a build, are not errors.

#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    /// The message cannot be sent as given: an empty sender, `options.ext`
    /// that is not a JSON object or sets the core's keys, a call whose chat
    /// type and group disagree.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// Not the JSON form of a message.
    #[error("message JSON: {0}")]
    Json(#[source] serde_json::Error),
}

/// An [`OutboundError::Invalid`] with `reason`.
pub(super) fn invalid(reason: impl ToString) -> OutboundError {
    OutboundError::Invalid(reason.to_string())
}
