//! In-process simulations of the app's platform and the IM backend, for
//! tests, benchmarks and the CLI's demo. They behave like the real thing
//! in the ways registration cares about: calls take time, may fail or never
//! answer, may be cancelled, and the backend knows which user's session is
//! live, so a report for anyone else is recorded as a violation.

use super::device::DeviceInfo;
use super::traits::{PushPlatform, TokenReport, TokenReporter};
use crate::channel::PushChannel;
use crate::config::VendorCredentials;
use crate::error::PushError;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How one simulated call ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimOutcome {
    Succeed,
    Fail,
    /// Never answers (the core's deadline must end it).
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
    Reported(TokenReport),
    ReportFailed(TokenReport),
    ReportCancelled(TokenReport),
    ClearRequested,
    Cleared {
        session_user: Option<String>,
    },
    ClearFailed,
    Unregistered(PushChannel),
    /// A broken invariant, seen from the backend's side.
    Violation(String),
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// A shared, ordered event log.
#[derive(Debug, Default, Clone)]
pub struct SimLog(Arc<Mutex<Vec<SimEvent>>>);

impl SimLog {
    pub fn push(&self, event: SimEvent) {
        lock(&self.0).push(event);
    }
    pub fn events(&self) -> Vec<SimEvent> {
        lock(&self.0).clone()
    }
    pub fn count(&self, matches: impl Fn(&SimEvent) -> bool) -> usize {
        lock(&self.0).iter().filter(|e| matches(e)).count()
    }
    pub fn violations(&self) -> Vec<String> {
        lock(&self.0)
            .iter()
            .filter_map(|e| match e {
                SimEvent::Violation(v) => Some(v.clone()),
                _ => None,
            })
            .collect()
    }
}

/// A script of call outcomes; when it runs out, `default` applies.
#[derive(Debug)]
struct Script {
    queue: VecDeque<SimCall>,
    default: SimCall,
}

impl Script {
    fn next(&mut self) -> SimCall {
        self.queue.pop_front().unwrap_or(self.default)
    }
}

async fn play(call: SimCall) -> bool {
    if call.outcome == SimOutcome::Hang {
        std::future::pending::<()>().await;
    }
    if !call.delay.is_zero() {
        tokio::time::sleep(call.delay).await;
    }
    call.outcome == SimOutcome::Succeed
}

/// A phone: fixed device info, one token per channel that changes when
/// [`SimulatedPlatform::rotate_token`] is called.
pub struct SimulatedPlatform {
    device: Mutex<DeviceInfo>,
    token_version: Mutex<u64>,
    script: Mutex<Script>,
    log: SimLog,
}

impl SimulatedPlatform {
    pub fn new(device: DeviceInfo, log: SimLog) -> Self {
        SimulatedPlatform {
            device: Mutex::new(device),
            token_version: Mutex::new(1),
            script: Mutex::new(Script {
                queue: VecDeque::new(),
                default: SimCall::ok(0),
            }),
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
        let mut script = lock(&self.script);
        script.queue.clear();
        script.default = SimCall::ok(0);
    }

    pub fn set_device(&self, device: DeviceInfo) {
        *lock(&self.device) = device;
    }

    /// The token the vendor currently issues for `channel`.
    pub fn current_token(&self, channel: PushChannel) -> String {
        format!(
            "{channel}-token-v{}-0123456789abcdef",
            *lock(&self.token_version)
        )
    }

    /// The vendor refreshes its token; returns the new one (the app would
    /// forward it with `on_new_token`).
    pub fn rotate_token(&self, channel: PushChannel) -> String {
        *lock(&self.token_version) += 1;
        self.current_token(channel)
    }
}

#[async_trait::async_trait]
impl PushPlatform for SimulatedPlatform {
    fn device_info(&self) -> Result<DeviceInfo, PushError> {
        Ok(lock(&self.device).clone())
    }

    async fn request_token(
        &self,
        channel: PushChannel,
        _credentials: VendorCredentials,
    ) -> Result<String, PushError> {
        self.log.push(SimEvent::TokenRequested(channel));
        let call = lock(&self.script).next();
        if play(call).await {
            let token = self.current_token(channel);
            self.log.push(SimEvent::TokenIssued(channel, token.clone()));
            Ok(token)
        } else {
            self.log.push(SimEvent::TokenRequestFailed(channel));
            Err(PushError::Platform {
                reason: format!("simulated {channel} registration failure"),
            })
        }
    }

    async fn unregister(&self, channel: PushChannel) -> Result<(), PushError> {
        self.log.push(SimEvent::Unregistered(channel));
        Ok(())
    }
}

/// The IM backend as the reporter sees it. Its `session` is the user the
/// IM SDK is logged in as; whoever drives the simulation keeps it current
/// (see [`SimulatedBackend::set_session`]).
pub struct SimulatedBackend {
    session: Mutex<Option<String>>,
    current: Mutex<Option<TokenReport>>,
    script: Mutex<Script>,
    clear_script: Mutex<Script>,
    log: SimLog,
}

impl SimulatedBackend {
    pub fn new(log: SimLog) -> Self {
        SimulatedBackend {
            session: Mutex::new(None),
            current: Mutex::new(None),
            script: Mutex::new(Script {
                queue: VecDeque::new(),
                default: SimCall::ok(0),
            }),
            clear_script: Mutex::new(Script {
                queue: VecDeque::new(),
                default: SimCall::ok(0),
            }),
            log,
        }
    }

    pub fn set_session(&self, user: Option<String>) {
        let mut session = lock(&self.session);
        if *session != user {
            // A new IM session starts without a push token.
            *lock(&self.current) = None;
        }
        *session = user;
    }

    pub fn session(&self) -> Option<String> {
        lock(&self.session).clone()
    }

    /// The token the backend would push to for the live session.
    pub fn current(&self) -> Option<TokenReport> {
        lock(&self.current).clone()
    }

    pub fn script(&self, calls: impl IntoIterator<Item = SimCall>) {
        lock(&self.script).queue.extend(calls);
    }

    pub fn set_default(&self, call: SimCall) {
        lock(&self.script).default = call;
    }

    /// Back to healthy: scripted outcomes dropped, calls succeed at once.
    pub fn reset(&self) {
        for script in [&self.script, &self.clear_script] {
            let mut script = lock(script);
            script.queue.clear();
            script.default = SimCall::ok(0);
        }
    }

    pub fn script_clear(&self, calls: impl IntoIterator<Item = SimCall>) {
        lock(&self.clear_script).queue.extend(calls);
    }

    fn check_session(&self, report: &TokenReport, when: &str) {
        let session = self.session();
        if session.as_deref() != Some(report.user_id.as_str()) {
            self.log.push(SimEvent::Violation(format!(
                "report {when} for a user whose session is not live (live: {:?})",
                session.as_deref().map(crate::logging::redact)
            )));
        }
    }
}

/// Records a cancelled report when the core drops the call mid-way.
struct CancelGuard<'a> {
    log: &'a SimLog,
    report: Option<TokenReport>,
}

impl Drop for CancelGuard<'_> {
    fn drop(&mut self) {
        if let Some(report) = self.report.take() {
            self.log.push(SimEvent::ReportCancelled(report));
        }
    }
}

