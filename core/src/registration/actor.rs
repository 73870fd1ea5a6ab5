//! The registration state machine: one task that owns all state and handles
//! one event at a time, so no two transitions ever interleave.
//!
//! Slow work (token requests, reports, clears) runs in tasks it spawns; their
//! results come back through the same loop tagged with the session
//! *generation* they belong to. A logout or user switch bumps the generation
//! and aborts the task in flight, so a token request or report of an ended
//! session can neither start late nor be acted on when it finishes.
//!
//! Reporter calls (report and clear) additionally queue on one lane, in
//! order: a clear issued at logout always reaches the backend after any
//! report that was already running, and before the next session's report.

use super::backoff::{retry_delay, Jitter};
use super::device::DeviceInfo;
use super::select::{choose_channel, Choice, Selection};
use super::state::{LogoutReason, RegistrationError, RegistrationPhase, RegistrationState};
use super::store::{RegistrationStore, ReportedToken};
use super::traits::{PushListener, PushPlatform, TokenReport, TokenReporter};
use crate::channel::PushChannel;
use crate::config::PushConfig;
use crate::error::PushError;
use crate::logging::redact;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Mutex as AsyncMutex};
use tokio::task::JoinHandle;
use tokio::time::Instant;

const LOG: &str = "pushcore::registration";

/// What the app tells the actor. `session` numbers come from the sender and
/// grow with every login and logout.
#[derive(Debug)]
pub enum Command {
    Login {
        user_id: String,
        session: u64,
    },
    Logout {
        reason: LogoutReason,
        session: u64,
    },
    NewToken {
        channel: PushChannel,
        token: String,
    },
    AppForeground,
    NetworkAvailable,
    /// Answered when reached: every command sent before it has been
    /// handled (calls it started may still be in flight).
    Barrier(tokio::sync::oneshot::Sender<()>),
    Shutdown,
}

/// Everything the actor needs from outside.
pub struct Deps {
    pub config: PushConfig,
    pub platform: Arc<dyn PushPlatform>,
    pub reporter: Arc<dyn TokenReporter>,
    pub listener: Option<Arc<dyn PushListener>>,
    pub store: Box<dyn RegistrationStore>,
    pub jitter: Jitter,
}

/// The step a retry resumes at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Choose,
    Request,
    Report,
}

enum Outcome {
    Token(Result<String, PushError>),
    Reported(ReportedToken, Result<(), PushError>),
    Cleared(Option<PushChannel>, Result<(), PushError>),
    Unregistered(PushChannel, Result<(), PushError>),
}

struct Done {
    generation: u64,
    op: u64,
    outcome: Outcome,
}

struct InFlight {
    id: u64,
    task: JoinHandle<()>,
}

pub struct Actor {
    config: PushConfig,
    platform: Arc<dyn PushPlatform>,
    reporter: Arc<dyn TokenReporter>,
    listener: Option<Arc<dyn PushListener>>,
    store: Box<dyn RegistrationStore>,
    jitter: Jitter,
    commands: mpsc::UnboundedReceiver<Command>,
    done_tx: mpsc::UnboundedSender<Done>,
    done_rx: mpsc::UnboundedReceiver<Done>,
    state_tx: watch::Sender<RegistrationState>,
    reporter_lane: Arc<AsyncMutex<()>>,

    /// Bumped whenever a session ends or starts; results tagged with an
    /// older value are discarded.
    generation: u64,
    session: u64,
    user: Option<String>,
    phase: RegistrationPhase,
    selection: Option<Selection>,
    /// The newest token for the selected channel in this session.
    token: Option<String>,
    reported: Option<ReportedToken>,
    notifications_enabled: Option<bool>,
    no_channel_reason: Option<String>,
    attempt: u32,
    last_error: Option<RegistrationError>,
    retry_at: Option<Instant>,
    retry_step: Step,
    in_flight: Option<InFlight>,
    next_op: u64,
    /// Proactive-logout clears not yet answered.
    clears_pending: u32,
    /// Clears and unregisters still running; shutdown lets them finish.
    background: Vec<JoinHandle<()>>,
    /// Tokens the platform pushed, by channel, whether or not logged in.
    device_tokens: HashMap<PushChannel, String>,
}

