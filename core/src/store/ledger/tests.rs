//! Ledger tests on real files: each capability table-driven, the guard as
//! a state table, retention, and several connections (as processes) at once.

use super::*;
use crate::store::Clock;
use std::sync::atomic::AtomicI64;

pub(super) const T0: i64 = 1_750_000_000_000;

pub(super) struct FakeClock(pub(super) AtomicI64);

impl Clock for FakeClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

pub(super) struct Fixture {
    _dir: tempfile::TempDir,
    pub(super) path: std::path::PathBuf,
    pub(super) clock: Arc<FakeClock>,
}

impl Fixture {
    pub(super) fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pushcore.db");
        Fixture {
            _dir: dir,
            path,
            clock: Arc::new(FakeClock(AtomicI64::new(T0))),
        }
    }

    /// A ledger on its own connection, as another process would have.
    pub(super) fn ledger(&self) -> Ledger {
        self.ledger_with(DedupSettings::default())
    }

    pub(super) fn ledger_with(&self, settings: DedupSettings) -> Ledger {
        Ledger::new(
            Arc::new(Store::new(&self.path, self.clock.clone())),
            settings,
        )
    }

    pub(super) fn advance_ms(&self, ms: i64) {
        self.clock.0.fetch_add(ms, Ordering::SeqCst);
    }
}

pub(super) fn key(id: &str) -> String {
    format!("im:{id}")
}

fn show(ledger: &Ledger, id: &str, conversation: &str, message_ms: i64) -> Recorded {
    let key = key(id);
    ledger
        .record_shown(&Shown {
            message_key: &key,
            conversation,
            handle: Handle::for_message(&key),
            message_ms,
            content: "hi",
            source: "test",
        })
        .unwrap()
}

pub(super) fn handle(id: &str) -> Handle {
    Handle::for_message(&key(id))
}

#[test]
fn each_shown_message_counts_until_recalled_read_dismissed_or_clicked() {
    let f = Fixture::new();
    let ledger = f.ledger();
    assert_eq!(
        show(&ledger, "m1", "c2c_bob", 1_000),
        Recorded::Shown { badge: 1 }
    );
    assert_eq!(
        show(&ledger, "m2", "c2c_bob", 2_000),
        Recorded::Shown { badge: 2 }
    );
    assert_eq!(
        show(&ledger, "m3", "c2c_bob", 3_000),
        Recorded::Shown { badge: 3 }
    );
    assert_eq!(
        show(&ledger, "m4", "group_team", 1_500),
        Recorded::Shown { badge: 4 }
    );
    assert_eq!(
        show(&ledger, "m5", "group_team", 1_600),
        Recorded::Shown { badge: 5 }
    );

    struct Case {
        name: &'static str,
        act: fn(&Ledger) -> Change,
        remove: Vec<Handle>,
        badge: u32,
    }
    let cases = [
        Case {
            name: "recall a shown message",
            act: |l| l.recall(&key("m1")).unwrap(),
            remove: vec![handle("m1")],
            badge: 4,
        },
        Case {
            name: "recall it again: nothing left to remove",
            act: |l| l.recall(&key("m1")).unwrap(),
            remove: vec![],
            badge: 4,
        },
        Case {
            name: "read the conversation up to m2's time",
            act: |l| l.read("c2c_bob", 2_000).unwrap(),
            remove: vec![handle("m2")],
            badge: 3,
        },
        Case {
            name: "swipe one away",
            act: |l| l.dismissed(&handle("m4")).unwrap(),
            remove: vec![],
            badge: 2,
        },
        Case {
            name: "swipe an unknown handle: not an error",
            act: |l| {
                l.dismissed(&Handle {
                    tag: "nope".into(),
                    id: 7,
                })
                .unwrap()
            },
            remove: vec![],
            badge: 2,
        },
        Case {
            name: "read an unknown conversation: not an error",
            act: |l| l.read("c2c_nobody", i64::MAX).unwrap(),
            remove: vec![],
            badge: 2,
        },
        Case {
            name: "read everything",
            act: |l| l.read("c2c_bob", i64::MAX).unwrap(),
            remove: vec![handle("m3")],
            badge: 1,
        },
    ];
    for case in cases {
        let change = (case.act)(&ledger);
        assert_eq!(change.remove, case.remove, "{}", case.name);
        assert_eq!(change.badge, case.badge, "{}", case.name);
        assert_eq!(ledger.badge().unwrap(), case.badge, "{}", case.name);
    }
    let tapped = ledger.clicked(&key("m5"), None).unwrap();
    assert_eq!(
        tapped,
        Tapped {
            guarded: None,
            badge: 0
        }
    );
    let states: Vec<(String, State)> = ledger
        .entries(10)
        .unwrap()
        .into_iter()
        .map(|e| (e.message_key, e.state))
        .collect();
    assert_eq!(
        states,
        [
            (key("m5"), State::Clicked),
            (key("m4"), State::Cleared),
            (key("m3"), State::Cleared),
            (key("m2"), State::Cleared),
            (key("m1"), State::Recalled),
        ]
    );
}