#[async_trait::async_trait]
impl TokenReporter for SimulatedBackend {
    async fn report(&self, report: TokenReport) -> Result<(), PushError> {
        self.log.push(SimEvent::ReportStarted(report.clone()));
        self.check_session(&report, "started");
        let call = lock(&self.script).next();
        let mut guard = CancelGuard {
            log: &self.log,
            report: Some(report.clone()),
        };
        let ok = play(call).await;
        guard.report = None;
        if ok {
            self.check_session(&report, "completed");
            if self.session().as_deref() == Some(report.user_id.as_str()) {
                *lock(&self.current) = Some(report.clone());
            }
            self.log.push(SimEvent::Reported(report));
            Ok(())
        } else {
            self.log.push(SimEvent::ReportFailed(report));
            Err(PushError::Platform {
                reason: "simulated backend failure".into(),
            })
        }
    }

    async fn clear(&self) -> Result<(), PushError> {
        self.log.push(SimEvent::ClearRequested);
        let call = lock(&self.clear_script).next();
        if play(call).await {
            *lock(&self.current) = None;
            self.log.push(SimEvent::Cleared {
                session_user: self.session(),
            });
            Ok(())
        } else {
            self.log.push(SimEvent::ClearFailed);
            Err(PushError::Platform {
                reason: "simulated clear failure".into(),
            })
        }
    }
}
