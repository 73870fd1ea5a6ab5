//! Logging: the core logs through the `log` crate; the app decides where the
//! records go (logcat, os_log, a file) by installing a [`LogForwarder`]
//! (the app implements the exported twin in `facade/foreign.rs`, adapted to
//! this one).
//!
//! Push tokens and user ids are personal data and long-lived credentials, so
//! they are only ever logged through [`redact`], which keeps enough to tell
//! two values apart in a support log but not enough to reuse them.

use std::fmt;
use std::sync::{Arc, RwLock};

/// Severity, most severe first, as in the `log` crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl From<log::Level> for LogLevel {
    fn from(level: log::Level) -> Self {
        match level {
            log::Level::Error => LogLevel::Error,
            log::Level::Warn => LogLevel::Warn,
            log::Level::Info => LogLevel::Info,
            log::Level::Debug => LogLevel::Debug,
            log::Level::Trace => LogLevel::Trace,
        }
    }
}

impl From<LogLevel> for log::LevelFilter {
    fn from(level: LogLevel) -> Self {
        match level {
            LogLevel::Error => log::LevelFilter::Error,
            LogLevel::Warn => log::LevelFilter::Warn,
            LogLevel::Info => log::LevelFilter::Info,
            LogLevel::Debug => log::LevelFilter::Debug,
            LogLevel::Trace => log::LevelFilter::Trace,
        }
    }
}

/// One log line, already formatted and redacted.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    pub level: LogLevel,
    /// The Rust module that logged, e.g. `pushcore::dedup`.
    pub target: String,
    pub message: String,
}

/// Receives the core's logs. Called on whatever thread logged;
/// implementations must be quick and must not call back into
/// [`set_log_forwarder`]. A panic is caught and the record dropped.
pub trait LogForwarder: Send + Sync {
    fn log(&self, record: LogRecord);
}

static FORWARDER: RwLock<Option<Arc<dyn LogForwarder>>> = RwLock::new(None);
static LOGGER: ForwardingLogger = ForwardingLogger;

struct ForwardingLogger;

impl log::Log for ForwardingLogger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        // Clone the Arc out so the lock is not held while foreign code runs:
        // a forwarder that logs again must not deadlock.
        let forwarder = match FORWARDER.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        if let Some(forwarder) = forwarder {
            let entry = LogRecord {
                level: record.level().into(),
                target: record.target().to_string(),
                message: record.args().to_string(),
            };
            // A throwing forwarder must not take the host app down with it.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| forwarder.log(entry)));
        }
    }

    fn flush(&self) {}
}

/// Installs (or, with `None`, removes) the app's log forwarder and sets the
/// most verbose level that is forwarded. Records above that level are
/// filtered before they are formatted, so a quiet level costs nearly nothing.
pub fn set_log_forwarder(forwarder: Option<Arc<dyn LogForwarder>>, level: LogLevel) {
    // Fails only if another logger was installed first (e.g. by a test
    // harness); the forwarder is then unused, which is the caller's choice.
    let _ = log::set_logger(&LOGGER);
    let enabled = forwarder.is_some();
    match FORWARDER.write() {
        Ok(mut guard) => *guard = forwarder,
        Err(poisoned) => *poisoned.into_inner() = forwarder,
    }
    log::set_max_level(if enabled {
        level.into()
    } else {
        log::LevelFilter::Off
    });
}

/// Values at least this long show their first four characters.
const MIN_LEN_TO_SHOW_PREFIX: usize = 12;

/// A log-safe view of a secret or personal value: its first four characters
/// and its length, e.g. `abcd…(len=163)`. Short values (user ids are often
/// short) show only the length, since four characters would be most of them.
pub fn redact(value: &str) -> Redacted<'_> {
    Redacted(value)
}

/// See [`redact`]. Formats lazily, so a filtered-out log line costs nothing.
pub struct Redacted<'a>(&'a str);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.0.chars().count();
        if len >= MIN_LEN_TO_SHOW_PREFIX {
            let prefix: String = self.0.chars().take(4).collect();
            write!(f, "{prefix}…(len={len})")
        } else {
            write!(f, "…(len={len})")
        }
    }
}

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn redaction_keeps_prefix_and_length_only() {
        let token = "0864a3b1c2d3e4f5a6b7c8d9e0f1a2b3";
        let shown = redact(token).to_string();
        assert_eq!(shown, "0864…(len=32)");
        assert!(!shown.contains("a3b1"));
        assert_eq!(redact("alice").to_string(), "…(len=5)");
        assert_eq!(redact("").to_string(), "…(len=0)");
        // Counts characters, never splits a UTF-8 sequence.
        assert_eq!(
            redact("用户一二三四五六七八九十").to_string(),
            "用户一二…(len=12)"
        );
    }

    struct Collect(Mutex<Vec<LogRecord>>);
    impl LogForwarder for Collect {
        fn log(&self, record: LogRecord) {
            self.0.lock().unwrap().push(record);
        }
    }

    #[test]
    fn forwarder_receives_records_at_or_above_its_level() {
        let sink = Arc::new(Collect(Mutex::new(Vec::new())));
        set_log_forwarder(Some(sink.clone()), LogLevel::Info);
        log::debug!(target: "pushcore::test_fwd", "hidden");
        log::warn!(target: "pushcore::test_fwd", "token {}", redact("abcdefghijklmnopqrstuvwxyz"));
        set_log_forwarder(None, LogLevel::Trace);
        log::warn!(target: "pushcore::test_fwd", "after removal");
        let got: Vec<_> = sink
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.target == "pushcore::test_fwd")
            .cloned()
            .collect();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].level, LogLevel::Warn);
        assert_eq!(got[0].message, "token abcd…(len=26)");
    }
}
