//! Runs the registration actor on the core's one background thread.
//!
//! A current-thread tokio runtime on a thread named `pushcore-rt`: the
//! actor, its calls into the app and its timers all live there, and the
//! thread sleeps whenever nothing is due. Callers on any thread talk to it
//! through a channel and read its state from a watch, so no call blocks on
//! the actor, and no wait can hang: a wait called on the core's own thread
//! (from a listener) fails at once, and `shutdown` returns within a second
//! whatever the app's calls do.

use super::actor::{Actor, Command, CommandSender, Deps, Progress};
use super::state::{LogoutReason, RegistrationPhase, RegistrationState};
use super::subscribers::{Subscribers, Subscription};
use super::traits::PushListener;
use crate::channel::PushChannel;
use crate::error::PushError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;
use tokio::sync::watch;

pub const THREAD_NAME: &str = "pushcore-rt";

/// How long `shutdown` waits for the thread before leaving it behind.
pub const SHUTDOWN_WAIT: Duration = Duration::from_millis(900);

pub struct RegistrationService {
    commands: CommandSender,
    state: watch::Receiver<RegistrationState>,
    progress: watch::Receiver<Progress>,
    subscribers: Arc<Subscribers>,
    runtime: tokio::runtime::Handle,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    thread_id: ThreadId,
    ended: Mutex<Option<std::sync::mpsc::Receiver<()>>>,
    stopped: AtomicBool,
}

fn stopped() -> PushError {
    PushError::InvalidState {
        reason: "registration has been shut down".into(),
    }
}

/// Which condition a wait is for.
#[derive(Clone, Copy)]
enum Until {
    Settled,
    Idle,
}

