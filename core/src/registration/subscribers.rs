//! Observers of the registration state besides the listener given to
//! `start_registration`: a settings screen, a view model, logging, a debug
//! overlay, each with its own `add_listener` subscription.
//!
//! The actor only appends to each subscriber's bounded queue and never calls
//! a subscriber itself, so a subscriber that throws, blocks or is slow cannot
//! hold up the actor or the other subscribers. Each subscriber's queue is
//! drained, in order and one callback at a time, by one job on the core
//! runtime's blocking pool: its threads are shared and reused, and exist only
//! while some subscriber has something to receive (no thread per subscriber,
//! no polling). A subscriber more than [`QUEUE_CAPACITY`] events behind loses
//! its oldest queued events (the states coalesce to the latest), so the last
//! state it receives is always the current one.

use super::state::{RegistrationError, RegistrationState};
use super::traits::PushListener;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use tokio::runtime::Handle;

const LOG: &str = "pushcore::registration";

/// Events kept per subscriber before the oldest are dropped.
pub const QUEUE_CAPACITY: usize = 64;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

enum Event {
    State(RegistrationState),
    Error(RegistrationError),
}

#[derive(Default)]
struct Queue {
    events: VecDeque<Event>,
    /// A delivery job is scheduled or running for this subscriber.
    delivering: bool,
    closed: bool,
}

struct Subscriber {
    listener: Arc<dyn PushListener>,
    queue: Mutex<Queue>,
}

impl Subscriber {
    /// Queues `event`; true if the caller must start a delivery job.
    fn push(&self, event: Event) -> bool {
        let mut queue = lock(&self.queue);
        if queue.closed {
            return false;
        }
        if queue.events.len() >= QUEUE_CAPACITY {
            queue.events.pop_front();
            log::debug!(target: LOG, "a slow state listener skipped an event");
        }
        queue.events.push_back(event);
        !std::mem::replace(&mut queue.delivering, true)
    }

    /// Calls the listener with every queued event, in order, until the
    /// queue is empty or the subscription is closed.
    fn drain(&self) {
        loop {
            let event = {
                let mut queue = lock(&self.queue);
                let next = if queue.closed {
                    None
                } else {
                    queue.events.pop_front()
                };
                match next {
                    Some(event) => event,
                    None => {
                        queue.events.clear();
                        queue.delivering = false;
                        return;
                    }
                }
            };
            // A foreign exception arrives as a panic: caught and ignored,
            // the next event is still delivered.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match event {
                Event::State(state) => self.listener.on_state_changed(state),
                Event::Error(error) => self.listener.on_error(error),
            }));
        }
    }

    fn close(&self) {
        let mut queue = lock(&self.queue);
        queue.closed = true;
        queue.events.clear();
    }

    fn stop_delivering(&self) {
        lock(&self.queue).delivering = false;
    }
}

/// One drain of one subscriber's queue. If the runtime never runs it (shut
/// down before or while it was queued, or no runtime at all), dropping it
/// drains on a thread of its own, so every subscriber still gets the final
/// state.
struct Delivery(Option<Arc<Subscriber>>);

impl Delivery {
    fn run(mut self) {
        if let Some(subscriber) = self.0.take() {
            subscriber.drain();
        }
    }
}

impl Drop for Delivery {
    fn drop(&mut self) {
        let Some(subscriber) = self.0.take() else {
            return;
        };
        let drainer = subscriber.clone();
        let spawned = std::thread::Builder::new()
            .name("pushcore-listener".into())
            .spawn(move || drainer.drain());
        if let Err(e) = spawned {
            log::warn!(target: LOG, "cannot deliver the registration state: {e}");
            subscriber.stop_delivering();
        }
    }
}

struct Hub {
    next_id: u64,
    subscribers: BTreeMap<u64, Arc<Subscriber>>,
    /// The state a new subscriber receives first.
    last: RegistrationState,
}

/// The live `add_listener` subscriptions of one registration service.
pub struct Subscribers {
    hub: Mutex<Hub>,
    /// The core runtime whose blocking pool delivers; none once it stopped.
    runtime: Mutex<Option<Handle>>,
}

impl Subscribers {
    pub fn new(initial: RegistrationState) -> Subscribers {
        Subscribers {
            hub: Mutex::new(Hub {
                next_id: 0,
                subscribers: BTreeMap::new(),
                last: initial,
            }),
            runtime: Mutex::new(None),
        }
    }

    /// Delivers on `runtime`'s blocking pool from now on (`None`: on
    /// threads of their own, once the runtime is gone).
    pub fn set_runtime(&self, runtime: Option<Handle>) {
        *lock(&self.runtime) = runtime;
    }

    /// Adds `listener`: it receives the current state at once, then every
    /// change and error in order, until the handle is unsubscribed or
    /// dropped.
    pub fn subscribe(self: &Arc<Self>, listener: Arc<dyn PushListener>) -> Subscription {
        let subscriber = Arc::new(Subscriber {
            listener,
            queue: Mutex::new(Queue::default()),
        });
        let (id, start) = {
            let mut hub = lock(&self.hub);
            let id = hub.next_id;
            hub.next_id += 1;
            hub.subscribers.insert(id, subscriber.clone());
            (id, subscriber.push(Event::State(hub.last.clone())))
        };
        if start {
            self.deliver(subscriber.clone());
        }
        Subscription {
            hub: Arc::downgrade(self),
            id,
            subscriber,
        }
    }

    /// Queues `state` for every subscriber unless it is the state they
    /// already have.
    pub fn publish_state(&self, state: &RegistrationState) {
        let to_start = {
            let mut hub = lock(&self.hub);
            if hub.last == *state {
                return;
            }
            hub.last = state.clone();
            Self::push_all(&hub, || Event::State(state.clone()))
        };
        to_start.into_iter().for_each(|s| self.deliver(s));
    }

    pub fn publish_error(&self, error: &RegistrationError) {
        let to_start = Self::push_all(&lock(&self.hub), || Event::Error(error.clone()));
        to_start.into_iter().for_each(|s| self.deliver(s));
    }

    /// Pushes under the hub's lock, so a subscriber added at the same time
    /// gets either the old state and then this event, or the new state.
    fn push_all(hub: &Hub, event: impl Fn() -> Event) -> Vec<Arc<Subscriber>> {
        hub.subscribers
            .values()
            .filter(|s| s.push(event()))
            .cloned()
            .collect()
    }

    pub fn count(&self) -> usize {
        lock(&self.hub).subscribers.len()
    }

    fn remove(&self, id: u64) {
        lock(&self.hub).subscribers.remove(&id);
    }

    fn deliver(&self, subscriber: Arc<Subscriber>) {
        let job = Delivery(Some(subscriber));
        let runtime = lock(&self.runtime).clone();
        match runtime {
            // spawn_blocking panics only when the OS refuses a thread; the
            // job is then dropped and tries a thread of its own.
            Some(runtime) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                    drop(runtime.spawn_blocking(move || job.run()));
                }));
            }
            None => drop(job),
        }
    }
}

/// One subscriber's place in [`Subscribers`]. Unsubscribing, or dropping
/// it, ends the subscription (the facade exports it as `ListenerHandle`).
pub struct Subscription {
    hub: Weak<Subscribers>,
    id: u64,
    subscriber: Arc<Subscriber>,
}

impl Subscription {
    /// Ends the subscription: no callback starts after this returns (one
    /// already under way may still finish). Calling it again does nothing.
    pub fn unsubscribe(&self) {
        self.subscriber.close();
        if let Some(hub) = self.hub.upgrade() {
            hub.remove(self.id);
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.unsubscribe();
    }
}
