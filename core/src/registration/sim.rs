//! In-process simulations of the app's platform and the IM backend, for
//! tests, benchmarks and the CLI's demo. They behave like the real thing in
//! the ways registration cares about: calls take time, may fail or never
//! answer, and **keep going after the core drops their future** (as a
//! Kotlin coroutine or Swift task wrapping an SDK callback does: the request
//! was sent). The backend applies a report or clear when that work ends, not
//! when the core stops waiting, and knows which user's IM session is live.
//!
//! Work runs in tokio tasks of the caller's runtime; [`SimLog::kill_all`]
//! ends them as a process death would.

use super::device::DeviceInfo;
use super::traits::{CallError, PushPlatform, TokenClear, TokenReport, TokenReporter};
use crate::channel::PushChannel;
use crate::config::VendorCredentials;
use crate::error::PushError;
use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How one simulated call ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimOutcome {
    Succeed,
    Fail,
    /// Never answers and never does anything (the core's deadline ends the
    /// wait).
    Hang,
}

/// One scripted call: how it ends and after how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimCall {
    pub outcome: SimOutcome,
    pub delay: Duration,
}

impl SimCall {
    pub fn ok(delay_ms: u64) -> Self {
        SimCall {
            outcome: SimOutcome::Succeed,
            delay: Duration::from_millis(delay_ms),
        }
    }
    pub fn fail(delay_ms: u64) -> Self {
        SimCall {
            outcome: SimOutcome::Fail,
            delay: Duration::from_millis(delay_ms),
        }
    }
    pub fn hang() -> Self {
        SimCall {
            outcome: SimOutcome::Hang,
            delay: Duration::ZERO,
        }
    }
}

/// Something that happened in the simulation, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimEvent {
    TokenRequested(PushChannel),
    TokenIssued(PushChannel, String),
    TokenRequestFailed(PushChannel),
    ReportStarted(TokenReport),
    /// Applied at the backend.
    Reported(TokenReport),
    ReportFailed(TokenReport),
    /// The user's IM session was not live when the work ended: refused.
    ReportRejected(TokenReport),
    /// A report or clear with a sequence not above the last one applied for
    /// its user: dropped by a backend that checks the sequence.
    StaleDropped {
        user_id: String,
        sequence: u64,
    },
    ClearRequested(TokenClear),
    Cleared {
        user_id: String,
        session_user: Option<String>,
    },
    ClearFailed,
    UnregisterStarted(PushChannel),
    /// Applied: the channel's token is revoked.
    Unregistered(PushChannel),
    /// Markers a test driver adds: the app called login / logout.
    AppLogin(String),
    AppLogout,
    /// A broken invariant, seen from the world's side.
    Violation(String),
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

#[derive(Debug, Default)]
struct World {
    events: Vec<SimEvent>,
    /// The user the IM SDK is logged in as.
    im_user: Option<String>,
    work: Vec<tokio::task::AbortHandle>,
}

/// The shared simulated world: an ordered event log, the IM session, and
/// the work in progress.
#[derive(Debug, Default, Clone)]
pub struct SimLog(Arc<Mutex<World>>);

impl SimLog {
    pub fn push(&self, event: SimEvent) {
        lock(&self.0).events.push(event);
    }
    pub fn events(&self) -> Vec<SimEvent> {
        lock(&self.0).events.clone()
    }
    pub fn count(&self, matches: impl Fn(&SimEvent) -> bool) -> usize {
        lock(&self.0).events.iter().filter(|e| matches(e)).count()
    }
    pub fn violations(&self) -> Vec<String> {
        lock(&self.0)
            .events
            .iter()
            .filter_map(|e| match e {
                SimEvent::Violation(v) => Some(v.clone()),
                _ => None,
            })
            .collect()
    }
    /// Every clear the core asked for, in order.
    pub fn clears_requested(&self) -> Vec<TokenClear> {
        lock(&self.0)
            .events
            .iter()
            .filter_map(|e| match e {
                SimEvent::ClearRequested(c) => Some(c.clone()),
                _ => None,
            })
            .collect()
    }
    fn im_user(&self) -> Option<String> {
        lock(&self.0).im_user.clone()
    }