#[test]
fn a_recall_that_arrives_first_suppresses_the_late_delivery() {
    let f = Fixture::new();
    let ledger = f.ledger();
    let change = ledger.recall(&key("late")).unwrap();
    assert_eq!(
        change,
        Change {
            remove: vec![],
            badge: 0
        }
    );
    assert_eq!(
        ledger.admit(&key("late"), None).unwrap(),
        Some(Suppress::Recalled)
    );
    assert_eq!(
        show(&ledger, "late", "c2c_bob", 0),
        Recorded::Recalled { badge: 0 }
    );
    assert_eq!(
        ledger.repeat(&key("late"), "hi").unwrap(),
        Repeat::Suppress {
            reason: Suppress::Recalled,
            badge: 0
        }
    );
    assert_eq!(ledger.admit(&key("other"), None).unwrap(), None);
}

#[test]
fn a_repeat_is_a_duplicate_unless_its_content_changed_while_shown() {
    let f = Fixture::new();
    let ledger = f.ledger();
    show(&ledger, "m1", "c2c_bob", 0);
    assert_eq!(
        ledger.repeat(&key("m1"), "hi").unwrap(),
        Repeat::Suppress {
            reason: Suppress::Duplicate,
            badge: 1
        }
    );
    assert_eq!(
        ledger.repeat(&key("m1"), "hi (edited)").unwrap(),
        Repeat::Replace {
            handle: handle("m1"),
            badge: 1
        }
    );
    // The edit is now the known content: repeating it is a duplicate.
    assert!(matches!(
        ledger.repeat(&key("m1"), "hi (edited)").unwrap(),
        Repeat::Suppress {
            reason: Suppress::Duplicate,
            ..
        }
    ));
    // Read already: an edit does not bring it back.
    ledger.read("c2c_bob", i64::MAX).unwrap();
    assert!(matches!(
        ledger.repeat(&key("m1"), "again").unwrap(),
        Repeat::Suppress {
            reason: Suppress::Duplicate,
            ..
        }
    ));
    // Seen by dedup but never recorded here (another path showed it).
    assert!(matches!(
        ledger.repeat(&key("unknown"), "x").unwrap(),
        Repeat::Suppress {
            reason: Suppress::Duplicate,
            ..
        }
    ));
}

#[test]
fn the_account_guard_follows_the_login_state() {
    let alice = receiver_digest("alice");
    let bob = receiver_digest("bob");
    /// Never told (`None`), logged out (`Some(None)`) or in as a user.
    type Login<'a> = Option<Option<&'a str>>;
    // (login state, the message's receiver, the expected answer)
    let table: &[(Login, Option<&str>, Option<Suppress>)] = &[
        (None, None, None),
        (None, Some(&bob), None),
        (Some(None), None, Some(Suppress::LoggedOut)),
        (Some(None), Some(&alice), Some(Suppress::LoggedOut)),
        (Some(Some("alice")), None, None),
        (Some(Some("alice")), Some(&alice), None),
        (
            Some(Some("alice")),
            Some(&bob),
            Some(Suppress::OtherAccount),
        ),
    ];
    for (login, receiver, expected) in table {
        let f = Fixture::new();
        let ledger = f.ledger();
        if let Some(user) = login {
            ledger.set_session(*user).unwrap();
        }
        assert_eq!(
            ledger.admit("im:m1", *receiver).unwrap(),
            *expected,
            "{login:?} {receiver:?}"
        );
        let tapped = ledger.clicked("im:m1", *receiver).unwrap();
        assert_eq!(tapped.guarded, *expected, "tap: {login:?} {receiver:?}");
    }
}

