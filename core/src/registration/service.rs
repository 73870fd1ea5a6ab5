//! Runs the registration actor on the core's one background thread.
//!
//! A current-thread tokio runtime on a thread named `pushcore-rt`: the
//! actor, its calls into the app and its timers all live there, and the
//! thread sleeps whenever nothing is due. Callers on any thread talk to it
//! through a channel and read its state from a watch, so no call blocks on
//! the actor.

use super::actor::{Actor, Command, Deps};
use super::state::{LogoutReason, RegistrationState};
use crate::channel::PushChannel;
use crate::error::PushError;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

pub const THREAD_NAME: &str = "pushcore-rt";

pub struct RegistrationService {
    commands: mpsc::UnboundedSender<Command>,
    state: watch::Receiver<RegistrationState>,
    runtime: tokio::runtime::Handle,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    sessions: AtomicU64,
}

fn stopped() -> PushError {
    PushError::InvalidState {
        reason: "registration has been shut down".into(),
    }
}

impl RegistrationService {
    pub fn start(deps: Deps) -> Result<RegistrationService, PushError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .map_err(|e| PushError::Internal {
                reason: format!("cannot build the runtime: {e}"),
            })?;
        let handle = runtime.handle().clone();
        let (actor, commands, state) = Actor::new(deps);
        let thread = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(move || {
                // The actor does not panic on input; if a bug makes it, the
                // thread ends and later calls report `InvalidState`.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    runtime.block_on(actor.run())
                }));
                if result.is_err() {
                    log::error!(target: "pushcore::registration", "registration actor panicked");
                }
            })
            .map_err(|e| PushError::Internal {
                reason: format!("cannot start {THREAD_NAME}: {e}"),
            })?;
        Ok(RegistrationService {
            commands,
            state,
            runtime: handle,
            thread: Mutex::new(Some(thread)),
            sessions: AtomicU64::new(0),
        })
    }

    fn send(&self, command: Command) -> Result<(), PushError> {
        self.commands.send(command).map_err(|_| stopped())
    }

    pub fn login(&self, user_id: String) -> Result<(), PushError> {
        let session = self.sessions.fetch_add(1, Ordering::SeqCst) + 1;
        self.send(Command::Login { user_id, session })
    }

    pub fn logout(&self, reason: LogoutReason) -> Result<(), PushError> {
        let session = self.sessions.fetch_add(1, Ordering::SeqCst) + 1;
        self.send(Command::Logout { reason, session })
    }

    pub fn new_token(&self, channel: PushChannel, token: String) -> Result<(), PushError> {
        self.send(Command::NewToken { channel, token })
    }

    pub fn app_foreground(&self) -> Result<(), PushError> {
        self.send(Command::AppForeground)
    }

    pub fn network_available(&self) -> Result<(), PushError> {
        self.send(Command::NetworkAvailable)
    }

    pub fn state(&self) -> RegistrationState {
        self.state.borrow().clone()
    }

    /// Resolves once the last login or logout sent before this call has
    /// been applied and the state is settled (registered, failed, no
    /// channel, or logged out with no clear pending). The timer runs on the
    /// core's thread, so the caller's executor needs no tokio.
    pub async fn wait_until_settled(
        &self,
        timeout: Duration,
    ) -> Result<RegistrationState, PushError> {
        let target = self.sessions.load(Ordering::SeqCst);
        let mut state = self.state.clone();
        let task = self.runtime.spawn(async move {
            let settled = state.wait_for(|s| s.session >= target && s.is_settled());
            match tokio::time::timeout(timeout, settled).await {
                Ok(Ok(s)) => Ok(s.clone()),
                Ok(Err(_)) => Err(stopped()),
                Err(_) => Err(PushError::Timeout {
                    reason: format!(
                        "registration did not settle within {} ms",
                        timeout.as_millis()
                    ),
                }),
            }
        });
        let mut guard = AbortOnDrop(task);
        match guard.await_inner().await {
            Ok(result) => result,
            Err(_) => Err(stopped()),
        }
    }

    /// Stops the actor (letting a pending logout clear finish within its
    /// deadline) and joins the thread. Idempotent.
    pub fn shutdown(&self) {
        let _ = self.commands.send(Command::Shutdown);
        let thread = match self.thread.lock() {
            Ok(mut g) => g.take(),
            Err(p) => p.into_inner().take(),
        };
        if let Some(thread) = thread {
            if thread.thread().id() == std::thread::current().id() {
                return;
            }
            let _ = thread.join();
        }
    }
}

impl Drop for RegistrationService {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Aborts the waiting task if the caller gives up (a cancelled coroutine).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> AbortOnDrop<T> {
    async fn await_inner(&mut self) -> Result<T, tokio::task::JoinError> {
        (&mut self.0).await
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