    /// The process dies: every call still running in the app ends with it.
    pub fn kill_all(&self) {
        for work in std::mem::take(&mut lock(&self.0).work) {
            work.abort();
        }
    }

    /// Runs `work` detached: dropping the returned future does not stop it.
    fn detached<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Option<T>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let _ = tx.send(work.await);
        });
        let mut world = lock(&self.0);
        world.work.retain(|w| !w.is_finished());
        world.work.push(task.abort_handle());
        async move { rx.await.ok() }
    }
}

/// A script of call outcomes; when it runs out, `default` applies.
#[derive(Debug)]
struct Script {
    queue: VecDeque<SimCall>,
    default: SimCall,
}

impl Default for Script {
    fn default() -> Self {
        Script {
            queue: VecDeque::new(),
            default: SimCall::ok(0),
        }
    }
}

impl Script {
    fn next(&mut self) -> SimCall {
        self.queue.pop_front().unwrap_or(self.default)
    }
}

/// Waits out the call; `None` for a hang (never returns).
async fn play(call: SimCall) -> bool {
    if call.outcome == SimOutcome::Hang {
        std::future::pending::<()>().await;
    }
    if !call.delay.is_zero() {
        tokio::time::sleep(call.delay).await;
    }
    call.outcome == SimOutcome::Succeed
}

/// The answer a hung call never gives.
fn never<T>(answer: Option<Result<T, CallError>>) -> Result<T, CallError> {
    answer.unwrap_or_else(|| {
        Err(CallError::Other(PushError::Internal {
            reason: "simulated work was killed".into(),
        }))
    })
}

#[derive(Debug, Default)]
struct Phone {
    token_version: u64,
    revoked: HashSet<String>,
    /// Calls running that will end (hangs never do anything).
    requests_running: u32,
    unregisters_running: u32,
}

/// Counts a call as running until its work ends or is killed.
struct Running {
    phone: Arc<Mutex<Phone>>,
    request: bool,
}

impl Running {
    fn request(phone: &Arc<Mutex<Phone>>) -> Running {
        lock(phone).requests_running += 1;
        Running {
            phone: phone.clone(),
            request: true,
        }
    }
    fn unregister(phone: &Arc<Mutex<Phone>>) -> Running {
        lock(phone).unregisters_running += 1;
        Running {
            phone: phone.clone(),
            request: false,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let mut p = lock(&self.phone);
        if self.request {
            p.requests_running -= 1;
        } else {
            p.unregisters_running -= 1;
        }
    }
}

/// A phone: fixed device info, one token per channel that changes when
/// [`SimulatedPlatform::rotate_token`] is called or the channel is
/// unregistered (which revokes the old one).
pub struct SimulatedPlatform {
    device: Mutex<DeviceInfo>,
    phone: Arc<Mutex<Phone>>,
    script: Mutex<Script>,
    log: SimLog,
}

impl SimulatedPlatform {
    pub fn new(device: DeviceInfo, log: SimLog) -> Self {
        SimulatedPlatform {
            device: Mutex::new(device),
            phone: Arc::new(Mutex::new(Phone {
                token_version: 1,
                ..Phone::default()
            })),
            script: Mutex::new(Script::default()),
            log,
        }
    }

    /// Queues outcomes for the next token requests.
    pub fn script(&self, calls: impl IntoIterator<Item = SimCall>) {
        lock(&self.script).queue.extend(calls);
    }

    pub fn set_default(&self, call: SimCall) {
        lock(&self.script).default = call;
    }

    /// Back to healthy: scripted outcomes dropped, calls succeed at once.
    pub fn reset(&self) {
        *lock(&self.script) = Script::default();
    }

    pub fn set_device(&self, device: DeviceInfo) {
        *lock(&self.device) = device;
    }

