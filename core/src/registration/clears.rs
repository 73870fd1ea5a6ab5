//! The clears of ended sessions, from the proactive logout that issues one
//! until the backend confirms it or the core gives up on it.
//!
//! A clear that fails or times out is retried with the registration backoff,
//! at most [`MAX_CLEAR_ATTEMPTS`] times, and is kept in the store so that a
//! restart resumes it. Its failure may unregister the vendor channel, but
//! only while nobody is logged in and nobody logged in since the logout: the
//! channel would otherwise be the new session's.

use super::store::PendingClear;
use super::traits::TokenClear;
use tokio::time::Instant;

/// Attempts per clear before the core gives up on it (the channel was
/// unregistered at the first failure if that was allowed).
pub const MAX_CLEAR_ATTEMPTS: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Queued,
    Running,
    RetryAt(Instant),
}

struct Entry {
    clear: PendingClear,
    status: Status,
}

#[derive(Default)]
pub(super) struct Clears {
    entries: Vec<Entry>,
    /// Logins since this actor started; an unregister queued before one of
    /// them never starts.
    pub logins: u64,
}

impl Clears {
    /// Takes a clear to be queued on the reporter lane now.
    pub fn add(&mut self, clear: PendingClear) {
        self.entries.retain(|e| e.clear.sequence != clear.sequence);
        self.entries.push(Entry {
            clear,
            status: Status::Queued,
        });
    }

    fn entry(&mut self, sequence: u64) -> Option<&mut Entry> {
        self.entries
            .iter_mut()
            .find(|e| e.clear.sequence == sequence)
    }

    /// The call to make for a queued clear; `None` if it is gone (done,
    /// given up, or dropped by a login of the same user).
    pub fn start(&mut self, sequence: u64) -> Option<TokenClear> {
        let entry = self.entry(sequence)?;
        if entry.status != Status::Queued {
            return None;
        }
        entry.status = Status::Running;
        Some(TokenClear {
            user_id: entry.clear.user_id.clone(),
            sequence,
        })
    }

    pub fn remove(&mut self, sequence: u64) -> Option<PendingClear> {
        let at = self
            .entries
            .iter()
            .position(|e| e.clear.sequence == sequence)?;
        Some(self.entries.remove(at).clear)
    }

    /// Counts a failed attempt; the clear's record as it now is.
    pub fn failed(&mut self, sequence: u64) -> Option<PendingClear> {
        let entry = self.entry(sequence)?;
        entry.clear.attempts = entry.clear.attempts.saturating_add(1);
        Some(entry.clear.clone())
    }

    pub fn retry_at(&mut self, sequence: u64, at: Instant) {
        if let Some(entry) = self.entry(sequence) {
            entry.status = Status::RetryAt(at);
        }
    }

    /// Clears whose retry time has come, now queued again.
    pub fn due(&mut self, now: Instant) -> Vec<u64> {
        let mut due = Vec::new();
        for entry in &mut self.entries {
            if matches!(entry.status, Status::RetryAt(at) if at <= now) {
                entry.status = Status::Queued;
                due.push(entry.clear.sequence);
            }
        }
        due
    }

    pub fn next_retry(&self) -> Option<Instant> {
        self.entries
            .iter()
            .filter_map(|e| match e.status {
                Status::RetryAt(at) => Some(at),
                _ => None,
            })
            .min()
    }

    /// A login: clears of the same user are dropped (the new session
    /// reports its own token, and a late clear would only race with it);
    /// every other clear may no longer unregister. Returns what to drop and
    /// what to store again.
    pub fn on_login(&mut self, user_id: &str) -> (Vec<u64>, Vec<PendingClear>) {
        self.logins += 1;
        let dropped: Vec<u64> = self
            .entries
            .iter()
            .filter(|e| e.clear.user_id == user_id && e.status != Status::Running)
            .map(|e| e.clear.sequence)
            .collect();
        self.entries
            .retain(|e| !dropped.contains(&e.clear.sequence));
        let mut changed = Vec::new();
        for entry in &mut self.entries {
            if !entry.clear.login_since {
                entry.clear.login_since = true;
                changed.push(entry.clear.clone());
            }
        }
        (dropped, changed)
    }

    /// A clear is queued or running.
    pub fn clearing(&self) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e.status, Status::Queued | Status::Running))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
