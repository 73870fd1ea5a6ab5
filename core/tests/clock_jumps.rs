//! The dedup store under a clock that jumps: a row stamped while the clock
//! ran ahead must not outlive its window once the clock is corrected (the
//! rule is in core/src/store/dedup.rs).

use pushcore::config::DedupSettings;
use pushcore::store::dedup::{Dedup, DedupKind, DedupOutcome};
use pushcore::store::{Clock, Store};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

const T0: i64 = 1_750_000_000_000;
const HOUR_S: i64 = 3600;

/// A wall clock the test sets, as a user or a late network time would.
struct SettableClock(AtomicI64);

impl SettableClock {
    fn set_s(&self, seconds_after_t0: i64) {
        self.0.store(T0 + seconds_after_t0 * 1000, Ordering::SeqCst);
    }
}

impl Clock for SettableClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

fn store(settings: DedupSettings) -> (tempfile::TempDir, Arc<SettableClock>, Dedup) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(SettableClock(AtomicI64::new(T0)));
    let store = Store::new(dir.path().join("pushcore.db"), clock.clone());
    (dir, clock, Dedup::new(Arc::new(store), settings))
}

fn is_fresh(dedup: &Dedup, key: &str) -> bool {
    dedup
        .check_and_mark(key, DedupKind::Displayed, "test")
        .unwrap()
        == DedupOutcome::Fresh
}

#[test]
fn rows_stamped_while_the_clock_ran_ahead_do_not_outlive_their_window() {
    let day = 24 * HOUR_S;
    let digest = "digest:00000000000000aa";
    let ttl = DedupSettings::default().ttl_seconds as i64;
    // (name, key, the clock's error when the row was stamped, seconds of
    // real time after the sighting, fresh again?)
    let table: &[(&str, &str, i64, i64, bool)] = &[
        (
            "digest, clock a day ahead, 12 h later",
            digest,
            day,
            12 * HOUR_S,
            true,
        ),
        ("digest, clock a day ahead, 1 s later", digest, day, 1, true),
        ("digest, clock 60 s ahead, 5 s later", digest, 60, 5, false),
        (
            "digest, clock 60 s ahead, 181 s later",
            digest,
            60,
            181,
            true,
        ),
        ("digest, clock right, 119 s later", digest, 0, 119, false),
        (
            "id, clock a year ahead, 8 days later",
            "im:1",
            365 * day,
            8 * day,
            true,
        ),
        (
            "id, clock a day ahead, 1 h later",
            "im:1",
            day,
            HOUR_S,
            false,
        ),
        ("id, clock right, 6 days later", "im:1", 0, 6 * day, false),
        ("id, clock right, past the TTL", "im:1", 0, ttl + 1, true),
    ];
    for &(name, key, ahead_s, later_s, fresh_again) in table {
        let (_dir, clock, dedup) = store(DedupSettings::default());
        clock.set_s(ahead_s);
        assert!(is_fresh(&dedup, key), "{name}: first sighting");
        // The clock is corrected, then real time passes.
        clock.set_s(later_s);
        assert_eq!(is_fresh(&dedup, key), fresh_again, "{name}");
    }
}

#[test]
fn pruning_drops_rows_stamped_far_in_the_future() {
    let (_dir, clock, dedup) = store(DedupSettings::default());
    clock.set_s(400 * 24 * HOUR_S);
    for i in 0..10 {
        assert!(is_fresh(&dedup, &format!("im:{i}")));
    }
    clock.set_s(0);
    assert!(is_fresh(&dedup, "im:now"));
    assert_eq!(dedup.prune().unwrap(), 10);
    assert_eq!(dedup.stats().unwrap().row_count, 1);
}