    fn token_of(channel: PushChannel, version: u64) -> String {
        format!("{channel}-token-v{version}-0123456789abcdef")
    }

    /// The token the vendor currently issues for `channel`.
    pub fn current_token(&self, channel: PushChannel) -> String {
        Self::token_of(channel, lock(&self.phone).token_version)
    }

    /// Whether an unregister revoked this token.
    pub fn is_revoked(&self, token: &str) -> bool {
        lock(&self.phone).revoked.contains(token)
    }

    /// The vendor refreshes its token; returns the new one (the app would
    /// forward it with `on_new_token`).
    pub fn rotate_token(&self, channel: PushChannel) -> String {
        lock(&self.phone).token_version += 1;
        self.current_token(channel)
    }
}

#[async_trait::async_trait]
impl PushPlatform for SimulatedPlatform {
    fn device_info(&self) -> Result<DeviceInfo, CallError> {
        Ok(lock(&self.device).clone())
    }

    async fn request_token(
        &self,
        channel: PushChannel,
        _credentials: VendorCredentials,
    ) -> Result<String, CallError> {
        self.log.push(SimEvent::TokenRequested(channel));
        let call = lock(&self.script).next();
        let (phone, log) = (self.phone.clone(), self.log.clone());
        if lock(&phone).unregisters_running > 0 {
            log.push(SimEvent::Violation(
                "token requested while an unregister runs".into(),
            ));
        }
        // A hang never does anything, so it does not count as running.
        let running = (call.outcome != SimOutcome::Hang).then(|| Running::request(&phone));
        let work = self.log.detached(async move {
            let _running = running;
            let ok = play(call).await;
            let p = lock(&phone);
            if ok {
                let token = Self::token_of(channel, p.token_version);
                log.push(SimEvent::TokenIssued(channel, token.clone()));
                Ok(token)
            } else {
                log.push(SimEvent::TokenRequestFailed(channel));
                Err(CallError::platform(format!(
                    "simulated {channel} registration failure"
                )))
            }
        });
        never(work.await)
    }

    async fn unregister(&self, channel: PushChannel) -> Result<(), CallError> {
        self.log.push(SimEvent::UnregisterStarted(channel));
        let (phone, log) = (self.phone.clone(), self.log.clone());
        if lock(&phone).requests_running > 0 {
            log.push(SimEvent::Violation(
                "unregister started while a token request runs".into(),
            ));
        }
        let running = Running::unregister(&phone);
        let work = self.log.detached(async move {
            drop(running);
            let mut p = lock(&phone);
            let old = Self::token_of(channel, p.token_version);
            p.revoked.insert(old);
            p.token_version += 1;
            log.push(SimEvent::Unregistered(channel));
            Ok(())
        });
        never(work.await)
    }
}

#[derive(Debug, Default)]
struct Server {
    /// The token the backend pushes to, per user.
    tokens: HashMap<String, TokenReport>,
    /// Highest sequence applied per user (this installation).
    last_sequence: HashMap<String, u64>,
    /// Highest sequence of an applied clear per user.
    cleared_at: HashMap<String, u64>,
    ignores_sequence: bool,
}

/// The IM backend as the reporter sees it. Its session is the user the IM
/// SDK is logged in as; whoever drives the simulation keeps it current
/// (see [`SimulatedBackend::set_session`]). By default it checks the
/// sequence as docs/registration.md asks backends to.
pub struct SimulatedBackend {
    server: Arc<Mutex<Server>>,
    script: Mutex<Script>,
    clear_script: Mutex<Script>,
    log: SimLog,
}

impl SimulatedBackend {
    pub fn new(log: SimLog) -> Self {
        SimulatedBackend {
            server: Arc::new(Mutex::new(Server::default())),
            script: Mutex::new(Script::default()),
            clear_script: Mutex::new(Script::default()),
            log,
        }
    }

    /// A backend that applies whatever arrives, in arrival order: shows
    /// what the core guarantees on its own.
    pub fn ignore_sequence(&self) {
        lock(&self.server).ignores_sequence = true;
    }

