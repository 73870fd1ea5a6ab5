//! The registration state machine: one task that owns all state and handles
//! one event at a time, so no two transitions ever interleave.
//!
//! Its state comes in named parts, so each transition reads as what it
//! changes: [`Wiring`] (how it reaches the app and the store, never changed
//! by a transition), [`Session`] (who is logged in and how far their
//! registration got), [`Retry`] (the backoff of the session's failing step),
//! [`Clears`] (clears of ended sessions) and the two [`Lane`]s (calls into
//! the app, ordered by completion; see [`super::lanes`]).
//!
//! Commands are numbered by the sender in the same step that enqueues them
//! ([`CommandSender`]), so they apply in call order, whichever threads call.
//! Results come back tagged with the session *generation* and step they
//! belong to; a result of an ended session or a superseded step is dropped.

use super::backoff::{retry_delay, Jitter};
use super::clears::{Clears, MAX_CLEAR_ATTEMPTS};
use super::lanes::{Caller, Lane, Op, Outcome, PlatformJob, ReporterJob};
use super::select::{choose_channel, Choice, Selection};
use super::state::{LogoutReason, RegistrationError, RegistrationPhase, RegistrationState};
use super::store::{sequence_seed, PendingClear, RegistrationStore, ReportedToken};
use super::subscribers::Subscribers;
use super::traits::{PushListener, PushPlatform, TokenReporter};
use crate::channel::PushChannel;
use crate::config::PushConfig;
use crate::error::PushError;
use crate::logging::redact;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

const LOG: &str = "pushcore::registration";

