//! `pushcore dedup`: mark keys in a dedup store from the shell, e.g. to
//! check what a device's store remembers or to drive crash tests.
//!
//! Each answer is printed and flushed only after its key is committed, so a
//! consumer that saw `fresh` can rely on the store knowing the key even if
//! this process is killed right after.

use crate::args::{self, Args};
use pushcore::config::DedupSettings;
use pushcore::store::dedup::{Dedup, DedupKind, DedupOutcome};
use pushcore::store::{Store, SystemClock};
use pushcore::PushError;
use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;

const HELP: &str = "\
usage: pushcore dedup --db PATH [--kind displayed|clicked] [KEY ...]
       pushcore dedup --db PATH --stats

Marks each KEY (or each line of stdin when no KEY is given) and prints
`<key>\\tfresh` or `<key>\\tduplicate`. --kind defaults to displayed.
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
    if keys.is_empty() {
        let stdin = std::io::stdin();
        let lines = stdin.lock().lines().map_while(Result::ok);
        mark_all(&dedup, kind, lines.filter(|l| !l.is_empty()))
    } else {
        mark_all(&dedup, kind, keys.into_iter())
    }
}

fn mark_all(dedup: &Dedup, kind: DedupKind, keys: impl Iterator<Item = String>) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for key in keys {
        let answer = match dedup.check_and_mark(&key, kind, "cli") {
            Ok(DedupOutcome::Fresh) => "fresh",
            Ok(DedupOutcome::Duplicate { .. }) => "duplicate",
            Err(e) => return args::core_error(&PushError::from(e)),
        };
        // The reader went away: nothing left to tell anyone.
        if writeln!(out, "{key}\t{answer}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
