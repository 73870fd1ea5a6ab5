//! `pushcore dedup`: mark keys in a dedup store from the shell, e.g. to
//! check what a device's store remembers or to drive crash tests.
//!
//! Each answer is printed and flushed only after its key is committed, so a
//! consumer that saw `fresh` can rely on the store knowing the key even if
//! this process is killed right after.

use crate::args::{self, Args};
use crate::input;
use pushcore::config::DedupSettings;
use pushcore::store::dedup::{Dedup, DedupKind, DedupOutcome, MAX_KEY_BYTES};
use pushcore::store::{Store, SystemClock};
use pushcore::PushError;
use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;

const HELP: &str = "\
usage: pushcore dedup --db PATH [--kind displayed|clicked] [KEY ...]
       pushcore dedup --db PATH --stats

Marks each KEY (or each line of stdin when no KEY is given; blank lines
are skipped) and prints `<key>\\tfresh` or `<key>\\tduplicate`. A key that
cannot be marked (not UTF-8, over 512 bytes, a storage error) gets
`<key>\\terror\\t<code>` and a JSON error on stderr; the others go on, and
the exit code is 1 if any key failed. --kind defaults to displayed.
--stats prints `rows\\t<n>` and `file_size\\t<bytes>`.
";

pub fn run(argv: Vec<String>) -> ExitCode {
    let mut args = Args::new(argv);
    if args.flag("--help") || args.flag("-h") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let stats = args.flag("--stats");
    let (db, kind) = match (args.option("--db"), args.option("--kind")) {
        (Ok(Some(db)), Ok(kind)) => (db, kind),
        (Ok(None), _) => return args::usage_error("--db PATH is required"),
        (Err(e), _) | (_, Err(e)) => return args::usage_error(&e),
    };
    let kind = match kind.as_deref().map(DedupKind::parse) {
        None => DedupKind::Displayed,
        Some(Some(kind)) => kind,
        Some(None) => return args::usage_error("--kind must be displayed or clicked"),
    };
    let keys = match args.positionals() {
        Ok(keys) => keys,
        Err(e) => return args::usage_error(&e),
    };
    if stats && !keys.is_empty() {
        return args::usage_error("--stats takes no keys");
    }

    let store = match Store::open(&db, Arc::new(SystemClock)) {
        Ok(store) => Arc::new(store),
        Err(e) => return args::core_error(&PushError::from(e)),
    };
    for event in store.events() {
        let line = serde_json::json!({
            "warning": "store_recreated",
            "message": event.reason,
            "moved_to": event.moved_to,
        });
        eprintln!("{line}");
    }
    let dedup = Dedup::new(store, DedupSettings::default());
    if stats {
        return match dedup.stats() {
            Ok(s) => {
                println!("rows\t{}\nfile_size\t{}", s.row_count, s.file_size_bytes);
                ExitCode::SUCCESS
            }
            Err(e) => args::core_error(&PushError::from(e)),
        };
    }
    let mut marker = Marker {
        dedup: &dedup,
        kind,
        out: std::io::stdout().lock(),
        failed: false,
    };
    let answered = if keys.is_empty() {
        mark_lines(&mut marker, &mut std::io::stdin().lock())
    } else {
        keys.iter().try_for_each(|key| marker.mark(Ok(key)))
    };
    match answered {
        Ok(()) if !marker.failed => ExitCode::SUCCESS,
        // Some key failed, or the reader went away (nothing left to tell
        // anyone), or stdin could not be read (reported).
        _ => ExitCode::from(1),
    }
}

/// Marks keys one by one, answering each on stdout.
struct Marker<'a, W: Write> {
    dedup: &'a Dedup,
    kind: DedupKind,
    out: W,
    failed: bool,
}

impl<W: Write> Marker<'_, W> {
    /// Marks `key`, or answers the reason it is no key, and flushes the
    /// answer: only after its key is committed. An error here is stdout's.
    fn mark(&mut self, key: Result<&str, (String, PushError)>) -> std::io::Result<()> {
        let (shown, answer) = match key {
            Ok(key) => match self.dedup.check_and_mark(key, self.kind, "cli") {
                Ok(DedupOutcome::Fresh) => (key.to_string(), Ok("fresh")),
                Ok(DedupOutcome::Duplicate { .. }) => (key.to_string(), Ok("duplicate")),
                Err(e) => (key.to_string(), Err(PushError::from(e))),
            },
            Err((shown, e)) => (shown, Err(e)),
        };
        match answer {
            Ok(answer) => writeln!(self.out, "{shown}\t{answer}")?,
            Err(e) => {
                self.failed = true;
                args::print_error(e.code(), &e.message());
                writeln!(self.out, "{shown}\terror\t{}", e.code())?;
            }
        }
        self.out.flush()
    }
}

/// Longest key worth reading: the store refuses longer ones anyway.
const MAX_LINE_BYTES: usize = MAX_KEY_BYTES + 1; // and a "\r"

/// Every line of `reader` as a key, each read bounded: a line that is not
/// UTF-8 or too long is answered with an error, and the next is read.
fn mark_lines<W: Write>(
    marker: &mut Marker<'_, W>,
    reader: &mut impl BufRead,
) -> std::io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        let read = match input::next_line(reader, MAX_LINE_BYTES, &mut line) {
            Ok(Some(read)) => read,
            Ok(None) => return Ok(()),
            Err(e) => {
                marker.failed = true;
                args::print_error("io", &format!("cannot read stdin: {e}"));
                return Ok(());
            }
        };
        number += 1;
        // As `BufRead::lines`: a line may end with "\r\n".
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let key = match read {
            input::Line::TooLong(len) => Err((
                format!("(line {number})"),
                input::line_too_large(len, MAX_LINE_BYTES),
            )),
            input::Line::Kept if line.is_empty() => continue,
            input::Line::Kept => std::str::from_utf8(&line).map_err(|_| {
                (
                    String::from_utf8_lossy(&line).into_owned(),
                    PushError::InvalidInput {
                        reason: format!("line {number} is not UTF-8"),
                    },
                )
            }),
        };
        marker.mark(key)?;
    }
}