/// What the app tells the actor.
#[derive(Debug)]
pub enum Command {
    Login {
        user_id: String,
    },
    Logout {
        reason: LogoutReason,
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

/// A command with its place in call order.
#[derive(Debug)]
pub struct Envelope {
    pub number: u64,
    pub command: Command,
}

/// Numbers and enqueues commands as one step, so concurrent callers reach
/// the actor in the order of their numbers.
#[derive(Clone)]
pub struct CommandSender {
    tx: mpsc::UnboundedSender<Envelope>,
    last: Arc<Mutex<u64>>,
}

impl CommandSender {
    /// The command's number, or `Err` if the actor has stopped.
    pub fn send(&self, command: Command) -> Result<u64, Command> {
        let mut last = match self.last.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let number = *last + 1;
        self.tx
            .send(Envelope { number, command })
            .map_err(|e| e.0.command)?;
        *last = number;
        Ok(number)
    }

    /// The number of the last command sent.
    pub fn last(&self) -> u64 {
        match self.last.lock() {
            Ok(g) => *g,
            Err(p) => *p.into_inner(),
        }
    }
}

/// How far the actor got, for waiters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Number of the last command handled.
    pub applied: u64,
    /// The phase is settled and no report or clear is queued or running
    /// (so nothing an ended session started can still reach the backend).
    pub settled: bool,
    /// Settled, and nothing at all is left to do: no call into the app
    /// running or queued, no clear waiting for a retry.
    pub idle: bool,
    /// The actor has stopped.
    pub stopped: bool,
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

/// What the creator of an actor keeps.
pub struct Handles {
    pub commands: CommandSender,
    pub state: watch::Receiver<RegistrationState>,
    pub progress: watch::Receiver<Progress>,
    pub subscribers: Arc<Subscribers>,
}

/// The step a retry resumes at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Choose,
    Request,
    Report,
}

/// How the actor reaches the app, the store and its waiters.
struct Wiring {
    config: PushConfig,
    platform: Arc<dyn PushPlatform>,
    listener: Option<Arc<dyn PushListener>>,
    store: Box<dyn RegistrationStore>,
    jitter: Jitter,
    caller: Caller,
    commands: mpsc::UnboundedReceiver<Envelope>,
    outcomes: mpsc::UnboundedReceiver<Outcome>,
    state_tx: watch::Sender<RegistrationState>,
    progress_tx: watch::Sender<Progress>,
    /// `add_listener` subscriptions; only queued to, never called here.
    subscribers: Arc<Subscribers>,
    /// Last sequence number handed out, in case the store fails.
    last_sequence: u64,
}

/// The logged-in session, or none, and how far its registration got.
struct Session {
    /// Bumped whenever a session ends or starts.
    generation: u64,
    /// Number of the last login or logout applied.
    number: u64,
    user: Option<String>,
    phase: RegistrationPhase,
    selection: Option<Selection>,
    /// The newest token for the selected channel in this session.
    token: Option<String>,
    /// What the backend has (persisted), for "unchanged, not again".
    reported: Option<ReportedToken>,
    notifications_enabled: Option<bool>,
    no_channel_reason: Option<String>,
    /// The step whose result is awaited; any other is stale.
    awaiting: Option<u64>,
    next_op: u64,
}

/// The backoff of the session's failing step.
struct Retry {
    attempt: u32,
    last_error: Option<RegistrationError>,
    at: Option<Instant>,
    step: Step,
}

impl Retry {
    fn reset(&mut self) {
        *self = Retry {
            attempt: 0,
            last_error: None,
            at: None,
            step: Step::Choose,
        };
    }
}

pub struct Actor {
    wiring: Wiring,
    session: Session,
    retry: Retry,
    clears: Clears,
    reporter_lane: Lane<ReporterJob>,
    platform_lane: Lane<PlatformJob>,
    applied: u64,
}

impl Actor {
    pub fn new(mut deps: Deps) -> (Actor, Handles) {
        let (cmd_tx, commands) = mpsc::unbounded_channel();
        let (done_tx, outcomes) = mpsc::unbounded_channel();
        let (state_tx, state) = watch::channel(RegistrationState::logged_out(0));
        let (progress_tx, progress) = watch::channel(Progress::default());
        let subscribers = Arc::new(Subscribers::new(RegistrationState::logged_out(0)));
        let reported = deps.store.load().unwrap_or_else(|e| {
            log::warn!(target: LOG, "cannot read the last reported token: {e}");
            None
        });
        let pending = deps.store.pending_clears().unwrap_or_else(|e| {
            log::warn!(target: LOG, "cannot read the pending clears: {e}");
            Vec::new()
        });
        let deadline = Duration::from_millis(deps.config.retry.platform_timeout_ms.max(1));
        let mut actor = Actor {
            wiring: Wiring {
                caller: Caller {
                    platform: deps.platform.clone(),
                    reporter: deps.reporter,
                    done: done_tx,
                    deadline,
                },
                config: deps.config,
                platform: deps.platform,
                listener: deps.listener,
                store: deps.store,
                jitter: deps.jitter,
                commands,
                outcomes,
                state_tx,
                progress_tx,
                subscribers: subscribers.clone(),
                last_sequence: 0,
            },
            session: Session {
                generation: 0,
                number: 0,
                user: None,
                phase: RegistrationPhase::LoggedOut,
                selection: None,
                token: None,
                reported,
                notifications_enabled: None,
                no_channel_reason: None,
                awaiting: None,
                next_op: 0,
            },
            retry: Retry {
                attempt: 0,
                last_error: None,
                at: None,
                step: Step::Choose,
            },
            clears: Clears::default(),
            reporter_lane: Lane::default(),
            platform_lane: Lane::default(),
            applied: 0,
        };
        // Clears a previous run could not finish go first, before any
        // report of a new session.
        for clear in pending {
            log::info!(target: LOG, "resuming the clear of an ended session");
            let sequence = clear.sequence;
            actor.clears.add(clear);
            actor.reporter_lane.push(ReporterJob::Clear { sequence });
        }
        let handles = Handles {
            commands: CommandSender {
                tx: cmd_tx,
                last: Arc::new(Mutex::new(0)),
            },
            state,
            progress,
            subscribers,
        };
        (actor, handles)
    }

    /// Runs until `Shutdown` or until every sender is gone. Sleeps between
    /// events: the only wake-ups are commands, results and its own timers.
    /// Never waits for the app on the way out: calls still running are
    /// dropped with the runtime, and unconfirmed clears stay in the store.
    pub async fn run(mut self) {
        self.pump();
        self.publish();
        loop {
            let timer = [self.retry.at, self.clears.next_retry()]
                .into_iter()
                .flatten()
                .min();
            tokio::select! {
                biased;
                envelope = self.wiring.commands.recv() => match envelope {
                    None => break,
                    Some(Envelope { command: Command::Shutdown, number }) => {
                        self.applied = number;
                        break;
                    }
                    Some(Envelope { number, command }) => {
                        self.handle(number, command);
                        self.applied = number;
                    }
                },
                Some(outcome) = self.wiring.outcomes.recv() => self.on_outcome(outcome),
                () = sleep_until(timer) => self.on_timer(),
            }
            self.pump();
            self.publish();
        }
        self.session.phase = RegistrationPhase::ShutDown;
        self.publish_stopped();
        log::debug!(target: LOG, "registration actor stopped");
    }