impl Actor {
    /// The actor, the sender the app's events go to, and the state it
    /// publishes.
    pub fn new(
        mut deps: Deps,
    ) -> (
        Actor,
        mpsc::UnboundedSender<Command>,
        watch::Receiver<RegistrationState>,
    ) {
        let (cmd_tx, commands) = mpsc::unbounded_channel();
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let (state_tx, state_rx) = watch::channel(RegistrationState::logged_out(0));
        let reported = deps.store.load().unwrap_or_else(|e| {
            log::warn!(target: LOG, "cannot read the last reported token: {e}");
            None
        });
        let actor = Actor {
            config: deps.config,
            platform: deps.platform,
            reporter: deps.reporter,
            listener: deps.listener,
            store: deps.store,
            jitter: deps.jitter,
            commands,
            done_tx,
            done_rx,
            state_tx,
            reporter_lane: Arc::new(AsyncMutex::new(())),
            generation: 0,
            session: 0,
            user: None,
            phase: RegistrationPhase::LoggedOut,
            selection: None,
            token: None,
            reported,
            notifications_enabled: None,
            no_channel_reason: None,
            attempt: 0,
            last_error: None,
            retry_at: None,
            retry_step: Step::Choose,
            in_flight: None,
            next_op: 0,
            clears_pending: 0,
            background: Vec::new(),
            device_tokens: HashMap::new(),
        };
        (actor, cmd_tx, state_rx)
    }

