//! What registration keeps across restarts: the last report (so an unchanged
//! token is not reported again on every app start), the installation's
//! sequence counter (so the backend can order reports and clears), and the
//! clears of ended sessions that have not reached the backend yet (so a
//! restart resumes them instead of forgetting them).
//!
//! The report record is dropped on every logout: a new IM session starts
//! without a token at the backend, so the next login must report again.

use crate::channel::PushChannel;
use crate::error::Result;
use std::collections::BTreeMap;

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

/// A proactive logout's clear that has not been confirmed by the backend.
#[derive(Clone, PartialEq, Eq)]
pub struct PendingClear {
    /// The clear's place in the installation's sequence; also its key.
    pub sequence: u64,
    /// Whose token it clears.
    pub user_id: String,
    /// The channel the ended session used, if known: the one to unregister
    /// if the clear keeps failing and nobody logged in since.
    pub channel: Option<PushChannel>,
    /// Failed attempts so far.
    pub attempts: u32,
    /// A login happened after this clear was issued: from then on it must
    /// never unregister the channel (the channel is the new session's).
    pub login_since: bool,
}

impl std::fmt::Debug for PendingClear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingClear")
            .field("sequence", &self.sequence)
            .field("user_id", &crate::logging::redact(&self.user_id))
            .field("channel", &self.channel)
            .field("attempts", &self.attempts)
            .field("login_since", &self.login_since)
            .finish()
    }
}

/// Persistence seam of the registration actor. Failures are survivable:
/// the actor logs them and at worst reports a token once more, or forgets a
/// clear across a restart.
pub trait RegistrationStore: Send {
    fn load(&mut self) -> Result<Option<ReportedToken>>;
    fn save(&mut self, reported: &ReportedToken) -> Result<()>;
    fn clear(&mut self) -> Result<()>;
    /// The next number of the installation's sequence, stored before it is
    /// returned. A new store starts at the wall clock in microseconds, so a
    /// store that was lost and recreated still continues above the old one
    /// (unless the clock went back).
    fn next_sequence(&mut self) -> Result<u64>;
    /// Every unconfirmed clear, oldest first.
    fn pending_clears(&mut self) -> Result<Vec<PendingClear>>;
    /// Inserts or replaces the clear with this sequence.
    fn put_pending_clear(&mut self, clear: &PendingClear) -> Result<()>;
    fn remove_pending_clear(&mut self, sequence: u64) -> Result<()>;
}

/// Where a new sequence starts: now, in microseconds since the epoch.
pub fn sequence_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX / 2))
        .unwrap_or(1)
}

#[derive(Debug, Default)]
struct Memory {
    reported: Option<ReportedToken>,
    sequence: u64,
    clears: BTreeMap<u64, PendingClear>,
}

/// A store that lives as long as the value; shareable so a test can play
/// "restart" by handing the same memory to a second actor.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore(std::sync::Arc<std::sync::Mutex<Memory>>);

impl MemoryStore {
    fn with<T>(&self, f: impl FnOnce(&mut Memory) -> T) -> T {
        match self.0.lock() {
            Ok(mut g) => f(&mut g),
            Err(p) => f(&mut p.into_inner()),
        }
    }

    pub fn snapshot(&self) -> Option<ReportedToken> {
        self.with(|m| m.reported.clone())
    }

    pub fn clears(&self) -> Vec<PendingClear> {
        self.with(|m| m.clears.values().cloned().collect())
    }
}

impl RegistrationStore for MemoryStore {
    fn load(&mut self) -> Result<Option<ReportedToken>> {
        Ok(self.snapshot())
    }

    fn save(&mut self, reported: &ReportedToken) -> Result<()> {
        self.with(|m| m.reported = Some(reported.clone()));
        Ok(())
    }

    fn clear(&mut self) -> Result<()> {
        self.with(|m| m.reported = None);
        Ok(())
    }

    fn next_sequence(&mut self) -> Result<u64> {
        Ok(self.with(|m| {
            m.sequence = if m.sequence == 0 {
                sequence_seed()
            } else {
                m.sequence + 1
            };
            m.sequence
        }))
    }

    fn pending_clears(&mut self) -> Result<Vec<PendingClear>> {
        Ok(self.clears())
    }

    fn put_pending_clear(&mut self, clear: &PendingClear) -> Result<()> {
        self.with(|m| m.clears.insert(clear.sequence, clear.clone()));
        Ok(())
    }

    fn remove_pending_clear(&mut self, sequence: u64) -> Result<()> {
        self.with(|m| m.clears.remove(&sequence));
        Ok(())
    }
}