    fn handle(&mut self, number: u64, command: Command) {
        match command {
            Command::Login { user_id } => self.on_login(number, user_id),
            Command::Logout { reason } => self.on_logout(number, reason),
            Command::NewToken { channel, token } => self.on_new_token(channel, token),
            Command::AppForeground | Command::NetworkAvailable => self.on_wake(),
            Command::Barrier(reached) => {
                let _ = reached.send(());
            }
            Command::Shutdown => {}
        }
    }

    // ---- session transitions ----

    fn on_login(&mut self, number: u64, user_id: String) {
        self.session.number = self.session.number.max(number);
        let (dropped, changed) = self.clears.on_login(&user_id);
        for sequence in dropped {
            self.store_remove_clear(sequence);
        }
        for clear in changed {
            self.store_put_clear(&clear);
        }
        if self.session.user.as_deref() == Some(user_id.as_str()) {
            // Same user again (an app restart path calling login twice):
            // keep what is running; retry at once if stuck.
            if self.session.phase.retries_on_wake() {
                self.restart_from_failure();
            }
            return;
        }
        if self.session.user.is_some() {
            log::info!(target: LOG, "login as another user without logout: the old session ends, no clear");
            self.end_session();
        }
        log::info!(target: LOG, "login {}", redact(&user_id));
        self.session.generation += 1;
        self.session.user = Some(user_id);
        self.start_choose();
    }

    fn on_logout(&mut self, number: u64, reason: LogoutReason) {
        self.session.number = self.session.number.max(number);
        let ended_user = self
            .session
            .user
            .clone()
            .or_else(|| self.session.reported.as_ref().map(|r| r.user_id.clone()));
        let channel = self.session.selection.as_ref().map(|s| s.channel).or(self
            .session
            .reported
            .as_ref()
            .map(|r| r.channel));
        log::info!(target: LOG, "logout ({reason:?})");
        self.session.generation += 1;
        self.end_session();
        if let (LogoutReason::Proactive, Some(user_id)) = (reason, ended_user) {
            let clear = PendingClear {
                sequence: self.next_sequence(),
                user_id,
                channel,
                attempts: 0,
                login_since: false,
            };
            // Stored before it is tried: a restart resumes it.
            self.store_put_clear(&clear);
            let sequence = clear.sequence;
            self.clears.add(clear);
            self.reporter_lane.push(ReporterJob::Clear { sequence });
        }
    }

    /// Forgets everything about the current session. The persisted record
    /// goes too: the next session starts with no token at the backend.
    /// Calls it started keep their lane until they end.
    fn end_session(&mut self) {
        let s = &mut self.session;
        s.awaiting = None;
        s.user = None;
        s.phase = RegistrationPhase::LoggedOut;
        s.selection = None;
        s.token = None;
        s.notifications_enabled = None;
        s.no_channel_reason = None;
        s.reported = None;
        self.retry.reset();
        if let Err(e) = self.wiring.store.clear() {
            log::warn!(target: LOG, "cannot forget the reported token: {e}");
        }
    }

    fn on_new_token(&mut self, channel: PushChannel, token: String) {
        log::info!(target: LOG, "new {channel} token {}", redact(&token));
        let Some(selected) = self.session.selection.as_ref().map(|s| s.channel) else {
            return;
        };
        if selected != channel {
            log::debug!(target: LOG, "token for {channel} ignored: {selected} is in use");
            return;
        }
        if self.session.token.as_deref() == Some(token.as_str()) {
            return;
        }
        self.session.token = Some(token);
        match self.session.phase {
            RegistrationPhase::RequestingToken => {
                // The request's answer is no longer needed; it keeps its
                // lane until it ends, its result is dropped.
                self.session.awaiting = None;
                self.after_token();
            }
            RegistrationPhase::Registered | RegistrationPhase::Failed => {
                self.retry.attempt = 0;
                self.after_token();
            }
            RegistrationPhase::WaitingToRetry if self.retry.step == Step::Request => {
                self.retry.step = Step::Report;
            }
            // Reporting: the newer token is reported when the current
            // report ends. WaitingToRetry at Report: the retry reports the
            // newest token.
            _ => {}
        }
    }

