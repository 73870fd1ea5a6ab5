//! Plumbing for the demo: where the store lives, how lines are printed,
//! and how a step reports a surprise.

use serde_json::{json, Value};
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// The store directory: the caller's, or a fresh temporary one removed on
/// drop.
pub struct StoreDir {
    path: PathBuf,
    remove: bool,
}

impl StoreDir {
    pub fn new(dir: Option<String>) -> Result<StoreDir, String> {
        if let Some(dir) = dir {
            return Ok(StoreDir {
                path: PathBuf::from(dir),
                remove: false,
            });
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("pushcore-demo-{}-{nanos:09}", std::process::id()));
        // `create_dir`, not `create_dir_all`: the directory must be new.
        std::fs::create_dir(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(StoreDir { path, remove: true })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for StoreDir {
    fn drop(&mut self) {
        if self.remove {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Human text or JSON event lines.
pub struct Out {
    pub json: bool,
    pub events: usize,
}

impl Out {
    /// A line for people only.
    pub fn say(&self, line: &str) {
        if !self.json {
            print_line(line);
        }
    }

    /// An event: a JSON line, or `human` for people.
    pub fn event(&mut self, name: &str, fields: Value, human: &str) {
        self.events += 1;
        if self.json {
            // `event` first, for people reading the log with their eyes.
            let fields = fields.to_string();
            let rest = fields.strip_prefix('{').unwrap_or("}");
            let separator = if rest == "}" { "" } else { "," };
            print_line(&format!("{{\"event\":{}{separator}{rest}", json!(name)));
        } else {
            print_line(&format!("   {human}"));
        }
    }
}

/// Prints and flushes a line; a closed stdout (`pushcore demo | head`)
/// must not turn into a panic.
pub fn print_line(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

pub type Step<T = ()> = Result<T, String>;

pub fn expect(condition: bool, what: impl FnOnce() -> String) -> Step {
    if condition {
        Ok(())
    } else {
        Err(what())
    }
}

pub fn core_err<E: Into<pushcore::PushError>>(step: &str) -> impl Fn(E) -> String + '_ {
    move |e| {
        let e = e.into();
        format!("{step}: {} ({})", e.message(), e.code())
    }
}

/// Runs a future to completion on this thread. The core's async calls do
/// their work on the core's own thread, so the CLI needs no runtime of its
/// own, only something to wait with.
pub fn block_on<F: Future>(future: F) -> F::Output {
    pub struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(value) => return value,
            Poll::Pending => std::thread::park(),
        }
    }
}
