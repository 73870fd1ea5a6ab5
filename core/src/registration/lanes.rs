//! Calls into the app, one lane per trait, one call at a time per lane, in
//! the order they were asked for.
//!
//! Cancelling a Kotlin coroutine or a Swift task is cooperative: an IM SDK
//! request that was already sent keeps going after the core drops its
//! future. So the core never relies on it. A call holds its lane until it
//! returns or its deadline passes; only then does the next call of the lane
//! start. That is what orders a logout's clear after the report that was
//! running, and the next user's report after that clear: by completion, not
//! by abort. A job whose session ended while it was still queued is dropped
//! without ever being started.

use super::select::Selection;
use super::store::ReportedToken;
use super::traits::{CallError, PushPlatform, TokenClear, TokenReport, TokenReporter};
use crate::channel::PushChannel;
use crate::error::PushError;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Identifies a step of a session: its result counts only if both still
/// match when it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Op {
    pub generation: u64,
    pub id: u64,
}

pub(super) enum ReporterJob {
    Report { op: Op, target: ReportedToken },
    Clear { sequence: u64 },
}

pub(super) enum PlatformJob {
    Request {
        op: Op,
        selection: Selection,
    },
    /// `logins` is the actor's login count when it was queued: any login
    /// since then cancels it before it starts.
    Unregister {
        channel: PushChannel,
        logins: u64,
    },
}

/// What a finished call reports back to the actor.
pub(super) enum Outcome {
    Token(Op, Result<String, PushError>),
    Reported(Op, ReportedToken, Result<(), PushError>),
    Cleared(u64, Result<(), PushError>),
    Unregistered(PushChannel, Result<(), PushError>),
}

/// A FIFO of jobs, of which at most one runs.
pub(super) struct Lane<J> {
    queue: VecDeque<J>,
    running: bool,
}

impl<J> Default for Lane<J> {
    fn default() -> Self {
        Lane {
            queue: VecDeque::new(),
            running: false,
        }
    }
}

impl<J> Lane<J> {
    pub fn push(&mut self, job: J) {
        self.queue.push_back(job);
    }

    /// The next job to start, if the lane is free.
    pub fn next(&mut self) -> Option<J> {
        if self.running {
            return None;
        }
        self.queue.pop_front()
    }

    pub fn started(&mut self) {
        self.running = true;
    }

    pub fn finished(&mut self) {
        self.running = false;
    }

    pub fn is_idle(&self) -> bool {
        !self.running && self.queue.is_empty()
    }
}

/// Starts calls on the current tokio runtime and routes their outcomes
/// back to the actor.
pub(super) struct Caller {
    pub platform: Arc<dyn PushPlatform>,
    pub reporter: Arc<dyn TokenReporter>,
    pub done: mpsc::UnboundedSender<Outcome>,
    pub deadline: Duration,
}

impl Caller {
    fn spawn(&self, call: impl Future<Output = Outcome> + Send + 'static) {
        let done = self.done.clone();
        tokio::spawn(async move {
            let _ = done.send(call.await);
        });
    }

    pub fn request_token(&self, op: Op, selection: Selection) {
        let (platform, limit) = (self.platform.clone(), self.deadline);
        self.spawn(async move {
            let what = format!("request_token({})", selection.channel);
            let call = platform.request_token(selection.channel, selection.credentials);
            Outcome::Token(op, with_deadline(call, limit, &what).await)
        });
    }

    pub fn unregister(&self, channel: PushChannel) {
        let (platform, limit) = (self.platform.clone(), self.deadline);
        self.spawn(async move {
            let what = format!("unregister({channel})");
            let result = with_deadline(platform.unregister(channel), limit, &what).await;
            Outcome::Unregistered(channel, result)
        });
    }

    pub fn report(&self, op: Op, target: ReportedToken, sequence: u64) {
        let report = TokenReport {
            user_id: target.user_id.clone(),
            channel: target.channel,
            vendor_id: target.channel.vendor_id(),
            business_id: target.business_id,
            token: target.token.clone(),
            sequence,
        };
        let (reporter, limit) = (self.reporter.clone(), self.deadline);
        self.spawn(async move {
            let result = with_deadline(reporter.report(report), limit, "report").await;
            Outcome::Reported(op, target, result)
        });
    }

    pub fn clear(&self, clear: TokenClear) {
        let (reporter, limit) = (self.reporter.clone(), self.deadline);
        self.spawn(async move {
            let sequence = clear.sequence;
            let result = with_deadline(reporter.clear(clear), limit, "clear").await;
            Outcome::Cleared(sequence, result)
        });
    }
}

/// Every call into the app gets a deadline: a vendor SDK that never calls
/// back must not wedge registration. At the deadline the call's future is
/// dropped (the app sees cancellation) and the call counts as failed; what
/// the app's side still does after that is beyond the core, which is why
/// reports and clears carry a sequence the backend can check.
async fn with_deadline<T>(
    call: impl Future<Output = Result<T, CallError>>,
    limit: Duration,
    what: &str,
) -> Result<T, PushError> {
    match tokio::time::timeout(limit, call).await {
        Ok(result) => result.map_err(PushError::from),
        Err(_) => Err(PushError::Timeout {
            reason: format!("{what} did not answer within {} ms", limit.as_millis()),
        }),
    }
}
