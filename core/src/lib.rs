//! PushCore: one Rust core for the push plumbing every IM app re-implements.
//!
//! The crate is split into plain-Rust internal modules, one per concern, and a
//! thin exported facade ([`PushCore`]) that the Kotlin and Swift bindings see.
//! Internal modules never depend on UniFFI types beyond the records they
//! share with the facade, so they can be tested with in-process fakes.

uniffi::setup_scaffolding!();

pub mod channel;
pub mod config;
pub mod diagnostics;
pub mod entity;
pub mod error;
mod facade;
pub mod limits;
pub mod logging;
pub mod outbound;
pub mod payload;
pub mod registration;
pub mod routing;
pub mod store;

pub use channel::PushChannel;
pub use config::PushConfig;
pub use entity::{ChatType, NotificationAction};
pub use error::PushError;
pub use facade::fast;
pub use facade::functions::*;
pub use facade::{
    clean_line_text, dedup_fields_for_notification, derive_dedup_key, DedupFields, PushCore,
};
pub use facade::{
    ConversationChange, ConversationLine, ConversationNotification, ConversationUpdate,
    GroupSummary, MutedConversation, QuietHours, QuietHoursPolicy,
};
pub use facade::{
    LedgerChange, NotificationHandle, ReceivedDecision, ReceivedOutcome, SuppressReason, TapOutcome,
};
pub use facade::{LogForwarder, PushListener, PushPlatform, TokenReporter};
pub use logging::{LogLevel, LogRecord};
pub use payload::{ClickInput, NormalizedNotification};
pub use routing::Route;

/// The core's version, as compiled into the library.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
