//! One decision per received message: guard and recall first, then the
//! conversation's mute and the quiet hours (nothing is recorded for a
//! message that is not shown), then the dedup store, then the ledger row
//! and its conversation's view. A store that fails at any step degrades to
//! `Show` with the reason logged: losing a message is worse than showing
//! it twice.

use super::{
    bounded, ConversationUpdate, Handle, Ledger, Line, Presentation, Recorded, Repeat, Shown,
    Suppress,
};
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

/// A received message with what its conversation notification needs.
#[derive(Debug, Clone)]
pub struct Received<'a> {
    pub incoming: Incoming<'a>,
    pub line: Line<'a>,
    /// A call (action "call"): never muted, and let through quiet hours
    /// unless they say `silence_calls`.
    pub is_call: bool,
}

/// The decision with the conversation's view and how to present it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub decision: Decision,
    /// For `Show` and `Replace` of a message in a conversation: its view
    /// and the summary. `None`: leave conversation notifications alone.
    pub conversation: Option<ConversationUpdate>,
    /// Quiet hours with the "show silently" policy: post without sound,
    /// vibration or heads-up.
    pub silent: bool,
}

impl Outcome {
    fn plain(decision: Decision) -> Outcome {
        Outcome {
            decision,
            conversation: None,
            silent: false,
        }
    }
}

impl Ledger {
    /// Decides, recording as it goes. Errors only for the caller's own
    /// input (a `source` over the dedup limit); storage failures degrade.
    pub fn decide(&self, dedup: &Dedup, incoming: &Incoming<'_>) -> Result<Decision> {
        let received = Received {
            incoming: incoming.clone(),
            line: Line::default(),
            is_call: false,
        };
        Ok(self.receive(dedup, &received)?.decision)
    }

    /// [`decide`](Self::decide) with mutes, quiet hours and the
    /// conversation's view.
    pub fn receive(&self, dedup: &Dedup, received: &Received<'_>) -> Result<Outcome> {
        let incoming = &received.incoming;
        let shown = &incoming.shown;
        check_source(shown.source)?;
        // Only keys the dedup store would refuse change here.
        let key: &str = &bounded(shown.message_key);
        let mut silent = false;
        let admission = match self.admission_in(key, incoming.receiver, shown.conversation) {
            Ok(a) => {
                let reason = a
                    .suppress
                    .or(match self.presentation(&a.quiet, received.is_call) {
                        Presentation::Muted => Some(Suppress::Muted),
                        Presentation::QuietHours => Some(Suppress::QuietHours),
                        Presentation::Silent => {
                            silent = true;
                            None
                        }
                        Presentation::Normal => None,
                    });
                if let Some(reason) = reason {
                    return Ok(Outcome::plain(Decision::Suppress {
                        reason,
                        badge: Some(a.badge),
                    }));
                }
                Some(a)
            }
            Err(e) => {
                degraded("account guard and recall check skipped", e);
                None
            }
        };
        // A ledger row the dedup store would still remember proves the
        // message was shown: a duplicate without the dedup write (the hot
        // path of a message arriving by a second channel). It also covers a
        // message recorded with `notificationShown` (an APNs alert the
        // system showed), which never went through the dedup store.
        let proven = admission
            .as_ref()
            .and_then(|a| a.shown_ms)
            .filter(|&shown_ms| dedup.remembers(key, shown_ms));
        let dedup = match proven {
            Some(first_seen_ms) => Ok(DedupOutcome::Duplicate {
                first_seen_ms,
                source: String::new(),
            }),
            None => dedup.check_and_mark(key, DedupKind::Displayed, shown.source),
        };
        let dedup = match dedup {
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
                Some(a) => self.repeat_viewed(key, shown.content, Some(received.line.text), a),
                None => self.repeat(key, shown.content).map(|r| (r, None)),
            };
            return Ok(match repeat {
                Ok((Repeat::Replace { handle, badge }, conversation)) => Outcome {
                    decision: Decision::Replace {
                        handle,
                        badge: Some(badge),
                    },
                    conversation,
                    silent,
                },
                Ok((Repeat::Suppress { reason, badge }, _)) => Outcome::plain(Decision::Suppress {
                    reason,
                    badge: Some(badge),
                }),
                Err(e) => {
                    degraded("duplicate suppressed without the ledger", e);
                    Outcome::plain(Decision::Suppress {
                        reason: Suppress::Duplicate,
                        badge: None,
                    })
                }
            });
        }
        Ok(match self.record_shown_line(shown, &received.line) {
            Ok((Recorded::Shown { badge }, conversation)) => Outcome {
                decision: Decision::Show {
                    handle: shown.handle.clone(),
                    badge: Some(badge),
                },
                conversation,
                silent,
            },
            Ok((Recorded::Recalled { badge }, _)) => Outcome::plain(Decision::Suppress {
                reason: Suppress::Recalled,
                badge: Some(badge),
            }),
            Err(e) => {
                degraded("message shown without a ledger row", e);
                Outcome {
                    decision: Decision::Show {
                        handle: shown.handle.clone(),
                        badge: None,
                    },
                    conversation: None,
                    silent,
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
