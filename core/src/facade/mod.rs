//! The exported `PushCore` object: a thin facade. Each method validates its
//! input, delegates to an internal module and maps the internal error to
//! [`PushError`]; no logic lives here.
//!
//! Each capability adds its methods in its own `#[uniffi::export] impl
//! PushCore` block in a submodule of this one (`facade/<area>.rs`), so the
//! struct and constructor here stay the only shared part.

mod conversation;
mod dedup;
mod diagnostics;
mod errors;
pub mod fast;
mod foreign;
pub mod functions;
mod ledger;
mod line_text;
mod parse;
mod received;
mod registration;
mod tap;

pub use conversation::{
    ConversationLine, ConversationNotification, ConversationUpdate, GroupSummary,
    MutedConversation, QuietHours, QuietHoursPolicy,
};
pub use dedup::{dedup_fields_for_notification, derive_dedup_key, DedupFields};
pub use foreign::{LogForwarder, PushListener, PushPlatform, TokenReporter};
pub use ledger::{
    ConversationChange, LedgerChange, NotificationHandle, ReceivedDecision, SuppressReason,
};
pub use line_text::clean_line_text;
pub use received::ReceivedOutcome;
pub use tap::TapOutcome;

use crate::config::PushConfig;
use crate::error::PushError;
use crate::store::dedup::Dedup;
use crate::store::ledger::Ledger;
use crate::store::{db, Store, SystemClock};
use errors::handled_call;
use std::path::PathBuf;
use std::sync::Arc;

/// The app's single entry point. Create one per process, at start-up, with
/// the app's configuration and a private directory for the core's files.
#[derive(uniffi::Object)]
pub struct PushCore {
    config: PushConfig,
    storage_dir: PathBuf,
    /// Started by `start_registration`; until then the core has no thread.
    registration: registration::Slot,
    /// The core's one database (`<storage_dir>/pushcore.db`), opened on
    /// first use, so a read-only or full disk fails only the stateful calls,
    /// never construction. Shared by dedup and registration.
    store: Arc<Store>,
    dedup: Dedup,
    /// Shown notifications and the login state, in the same file.
    ledger: Ledger,
}

#[uniffi::export]
impl PushCore {
    /// Validates the configuration (every problem reported at once) and
    /// prepares the storage directory (created owner-only if missing).
    ///
    /// # Errors
    /// `invalid_config` listing every problem of `config`; `invalid_input`
    /// for an empty `storage_dir`; `storage` when the directory cannot be
    /// created or is not a directory.
    #[uniffi::constructor]
    pub fn new(config: PushConfig, storage_dir: String) -> Result<Arc<Self>, PushError> {
        handled_call("new", || -> Result<_, PushError> {
            config.validate()?;
            let storage_dir = prepare_storage_dir(&storage_dir)?;
            let store = Arc::new(Store::new(
                storage_dir.join(db::DB_FILE_NAME),
                Arc::new(SystemClock),
            ));
            let dedup = Dedup::new(store.clone(), config.dedup.clone());
            let ledger = Ledger::new(store.clone(), config.dedup.clone())
                .with_conversation_lines(config.notifications.conversation_lines);
            log::info!(target: "pushcore", "PushCore {} ready", crate::VERSION);
            Ok(Arc::new(PushCore {
                config,
                storage_dir,
                registration: Default::default(),
                store,
                dedup,
                ledger,
            }))
        })
    }

    /// The core's version.
    pub fn version(&self) -> String {
        crate::VERSION.to_string()
    }

    /// The configuration this core was created with.
    pub fn config(&self) -> PushConfig {
        self.config.clone()
    }

    /// The directory holding the core's files.
    pub fn storage_dir(&self) -> String {
        self.storage_dir.display().to_string()
    }
}

fn prepare_storage_dir(dir: &str) -> Result<PathBuf, PushError> {
    if dir.trim().is_empty() {
        return Err(PushError::InvalidInput {
            reason: "storage_dir must not be empty".into(),
        });
    }
    let path = PathBuf::from(dir);
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(&path).map_err(|e| PushError::Storage {
        reason: format!("cannot create storage directory {}: {e}", path.display()),
    })?;
    if !path.is_dir() {
        return Err(PushError::Storage {
            reason: format!("{} is not a directory", path.display()),
        });
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::config::example_config as example;

    #[test]
    fn creates_owner_only_storage_dir() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        let core = PushCore::new(example(), dir.display().to_string()).unwrap();
        assert_eq!(core.version(), env!("CARGO_PKG_VERSION"));
        assert!(dir.is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
        }
    }

    #[test]
    fn rejects_invalid_config_and_bad_dirs_with_typed_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let err = PushCore::new(PushConfig::default(), tmp.path().display().to_string())
            .err()
            .unwrap();
        assert_eq!(err.code(), "invalid_config");
        let err = PushCore::new(example(), "".into()).err().unwrap();
        assert_eq!(err.code(), "invalid_input");
        let file = tmp.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let err = PushCore::new(example(), file.display().to_string())
            .err()
            .unwrap();
        assert_eq!(err.code(), "storage");
    }
}