    pub fn set_session(&self, user: Option<String>) {
        lock(&self.log.0).im_user = user;
    }

    pub fn session(&self) -> Option<String> {
        self.log.im_user()
    }

    /// The token the backend would push to for the live session.
    pub fn current(&self) -> Option<TokenReport> {
        let user = self.session()?;
        lock(&self.server).tokens.get(&user).cloned()
    }

    /// The token the backend holds for `user`, live or not.
    pub fn token_of(&self, user: &str) -> Option<TokenReport> {
        lock(&self.server).tokens.get(user).cloned()
    }

    pub fn script(&self, calls: impl IntoIterator<Item = SimCall>) {
        lock(&self.script).queue.extend(calls);
    }

    pub fn set_default(&self, call: SimCall) {
        lock(&self.script).default = call;
    }

    /// Back to healthy: scripted outcomes dropped, calls succeed at once.
    pub fn reset(&self) {
        *lock(&self.script) = Script::default();
        *lock(&self.clear_script) = Script::default();
    }

    pub fn script_clear(&self, calls: impl IntoIterator<Item = SimCall>) {
        lock(&self.clear_script).queue.extend(calls);
    }
}

impl Server {
    /// Whether a message with this sequence is new enough to apply.
    fn accepts(&mut self, user_id: &str, sequence: u64, log: &SimLog) -> bool {
        let last = self.last_sequence.get(user_id).copied().unwrap_or(0);
        if sequence <= last && !self.ignores_sequence {
            log.push(SimEvent::StaleDropped {
                user_id: user_id.to_string(),
                sequence,
            });
            return false;
        }
        self.last_sequence
            .insert(user_id.to_string(), sequence.max(last));
        true
    }
}

#[async_trait::async_trait]
impl TokenReporter for SimulatedBackend {
    async fn report(&self, report: TokenReport) -> Result<(), CallError> {
        self.log.push(SimEvent::ReportStarted(report.clone()));
        let call = lock(&self.script).next();
        let (server, log) = (self.server.clone(), self.log.clone());
        let work = self.log.detached(async move {
            if !play(call).await {
                log.push(SimEvent::ReportFailed(report));
                return Err(CallError::platform("simulated backend failure"));
            }
            if log.im_user().as_deref() != Some(report.user_id.as_str()) {
                log.push(SimEvent::ReportRejected(report));
                return Err(CallError::platform(
                    "simulated IM SDK: not logged in as that user",
                ));
            }
            let mut server = lock(&server);
            if server.accepts(&report.user_id, report.sequence, &log) {
                let cleared = server.cleared_at.get(&report.user_id).copied();
                if cleared.is_some_and(|c| c > report.sequence) {
                    log.push(SimEvent::Violation(format!(
                        "report {} applied after the clear {} of the same user",
                        report.sequence,
                        cleared.unwrap_or_default()
                    )));
                }
                server.tokens.insert(report.user_id.clone(), report.clone());
                log.push(SimEvent::Reported(report));
            }
            Ok(())
        });
        never(work.await)
    }

    async fn clear(&self, clear: TokenClear) -> Result<(), CallError> {
        self.log.push(SimEvent::ClearRequested(clear.clone()));
        let call = lock(&self.clear_script).next();
        let (server, log) = (self.server.clone(), self.log.clone());
        let work = self.log.detached(async move {
            if !play(call).await {
                log.push(SimEvent::ClearFailed);
                return Err(CallError::platform("simulated clear failure"));
            }
            let mut server = lock(&server);
            if server.accepts(&clear.user_id, clear.sequence, &log) {
                server.tokens.remove(&clear.user_id);
                server
                    .cleared_at
                    .insert(clear.user_id.clone(), clear.sequence);
                log.push(SimEvent::Cleared {
                    user_id: clear.user_id,
                    session_user: log.im_user(),
                });
            }
            Ok(())
        });
        never(work.await)
    }
}
