//! One decision per received message: guard and recall first (nothing is
//! recorded for a message that is not shown), then the dedup store, then
//! the ledger row. A store that fails at any step degrades to `Show` with
//! the reason logged: losing a message is worse than showing it twice.

use super::{bounded, Handle, Ledger, Recorded, Repeat, Shown, Suppress};
use crate::error::{Error, PushError, Result};
use crate::store::dedup::{Dedup, DedupKind, DedupOutcome, MAX_SOURCE_BYTES};

/// A received message, as the ledger needs it.
#[derive(Debug, Clone)]
pub struct Incoming<'a> {
    /// What the ledger records if it is shown (its handle: the proposed one).
    pub shown: Shown<'a>,
    /// The receiver digest the message's `ext` carries, if any.
    pub receiver: Option<&'a str>,
}

/// What to do with it. `badge` is `None` only when the ledger failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Show {
        handle: Handle,
        badge: Option<u32>,
    },
    Replace {
        handle: Handle,
        badge: Option<u32>,
    },
    Suppress {
        reason: Suppress,
        badge: Option<u32>,
    },
}

impl Ledger {
    /// Decides, recording as it goes. Errors only for the caller's own
    /// input (a `source` over the dedup limit); storage failures degrade.
    pub fn decide(&self, dedup: &Dedup, incoming: &Incoming<'_>) -> Result<Decision> {
        let shown = &incoming.shown;
        check_source(shown.source)?;
        // Only keys the dedup store would refuse change here.
        let key: &str = &bounded(shown.message_key);
        let admission = match self.admission(key, incoming.receiver) {
            Ok(a) => {
                if let Some(reason) = a.suppress {
                    return Ok(Decision::Suppress {
                        reason,
                        badge: Some(a.badge),
                    });
                }
                Some(a)
            }
            Err(e) => {
                degraded("account guard and recall check skipped", e);
                None
            }
        };
        let dedup = match dedup.check_and_mark(key, DedupKind::Displayed, shown.source) {
            Ok(outcome) => Some(outcome),
            Err(Error::Public(e)) if !matches!(e, PushError::Storage { .. }) => {
                return Err(e.into())
            }
            Err(e) => {
                degraded("message admitted without dedup", e);
                None
            }
        };
        if let Some(DedupOutcome::Duplicate { .. }) = dedup {
            let repeat = match &admission {
                Some(a) => self.repeat_after(key, shown.content, a),
                None => self.repeat(key, shown.content),
            };
            return Ok(match repeat {
                Ok(Repeat::Replace { handle, badge }) => Decision::Replace {
                    handle,
                    badge: Some(badge),
                },
                Ok(Repeat::Suppress { reason, badge }) => Decision::Suppress {
                    reason,
                    badge: Some(badge),
                },
                Err(e) => {
                    degraded("duplicate suppressed without the ledger", e);
                    Decision::Suppress {
                        reason: Suppress::Duplicate,
                        badge: None,
                    }
                }
            });
        }
        Ok(match self.record_shown(shown) {
            Ok(Recorded::Shown { badge }) => Decision::Show {
                handle: shown.handle.clone(),
                badge: Some(badge),
            },
            Ok(Recorded::Recalled { badge }) => Decision::Suppress {
                reason: Suppress::Recalled,
                badge: Some(badge),
            },
            Err(e) => {
                degraded("message shown without a ledger row", e);
                Decision::Show {
                    handle: shown.handle.clone(),
                    badge: None,
                }
            }
        })
    }
}

/// The dedup store's limit on `source`, checked before anything else so a
/// bad source is refused whatever the decision.
pub fn check_source(source: &str) -> Result<(), PushError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(PushError::TooLarge {
            reason: format!(
                "source is {} bytes; the limit is {MAX_SOURCE_BYTES}",
                source.len()
            ),
        });
    }
    Ok(())
}

fn degraded(what: &str, error: Error) {
    log::warn!(target: "pushcore::ledger", "{what}: {}", PushError::from(error));
}