    fn on_wake(&mut self) {
        if self.session.user.is_some() && self.session.phase.retries_on_wake() {
            self.restart_from_failure();
        }
    }

    fn restart_from_failure(&mut self) {
        let step = if self.session.phase == RegistrationPhase::NoChannel {
            Step::Choose
        } else {
            self.retry.step
        };
        self.retry.attempt = 0;
        self.retry.at = None;
        self.resume(step);
    }

    fn resume(&mut self, step: Step) {
        if self.session.user.is_none() {
            return;
        }
        let (selected, token) = (
            self.session.selection.is_some(),
            self.session.token.is_some(),
        );
        match step {
            Step::Report if token => self.after_token(),
            Step::Request | Step::Report if selected => self.start_request(),
            _ => self.start_choose(),
        }
    }

    fn start_choose(&mut self) {
        let s = &mut self.session;
        s.phase = RegistrationPhase::ChoosingChannel;
        s.selection = None;
        s.token = None;
        s.no_channel_reason = None;
        self.publish();
        let device = match self.wiring.platform.device_info() {
            Ok(device) => device,
            Err(e) => return self.fail(Step::Choose, e.into()),
        };
        self.session.notifications_enabled = Some(device.notifications_enabled);
        match choose_channel(&device, &self.wiring.config) {
            Choice::NoChannel { reason } => {
                log::warn!(target: LOG, "no push channel: {reason}");
                self.session.phase = RegistrationPhase::NoChannel;
                self.session.no_channel_reason = Some(reason);
            }
            Choice::Use(selection) => {
                log::info!(target: LOG, "channel {} ({})", selection.channel, selection.reason);
                self.session.selection = Some(selection);
                self.start_request();
            }
        }
    }

    fn start_request(&mut self) {
        let Some(selection) = self.session.selection.clone() else {
            return self.start_choose();
        };
        self.session.phase = RegistrationPhase::RequestingToken;
        let op = self.next_op();
        self.platform_lane
            .push(PlatformJob::Request { op, selection });
    }

    /// A token is known: report it unless exactly this was reported already.
    fn after_token(&mut self) {
        let s = &self.session;
        let (Some(user_id), Some(selection), Some(token)) =
            (s.user.clone(), s.selection.as_ref(), s.token.clone())
        else {
            return;
        };
        let target = ReportedToken {
            user_id,
            channel: selection.channel,
            business_id: selection.business_id,
            token,
        };
        if self.session.reported.as_ref() == Some(&target) {
            log::info!(target: LOG, "token unchanged since the last report; not reporting again");
            self.registered();
        } else {
            self.session.phase = RegistrationPhase::Reporting;
            let op = self.next_op();
            self.reporter_lane.push(ReporterJob::Report { op, target });
        }
    }

    fn registered(&mut self) {
        self.session.phase = RegistrationPhase::Registered;
        self.retry.attempt = 0;
        self.retry.last_error = None;
    }

    fn fail(&mut self, step: Step, error: PushError) {
        self.retry.attempt = self.retry.attempt.saturating_add(1);
        let attempt = self.retry.attempt;
        let policy = &self.wiring.config.retry;
        let give_up = policy.max_attempts > 0 && attempt >= policy.max_attempts;
        let failed_phase = match step {
            Step::Choose => RegistrationPhase::ChoosingChannel,
            Step::Request => RegistrationPhase::RequestingToken,
            Step::Report => RegistrationPhase::Reporting,
        };
        let record = RegistrationError {
            code: error.code().into(),
            message: error.message(),
            phase: failed_phase,
            attempt,
            will_retry: !give_up,
        };
        self.retry.step = step;
        if give_up {
            log::warn!(target: LOG, "{failed_phase:?} failed {attempt} times, giving up until the next event: {error}");
            self.session.phase = RegistrationPhase::Failed;
            self.retry.at = None;
        } else {
            let delay = retry_delay(policy, attempt, &mut self.wiring.jitter);
            log::warn!(target: LOG, "{failed_phase:?} failed (attempt {attempt}), retry in {} ms: {error}", delay.as_millis());
            self.session.phase = RegistrationPhase::WaitingToRetry;
            self.retry.at = Some(Instant::now() + delay);
        }
        self.retry.last_error = Some(record.clone());
        self.notify_error(record);
    }