#[test]
fn the_badge_counts_only_the_logged_in_accounts_notifications() {
    let f = Fixture::new();
    let ledger = f.ledger();
    ledger.set_session(Some("alice")).unwrap();
    show(&ledger, "a1", "c2c_bob", 0);
    show(&ledger, "a2", "c2c_bob", 0);
    // Another process records the switch to bob.
    f.ledger().set_session(Some("bob")).unwrap();
    assert_eq!(ledger.badge().unwrap(), 0);
    assert_eq!(
        show(&ledger, "b1", "c2c_carol", 0),
        Recorded::Shown { badge: 1 }
    );
    // A tap on alice's notification while bob is logged in routes home.
    assert_eq!(
        ledger.clicked(&key("a1"), None).unwrap().guarded,
        Some(Suppress::OtherAccount)
    );
    ledger.set_session(None).unwrap();
    assert_eq!(ledger.badge().unwrap(), 0);
    ledger.set_session(Some("alice")).unwrap();
    assert_eq!(ledger.badge().unwrap(), 1, "a1 was clicked, a2 still shown");
    assert_eq!(
        ledger.session().unwrap(),
        Session::LoggedIn(receiver_digest("alice"))
    );
}

#[test]
fn rows_expire_with_the_dedup_ttl_and_the_row_cap_holds() {
    let f = Fixture::new();
    let ledger = f.ledger_with(DedupSettings {
        ttl_seconds: 60,
        max_rows: 100,
        digest_window_seconds: 120,
    });
    for i in 0..150 {
        show(&ledger, &format!("m{i}"), "c2c_bob", 0);
    }
    ledger.prune().unwrap();
    assert_eq!(ledger.entries(1000).unwrap().len(), 100);
    assert_eq!(ledger.badge().unwrap(), 100);
    f.advance_ms(61_000);
    show(&ledger, "new", "c2c_bob", 0);
    ledger.prune().unwrap();
    assert_eq!(ledger.entries(1000).unwrap().len(), 1);
    assert_eq!(ledger.badge().unwrap(), 1);
}

#[test]
fn rows_shown_while_the_clock_ran_a_day_ahead_are_pruned_once_it_is_set_back() {
    let f = Fixture::new();
    let ledger = f.ledger_with(DedupSettings {
        ttl_seconds: 3600,
        max_rows: 100,
        digest_window_seconds: 120,
    });
    f.advance_ms(86_400_000);
    show(&ledger, "from_the_future", "c2c_bob", 0);
    f.advance_ms(-86_400_000);
    show(&ledger, "now", "c2c_bob", 0);
    assert_eq!(ledger.prune().unwrap(), 1);
    let left: Vec<String> = ledger
        .entries(10)
        .unwrap()
        .into_iter()
        .map(|e| e.message_key)
        .collect();
    assert_eq!(left, vec![key("now")]);
    assert_eq!(ledger.badge().unwrap(), 1);
}

#[test]
fn rows_shown_less_than_the_ttl_ahead_are_kept() {
    let f = Fixture::new();
    let ledger = f.ledger_with(DedupSettings {
        ttl_seconds: 3600,
        max_rows: 100,
        digest_window_seconds: 120,
    });
    f.advance_ms(60_000);
    show(&ledger, "a_minute_ahead", "c2c_bob", 0);
    f.advance_ms(-60_000);
    assert_eq!(ledger.prune().unwrap(), 0);
    assert_eq!(ledger.badge().unwrap(), 1);
}

#[test]
fn oversized_ids_are_bounded_and_still_found() {
    let f = Fixture::new();
    let ledger = f.ledger();
    let long_id = "x".repeat(10_000);
    let long_conversation = format!("group_{}", "g".repeat(5_000));
    show(&ledger, &long_id, &long_conversation, 0);
    let entry = ledger.entries(1).unwrap().remove(0);
    assert!(entry.message_key.len() <= identity::MAX_ID_BYTES);
    assert!(entry.conversation.len() <= identity::MAX_ID_BYTES);
    assert_eq!(
        ledger
            .read(&long_conversation, i64::MAX)
            .unwrap()
            .remove
            .len(),
        1
    );
    assert_eq!(ledger.recall(&key(&long_id)).unwrap().badge, 0);
}