    /// Runs until `Shutdown` or until every sender is gone. Sleeps between
    /// events: the only wake-ups are commands, results and its own retry
    /// timer.
    pub async fn run(mut self) {
        loop {
            let retry_at = self.retry_at;
            tokio::select! {
                biased;
                command = self.commands.recv() => match command {
                    None | Some(Command::Shutdown) => break,
                    Some(command) => self.handle(command),
                },
                Some(done) = self.done_rx.recv() => self.on_done(done),
                () = sleep_until(retry_at) => {
                    self.retry_at = None;
                    let step = self.retry_step;
                    self.resume(step);
                }
            }
        }
        self.abort_in_flight();
        // A proactive logout's clear is worth finishing: it is what stops
        // pushes to a logged-out device. Each has its own deadline.
        for task in std::mem::take(&mut self.background) {
            let _ = task.await;
        }
        log::debug!(target: LOG, "registration actor stopped");
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Login { user_id, session } => self.on_login(user_id, session),
            Command::Logout { reason, session } => self.on_logout(reason, session),
            Command::NewToken { channel, token } => self.on_new_token(channel, token),
            Command::AppForeground | Command::NetworkAvailable => self.on_wake(),
            Command::Barrier(reached) => {
                let _ = reached.send(());
            }
            Command::Shutdown => {}
        }
    }

    fn on_login(&mut self, user_id: String, session: u64) {
        self.session = session;
        if self.user.as_deref() == Some(user_id.as_str()) {
            // Same user again (an app restart path calling login twice):
            // keep what is running; retry at once if stuck.
            if self.phase.retries_on_wake() {
                self.restart_from_failure();
            } else {
                self.publish();
            }
            return;
        }
        if self.user.is_some() {
            log::info!(target: LOG, "login as another user without logout: the old session ends, no clear");
            self.end_session();
        }
        log::info!(target: LOG, "login {}", redact(&user_id));
        self.generation += 1;
        self.user = Some(user_id);
        self.start_choose();
    }

    fn on_logout(&mut self, reason: LogoutReason, session: u64) {
        self.session = session;
        let had_session = self.user.is_some() || self.reported.is_some();
        let channel = self
            .selection
            .as_ref()
            .map(|s| s.channel)
            .or(self.reported.as_ref().map(|r| r.channel));
        log::info!(target: LOG, "logout ({reason:?})");
        self.generation += 1;
        self.end_session();
        self.publish();
        if reason == LogoutReason::Proactive && had_session {
            self.spawn_clear(channel);
        }
    }

    /// Forgets everything about the current session. The persisted record
    /// goes too: the next session starts with no token at the backend.
    fn end_session(&mut self) {
        self.abort_in_flight();
        self.user = None;
        self.phase = RegistrationPhase::LoggedOut;
        self.selection = None;
        self.token = None;
        self.notifications_enabled = None;
        self.no_channel_reason = None;
        self.attempt = 0;
        self.last_error = None;
        self.retry_at = None;
        self.retry_step = Step::Choose;
        self.reported = None;
        if let Err(e) = self.store.clear() {
            log::warn!(target: LOG, "cannot forget the reported token: {e}");
        }
    }

    fn on_new_token(&mut self, channel: PushChannel, token: String) {
        log::info!(target: LOG, "new {channel} token {}", redact(&token));
        self.device_tokens.insert(channel, token.clone());
        let Some(selected) = self.selection.as_ref().map(|s| s.channel) else {
            return;
        };
        if selected != channel {
            log::debug!(target: LOG, "token for {channel} ignored: {selected} is in use");
            return;
        }
        if self.token.as_deref() == Some(token.as_str()) {
            return;
        }
        self.token = Some(token);
        match self.phase {
            RegistrationPhase::RequestingToken => {
                self.abort_in_flight();
                self.after_token();
            }
            RegistrationPhase::Registered | RegistrationPhase::Failed => {
                self.attempt = 0;
                self.after_token();
            }
            RegistrationPhase::WaitingToRetry if self.retry_step == Step::Request => {
                self.retry_step = Step::Report;
            }
            // Reporting: the newer token is reported when the current
            // report ends. WaitingToRetry at Report: the retry reports the
            // newest token.
            _ => {}
        }
    }

    fn on_wake(&mut self) {
        if self.user.is_none() {
            return;
        }
        if self.phase.retries_on_wake() {
            self.restart_from_failure();
        }
    }

    fn restart_from_failure(&mut self) {
        let step = if self.phase == RegistrationPhase::NoChannel {
            Step::Choose
        } else {
            self.retry_step
        };
        self.attempt = 0;
        self.retry_at = None;
        self.resume(step);
    }

    fn resume(&mut self, step: Step) {
        if self.user.is_none() {
            return;
        }
        match step {
            Step::Choose => self.start_choose(),
            Step::Request if self.selection.is_some() => self.start_request(),
            Step::Report if self.token.is_some() => self.after_token(),
            Step::Report if self.selection.is_some() => self.start_request(),
            _ => self.start_choose(),
        }
    }

    fn start_choose(&mut self) {
        self.phase = RegistrationPhase::ChoosingChannel;
        self.selection = None;
        self.token = None;
        self.no_channel_reason = None;
        self.publish();
        let device: DeviceInfo = match self.platform.device_info() {
            Ok(device) => device,
            Err(e) => return self.fail(Step::Choose, e),
        };
        self.notifications_enabled = Some(device.notifications_enabled);
        match choose_channel(&device, &self.config) {
            Choice::NoChannel { reason } => {
                log::warn!(target: LOG, "no push channel: {reason}");
                self.phase = RegistrationPhase::NoChannel;
                self.no_channel_reason = Some(reason);
                self.publish();
            }
            Choice::Use(selection) => {
                log::info!(target: LOG, "channel {} ({})", selection.channel, selection.reason);
                self.selection = Some(selection);
                self.start_request();
            }
        }
    }

    fn start_request(&mut self) {
        let Some(selection) = self.selection.clone() else {
            return self.start_choose();
        };
        self.phase = RegistrationPhase::RequestingToken;
        self.publish();
        let platform = self.platform.clone();
        let limit = self.call_timeout();
        self.spawn_op(async move {
            let what = format!("request_token({})", selection.channel);
            let call = platform.request_token(selection.channel, selection.credentials);
            Outcome::Token(with_deadline(call, limit, &what).await)
        });
    }

    /// A token is known: report it unless exactly this was reported already.
    fn after_token(&mut self) {
        let (Some(user_id), Some(selection), Some(token)) = (
            self.user.clone(),
            self.selection.as_ref(),
            self.token.clone(),
        ) else {
            return;
        };
        let target = ReportedToken {
            user_id,
            channel: selection.channel,
            business_id: selection.business_id,
            token,
        };
        if self.reported.as_ref() == Some(&target) {
            log::info!(target: LOG, "token unchanged since the last report; not reporting again");
            self.registered();
        } else {
            self.start_report(target);
        }
    }

    fn start_report(&mut self, target: ReportedToken) {
        self.phase = RegistrationPhase::Reporting;
        self.publish();
        let report = TokenReport {
            user_id: target.user_id.clone(),
            channel: target.channel,
            vendor_id: target.channel.vendor_id(),
            business_id: target.business_id,
            token: target.token.clone(),
        };
        let reporter = self.reporter.clone();
        let lane = self.reporter_lane.clone();
        let limit = self.call_timeout();
        self.spawn_op(async move {
            let _turn = lane.lock().await;
            let result = with_deadline(reporter.report(report), limit, "report").await;
            Outcome::Reported(target, result)
        });
    }

    fn registered(&mut self) {
        self.phase = RegistrationPhase::Registered;
        self.attempt = 0;
        self.last_error = None;
        self.publish();
    }

    fn spawn_clear(&mut self, channel: Option<PushChannel>) {
        let reporter = self.reporter.clone();
        let lane = self.reporter_lane.clone();
        let limit = self.call_timeout();
        let done = self.done_tx.clone();
        let generation = self.generation;
        self.clears_pending += 1;
        self.publish();
        self.background.retain(|t| !t.is_finished());
        self.background.push(tokio::spawn(async move {
            let _turn = lane.lock().await;
            let result = with_deadline(reporter.clear(), limit, "clear").await;
            let _ = done.send(Done {
                generation,
                op: 0,
                outcome: Outcome::Cleared(channel, result),
            });
        }));
    }

    fn spawn_unregister(&mut self, channel: PushChannel) {
        let platform = self.platform.clone();
        let limit = self.call_timeout();
        let done = self.done_tx.clone();
        let generation = self.generation;
        self.background.retain(|t| !t.is_finished());
        self.background.push(tokio::spawn(async move {
            let what = format!("unregister({channel})");
            let result = with_deadline(platform.unregister(channel), limit, &what).await;
            let _ = done.send(Done {
                generation,
                op: 0,
                outcome: Outcome::Unregistered(channel, result),
            });
        }));
    }

    fn spawn_op(&mut self, work: impl Future<Output = Outcome> + Send + 'static) {
        self.abort_in_flight();
        self.next_op += 1;
        let id = self.next_op;
        let generation = self.generation;
        let done = self.done_tx.clone();
        let task = tokio::spawn(async move {
            let outcome = work.await;
            let _ = done.send(Done {
                generation,
                op: id,
                outcome,
            });
        });
        self.in_flight = Some(InFlight { id, task });
    }

    fn abort_in_flight(&mut self) {
        if let Some(op) = self.in_flight.take() {
            op.task.abort();
        }
    }

    fn on_done(&mut self, done: Done) {
        let current = done.generation == self.generation
            && self.in_flight.as_ref().map(|op| op.id) == Some(done.op);
        match done.outcome {
            Outcome::Cleared(channel, result) => self.on_cleared(channel, result),
            Outcome::Unregistered(channel, result) => match result {
                Ok(()) => log::info!(target: LOG, "{channel} unregistered"),
                Err(e) => log::warn!(target: LOG, "unregister({channel}) failed: {e}"),
            },
            _ if !current => {
                log::debug!(target: LOG, "late result of an ended session or step discarded");
            }
            Outcome::Token(result) => {
                self.in_flight = None;
                let result = result.and_then(|token| {
                    if token.trim().is_empty() {
                        Err(PushError::Platform {
                            reason: "request_token returned an empty token".into(),
                        })
                    } else {
                        Ok(token)
                    }
                });
                match result {
                    Ok(token) => {
                        log::info!(target: LOG, "token {}", redact(&token));
                        if let Some(selection) = &self.selection {
                            self.device_tokens.insert(selection.channel, token.clone());
                        }
                        self.token = Some(token);
                        self.after_token();
                    }
                    Err(e) => self.fail(Step::Request, e),
                }
            }
            Outcome::Reported(target, result) => {
                self.in_flight = None;
                match result {
                    Ok(()) => {
                        log::info!(target: LOG, "token {} reported for {} on {}", redact(&target.token), redact(&target.user_id), target.channel);
                        if let Err(e) = self.store.save(&target) {
                            log::warn!(target: LOG, "cannot remember the reported token: {e}");
                        }
                        self.reported = Some(target);
                        // A newer token may have arrived during the report.
                        self.after_token();
                    }
                    Err(e) => self.fail(Step::Report, e),
                }
            }
        }
    }

    fn on_cleared(&mut self, channel: Option<PushChannel>, result: Result<(), PushError>) {
        self.clears_pending = self.clears_pending.saturating_sub(1);
        self.publish();
        let Err(e) = result else {
            log::info!(target: LOG, "token cleared at the backend");
            return;
        };
        log::warn!(target: LOG, "clear failed ({e}); unregistering the channel instead");
        self.notify_error(RegistrationError {
            code: e.code().into(),
            message: format!("clearing the token at logout failed: {}", e.message()),
            phase: RegistrationPhase::LoggedOut,
            attempt: 1,
            will_retry: false,
        });
        if let Some(channel) = channel {
            self.spawn_unregister(channel);
        }
    }

    fn fail(&mut self, step: Step, error: PushError) {
        self.attempt = self.attempt.saturating_add(1);
        let policy = &self.config.retry;
        let give_up = policy.max_attempts > 0 && self.attempt >= policy.max_attempts;
        let failed_phase = match step {
            Step::Choose => RegistrationPhase::ChoosingChannel,
            Step::Request => RegistrationPhase::RequestingToken,
            Step::Report => RegistrationPhase::Reporting,
        };
        let record = RegistrationError {
            code: error.code().into(),
            message: error.message(),
            phase: failed_phase,
            attempt: self.attempt,
            will_retry: !give_up,
        };
        self.retry_step = step;
        if give_up {
            log::warn!(target: LOG, "{failed_phase:?} failed {} times, giving up until the next event: {error}", self.attempt);
            self.phase = RegistrationPhase::Failed;
            self.retry_at = None;
        } else {
            let delay = retry_delay(policy, self.attempt, &mut self.jitter);
            log::warn!(target: LOG, "{failed_phase:?} failed (attempt {}), retry in {} ms: {error}", self.attempt, delay.as_millis());
            self.phase = RegistrationPhase::WaitingToRetry;
            self.retry_at = Some(Instant::now() + delay);
        }
        self.last_error = Some(record.clone());
        self.notify_error(record);
        self.publish();
    }

    fn call_timeout(&self) -> Duration {
        Duration::from_millis(self.config.retry.platform_timeout_ms.max(1))
    }

    fn snapshot(&self) -> RegistrationState {
        RegistrationState {
            phase: self.phase,
            user_id: self.user.clone(),
            channel: self.selection.as_ref().map(|s| s.channel),
            business_id: self.selection.as_ref().map(|s| s.business_id),
            session: self.session,
            attempt: self.attempt,
            last_error: self.last_error.clone(),
            no_channel_reason: self.no_channel_reason.clone(),
            notifications_enabled: self.notifications_enabled,
            clearing: self.clears_pending > 0,
        }
    }

    fn publish(&mut self) {
        let state = self.snapshot();
        if *self.state_tx.borrow() == state {
            return;
        }
        log::debug!(target: LOG, "state {state:?}");
        self.state_tx.send_replace(state.clone());
        if let Some(listener) = &self.listener {
            let listener = listener.clone();
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                listener.on_state_changed(state)
            }));
        }
    }

    fn notify_error(&self, error: RegistrationError) {
        if let Some(listener) = &self.listener {
            let _ =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| listener.on_error(error)));
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Every call into the app gets a deadline: a vendor SDK that never calls
/// back must not wedge registration.
async fn with_deadline<T>(
    call: impl Future<Output = Result<T, PushError>>,
    limit: Duration,
    what: &str,
) -> Result<T, PushError> {
    match tokio::time::timeout(limit, call).await {
        Ok(result) => result,
        Err(_) => Err(PushError::Timeout {
            reason: format!("{what} did not answer within {} ms", limit.as_millis()),
        }),
    }
}