    fn next_op(&mut self) -> Op {
        self.session.next_op += 1;
        let id = self.session.next_op;
        self.session.awaiting = Some(id);
        Op {
            generation: self.session.generation,
            id,
        }
    }

    fn is_current(&self, op: Op) -> bool {
        op.generation == self.session.generation && self.session.awaiting == Some(op.id)
    }

    // ---- timers and results ----

    fn on_timer(&mut self) {
        let now = Instant::now();
        if matches!(self.retry.at, Some(at) if at <= now) {
            self.retry.at = None;
            let step = self.retry.step;
            self.resume(step);
        }
        for sequence in self.clears.due(now) {
            self.reporter_lane.push(ReporterJob::Clear { sequence });
        }
    }

    fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Token(op, result) => {
                self.platform_lane.finished();
                if self.is_current(op) {
                    self.on_token(result);
                } else {
                    log::debug!(target: LOG, "token of an ended session or step discarded");
                }
            }
            Outcome::Unregistered(channel, result) => {
                self.platform_lane.finished();
                match result {
                    Ok(()) => log::info!(target: LOG, "{channel} unregistered"),
                    Err(e) => log::warn!(target: LOG, "unregister({channel}) failed: {e}"),
                }
            }
            Outcome::Reported(op, target, result) => {
                self.reporter_lane.finished();
                if self.is_current(op) {
                    self.on_reported(target, result);
                } else {
                    log::debug!(target: LOG, "report result of an ended session discarded");
                }
            }
            Outcome::Cleared(sequence, result) => {
                self.reporter_lane.finished();
                self.on_cleared(sequence, result);
            }
        }
    }

    fn on_token(&mut self, result: Result<String, PushError>) {
        self.session.awaiting = None;
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
                self.session.token = Some(token);
                self.after_token();
            }
            Err(e) => self.fail(Step::Request, e),
        }
    }

    fn on_reported(&mut self, target: ReportedToken, result: Result<(), PushError>) {
        self.session.awaiting = None;
        match result {
            Ok(()) => {
                log::info!(target: LOG, "token {} reported for {} on {}", redact(&target.token), redact(&target.user_id), target.channel);
                if let Err(e) = self.wiring.store.save(&target) {
                    log::warn!(target: LOG, "cannot remember the reported token: {e}");
                }
                self.session.reported = Some(target);
                // A newer token may have arrived during the report.
                self.after_token();
            }
            Err(e) => self.fail(Step::Report, e),
        }
    }

    fn on_cleared(&mut self, sequence: u64, result: Result<(), PushError>) {
        let Err(e) = result else {
            log::info!(target: LOG, "token cleared at the backend");
            self.clears.remove(sequence);
            self.store_remove_clear(sequence);
            return;
        };
        let Some(clear) = self.clears.failed(sequence) else {
            return;
        };
        self.notify_error(RegistrationError {
            code: e.code().into(),
            message: format!("clearing the token at logout failed: {}", e.message()),
            phase: RegistrationPhase::LoggedOut,
            attempt: clear.attempts,
            will_retry: clear.attempts < MAX_CLEAR_ATTEMPTS,
        });
        // Unregister at the first failure, so a logged-out device stops
        // receiving pushes at once; never once anyone logged in since.
        if let (1, Some(channel), false, None) = (
            clear.attempts,
            clear.channel,
            clear.login_since,
            &self.session.user,
        ) {
            log::warn!(target: LOG, "clear failed ({e}); unregistering {channel} while nobody is logged in");
            let logins = self.clears.logins;
            self.platform_lane
                .push(PlatformJob::Unregister { channel, logins });
        }
        let same_user_back = self.session.user.as_deref() == Some(clear.user_id.as_str());
        if clear.attempts >= MAX_CLEAR_ATTEMPTS || same_user_back {
            log::warn!(target: LOG, "giving up on the clear after {} attempts: {e}", clear.attempts);
            self.clears.remove(sequence);
            self.store_remove_clear(sequence);
            return;
        }
        self.store_put_clear(&clear);
        let delay = retry_delay(
            &self.wiring.config.retry,
            clear.attempts,
            &mut self.wiring.jitter,
        );
        log::warn!(target: LOG, "clear failed (attempt {}), retry in {} ms: {e}", clear.attempts, delay.as_millis());
        self.clears.retry_at(sequence, Instant::now() + delay);
    }

    // ---- lanes ----

    /// Starts the next call of each free lane, dropping jobs of ended
    /// sessions that never started.
    fn pump(&mut self) {
        while let Some(job) = self.reporter_lane.next() {
            match job {
                ReporterJob::Report { op, target } if self.is_current(op) => {
                    let sequence = self.next_sequence();
                    self.reporter_lane.started();
                    self.wiring.caller.report(op, target, sequence);
                }
                ReporterJob::Report { .. } => {}
                ReporterJob::Clear { sequence } => {
                    if let Some(clear) = self.clears.start(sequence) {
                        self.reporter_lane.started();
                        self.wiring.caller.clear(clear);
                    }
                }
            }
        }
        while let Some(job) = self.platform_lane.next() {
            match job {
                PlatformJob::Request { op, selection } if self.is_current(op) => {
                    self.platform_lane.started();
                    self.wiring.caller.request_token(op, selection);
                }
                PlatformJob::Request { .. } => {}
                PlatformJob::Unregister { channel, logins }
                    if logins == self.clears.logins && self.session.user.is_none() =>
                {
                    self.platform_lane.started();
                    self.wiring.caller.unregister(channel);
                }
                PlatformJob::Unregister { .. } => {
                    log::info!(target: LOG, "unregister skipped: a user logged in since");
                }
            }
        }
    }

    fn next_sequence(&mut self) -> u64 {
        let floor = match self.wiring.last_sequence {
            0 => sequence_seed(),
            last => last + 1,
        };
        let next = match self.wiring.store.next_sequence() {
            Ok(n) => n.max(floor),
            Err(e) => {
                log::warn!(target: LOG, "cannot store the sequence, continuing in memory: {e}");
                floor
            }
        };
        self.wiring.last_sequence = next;
        next
    }

    fn store_put_clear(&mut self, clear: &PendingClear) {
        if let Err(e) = self.wiring.store.put_pending_clear(clear) {
            log::warn!(target: LOG, "cannot store the pending clear: {e}");
        }
    }

    fn store_remove_clear(&mut self, sequence: u64) {
        if let Err(e) = self.wiring.store.remove_pending_clear(sequence) {
            log::warn!(target: LOG, "cannot forget the pending clear: {e}");
        }
    }

    // ---- publishing ----

    fn snapshot(&self) -> RegistrationState {
        let s = &self.session;
        RegistrationState {
            phase: s.phase,
            user_id: s.user.clone(),
            channel: s.selection.as_ref().map(|s| s.channel),
            business_id: s.selection.as_ref().map(|s| s.business_id),
            session: s.number,
            attempt: self.retry.attempt,
            last_error: self.retry.last_error.clone(),
            no_channel_reason: s.no_channel_reason.clone(),
            notifications_enabled: s.notifications_enabled,
            // After shutdown nothing is cleared any more (the clear waits in
            // the store): the same final state `registration_state` reports.
            clearing: s.phase != RegistrationPhase::ShutDown && self.clears.clearing(),
            pending_clears: u32::try_from(self.clears.len()).unwrap_or(u32::MAX),
        }
    }

    fn progress(&self) -> Progress {
        let settled = self.session.phase.is_settled() && self.reporter_lane.is_idle();
        Progress {
            applied: self.applied,
            settled,
            idle: settled && self.platform_lane.is_idle() && self.clears.len() == 0,
            stopped: false,
        }
    }

    fn publish(&mut self) {
        let state = self.snapshot();
        if *self.wiring.state_tx.borrow() != state {
            log::debug!(target: LOG, "state {state:?}");
            self.wiring.state_tx.send_replace(state.clone());
            self.wiring.subscribers.publish_state(&state);
            if let Some(listener) = &self.wiring.listener {
                let listener = listener.clone();
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    listener.on_state_changed(state)
                }));
            }
        }
        let progress = self.progress();
        self.wiring.progress_tx.send_if_modified(|p| {
            let changed = *p != progress;
            *p = progress;
            changed
        });
    }

    fn publish_stopped(&mut self) {
        self.publish();
        let applied = self.applied;
        self.wiring.progress_tx.send_modify(|p| {
            p.applied = applied;
            p.stopped = true;
        });
    }

    fn notify_error(&self, error: RegistrationError) {
        self.wiring.subscribers.publish_error(&error);
        if let Some(listener) = &self.wiring.listener {
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