#[test]
fn connections_racing_on_one_file_lose_nothing_and_agree_on_the_badge() {
    // Thread A shows m0..m199 while thread B recalls the even ones, each on
    // its own connection: whichever comes first, every even message ends
    // recalled and every odd one shown.
    let f = Fixture::new();
    f.ledger().set_session(Some("alice")).unwrap();
    let (shower, recaller) = (f.ledger(), f.ledger());
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 0..200 {
                show(&shower, &format!("m{i}"), "c2c_bob", 0);
            }
        });
        s.spawn(|| {
            for i in (0..200).step_by(2) {
                recaller.recall(&key(&format!("m{i}"))).unwrap();
            }
        });
    });
    assert_eq!(shower.badge().unwrap(), 100);
    assert_eq!(recaller.badge().unwrap(), 100);
    let entries = f.ledger().entries(1000).unwrap();
    assert_eq!(entries.len(), 200);
    for e in entries {
        let n: u32 = e.message_key["im:m".len()..].parse().unwrap();
        let expected = if n % 2 == 0 {
            State::Recalled
        } else {
            State::Shown
        };
        assert_eq!(e.state, expected, "{}", e.message_key);
    }
}

#[test]
fn a_store_that_cannot_open_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pushcore.db")).unwrap();
    let ledger = Ledger::new(
        Arc::new(Store::new(
            dir.path().join("pushcore.db"),
            Arc::new(crate::store::SystemClock),
        )),
        DedupSettings::default(),
    );
    let err = crate::PushError::from(ledger.recall("im:m1").unwrap_err());
    assert_eq!(err.code(), "storage");
    assert!(ledger.badge().is_err());
}

mod counted {
    //! The badge comes from trigger-kept counts; whatever happens, they
    //! must equal a plain count of the shown rows.
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Show(u8),
        Recall(u8),
        Read(u8, i64),
        Dismiss(u8),
        Click(u8),
        Login(Option<u8>),
        Prune,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0u8..20).prop_map(Op::Show),
            1 => (0u8..20).prop_map(Op::Recall),
            1 => (0u8..3, 0i64..25).prop_map(|(c, t)| Op::Read(c, t)),
            1 => (0u8..20).prop_map(Op::Dismiss),
            1 => (0u8..20).prop_map(Op::Click),
            1 => prop::option::of(0u8..2).prop_map(Op::Login),
            1 => Just(Op::Prune),
        ]
    }

    fn counted(ledger: &Ledger) -> u32 {
        let session = ledger.session().unwrap();
        ledger
            .store
            .with_conn(|conn| {
                let n: i64 = match &session {
                    Session::LoggedOut => 0,
                    Session::Unknown => conn.query_row(
                        "SELECT count(*) FROM ledger_shown WHERE state = 1",
                        [],
                        |r| r.get(0),
                    )?,
                    Session::LoggedIn(me) => conn.query_row(
                        "SELECT count(*) FROM ledger_shown WHERE state = 1 AND account = ?1",
                        [me],
                        |r| r.get(0),
                    )?,
                };
                Ok(n as u32)
            })
            .unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn the_badge_always_equals_a_count_of_shown_rows(ops in prop::collection::vec(op(), 1..40)) {
            let f = Fixture::new();
            let ledger = f.ledger_with(DedupSettings { ttl_seconds: 3600, max_rows: 8, digest_window_seconds: 120 });
            for op in ops {
                let id = |i: u8| format!("m{i}");
                let conv = |i: u8| format!("c2c_{}", i % 3);
                match op {
                    Op::Show(i) => { show(&ledger, &id(i), &conv(i), i64::from(i)); }
                    Op::Recall(i) => { ledger.recall(&key(&id(i))).unwrap(); }
                    Op::Read(c, t) => { ledger.read(&format!("c2c_{c}"), t).unwrap(); }
                    Op::Dismiss(i) => { ledger.dismissed(&handle(&id(i))).unwrap(); }
                    Op::Click(i) => { ledger.clicked(&key(&id(i)), None).unwrap(); }
                    Op::Login(user) => { ledger.set_session(user.map(|u| format!("user{u}")).as_deref()).unwrap(); }
                    Op::Prune => { ledger.prune().unwrap(); }
                }
                prop_assert_eq!(ledger.badge().unwrap(), counted(&ledger));
            }
        }
    }
}
