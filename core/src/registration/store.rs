//! What was last reported to the IM backend, kept across restarts so an
//! unchanged token is not reported again on every app start.
//!
//! The record is dropped on every logout: a new IM session starts without
//! a token at the backend, so the next login must report again.

use crate::channel::PushChannel;
use crate::error::Result;

/// The last successful report.
#[derive(Clone, PartialEq, Eq)]
pub struct ReportedToken {
    pub user_id: String,
    pub channel: PushChannel,
    pub business_id: u64,
    pub token: String,
}

impl std::fmt::Debug for ReportedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportedToken")
            .field("user_id", &crate::logging::redact(&self.user_id))
            .field("channel", &self.channel)
            .field("business_id", &self.business_id)
            .field("token", &crate::logging::redact(&self.token))
            .finish()
    }
}

/// Persistence seam of the registration actor. Failures are survivable:
/// the actor logs them and at worst reports a token once more.
pub trait RegistrationStore: Send {
    fn load(&mut self) -> Result<Option<ReportedToken>>;
    fn save(&mut self, reported: &ReportedToken) -> Result<()>;
    fn clear(&mut self) -> Result<()>;
}

/// A store that lives as long as the value; shareable so a test can play
/// "restart" by handing the same memory to a second actor.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore(std::sync::Arc<std::sync::Mutex<Option<ReportedToken>>>);

impl MemoryStore {
    pub fn snapshot(&self) -> Option<ReportedToken> {
        match self.0.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    fn set(&self, value: Option<ReportedToken>) {
        match self.0.lock() {
            Ok(mut g) => *g = value,
            Err(p) => *p.into_inner() = value,
        }
    }
}

impl RegistrationStore for MemoryStore {
    fn load(&mut self) -> Result<Option<ReportedToken>> {
        Ok(self.snapshot())
    }

    fn save(&mut self, reported: &ReportedToken) -> Result<()> {
        self.set(Some(reported.clone()));
        Ok(())
    }

    fn clear(&mut self) -> Result<()> {
        self.set(None);
        Ok(())
    }
}
