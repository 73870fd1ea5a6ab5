//! Login-aware push registration: choose the device's channel, get its
//! token from the platform, report it for the logged-in user, keep it
//! current, and stop the moment the session ends.
//!
//! - [`device`] and [`select`]: which channel a device uses.
//! - [`traits`]: the seams registration calls (platform, reporter,
//!   listener) as plain Rust; the app's implementations of the exported
//!   twins arrive through the facade's adapters (`facade/foreign.rs`).
//! - [`actor`]: the state machine, one serialized task; `lanes` orders its
//!   calls into the app by completion, `clears` retries ended sessions' clears.
//! - [`service`]: runs the actor on the core's single background thread.
//! - [`subscribers`]: `add_listener` subscriptions, delivered off the actor.
//! - [`store`] / [`sqlite_store`]: what was reported, the sequence and the
//!   pending clears, across restarts.
//! - [`sim`]: simulated platform and backend for tests, benches, the CLI.

pub mod actor;
pub mod backoff;
mod clears;
pub mod device;
mod lanes;
pub mod select;
pub mod service;
pub mod sim;
pub mod sqlite_store;
pub mod state;
pub mod store;
pub mod subscribers;
pub mod traits;

#[cfg(test)]
mod tests;

pub use device::{ApnsEnvironment, DeviceInfo, DeviceOs, VendorSupport};
pub use select::{choose_channel, ChannelChoice, Choice, Selection};
pub use state::{LogoutReason, RegistrationError, RegistrationPhase, RegistrationState};
pub use subscribers::Subscription;
pub use traits::{CallError, PushListener, PushPlatform, TokenClear, TokenReport, TokenReporter};