impl RegistrationService {
    pub fn start(deps: Deps) -> Result<RegistrationService, PushError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            // Only `add_listener` deliveries run on the blocking pool.
            .thread_name("pushcore-listener")
            .build()
            .map_err(|e| PushError::Internal {
                reason: format!("cannot build the runtime: {e}"),
            })?;
        let handle = runtime.handle().clone();
        let (actor, handles) = Actor::new(deps);
        handles.subscribers.set_runtime(Some(handle.clone()));
        let (ended_tx, ended_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(move || {
                // The actor does not panic on input; if a bug makes it, the
                // thread ends and later calls report `InvalidState`.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    runtime.block_on(actor.run());
                    // Calls still running in the app are dropped here (the
                    // app sees cancellation); nothing waits for them.
                    runtime.shutdown_background();
                }));
                if result.is_err() {
                    log::error!(target: "pushcore::registration", "registration actor panicked");
                }
                let _ = ended_tx.send(());
            })
            .map_err(|e| PushError::Internal {
                reason: format!("cannot start {THREAD_NAME}: {e}"),
            })?;
        Ok(RegistrationService {
            commands: handles.commands,
            state: handles.state,
            progress: handles.progress,
            subscribers: handles.subscribers,
            runtime: handle,
            thread_id: thread.thread().id(),
            thread: Mutex::new(Some(thread)),
            ended: Mutex::new(Some(ended_rx)),
            stopped: AtomicBool::new(false),
        })
    }

    fn send(&self, command: Command) -> Result<u64, PushError> {
        if self.stopped.load(Ordering::SeqCst) {
            return Err(stopped());
        }
        self.commands.send(command).map_err(|_| stopped())
    }

    pub fn login(&self, user_id: String) -> Result<(), PushError> {
        self.send(Command::Login { user_id }).map(drop)
    }

    pub fn logout(&self, reason: LogoutReason) -> Result<(), PushError> {
        self.send(Command::Logout { reason }).map(drop)
    }

    pub fn new_token(&self, channel: PushChannel, token: String) -> Result<(), PushError> {
        self.send(Command::NewToken { channel, token }).map(drop)
    }

    pub fn app_foreground(&self) -> Result<(), PushError> {
        self.send(Command::AppForeground).map(drop)
    }

    pub fn network_available(&self) -> Result<(), PushError> {
        self.send(Command::NetworkAvailable).map(drop)
    }

    pub fn state(&self) -> RegistrationState {
        let mut state = self.state.borrow().clone();
        if self.stopped.load(Ordering::SeqCst) {
            state.phase = RegistrationPhase::ShutDown;
            state.clearing = false;
        }
        state
    }

    /// Adds a state subscriber (see [`Subscribers::subscribe`]); after
    /// shutdown it receives the final `ShutDown` state and nothing more.
    pub fn subscribe(&self, listener: Arc<dyn PushListener>) -> Subscription {
        self.subscribers.subscribe(listener)
    }

    /// Live `add_listener` subscriptions.
    pub fn subscriber_count(&self) -> usize {
        self.subscribers.count()
    }

    /// A wait on the core's own thread (a listener calling it blocking)
    /// could never be answered: fail at once instead.
    fn refuse_own_thread(&self) -> Result<(), PushError> {
        if std::thread::current().id() == self.thread_id {
            return Err(PushError::InvalidState {
                reason: "cannot wait on the core's own thread (called from a listener?): \
                         it would wait for itself"
                    .into(),
            });
        }
        Ok(())
    }

    /// Resolves once every command sent before this call has been applied,
    /// the phase is settled (registered, failed, no channel, logged out) and
    /// no report or clear is queued or running.
    pub async fn wait_until_settled(
        &self,
        timeout: Duration,
    ) -> Result<RegistrationState, PushError> {
        self.wait(timeout, Until::Settled).await
    }

    /// Like [`Self::wait_until_settled`], and also no call into the app at
    /// all is running or queued and no clear waits for a retry.
    pub async fn wait_until_idle(&self, timeout: Duration) -> Result<RegistrationState, PushError> {
        self.wait(timeout, Until::Idle).await
    }

    async fn wait(&self, timeout: Duration, until: Until) -> Result<RegistrationState, PushError> {
        self.refuse_own_thread()?;
        if self.stopped.load(Ordering::SeqCst) {
            return Err(stopped());
        }
        let target = self.commands.last();
        let mut progress = self.progress.clone();
        let what = match until {
            Until::Settled => "settle",
            Until::Idle => "become idle",
        };
        // The timer runs on the core's thread, so the caller's executor
        // needs no tokio.
        let task = self.runtime.spawn(async move {
            let reached = progress.wait_for(|p| {
                p.stopped
                    || p.applied >= target
                        && match until {
                            Until::Settled => p.settled,
                            Until::Idle => p.idle,
                        }
            });
            match tokio::time::timeout(timeout, reached).await {
                Ok(Ok(p)) if !p.stopped => Ok(()),
                Ok(_) => Err(stopped()),
                Err(_) => Err(PushError::Timeout {
                    reason: format!(
                        "registration did not {what} within {} ms",
                        timeout.as_millis()
                    ),
                }),
            }
        });
        let mut guard = AbortOnDrop(task);
        match guard.await_inner().await {
            Ok(Ok(())) => Ok(self.state()),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(stopped()),
        }
    }

    /// Resolves once every event sent before this call has been handled by
    /// the actor, e.g. to know that a token delivered after logout was
    /// looked at and dropped.
    pub async fn wait_until_processed(&self, timeout: Duration) -> Result<(), PushError> {
        self.refuse_own_thread()?;
        let (reached, answer) = tokio::sync::oneshot::channel();
        self.send(Command::Barrier(reached))?;
        let task = self.runtime.spawn(async move {
            match tokio::time::timeout(timeout, answer).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(_)) => Err(stopped()),
                Err(_) => Err(PushError::Timeout {
                    reason: format!(
                        "registration events not processed within {} ms",
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

    /// Stops the actor and its thread, waiting at most [`SHUTDOWN_WAIT`]:
    /// calls still running in the app are dropped, unconfirmed clears stay
    /// in the store for the next start. Idempotent; from the core's own
    /// thread it only asks and returns.
    pub fn shutdown(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _ = self.commands.send(Command::Shutdown);
        if std::thread::current().id() == self.thread_id {
            self.subscribers.publish_state(&self.state());
            return;
        }
        let ended = match self.ended.lock() {
            Ok(mut g) => g.take(),
            Err(p) => p.into_inner().take(),
        };
        let Some(ended) = ended else {
            return;
        };
        let thread = match self.thread.lock() {
            Ok(mut g) => g.take(),
            Err(p) => p.into_inner().take(),
        };
        if ended.recv_timeout(SHUTDOWN_WAIT).is_ok() {
            if let Some(thread) = thread {
                let _ = thread.join();
            }
        } else {
            log::warn!(target: "pushcore::registration", "{THREAD_NAME} is held by a call into the app; left to end on its own");
        }
        // Subscribers end on the state `registration_state` reports, even if
        // the actor could not publish it; later deliveries use threads of
        // their own, since the runtime is gone.
        self.subscribers.set_runtime(None);
        self.subscribers.publish_state(&self.state());
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
